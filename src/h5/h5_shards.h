/*
 * h5_shards.h - for merge and resume (src/cluster/): the stored output datasets of a
 * sweep file in the engine's global chunk order (creation order = the
 * spec's store order; chunks row-major within a dataset), so merge and
 * resume can find chunk g of the sweep in any file.
 */
#ifndef LLMCOST_CLUSTER_H5_H
#define LLMCOST_CLUSTER_H5_H

#include <hdf5.h>

#include "grid/grid.h"
#include "model/model.h"
#include "spec/spec.h"
#include "util/status.h"

/* Stored output datasets of a file in creation order (= the engine's
 * global chunk order). */
typedef struct {
    char name[LC_NAME_MAX];
    lc_tiling t;
    uint64_t base;
} lc_cluster_ds;

typedef struct {
    lc_cluster_ds ds[LC_OUT_MAX];
    int n;
} lc_cluster_dslist;

lc_status lc_cluster_list_outputs(hid_t f, const char *path, lc_cluster_dslist *l,
                                  uint64_t *total, lc_diag *d);

/* Which dataset holds global chunk g (index into l->ds), or -1. */
int lc_cluster_locate(const lc_cluster_dslist *l, uint64_t g);

#endif
