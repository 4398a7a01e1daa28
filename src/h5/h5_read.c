/*
 * h5_read.c - the readers every file of src/h5/ shares: the one way to
 * open a sweep file (lc_h5_open_sweep: a regular file, HDF5, the format
 * attribute; used by info, slice, merge and the API), the one attribute
 * reader (strings of any kind, numbers), the structure and extent checks
 * that keep a forged file from sizing an allocation, and the name of the
 * axis attached to a dimension.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5_hl.h>

#include "h5/h5_write.h"
#include "h5/h5_read.h"
#include "util/path.h"

lc_status lc_h5_open_sweep(const char *path, hid_t *file, lc_diag *d)
{
    char fmt[128];
    FILE *f;
    lc_h5_quiet();
    lc_status st = lc_path_regular(path, "sweep file (HDF5)", d); /* a FIFO would block */
    if (st != LC_OK)
        return st;
    if ((f = fopen(path, "rb")) == NULL)
        return lc_diag_set(d, LC_EIO, path, 0, "cannot open");
    fclose(f);
    if (H5Fis_hdf5(path) <= 0)
        return lc_diag_set(d, LC_EFORMAT, path, 0, "not an HDF5 file");
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) {
        /* it has an HDF5 signature but no readable superblock or root
         * group: cut short (a copy or a transfer that stopped, a sweep
         * killed early) or damaged - the input's fault, exit 2 */
        char e[256];
        lc_h5_error_text(e, sizeof e);
        return lc_diag_set(d, LC_EFORMAT, path, 0,
                           "truncated or damaged HDF5 file (cannot be opened)%s%s",
                           e[0] ? ": " : "", e);
    }
    if (lc_h5_attr_string(fid, "format", fmt, sizeof fmt) != LC_OK ||
        strncmp(fmt, "llmcost-sweep/", 14) != 0) {
        H5Fclose(fid);
        return lc_diag_set(d, LC_EFORMAT, path, 0,
                           "an HDF5 file, but not an llmcost sweep file (no format "
                           "attribute \"llmcost-sweep/...\")");
    }
    if (strcmp(fmt, LC_H5_FORMAT) != 0) { /* a later version may mean other things */
        H5Fclose(fid);
        return lc_diag_set(d, LC_EFORMAT, path, 0,
                           "format \"%.40s\" is not one this llmcost reads (it reads \""
                           LC_H5_FORMAT "\" only): written by a newer llmcost?", fmt);
    }
    *file = fid;
    return LC_OK;
}

char *lc_h5_attr_string_dup(hid_t obj, const char *name)
{
    char *out = NULL;
    hid_t a = -1, t = -1, mt = -1, sp = -1;
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    if ((a = H5Aopen(obj, name, H5P_DEFAULT)) < 0 || (t = H5Aget_type(a)) < 0 ||
        H5Tget_class(t) != H5T_STRING)
        goto out;
    if ((sp = H5Aget_space(a)) < 0 || H5Sget_simple_extent_npoints(sp) != 1)
        goto out;
    if (H5Tis_variable_str(t) > 0) {
        char *v = NULL;
        if ((mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 ||
            H5Tset_cset(mt, H5Tget_cset(t)) < 0 || H5Aread(a, mt, &v) < 0)
            goto out;
        out = v ? strdup(v) : strdup("");
        H5free_memory(v);
    } else {
        size_t n = H5Tget_size(t);
        out = calloc(n + 1, 1);
        if (out && H5Aread(a, t, out) < 0) {
            free(out);
            out = NULL;
        }
    }
out:
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return out;
}

lc_status lc_h5_attr_string(hid_t obj, const char *name, char *buf, size_t size)
{
    char *s = lc_h5_attr_string_dup(obj, name);
    if (s == NULL)
        return LC_ENOTFOUND;
    snprintf(buf, size, "%s", s);
    free(s);
    return LC_OK;
}

static lc_status attr_num(hid_t obj, const char *name, hid_t mt, void *v)
{
    lc_status st = LC_ENOTFOUND;
    if (H5Aexists(obj, name) <= 0)
        return st;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return st;
    hid_t sp = H5Aget_space(a);
    if (sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1 && H5Aread(a, mt, v) >= 0)
        st = LC_OK;
    if (sp >= 0)
        H5Sclose(sp);
    H5Aclose(a);
    return st;
}

lc_status lc_h5_attr_double(hid_t obj, const char *name, double *v)
{
    return attr_num(obj, name, H5T_NATIVE_DOUBLE, v);
}

lc_status lc_h5_attr_u64(hid_t obj, const char *name, uint64_t *v)
{
    return attr_num(obj, name, H5T_NATIVE_UINT64, v);
}

lc_status lc_h5_check_extent(hid_t ds, const char *path, const char *name, lc_diag *d)
{
    hid_t sp = H5Dget_space(ds), ft = H5Dget_type(ds), pl = H5Dget_create_plist(ds);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t es = ft >= 0 ? H5Tget_size(ft) : 0;
    int filtered = pl >= 0 && H5Pget_nfilters(pl) > 0;
    hsize_t stored = H5Dget_storage_size(ds), fsize = 0;
    hid_t f = H5Iget_file_id(ds);
    int have_size = f >= 0 && H5Fget_filesize(f, &fsize) >= 0;
    if (f >= 0)
        H5Fclose(f);
    if (pl >= 0)
        H5Pclose(pl);
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    if (n < 0 || es == 0 || !have_size)
        return lc_diag_set(d, LC_EFORMAT, path, 0, "dataset '%s': unreadable %s", name,
                           have_size ? "dataspace or type" : "file size");
    /* what the values need in memory, against what the file holds: an
     * unfiltered dataset stores every byte; a filtered one at most ~1000:1
     * (deflate's limit); neither can exceed the file itself that way */
    double need = (double)n * (double)es;
    double have = filtered ? 1100.0 * (double)stored + 65536.0 : (double)stored;
    if (need > have || (!filtered && (double)stored > (double)fsize + 4096.0))
        return lc_diag_set(d, LC_EFORMAT, path, 0,
                           "dataset '%s' declares %lld points (%.3g MB) but the file holds "
                           "%llu bytes of it (file size %llu): damaged or forged, refusing "
                           "to allocate for it", name, (long long)n, need / 1e6,
                           (unsigned long long)stored, (unsigned long long)fsize);
    return LC_OK;
}

/* H5DSiterate_scales callback: the dataset name (its link's last part) of
 * the first scale attached. */
static herr_t dim_scale_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    (void)did;
    (void)dim;
    char path[256], *buf = data;
    ssize_t n = H5Iget_name(dsid, path, sizeof path);
    if (n <= 0 || (size_t)n >= sizeof path)
        return -1;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strlen(base) >= LC_H5_SCALE_NAME)
        return -1;
    memcpy(buf, base, strlen(base) + 1);
    return 1;
}

int lc_h5_dim_scale(hid_t ds, unsigned dim, char name[LC_H5_SCALE_NAME])
{
    name[0] = '\0';
    return H5DSiterate_scales(ds, dim, NULL, dim_scale_cb, name) > 0 && name[0];
}

/* H5DSiterate_scales callback: the length of the (1-D) scale attached. */
int lc_h5_axis_is_chars(hid_t ds)
{
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds);
    int r = sp >= 0 && t >= 0 && H5Sget_simple_extent_ndims(sp) == 2 &&
            H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0 && H5Tget_size(t) == 1;
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    return r;
}

hssize_t lc_h5_axis_points(hid_t ds)
{
    hid_t sp = H5Dget_space(ds);
    hsize_t dims[2];
    hssize_t n = -1;
    if (sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1)
        n = H5Sget_simple_extent_npoints(sp);
    else if (sp >= 0 && lc_h5_axis_is_chars(ds) && H5Sget_simple_extent_dims(sp, dims, NULL) == 2)
        n = (hssize_t)dims[0];
    if (sp >= 0)
        H5Sclose(sp);
    return n;
}

char **lc_h5_axis_chars(hid_t ds, size_t *n)
{
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds);
    hsize_t dims[2] = {0, 0};
    char *buf = NULL, **out = NULL;
    if (sp < 0 || t < 0 || !lc_h5_axis_is_chars(ds) ||
        H5Sget_simple_extent_dims(sp, dims, NULL) != 2 || dims[0] == 0 || dims[1] == 0 ||
        dims[1] > 4096 || lc_h5_check_extent(ds, "", "", &(lc_diag){0}) != LC_OK)
        goto out;
    buf = malloc((size_t)(dims[0] * dims[1]));
    out = calloc((size_t)dims[0], sizeof *out);
    if (!buf || !out || H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        goto fail;
    for (size_t i = 0; i < dims[0]; i++) {
        const char *row = buf + i * dims[1];
        size_t len = strnlen(row, (size_t)dims[1]);
        if ((out[i] = strndup(row, len)) == NULL)
            goto fail;
    }
    *n = (size_t)dims[0];
    goto out;
fail:
    for (size_t i = 0; out && i < dims[0]; i++)
        free(out[i]);
    free(out);
    out = NULL;
out:
    free(buf);
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    return out;
}

static herr_t scale_len_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    (void)did;
    (void)dim;
    *(hssize_t *)data = lc_h5_axis_points(dsid);
    return 1;
}

/* A file can carry format = "llmcost-sweep/1" without being one (written by
 * hand, or damaged): before describing it, check the structure this command
 * and 'slice' rely on.  The 'axes' attribute must name 1-D datasets, and
 * every output (a dataset with a formula) must have an axis attached to each
 * dimension whose length is that dimension's.  On a problem, MSG says what
 * and 0 is returned. */
int lc_h5_valid_sweep(hid_t f, const char *axes, char *msg, size_t size)
{
    if (axes == NULL) {
        snprintf(msg, size, "no 'axes' attribute");
        return 0;
    }
    char *list = strdup(axes);
    int ok = list != NULL;
    if (!ok)
        snprintf(msg, size, "out of memory");
    for (char *tok = list ? strtok(list, ",") : NULL; ok && tok; tok = strtok(NULL, ",")) {
        hid_t ds = H5Lexists(f, tok, H5P_DEFAULT) > 0 ? H5Dopen2(f, tok, H5P_DEFAULT) : -1;
        hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
        if (ds < 0) {
            snprintf(msg, size, "axis '%s' (named by the 'axes' attribute) has no dataset", tok);
            ok = 0;
        } else if (sp < 0 || lc_h5_axis_points(ds) < 1) {
            snprintf(msg, size, "axis '%s' is not a 1-D dataset of at least one point", tok);
            ok = 0;
        } else {
            lc_diag xd = {0}; /* its length against what the file holds */
            if (lc_h5_check_extent(ds, "", tok, &xd) != LC_OK) {
                snprintf(msg, size, "%.400s", xd.msg);
                ok = 0;
            }
        }
        if (sp >= 0)
            H5Sclose(sp);
        if (ds >= 0)
            H5Dclose(ds);
    }
    free(list);
    H5G_info_t gi;
    if (!ok || H5Gget_info(f, &gi) < 0)
        return ok;
    for (hsize_t i = 0; ok && i < gi.nlinks; i++) {
        char name[256];
        H5O_info_t oi;
        if (H5Lget_name_by_idx(f, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name,
                               H5P_DEFAULT) < 0 ||
            H5Oget_info_by_name(f, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
            continue;
        hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
        if (ds < 0 || H5Aexists(ds, "formula") <= 0) {
            if (ds >= 0)
                H5Dclose(ds);
            continue;
        }
        hid_t sp = H5Dget_space(ds);
        int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
        hsize_t dims[32];
        if (rank < 0 || rank > 32 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
            snprintf(msg, size, "output '%s': unreadable dataspace", name);
            ok = 0;
        }
        for (int j = 0; ok && j < rank; j++) {
            hssize_t len = -2;
            if (H5DSget_num_scales(ds, (unsigned)j) < 1 ||
                H5DSiterate_scales(ds, (unsigned)j, NULL, scale_len_cb, &len) < 0 || len == -2) {
                snprintf(msg, size, "output '%s': dimension %d has no axis attached", name, j + 1);
                ok = 0;
            } else if (len < 0 || (hsize_t)len != dims[j]) {
                char sn[LC_H5_SCALE_NAME];
                if (!lc_h5_dim_scale(ds, (unsigned)j, sn))
                    snprintf(sn, sizeof sn, "?");
                snprintf(msg, size,
                         "output '%s': dimension %d has %llu points but its axis '%s' has %lld",
                         name, j + 1, (unsigned long long)dims[j], sn, (long long)len);
                ok = 0;
            }
        }
        if (sp >= 0)
            H5Sclose(sp);
        H5Dclose(ds);
    }
    return ok;
}

