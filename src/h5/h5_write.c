/*
 * h5_write.c - the HDF5 writer of sweep files (layout: H5LAYOUT.md,
 * "llmcost-sweep/1").  One thread calls it.  Axes become dimension scales
 * (xarray/netCDF read them as named dimensions and coordinates), outputs
 * chunked datasets attached to them, with units, long names and formulas.
 * Every call is checked; one cleanup label per function.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "par/par_mpi.h"
#include "h5/h5_write.h"
#include "h5/h5_questions.h"
#include "h5/h5_read.h"
#include "h5/h5_codec.h"
#include "util/version.h"

#define MAX_DS LC_OUT_MAX
#define LC_H5_CF_NOTE                                                                      \
    "CF-1.10 subset: coordinate variables (HDF5 dimension scales), long_name, units, "     \
    "_FillValue (NaN: not computed) on every output; units such as USD, token and FLOP/s " \
    "are not UDUNITS units; summaries are netCDF-4 groups"
/* the same for the netCDF-4 classic model (spec netcdf = classic) */
#define LC_H5_CF_NOTE_CLASSIC                                                              \
    "CF-1.10 subset: coordinate variables (HDF5 dimension scales; text coordinates as "    \
    "char arrays), long_name, units, _FillValue (NaN: not computed) on every output; "     \
    "units such as USD, token and FLOP/s are not UDUNITS units; netCDF-4 classic model: "  \
    "counts are doubles, the summary is in the root attributes summary.*"
/* netCDF-C's mark for a dimension with no coordinate variable (its
 * nc4internal.h DIM_WITHOUT_VARIABLE), followed by the length in %10d */
#define NC_DIM_WITHOUT_VARIABLE "This is a netCDF dimension but not a netCDF variable."

struct lc_h5w {
    hid_t file;
    hid_t scale[LC_MAX_AXES];
    const lc_spec *spec;
    char path[1024];
    int n_ds;
    int reopened;  /* resume: datasets are opened, not created */
    int mpi;       /* MPI-IO driver, collective transfers (several ranks) */
    int frozen;    /* lc_h5w_freeze: nothing more reaches the file */
    uint64_t unsynced; /* chunk bytes written since the last writeback started */
    struct {
        hid_t id;
        int rank;
        int precompressed;
        hsize_t chunk[LC_MAX_AXES];
        hid_t memtype;
    } ds[MAX_DS];
};

void lc_h5_init(void)
{
    H5dont_atexit();
}

void lc_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    char *buf = data;
    if (buf[0] == '\0' && e->desc != NULL)
        snprintf(buf, 256, "%s", e->desc);
    return 0;
}

void lc_h5_error_text(char *buf, size_t size)
{
    char tmp[256] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, tmp);
    snprintf(buf, size, "%s", tmp);
}

/* The errno HDF5's file driver saw, if any frame says "errno = N" (a write
 * on a full disk or past the file size limit), else 0. */
static herr_t errno_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    int *err = data;
    const char *p = e->desc ? strstr(e->desc, "errno = ") : NULL;
    if (*err == 0 && p != NULL)
        *err = atoi(p + 8);
    return 0;
}

lc_status lc_h5_fail(lc_diag *d, const char *path, const char *what)
{
    char e[256];
    int err = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, errno_cb, &err);
    if (err > 0) {
        /* one line with the system's reason, not HDF5's multi-line dump; a
         * .partial is kept by the sweep, so say how to finish it */
        size_t n = strlen(path);
        int partial = n > 8 && strcmp(path + n - 8, ".partial") == 0;
        int space = err == ENOSPC || err == EFBIG || err == EDQUOT;
        return lc_diag_set(d, LC_EIO, NULL, 0, "writing %s failed: %s%s", path, strerror(err),
                           partial && space ? " (the .partial is kept: free space and run "
                                              "again with --resume)"
                                            : "");
    }
    lc_h5_error_text(e, sizeof e);
    e[strcspn(e, "\n")] = '\0'; /* HDF5 descriptions can span lines */
    return lc_diag_set(d, LC_EHDF5, path, 0, "HDF5: %s failed%s%s", what,
                       e[0] ? ": " : "", e);
}

int lc_h5_codec_available(lc_codec c)
{
    lc_h5_quiet();
    switch (c) {
    case LC_CODEC_NONE: return 1;
    case LC_CODEC_DEFLATE:
    case LC_CODEC_SHUFFLE_DEFLATE: return H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
    case LC_CODEC_LZ4: return H5Zfilter_avail(LC_H5_FILTER_LZ4) > 0;
    case LC_CODEC_BLOSC:
    case LC_CODEC_BLOSC_ZSTD:
        return H5Zfilter_avail(LC_H5_FILTER_BLOSC) > 0 && lc_codec_linked(c);
    }
    return 0;
}

/* 1 when obj's file is in the netCDF-4 classic model: its root group
 * carries _nc3_strict, which lc_h5w_create writes first (netCDF-C reads the
 * file as NC_FORMAT_NETCDF4_CLASSIC by it). */
static int classic(hid_t obj)
{
    hid_t f = H5Iget_file_id(obj);
    if (f < 0)
        return 0;
    int c = H5Aexists(f, "_nc3_strict") > 0;
    H5Fclose(f);
    return c;
}

/* Classic files replace an attribute written by an earlier attempt (the
 * summary in the root attributes, rewritten by a resumed run). */
static int attr_fresh(hid_t obj, const char *name, int is_classic)
{
    return !is_classic || H5Aexists(obj, name) <= 0 || H5Adelete(obj, name) >= 0;
}

/* A text attribute: a variable-length UTF-8 string (netCDF-4 NC_STRING),
 * or in a classic file a fixed-length one, which netCDF reads as NC_CHAR. */
int lc_h5_attr_write_string(hid_t obj, const char *name, const char *value)
{
    int ok = 0, is_classic = classic(obj);
    hid_t t = H5Tcopy(H5T_C_S1), sp = -1, a = -1;
    const char *v = value ? value : "";
    if (t < 0)
        return 0;
    if (H5Tset_size(t, is_classic ? (strlen(v) ? strlen(v) : 1) : H5T_VARIABLE) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0)
        goto out;
    if ((sp = H5Screate(H5S_SCALAR)) < 0 || !attr_fresh(obj, name, is_classic))
        goto out;
    if ((a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        goto out;
    if (is_classic) {
        char one[1] = {0};
        ok = H5Awrite(a, t, strlen(v) ? v : one) >= 0;
    } else {
        ok = H5Awrite(a, t, &v) >= 0;
    }
out:
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

/* A numeric attribute; in a classic file (no unsigned 64-bit type) a uint64
 * one is stored as a double, exact up to 2^53. */
static int attr_num(hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                    const void *v, hsize_t n)
{
    int ok = 0, is_classic = classic(obj);
    hid_t sp = n == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL), a = -1;
    if (sp < 0)
        return 0;
    if (is_classic && H5Tequal(ftype, H5T_STD_U64LE) > 0)
        ftype = H5T_IEEE_F64LE;
    if (attr_fresh(obj, name, is_classic) &&
        (a = H5Acreate2(obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT)) >= 0)
        ok = H5Awrite(a, mtype, v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    return ok;
}

static int attr_f64(hid_t obj, const char *name, double v)
{
    return attr_num(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v, 0);
}

static int attr_u64(hid_t obj, const char *name, uint64_t v)
{
    return attr_num(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v, 0);
}

/* The attribute writers for the other files of the file layer (h5_write.h). */
_Static_assert(sizeof(hid_t) == sizeof(int64_t), "hid_t passed as int64_t");
int lc_h5w_attr_str(int64_t obj, const char *name, const char *value)
{
    return lc_h5_attr_write_string((hid_t)obj, name, value);
}

int lc_h5w_attr_f64(int64_t obj, const char *name, double v)
{
    return attr_f64((hid_t)obj, name, v);
}

int lc_h5w_attr_u64(int64_t obj, const char *name, uint64_t v)
{
    return attr_u64((hid_t)obj, name, v);
}

int lc_h5w_attr_u64v(int64_t obj, const char *name, const uint64_t *v, size_t n)
{
    return attr_num((hid_t)obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v, (hsize_t)n);
}

static hid_t dcpl_ordered(void)
{
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    if (p >= 0 && H5Pset_attr_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

/* A 1-D float64 dataset of n values. */
static hid_t write_vector(hid_t loc, const char *name, const double *v, hsize_t n)
{
    hid_t sp = H5Screate_simple(1, &n, NULL), p = dcpl_ordered(), ds = -1;
    if (sp >= 0 && p >= 0)
        ds = H5Dcreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, p, H5P_DEFAULT);
    if (ds >= 0 && H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        H5Dclose(ds);
        ds = -1;
    }
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    return ds;
}

/* A 2-D table (n0 x n1, row-major) as a dataset of its own. */
static hid_t write_table(hid_t loc, const char *name, const double *v, hsize_t n0, hsize_t n1)
{
    hsize_t dims[2] = {n0, n1};
    hid_t sp = H5Screate_simple(2, dims, NULL), p = dcpl_ordered(), ds = -1;
    if (sp >= 0 && p >= 0)
        ds = H5Dcreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, p, H5P_DEFAULT);
    if (ds >= 0 && H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        H5Dclose(ds);
        ds = -1;
    }
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    return ds;
}

hid_t lc_h5_strings_create(hid_t loc, const char *name, const char *const *v, size_t n,
                           hid_t dcpl)
{
    hsize_t dn = (hsize_t)n;
    hid_t t = H5Tcopy(H5T_C_S1), sp = -1, ds = -1;
    if (t < 0 || H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)
        goto out;
    if ((sp = H5Screate_simple(1, &dn, NULL)) < 0)
        goto out;
    ds = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds >= 0 && n > 0 && H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        H5Dclose(ds);
        ds = -1;
    }
out:
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    return ds;
}

/* A labelled axis' names as a string dataset (attributes in creation order). */
static hid_t write_strings(hid_t loc, const char *name, const lc_axis *ax)
{
    hid_t p = dcpl_ordered(), ds = -1;
    const char **v = malloc(ax->n * sizeof *v); /* labels are fixed-size rows */
    for (size_t k = 0; v != NULL && k < ax->n; k++)
        v[k] = ax->labels[k];
    if (p >= 0 && v != NULL)
        ds = lc_h5_strings_create(loc, name, v, ax->n, p);
    free(v);
    if (p >= 0)
        H5Pclose(p);
    return ds;
}

/* A netCDF dimension without a variable, of n points, as netCDF-C writes
 * one: an empty float32 dataset NAME made a dimension scale whose name is
 * NC_DIM_WITHOUT_VARIABLE and the length; left open (close it), or -1. */
static hid_t dim_without_variable(hid_t loc, const char *name, hsize_t n)
{
    char mark[sizeof NC_DIM_WITHOUT_VARIABLE + 16];
    hid_t sp = H5Screate_simple(1, &n, NULL), p = dcpl_ordered(), ds = -1;
    snprintf(mark, sizeof mark, "%s%10d", NC_DIM_WITHOUT_VARIABLE, (int)n);
    if (sp >= 0 && p >= 0 &&
        (ds = H5Dcreate2(loc, name, H5T_IEEE_F32LE, sp, H5P_DEFAULT, p, H5P_DEFAULT)) >= 0 &&
        H5DSset_scale(ds, mark) < 0) {
        H5Dclose(ds);
        ds = -1;
    }
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    return ds;
}

/* Classic model (no string type): the names as a char array (n, L), L the
 * longest name, zero-padded, as netCDF-C writes a char coordinate variable;
 * its second dimension NAME_strlen is a dimension without a variable. */
static hid_t write_chars(hid_t loc, const char *name, const lc_axis *ax, hid_t *strlen_ds)
{
    hsize_t dims[2] = {ax->n, 1};
    for (size_t k = 0; k < ax->n; k++)
        if (strlen(ax->labels[k]) > dims[1])
            dims[1] = strlen(ax->labels[k]);
    hid_t t = H5Tcopy(H5T_C_S1), sp = -1, p = -1, ds = -1;
    char *v = calloc((size_t)(dims[0] * dims[1]), 1), sname[LC_NAME_MAX + 16];
    *strlen_ds = -1;
    if (t < 0 || v == NULL || H5Tset_size(t, 1) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)
        goto out;
    for (size_t k = 0; k < ax->n; k++)
        memcpy(v + k * dims[1], ax->labels[k], strlen(ax->labels[k]));
    if ((sp = H5Screate_simple(2, dims, NULL)) < 0 || (p = dcpl_ordered()) < 0)
        goto out;
    snprintf(sname, sizeof sname, "%s_strlen", name);
    if ((*strlen_ds = dim_without_variable(loc, sname, dims[1])) < 0)
        goto out;
    ds = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, p, H5P_DEFAULT);
    if (ds >= 0 && H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        H5Dclose(ds);
        ds = -1;
    }
out:
    free(v);
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    return ds;
}

static int attr_i32(hid_t obj, const char *name, const int *v, hsize_t n)
{
    return attr_num(obj, name, H5T_STD_I32LE, H5T_NATIVE_INT, v, n);
}

int lc_h5w_classic(int64_t obj)
{
    return classic((hid_t)obj);
}

/* H5Literate: the largest _Netcdf4Dimid of the datasets of the root group. */
static herr_t max_dimid_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    int *max = data;
    (void)info;
    hid_t o = H5Oopen(g, name, H5P_DEFAULT);
    if (o < 0)
        return -1;
    int id = -1, ok = 1;
    if (H5Iget_type(o) == H5I_DATASET && H5Aexists(o, "_Netcdf4Dimid") > 0) {
        hid_t a = H5Aopen(o, "_Netcdf4Dimid", H5P_DEFAULT);
        ok = a >= 0 && H5Aread(a, H5T_NATIVE_INT, &id) >= 0;
        if (a >= 0)
            H5Aclose(a);
    }
    H5Oclose(o);
    if (id > *max)
        *max = id;
    return ok ? 0 : -1;
}

int lc_h5w_nc_dimension(int64_t ds)
{
    if (!classic((hid_t)ds))
        return 1;
    hid_t f = H5Iget_file_id((hid_t)ds);
    int max = -1;
    int ok = f >= 0 && H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, &(hsize_t){0}, max_dimid_cb, &max) >= 0;
    if (f >= 0)
        H5Fclose(f);
    max++;
    return ok && attr_i32((hid_t)ds, "_Netcdf4Dimid", &max, 0);
}

int64_t lc_h5w_dim_without_variable(int64_t loc, const char *name, uint64_t n)
{
    return dim_without_variable((hid_t)loc, name, (hsize_t)n);
}

static lc_status write_axes(lc_h5w *w, lc_diag *d)
{
    /* classic model: explicit netCDF dimension ids, the axes first (0..n-1),
     * then the string lengths of the text axes */
    int is_classic = w->spec->nc_classic, next_dimid = w->spec->n_axes;
    const lc_spec *s = w->spec;
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        hid_t ds;
        int is_gpu = ax->labels != NULL;
        hid_t strlen_ds = -1;
        if (is_gpu && is_classic)
            ds = write_chars(w->file, ax->name, ax, &strlen_ds);
        else if (is_gpu)
            ds = write_strings(w->file, ax->name, ax);
        else
            ds = write_vector(w->file, ax->name, ax->values, ax->n);
        if (ds < 0)
            return lc_h5_fail(d, w->path, "writing an axis dataset");
        w->scale[a] = ds;
        if (H5DSset_scale(ds, ax->name) < 0)
            return lc_h5_fail(d, w->path, "H5DSset_scale");
        if (is_classic) {
            int coords[2] = {a, next_dimid};
            int ok = attr_i32(ds, "_Netcdf4Dimid", &a, 0);
            if (strlen_ds >= 0) {
                ok = ok && attr_i32(strlen_ds, "_Netcdf4Dimid", &next_dimid, 0) &&
                     attr_i32(ds, "_Netcdf4Coordinates", coords, 2) &&
                     lc_h5_attr_write_string(ds, "_Encoding", "utf-8");
                next_dimid++;
                H5Dclose(strlen_ds);
            }
            if (!ok)
                return lc_h5_fail(d, w->path, "writing the netCDF dimension ids");
        }
        /* units only on numeric axes: a string coordinate (gpu) has none (CF) */
        const char *ln = ax->input >= 0 ? lc_inputs[ax->input].long_name
                         : ax->gpu ? "GPU model (catalogue entry)"
                         : strcmp(ax->name, "api") == 0 ? "API model (catalogue entry)"
                         : strcmp(ax->name, "arch") == 0 ? "model architecture (catalogue entry)"
                                                         : "price date (latest records at or before)";
        if ((!is_gpu && !lc_h5_attr_write_string(ds, "units", ax->input >= 0 ? lc_inputs[ax->input].unit : "1")) ||
            !lc_h5_attr_write_string(ds, "long_name", ln))
            return lc_h5_fail(d, w->path, "writing axis attributes");
        if (is_gpu && ax->gpu != NULL) {
            double *v = malloc(ax->n * sizeof *v);
            if (v == NULL)
                return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
            for (int c = 0; c < LC_GPU_INPUTS; c++) {
                const lc_input_info *gi = &lc_inputs[lc_gpu_inputs[c]];
                char name[LC_NAME_MAX + 16];
                if (s->axis2_of_input[lc_gpu_inputs[c]] >= 0)
                    continue; /* priced by date: the price_date table below */
                snprintf(name, sizeof name, "%s_%s", ax->name, gi->name);
                for (size_t k = 0; k < ax->n; k++)
                    v[k] = ax->gpu[k].v[c];
                hid_t g = write_vector(w->file, name, v, ax->n);
                int ok = g >= 0 && H5DSattach_scale(g, ds, 0) >= 0 &&
                         lc_h5_attr_write_string(g, "units", gi->unit) &&
                         lc_h5_attr_write_string(g, "long_name", gi->long_name);
                if (g >= 0)
                    H5Dclose(g);
                if (!ok) {
                    free(v);
                    return lc_h5_fail(d, w->path, "writing the gpu catalogue columns");
                }
            }
            free(v);
        }
        /* api / price_date axes: the inputs each point sets ("api_price_in",
         * "price_date_price_hour", ...), like the gpu columns above */
        for (int i = 0; ax->set_vals != NULL && i < LC_IN_COUNT; i++) {
            if (!(ax->set_mask & LC_BIT(i)))
                continue;
            double *v = malloc(ax->n * sizeof *v);
            if (v == NULL)
                return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
            char name[LC_NAME_MAX + 32];
            snprintf(name, sizeof name, "%s_%s", ax->name, lc_inputs[i].name);
            for (size_t k = 0; k < ax->n; k++)
                v[k] = ax->set_vals[k * LC_IN_COUNT + (size_t)i];
            hid_t g = write_vector(w->file, name, v, ax->n);
            int ok = g >= 0 && H5DSattach_scale(g, ds, 0) >= 0 &&
                     lc_h5_attr_write_string(g, "units", lc_inputs[i].unit) &&
                     lc_h5_attr_write_string(g, "long_name", lc_inputs[i].long_name);
            if (g >= 0)
                H5Dclose(g);
            free(v);
            if (!ok)
                return lc_h5_fail(d, w->path, "writing the catalogue columns of an axis");
        }
    }
    /* the price_date axis with a gpu or api axis: each priced input as a
     * table over (price_date, that axis), "price_date_price_hour" ... */
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        for (int i = 0; i < LC_IN_COUNT; i++) {
            if (!ax->cross[i])
                continue;
            int b = ax->cross_axis[i];
            char name[LC_NAME_MAX + 32];
            snprintf(name, sizeof name, "%s_%s", ax->name, lc_inputs[i].name);
            hid_t g = write_table(w->file, name, ax->cross[i], ax->n, s->axes[b].n);
            int ok = g >= 0 && H5DSattach_scale(g, w->scale[a], 0) >= 0 &&
                     H5DSattach_scale(g, w->scale[b], 1) >= 0 &&
                     lc_h5_attr_write_string(g, "units", lc_inputs[i].unit) &&
                     lc_h5_attr_write_string(g, "long_name", lc_inputs[i].long_name);
            if (g >= 0)
                H5Dclose(g);
            if (!ok)
                return lc_h5_fail(d, w->path, "writing a price table of the price_date axis");
        }
    }
    return LC_OK;
}

static lc_status write_root_attrs(lc_h5w *w, const lc_h5_prov *prov, lc_diag *d)
{
    const lc_spec *s = w->spec;
    hid_t r = w->file;
    char created[64], axes[LC_MAX_AXES * (LC_NAME_MAX + 1) + 1] = "";
    /* One process writes these: lc_h5w_create runs on rank 0 alone in an MPI
     * run (the engine), so no collective here (a broadcast rank 0 made alone
     * was matched with the other ranks' next collective call). */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (int a = 0; a < s->n_axes; a++) {
        if (a)
            strcat(axes, ",");
        strcat(axes, s->axes[a].name);
    }
    /* CF-1.10, the part llmcost follows (doc/cluster.md, "What netCDF/CF
     * readers see"): coordinate variables, long_name, units, _FillValue */
    int ok = lc_h5_attr_write_string(r, "Conventions", "CF-1.10") &&
             lc_h5_attr_write_string(r, "conventions_note", s->nc_classic ? LC_H5_CF_NOTE_CLASSIC : LC_H5_CF_NOTE) &&
             lc_h5_attr_write_string(r, "format", LC_H5_FORMAT) &&
             lc_h5_attr_write_string(r, "llmcost_version", LC_VERSION) &&
             lc_h5_attr_write_string(r, "llmcost_commit", lc_build_commit()) &&
             lc_h5_attr_write_string(r, "created", created) &&
             lc_h5_attr_write_string(r, "spec", s->text ? s->text : "") &&
             lc_h5_attr_write_string(r, "spec_path", s->path) && lc_h5_attr_write_string(r, "spec_name", s->name) &&
             lc_h5_attr_write_string(r, "layout", s->layout == LC_LAYOUT_BROADCAST ? "broadcast" : "compact") &&
             lc_h5_attr_write_string(r, "axes", axes) && attr_u64(r, "grid_points", prov->grid_points) &&
             lc_h5_attr_write_string(r, "isa", prov->isa) && attr_u64(r, "threads", (uint64_t)prov->threads) &&
             lc_h5_attr_write_string(r, "dtype", s->float32 ? "float32" : "float64") &&
             lc_h5_attr_write_string(r, "compression", lc_codec_name(s->codec));
    if (!ok)
        return lc_h5_fail(d, w->path, "writing root attributes");
    for (int i = 0; i < LC_IN_COUNT; i++) {
        char name[LC_NAME_MAX + 8];
        if (s->axis_of_input[i] >= 0)
            continue;
        if (i == LC_IN_TOKENS && s->tokens_chinchilla)
            continue;
        if (i == LC_IN_UTIL_INFER && s->util_infer_follows_util)
            continue;
        snprintf(name, sizeof name, "input.%s", lc_inputs[i].name);
        if (!attr_f64(r, name, s->fixed[i]))
            return lc_h5_fail(d, w->path, "writing input attributes");
    }
    if ((s->fixed_gpu[0] && !lc_h5_attr_write_string(r, "input.gpu", s->fixed_gpu)) ||
        (s->fixed_arch[0] && !lc_h5_attr_write_string(r, "input.arch", s->fixed_arch)) ||
        (s->tokens_chinchilla && !lc_h5_attr_write_string(r, "rule.tokens", "chinchilla")) ||
        (s->util_infer_follows_util && !lc_h5_attr_write_string(r, "rule.util_infer", "util")))
        return lc_h5_fail(d, w->path, "writing rule attributes");
    /* the catalogue records priced (doc/prices.md): date asked and each record */
    if ((s->fixed_api[0] && !lc_h5_attr_write_string(r, "input.api", s->fixed_api)) ||
        (s->price_query.day && !lc_h5_attr_write_string(r, "price_date", s->price_query.date)) ||
        (s->price_query.kind >= 0 &&
         !lc_h5_attr_write_string(r, "price_kind", lc_price_kind_name(s->price_query.kind))) ||
        (s->price_query.provider >= 0 &&
         !lc_h5_attr_write_string(r, "price_provider", lc_provider_class_name(s->price_query.provider))) ||
        (s->prices_used[0] && !lc_h5_attr_write_string(r, "prices", s->prices_used)))
        return lc_h5_fail(d, w->path, "writing price attributes");
    for (const char *const *x = prov->extra_attrs; x && x[0] && x[1]; x += 2)
        if (!lc_h5_attr_write_string(r, x[0], x[1]))
            return lc_h5_fail(d, w->path, "writing cluster attributes");
    return LC_OK;
}

/* File access: the MPI-IO driver when several MPI ranks share the file. */
static hid_t file_access(lc_h5w *w)
{
#ifdef LC_MPI
    if (lc_par_size() > 1) {
        hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
        if (fapl < 0 || H5Pset_fapl_mpio(fapl, MPI_COMM_WORLD, MPI_INFO_NULL) < 0) {
            if (fapl >= 0)
                H5Pclose(fapl);
            return -1;
        }
        w->mpi = 1;
        return fapl;
    }
#endif
    (void)w;
    return H5P_DEFAULT;
}

/* Transfer property for raw data: collective across ranks in MPI mode (the
 * only mode parallel HDF5 allows with filters). */
static hid_t transfer(const lc_h5w *w)
{
#ifdef LC_MPI
    if (w->mpi) {
        hid_t x = H5Pcreate(H5P_DATASET_XFER);
        if (x >= 0 && H5Pset_dxpl_mpio(x, H5FD_MPIO_COLLECTIVE) < 0) {
            H5Pclose(x);
            return -1;
        }
        return x;
    }
#endif
    (void)w;
    return H5P_DEFAULT;
}

/* A writer with no file and no axis open yet (ids -1), for create and reopen. */
static lc_h5w *writer_new(const char *path, const lc_spec *s)
{
    lc_h5_quiet();
    lc_h5w *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->file = -1;
    for (int a = 0; a < LC_MAX_AXES; a++)
        w->scale[a] = -1;
    w->spec = s;
    snprintf(w->path, sizeof w->path, "%s", path);
    return w;
}

static lc_status reopen_impl(lc_h5w **wp, const char *path, const lc_spec *s,
                             int parallel, lc_diag *d)
{
    lc_h5w *w = writer_new(path, s);
    if (w == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    w->reopened = 1;
    hid_t fapl = parallel ? file_access(w) : H5P_DEFAULT;
    if (fapl < 0) {
        free(w);
        return lc_h5_fail(d, path, "MPI-IO file access");
    }
    w->file = H5Fopen(path, H5F_ACC_RDWR, fapl);
    if (fapl != H5P_DEFAULT)
        H5Pclose(fapl);
    if (w->file < 0) {
        free(w);
        return lc_h5_fail(d, path, "reopening the file");
    }
    *wp = w;
    for (int a = 0; a < s->n_axes; a++)
        if ((w->scale[a] = H5Dopen2(w->file, s->axes[a].name, H5P_DEFAULT)) < 0)
            return lc_h5_fail(d, path, "opening an axis dataset");
    return LC_OK;
}

lc_status lc_h5w_reopen(lc_h5w **wp, const char *path, const lc_spec *s, lc_diag *d)
{
    return reopen_impl(wp, path, s, 1, d);
}

lc_status lc_h5w_reopen_local(lc_h5w **wp, const char *path, const lc_spec *s, lc_diag *d)
{
    return reopen_impl(wp, path, s, 0, d);
}

lc_status lc_h5w_flush(lc_h5w *w, lc_diag *d)
{
    if (H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0)
        return lc_h5_fail(d, w->path, "H5Fflush");
    return LC_OK;
}

lc_status lc_h5w_create(lc_h5w **wp, const char *path, const lc_spec *s,
                        const lc_h5_prov *prov, lc_diag *d)
{
    lc_status st;
    lc_h5w *w = writer_new(path, s);
    if (w == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        if (fcpl >= 0)
            H5Pclose(fcpl);
        free(w);
        return lc_h5_fail(d, path, "file creation properties");
    }
    /* EXCL, never TRUNC: a file or (dangling) symbolic link that appeared
     * at PATH after the caller's existence check is refused, not followed
     * or truncated; callers that overwrite (--force) unlink PATH first. */
    w->file = H5Fcreate(path, H5F_ACC_EXCL, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (w->file < 0) {
        struct stat sb;
        free(w);
        if (lstat(path, &sb) == 0)
            return lc_diag_set(d, LC_EEXIST, path, 0,
                               S_ISLNK(sb.st_mode)
                                   ? "is a symbolic link: refusing to create the file through it"
                                   : "exists (created by another process meanwhile?): refusing "
                                     "to overwrite it");
        return lc_h5_fail(d, path, "creating the file");
    }
    *wp = w;
    /* first, so that every attribute below is written in the classic form */
    int one = 1;
    if (s->nc_classic && !attr_i32(w->file, "_nc3_strict", &one, 0))
        return lc_h5_fail(d, path, "writing _nc3_strict");
    if ((st = write_axes(w, d)) != LC_OK || (st = write_root_attrs(w, prov, d)) != LC_OK)
        return st;
    return LC_OK;
}

/* The outputs whose NaN means "no break-even" (model.h): only they carry
 * missing_value_meaning. */
static int no_breakeven_nan(int output)
{
    return output == LC_OUT_BREAKEVEN_TOKENS || output == LC_OUT_BREAKEVEN_USERS;
}

/* Resume: open the dataset lc_h5w_dataset created before; it must have the
 * dims and chunk shape this run computes. */
static lc_status reopen_dataset(lc_h5w *w, int output, int rank, const uint64_t *dims,
                                const uint64_t *chunk, int *index, lc_diag *d)
{
    const lc_output_info *oi = lc_formulas_output_info(&w->spec->formulas, output);
    hid_t ds = H5Dopen2(w->file, oi->name, H5P_DEFAULT), sp = -1, p = -1;
    hsize_t hd[LC_MAX_AXES], hc[LC_MAX_AXES];
    int ok = ds >= 0 && (sp = H5Dget_space(ds)) >= 0 &&
             H5Sget_simple_extent_ndims(sp) == rank &&
             H5Sget_simple_extent_dims(sp, hd, NULL) >= 0 &&
             (p = H5Dget_create_plist(ds)) >= 0 &&
             (rank == 0 || H5Pget_chunk(p, rank, hc) == rank);
    for (int j = 0; ok && j < rank; j++)
        ok = hd[j] == dims[j] && hc[j] == chunk[j];
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    if (!ok) {
        if (ds >= 0)
            H5Dclose(ds);
        return lc_diag_set(d, LC_EFORMAT, w->path, 0,
                           "dataset '%s' is not the one this sweep writes (shape or chunks "
                           "differ)", oi->name);
    }
    *index = w->n_ds;
    w->ds[w->n_ds].id = ds;
    w->ds[w->n_ds].rank = rank;
    w->ds[w->n_ds].precompressed = lc_codec_precompressed(w->spec->codec);
    w->ds[w->n_ds].memtype = w->spec->float32 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
    for (int j = 0; j < rank; j++)
        w->ds[w->n_ds].chunk[j] = hc[j];
    w->n_ds++;
    return LC_OK;
}

lc_status lc_h5w_dataset(lc_h5w *w, int output, int rank, const int *axes,
                         const uint64_t *dims, const uint64_t *chunk, int *index,
                         lc_diag *d)
{
    if (w->reopened)
        return w->n_ds >= MAX_DS
                   ? lc_diag_set(d, LC_EINTERNAL, NULL, 0, "too many datasets")
                   : reopen_dataset(w, output, rank, dims, chunk, index, d);
    const lc_spec *s = w->spec;
    const lc_output_info *oi = lc_formulas_output_info(&w->spec->formulas, output);
    hsize_t hd[LC_MAX_AXES], hc[LC_MAX_AXES];
    hid_t sp = -1, p = -1, ds = -1;
    lc_status st = LC_OK;
    if (w->n_ds >= MAX_DS)
        return lc_diag_set(d, LC_EINTERNAL, NULL, 0, "too many datasets");
    for (int j = 0; j < rank; j++) {
        hd[j] = dims[j];
        hc[j] = chunk[j];
    }
    sp = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, hd, NULL);
    if (sp < 0 || (p = dcpl_ordered()) < 0) {
        st = lc_h5_fail(d, w->path, "dataspace");
        goto out;
    }
    if (rank > 0) {
        int ok = H5Pset_chunk(p, rank, hc) >= 0;
        switch (s->codec) {
        case LC_CODEC_NONE:
            break;
        case LC_CODEC_DEFLATE:
            ok = ok && H5Pset_deflate(p, (unsigned)s->codec_level) >= 0;
            break;
        case LC_CODEC_SHUFFLE_DEFLATE:
            ok = ok && H5Pset_shuffle(p) >= 0 && H5Pset_deflate(p, (unsigned)s->codec_level) >= 0;
            break;
        /* plugin filters optional: a chunk they cannot shrink (lz4 fails on
         * those) is stored unfiltered instead of failing the write */
        case LC_CODEC_LZ4:
            ok = ok && H5Pset_shuffle(p) >= 0 &&
                 H5Pset_filter(p, LC_H5_FILTER_LZ4, H5Z_FLAG_OPTIONAL, 0, NULL) >= 0;
            break;
        case LC_CODEC_BLOSC:
        case LC_CODEC_BLOSC_ZSTD: {
            /* blosc's own shuffle, level 5, lz4 or zstd inside (h5_codec.c) */
            const unsigned cd[7] = {0, 0, 0, 0, 5, 1, (unsigned)lc_codec_blosc_compressor(s->codec)};
            ok = ok && H5Pset_filter(p, LC_H5_FILTER_BLOSC, H5Z_FLAG_OPTIONAL, 7, cd) >= 0;
            break;
        }
        }
        if (!ok) {
            st = lc_h5_fail(d, w->path, "setting the chunking and filters");
            goto out;
        }
    }
    /* NaN fill: a chunk never written (another shard's, or one still
     * missing from a .partial) reads as missing in HDF5, h5py and netCDF,
     * never as 0.  Serial writes allocate chunks as they come (no cost);
     * parallel HDF5 allocates early and writes the fill once at creation. */
    const double fill = NAN;
    if (H5Pset_fill_value(p, H5T_NATIVE_DOUBLE, &fill) < 0) {
        st = lc_h5_fail(d, w->path, "setting the fill value");
        goto out;
    }
    ds = H5Dcreate2(w->file, oi->name, s->float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, sp,
                    H5P_DEFAULT, p, H5P_DEFAULT);
    if (ds < 0) {
        st = lc_h5_fail(d, w->path, "creating a dataset");
        goto out;
    }
    for (int j = 0; j < rank; j++)
        if (H5DSattach_scale(ds, w->scale[axes[j]], (unsigned)j) < 0) {
            st = lc_h5_fail(d, w->path, "H5DSattach_scale");
            goto out;
        }
    /* _FillValue (CF/netCDF) in the dataset's own type, as netCDF requires */
    if (!attr_num(ds, "_FillValue", s->float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE,
                  H5T_NATIVE_DOUBLE, &fill, 1) ||
        !lc_h5_attr_write_string(ds, "units", oi->unit) || !lc_h5_attr_write_string(ds, "long_name", oi->long_name) ||
        !lc_h5_attr_write_string(ds, "formula", oi->formula) ||
        (no_breakeven_nan(output) &&
         !lc_h5_attr_write_string(ds, "missing_value_meaning", "NaN: no break-even (margin <= 0)")) ||
        (output == LC_OUT_TOKEN_MARGIN &&
         !lc_h5_attr_write_string(ds, "comment", "NaN where the token revenue is 0 (margin undefined)"))) {
        st = lc_h5_fail(d, w->path, "writing dataset attributes");
        goto out;
    }
    *index = w->n_ds;
    w->ds[w->n_ds].id = ds;
    w->ds[w->n_ds].rank = rank;
    w->ds[w->n_ds].precompressed = lc_codec_precompressed(s->codec);
    w->ds[w->n_ds].memtype = s->float32 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
    for (int j = 0; j < rank; j++)
        w->ds[w->n_ds].chunk[j] = hc[j];
    w->n_ds++;
    ds = -1;
out:
    if (ds >= 0)
        H5Dclose(ds);
    if (p >= 0)
        H5Pclose(p);
    if (sp >= 0)
        H5Sclose(sp);
    return st;
}

/* MPI mode: this rank's share of one collective H5Dwrite (data == NULL:
 * an empty share).  HDF5 runs the filters; parallel HDF5 has no direct
 * chunk write. */
static lc_status chunk_collective(lc_h5w *w, int index, const uint64_t *origin,
                                  const uint64_t *extent, const void *data, lc_diag *d)
{
    hsize_t off[LC_MAX_AXES], cnt[LC_MAX_AXES], zero[LC_MAX_AXES];
    hid_t ds = w->ds[index].id;
    int rank = w->ds[index].rank;
    double dummy = 0.0;
    lc_status st = LC_OK;
    hid_t x = transfer(w), fs = H5Dget_space(ds);
    hid_t ms = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, w->ds[index].chunk, NULL);
    for (int j = 0; j < rank; j++) {
        off[j] = data ? origin[j] : 0;
        cnt[j] = data ? extent[j] : 1;
        zero[j] = 0;
    }
    if (x < 0 || fs < 0 || ms < 0) {
        st = lc_h5_fail(d, w->path, "collective transfer setup");
        goto out;
    }
    if (data == NULL) {
        if (H5Sselect_none(fs) < 0 || H5Sselect_none(ms) < 0) {
            st = lc_h5_fail(d, w->path, "H5Sselect_none");
            goto out;
        }
        data = &dummy;
    } else if (rank > 0 &&
               (H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0 ||
                H5Sselect_hyperslab(ms, H5S_SELECT_SET, zero, NULL, cnt, NULL) < 0)) {
        st = lc_h5_fail(d, w->path, "selecting a chunk");
        goto out;
    }
    if (H5Dwrite(ds, w->ds[index].memtype, ms, fs, x, data) < 0)
        st = lc_h5_fail(d, w->path, "collective H5Dwrite of a chunk");
out:
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    if (x > 0 && x != H5P_DEFAULT)
        H5Pclose(x);
    return st;
}

lc_status lc_h5w_chunk(lc_h5w *w, int index, const uint64_t *origin,
                       const uint64_t *extent, const void *data, size_t nbytes,
                       lc_diag *d)
{
    return lc_h5w_chunk_mask(w, index, origin, extent, data, nbytes, 0, d);
}

/* Every WRITEBACK_BYTES of chunks, start the kernel writing the file's
 * dirty pages back (sync_file_range, asynchronous): the fsync at close
 * then waits only for the last few, instead of for the whole file at once
 * in the one thread left running (a serial tail that capped the thread
 * scaling of compressed sweeps; bench/store.md).  Durability is unchanged:
 * lc_h5w_close still fsyncs before the rename. */
#define WRITEBACK_BYTES ((uint64_t)32 << 20)
static void writeback(lc_h5w *w, size_t nbytes)
{
    int *fdp = NULL;
    w->unsynced += nbytes;
    if (w->unsynced < WRITEBACK_BYTES || w->frozen || w->mpi)
        return;
    w->unsynced = 0;
    if (H5Fget_vfd_handle(w->file, H5P_DEFAULT, (void **)&fdp) >= 0 && fdp != NULL && *fdp >= 0)
        (void)sync_file_range(*fdp, 0, 0, SYNC_FILE_RANGE_WRITE); /* a hint: errors ignored */
}

lc_status lc_h5w_chunk_mask(lc_h5w *w, int index, const uint64_t *origin,
                            const uint64_t *extent, const void *data, size_t nbytes,
                            unsigned mask, lc_diag *d)
{
    hsize_t off[LC_MAX_AXES], cnt[LC_MAX_AXES], zero[LC_MAX_AXES];
    hid_t ds = w->ds[index].id;
    int rank = w->ds[index].rank;
    if (w->mpi)
        return chunk_collective(w, index, origin, extent, data, d);
    if (rank == 0) {
        if (H5Dwrite(ds, w->ds[index].memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
            return lc_h5_fail(d, w->path, "H5Dwrite of a scalar");
        return LC_OK;
    }
    for (int j = 0; j < rank; j++) {
        off[j] = origin[j];
        cnt[j] = extent[j];
        zero[j] = 0;
    }
    if (w->ds[index].precompressed) {
        if (H5Dwrite_chunk(ds, H5P_DEFAULT, (uint32_t)mask, off, nbytes, data) < 0)
            return lc_h5_fail(d, w->path, "H5Dwrite_chunk");
        writeback(w, nbytes);
        return LC_OK;
    }
    /* Library-side filters: a memory space of the chunk's rank and shape. */
    lc_status st = LC_OK;
    hid_t fs = H5Dget_space(ds), ms = H5Screate_simple(rank, w->ds[index].chunk, NULL);
    if (fs < 0 || ms < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0 ||
        H5Sselect_hyperslab(ms, H5S_SELECT_SET, zero, NULL, cnt, NULL) < 0 ||
        H5Dwrite(ds, w->ds[index].memtype, ms, fs, H5P_DEFAULT, data) < 0)
        st = lc_h5_fail(d, w->path, "H5Dwrite of a chunk");
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    if (st == LC_OK)
        writeback(w, nbytes);
    return st;
}

/* Shortest %g text that reads back as exactly x. */
static void shortest(double x, char *buf, size_t size)
{
    for (int p = 6; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

void lc_h5_coords_text(const lc_spec *s, const uint64_t *c, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int a = 0; a < s->n_axes && n < size; a++) {
        const lc_axis *ax = &s->axes[a];
        if (ax->labels)
            n += (size_t)snprintf(buf + n, size - n, "%s%s=%s", a ? ", " : "", ax->name,
                                  ax->labels[c[a]]);
        else
        {
            char num[40];
            shortest(ax->values[c[a]], num, sizeof num);
            n += (size_t)snprintf(buf + n, size - n, "%s%s=%s", a ? ", " : "", ax->name, num);
        }
    }
}

/* The classic model has no groups: the summary goes into root attributes
 * "summary.<output>.<key>" and "summary.condK.<key>", and the root attribute
 * "summary" says so. */
static lc_status summary_classic(lc_h5w *w, const lc_sweep_result *r, lc_diag *d)
{
    const lc_spec *s = w->spec;
    hid_t f = w->file;
    char text[4096], key[LC_NAME_MAX + 48];
#define KEY(out, k) (snprintf(key, sizeof key, "summary.%s.%s", (out), (k)), key)
    if (!lc_h5_attr_write_string(f, "summary", "root attributes summary.<output>.{min,max,mean,count_finite,"
                                "count_nan,count_inf,units,argmin,argmax,argmin_index,"
                                "argmax_index} and summary.condK.{condition,count,share} "
                                "(netCDF-4 classic model: no /summary group)"))
        return lc_h5_fail(d, w->path, "writing the summary attributes");
    for (int k = 0; k < r->n_red; k++) {
        const lc_reduction *rd = &r->red[k];
        const char *o = lc_outputs[rd->output].name;
        int ok = attr_f64(f, KEY(o, "min"), rd->min) && attr_f64(f, KEY(o, "max"), rd->max) &&
                 attr_f64(f, KEY(o, "mean"), rd->mean) &&
                 attr_u64(f, KEY(o, "count_finite"), rd->count_finite) &&
                 attr_u64(f, KEY(o, "count_nan"), rd->count_nan) &&
                 attr_u64(f, KEY(o, "count_inf"), rd->count_inf) &&
                 lc_h5_attr_write_string(f, KEY(o, "units"), lc_outputs[rd->output].unit);
        lc_h5_coords_text(s, rd->argmin, text, sizeof text);
        ok = ok && lc_h5_attr_write_string(f, KEY(o, "argmin"), text);
        lc_h5_coords_text(s, rd->argmax, text, sizeof text);
        ok = ok && lc_h5_attr_write_string(f, KEY(o, "argmax"), text);
        if (s->n_axes > 0)
            ok = ok &&
                 attr_num(f, KEY(o, "argmin_index"), H5T_STD_U64LE, H5T_NATIVE_UINT64, rd->argmin,
                          (hsize_t)s->n_axes) &&
                 attr_num(f, KEY(o, "argmax_index"), H5T_STD_U64LE, H5T_NATIVE_UINT64, rd->argmax,
                          (hsize_t)s->n_axes);
        if (!ok)
            return lc_h5_fail(d, w->path, "writing a reduction");
    }
    for (int k = 0; k < r->n_cond; k++) {
        char c[32];
        snprintf(c, sizeof c, "cond%d", k);
        if (!lc_h5_attr_write_string(f, KEY(c, "condition"), s->conds[k].text) ||
            !attr_u64(f, KEY(c, "count"), r->cond[k].count) ||
            !attr_f64(f, KEY(c, "share"), r->cond[k].share))
            return lc_h5_fail(d, w->path, "writing a condition count");
    }
#undef KEY
    return LC_OK;
}

lc_status lc_h5w_summary(lc_h5w *w, const lc_sweep_result *r, lc_diag *d)
{
    if (w->spec->nc_classic)
        return summary_classic(w, r, d);
    const lc_spec *s = w->spec;
    lc_status st = LC_OK;
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE), g = -1;
    /* a resumed run killed after writing /summary: write it again */
    if (w->reopened && H5Lexists(w->file, "summary", H5P_DEFAULT) > 0 &&
        H5Ldelete(w->file, "summary", H5P_DEFAULT) < 0) {
        st = lc_h5_fail(d, w->path, "replacing /summary");
        goto out;
    }
    if (gcpl < 0 ||
        H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        (g = H5Gcreate2(w->file, "summary", H5P_DEFAULT, gcpl, H5P_DEFAULT)) < 0) {
        st = lc_h5_fail(d, w->path, "creating /summary");
        goto out;
    }
    for (int k = 0; k < r->n_red; k++) {
        const lc_reduction *rd = &r->red[k];
        char text[4096];
        const lc_output_info *oi = lc_formulas_output_info(&s->formulas, rd->output);
        hid_t sg = H5Gcreate2(g, oi->name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        int ok = sg >= 0 && attr_f64(sg, "min", rd->min) && attr_f64(sg, "max", rd->max) &&
                 attr_f64(sg, "mean", rd->mean) && attr_u64(sg, "count_finite", rd->count_finite) &&
                 attr_u64(sg, "count_nan", rd->count_nan) &&
                 attr_u64(sg, "count_inf", rd->count_inf) &&
                 lc_h5_attr_write_string(sg, "units", oi->unit);
        if (ok) {
            lc_h5_coords_text(s, rd->argmin, text, sizeof text);
            ok = lc_h5_attr_write_string(sg, "argmin", text);
            lc_h5_coords_text(s, rd->argmax, text, sizeof text);
            ok = ok && lc_h5_attr_write_string(sg, "argmax", text);
            if (s->n_axes > 0)
                ok = ok &&
                     attr_num(sg, "argmin_index", H5T_STD_U64LE, H5T_NATIVE_UINT64, rd->argmin,
                              (hsize_t)s->n_axes) &&
                     attr_num(sg, "argmax_index", H5T_STD_U64LE, H5T_NATIVE_UINT64, rd->argmax,
                              (hsize_t)s->n_axes);
        }
        if (sg >= 0)
            H5Gclose(sg);
        if (!ok) {
            st = lc_h5_fail(d, w->path, "writing a reduction");
            goto out;
        }
    }
    for (int k = 0; k < r->n_cond; k++) {
        char name[32];
        snprintf(name, sizeof name, "cond%d", k);
        hid_t sg = H5Gcreate2(g, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        int ok = sg >= 0 && lc_h5_attr_write_string(sg, "condition", s->conds[k].text) &&
                 attr_u64(sg, "count", r->cond[k].count) &&
                 attr_f64(sg, "share", r->cond[k].share);
        if (sg >= 0)
            H5Gclose(sg);
        if (!ok) {
            st = lc_h5_fail(d, w->path, "writing a condition count");
            goto out;
        }
    }
    st = lc_h5_questions_write(w->file, g, s, r, w->path, d);
out:
    if (g >= 0)
        H5Gclose(g);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    return st;
}

int lc_h5w_freeze(lc_h5w *w)
{
    int *fdp = NULL;
    if (w == NULL || w->mpi || H5Fget_vfd_handle(w->file, H5P_DEFAULT, (void **)&fdp) < 0 ||
        fdp == NULL || *fdp < 0)
        return 0;
    int ro = open("/dev/null", O_RDONLY | O_CLOEXEC);
    /* dup2, not close: the descriptor number stays taken, so HDF5 can never
     * write into a file opened later under the same number */
    int ok = ro >= 0 && dup2(ro, *fdp) >= 0;
    if (ro >= 0)
        close(ro);
    if (ok)
        w->frozen = 1;
    return ok;
}

lc_status lc_h5w_close(lc_h5w *w, lc_diag *d)
{
    int ok = 1;
    if (w == NULL)
        return LC_OK;
    for (int k = 0; k < w->n_ds; k++)
        ok &= H5Dclose(w->ds[k].id) >= 0;
    for (int a = 0; a < LC_MAX_AXES; a++)
        if (w->scale[a] >= 0)
            ok &= H5Dclose(w->scale[a]) >= 0;
    if (w->file >= 0)
        ok &= H5Fclose(w->file) >= 0;
    lc_status st = ok ? LC_OK : lc_h5_fail(d, w->path, "closing the file");
    if (st == LC_OK && !w->frozen) {
        /* The data is on disk before the rename makes the file look done. */
        int fd = open(w->path, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            st = lc_diag_set(d, LC_EIO, w->path, 0, "fsync failed");
        if (fd >= 0)
            close(fd);
    }
    free(w);
    return st;
}
