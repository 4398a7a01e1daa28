/*
 * cluster_shard.h - shards of a sweep (cluster_shard.c): the --shard K/N argument and the file a shard writes.
 */
#ifndef LLMCOST_CLUSTER_SHARD_H
#define LLMCOST_CLUSTER_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* Shard k of n computes the stored chunks lc_partition(n_chunks, n, k)
 * (grid/grid.h). */

/* Parse a --shard argument "K/N" (0 <= K < N).  `arg` may be "N" alone or
 * "/N": K then comes from `task_id` (SLURM_ARRAY_TASK_ID, may be NULL).
 * LC_EINVAL with a message on anything else. */
lc_status lc_cluster_shard_parse(const char *arg, const char *task_id, int *k,
                                 int *n, lc_diag *d);

/* The file shard k of n writes for output "frontier.h5":
 * "frontier.shard3-of-16.h5" (".h5" kept last so tools recognise it). */
int lc_cluster_shard_path(const char *output, int k, int n, char *buf, size_t size);

#endif
