/*
 * cluster_journal.h - the resume journal OUTPUT.partial.journal (cluster_journal.c):
 * an append-only file of fsync'd, checksummed records "chunk c is in the
 * .partial".  HDF5 1.10 gives no consistency guarantee for a file whose
 * writer was killed, so the journal - not the HDF5 file - is the durable record.
 */
#ifndef LLMCOST_CLUSTER_JOURNAL_H
#define LLMCOST_CLUSTER_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

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

#endif
