/*
 * cluster.h - running one sweep on many processes, and surviving kills.
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
#ifndef LLMCOST_CLUSTER_H
#define LLMCOST_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "llmcost/spec.h"
#include "llmcost/status.h"
#include "llmcost/sweep.h"

/* ---- partition ----------------------------------------------------------- */

/* Chunk range [*first, *last) of part `part` of `n_parts` (0 <= part <
 * n_parts).  Ranges are contiguous, in part order, cover [0, n) exactly, and
 * differ in size by at most one.  Overflow-free for any uint64 n. */
void lc_cluster_range(uint64_t n, int part, int n_parts, uint64_t *first,
                      uint64_t *last);

/* Parse a --shard argument "K/N" (0 <= K < N).  `arg` may be "N" alone or
 * "/N": K then comes from `task_id` (SLURM_ARRAY_TASK_ID, may be NULL).
 * LC_EINVAL with a message on anything else. */
lc_status lc_cluster_shard_parse(const char *arg, const char *task_id, int *k,
                                 int *n, lc_diag *d);

/* ---- identity ------------------------------------------------------------ */

/* FNV-1a 64 of len bytes, continuing from h (start with LC_FNV_INIT). */
#define LC_FNV_INIT 0xcbf29ce484222325ULL
uint64_t lc_cluster_fnv(const void *data, size_t len, uint64_t h);

/* "fnv1a64:0123456789abcdef" (24 characters + NUL) */
#define LC_FINGERPRINT_LEN 25
void lc_cluster_fingerprint_text(uint64_t fp, char out[LC_FINGERPRINT_LEN]);

/* Describe how identity text `old_text` differs from `new_text` (both INI
 * text: a spec, possibly followed by an "[options]" section) key by key, in
 * a line such as "[axes] tokens: 'log 1e11 2e13 64' -> 'log 1e11 2e13 65'
 * (line 9); [sweep] chunk_kib: removed".  Comments and spacing do not count.
 * Returns the number of differences (0: same keys and values). */
int lc_cluster_identity_diff(const char *old_text, size_t old_len,
                             const char *new_text, size_t new_len, char *buf,
                             size_t size);

/* ---- reduction partials -------------------------------------------------- */

/* Reduction of one output over a set of grid points.  min/max ignore NaN;
 * ties go to the smaller flat index; argmin/argmax are UINT64_MAX while no
 * finite value was seen.  sum is over finite values. */
typedef struct {
    double min, max, sum;
    uint64_t argmin, argmax;
    uint64_t n_finite, n_nan;
} lc_red_partial;

void lc_red_partial_init(lc_red_partial *p);

/* acc := acc (+) p where p covers points after acc's (chunk order).  The
 * sum is acc->sum + p->sum: fold per-chunk partials in chunk order and the
 * result depends only on the chunking, not on who computed what. */
void lc_red_partial_fold(lc_red_partial *acc, const lc_red_partial *p);

/* ---- resume journal ------------------------------------------------------ */

typedef struct lc_journal lc_journal;

/* What a journal belongs to.  payload_bytes is the fixed size of each
 * record's payload (e.g. n_reduced * sizeof(lc_red_partial) + counts). */
typedef struct {
    const char *identity;   /* identity text (stored in the journal header) */
    size_t identity_len;
    uint64_t n_chunks;
    uint32_t payload_bytes;
} lc_journal_info;

/* Create (truncate) a journal and fsync its header. */
lc_status lc_journal_create(lc_journal **j, const char *path,
                            const lc_journal_info *info, lc_diag *d);

/* Open an existing journal for resume: check that it belongs to `info`
 * (LC_EINVAL with "spec changed since the interrupted run: ..." naming what
 * changed; LC_EFORMAT when not a journal), set done[c] = 1 for every
 * recorded chunk (done has n_chunks bytes and is not cleared, so several
 * journals - one per MPI rank - can be OR'ed), copy each record's payload
 * to payloads + c * payload_bytes (payloads may be NULL), set *n_done to
 * the chunks newly marked, drop a torn tail, and leave the journal open
 * for appending in *j.  j == NULL: read only (nothing truncated).
 * A chunk recorded twice keeps its last record. */
lc_status lc_journal_resume(lc_journal **j, const char *path,
                            const lc_journal_info *info, uint8_t *done,
                            void *payloads, uint64_t *n_done, lc_diag *d);

/* Append one record (buffered).  Durable only after lc_journal_sync. */
lc_status lc_journal_append(lc_journal *j, uint64_t chunk, const void *payload,
                            lc_diag *d);

/* write + fsync every appended record. */
lc_status lc_journal_sync(lc_journal *j, lc_diag *d);

/* Sync and close; NULL is a no-op. */
/* Records on disk (synced), and forgetting the pending ones: after a
 * failed write the chunks not covered by a successful HDF5 flush must not
 * be journaled by the close (a resume would trust chunks the file lacks). */
uint64_t lc_journal_synced(const lc_journal *j);
void lc_journal_drop_pending(lc_journal *j);

lc_status lc_journal_close(lc_journal *j, lc_diag *d);

/* Checksum of one stored chunk's bytes, as journal records hold it (word-
 * wise, ~10 GB/s; the journal's magic names this sum, see cluster_journal.c).
 * Thread-safe: the sweep computes it in the worker that made the chunk. */
uint64_t lc_journal_chunk_sum(const void *data, size_t len);

/* "OUTPUT.partial.journal" for an output path. */
/* Returns 0, or -1 (buf "") when the name does not fit: never cut short. */
int lc_journal_path(const char *output, char *buf, size_t size);



/* ---- shards and merge ---------------------------------------------------- */

/* The file shard k of n writes for output "frontier.h5":
 * "frontier.shard3-of-16.h5" (".h5" kept last so tools recognise it). */
int lc_cluster_shard_path(const char *output, int k, int n, char *buf, size_t size);

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

/* ---- MPI (rank 0 of 1 in the serial build; collective in the MPI build) -- */
int lc_cluster_rank(void);
int lc_cluster_size(void);
void lc_cluster_barrier(void);
/* 1 on every rank when flag is set on any rank (collective). */
int lc_cluster_any(int flag);
/* Minimum of v over the ranks (collective): agree on a status. */
int lc_cluster_min_int(int v);
/* v[i] := minimum over the ranks of v[i] (collective). */
void lc_cluster_min_u8(uint8_t *v, size_t n);
/* v[i] := sum over the ranks of v[i] (collective). */
void lc_cluster_sum_u64(uint64_t *v, int n);
/* Broadcast bytes from rank 0 (collective). */
void lc_cluster_bcast(void *buf, size_t bytes);
/* Gather every rank's bytes (bytes[r] from rank r, in rank order) into all,
 * on every rank (collective). */
void lc_cluster_allgather(const void *mine, size_t my_bytes, void *all, const size_t *bytes);

/* ---- a sweep with shards, resume and MPI (wraps lc_sweep_run) ------------ */
typedef struct {
    int shard_k, shard_n;  /* shard_n == 0: not a shard run */
    int resume;            /* continue OUTPUT.partial from its journal */
    double flush_seconds;  /* journal/flush interval; 0: 0.5 s (env
                            * LLMCOST_FLUSH_SECONDS overrides) */
} lc_cluster_opts;

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
 *    lc_cluster_range(n_chunks, k, n); shard 0 also writes the reductions.
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
