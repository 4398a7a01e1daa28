/*
 * sens_eval.c - evaluate the cost model on a list of sample points for the
 * sensitivity methods.
 *
 * The points are cut into fixed blocks of LC_SENS_BLOCK (a partition that
 * does not depend on the thread count); OpenMP hands whole blocks to
 * threads.  Each block is passed to the point-list kernel as structure of
 * arrays: a factor's input points at that factor's column (stride 1), a
 * catalogue GPU factor fills four per-point columns (flops, hbm_bw, power_w,
 * price_hour) from its choice index, the spec's rules (tokens = 20 * params,
 * util_infer = util) get derived columns, every other input is the fixed
 * value with stride 0.  The outputs are then computed by grid's block step
 * lc_outs_block: the kernel's built-in outputs, then the [formulas] over the
 * block in dependency order.  Every ISA path of the kernel gives the bits of
 * the scalar reference lc_model_eval (kernel.h; with formulas one point at a
 * time after it, lc_outs_block_reference), so the choice of path never
 * changes a result.  With p->mpi each MPI rank evaluates a contiguous range
 * of the same blocks and the outputs are gathered (sens_mpi.c).
 */
#include "sensitivity/sensitivity.h"
#include "grid/grid.h"
#include "kernel/kernel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "sensitivity/sens_internal.h"

int lc_sens_threads(const lc_sens_problem *p)
{
    return p->threads > 0 ? p->threads : omp_get_max_threads();
}

/* The scalar reference, point by point (lc_outs_block_reference): the
 * tests compare the kernel path with it (lc_sens_eval_reference). */
static int use_reference;

void lc_sens_eval_reference(int on)
{
    use_reference = on;
}

lc_status lc_sens_outs_plan(const lc_sens_problem *p, lc_outs_plan *q, lc_diag *d)
{
    return lc_outs_plan_init(q, p->model ? NULL : p->fs, p->outs, p->n_outs, d);
}

size_t lc_sens_scratch(const lc_outs_plan *q)
{
    return lc_outs_plan_scratch(q, LC_SENS_BLOCK);
}

void lc_sens_eval_block(const lc_sens_problem *p, const lc_outs_plan *q, const double *fixed,
                        lc_points_fn points, int gpu_f, const double *const *xb, size_t m,
                        double *ws, double *const *yb)
{
    int k = p->k;
    double gcol[LC_GPU_INPUTS][LC_SENS_BLOCK], rbuf[LC_RULE_COUNT * LC_SENS_BLOCK];
    lc_block_in in;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        in.in[i] = &fixed[i];
        in.stride[i] = 0;
    }
    if (gpu_f >= 0) {   /* the GPU's numbers, unless an input has its own factor */
        const lc_dist *t = &p->factors[gpu_f];
        for (size_t j = 0; j < m; j++) {
            int gi = (int)xb[gpu_f][j];
            gi = gi < 0 ? 0 : (gi >= t->n_choices ? t->n_choices - 1 : gi);
            for (int c = 0; c < LC_GPU_INPUTS; c++)
                gcol[c][j] = isnan(t->gpu[gi].v[c]) ? fixed[lc_gpu_inputs[c]] /* not stated */
                                                    : t->gpu[gi].v[c];
        }
        for (int c = 0; c < LC_GPU_INPUTS; c++)
            if (!(p->gpu_pinned & LC_BIT(lc_gpu_inputs[c]))) {   /* [inputs] wins */
                in.in[lc_gpu_inputs[c]] = gcol[c];
                in.stride[lc_gpu_inputs[c]] = 1;
            }
    }
    double acol[LC_ARCH_FIELDS][LC_SENS_BLOCK];
    for (int f = 0; f < k; f++) {   /* an architecture: the inputs it sets */
        const lc_dist *t = &p->factors[f];
        if (t->input != LC_FACTOR_ARCH)
            continue;
        for (int c = 0; c < LC_ARCH_FIELDS; c++) {
            int i = t->arch_input[c];
            if (i < 0 || (p->arch_pinned & LC_BIT(i)))   /* [inputs] wins */
                continue;
            for (size_t j = 0; j < m; j++) {
                int ai = (int)xb[f][j];
                ai = ai < 0 ? 0 : (ai >= t->n_choices ? t->n_choices - 1 : ai);
                acol[c][j] = t->arch[ai][c];
            }
            in.in[i] = acol[c];
            in.stride[i] = 1;
        }
    }
    for (int f = 0; f < k; f++)   /* a factor of the input itself wins */
        if (p->factors[f].input >= 0) {
            in.in[p->factors[f].input] = xb[f];
            in.stride[p->factors[f].input] = 1;
        }
    lc_rules_apply_block(lc_sens_rules(p), in.in, in.stride, m, rbuf);
    if (points)
        lc_outs_block(q, points, &in, m, LC_SENS_BLOCK, ws, yb);
    else
        lc_outs_block_reference(q, &in, m, yb);
}

lc_status lc_sens_eval_share(const lc_sens_problem *p, const double *const *x, size_t n,
                             double *const *y, lc_diag *d)
{
    const lc_kernel *kern = NULL;
    lc_points_fn points = NULL; /* the reference */
    if (!p->model && !use_reference) {
        /* the vectorized point-list kernel (best ISA, or LLMCOST_ISA) */
        lc_status st = lc_kernel_select(NULL, &kern, d);
        if (st != LC_OK)
            return st;
        points = kern->points;
    }
    lc_outs_plan q;
    lc_status st = lc_sens_outs_plan(p, &q, d);
    if (st != LC_OK)
        return st;
    int k = p->k, no = p->n_outs, nt = lc_sens_threads(p), failed = 0;
    size_t nblocks = (n + LC_SENS_BLOCK - 1) / LC_SENS_BLOCK, scratch = lc_sens_scratch(&q);
    /* MPI: this rank's blocks only - the units of lc_sens_part, so the
     * gather below finds them where it expects */
    uint64_t b_first, b_last;
    lc_partition(nblocks, (uint64_t)lc_sens_ranks(p), (uint64_t)lc_sens_rank(p), &b_first, &b_last);
    int gpu_f = -1;
    for (int f = 0; f < k; f++)
        if (p->factors[f].input == LC_FACTOR_GPU)
            gpu_f = f;

#pragma omp parallel num_threads(nt) reduction(| : failed)
    {
        /* the formulas' scratch (none without formulas) */
        double *ws = scratch ? malloc(scratch * sizeof *ws) : NULL;
        if (scratch && !ws)
            failed = 1;
#pragma omp for schedule(static)
        for (size_t b = (size_t)b_first; b < (size_t)b_last; b++) {
            if (scratch && !ws)
                continue;
            size_t j0 = b * LC_SENS_BLOCK, m = n - j0 < LC_SENS_BLOCK ? n - j0 : LC_SENS_BLOCK;
            const double *xb[LC_SENS_MAX_FACTORS];
            double *yb[LC_OUT_MAX];
            for (int f = 0; f < k; f++)
                xb[f] = x[f] + j0;
            for (int o = 0; o < no; o++)
                yb[o] = y[o] + j0;
            if (p->model) {
                p->model(p->model_ctx, xb, m, no, yb);
                continue;
            }
            lc_sens_eval_block(p, &q, p->fixed, points, gpu_f, xb, m, ws, yb);
        }
        free(ws);
    }
    /* every rank gives up together: none is left waiting in a gather */
    if (lc_sens_any(p, failed))
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory for the formulas' scratch");
    return LC_OK;
}

lc_status lc_sens_eval_points(const lc_sens_problem *p, const double *const *x,
                              size_t n, double *const *y, lc_diag *d)
{
    lc_status st = lc_sens_eval_share(p, x, n, y, d);
    if (st != LC_OK)
        return st;
    return lc_sens_gather_rows(p, y, (size_t)p->n_outs, n, LC_SENS_BLOCK, d);
}
