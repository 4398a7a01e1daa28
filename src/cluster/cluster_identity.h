/*
 * cluster_identity.h - the identity text of a sweep and its FNV-1a fingerprint
 * (cluster_identity.c); resume and merge refuse files of another identity.
 */
#ifndef LLMCOST_CLUSTER_IDENTITY_H
#define LLMCOST_CLUSTER_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"

/* ---- identity ------------------------------------------------------------ */


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

#endif
