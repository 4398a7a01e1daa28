/*
 * h5_points.c - the HDF5 file of `eval --points --format h5` (h5_points.h):
 * one 1-D float64 dataset per column (the design's inputs, then the
 * outputs) with its units (and a formula's text), extendible, appended one
 * batch at a time; written to FILE.partial and renamed when complete;
 * root attributes format = "llmcost-points/1" and source; and the reader
 * of a design stored as HDF5 columns.
 */
#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grid/points.h"
#include "h5/h5_points.h"
#include "h5/h5_read.h"
#include "h5/h5_write.h"
#include "model/model.h"

#define CHUNK_ROWS 65536

struct lc_h5_points {
    char path[512], partial[520];
    hid_t fid;
    hid_t ds[LC_H5_POINTS_MAX_COLS];
    hsize_t rows;
    int ncols;
};

static lc_status h5_fail(lc_h5_points *w, lc_diag *d, const char *what)
{
    char e[256];
    lc_h5_error_text(e, sizeof e);
    return lc_diag_set(d, LC_EHDF5, w->partial, 0, "%s failed%s%s", what, e[0] ? ": " : "", e);
}

lc_status lc_h5_points_create(lc_h5_points **out, const char *path, int force, int ncols,
                              const char *const *names, const char *const *units,
                              const char *const *formulas, const char *source, lc_diag *d)
{
    *out = NULL;
    if (ncols > LC_H5_POINTS_MAX_COLS)
        return lc_diag_set(d, LC_ERANGE, NULL, 0, "more than %d columns", LC_H5_POINTS_MAX_COLS);
    lc_h5_points *w = calloc(1, sizeof *w);
    if (!w)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    w->ncols = ncols;
    w->fid = -1;
    for (int c = 0; c < LC_H5_POINTS_MAX_COLS; c++)
        w->ds[c] = -1;
    snprintf(w->path, sizeof w->path, "%s", path);
    snprintf(w->partial, sizeof w->partial, "%s.partial", path);
    /* as the sweep: FILE and FILE.partial (perhaps an interrupted sweep's,
     * which --resume could finish) are replaced only with --force, and the
     * .partial is created exclusively, so nothing there is truncated or
     * followed */
    struct stat sb;
    const char *there = stat(path, &sb) == 0 ? path : lstat(w->partial, &sb) == 0 ? w->partial
                                                                                 : NULL;
    if (there && !force) {
        free(w);
        return lc_diag_set(d, LC_EEXIST, there, 0, "exists%s (give --force to overwrite it)",
                           there == path ? "" : " (left by an interrupted run?)");
    }
    if (force && lstat(w->partial, &sb) == 0 && unlink(w->partial) != 0) {
        lc_status st = lc_diag_set(d, LC_EIO, w->partial, 0, "cannot remove: %s",
                                   strerror(errno));
        free(w);
        return st;
    }
    lc_h5_quiet();
    w->fid = H5Fcreate(w->partial, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
    if (w->fid < 0) {
        lc_status st = h5_fail(w, d, "creating the file");
        free(w);
        return st;
    }
    lc_status st = LC_OK;
    if (!lc_h5_attr_write_string(w->fid, "format", "llmcost-points/1") ||
        !lc_h5_attr_write_string(w->fid, "source", source ? source : ""))
        st = h5_fail(w, d, "writing the root attributes");
    hsize_t zero = 0, unlim = H5S_UNLIMITED, chunk = CHUNK_ROWS;
    for (int c = 0; c < ncols && st == LC_OK; c++) {
        hid_t sp = H5Screate_simple(1, &zero, &unlim);
        hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
        w->ds[c] = -1;
        if (sp >= 0 && pl >= 0 && H5Pset_chunk(pl, 1, &chunk) >= 0)
            w->ds[c] = H5Dcreate2(w->fid, names[c], H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl,
                                  H5P_DEFAULT);
        if (sp >= 0)
            H5Sclose(sp);
        if (pl >= 0)
            H5Pclose(pl);
        if (w->ds[c] < 0 || !lc_h5_attr_write_string(w->ds[c], "units", units[c] ? units[c] : "") ||
            (formulas && formulas[c] && !lc_h5_attr_write_string(w->ds[c], "formula", formulas[c])))
            st = h5_fail(w, d, "creating a column");
    }
    if (st != LC_OK) {
        lc_h5_points_close(w, 0, NULL);
        return st;
    }
    *out = w;
    return LC_OK;
}

lc_status lc_h5_points_append(lc_h5_points *w, const double *const *cols, size_t n,
                              lc_diag *d)
{
    if (n == 0)
        return LC_OK;
    hsize_t total = w->rows + n, start = w->rows, count = n;
    for (int c = 0; c < w->ncols; c++) {
        if (H5Dset_extent(w->ds[c], &total) < 0)
            return h5_fail(w, d, "extending a column");
        hid_t fs = H5Dget_space(w->ds[c]);
        hid_t ms = H5Screate_simple(1, &count, NULL);
        herr_t e = -1;
        if (fs >= 0 && ms >= 0 &&
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0)
            e = H5Dwrite(w->ds[c], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, cols[c]);
        if (fs >= 0)
            H5Sclose(fs);
        if (ms >= 0)
            H5Sclose(ms);
        if (e < 0)
            return h5_fail(w, d, "writing a column");
    }
    w->rows = total;
    return LC_OK;
}

lc_status lc_h5_points_close(lc_h5_points *w, int ok, lc_diag *d)
{
    if (!w)
        return LC_OK;
    lc_status st = LC_OK;
    for (int c = 0; c < w->ncols; c++)
        if (w->ds[c] >= 0)
            H5Dclose(w->ds[c]);
    if (w->fid >= 0 && H5Fclose(w->fid) < 0 && ok)
        st = h5_fail(w, d, "closing the file");
    if (ok && st == LC_OK && rename(w->partial, w->path) != 0)
        st = lc_diag_set(d, LC_EIO, w->path, 0, "cannot rename %s: %s", w->partial,
                         strerror(errno));
    if (!ok || st != LC_OK)
        remove(w->partial);
    free(w);
    return st;
}

/* ---- reading a design: root 1-D datasets named after inputs ---------------- */
struct lc_h5_table {
    char path[512];
    hid_t fid;
    int n_cols;
    hid_t ds[LC_POINTS_FILE_COLS];
    int col_input[LC_POINTS_FILE_COLS]; /* input, or LC_POINTS_COL_* (strings) */
    const lc_catalog *cat;
    hsize_t rows, next;
};

int lc_h5_is_hdf5(const char *path)
{
    /* the HDF5 signature at the start of the file (no user block) */
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char b[8];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    return n == sizeof b && memcmp(b, sig, sizeof b) == 0;
}

typedef struct {
    lc_h5_table *t;
    lc_diag *d;
    lc_status st;
} table_scan;

static herr_t table_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    table_scan *sc = data;
    lc_h5_table *t = sc->t;
    H5O_info_t oi;
    (void)info;
    int in = lc_input_find(name);
    if (in < 0)
        in = lc_points_label_kind(name) ? lc_points_label_kind(name) : -1;
    if (in == -1 || H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) < 0 ||
        oi.type != H5O_TYPE_DATASET)
        return 0; /* outputs, axes, anything else: not an input column */
    hid_t ds = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
    hid_t ty = ds >= 0 ? H5Dget_type(ds) : -1;
    hsize_t n = 0;
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
             H5Sget_simple_extent_dims(sp, &n, NULL) == 1;
    H5T_class_t cl = ty >= 0 ? H5Tget_class(ty) : H5T_NO_CLASS;
    int strings = cl == H5T_STRING;
    if (sp >= 0)
        H5Sclose(sp);
    if (ty >= 0)
        H5Tclose(ty);
    if (!ok || strings != (in < 0)) {
        if (ds >= 0)
            H5Dclose(ds);
        sc->st = lc_diag_set(sc->d, LC_EFORMAT, t->path, 0,
                             !ok        ? "dataset '%s' is not a 1-D column of values"
                             : in < 0   ? "dataset '%s' is not a column of names (strings)"
                                        : "dataset '%s' holds strings, expected numbers",
                             name);
        return 1;
    }
    /* an input column holds numbers only (HDF5 would fail inside H5Dread
     * on a compound type, or turn an enum such as h5py's bool into 0/1),
     * and no column more rows than the file holds (a declared extent whose
     * chunks were never written) */
    if (in >= 0 && cl != H5T_INTEGER && cl != H5T_FLOAT) {
        H5Dclose(ds);
        sc->st = lc_diag_set(sc->d, LC_EFORMAT, t->path, 0,
                             "dataset '%s' holds %s, not numbers: expected a column of "
                             "integers or floats",
                             name, cl == H5T_ENUM ? "an enum (booleans?)"
                                   : cl == H5T_COMPOUND ? "compound records"
                                                        : "values of another type");
        return 1;
    }
    if ((sc->st = lc_h5_check_extent(ds, t->path, name, sc->d)) != LC_OK) {
        H5Dclose(ds);
        return 1;
    }
    if (t->n_cols > 0 && n != t->rows) {
        H5Dclose(ds);
        sc->st = lc_diag_set(sc->d, LC_EFORMAT, t->path, 0,
                             "column '%s' has %llu rows, column '%s' %llu", name,
                             (unsigned long long)n, lc_points_col_name(t->col_input[0]),
                             (unsigned long long)t->rows);
        return 1;
    }
    t->rows = n;
    t->ds[t->n_cols] = ds;
    t->col_input[t->n_cols++] = in;
    return 0;
}

lc_status lc_h5_table_open(lc_h5_table **out, const char *path, const lc_catalog *cat,
                           lc_diag *d)
{
    *out = NULL;
    lc_h5_table *t = calloc(1, sizeof *t);
    if (!t)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    snprintf(t->path, sizeof t->path, "%s", path);
    t->cat = cat;
    lc_h5_quiet();
    t->fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (t->fid < 0) {
        free(t);
        return lc_diag_set(d, LC_EFORMAT, path, 0, "cannot open as HDF5");
    }
    table_scan sc = {t, d, LC_OK};
    hsize_t idx = 0;
    if (H5Literate(t->fid, H5_INDEX_NAME, H5_ITER_INC, &idx, table_cb, &sc) < 0 && sc.st == LC_OK)
        sc.st = lc_diag_set(d, LC_EHDF5, path, 0, "cannot list the root group");
    if (sc.st == LC_OK && t->n_cols == 0)
        sc.st = lc_diag_set(d, LC_EFORMAT, path, 0,
                            "no input columns: expected root 1-D datasets named after inputs "
                            "(params, tokens, ...)");
    if (sc.st != LC_OK) {
        lc_h5_table_close(t);
        return sc.st;
    }
    *out = t;
    return LC_OK;
}

int lc_h5_table_columns(const lc_h5_table *t, int *col_input)
{
    memcpy(col_input, t->col_input, (size_t)t->n_cols * sizeof *col_input);
    return t->n_cols;
}

/* Rows [start, start + count) of a column of names (variable- or
 * fixed-length strings) into col as catalogue indices. */
static lc_status read_names(lc_h5_table *t, int c, hid_t ms, hid_t fs, hsize_t start,
                            hsize_t count, double *col, lc_diag *d)
{
    hid_t ft = H5Dget_type(t->ds[c]), mt = H5Tcopy(H5T_C_S1);
    int vlen = ft >= 0 && H5Tis_variable_str(ft) > 0;
    size_t size = vlen ? sizeof(char *) : (ft >= 0 ? H5Tget_size(ft) : 0) + 1;
    void *buf = malloc((size_t)count * size);
    herr_t e = ft >= 0 && mt >= 0 && buf && H5Tset_size(mt, vlen ? H5T_VARIABLE : size) >= 0 &&
                       H5Tset_strpad(mt, H5T_STR_NULLTERM) >= 0 &&
                       H5Tset_cset(mt, H5Tget_cset(ft)) >= 0 /* h5py: UTF-8 */
                   ? H5Dread(t->ds[c], mt, ms, fs, H5P_DEFAULT, buf)
                   : -1;
    const char *what = lc_points_col_name(t->col_input[c]);
    lc_status st = e < 0 ? lc_diag_set(d, buf ? LC_EHDF5 : LC_ENOMEM, t->path, 0,
                                       "cannot read column '%s'", what)
                         : LC_OK;
    for (hsize_t j = 0; st == LC_OK && j < count; j++) {
        const char *s = vlen ? ((char **)buf)[j] : (char *)buf + j * size;
        lc_diag sub;
        st = lc_points_label(t->cat, t->col_input[c], s ? s : "", &col[j], NULL, 0, c + 1, &sub);
        if (st != LC_OK)
            lc_diag_set(d, st, t->path, 0, "row %llu: %s", (unsigned long long)(start + j + 1),
                        sub.msg);
    }
    if (e >= 0 && vlen)
        H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, buf); /* H5Treclaim from HDF5 1.12 on */
    free(buf);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    return st;
}

lc_status lc_h5_table_read(lc_h5_table *t, double *const *cols, size_t max, size_t *n,
                           lc_diag *d)
{
    hsize_t start = t->next, count = t->rows - t->next < max ? t->rows - t->next : max;
    *n = 0;
    if (count == 0)
        return LC_OK;
    for (int c = 0; c < t->n_cols; c++) {
        hid_t fs = H5Dget_space(t->ds[c]);
        hid_t ms = H5Screate_simple(1, &count, NULL);
        herr_t e = -1;
        lc_status st = LC_OK;
        if (fs >= 0 && ms >= 0 &&
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0) {
            if (t->col_input[c] < 0)
                e = (st = read_names(t, c, ms, fs, start, count, cols[c], d)) == LC_OK ? 0 : -1;
            else
                e = H5Dread(t->ds[c], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, cols[c]);
        }
        if (fs >= 0)
            H5Sclose(fs);
        if (ms >= 0)
            H5Sclose(ms);
        if (st != LC_OK)
            return st;
        if (e < 0)
            return lc_diag_set(d, LC_EHDF5, t->path, 0, "cannot read column '%s'",
                               lc_points_col_name(t->col_input[c]));
        for (hsize_t j = 0; t->col_input[c] >= 0 && j < count; j++) {
            lc_diag sub;
            if (lc_input_check((lc_input)t->col_input[c], cols[c][j], &sub) != LC_OK)
                return lc_diag_set(d, LC_ERANGE, t->path, 0, "row %llu: %s",
                                   (unsigned long long)(start + j + 1), sub.msg);
        }
    }
    t->next += count;
    *n = (size_t)count;
    return LC_OK;
}

void lc_h5_table_close(lc_h5_table *t)
{
    if (!t)
        return;
    for (int c = 0; c < t->n_cols; c++)
        H5Dclose(t->ds[c]);
    if (t->fid >= 0)
        H5Fclose(t->fid);
    free(t);
}
