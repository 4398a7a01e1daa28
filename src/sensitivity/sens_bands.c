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
 * the sensitivity methods).  The percentiles are exact order statistics
 * found by selection (quickselect, expected O(samples) per percentile, not a
 * sort), interpolated as numpy's default ("linear").  OpenMP splits the
 * cells; each cell's numbers come from its own samples in index order, so
 * the bits do not depend on the thread count.
 *
 * Memory is bounded: an output's sub-grid (the axes it depends on) is tiled
 * (grid.h) into boxes of about 1 MiB of results; each box is computed and
 * written as one hyperslab of NAME_pct (axes..., percentile), NAME_mean,
 * NAME_sd and NAME_nan_share, with the sweep's axis datasets attached as
 * dimension scales (xarray reads them like the stored outputs).
 */
#include "llmcost/sensitivity.h"
#include "llmcost/grid.h"
#include "llmcost/h5file.h"
#include "llmcost/kernel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#include <omp.h>

#include "sensitivity/sens_internal.h"

#define TILE_BYTES (1u << 20)

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
                if (!(p->gpu_pinned & LC_BIT(lc_gpu_inputs[c])))
                    s->fixed[lc_gpu_inputs[c]] = t->gpu[g].v[c];
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
typedef struct {
    int rank;                         /* axes the output depends on */
    int axis[LC_MAX_AXES];            /* their spec axis indices */
    uint64_t dims[LC_MAX_AXES];
} subgrid;

static void subgrid_of(const lc_spec *s, int output, subgrid *g)
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
static void cell_inputs(const lc_spec *s, const lc_sens_problem *p, const subgrid *g,
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
        if (ax->input < 0) {   /* the gpu axis: its GPU inputs */
            for (int k = 0; k < LC_GPU_INPUTS; k++)
                if (lc_gpu_inputs[k] == i)
                    fixed[i] = ax->gpu[c].v[k];
        } else {
            fixed[i] = ax->values[c];
        }
    }
}

/* The cells of the box (origin, extent) of output o's sub-grid, row-major;
 * origin NULL: the flat cells [first, first + n) instead. */
static lc_status bands_box(const lc_sens_problem *p, const lc_spec *s, int o,
                           const double *const *xs, const subgrid *g, const uint64_t *origin,
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
        if (s->axis_of_input[i] >= 0)
            q->gpu_pinned |= LC_BIT(i);
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

#pragma omp parallel num_threads(nt)
    {
        double *y = malloc(sizeof(double) * (S ? S : 1));
        double fixed[LC_IN_COUNT];
        if (!y) {
#pragma omp atomic write
            fail = 1;
        }
#pragma omp for schedule(static)
        for (uint64_t c = 0; c < ncell; c++) {
            if (!y)
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
                lc_sens_eval_block(q, fixed, kern->points, gpu_f, xb, m, yb);
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
    subgrid g;
    subgrid_of(s, p->outs[o], &g);
    uint64_t total = 1;
    for (int r = 0; r < g.rank; r++)
        total *= g.dims[r];
    if (first > total || n > total - first)
        return lc_diag_set(d, LC_ERANGE, NULL, 0, "uncertainty: cells [%llu, %llu) outside "
                           "the %llu cells of %s", (unsigned long long)first,
                           (unsigned long long)(first + n), (unsigned long long)total,
                           lc_outputs[p->outs[o]].name);
    return bands_box(p, s, o, xs, &g, NULL, NULL, first, n, pct, mean, sd, nan_share, d);
}

/* ---- HDF5 ------------------------------------------------------------------- */
static lc_status h5err(lc_diag *d, const char *path, const char *what)
{
    char e[160];
    lc_h5_error_text(e, sizeof e);
    return lc_diag_set(d, LC_EHDF5, path, 0, "uncertainty: %s failed%s%s", what,
                       e[0] ? ": " : "", e);
}

static hid_t make_ds(hid_t f, const char *name, int rank, const hsize_t *dims)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0)
        return -1;
    hid_t ds = H5Dcreate2(f, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    return ds;
}

static int write_box(hid_t ds, int rank, const hsize_t *off, const hsize_t *cnt, const double *v)
{
    hid_t fs = H5Dget_space(ds), ms = H5Screate_simple(rank ? rank : 1, rank ? cnt : (hsize_t[]){1}, NULL);
    int ok = fs >= 0 && ms >= 0 &&
             (rank == 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) >= 0) &&
             H5Dwrite(ds, H5T_NATIVE_DOUBLE, ms, rank == 0 ? H5S_ALL : fs, H5P_DEFAULT, v) >= 0;
    if (fs >= 0)
        H5Sclose(fs);
    if (ms >= 0)
        H5Sclose(ms);
    return ok;
}

static int attach_axes(hid_t f, hid_t ds, const lc_spec *s, const subgrid *g)
{
    for (int r = 0; r < g->rank; r++) {
        hid_t sc = H5Dopen2(f, s->axes[g->axis[r]].name, H5P_DEFAULT);
        int ok = sc >= 0 && H5DSattach_scale(ds, sc, (unsigned)r) >= 0;
        if (sc >= 0)
            H5Dclose(sc);
        if (!ok)
            return 0;
    }
    return 1;
}

static int str_attr(hid_t ds, const char *name, const char *v)
{
    return H5LTset_attribute_string(ds, ".", name, v) >= 0;
}

lc_status lc_sens_bands_write(const lc_sens_problem *p, const lc_spec *s, const char *path,
                              lc_sens_bands_stats *stats, lc_diag *d)
{
    double t0 = omp_get_wtime();
    memset(stats, 0, sizeof *stats);
    lc_h5_quiet();
    double *xs[LC_SENS_MAX_FACTORS];
    lc_status st = lc_sens_bands_samples(p, xs, d);
    if (st != LC_OK)
        return st;
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0) {
        free(xs[0]);
        return h5err(d, path, "opening the sweep file");
    }
    int np = p->n_pcts;
    double *buf = NULL;
    hid_t pds = -1;
    st = LC_OK;
    /* the percentile dimension scale */
    if (H5Lexists(f, "percentile", H5P_DEFAULT) > 0) {
        /* the "bands" attribute is written last: without it a run died
         * while writing them */
        int done = H5Aexists_by_name(f, "percentile", "bands", H5P_DEFAULT) > 0;
        st = done ? lc_diag_set(d, LC_EEXIST, path, 0, "uncertainty: %s already holds bands", path)
                  : lc_diag_set(d, LC_EFORMAT, path, 0,
                                "uncertainty: %s holds the incomplete bands of an interrupted "
                                "run: run the sweep again with --force", path);
        goto out;
    }
    {
        hsize_t n = (hsize_t)np;
        pds = make_ds(f, "percentile", 1, &n);
        if (pds < 0 || H5Dwrite(pds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, p->pcts) < 0 ||
            H5DSset_scale(pds, "percentile") < 0 || !str_attr(pds, "units", "percent") ||
            !str_attr(pds, "long_name", "percentile over the uncertain inputs")) {
            st = h5err(d, path, "writing the percentile scale");
            goto out;
        }
    }
    for (int o = 0; o < p->n_outs && st == LC_OK; o++) {
        const lc_output_info *oi = &lc_outputs[p->outs[o]];
        subgrid g;
        subgrid_of(s, p->outs[o], &g);
        hsize_t dims[LC_MAX_AXES + 1];
        for (int r = 0; r < g.rank; r++)
            dims[r] = g.dims[r];
        dims[g.rank] = (hsize_t)np;
        static const char *const suffix[4] = {"_pct", "_mean", "_sd", "_nan_share"};
        hid_t ds[4] = {-1, -1, -1, -1};
        int ok = 1;
        for (int v = 0; v < 4 && ok; v++) {
            char name[LC_NAME_MAX + 16], ln[256];
            snprintf(name, sizeof name, "%s%s", oi->name, suffix[v]);
            if (H5Lexists(f, name, H5P_DEFAULT) > 0) {
                st = lc_diag_set(d, LC_EEXIST, path, 0, "uncertainty: %s already has '%s'",
                                 path, name);
                ok = 0;
                break;
            }
            ds[v] = make_ds(f, name, v == 0 ? g.rank + 1 : g.rank, dims);
            static const char *const what[4] = {"percentiles", "mean", "standard deviation",
                                                "share of samples without a finite value"};
            snprintf(ln, sizeof ln, "%s of %s over %zu samples of the uncertain inputs", what[v],
                     oi->long_name, p->samples);
            ok = ds[v] >= 0 && attach_axes(f, ds[v], s, &g) &&
                 (v != 0 || H5DSattach_scale(ds[v], pds, (unsigned)g.rank) >= 0) &&
                 str_attr(ds[v], "units", v == 3 ? "1" : oi->unit) &&
                 str_attr(ds[v], "long_name", ln) &&
                 H5LTset_attribute_ulong(ds[v], ".", "samples", (const unsigned long[]){p->samples}, 1) >= 0 &&
                 H5LTset_attribute_ulong(ds[v], ".", "seed", (const unsigned long[]){(unsigned long)p->seed}, 1) >= 0;
        }
        if (ok) {   /* tile the sub-grid: boxes of about TILE_BYTES of percentiles */
            lc_tiling t;
            if ((st = lc_tiling_init(&t, g.rank, g.dims, sizeof(double) * (size_t)np, TILE_BYTES, d)) != LC_OK) {
                ok = 0;
            } else {
                free(buf);
                buf = malloc(sizeof(double) * (size_t)t.chunk_points * (size_t)(np + 3));
                if (!buf) {
                    st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "uncertainty: out of memory");
                    ok = 0;
                }
                for (uint64_t c = 0; ok && c < t.n_chunks; c++) {
                    uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES];
                    lc_tiling_chunk(&t, c, origin, extent);
                    uint64_t nc = 1;
                    for (int r = 0; r < g.rank; r++)
                        nc *= extent[r];
                    double *pc = buf, *mn = buf + nc * (uint64_t)np, *sdv = mn + nc, *ns = sdv + nc;
                    if ((st = bands_box(p, s, o, (const double *const *)xs, &g, origin, extent,
                                        0, 0, pc, mn, sdv, ns, d)) != LC_OK) {
                        ok = 0;
                        break;
                    }
                    hsize_t off[LC_MAX_AXES + 1], cnt[LC_MAX_AXES + 1];
                    for (int r = 0; r < g.rank; r++) {
                        off[r] = origin[r];
                        cnt[r] = extent[r];
                    }
                    off[g.rank] = 0;
                    cnt[g.rank] = (hsize_t)np;
                    if (!write_box(ds[0], g.rank + 1, off, cnt, pc) ||
                        !write_box(ds[1], g.rank, off, cnt, mn) ||
                        !write_box(ds[2], g.rank, off, cnt, sdv) ||
                        !write_box(ds[3], g.rank, off, cnt, ns)) {
                        st = h5err(d, path, "writing a band");
                        ok = 0;
                    }
                    stats->cells += nc;
                    stats->evaluations += nc * (uint64_t)p->samples;
                }
            }
        } else if (st == LC_OK) {
            st = h5err(d, path, "creating the band datasets");
        }
        for (int v = 0; v < 4; v++)
            if (ds[v] >= 0)
                H5Dclose(ds[v]);
    }
    if (st == LC_OK && p->store_samples) {   /* the samples, for peers */
        hid_t g = H5Gcreate2(f, "uncertainty", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        hsize_t n = (hsize_t)p->samples;
        int ok = g >= 0;
        for (int fi = 0; fi < p->k && ok; fi++)
            ok = H5LTmake_dataset_double(g, p->factors[fi].name, 1, &n, xs[fi]) >= 0;
        ok = ok && H5LTset_attribute_ulong(g, ".", "seed", (const unsigned long[]){(unsigned long)p->seed}, 1) >= 0;
        if (g >= 0)
            H5Gclose(g);
        if (!ok)
            st = h5err(d, path, "writing the samples");
    }
    if (st == LC_OK && !str_attr(pds, "bands", "complete"))
        st = h5err(d, path, "marking the bands complete");
out:
    if (pds >= 0)
        H5Dclose(pds);
    if (H5Fclose(f) < 0 && st == LC_OK)
        st = h5err(d, path, "closing the sweep file");
    free(buf);
    free(xs[0]);
    stats->seconds = omp_get_wtime() - t0;
    return st;
}
