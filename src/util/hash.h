/*
 * hash.h - FNV-1a 64 (hash.c): the fingerprints of sweep identities,
 * journals, the model and the values a sweep resolved.
 */
#ifndef LLMCOST_HASH_H
#define LLMCOST_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a 64 of len bytes, continuing from h (start with LC_FNV_INIT). */
#define LC_FNV_INIT 0xcbf29ce484222325ULL
uint64_t lc_fnv1a(const void *data, size_t len, uint64_t h);
/* The same over the bits of n doubles, every NaN hashed as one NaN. */
uint64_t lc_fnv1a_doubles(const double *x, size_t n, uint64_t h);

#endif
