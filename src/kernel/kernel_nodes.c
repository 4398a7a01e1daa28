/*
 * kernel_nodes.c - the argument lists of the evaluation graph (see
 * kernel_nodes.h); the arithmetic itself is in kernel_body.h, which calls
 * only model.h functions.
 */
#include "kernel/kernel_nodes.h"

#define A(...) {sizeof((int[]){__VA_ARGS__}) / sizeof(int), {__VA_ARGS__}}
const lc_node_def lc_node_defs[N_COUNT] = {
    [N_GS] = A(LC_IN_PARAMS, LC_IN_TOKENS, LC_IN_FLOPS, LC_IN_UTIL),
    [N_PRE] = A(N_GS, LC_IN_PRICE_HOUR, LC_IN_DISCOUNT),
    [N_MWH] = A(N_GS, LC_IN_POWER_W, LC_IN_PUE),
    [N_SPT] = A(LC_IN_PARAMS, LC_IN_FLOPS, LC_IN_UTIL_INFER),
    [N_INF] = A(N_SPT, LC_IN_PRICE_HOUR),
    [N_SPTBW] = A(LC_IN_PARAMS, LC_IN_FLOPS, LC_IN_UTIL_INFER, LC_IN_HBM_BW, LC_IN_BATCH,
                  LC_IN_BYTES_PER_PARAM),
    [N_FIXED] = A(N_PRE, LC_IN_PERIOD_MONTHS),
    [N_MONTHLY] = A(N_FIXED, LC_IN_MONTHLY_TOKENS, N_INF),
    [N_AVG] = A(LC_IN_PRICE_IN, LC_IN_PRICE_OUT, LC_IN_IO_RATIO),
    [N_TREV] = A(LC_IN_MONTHLY_TOKENS, N_AVG),
    [N_SREV] = A(LC_IN_USERS, LC_IN_SUBSCRIPTION),
    [N_SCOST] = A(N_FIXED, LC_IN_USERS, LC_IN_TOKENS_PER_USER, N_INF),
    [N_SMALL] = A(LC_IN_SMALL_PARAMS, LC_IN_FLOPS, LC_IN_UTIL_INFER, LC_IN_PRICE_HOUR),
    [N_ROUTE] = A(LC_IN_ROUTE_SHARE, N_SMALL, N_INF, LC_IN_ROUTER_COST, LC_IN_TOKENS_PER_REQ),
    [N_FLOP] = A(LC_IN_PARAMS, LC_IN_TOKENS),
    [N_GPUH] = A(N_GS),
    [N_DAYS] = A(N_GS, LC_IN_GPUS),
    [N_ECOST] = A(N_MWH, LC_IN_ELEC_PRICE),
    [N_INFBW] = A(N_SPTBW, LC_IN_PRICE_HOUR),
    [N_TPROFIT] = A(N_TREV, N_MONTHLY),
    [N_TMARGIN] = A(N_TREV, N_MONTHLY),
    [N_BETOK] = A(N_FIXED, N_AVG, N_INF),
    [N_SPROFIT] = A(N_SREV, N_SCOST),
    [N_BEUSERS] = A(N_FIXED, LC_IN_SUBSCRIPTION, LC_IN_TOKENS_PER_USER, N_INF),
    [N_RSAVE] = A(N_INF, N_ROUTE),
    [N_RSHARE] = A(N_INF, N_ROUTE),
};
#undef A

const int lc_output_node[LC_OUT_COUNT] = {
    [LC_OUT_PRETRAIN_FLOP] = N_FLOP,
    [LC_OUT_PRETRAIN_GPU_HOURS] = N_GPUH,
    [LC_OUT_PRETRAIN_COST] = N_PRE,
    [LC_OUT_TRAIN_DAYS] = N_DAYS,
    [LC_OUT_ENERGY_MWH] = N_MWH,
    [LC_OUT_ENERGY_COST] = N_ECOST,
    [LC_OUT_INFER_COST_1K] = N_INF,
    [LC_OUT_INFER_COST_1K_BW] = N_INFBW,
    [LC_OUT_FIXED_MONTHLY] = N_FIXED,
    [LC_OUT_MONTHLY_COST] = N_MONTHLY,
    [LC_OUT_AVG_PRICE_1K] = N_AVG,
    [LC_OUT_TOKEN_REVENUE] = N_TREV,
    [LC_OUT_TOKEN_PROFIT] = N_TPROFIT,
    [LC_OUT_TOKEN_MARGIN] = N_TMARGIN,
    [LC_OUT_BREAKEVEN_TOKENS] = N_BETOK,
    [LC_OUT_SUB_REVENUE] = N_SREV,
    [LC_OUT_SUB_COST] = N_SCOST,
    [LC_OUT_SUB_PROFIT] = N_SPROFIT,
    [LC_OUT_BREAKEVEN_USERS] = N_BEUSERS,
    [LC_OUT_ROUTE_COST_1K] = N_ROUTE,
    [LC_OUT_ROUTE_SAVING_1K] = N_RSAVE,
    [LC_OUT_ROUTE_SAVING_SHARE] = N_RSHARE,
};

uint64_t lc_node_closure(int node)
{
    uint64_t need = (uint64_t)1 << node;
    for (int id = node; id >= LC_IN_COUNT; id--)
        if (need >> id & 1)
            for (int a = 0; a < lc_node_defs[id].nargs; a++)
                need |= (uint64_t)1 << lc_node_defs[id].args[a];
    return need;
}

void lc_rowprog_build(lc_rowprog *p, int out_node, uint64_t inner)
{
    uint64_t need = lc_node_closure(out_node);
    uint64_t vary = inner & need;
    int rv_of[N_COUNT], step_of[N_COUNT];
    p->n_steps = 0;
    p->n_rowvals = 0;
    p->out_rowval = -1;
    for (int i = 0; i < N_COUNT; i++)
        rv_of[i] = -1;
    for (int id = LC_IN_COUNT; id <= out_node; id++) {
        if (!(need >> id & 1))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        for (int a = 0; a < nd->nargs; a++)
            if (vary >> nd->args[a] & 1)
                vary |= (uint64_t)1 << id;
    }
    if (!(vary >> out_node & 1)) {
        p->rowval_node[0] = out_node;
        p->n_rowvals = 1;
        p->out_rowval = 0;
        return;
    }
    for (int id = LC_IN_COUNT; id <= out_node; id++) {
        if (!(need >> id & 1) || !(vary >> id & 1))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        int s = p->n_steps++;
        p->id[s] = id;
        step_of[id] = s;
        for (int a = 0; a < LC_NODE_MAX_ARGS; a++) {
            int arg = a < nd->nargs ? nd->args[a] : nd->args[0];
            if (vary >> arg & 1) {
                p->kind[s][a] = arg < LC_IN_COUNT ? LC_ARG_INNER : LC_ARG_NODE;
                p->ref[s][a] = arg < LC_IN_COUNT ? arg : step_of[arg];
            } else {
                if (rv_of[arg] < 0) {
                    rv_of[arg] = p->n_rowvals;
                    p->rowval_node[p->n_rowvals++] = arg;
                }
                p->kind[s][a] = LC_ARG_ROWVAL;
                p->ref[s][a] = rv_of[arg];
            }
        }
    }
}
