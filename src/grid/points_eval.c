/*
 * points_eval.c - evaluate a list of points (points.h): the point-list
 * kernel computes the built-in outputs of a block of points (inputs from
 * columns at stride 1, fixed ones at stride 0), then each needed formula
 * runs its vector program over the block, in evaluation order (the block
 * step lc_outs_block, shared with the sensitivity methods).  Blocks are
 * shared among OpenMP threads; a point's bits do not depend on the split.
 */
#include <math.h>
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

lc_status lc_outs_plan_init(lc_outs_plan *q, const lc_formulas *fs, const int *outs, int n_outs,
                            lc_diag *d)
{
    int nf = fs ? fs->n : 0;
    memset(q, 0, sizeof *q);
    q->fs = fs;
    if (n_outs < 0 || n_outs > LC_OUT_MAX)
        return lc_diag_set(d, LC_EINTERNAL, NULL, 0, "%d outputs (at most %d)", n_outs,
                           LC_OUT_MAX);
    int need_o[LC_OUT_COUNT] = {0}, req[LC_OUT_MAX] = {0};
    for (int k = 0; k < n_outs; k++) {
        int o = outs[k];
        if (o < 0 || o >= LC_OUT_COUNT + nf)
            return lc_diag_set(d, LC_EINTERNAL, NULL, 0, "output id %d out of range", o);
        q->outs[k] = o;
        q->first[k] = k;
        for (int j = 0; j < k; j++)
            if (outs[j] == o) {
                q->first[k] = q->first[j];
                break;
            }
        req[o] = 1;
        if (o < LC_OUT_COUNT)
            need_o[o] = 1;
        else
            q->need_f[o - LC_OUT_COUNT] = 1;
    }
    q->n_outs = n_outs;
    /* what the needed formulas use, latest in the order first */
    lc_inmask f_in = 0;
    for (int k = nf - 1; k >= 0; k--) {
        int f = fs->order[k];
        if (!q->need_f[f])
            continue;
        q->n_need_f++;
        const lc_expr *e = fs->f[f].expr;
        for (int j = 0; j < lc_expr_n_deps(e); j++) {
            int v = lc_expr_dep(e, j);
            if (v < LC_IN_COUNT)
                f_in |= LC_BIT(v);
            else if (v - LC_IN_COUNT >= LC_OUT_COUNT)
                q->need_f[v - LC_IN_COUNT - LC_OUT_COUNT] = 1;
            else
                need_o[v - LC_IN_COUNT] = 1;
        }
    }
    for (int i = 0; i < LC_IN_COUNT; i++)
        q->in_slot[i] = (f_in & LC_BIT(i)) ? q->slots++ : -1;
    for (int o = 0; o < LC_OUT_COUNT; o++) {
        q->kern_slot[o] = -1;
        if (!need_o[o])
            continue;
        q->kern[q->n_kern++] = o;
        if (!req[o])
            q->kern_slot[o] = q->slots++;
    }
    for (int f = 0; f < LC_MAX_FORMULAS; f++)
        q->f_slot[f] = f < nf && q->need_f[f] && !req[LC_OUT_COUNT + f] ? q->slots++ : -1;
    return LC_OK;
}

size_t lc_outs_plan_scratch(const lc_outs_plan *q, size_t cap)
{
    return q->n_need_f ? (size_t)q->slots * cap : 0;
}

void lc_outs_block(const lc_outs_plan *q, lc_points_fn points, const lc_block_in *in, size_t m,
                   size_t cap, double *ws, double *const *out)
{
    if (q->n_need_f == 0) { /* built-in outputs only: the kernel alone */
        points(in, m, q->outs, q->n_outs, out);
        return;
    }
    const lc_formulas *fs = q->fs;
    const double *val[LC_VALUE_COUNT] = {0};
    /* inputs the formulas read, one value per point */
    for (int i = 0; i < LC_IN_COUNT; i++) {
        if (q->in_slot[i] < 0)
            continue;
        if (in->stride[i] == 1) {
            val[i] = in->in[i];
            continue;
        }
        double *b = ws + (size_t)q->in_slot[i] * cap;
        const double *src = in->in[i];
        size_t st = in->stride[i];
        for (size_t j = 0; j < m; j++)
            b[j] = src[j * st];
        val[i] = b;
    }
    /* a requested output is written in place (its first occurrence), the
     * others (values only a formula uses) into the scratch */
    double *dst[LC_OUT_MAX] = {0};
    for (int k = 0; k < q->n_outs; k++)
        if (q->first[k] == k)
            dst[q->outs[k]] = out[k];
    double *ko[LC_OUT_COUNT];
    for (int k = 0; k < q->n_kern; k++) {
        int o = q->kern[k];
        ko[k] = dst[o] ? dst[o] : ws + (size_t)q->kern_slot[o] * cap;
        val[LC_VALUE_OF_OUTPUT(o)] = ko[k];
    }
    if (q->n_kern > 0)
        points(in, m, q->kern, q->n_kern, ko);
    for (int k = 0; k < fs->n; k++) {
        int f = fs->order[k];
        if (!q->need_f[f])
            continue;
        double *fo = dst[LC_OUT_COUNT + f];
        if (!fo)
            fo = ws + (size_t)q->f_slot[f] * cap;
        lc_formula_eval(fs, f, val, m, fo);
        val[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)] = fo;
    }
    for (int k = 0; k < q->n_outs; k++) /* a repeated output: a copy of the first */
        if (q->first[k] != k)
            memcpy(out[k], out[q->first[k]], m * sizeof(double));
}

void lc_outs_block_reference(const lc_outs_plan *q, const lc_block_in *in, size_t m,
                             double *const *out)
{
    double v[LC_VALUE_COUNT];
    for (size_t j = 0; j < m; j++) {
        for (int i = 0; i < LC_VALUE_COUNT; i++)
            v[i] = NAN;
        for (int i = 0; i < LC_IN_COUNT; i++)
            v[i] = in->in[i][in->stride[i] * j];
        lc_model_eval(v, v + LC_VALUE_OF_OUTPUT(0));
        if (q->n_need_f)
            lc_formulas_eval_point(q->fs, v);
        for (int k = 0; k < q->n_outs; k++)
            out[k][j] = v[LC_VALUE_OF_OUTPUT(q->outs[k])];
    }
}

lc_status lc_points_plan_finish(lc_points_plan *p, lc_diag *d)
{
    if (p->chinchilla && p->col_of_input[LC_IN_TOKENS] >= 0)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "--chinchilla sets tokens = %g x params, but the points have a "
                           "tokens column",
                           LC_CHINCHILLA_TOKENS_PER_PARAM);
    return lc_outs_plan_init(&p->set, p->fs, p->outs, p->n_outs, d);
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
    /* scratch per thread: the formulas' (lc_outs_plan_scratch) and the
     * chinchilla tokens column */
    size_t scratch = lc_outs_plan_scratch(&p->set, B) + (p->chinchilla ? B : 0);
    size_t nblocks = (n + B - 1) / B;
    int failed = 0;
    int threads = p->threads > 0 ? p->threads : 0;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads()) \
    reduction(| : failed)
    {
        double *ws = scratch ? malloc(scratch * sizeof *ws) : NULL;
        if (scratch && !ws)
            failed = 1;
        lc_block_in blk;
#pragma omp for schedule(static)
        for (size_t b = 0; b < nblocks; b++) {
            if (scratch && !ws)
                continue;
            size_t off = b * B, m = n - off < B ? n - off : B;
            for (int i = 0; i < LC_IN_COUNT; i++) {
                int c = source_col(p, i);
                if (c >= 0) {
                    blk.in[i] = cols[c] + off;
                    blk.stride[i] = 1;
                } else {
                    blk.in[i] = &p->fixed[i];
                    blk.stride[i] = 0;
                }
            }
            if (p->chinchilla) { /* tokens = 20 x params, per point */
                double *t = ws + (scratch - B);
                const double *par = blk.in[LC_IN_PARAMS];
                size_t ps = blk.stride[LC_IN_PARAMS];
                for (size_t j = 0; j < m; j++)
                    t[j] = lc_chinchilla_tokens(par[j * ps]);
                blk.in[LC_IN_TOKENS] = t;
                blk.stride[LC_IN_TOKENS] = 1;
            }
            double *o[LC_OUT_MAX];
            for (int k = 0; k < p->n_outs; k++)
                o[k] = out[k] + off;
            lc_outs_block(&p->set, p->k->points, &blk, m, B, ws, o);
        }
        free(ws);
    }
    if (failed)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory evaluating points");
    return LC_OK;
}
