/*
 * h5_outputs.c - a finished sweep file as a table of its stored outputs:
 * which outputs it holds, their shapes with the names of their dimensions
 * (from the attached dimension scales), and their values as doubles.  The
 * public API's reader (api/api_file.c) is built on it, so that the layers
 * above io/ call no HDF5.
 *
 * The file is opened with lc_h5_open_sweep (format check); the output list
 * is taken once at open (root datasets named as a model output) and every
 * HDF5 call is checked.  A read's size is checked against the dataset's
 * real extent before anything is read.
 */
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5/h5_write.h"
#include "h5/h5_read.h"
#include "h5/h5_outputs.h"
#include "model/model.h"

#define MAX_RANK LC_H5_OUT_MAX_RANK
typedef lc_h5_out_shape shape;

struct lc_h5_outputs {
    hid_t fid;
    int n;
    const char *names[LC_OUT_COUNT];
    shape shapes[LC_OUT_COUNT];
    char path[1024];
};

static lc_status read_shape(hid_t fid, const char *name, shape *s, lc_diag *d, const char *path)
{
    hid_t ds = H5Dopen2(fid, name, H5P_DEFAULT);
    if (ds < 0)
        return lc_diag_set(d, LC_EHDF5, path, 0, "cannot open dataset '%s'", name);
    hid_t sp = H5Dget_space(ds);
    int rank = sp < 0 ? -1 : H5Sget_simple_extent_ndims(sp);
    lc_status st = LC_OK;
    hsize_t dims[MAX_RANK];
    if (rank < 0 || rank > MAX_RANK || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        st = lc_diag_set(d, LC_EFORMAT, path, 0, "dataset '%s' has no valid shape", name);
    } else {
        s->rank = rank;
        for (int k = 0; k < rank; k++) {
            s->dims[k] = dims[k];
            s->dim_name[k][0] = '\0';
            if (!lc_h5_dim_scale(ds, (unsigned)k, s->dim_name[k]))
                snprintf(s->dim_name[k], sizeof s->dim_name[k], "dim%d", k);
        }
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(ds);
    return st;
}

lc_status lc_h5_outputs_open(lc_h5_outputs **out, const char *path, lc_diag *d)
{
    *out = NULL;
    lc_h5_outputs *f = calloc(1, sizeof *f);
    if (!f)
        return lc_diag_set(d, LC_ENOMEM, path, 0, "out of memory");
    snprintf(f->path, sizeof f->path, "%s", path);
    lc_status st = lc_h5_open_sweep(path, &f->fid, d);
    if (st != LC_OK) {
        free(f);
        return st;
    }
    for (int o = 0; o < LC_OUT_COUNT && st == LC_OK; o++) {
        htri_t has = H5Lexists(f->fid, lc_outputs[o].name, H5P_DEFAULT);
        if (has < 0)
            st = lc_diag_set(d, LC_EHDF5, path, 0, "cannot list the root group");
        else if (has > 0 && (st = read_shape(f->fid, lc_outputs[o].name, &f->shapes[f->n], d,
                                             path)) == LC_OK)
            f->names[f->n++] = lc_outputs[o].name;
    }
    if (st != LC_OK) {
        lc_h5_outputs_close(f);
        return st;
    }
    *out = f;
    return LC_OK;
}

void lc_h5_outputs_close(lc_h5_outputs *f)
{
    if (f) {
        if (f->fid >= 0)
            H5Fclose(f->fid);
        free(f);
    }
}

int lc_h5_outputs_count(const lc_h5_outputs *f) { return f->n; }

const char *lc_h5_outputs_name(const lc_h5_outputs *f, int i)
{
    return i >= 0 && i < f->n ? f->names[i] : NULL;
}

const lc_h5_out_shape *lc_h5_outputs_shape(const lc_h5_outputs *f, const char *output,
                                           lc_diag *d)
{
    for (int i = 0; output && i < f->n; i++)
        if (strcmp(f->names[i], output) == 0)
            return &f->shapes[i];
    lc_diag_set(d, LC_ENOTFOUND, f->path, 0, "no stored output '%s'", output ? output : "(null)");
    return NULL;
}

lc_status lc_h5_outputs_read(const lc_h5_outputs *f, const char *output, double *values,
                             uint64_t n, lc_diag *d)
{
    const shape *s = lc_h5_outputs_shape(f, output, d);
    if (!s)
        return LC_ENOTFOUND;
    uint64_t want = 1;
    for (int k = 0; k < s->rank; k++)
        want *= s->dims[k];
    if (n != want)
        return lc_diag_set(d, LC_EINVAL, f->path, 0, "output '%s' has %llu values, not %llu",
                           output, (unsigned long long)want, (unsigned long long)n);
    hid_t ds = H5Dopen2(f->fid, output, H5P_DEFAULT);
    herr_t e = ds < 0 ? -1 : H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    if (ds >= 0)
        H5Dclose(ds);
    if (e < 0) {
        char msg[256];
        lc_h5_error_text(msg, sizeof msg);
        return lc_diag_set(d, LC_EHDF5, f->path, 0, "cannot read '%s': %s", output, msg);
    }
    return LC_OK;
}
