/*
 * kernel_body.h - the point-list kernel, compiled once per ISA path
 * (kernel_scalar.c, kernel_avx2.c, kernel_avx512.c include it after
 * defining LC_KERNEL_FN and LC_SIMD).
 *
 * One call evaluates the requested outputs at n points.  Every node of the
 * graph in kernel_nodes.h whose inputs all have stride 0 is computed once,
 * as a scalar; the others run as branch-free vector loops over tiles of
 * LC_TILE points, constant arguments broadcast into a tile buffer once per
 * call.  A scalar node is the same loop run with n = 1, so hoisting never
 * changes a bit.  No allocation: the scratch lives on the stack (~108 KiB).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/kernel_nodes.h"
#include "llmcost/kernel.h"

#define LC_TILE 256

/* Evaluate node `id` at m points: o[j] = f(a[0][j], a[1][j], ...). */
static void node_run(int id, const double *const *a, double *restrict o, size_t m)
{
    const double *restrict a0 = a[0], *restrict a1 = a[1], *restrict a2 = a[2];
    const double *restrict a3 = a[3], *restrict a4 = a[4], *restrict a5 = a[5];
    switch (id) {
    case N_GS:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_pretrain_gpu_seconds(a0[j], a1[j], a2[j], a3[j]);
        break;
    case N_PRE:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_pretrain_cost(a0[j], a1[j], a2[j]);
        break;
    case N_MWH:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_energy_mwh(a0[j], a1[j], a2[j]);
        break;
    case N_SPT:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_infer_seconds_per_token(a0[j], a1[j], a2[j]);
        break;
    case N_INF:
    case N_INFBW:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_infer_cost_per_1k(a0[j], a1[j]);
        break;
    case N_SPTBW:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_infer_seconds_per_token_bw(a0[j], a1[j], a2[j], a3[j], a4[j], a5[j]);
        break;
    case N_FIXED:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_fixed_monthly_cost(a0[j], a1[j]);
        break;
    case N_MONTHLY:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_monthly_cost(a0[j], a1[j], a2[j]);
        break;
    case N_AVG:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_avg_price_per_1k(a0[j], a1[j], a2[j]);
        break;
    case N_TREV:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_token_revenue(a0[j], a1[j]);
        break;
    case N_SREV: /* users * subscription, as lc_model_eval has it */
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = a0[j] * a1[j];
        break;
    case N_SCOST:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_subscription_cost(a0[j], a1[j], a2[j], a3[j]);
        break;
    case N_SMALL:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_infer_cost_per_1k(lc_infer_seconds_per_token(a0[j], a1[j], a2[j]), a3[j]);
        break;
    case N_ROUTE:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_route_cost_per_1k(a0[j], a1[j], a2[j], a3[j], a4[j]);
        break;
    case N_FLOP:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_pretrain_flop(a0[j], a1[j]);
        break;
    case N_GPUH:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = a0[j] / LC_SECONDS_PER_HOUR;
        break;
    case N_DAYS:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_train_days(a0[j], a1[j]);
        break;
    case N_ECOST:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_energy_cost(a0[j], a1[j]);
        break;
    case N_TPROFIT:
    case N_SPROFIT:
    case N_RSAVE:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = a0[j] - a1[j];
        break;
    case N_TMARGIN:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_margin(a0[j] - a1[j], a0[j]);
        break;
    case N_BETOK:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_breakeven_tokens(a0[j], a1[j], a2[j]);
        break;
    case N_BEUSERS:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = lc_breakeven_users(a0[j], a1[j], a2[j], a3[j]);
        break;
    case N_RSHARE:
        LC_SIMD for (size_t j = 0; j < m; j++)
            o[j] = (a0[j] - a1[j]) / a0[j];
        break;
    default:
        break;
    }
}

void LC_KERNEL_FN(const lc_block_in *in, size_t n, const int *outs, int n_outs,
                  double *const *out)
{
    _Alignas(64) double arena[N_COUNT][LC_TILE];
    double sval[N_COUNT];
    static const double unused = 0.0;
    uint64_t need = 0, vary = 0, filled = 0;
    int first_out[N_COUNT]; /* requested output index holding each node, -1 */

    if (n == 0 || n_outs <= 0)
        return;
    for (int i = 0; i < N_COUNT; i++)
        first_out[i] = -1;
    for (int k = 0; k < n_outs; k++) {
        int nd = lc_output_node[outs[k]];
        need |= (uint64_t)1 << nd;
        if (first_out[nd] < 0)
            first_out[nd] = k;
    }
    /* Close over arguments: ids are in topological order. */
    for (int id = N_COUNT - 1; id >= LC_IN_COUNT; id--)
        if (need >> id & 1)
            for (int a = 0; a < lc_node_defs[id].nargs; a++)
                need |= (uint64_t)1 << lc_node_defs[id].args[a];
    for (int i = 0; i < LC_IN_COUNT; i++) {
        if (!(need >> i & 1))
            continue;
        if (in->stride[i])
            vary |= (uint64_t)1 << i;
        else
            sval[i] = in->in[i][0];
    }
    for (int id = LC_IN_COUNT; id < N_COUNT; id++) {
        if (!(need >> id & 1))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        int v = 0;
        for (int a = 0; a < nd->nargs; a++)
            v |= (int)(vary >> nd->args[a] & 1);
        if (v) {
            vary |= (uint64_t)1 << id;
            continue;
        }
        /* Hoisted: every argument is constant over the call. */
        const double *args[LC_NODE_MAX_ARGS] = {&unused, &unused, &unused,
                                                &unused, &unused, &unused};
        for (int a = 0; a < nd->nargs; a++)
            args[a] = &sval[nd->args[a]];
        node_run(id, args, &sval[id], 1);
    }

    for (size_t t = 0; t < n; t += LC_TILE) {
        size_t m = n - t < LC_TILE ? n - t : LC_TILE;
        for (int id = LC_IN_COUNT; id < N_COUNT; id++) {
            if (!(vary >> id & 1) || !(need >> id & 1))
                continue;
            const lc_node_def *nd = &lc_node_defs[id];
            const double *args[LC_NODE_MAX_ARGS] = {&unused, &unused, &unused,
                                                    &unused, &unused, &unused};
            for (int a = 0; a < nd->nargs; a++) {
                int s = nd->args[a];
                if (vary >> s & 1) {
                    if (s < LC_IN_COUNT)
                        args[a] = in->in[s] + t;
                    else if (first_out[s] >= 0)
                        args[a] = out[first_out[s]] + t;
                    else
                        args[a] = arena[s];
                } else {
                    /* Constant argument of a varying node: broadcast once. */
                    if (!(filled >> s & 1)) {
                        double x = sval[s];
                        for (size_t j = 0; j < LC_TILE; j++)
                            arena[s][j] = x;
                        filled |= (uint64_t)1 << s;
                    }
                    args[a] = arena[s];
                }
                if (nd->nargs < 6 && a + 1 == nd->nargs)
                    for (int b = a + 1; b < LC_NODE_MAX_ARGS; b++)
                        args[b] = args[0];
            }
            double *o = first_out[id] >= 0 ? out[first_out[id]] + t : arena[id];
            node_run(id, args, o, m);
        }
        for (int k = 0; k < n_outs; k++) {
            int nd = lc_output_node[outs[k]];
            double *o = out[k] + t;
            if (!(vary >> nd & 1)) {
                double x = sval[nd];
                for (size_t j = 0; j < m; j++)
                    o[j] = x;
            } else if (first_out[nd] != k) {
                memcpy(o, out[first_out[nd]] + t, m * sizeof *o);
            }
        }
    }
}
