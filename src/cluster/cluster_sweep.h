/*
 * cluster_sweep.h - running one sweep on many processes, and surviving
 * kills (cluster_sweep.c; shards, identity, journal and merge have their own
 * headers in src/cluster/).
 *
 * The sweep engine's unit of work is a chunk (numbered 0 .. n_chunks-1 in
 * grid order).  Everything here splits, records and recombines work in whole
 * chunks, by index arithmetic only, so that the result never depends on how
 * many ranks, shards or restarts produced it:
 *
 *  - partition: rank (or shard) r of R owns the contiguous chunk range
 *    [n*r/R, n*(r+1)/R).  Contiguous ranges keep a gather in rank order
 *    equal to chunk order, which is what makes the reductions deterministic.
 *  - reductions: each chunk yields a partial (min/max with the flat grid
 *    index of where they are, sum, counts); partials are folded strictly in
 *    chunk order, whoever computed them, so the serial engine, K MPI ranks,
 *    N shards and a resumed run all fold the same numbers in the same order.
 *  - identity: a sweep's "identity" text (the spec text plus every option
 *    that changes the file's values or layout) and its 64-bit FNV-1a
 *    fingerprint.  Resume and merge refuse files of another identity, and
 *    lc_cluster_identity_diff says which key changed.
 *  - journal: OUTPUT.partial.journal, an append-only file of fsync'd
 *    records "chunk c is in the .partial, here is its reduction partial".
 *    HDF5 1.10 gives no consistency guarantee for a file whose writer was
 *    killed (dirty metadata may be half written), so the journal - not the
 *    HDF5 file - is the durable record; each record carries a checksum so a
 *    torn last record is ignored, never misread.
 *
 * Library code: returns lc_status with lc_diag, never prints.  Not
 * thread-safe per object (one journal is written by one thread).
 */
#ifndef LLMCOST_CLUSTER_SWEEP_H
#define LLMCOST_CLUSTER_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sweep.h"
#include "spec/spec.h"
#include "util/status.h"

/* ---- a sweep with shards, resume and MPI (wraps lc_sweep_run) ------------ */
typedef struct {
    int shard_k, shard_n;  /* shard_n == 0: not a shard run */
    int resume;            /* continue OUTPUT.partial from its journal */
    double flush_seconds;  /* journal/flush interval; 0: 0.5 s (env
                            * LLMCOST_FLUSH_SECONDS overrides) */
} lc_cluster_opts;

/* The environment variable LLMCOST_FLUSH_SECONDS: *seconds = its value
 * (a number as number.h reads it, 0.001 to 3600), or 0 when it is unset
 * or empty; LC_EINVAL with a message for anything else (hex, inf, 0, a
 * word).  lc_cluster_sweep refuses to start on a malformed value; the CLI
 * checks it before any command. */
lc_status lc_cluster_flush_env(double *seconds, lc_diag *d);

typedef struct {
    char output[1024];       /* the file this run writes (a shard's own name) */
    uint64_t n_chunks;       /* stored chunks of the whole sweep */
    uint64_t chunk_first, chunk_last; /* this run's share (shard) */
    uint64_t resumed;        /* chunks found complete and verified */
    uint64_t rejected;       /* chunks the journal claimed but the file did
                              * not hold intact (recomputed) */
    int already_complete;    /* --resume: OUTPUT exists, nothing to do */
    int restarted;           /* --resume: started over (see note) */
    char note[1200];         /* what resume did, one line, or "" */
} lc_cluster_report;

/* Identity text of a sweep: the spec text plus the effective settings that
 * change the file (layout, dtype, chunk size, compression) and the llmcost
 * version, as INI.  Heap string, free() it. */
char *lc_cluster_identity(const lc_spec *s, size_t *len);

/* Run a sweep as one MPI rank (or serially), as shard k of n, or resuming:
 *  - shard: writes lc_cluster_shard_path(OUTPUT, k, n) with only chunks
 *    lc_partition(n_chunks, n, k); shard 0 also writes the reductions.
 *  - every run keeps OUTPUT.partial.journal (one per MPI rank: ".rankR")
 *    and removes it when the file is complete.
 *  - resume: OUTPUT complete -> already_complete; no .partial or no journal
 *    -> a fresh run (restarted, note says why); a journal of another spec
 *    or other options -> LC_EINVAL naming what changed; else the journal's
 *    chunks are checked against the .partial (checksums; a .partial that
 *    HDF5 cannot open -> restart from scratch) and only the missing chunks
 *    are computed.
 * o is the caller's options (output, threads, cancel, progress...). */
lc_status lc_cluster_sweep(const lc_spec *s, const lc_sweep_opts *o,
                           const lc_cluster_opts *c, lc_sweep_result *r,
                           lc_cluster_report *rep, lc_diag *d);

#endif
