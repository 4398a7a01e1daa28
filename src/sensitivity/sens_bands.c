/*
 * sens_bands.c - uncertainty bands on a sweep: for every grid cell of the
 * chosen outputs, the percentiles (and mean, sd, share without a finite
 * value) of the output over the samples of the spec's distributed inputs.
 *
 * Common random numbers: the samples are drawn once (lc_sens_bands_samples:
 * the Monte Carlo stream of the seed, the same numbers `llmcost sensitivity
 * --method mc` draws from the same spec) and every cell sees all of them,
 * so the difference between two cells is the model's, not the sampling's.
 *
 * The work: a cell's axis inputs are constants (stride 0), the factors are
 * the sample columns (stride 1), so one cell is a point list of `samples`
 * points for the kernel's point-list path (lc_sens_eval_block, the blocks of
 * the sensitivity methods; a user formula of [formulas] after the kernel
 * outputs it uses, as a sweep evaluates it).  The percentiles are exact order statistics
 * found by selection (quickselect, expected O(samples) per percentile, not a
 * sort), interpolated as numpy's default ("linear").  OpenMP splits the
 * cells; each cell's numbers come from its own samples in index order, so
 * the bits do not depend on the thread count.
 *
 * Memory is bounded: the writer (src/h5/h5_bands.c) tiles an output's
 * sub-grid (the axes it depends on) into boxes of about 1 MiB of results
 * and asks lc_sens_bands_box for each; nothing here touches the file.
 */
#include "sensitivity/sensitivity.h"
#include "grid/grid.h"
#include "kernel/kernel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "sensitivity/sens_internal.h"

lc_status lc_sens_bands_samples(const lc_sens_problem *p, double **xs, lc_diag *d)
{
    size_t n = p->samples;
    double *x = malloc(sizeof(double) * n * (size_t)p->k);
    if (!x)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "uncertainty: out of memory for the samples");
    lc_status st = lc_sens_mc_draw(p, x, d);
    if (st != LC_OK) {
        free(x);
        return st;
    }
    for (int f = 0; f < p->k; f++)
        xs[f] = x + (size_t)f * n;
    return LC_OK;
}

void lc_sens_bands_fix_spec(const lc_sens_problem *p, lc_spec *s)
{
    for (int f = 0; f < p->k; f++) {
        const lc_dist *t = &p->factors[f];
        if (t->input >= 0) {
            s->fixed[t->input] = t->base;
        } else if (t->input == LC_FACTOR_GPU) {
            int g = (int)t->base;
            for (int c = 0; c < LC_GPU_INPUTS; c++)
                if (!(p->gpu_pinned & LC_BIT(lc_gpu_inputs[c])) && !isnan(t->gpu[g].v[c]))
                    s->fixed[lc_gpu_inputs[c]] = t->gpu[g].v[c];
        } else if (t->input == LC_FACTOR_ARCH) {
            int r = (int)t->base;
            for (int c = 0; c < LC_ARCH_FIELDS; c++)
                if (t->arch_input[c] >= 0 && !(p->arch_pinned & LC_BIT(t->arch_input[c])))
                    s->fixed[t->arch_input[c]] = t->arch[r][c];
        }
    }
}

/* ---- exact percentiles by selection ---------------------------------------- */
static void swapd(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Rearrange a[lo..hi) so that a[k] is its (k - lo)-th smallest, with
 * nothing larger before it and nothing smaller after it (Hoare's
 * FIND with a median-of-three pivot moved to the front, which keeps both
 * parts of every partition non-empty). */
static void select_nth(double *a, size_t lo, size_t hi, size_t k)
{
    while (hi - lo > 16) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo])
            swapd(&a[mid], &a[lo]);
        if (a[hi - 1] < a[lo])
            swapd(&a[hi - 1], &a[lo]);
        if (a[hi - 1] < a[mid])
            swapd(&a[hi - 1], &a[mid]);
        swapd(&a[lo], &a[mid]);   /* the median of the three as the pivot */
        double x = a[lo];
        size_t i = lo, j = hi;
        for (;;) {
            do
                i++;
            while (i < hi && a[i] < x);
            do
                j--;
            while (a[j] > x);
            if (i >= j)
                break;
            swapd(&a[i], &a[j]);
        }
        swapd(&a[lo], &a[j]);   /* the pivot to its place j */
        if (k == j)
            return;
        if (k < j)
            hi = j;
        else
            lo = j + 1;
    }
    for (size_t i = lo + 1; i < hi; i++) {   /* a short run: insertion sort */
        double v = a[i];
        size_t j = i;
        while (j > lo && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* numpy's "linear" percentiles (type 7) of the m values v (reordered) at
 * pcts[0..np) ascending: order statistics by successive selection on the
 * part right of the last one found. */
static void percentiles(double *v, size_t m, const double *pcts, int np, double *out)
{
    if (m == 0) {
        for (int q = 0; q < np; q++)
            out[q] = NAN;
        return;
    }
    /* v[i] for i in `fixed` positions (done - 2, done - 1) is the i-th
     * smallest; everything from done on is >= them */
    size_t done = 0;
    for (int q = 0; q < np; q++) {
        double h = (double)(m - 1) * (pcts[q] / 100.0);
        size_t lo = (size_t)floor(h);
        if (lo > m - 1)
            lo = m - 1;
        for (size_t want = lo; want <= lo + 1 && want < m; want++)   /* v[lo], v[lo + 1] */
            if (want >= done) {
                select_nth(v, done, m, want);
                done = want + 1;
            }
        double t = h - (double)lo;
        if (lo + 1 >= m || t == 0.0) {
            out[q] = v[lo];
        } else {
            double a = v[lo], b = v[lo + 1], diff = b - a;
            out[q] = t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;   /* numpy's _lerp */
        }
    }
}

/* ---- one output's cells ----------------------------------------------------- */
void lc_sens_subgrid_of(const lc_spec *s, int output, lc_sens_subgrid *g)
{
    uint32_t mask = lc_spec_output_axes(s, output);
    g->rank = 0;
    for (int a = 0; a < s->n_axes; a++)
        if (mask & (1u << a)) {
            g->axis[g->rank] = a;
            g->dims[g->rank++] = s->axes[a].n;
        }
}

/* The inputs at one cell: the fixed values, the axis values over them. */
static void cell_inputs(const lc_spec *s, const lc_sens_problem *p, const lc_sens_subgrid *g,
                        const uint64_t *coord, double *fixed)
{
    memcpy(fixed, p->fixed, sizeof(double) * LC_IN_COUNT);
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = s->axis_of_input[i];
        if (a < 0)
            continue;
        int r = -1;
        for (int j = 0; j < g->rank; j++)
            if (g->axis[j] == a)
                r = j;
        if (r < 0)   /* an axis this output does not depend on */
            continue;
        const lc_axis *ax = &s->axes[a];
        uint64_t c = coord[r];
        int b = s->axis2_of_input[i];
        if (b >= 0 && ax->cross[i]) { /* a price_date table over (date, b) */
            int rb = -1;
            for (int j = 0; j < g->rank; j++)
                if (g->axis[j] == b)
                    rb = j;
            fixed[i] = ax->cross[i][c * s->axes[b].n + (rb < 0 ? 0 : coord[rb])];
            continue;
        }
        if (ax->input < 0 && ax->gpu) {   /* the gpu axis: its GPU inputs */
            for (int k = 0; k < LC_GPU_INPUTS; k++)
                if (lc_gpu_inputs[k] == i)
                    fixed[i] = ax->gpu[c].v[k];
        } else if (ax->input < 0 && ax->set_vals) {   /* api, price_date, arch axes */
            fixed[i] = ax->set_vals[c * LC_IN_COUNT + (uint64_t)i];
        } else {
            fixed[i] = ax->values[c];
        }
    }
}

/* The cells of the box (origin, extent) of output o's sub-grid, row-major;
 * origin NULL: the flat cells [first, first + n) instead. */
static lc_status bands_box(const lc_sens_problem *p, const lc_spec *s, int o,
                           const double *const *xs, const lc_sens_subgrid *g, const uint64_t *origin,
                           const uint64_t *extent, uint64_t first, uint64_t n, double *pct,
                           double *mean, double *sd, double *nan_share, lc_diag *d)
{
    const lc_kernel *kern;
    lc_status st = lc_kernel_select(NULL, &kern, d);
    if (st != LC_OK)
        return st;
    lc_sens_problem *q = malloc(sizeof *q);   /* the problem of this output alone */
    if (!q)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "uncertainty: out of memory");
    memcpy(q, p, sizeof *q);
    q->outs[0] = p->outs[o];
    q->n_outs = 1;
    /* an axis gives a GPU input: a gpu factor leaves it alone */
    for (int i = 0; i < LC_IN_COUNT; i++)
        if (s->axis_of_input[i] >= 0) {
            q->gpu_pinned |= LC_BIT(i);
            q->arch_pinned |= LC_BIT(i);
        }
    int gpu_f = -1;
    for (int f = 0; f < p->k; f++)
        if (p->factors[f].input == LC_FACTOR_GPU)
            gpu_f = f;
    uint64_t ncell = 1;
    for (int r = 0; origin && r < g->rank; r++)
        ncell *= extent[r];
    if (!origin)
        ncell = n;
    size_t S = p->samples;
    int np = p->n_pcts, nt = lc_sens_threads(p), fail = 0;
    lc_outs_plan plan;   /* the output, or a formula after what it uses */
    if ((st = lc_sens_outs_plan(q, &plan, d)) != LC_OK) {
        free(q);
        return st;
    }
    size_t scratch = lc_sens_scratch(&plan);

#pragma omp parallel num_threads(nt)
    {
        double *y = malloc(sizeof(double) * (S ? S : 1));
        double *ws = scratch ? malloc(sizeof(double) * scratch) : NULL;
        double fixed[LC_IN_COUNT];
        if (!y || (scratch && !ws)) {
#pragma omp atomic write
            fail = 1;
        }
#pragma omp for schedule(static)
        for (uint64_t c = 0; c < ncell; c++) {
            if (!y || (scratch && !ws))
                continue;
            uint64_t coord[LC_MAX_AXES], rem = c;
            if (origin) {
                for (int r = g->rank - 1; r >= 0; r--) {
                    coord[r] = origin[r] + rem % extent[r];
                    rem /= extent[r];
                }
            } else {
                lc_grid_unflat(g->dims, g->rank, first + c, coord);
            }
            cell_inputs(s, q, g, coord, fixed);
            for (size_t j0 = 0; j0 < S; j0 += LC_SENS_BLOCK) {
                size_t m = S - j0 < LC_SENS_BLOCK ? S - j0 : LC_SENS_BLOCK;
                const double *xb[LC_SENS_MAX_FACTORS];
                double *yb[1] = {y + j0};
                for (int f = 0; f < q->k; f++)
                    xb[f] = xs[f] + j0;
                lc_sens_eval_block(q, &plan, fixed, kern->points, gpu_f, xb, m, ws, yb);
            }
            /* the finite values, packed to the front in sample order */
            size_t mf = 0;
            double sum = 0.0;
            for (size_t j = 0; j < S; j++)
                if (isfinite(y[j])) {
                    sum += y[j];
                    y[mf++] = y[j];
                }
            double mu = mf ? sum / (double)mf : NAN, ss = 0.0;
            for (size_t j = 0; j < mf; j++)
                ss += (y[j] - mu) * (y[j] - mu);
            if (mean)
                mean[c] = mu;
            if (sd)
                sd[c] = mf > 1 ? sqrt(ss / (double)(mf - 1)) : NAN;
            if (nan_share)
                nan_share[c] = (double)(S - mf) / (double)S;
            if (pct)
                percentiles(y, mf, p->pcts, np, pct + c * (uint64_t)np);
        }
        free(y);
        free(ws);
    }
    free(q);
    if (fail)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "uncertainty: out of memory");
    return LC_OK;
}

lc_status lc_sens_bands_cells(const lc_sens_problem *p, const lc_spec *s, int o,
                              const double *const *xs, uint64_t first, uint64_t n,
                              double *pct, double *mean, double *sd, double *nan_share,
                              lc_diag *d)
{
    lc_sens_subgrid g;
    lc_sens_subgrid_of(s, p->outs[o], &g);
    uint64_t total = 1;
    for (int r = 0; r < g.rank; r++)
        total *= g.dims[r];
    if (first > total || n > total - first)
        return lc_diag_set(d, LC_ERANGE, NULL, 0, "uncertainty: cells [%llu, %llu) outside "
                           "the %llu cells of %s", (unsigned long long)first,
                           (unsigned long long)(first + n), (unsigned long long)total,
                           lc_sens_output_name(p, o));
    return bands_box(p, s, o, xs, &g, NULL, NULL, first, n, pct, mean, sd, nan_share, d);
}

lc_status lc_sens_bands_box(const lc_sens_problem *p, const lc_spec *s, int o,
                            const double *const *xs, const uint64_t *origin,
                            const uint64_t *extent, double *pct, double *mean, double *sd,
                            double *nan_share, lc_diag *d)
{
    lc_sens_subgrid g;
    lc_sens_subgrid_of(s, p->outs[o], &g);
    return bands_box(p, s, o, xs, &g, origin, extent, 0, 0, pct, mean, sd, nan_share, d);
}
