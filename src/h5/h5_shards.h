/*
 * h5_shards.h - the HDF5 side of shards, merge and resume (h5_shards.c):
 * a sweep file's stored chunks in the engine's global chunk order (the
 * chunks of the first stored output, row-major, then the second ...),
 * read back for resume's checksums or copied as stored into a merged file.
 * src/cluster/ decides which chunks and which files; no HDF5 type here.
 */
#ifndef LLMCOST_H5_SHARDS_H
#define LLMCOST_H5_SHARDS_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* ---- reading chunks back (resume) ------------------------------------------ */
typedef struct lc_h5_chunks lc_h5_chunks;

/* Open a sweep file or its .partial read-only and list its stored outputs:
 * LC_EFORMAT when HDF5 cannot open it (a .partial whose writer was killed
 * may be unreadable) or an output is not a chunked sweep output. */
lc_status lc_h5_chunks_open(lc_h5_chunks **c, const char *path, lc_diag *d);
/* Stored chunks of the whole sweep, every output. */
uint64_t lc_h5_chunks_total(const lc_h5_chunks *c);
/* Chunk g's bytes into *buf (grown to *cap as needed): stored = 1, the
 * bytes as stored (encoded by the engine), only when they are nbytes long;
 * stored = 0 (or a scalar output), the values in the full chunk shape,
 * zero padded as the engine had them, nbytes = chunk points x element
 * size.  1 read, 0 missing, of another size or unreadable. */
int lc_h5_chunks_read(const lc_h5_chunks *c, uint64_t g, int stored, size_t nbytes, void **buf,
                      size_t *cap);
void lc_h5_chunks_close(lc_h5_chunks *c);

/* ---- shards and merge ------------------------------------------------------- */
typedef struct lc_h5_shard lc_h5_shard;

/* Open a shard file read-only (lc_h5_open_sweep: the same refusals and
 * messages as info and slice) with its root attributes "shard" (K/N),
 * "identity_fingerprint" and "identity", NULL when absent. */
lc_status lc_h5_shard_open(lc_h5_shard **s, const char *path, lc_diag *d);
const char *lc_h5_shard_tag(const lc_h5_shard *s);
const char *lc_h5_shard_fingerprint(const lc_h5_shard *s);
const char *lc_h5_shard_identity(const lc_h5_shard *s);
/* lc_h5_valid_sweep of the file: 0 with WHY saying what is wrong. */
int lc_h5_shard_valid(const lc_h5_shard *s, char *why, size_t size);
/* 1 when it has the /summary group (only shard 0 computes it). */
int lc_h5_shard_has_summary(const lc_h5_shard *s);
void lc_h5_shard_close(lc_h5_shard *s);

typedef struct lc_h5_merge lc_h5_merge;

/* Open TMP, a byte copy of shard FIRST's file, for adding the other shards'
 * chunks; *total = the stored chunks of the sweep (FIRST's outputs). */
lc_status lc_h5_merge_open(lc_h5_merge **m, const char *tmp, const lc_h5_shard *first,
                           uint64_t *total, lc_diag *d);
/* Copy shard S's (shard K of N) chunks [first, last) as stored; adds to
 * *chunks and *bytes.  Refuses (LC_EFORMAT / LC_EINVAL, naming the file) a
 * dataset missing or of another shape or chunking, a chunk never written,
 * a chunk claiming more bytes than the file holds. */
lc_status lc_h5_merge_copy(lc_h5_merge *m, const lc_h5_shard *s, int k, int n, uint64_t first,
                           uint64_t last, uint64_t *chunks, uint64_t *bytes, lc_diag *d);
/* ok: drop the "shard" attribute (the file is no longer a shard) and close,
 * checked; !ok: just close.  Frees m. */
lc_status lc_h5_merge_close(lc_h5_merge *m, int ok, lc_diag *d);

#endif
