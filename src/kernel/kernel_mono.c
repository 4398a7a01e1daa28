/*
 * kernel_mono.c - the monotonicity table of the evaluation graph and the
 * proof over a box of input ranges (see kernel_mono.h).
 *
 * Each row below is read off the formula in model.h that the node calls,
 * arguments in the order of lc_node_defs (kernel_nodes.c).  "+" means
 * non-decreasing in that argument, "-" non-increasing, 0 not proven (the
 * argument appears twice, or the direction depends on the other values).
 * The reasoning per node, under its precondition:
 *   PACT, SPACT, HD, KVD, SKVTOK, LCOST, SCOSTSEL, BIZ: pick nodes (the
 *           first argument picks the branch, model_graph.h LC_PICK_LIST);
 *           proven where one branch holds over the box (lc_node_live_args):
 *           the value is then that branch, monotone as it is (x / y: +;
 *           d_model / heads: d+ h-; 2 kv_heads hd: both +; kv ratio:
 *           kv+ small+ params-), the other branch not read
 *   FLOP    (6 Na + 12 L H Q T) D, all >= 0       all +
 *   GS      flop / (F U)                          flop+ F- U-
 *   CARBON, WEIGHTS, KVTOK, KVSEQ, MEM (and the small model's): products
 *           and sums of positive factors          all +
 *   GPR     tp > 0 ? (tp >= need ? tp : NaN) : need, need = ceil(mem / (gm mu))
 *                                                 tp: 0, mem+ gm- mu- (ceil is monotone;
 *                                                 a NaN corner fails the range check)
 *   MAXB    max(floor((G gm mu - w) / kv), 0)     G+ gm+ mu+ w- kv- (clamped at 0)
 *   PFTOK   2 Na + 2 L H Q (P + 1), all >= 0      all +
 *   PFLOP   P * pftok                             all +
 *   DFTOK   2 Na + 4 L H Q c, all >= 0            all +
 *   SWFTOK  2 Ns                                  +
 *   PTPS    G F U / ftok                          G+ F+ U+ ftok-
 *   STEP    max(b ftok / (G F U), mem / (G bw bwu)) b+ ftok+ G- F- U- mem+ bw- bwu-
 *   DTPS    b / step                              b+ step- (b also in step: the
 *                                                 directions conflict, no proof)
 *   TTFT, TPOT, LAT   p / ptps; 1000 step; ttft + o step   p+ ptps-; +; all +
 *   PRE1K, DEC1K      1000 G (price / 3600) / tps  G+ price+ tps-
 *   SERVE   (r pre + dec) / (r + 1) / lf          pre+ dec+ r: 0 (twice) lf-
 *   (the S* rows: the small model's replica, the same)
 *   PRE     gs * (price / 3600) * discount        all +
 *   MWH     gs * W * PUE / 3.6e9                   all +
 *   SPT     2 N / (F U)                           N+ F- U-
 *   INF     1000 * spt * (price / 3600)           all +
 *   SPTBW   max(2Na/(FU), N bpp/(bw batch))       Na+ N+ F- U- bw- batch- bpp+ (max is monotone)
 *   FIXED   pre / months                          pre+ months-
 *   MONTHLY fixed + tokens / 1000 * inf           all +
 *   AVG     (r pin + pout) / (r + 1)              pin+ pout+ r: 0 (r twice)
 *   TREV    tokens / 1000 * avg                   all +
 *   SREV    users * subscription                  all +
 *   SCOST   fixed + users * (tpu / 1000 * inf)    all +
 *   SMALL   1000 * 2Ns/(FU) * (price / 3600)      Ns+ F- U- price+
 *   ROUTE   f small + (1 - f) large + rc 1000/tpr f: 0, small+ (f > 0), large+ (1 - f >= 0),
 *                                                 rc+ tpr-
 *   GPUH    gs / 3600                             +
 *   DAYS    gs / gpus / 86400                     gs+ gpus-
 *   ECOST   mwh * 1000 * usd_per_kwh              all +
 *   INFBW   as INF                                all +
 *   TPROFIT, SPROFIT, RSAVE   a - b               a+ b- (any finite signs)
 *   TMARGIN, RSHARE           (a - b) / a, a > 0  a: 0 (twice), b-
 *   BETOK   fixed / (avg - inf) * 1000, margin > 0     fixed+ avg- inf+
 *   BEUSERS fixed / (sub - tpu/1000 inf), margin > 0  fixed+ sub- tpu+ inf+
 * "Positive" needs every argument > 0 over the box (then every product and
 * quotient above has factors of known sign); the break-even rows also need
 * the margin > 0 over the whole box, which also rules out their NaN (no
 * break-even) region; the margin's lower bound is itself a corner value.
 */
#include "kernel/kernel_mono.h"

#include <math.h>
#include <string.h>

#include "kernel/kernel_isa.h"

#define P(...) {LC_PRE_POSITIVE, {__VA_ARGS__}}
#define PICK(...) {LC_PRE_PICK, {__VA_ARGS__}}
const lc_mono_def lc_mono_defs[N_COUNT] = {
    [N_PACT] = PICK(0, 1),
    [N_HD] = PICK(0, 1, -1),
    [N_KVD] = PICK(0, 1, 1),
    [N_SPACT] = PICK(0, 1),
    [N_SKVTOK] = PICK(0, 1, 1, -1),
    [N_LCOST] = PICK(0, 1, 1),
    [N_SCOSTSEL] = PICK(0, 1, 1),
    [N_BIZ] = PICK(0, 1, 1),
    [N_FLOP] = {LC_PRE_NONNEG, {1, 1, 1, 1, 1, 1}},
    [N_GS] = P(1, -1, -1),
    [N_CARBON] = P(1, 1),
    [N_WEIGHTS] = P(1, 1),
    [N_KVTOK] = P(1, 1, 1),
    [N_KVSEQ] = P(1, 1),
    [N_MEM] = P(1, 1, 1),
    [N_SWEIGHTS] = P(1, 1),
    [N_SKVSEQ] = P(1, 1),
    [N_SMEM] = P(1, 1, 1),
    /* serving: the roofline of a replica */
    [N_GPR] = {LC_PRE_NONNEG, {0, 1, -1, -1}},
    [N_MAXB] = {LC_PRE_NONNEG, {1, 1, 1, -1, -1}},
    [N_PFTOK] = {LC_PRE_NONNEG, {1, 1, 1, 1, 1}},
    [N_PFLOP] = {LC_PRE_NONNEG, {1, 1}},
    [N_DFTOK] = {LC_PRE_NONNEG, {1, 1, 1, 1, 1}},
    [N_PTPS] = P(1, 1, 1, -1),
    [N_STEP] = P(1, 1, -1, -1, -1, 1, -1, -1),
    [N_DTPS] = P(1, -1),
    [N_TTFT] = {LC_PRE_NONNEG, {1, -1}},
    [N_TPOT] = P(1),
    [N_LAT] = {LC_PRE_NONNEG, {1, 1, 1}},
    [N_PRE1K] = P(1, 1, -1),
    [N_DEC1K] = P(1, 1, -1),
    [N_SERVE] = {LC_PRE_NONNEG, {1, 1, 0, -1}},
    [N_SGPR] = P(1, -1, -1),
    [N_SWFTOK] = {LC_PRE_NONNEG, {1}},
    [N_SPTPS] = P(1, 1, 1, -1),
    [N_SSTEP] = P(1, 1, -1, -1, -1, 1, -1, -1),
    [N_SDTPS] = P(1, -1),
    [N_SPRE1K] = P(1, 1, -1),
    [N_SDEC1K] = P(1, 1, -1),
    [N_SSERVE] = {LC_PRE_NONNEG, {1, 1, 0, -1}},
    [N_PRE] = P(1, 1, 1),
    [N_MWH] = P(1, 1, 1),
    [N_SPT] = P(1, -1, -1),
    [N_INF] = P(1, 1),
    [N_SPTBW] = P(1, 1, -1, -1, -1, -1, 1),
    [N_FIXED] = P(1, -1),
    [N_MONTHLY] = P(1, 1, 1),
    [N_AVG] = P(1, 1, 0),
    [N_TREV] = P(1, 1),
    [N_SREV] = P(1, 1),
    [N_SCOST] = P(1, 1, 1, 1),
    [N_SMALL] = P(1, -1, -1, 1),
    [N_ROUTE] = {LC_PRE_ROUTE, {0, 1, 1, 1, -1}},
    [N_GPUH] = P(1),
    [N_DAYS] = P(1, -1),
    [N_ECOST] = P(1, 1),
    [N_INFBW] = P(1, 1),
    [N_TPROFIT] = {LC_PRE_FINITE, {1, -1}},
    [N_TMARGIN] = {LC_PRE_FIRST_POS, {0, -1}},
    [N_BETOK] = {LC_PRE_MARGIN_TOK, {1, -1, 1}},
    [N_SPROFIT] = {LC_PRE_FINITE, {1, -1}},
    [N_BEUSERS] = {LC_PRE_MARGIN_USR, {1, -1, 1, 1}},
    [N_RSAVE] = {LC_PRE_FINITE, {1, -1}},
    [N_RSHARE] = {LC_PRE_FIRST_POS, {0, -1}},
};
#undef P
#undef PICK

static int finite2(double lo, double hi)
{
    return isfinite(lo) && isfinite(hi) && lo <= hi;
}

/* The node's precondition over its argument ranges. */
static int pre_holds(lc_mono_pre pre, int nargs, const double *lo, const double *hi)
{
    for (int a = 0; a < nargs; a++)
        if (!finite2(lo[a], hi[a]))
            return 0;
    switch (pre) {
    case LC_PRE_FINITE:
        return 1;
    case LC_PRE_NONNEG:
        for (int a = 0; a < nargs; a++)
            if (!(lo[a] >= 0.0))
                return 0;
        return 1;
    case LC_PRE_PICK: /* every argument that varies is > 0 */
        for (int a = 0; a < nargs; a++)
            if (memcmp(&lo[a], &hi[a], sizeof lo[a]) != 0 && !(lo[a] > 0.0))
                return 0;
        return 1;
    case LC_PRE_FIRST_POS:
        return lo[0] > 0.0;
    case LC_PRE_POSITIVE:
    case LC_PRE_MARGIN_TOK:
    case LC_PRE_MARGIN_USR:
    case LC_PRE_ROUTE:
        for (int a = 0; a < nargs; a++)
            if (!(lo[a] > 0.0))
                return 0;
        if (pre == LC_PRE_MARGIN_TOK) /* avg - inf, lowest at avg lo, inf hi */
            return lo[1] - hi[2] > 0.0;
        if (pre == LC_PRE_MARGIN_USR) /* sub - tokens cost, lowest at sub lo */
            return lo[1] - lc_tokens_cost(hi[2], hi[3]) > 0.0;
        if (pre == LC_PRE_ROUTE)
            return hi[0] <= 1.0;
        return 1;
    default:
        return 0;
    }
}

int lc_mono_prove(int out_node, const double *in_lo, const double *in_hi,
                  const signed char *in_dir, double *out_lo, double *out_hi)
{
    double lo[N_COUNT], hi[N_COUNT];
    signed char dir[N_COUNT];
    /* through the live arguments only: a branch that no value in the box
     * picks is neither read nor proven */
    lc_nodeset need = lc_node_closure_in(out_node, in_lo, in_hi);
    for (int i = 0; i < LC_IN_COUNT; i++) {
        lo[i] = in_lo[i];
        hi[i] = in_hi[i];
        dir[i] = in_dir[i];
        if (lc_ns_has(&need, i) && (!finite2(lo[i], hi[i]) || dir[i] < -1 || dir[i] > 1))
            return 0;
    }
    for (int id = LC_IN_COUNT; id <= out_node; id++) {
        if (!lc_ns_has(&need, id))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        const lc_mono_def *md = &lc_mono_defs[id];
        double alo[LC_NODE_MAX_ARGS] = {0}, ahi[LC_NODE_MAX_ARGS] = {0};
        double clo[LC_NODE_MAX_ARGS] = {0}, chi[LC_NODE_MAX_ARGS] = {0};
        double plo[LC_NODE_MAX_ARGS], phi[LC_NODE_MAX_ARGS]; /* argument ranges */
        signed char pdir[LC_NODE_MAX_ARGS];
        int all_const = 1, d = 0;
        unsigned live = lc_node_live_args(id, in_lo, in_hi);
        for (int a = 0; a < nd->nargs; a++) {
            int s = nd->args[a];
            plo[a] = lo[s];
            phi[a] = hi[s];
            pdir[a] = md->dir[a];
            if (md->pre == LC_PRE_PICK && a == 0 && live == 1u) {
                pdir[a] = 1; /* lc_or_derived: its first argument is the value */
            } else if (md->pre == LC_PRE_PICK && a == 0) {
                plo[a] = phi[a] = in_lo[s]; /* picks the same branch over the box */
            } else if (!(live >> a & 1)) {
                plo[a] = phi[a] = 1.0; /* a dead branch: any value */
            }
        }
        for (int a = 0; a < nd->nargs; a++) {
            alo[a] = plo[a];
            ahi[a] = phi[a];
            if (memcmp(&plo[a], &phi[a], sizeof plo[a]) != 0)
                all_const = 0;
        }
        if (all_const) { /* one value over the whole box */
            lo[id] = hi[id] = lc_kernel_node1_scalar(id, alo);
            dir[id] = 0;
            if (!isfinite(lo[id]))
                return 0;
            continue;
        }
        if (!pre_holds(md->pre, nd->nargs, alo, ahi))
            return 0;
        for (int a = 0; a < nd->nargs; a++) {
            int s = nd->args[a], pd = pdir[a];
            if (memcmp(&plo[a], &phi[a], sizeof plo[a]) == 0) {
                clo[a] = chi[a] = plo[a];
                continue;
            }
            if (pd == 0) /* varies over the box, direction not proven */
                return 0;
            clo[a] = pd > 0 ? plo[a] : phi[a];
            chi[a] = pd > 0 ? phi[a] : plo[a];
            int c = pd * dir[s];
            if (c != 0) {
                if (d != 0 && d != c)
                    return 0; /* one argument pulls up, another down */
                d = c;
            }
        }
        lo[id] = lc_kernel_node1_scalar(id, clo);
        hi[id] = lc_kernel_node1_scalar(id, chi);
        dir[id] = (signed char)d;
        if (!finite2(lo[id], hi[id]))
            return 0;
    }
    *out_lo = lo[out_node];
    *out_hi = hi[out_node];
    return dir[out_node] < 0 ? -1 : 1;
}
