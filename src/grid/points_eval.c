/*
 * points_eval.c - evaluate a list of points (points.h): the point-list
 * kernel computes the built-in outputs of a block of points (inputs from
 * columns at stride 1, fixed ones at stride 0), then each needed formula
 * runs its vector program over the block, in evaluation order.  Blocks are
 * shared among OpenMP threads; a point's bits do not depend on the split.
 */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "grid/points.h"

void lc_points_plan_init(lc_points_plan *p)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < LC_IN_COUNT; i++)
        p->col_of_input[i] = -1;
    p->arch_col = p->gpu_col = -1;
}

lc_status lc_points_plan_finish(lc_points_plan *p, lc_diag *d)
{
    if (p->chinchilla && p->col_of_input[LC_IN_TOKENS] >= 0)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "--chinchilla sets tokens = %g x params, but the points have a "
                           "tokens column",
                           LC_CHINCHILLA_TOKENS_PER_PARAM);
    int nf = p->fs ? p->fs->n : 0;
    memset(p->need_f, 0, sizeof p->need_f);
    int need_o[LC_OUT_COUNT] = {0};
    for (int k = 0; k < p->n_outs; k++) {
        int o = p->outs[k];
        if (o < 0 || o >= LC_OUT_COUNT + nf)
            return lc_diag_set(d, LC_EINTERNAL, NULL, 0, "output id %d out of range", o);
        if (o < LC_OUT_COUNT)
            need_o[o] = 1;
        else
            p->need_f[o - LC_OUT_COUNT] = 1;
    }
    /* what the needed formulas use, latest in the order first */
    for (int q = nf - 1; q >= 0; q--) {
        int f = p->fs->order[q];
        if (!p->need_f[f])
            continue;
        const lc_expr *e = p->fs->f[f].expr;
        for (int k = 0; k < lc_expr_n_deps(e); k++) {
            int v = lc_expr_dep(e, k) - LC_IN_COUNT;
            if (v >= LC_OUT_COUNT)
                p->need_f[v - LC_OUT_COUNT] = 1;
            else if (v >= 0)
                need_o[v] = 1;
        }
    }
    p->n_kern = 0;
    for (int o = 0; o < LC_OUT_COUNT; o++)
        if (need_o[o])
            p->kern[p->n_kern++] = o;
    return LC_OK;
}

/* Where input i's values come from: its column, util's (util_infer
 * following util), or nowhere (-1: fixed or derived). */
static int source_col(const lc_points_plan *p, int i)
{
    if (p->col_of_input[i] >= 0)
        return p->col_of_input[i];
    if (i == LC_IN_UTIL_INFER && p->util_infer_follows_util)
        return p->col_of_input[LC_IN_UTIL];
    return -1;
}

void lc_points_inputs(const lc_points_plan *p, const double *const *cols, size_t j,
                      double in[LC_IN_COUNT])
{
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int c = source_col(p, i);
        in[i] = c >= 0 ? cols[c][j] : p->fixed[i];
    }
    if (p->util_infer_follows_util && p->col_of_input[LC_IN_UTIL_INFER] < 0)
        in[LC_IN_UTIL_INFER] = in[LC_IN_UTIL];
    if (p->chinchilla)
        in[LC_IN_TOKENS] = lc_chinchilla_tokens(in[LC_IN_PARAMS]);
}

lc_status lc_points_eval(const lc_points_plan *p, const double *const *cols, size_t n,
                         double *const *out, lc_diag *d)
{
    const size_t B = LC_POINTS_BLOCK;
    int nf = p->fs ? p->fs->n : 0;
    /* scratch per thread: one block per input (broadcast or derived), per
     * kernel output and per formula */
    size_t slots = (size_t)LC_IN_COUNT + (size_t)p->n_kern + (size_t)nf;
    size_t nblocks = (n + B - 1) / B;
    int failed = 0;
    int threads = p->threads > 0 ? p->threads : 0;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads()) \
    reduction(| : failed)
    {
        double *ws = malloc(slots * B * sizeof *ws);
        if (!ws)
            failed = 1;
        const double *val[LC_VALUE_COUNT];
        lc_block_in blk;
        double *kout[LC_OUT_COUNT];
        if (ws) {
            memset(val, 0, sizeof val);
            for (int i = 0; i < LC_IN_COUNT; i++) {
                double *bc = ws + (size_t)i * B, x = p->fixed[i];
                for (size_t j = 0; j < B; j++)
                    bc[j] = x;
            }
            for (int k = 0; k < p->n_kern; k++)
                kout[k] = ws + ((size_t)LC_IN_COUNT + (size_t)k) * B;
        }
#pragma omp for schedule(static)
        for (size_t b = 0; b < nblocks; b++) {
            if (!ws)
                continue;
            size_t off = b * B, m = n - off < B ? n - off : B;
            for (int i = 0; i < LC_IN_COUNT; i++) {
                int c = source_col(p, i);
                if (c >= 0) {
                    blk.in[i] = cols[c] + off;
                    blk.stride[i] = 1;
                    val[i] = cols[c] + off;
                } else {
                    blk.in[i] = &p->fixed[i];
                    blk.stride[i] = 0;
                    val[i] = ws + (size_t)i * B;
                }
            }
            if (p->chinchilla) { /* tokens = 20 x params, per point */
                double *t = ws + (size_t)LC_IN_TOKENS * B;
                const double *par = blk.in[LC_IN_PARAMS];
                size_t ps = blk.stride[LC_IN_PARAMS];
                for (size_t j = 0; j < m; j++)
                    t[j] = lc_chinchilla_tokens(par[j * ps]);
                blk.in[LC_IN_TOKENS] = t;
                blk.stride[LC_IN_TOKENS] = 1;
                val[LC_IN_TOKENS] = t;
            }
            /* a requested output is written in place, the others (values
             * only a formula uses) into the scratch */
            double *dst[LC_VALUE_COUNT] = {0};
            for (int k = 0; k < p->n_outs; k++)
                dst[LC_VALUE_OF_OUTPUT(p->outs[k])] = out[k] + off;
            double *ko[LC_OUT_COUNT];
            for (int k = 0; k < p->n_kern; k++) {
                double *o = dst[LC_VALUE_OF_OUTPUT(p->kern[k])];
                ko[k] = o ? o : kout[k];
                val[LC_VALUE_OF_OUTPUT(p->kern[k])] = ko[k];
            }
            if (p->n_kern > 0)
                p->k->points(&blk, m, p->kern, p->n_kern, ko);
            for (int q = 0; q < nf; q++) {
                int f = p->fs->order[q];
                if (!p->need_f[f])
                    continue;
                double *fo = dst[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)];
                if (!fo)
                    fo = ws + ((size_t)LC_IN_COUNT + (size_t)p->n_kern + (size_t)f) * B;
                lc_formula_eval(p->fs, f, val, m, fo);
                val[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)] = fo;
            }
        }
        free(ws);
    }
    if (failed)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory evaluating points");
    return LC_OK;
}
