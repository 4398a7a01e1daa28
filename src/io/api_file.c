/*
 * api_file.c - the public API's reader of sweep files (llmcost.h:
 * llmcost_file_*): which outputs a file stores, their shapes with the names
 * of their dimensions, and their values as doubles.
 *
 * It lives with the other HDF5 code (io/) so that the API layer above it
 * calls no HDF5 itself.  The file is opened with lc_h5_open_sweep (format
 * check); the output list is taken once at open (root datasets named as a
 * model output) and every HDF5 call is checked.  Sizes are validated
 * against the dataset's real extent before anything is read.
 */
#include "llmcost/llmcost.h"

#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "llmcost/h5file.h"
#include "llmcost/model.h"

#define MAX_RANK 16

typedef struct {
    int rank;
    uint64_t dims[MAX_RANK];
    char dim_name[MAX_RANK][64];
} shape;

struct llmcost_file {
    hid_t fid;
    int n;
    const char *names[LC_OUT_COUNT];
    shape shapes[LC_OUT_COUNT];
    char path[1024];
};

static herr_t scale_name(hid_t did, unsigned dim, hid_t dsid, void *op)
{
    (void)did;
    (void)dim;
    char *name = op;
    ssize_t n = H5Iget_name(dsid, name, 64);
    if (n <= 0)
        return -1;
    if (name[0] == '/')
        memmove(name, name + 1, strlen(name));
    return 1; /* the first scale attached to this dimension */
}

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
            int idx = 0;
            if (H5DSiterate_scales(ds, (unsigned)k, &idx, scale_name, s->dim_name[k]) < 0 ||
                !s->dim_name[k][0])
                snprintf(s->dim_name[k], sizeof s->dim_name[k], "dim%d", k);
        }
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(ds);
    return st;
}

llmcost_status llmcost_file_open(llmcost_file **out, const char *path, llmcost_error *err)
{
    *out = NULL;
    lc_diag d = {0};
    if (!path)
        return lc_api_fail(err, LC_EINVAL, NULL);
    llmcost_file *f = calloc(1, sizeof *f);
    if (!f)
        return lc_api_fail(err, LC_ENOMEM, NULL);
    snprintf(f->path, sizeof f->path, "%s", path);
    lc_status st = lc_h5_open_sweep(path, &f->fid, &d);
    if (st != LC_OK) {
        free(f);
        return lc_api_fail(err, st, &d);
    }
    for (int o = 0; o < LC_OUT_COUNT && st == LC_OK; o++) {
        htri_t has = H5Lexists(f->fid, lc_outputs[o].name, H5P_DEFAULT);
        if (has < 0)
            st = lc_diag_set(&d, LC_EHDF5, path, 0, "cannot list the root group");
        else if (has > 0 && (st = read_shape(f->fid, lc_outputs[o].name, &f->shapes[f->n], &d,
                                             path)) == LC_OK)
            f->names[f->n++] = lc_outputs[o].name;
    }
    if (st != LC_OK) {
        llmcost_file_close(f);
        return lc_api_fail(err, st, &d);
    }
    *out = f;
    return lc_api_ok(err);
}

void llmcost_file_close(llmcost_file *f)
{
    if (f) {
        if (f->fid >= 0)
            H5Fclose(f->fid);
        free(f);
    }
}

int llmcost_file_output_count(const llmcost_file *f) { return f->n; }

const char *llmcost_file_output_name(const llmcost_file *f, int i)
{
    return i >= 0 && i < f->n ? f->names[i] : NULL;
}

static const shape *find(const llmcost_file *f, const char *output, llmcost_error *err)
{
    for (int i = 0; output && i < f->n; i++)
        if (strcmp(f->names[i], output) == 0)
            return &f->shapes[i];
    lc_diag d = {0};
    lc_diag_set(&d, LC_ENOTFOUND, f->path, 0, "no stored output '%s'",
                output ? output : "(null)");
    lc_api_fail(err, LC_ENOTFOUND, &d);
    return NULL;
}

llmcost_status llmcost_file_output_shape(const llmcost_file *f, const char *output, int *rank,
                                         uint64_t dims[16], const char *dim_names[16],
                                         llmcost_error *err)
{
    const shape *s = find(f, output, err);
    if (!s)
        return LLMCOST_ENOTFOUND;
    *rank = s->rank;
    for (int k = 0; k < s->rank; k++) {
        dims[k] = s->dims[k];
        if (dim_names)
            dim_names[k] = s->dim_name[k];
    }
    return lc_api_ok(err);
}

llmcost_status llmcost_file_read(const llmcost_file *f, const char *output, double *values,
                                 uint64_t n, llmcost_error *err)
{
    const shape *s = find(f, output, err);
    if (!s)
        return LLMCOST_ENOTFOUND;
    lc_diag d = {0};
    uint64_t want = 1;
    for (int k = 0; k < s->rank; k++)
        want *= s->dims[k];
    if (n != want) {
        lc_diag_set(&d, LC_EINVAL, f->path, 0, "output '%s' has %llu values, not %llu", output,
                    (unsigned long long)want, (unsigned long long)n);
        return lc_api_fail(err, LC_EINVAL, &d);
    }
    hid_t ds = H5Dopen2(f->fid, output, H5P_DEFAULT);
    herr_t e = ds < 0 ? -1 : H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    if (ds >= 0)
        H5Dclose(ds);
    if (e < 0) {
        char msg[256];
        lc_h5_error_text(msg, sizeof msg);
        lc_diag_set(&d, LC_EHDF5, f->path, 0, "cannot read '%s': %s", output, msg);
        return lc_api_fail(err, LC_EHDF5, &d);
    }
    return lc_api_ok(err);
}
