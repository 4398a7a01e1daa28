/*
 * h5_shards.c - find the stored outputs and their chunk tiling in a sweep
 * file (h5_shards.h).
 */
#include "h5/h5_shards.h"

#include <stdio.h>
#include <string.h>

static lc_status h5err(lc_diag *d, const char *path, const char *what)
{
    return lc_diag_set(d, LC_EHDF5, path, 0, "HDF5: %s failed", what);
}

static herr_t list_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    lc_cluster_dslist *l = data;
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

lc_status lc_cluster_list_outputs(hid_t f, const char *path, lc_cluster_dslist *l, uint64_t *total,
                              lc_diag *d)
{
    hsize_t idx = 0;
    l->n = 0;
    if (H5Literate(f, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, list_cb, l) < 0)
        return h5err(d, path, "listing the datasets");
    uint64_t base = 0;
    for (int i = 0; i < l->n; i++) {
        lc_cluster_ds *s = &l->ds[i];
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


int lc_cluster_locate(const lc_cluster_dslist *l, uint64_t g)
{
    for (int i = 0; i < l->n; i++)
        if (g >= l->ds[i].base && g < l->ds[i].base + l->ds[i].t.n_chunks)
            return i;
    return -1;
}
