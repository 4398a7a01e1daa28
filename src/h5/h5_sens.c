/*
 * h5_sens.c - write a sensitivity result to HDF5.
 *
 * Layout (every array is float64 unless noted; o = output, f = factor):
 *   /factors, /outputs                 vlen UTF-8 names (the index order)
 *   /output_units[o], /output_formulas[o]  vlen UTF-8: each output's unit
 *       and formula text (a user formula of [formulas] as written)
 *   /mc/mean[o] sd[o] percentiles[o][p] percentile_levels[p]
 *       no_breakeven[o] (uint64: samples without a finite value)
 *   /tornado/base[o] y_low[o][f] y_high[o][f] swing[o][f] order[o][f] (int32)
 *       x_base[f] x_low[f] x_high[f]   (gpu: index into the choice list)
 *   /morris/mu_star[o][f] mu[o][f] sigma[o][f] effects[o][f] (int32)
 *   /sobol/S1 S1_low S1_high ST ST_low ST_high [o][f], variance[o],
 *       excluded_rows[o] (uint64), S2 S2_low S2_high [o][f][f] if computed,
 *       S1_se ST_se [o][f] (replicate standard errors, NaN with 1 replicate);
 *       attributes design ("owen" or "unscrambled"), replicates
 *   /samples/x[f][n] y[o][n] sample[n] only with store_samples
 * "factors" and "outputs" (copied into every group, since xarray opens one
 * group at a time), /mc/percentile_levels and /samples/sample are HDF5
 * dimension scales attached to every array, so netCDF tools and xarray
 * (xr.open_dataset(f, group="sobol").S1.sel(outputs="pretrain_cost")) see
 * labelled dimensions.
 * Root attributes: kind = "llmcost sensitivity", seed, samples, methods and
 * the spec's text; group attributes hold each method's settings.
 *
 * The file is written as PATH.partial and renamed when complete, so a
 * reader never sees half a result; an existing PATH needs force.
 */
#include "sensitivity/sensitivity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5/h5_read.h"

#define CHK(x)             \
    do {                   \
        if ((x) < 0)       \
            goto fail;     \
    } while (0)

static herr_t put_strings(hid_t loc, const char *name, const char *const *s, size_t n)
{
    hid_t ds = lc_h5_strings_create(loc, name, s, n, H5P_DEFAULT);
    return ds < 0 ? -1 : H5Dclose(ds);
}

/* A float64 dataset with a NaN fill value and the matching _FillValue
 * attribute (CF/netCDF), like every float output of a sweep file. */
static herr_t put_d(hid_t g, const char *name, int rank, const hsize_t *dims, const double *v)
{
    const double fill = NAN;
    hsize_t one = 1;
    herr_t rc = -1;
    hid_t sp = H5Screate_simple(rank, dims, NULL), p = H5Pcreate(H5P_DATASET_CREATE), ds = -1,
          asp = -1, a = -1;
    if (sp < 0 || p < 0 || H5Pset_fill_value(p, H5T_NATIVE_DOUBLE, &fill) < 0)
        goto out;
    if ((ds = H5Dcreate2(g, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, p, H5P_DEFAULT)) < 0 ||
        H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        goto out;
    if ((asp = H5Screate_simple(1, &one, NULL)) < 0 ||
        (a = H5Acreate2(ds, "_FillValue", H5T_IEEE_F64LE, asp, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        goto out;
    rc = H5Awrite(a, H5T_NATIVE_DOUBLE, &fill);
out:
    if (a >= 0)
        H5Aclose(a);
    if (asp >= 0)
        H5Sclose(asp);
    if (ds >= 0)
        H5Dclose(ds);
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

static herr_t put_i(hid_t g, const char *name, int rank, const hsize_t *dims, const int *v)
{
    return H5LTmake_dataset_int(g, name, rank, dims, v);
}

static herr_t put_u64(hid_t g, const char *name, hsize_t n, const size_t *v)
{
    unsigned long long buf[LC_OUT_MAX];
    if (n > LC_OUT_MAX)
        return -1;
    for (hsize_t i = 0; i < n; i++)
        buf[i] = v[i];
    return H5LTmake_dataset(g, name, 1, &n, H5T_NATIVE_ULLONG, buf);
}

/* Attach dimension scales to dataset `name` of g (up to 3 axes; -1: none),
 * so netCDF readers and xarray see named dimensions with labels. */
static herr_t dims(hid_t g, const char *name, hid_t s0, hid_t s1, hid_t s2)
{
    hid_t ds = H5Dopen2(g, name, H5P_DEFAULT);
    herr_t rc = ds < 0 ? -1 : 0;
    hid_t sc[3] = {s0, s1, s2};
    for (unsigned i = 0; i < 3 && rc >= 0; i++)
        if (sc[i] >= 0)
            rc = H5DSattach_scale(ds, sc[i], i);
    if (ds >= 0)
        H5Dclose(ds);
    return rc;
}

/* The group's own "factors" and "outputs" coordinates (copies of the
 * root's): xarray opens one group at a time and does not inherit them. */
static herr_t group_scales(hid_t g, const char *const *fn, int k, const char *const *on,
                           int no, hid_t *sf, hid_t *so)
{
    if (put_strings(g, "factors", fn, (size_t)k) < 0 || put_strings(g, "outputs", on, (size_t)no) < 0)
        return -1;
    if ((*sf = H5Dopen2(g, "factors", H5P_DEFAULT)) < 0 ||
        (*so = H5Dopen2(g, "outputs", H5P_DEFAULT)) < 0)
        return -1;
    if (H5DSset_scale(*sf, "factors") < 0 || H5DSset_scale(*so, "outputs") < 0)
        return -1;
    return 0;
}

static void close_scales(hid_t *sf, hid_t *so)
{
    if (*sf >= 0)
        H5Dclose(*sf);
    if (*so >= 0)
        H5Dclose(*so);
    *sf = *so = -1;
}

static herr_t attr_d(hid_t loc, const char *obj, const char *name, double v)
{
    return H5LTset_attribute_double(loc, obj, name, &v, 1);
}

lc_status lc_sens_write_h5(const lc_sens_problem *p, const lc_sens_result *r,
                           const char *path, int force, const char *spec_text,
                           lc_diag *d)
{
    char tmp[1100];
    int k = p->k, no = p->n_outs;
    if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp)
        return lc_diag_set(d, LC_EINVAL, path, 0, "output path too long");
    if (!force && access(path, F_OK) == 0)
        return lc_diag_set(d, LC_EEXIST, path, 0, "exists (use --force to overwrite)");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    /* PATH.partial is this writer's scratch name: a stale one (or a symbolic
     * link planted there) is removed, then the file is created with O_EXCL
     * so a link that appears meanwhile is never followed. */
    if (unlink(tmp) != 0 && errno != ENOENT)
        return lc_diag_set(d, LC_EIO, tmp, 0, "cannot remove: %s", strerror(errno));
    hid_t f = H5Fcreate(tmp, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), g = -1, sf = -1,
          so = -1, sp = -1;
    if (f < 0)
        return lc_diag_set(d, LC_EIO, tmp, 0, "cannot create the HDF5 file (exclusively)");
    const char *fn[LC_SENS_MAX_FACTORS], *on[LC_OUT_MAX], *ou[LC_OUT_MAX], *of[LC_OUT_MAX];
    double xb[LC_SENS_MAX_FACTORS], xl[LC_SENS_MAX_FACTORS], xh[LC_SENS_MAX_FACTORS];
    for (int i = 0; i < k; i++) {
        fn[i] = p->factors[i].name;
        xb[i] = p->factors[i].base;
        xl[i] = p->factors[i].swing_lo;
        xh[i] = p->factors[i].swing_hi;
    }
    for (int o = 0; o < no; o++) {
        const lc_output_info *oi = lc_sens_output_info(p, o);
        on[o] = lc_sens_output_name(p, o);
        ou[o] = oi && oi->unit ? oi->unit : "";
        of[o] = oi && oi->formula ? oi->formula : "";
    }
    char methods[64] = "";
    static const char *mn[] = {"mc", "tornado", "morris", "sobol"};
    for (int b = 0; b < 4; b++)
        if (p->methods & (1u << b))
            snprintf(methods + strlen(methods), sizeof methods - strlen(methods), "%s%s",
                     methods[0] ? "," : "", mn[b]);
    hsize_t dk = (hsize_t)k, dno = (hsize_t)no, dok[2] = {dno, dk}, dokk[3] = {dno, dk, dk};

    /* the CF subset it follows: coordinate variables, _FillValue */
    CHK(H5LTset_attribute_string(f, "/", "Conventions", "CF-1.10"));
    CHK(H5LTset_attribute_string(f, "/", "conventions_note",
                                 "CF-1.10 subset: coordinate variables (HDF5 dimension scales), "
                                 "_FillValue NaN on every float64 array; one netCDF-4 group "
                                 "per method"));
    CHK(H5LTset_attribute_string(f, "/", "kind", "llmcost sensitivity"));
    CHK(H5LTset_attribute_string(f, "/", "methods", methods));
    CHK(H5LTset_attribute_string(f, "/", "correlations",
                                 "none: every input is sampled independently"));
    unsigned long seed64 = (unsigned long)p->seed; /* exact (LP64): not through a double */
    CHK(H5LTset_attribute_ulong(f, "/", "seed", &seed64, 1));
    CHK(attr_d(f, "/", "samples", (double)p->samples));
    CHK(attr_d(f, "/", "evaluations", (double)r->evaluations));
    if (spec_text)
        CHK(H5LTset_attribute_string(f, "/", "spec", spec_text));
    if (p->prices && p->prices[0])
        CHK(H5LTset_attribute_string(f, "/", "prices", p->prices));
    CHK(put_strings(f, "factors", fn, (size_t)k));
    CHK(put_strings(f, "outputs", on, (size_t)no));
    CHK(sf = H5Dopen2(f, "factors", H5P_DEFAULT));
    CHK(so = H5Dopen2(f, "outputs", H5P_DEFAULT));
    CHK(H5DSset_scale(sf, "factors"));
    CHK(H5DSset_scale(so, "outputs"));
    /* each output's unit and formula (a user formula's text as written in
     * [formulas], a built-in output's from the model), as sweeps store them */
    CHK(put_strings(f, "output_units", ou, (size_t)no));
    CHK(put_strings(f, "output_formulas", of, (size_t)no));
    CHK(dims(f, "output_units", so, -1, -1));
    CHK(dims(f, "output_formulas", so, -1, -1));
    close_scales(&sf, &so);

    if (r->mc_mean) {
        hsize_t dp[2] = {dno, (hsize_t)p->n_pcts}, np = (hsize_t)p->n_pcts;
        CHK(g = H5Gcreate2(f, "mc", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        CHK(group_scales(g, fn, k, on, no, &sf, &so));
        CHK(put_d(g, "mean", 1, &dno, r->mc_mean));
        CHK(put_d(g, "sd", 1, &dno, r->mc_sd));
        CHK(put_d(g, "percentiles", 2, dp, r->mc_pct));
        CHK(put_d(g, "percentile_levels", 1, &np, p->pcts));
        CHK(put_u64(g, "no_breakeven", dno, r->mc_nan));
        CHK(sp = H5Dopen2(g, "percentile_levels", H5P_DEFAULT));
        CHK(H5DSset_scale(sp, "percentile_levels"));
        CHK(dims(g, "mean", so, -1, -1));
        CHK(dims(g, "sd", so, -1, -1));
        CHK(dims(g, "no_breakeven", so, -1, -1));
        CHK(dims(g, "percentiles", so, sp, -1));
        H5Dclose(sp);
        sp = -1;
        CHK(attr_d(g, ".", "samples", (double)r->mc_n));
        close_scales(&sf, &so);
        H5Gclose(g);
        g = -1;
        if (r->mc_x) {
            hsize_t dx[2] = {dk, (hsize_t)r->mc_n}, dy[2] = {dno, (hsize_t)r->mc_n};
            CHK(g = H5Gcreate2(f, "samples", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        CHK(group_scales(g, fn, k, on, no, &sf, &so));
            CHK(put_d(g, "x", 2, dx, r->mc_x));
            CHK(put_d(g, "y", 2, dy, r->mc_y));
            /* a "sample" index as the second dimension's scale */
            double *idx = malloc(sizeof(double) * r->mc_n);
            if (!idx)
                goto fail;
            for (size_t j = 0; j < r->mc_n; j++)
                idx[j] = (double)j;
            hsize_t dn = (hsize_t)r->mc_n;
            herr_t rc = put_d(g, "sample", 1, &dn, idx);
            free(idx);
            CHK(rc);
            CHK(sp = H5Dopen2(g, "sample", H5P_DEFAULT));
            CHK(H5DSset_scale(sp, "sample"));
            CHK(dims(g, "x", sf, sp, -1));
            CHK(dims(g, "y", so, sp, -1));
            H5Dclose(sp);
            sp = -1;
            close_scales(&sf, &so);
            H5Gclose(g);
            g = -1;
        }
    }
    if (r->tor_base) {
        CHK(g = H5Gcreate2(f, "tornado", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        CHK(group_scales(g, fn, k, on, no, &sf, &so));
        CHK(put_d(g, "base", 1, &dno, r->tor_base));
        CHK(put_d(g, "y_low", 2, dok, r->tor_ylo));
        CHK(put_d(g, "y_high", 2, dok, r->tor_yhi));
        CHK(put_d(g, "swing", 2, dok, r->tor_swing));
        CHK(put_i(g, "order", 2, dok, r->tor_order));
        CHK(put_d(g, "x_base", 1, &dk, xb));
        CHK(put_d(g, "x_low", 1, &dk, xl));
        CHK(put_d(g, "x_high", 1, &dk, xh));
        static const char *tn[] = {"y_low", "y_high", "swing", "order"};
        for (int i = 0; i < 4; i++)
            CHK(dims(g, tn[i], so, sf, -1));
        CHK(dims(g, "base", so, -1, -1));
        CHK(dims(g, "x_base", sf, -1, -1));
        CHK(dims(g, "x_low", sf, -1, -1));
        CHK(dims(g, "x_high", sf, -1, -1));
        close_scales(&sf, &so);
        H5Gclose(g);
        g = -1;
    }
    if (r->mo_mu_star) {
        CHK(g = H5Gcreate2(f, "morris", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        CHK(group_scales(g, fn, k, on, no, &sf, &so));
        CHK(put_d(g, "mu_star", 2, dok, r->mo_mu_star));
        CHK(put_d(g, "mu", 2, dok, r->mo_mu));
        CHK(put_d(g, "sigma", 2, dok, r->mo_sigma));
        CHK(put_i(g, "effects", 2, dok, r->mo_n));
        static const char *mn2[] = {"mu_star", "mu", "sigma", "effects"};
        for (int i = 0; i < 4; i++)
            CHK(dims(g, mn2[i], so, sf, -1));
        CHK(attr_d(g, ".", "trajectories", p->trajectories));
        CHK(attr_d(g, ".", "levels", p->levels));
        CHK(attr_d(g, ".", "delta", r->mo_delta));
        close_scales(&sf, &so);
        H5Gclose(g);
        g = -1;
    }
    if (r->so_s1) {
        CHK(g = H5Gcreate2(f, "sobol", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        CHK(group_scales(g, fn, k, on, no, &sf, &so));
        CHK(put_d(g, "S1", 2, dok, r->so_s1));
        CHK(put_d(g, "S1_low", 2, dok, r->so_s1_lo));
        CHK(put_d(g, "S1_high", 2, dok, r->so_s1_hi));
        CHK(put_d(g, "ST", 2, dok, r->so_st));
        CHK(put_d(g, "ST_low", 2, dok, r->so_st_lo));
        CHK(put_d(g, "ST_high", 2, dok, r->so_st_hi));
        CHK(put_d(g, "S1_se", 2, dok, r->so_s1_se));
        CHK(put_d(g, "ST_se", 2, dok, r->so_st_se));
        CHK(dims(g, "S1_se", so, sf, -1));
        CHK(dims(g, "ST_se", so, sf, -1));
        CHK(put_d(g, "variance", 1, &dno, r->so_var));
        CHK(put_u64(g, "excluded_rows", dno, r->so_nan));
        static const char *sn[] = {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"};
        for (int i = 0; i < 6; i++)
            CHK(dims(g, sn[i], so, sf, -1));
        CHK(dims(g, "variance", so, -1, -1));
        CHK(dims(g, "excluded_rows", so, -1, -1));
        if (r->so_s2) {
            CHK(put_d(g, "S2", 3, dokk, r->so_s2));
            CHK(put_d(g, "S2_low", 3, dokk, r->so_s2_lo));
            CHK(put_d(g, "S2_high", 3, dokk, r->so_s2_hi));
            CHK(dims(g, "S2", so, sf, sf));
            CHK(dims(g, "S2_low", so, sf, sf));
            CHK(dims(g, "S2_high", so, sf, sf));
        }
        CHK(attr_d(g, ".", "base_samples", (double)r->so_n));
        CHK(attr_d(g, ".", "bootstrap", p->bootstrap));
        CHK(attr_d(g, ".", "replicates", r->so_reps));
        CHK(H5LTset_attribute_string(g, ".", "design",
                                     p->design == LC_SOBOL_UNSCRAMBLED ? "unscrambled" : "owen"));
        CHK(attr_d(g, ".", "confidence", p->confidence));
        CHK(H5LTset_attribute_string(g, ".", "estimators",
                                     "first order: Saltelli 2010; total: Jansen 1999; "
                                     "second order: Saltelli 2002; sampling: "
                                     "Joe & Kuo new-joe-kuo-6.21201 Sobol sequence, Owen "
                                     "scrambled (design owen) or gsl_qrng_sobol (unscrambled)"));
        close_scales(&sf, &so);
        H5Gclose(g);
        g = -1;
    }
    if (H5Fclose(f) < 0) {
        f = -1;
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return lc_diag_set(d, LC_EIO, path, 0, "cannot rename %s: %s", tmp, strerror(e));
    }
    return LC_OK;
fail:
    if (sp >= 0)
        H5Dclose(sp);
    close_scales(&sf, &so);
    if (g >= 0)
        H5Gclose(g);
    if (f >= 0)
        H5Fclose(f);
    remove(tmp);
    return lc_diag_set(d, LC_EHDF5, tmp, 0, "writing the sensitivity result failed");
}
