/*
 * sweep.h - the sweep engine as a library: evaluate a spec's grid, store
 * the requested outputs into a chunked HDF5 file (layout of
 * doc/file-format.md, format "llmcost-sweep/1") and reduce outputs over
 * the full grid without storing it.
 *
 * The work unit is one HDF5 chunk of one stored output.  Stored chunks are
 * numbered globally: the chunks of the first stored dataset, then the
 * second, ... (lc_sweep_count_chunks).  Workers (OpenMP) evaluate and
 * compress chunks in fixed batches; one thread writes them, in order.  The
 * partition is by index arithmetic, so files and reductions are
 * bit-identical for any thread count.  Memory is bounded by threads x chunk
 * size, never by the grid.
 *
 * Reductions use the structure of the model: an output that does not
 * depend on an axis is constant along it, so its min/max/mean over the full
 * grid are those over its own sub-grid, and a count over the full grid is
 * the count on the sub-grid times the other axes' lengths.  Along the
 * contiguous axis, chunks whose output is proven monotone and finite take
 * min, max, their coordinates and counts from the row ends and bisection
 * (opts.exhaustive turns it off; the results are the same).
 */
#ifndef LLMCOST_SWEEP_H
#define LLMCOST_SWEEP_H

#include <signal.h>
#include <stdint.h>

#include "grid/grid.h"
#include "grid/reduce.h"
#include "spec/spec.h"
#include "util/status.h"

typedef enum {
    LC_SINK_FILE,    /* write the HDF5 file (the normal case) */
    LC_SINK_DISCARD  /* evaluate (and compress) stored chunks, write nothing:
                      * for benchmarks of the evaluation alone */
} lc_sink;

typedef struct {
    uint64_t chunks_done, chunks_total;   /* stored chunks */
    uint64_t points_done, points_total;   /* evaluated points (stored + reduced) */
    double seconds;                       /* since the start */
} lc_sweep_progress;

typedef struct {
    const char *output;     /* file; NULL: the spec's output */
    int threads;            /* 0: the spec's threads, then OpenMP's default */
    const char *isa;        /* NULL: best (or LLMCOST_ISA) */
    int force;              /* overwrite an existing output / .partial; skip the
                             * free-space check */
    lc_sink sink;
    /* Shards / ranks / resume: only stored chunks [chunk_first, chunk_last)
     * (global numbering); chunk_last == 0 means all.  A sub-range run writes
     * datasets fully created but only those chunks. */
    uint64_t chunk_first, chunk_last;
    int skip_reductions;    /* leave /summary out (a shard) */
    /* Called by the writing thread after each batch, and once at the end. */
    void (*on_progress)(void *user, const lc_sweep_progress *p);
    void *user;
    /* Set (by a signal handler) to stop cleanly: the run returns LC_EINTR,
     * the .partial file is closed and left in place. */
    volatile sig_atomic_t *cancel;
    /* Cluster hooks (src/cluster/: resume journal, shards, MPI); zero = off.
     * skip: one byte per stored chunk (global numbering), non-zero = already
     * in the file, neither computed nor written.  reopen: add chunks to the
     * existing OUTPUT.partial instead of creating it (resume).
     * on_chunk_written: writing thread, after chunk `chunk`'s bytes (as
     * handed to HDF5: encoded when the codec is applied by the engine) went
     * to the file.  Every flush_seconds (> 0) of writing, and before
     * returning (also when cancelled), the file is flushed (H5Fflush) and
     * then on_flushed is called: every chunk reported before is in the file.
     * extra_attrs: more root string attributes, name, value, ..., NULL. */
    const uint8_t *skip;
    int reopen;
    void (*on_chunk_written)(void *cluster, uint64_t chunk, const void *bytes,
                             size_t nbytes);
    /* chunk_sum + on_chunk_summed (instead of on_chunk_written): the worker
     * thread that made a chunk computes chunk_sum(bytes, nbytes) of the same
     * bytes, and the writing thread reports only the sum, so checksumming
     * scales with the threads instead of loading the one writer. */
    uint64_t (*chunk_sum)(const void *bytes, size_t nbytes);
    void (*on_chunk_summed)(void *cluster, uint64_t chunk, uint64_t sum, size_t nbytes);
    lc_status (*on_flushed)(void *cluster, lc_diag *d);
    double flush_seconds;
    void *cluster;
    const char *const *extra_attrs;
    /* 1: reduce every chunk by scanning every point; 0 (default): chunks
     * whose output is proven monotone along the row are reduced from the
     * row ends and by bisection, with identical results
     * (doc/performance.md). */
    int exhaustive;
    /* rows of at least this many points count conditions by bisection,
     * shorter ones in the vector pass of the sums (0: 512) */
    uint64_t mono_bisect_min;
} lc_sweep_opts;

void lc_sweep_opts_init(lc_sweep_opts *o);

/* Stored chunks of the spec's stored datasets, in total. */
lc_status lc_sweep_count_chunks(const lc_spec *s, uint64_t *n, lc_diag *d);

/* Bytes the stored datasets take uncompressed (the free-space estimate). */
lc_status lc_sweep_stored_bytes(const lc_spec *s, uint64_t *bytes, lc_diag *d);

/* Run the sweep.  LC_EEXIST when the output (or its .partial) exists and
 * !force; LC_EIO when the estimate does not fit on the filesystem and
 * !force; LC_EINTR when cancelled (the .partial stays). */
lc_status lc_sweep_run(const lc_spec *s, const lc_sweep_opts *o, lc_sweep_result *r,
                       lc_diag *d);

#endif
