/*
 * h5_shards.c - the HDF5 side of shards, merge and resume (h5_shards.h):
 * the stored outputs of a sweep file in the engine's global chunk order
 * (creation order = the spec's store order; chunks row-major within a
 * dataset), reading a chunk of a .partial back for resume's checksums, and
 * copying a shard's chunks as stored (H5Dread_chunk/H5Dwrite_chunk: the
 * compressed bytes, no decoding) into the merged file.  Which chunks a
 * shard owns and whether shards belong together is decided by
 * src/cluster/; every HDF5 call is here.
 */
#include "h5/h5_shards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "grid/grid.h"
#include "h5/h5_read.h"
#include "h5/h5_write.h"
#include "model/model.h"
#include "spec/spec.h"

/* Stored output datasets of a file in creation order (= the engine's
 * global chunk order). */
typedef struct {
    char name[LC_NAME_MAX];
    lc_tiling t;
    uint64_t base;
} out_ds;

typedef struct {
    out_ds ds[LC_OUT_MAX];
    int n;
} dslist;

static herr_t list_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    dslist *l = data;
    H5O_info_t oi;
    (void)info;
    if (l->n >= LC_OUT_MAX || strlen(name) >= sizeof l->ds[0].name)
        return 0;
    if (H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
        return 0;
    /* a model output, or a user formula (a dataset with a formula) */
    if (lc_output_find(name) < 0 && H5Aexists_by_name(g, name, "formula", H5P_DEFAULT) <= 0)
        return 0;
    snprintf(l->ds[l->n].name, sizeof l->ds[l->n].name, "%s", name);
    l->n++;
    return 0;
}

static lc_status list_outputs(hid_t f, const char *path, dslist *l, uint64_t *total, lc_diag *d)
{
    hsize_t idx = 0;
    l->n = 0;
    if (H5Literate(f, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, list_cb, l) < 0)
        return lc_h5_fail(d, path, "listing the datasets");
    uint64_t base = 0;
    for (int i = 0; i < l->n; i++) {
        out_ds *s = &l->ds[i];
        hid_t ds = H5Dopen2(f, s->name, H5P_DEFAULT);
        hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
        hid_t pl = ds >= 0 ? H5Dget_create_plist(ds) : -1;
        int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
        hsize_t dims[LC_GRID_MAX_RANK], ch[LC_GRID_MAX_RANK];
        int ok = rank >= 0 && rank <= LC_GRID_MAX_RANK &&
                 H5Sget_simple_extent_dims(sp, dims, NULL) >= 0 &&
                 (rank == 0 || H5Pget_chunk(pl, rank, ch) == rank);
        if (pl >= 0) H5Pclose(pl);
        if (sp >= 0) H5Sclose(sp);
        if (ds >= 0) H5Dclose(ds);
        if (!ok)
            return lc_diag_set(d, LC_EFORMAT, path, 0,
                               "dataset '%s' is not a chunked sweep output", s->name);
        memset(&s->t, 0, sizeof s->t);
        s->t.rank = rank;
        s->t.n_chunks = s->t.points = s->t.chunk_points = 1;
        for (int j = 0; j < rank; j++) {
            s->t.dims[j] = dims[j];
            s->t.chunk[j] = ch[j];
            s->t.nchunk[j] = (dims[j] + ch[j] - 1) / ch[j];
            s->t.n_chunks *= s->t.nchunk[j];
            s->t.points *= dims[j];
            s->t.chunk_points *= ch[j];
        }
        s->base = base;
        base += s->t.n_chunks;
    }
    *total = base;
    return LC_OK;
}

static int locate(const dslist *l, uint64_t g)
{
    for (int i = 0; i < l->n; i++)
        if (g >= l->ds[i].base && g < l->ds[i].base + l->ds[i].t.n_chunks)
            return i;
    return -1;
}

/* ---- reading chunks back (resume) ------------------------------------------ */
struct lc_h5_chunks {
    hid_t f;
    dslist l;
    uint64_t total;
};

lc_status lc_h5_chunks_open(lc_h5_chunks **out, const char *path, lc_diag *d)
{
    *out = NULL;
    lc_h5_quiet();
    lc_h5_chunks *c = calloc(1, sizeof *c);
    if (!c)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    c->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    lc_status st = c->f < 0 ? lc_diag_set(d, LC_EFORMAT, path, 0, "HDF5 cannot open it")
                            : list_outputs(c->f, path, &c->l, &c->total, d);
    if (st != LC_OK) {
        lc_h5_chunks_close(c);
        return st;
    }
    *out = c;
    return LC_OK;
}

uint64_t lc_h5_chunks_total(const lc_h5_chunks *c)
{
    return c->total;
}

void lc_h5_chunks_close(lc_h5_chunks *c)
{
    if (!c)
        return;
    if (c->f >= 0)
        H5Fclose(c->f);
    free(c);
}

int lc_h5_chunks_read(const lc_h5_chunks *c, uint64_t g, int stored, size_t nbytes, void **buf,
                      size_t *cap)
{
    int i = locate(&c->l, g), ok = 0;
    if (i < 0)
        return 0;
    const out_ds *x = &c->l.ds[i];
    uint64_t origin[LC_GRID_MAX_RANK], extent[LC_GRID_MAX_RANK];
    hsize_t off[LC_GRID_MAX_RANK], cnt[LC_GRID_MAX_RANK], zero[LC_GRID_MAX_RANK],
        shape[LC_GRID_MAX_RANK];
    hid_t ds = H5Dopen2(c->f, x->name, H5P_DEFAULT), ty = -1, fs = -1, ms = -1;
    if (ds < 0)
        return 0;
    size_t need = nbytes ? nbytes : 1;
    /* the caller's record sizes the buffer: no chunk encodes to more than
     * its raw values plus the codecs' overhead */
    if (need > x->t.chunk_points * 8 + 65536)
        goto out;
    if (need > *cap) {
        void *nb = realloc(*buf, need);
        if (!nb)
            goto out;
        *buf = nb;
        *cap = need;
    }
    if (x->t.rank > 0)
        lc_tiling_chunk(&x->t, g - x->base, origin, extent);
    for (int j = 0; j < x->t.rank; j++) {
        off[j] = origin[j];
        cnt[j] = extent[j];
        zero[j] = 0;
        shape[j] = x->t.chunk[j];
    }
    if (stored && x->t.rank > 0) {
        hsize_t size = 0;
        uint32_t mask = 0;
        ok = H5Dget_chunk_storage_size(ds, off, &size) >= 0 && size == nbytes &&
             H5Dread_chunk(ds, H5P_DEFAULT, off, &mask, *buf) >= 0;
    } else {
        /* values in the full chunk shape, zero padded, as the engine had them */
        if ((ty = H5Dget_type(ds)) < 0)
            goto out;
        size_t es = H5Tget_size(ty);
        hid_t mt = es == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
        if (nbytes != x->t.chunk_points * es)
            goto out;
        memset(*buf, 0, nbytes);
        if (x->t.rank == 0) {
            ok = H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *buf) >= 0;
        } else {
            fs = H5Dget_space(ds);
            ms = H5Screate_simple(x->t.rank, shape, NULL);
            ok = fs >= 0 && ms >= 0 &&
                 H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) >= 0 &&
                 H5Sselect_hyperslab(ms, H5S_SELECT_SET, zero, NULL, cnt, NULL) >= 0 &&
                 H5Dread(ds, mt, ms, fs, H5P_DEFAULT, *buf) >= 0;
        }
    }
out:
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (ty >= 0) H5Tclose(ty);
    H5Dclose(ds);
    return ok;
}

/* ---- shards and merge ------------------------------------------------------- */
struct lc_h5_shard {
    const char *path;
    hid_t file;
    char *tag, *fp, *identity;
};

lc_status lc_h5_shard_open(lc_h5_shard **out, const char *path, lc_diag *d)
{
    *out = NULL;
    lc_h5_shard *s = calloc(1, sizeof *s);
    if (!s)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    s->path = path;
    lc_status st = lc_h5_open_sweep(path, &s->file, d);
    if (st != LC_OK) {
        free(s);
        return st;
    }
    s->tag = lc_h5_attr_string_dup(s->file, "shard");
    s->fp = lc_h5_attr_string_dup(s->file, "identity_fingerprint");
    s->identity = lc_h5_attr_string_dup(s->file, "identity");
    *out = s;
    return LC_OK;
}

const char *lc_h5_shard_tag(const lc_h5_shard *s) { return s->tag; }
const char *lc_h5_shard_fingerprint(const lc_h5_shard *s) { return s->fp; }
const char *lc_h5_shard_identity(const lc_h5_shard *s) { return s->identity; }

int lc_h5_shard_valid(const lc_h5_shard *s, char *why, size_t size)
{
    char *axes = lc_h5_attr_string_dup(s->file, "axes");
    int valid = lc_h5_valid_sweep(s->file, axes, why, size);
    free(axes);
    return valid;
}

int lc_h5_shard_has_summary(const lc_h5_shard *s)
{
    /* the group, or in the netCDF-4 classic model the root attributes
     * summary.* announced by the root attribute "summary" */
    return H5Lexists(s->file, "summary", H5P_DEFAULT) > 0 || H5Aexists(s->file, "summary") > 0;
}

void lc_h5_shard_close(lc_h5_shard *s)
{
    if (!s)
        return;
    if (s->file >= 0)
        H5Fclose(s->file);
    free(s->tag);
    free(s->fp);
    free(s->identity);
    free(s);
}

struct lc_h5_merge {
    const char *path;
    hid_t f;
    dslist l;
};

lc_status lc_h5_merge_open(lc_h5_merge **out, const char *tmp, const lc_h5_shard *first,
                           uint64_t *total, lc_diag *d)
{
    *out = NULL;
    lc_h5_merge *m = calloc(1, sizeof *m);
    if (!m)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    m->path = tmp;
    m->f = -1;
    lc_status st = list_outputs(first->file, first->path, &m->l, total, d);
    if (st == LC_OK && (m->f = H5Fopen(tmp, H5F_ACC_RDWR, H5P_DEFAULT)) < 0)
        st = lc_h5_fail(d, tmp, "opening the merged file");
    if (st != LC_OK) {
        free(m);
        return st;
    }
    *out = m;
    return LC_OK;
}

lc_status lc_h5_merge_copy(lc_h5_merge *m, const lc_h5_shard *s, int k, int n, uint64_t first,
                           uint64_t last, uint64_t *chunks, uint64_t *bytes, lc_diag *d)
{
    hid_t out = m->f;
    const char *out_path = m->path;
    const dslist *l = &m->l;
    lc_status st = LC_OK;
    void *buf = NULL;
    size_t cap = 0;
    for (int i = 0; i < l->n && st == LC_OK; i++) {
        const out_ds *di = &l->ds[i];
        uint64_t a = first > di->base ? first - di->base : 0;
        uint64_t b = last - di->base < di->t.n_chunks ? last - di->base : di->t.n_chunks;
        if (last <= di->base || a >= b)
            continue;
        hid_t src = H5Dopen2(s->file, di->name, H5P_DEFAULT);
        hid_t dst = H5Dopen2(out, di->name, H5P_DEFAULT);
        if (src < 0 || dst < 0) {
            st = lc_diag_set(d, LC_EFORMAT, src < 0 ? s->path : out_path, 0,
                             "dataset '%s' missing", di->name);
            goto next;
        }
        {
            /* the dataset must have the first shard's shape and chunks:
             * another tiling would fail in H5Dread_chunk (exit 1) or copy
             * chunks into the wrong places (issue 7) */
            hid_t sp = H5Dget_space(src), pl = H5Dget_create_plist(src);
            hsize_t dims[LC_GRID_MAX_RANK], ch[LC_GRID_MAX_RANK];
            int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
            int same = rank == di->t.rank &&
                       (rank == 0 || (H5Sget_simple_extent_dims(sp, dims, NULL) >= 0 &&
                                      pl >= 0 && H5Pget_chunk(pl, rank, ch) == rank));
            for (int j = 0; same && j < rank; j++)
                same = dims[j] == di->t.dims[j] && ch[j] == di->t.chunk[j];
            if (pl >= 0) H5Pclose(pl);
            if (sp >= 0) H5Sclose(sp);
            if (!same) {
                st = lc_diag_set(d, LC_EFORMAT, s->path, 0,
                                 "dataset '%s' has another shape or chunking than in the "
                                 "other shards: not a shard of the same sweep", di->name);
                goto next;
            }
        }
        if (di->t.rank == 0) { /* a scalar output: one value, no chunk */
            double v;
            if (H5Dread(src, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0 ||
                H5Dwrite(dst, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
                st = lc_h5_fail(d, s->path, "copying a scalar output");
            (*chunks)++;
            goto next;
        }
        for (uint64_t c = a; c < b && st == LC_OK; c++) {
            uint64_t origin[LC_GRID_MAX_RANK], extent[LC_GRID_MAX_RANK];
            hsize_t off[LC_GRID_MAX_RANK], size = 0;
            uint32_t mask = 0;
            lc_tiling_chunk(&di->t, c, origin, extent);
            for (int j = 0; j < di->t.rank; j++)
                off[j] = origin[j];
            if (H5Dget_chunk_storage_size(src, off, &size) < 0 || size == 0) {
                st = lc_diag_set(d, LC_EINVAL, s->path, 0,
                                 "shard %d/%d is incomplete: chunk %llu of '%s' was never "
                                 "written (rerun that shard)", k, n,
                                 (unsigned long long)c, di->name);
                break;
            }
            /* a chunk's stored size comes from the shard's index: never
             * more than the shard file itself (a forged index would size
             * the buffer below) */
            hsize_t fsize = 0;
            if (H5Fget_filesize(s->file, &fsize) < 0 || size > fsize) {
                st = lc_diag_set(d, LC_EFORMAT, s->path, 0,
                                 "chunk %llu of '%s' claims %llu bytes, more than the file's "
                                 "%llu: damaged", (unsigned long long)c, di->name,
                                 (unsigned long long)size, (unsigned long long)fsize);
                break;
            }
            if (size > cap) {
                void *nb = realloc(buf, (size_t)size);
                if (!nb) {
                    st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
                    break;
                }
                buf = nb;
                cap = (size_t)size;
            }
            if (H5Dread_chunk(src, H5P_DEFAULT, off, &mask, buf) < 0) {
                st = lc_h5_fail(d, s->path, "H5Dread_chunk");
                break;
            }
            if (H5Dwrite_chunk(dst, H5P_DEFAULT, mask, off, (size_t)size, buf) < 0) {
                st = lc_h5_fail(d, out_path, "H5Dwrite_chunk");
                break;
            }
            (*chunks)++;
            *bytes += size;
        }
    next:
        if (src >= 0) H5Dclose(src);
        if (dst >= 0) H5Dclose(dst);
    }
    free(buf);
    return st;
}

lc_status lc_h5_merge_close(lc_h5_merge *m, int ok, lc_diag *d)
{
    lc_status st = LC_OK;
    /* now it is no longer a shard */
    if (ok && H5Aexists(m->f, "shard") > 0 && H5Adelete(m->f, "shard") < 0)
        st = lc_h5_fail(d, m->path, "removing the shard attribute");
    if (H5Fclose(m->f) < 0 && ok && st == LC_OK)
        st = lc_h5_fail(d, m->path, "closing the merged file");
    free(m);
    return st;
}
