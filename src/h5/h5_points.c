/*
 * h5_points.c - the HDF5 file of `eval --points --format h5` (h5_points.h):
 * one 1-D float64 dataset per column (the design's inputs, then the
 * outputs) with its units (and a formula's text), extendible, appended one
 * batch at a time; written to FILE.partial and renamed when complete;
 * root attributes format = "llmcost-points/1" and source.
 */
#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5/h5_points.h"
#include "h5/h5_read.h"
#include "h5/h5_write.h"

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
    if (!force) {
        FILE *t = fopen(path, "r");
        if (t) {
            fclose(t);
            free(w);
            return lc_diag_set(d, LC_EEXIST, path, 0, "exists (give --force to overwrite it)");
        }
    }
    lc_h5_quiet();
    w->fid = H5Fcreate(w->partial, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
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
