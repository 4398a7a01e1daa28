/*
 * h5_bands.c - add the uncertainty bands of a sweep to its file
 * (lc_sens_bands_write, h5_bands.h): per chosen output, OUTPUT_pct (the
 * percentiles over the uncertain inputs, a "percentile" dimension scale
 * last), OUTPUT_mean, OUTPUT_sd and OUTPUT_nan_share over the output's own
 * axes, computed tile by tile (about 1 MiB of percentiles) by
 * lc_sens_bands_box (src/sensitivity/); the "bands" attribute of the
 * percentile scale is written last, so a file without it holds the bands
 * of an interrupted run.
 *
 * In a netCDF-4 classic model file (lc_h5w_classic: the sweep was written
 * with netcdf = classic) the same datasets in the classic forms: text
 * attributes and the counts through h5_write.c's writers (fixed-length
 * text, "samples" and "seed" float64), the percentile scale with the next
 * netCDF dimension id (lc_h5w_nc_dimension), and the stored samples, which
 * cannot be a group there, as root datasets "uncertainty_<input>" over a
 * "sample" dimension without a variable.  Any other file keeps the layout
 * it always had (H5LT's fixed-length ASCII text, uint64 counts, the
 * /uncertainty group).
 */
#include "h5/h5_bands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#include <omp.h>

#include "grid/grid.h"
#include "h5/h5_write.h"

#define TILE_BYTES (1u << 20)

/* A float64 dataset; in a classic file its attributes in creation order,
 * as netCDF-C (and lc_h5w_create) writes them, so ncdump lists them in the
 * order written (elsewhere the layout bands always had). */
static hid_t make_ds(int cls, hid_t f, const char *name, int rank, const hsize_t *dims)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL), p = cls ? H5Pcreate(H5P_DATASET_CREATE) : H5P_DEFAULT;
    hid_t ds = -1;
    if (sp >= 0 && p >= 0 &&
        (!cls || H5Pset_attr_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0))
        ds = H5Dcreate2(f, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, p, H5P_DEFAULT);
    if (cls && p >= 0)
        H5Pclose(p);
    if (sp >= 0)
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

static int attach_axes(hid_t f, hid_t ds, const lc_spec *s, const lc_sens_subgrid *g)
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

static int str_attr(int cls, hid_t ds, const char *name, const char *v)
{
    return cls ? lc_h5w_attr_str(ds, name, v) : H5LTset_attribute_string(ds, ".", name, v) >= 0;
}

#define SAMPLES_PREFIX "uncertainty_"   /* classic: the stored samples */
static const char *const suffix[4] = {"_pct", "_mean", "_sd", "_nan_share"};

/* 1 when the bands of p add a root object NAME to a file (cls: classic). */
static int band_name(const lc_sens_problem *p, int cls, const char *name)
{
    char x[LC_NAME_MAX + 32];
    int hit = !strcmp(name, "percentile") || (p->store_samples && !strcmp(name, cls ? "sample" : "uncertainty"));
    for (int o = 0; o < p->n_outs && !hit; o++)
        for (int v = 0; v < 4 && !hit; v++) {
            snprintf(x, sizeof x, "%s%s", lc_sens_output_info(p, o)->name, suffix[v]);
            hit = !strcmp(name, x);
        }
    for (int fi = 0; cls && p->store_samples && fi < p->k && !hit; fi++) {
        snprintf(x, sizeof x, SAMPLES_PREFIX "%s", p->factors[fi].name);
        hit = !strcmp(name, x);
    }
    return hit;
}

lc_status lc_sens_bands_check_names(const lc_sens_problem *p, const lc_spec *s, lc_diag *d)
{
    for (int k = 0; k < s->n_store; k++) {
        if (s->store[k] < LC_OUT_COUNT)
            continue;
        const lc_formula *fm = &s->formulas.f[s->store[k] - LC_OUT_COUNT];
        if (band_name(p, s->nc_classic, fm->name))
            return lc_diag_set(d, LC_EINVAL, s->path, fm->line,
                               "[formulas]: '%s' is a name the [uncertainty] bands take in the "
                               "file (percentile, OUTPUT_pct/_mean/_sd/_nan_share, %s): rename "
                               "the formula", fm->name,
                               s->nc_classic ? "the stored samples' sample and uncertainty_<input>"
                                             : "the stored samples' group uncertainty");
    }
    return LC_OK;
}

/* Classic, store_samples: the root names the samples take must be free
 * (checked before any band is computed). */
static lc_status classic_names_free(hid_t f, const lc_sens_problem *p, const char *path, lc_diag *d)
{
    for (int fi = -1; fi < p->k; fi++) {
        char name[LC_NAME_MAX + sizeof SAMPLES_PREFIX];
        snprintf(name, sizeof name, "%s%s", fi < 0 ? "" : SAMPLES_PREFIX, fi < 0 ? "sample" : p->factors[fi].name);
        if (H5Lexists(f, name, H5P_DEFAULT) > 0)
            return lc_diag_set(d, LC_EEXIST, path, 0,
                               "uncertainty: %s already has '%s', where the netCDF-4 classic "
                               "model stores the samples (store_samples: root datasets "
                               SAMPLES_PREFIX "<input> over a 'sample' dimension)", path, name);
    }
    return LC_OK;
}

/* Classic, store_samples: each factor's samples as a root dataset
 * uncertainty_<input> over the "sample" dimension (no groups there). */
static int write_samples_classic(hid_t f, const lc_sens_problem *p, double *const *xs)
{
    hsize_t n = (hsize_t)p->samples;
    hid_t sc = (hid_t)lc_h5w_dim_without_variable(f, "sample", p->samples);
    int ok = sc >= 0 && lc_h5w_nc_dimension(sc);
    for (int fi = 0; fi < p->k && ok; fi++) {
        char name[LC_NAME_MAX + sizeof SAMPLES_PREFIX], ln[LC_NAME_MAX + 96];
        snprintf(name, sizeof name, SAMPLES_PREFIX "%s", p->factors[fi].name);
        snprintf(ln, sizeof ln, "samples of the uncertain input %s (the bands' common random numbers)",
                 p->factors[fi].name);
        hid_t ds = make_ds(1, f, name, 1, &n);
        ok = ds >= 0 && H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, xs[fi]) >= 0 &&
             H5DSattach_scale(ds, sc, 0) >= 0 && lc_h5w_attr_str(ds, "long_name", ln) &&
             lc_h5w_attr_u64v(ds, "seed", &p->seed, 1);
        if (ds >= 0)
            H5Dclose(ds);
    }
    if (sc >= 0)
        H5Dclose(sc);
    return ok;
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
        return lc_h5_fail(d, path, "opening the sweep file");
    }
    int np = p->n_pcts, cls = lc_h5w_classic(f);
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
    if (cls && p->store_samples && (st = classic_names_free(f, p, path, d)) != LC_OK)
        goto out;
    {
        hsize_t n = (hsize_t)np;
        pds = make_ds(cls, f, "percentile", 1, &n);
        if (pds < 0 || H5Dwrite(pds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, p->pcts) < 0 ||
            H5DSset_scale(pds, "percentile") < 0 || !lc_h5w_nc_dimension(pds) ||
            !str_attr(cls, pds, "units", "percent") ||
            !str_attr(cls, pds, "long_name", "percentile over the uncertain inputs")) {
            st = lc_h5_fail(d, path, "writing the percentile scale");
            goto out;
        }
    }
    for (int o = 0; o < p->n_outs && st == LC_OK; o++) {
        const lc_output_info *oi = lc_sens_output_info(p, o);
        char of[200]; /* what the band is of: a formula by its name */
        if (oi->node < 0)
            snprintf(of, sizeof of, "the user formula %s", oi->name);
        else
            snprintf(of, sizeof of, "%s", oi->long_name);
        lc_sens_subgrid g;
        lc_sens_subgrid_of(s, p->outs[o], &g);
        hsize_t dims[LC_MAX_AXES + 1];
        for (int r = 0; r < g.rank; r++)
            dims[r] = g.dims[r];
        dims[g.rank] = (hsize_t)np;
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
            ds[v] = make_ds(cls, f, name, v == 0 ? g.rank + 1 : g.rank, dims);
            static const char *const what[4] = {"percentiles", "mean", "standard deviation",
                                                "share of samples without a finite value"};
            snprintf(ln, sizeof ln, "%s of %s over %zu samples of the uncertain inputs", what[v],
                     of, p->samples);
            ok = ds[v] >= 0 && attach_axes(f, ds[v], s, &g) &&
                 (v != 0 || H5DSattach_scale(ds[v], pds, (unsigned)g.rank) >= 0) &&
                 str_attr(cls, ds[v], "units", v == 3 ? "1" : oi->unit) &&
                 str_attr(cls, ds[v], "long_name", ln) &&
                 lc_h5w_attr_u64v(ds[v], "samples", (const uint64_t[]){p->samples}, 1) &&
                 lc_h5w_attr_u64v(ds[v], "seed", &p->seed, 1);
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
                    if ((st = lc_sens_bands_box(p, s, o, (const double *const *)xs, origin,
                                                extent, pc, mn, sdv, ns, d)) != LC_OK) {
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
                        st = lc_h5_fail(d, path, "writing a band");
                        ok = 0;
                    }
                    stats->cells += nc;
                    stats->evaluations += nc * (uint64_t)p->samples;
                }
            }
        } else if (st == LC_OK) {
            st = lc_h5_fail(d, path, "creating the band datasets");
        }
        for (int v = 0; v < 4; v++)
            if (ds[v] >= 0)
                H5Dclose(ds[v]);
    }
    if (st == LC_OK && p->store_samples && cls) {
        if (!write_samples_classic(f, p, xs))
            st = lc_h5_fail(d, path, "writing the samples");
    } else if (st == LC_OK && p->store_samples) {   /* the samples, for peers */
        hid_t g = H5Gcreate2(f, "uncertainty", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        hsize_t n = (hsize_t)p->samples;
        int ok = g >= 0;
        for (int fi = 0; fi < p->k && ok; fi++)
            ok = H5LTmake_dataset_double(g, p->factors[fi].name, 1, &n, xs[fi]) >= 0;
        ok = ok && lc_h5w_attr_u64v(g, "seed", &p->seed, 1);
        if (g >= 0)
            H5Gclose(g);
        if (!ok)
            st = lc_h5_fail(d, path, "writing the samples");
    }
    if (st == LC_OK && !str_attr(cls, pds, "bands", "complete"))
        st = lc_h5_fail(d, path, "marking the bands complete");
out:
    if (pds >= 0)
        H5Dclose(pds);
    if (H5Fclose(f) < 0 && st == LC_OK)
        st = lc_h5_fail(d, path, "closing the sweep file");
    free(buf);
    free(xs[0]);
    stats->seconds = omp_get_wtime() - t0;
    return st;
}
