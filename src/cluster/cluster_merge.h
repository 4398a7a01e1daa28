/*
 * cluster_merge.h - merge the files of every shard of one sweep into one file
 * (cluster_merge.c) that reads exactly like the file of a serial run.
 */
#ifndef LLMCOST_CLUSTER_MERGE_H
#define LLMCOST_CLUSTER_MERGE_H

#include <stdint.h>

#include "util/status.h"

typedef struct {
    int shards;
    uint64_t chunks;        /* chunks copied from shards 1..n-1 */
    uint64_t bytes;         /* their stored (compressed) bytes */
    double seconds;
} lc_merge_stats;

/* Merge the files of every shard of one sweep (any order) into `out`, which
 * then reads exactly like the file of a serial run: shard 0's file is
 * copied (it carries the axes, attributes and the /summary reductions of
 * the full grid), then every other shard's chunks are copied as stored
 * (compressed bytes, no decoding) with H5Dread_chunk/H5Dwrite_chunk.
 * Written to out.partial and renamed when complete.
 * Refuses (LC_EINVAL, message names the file): a file that is not a shard,
 * shards of different sweeps (what changed), a shard given twice, a
 * missing shard (which), an incomplete shard (a .partial or a chunk
 * missing).  LC_EEXIST when out exists and !force. */
lc_status lc_cluster_merge(const char *out, const char *const *shards, int n, int force,
                           lc_merge_stats *stats, lc_diag *d);

#endif
