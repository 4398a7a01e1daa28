/*
 * grid.h - N-dimensional index math of a sweep: grid sizes with overflow
 * checks, the chunk tiling of one dataset (or one output's sub-grid), and
 * the split of a range of work units among threads or ranks.
 *
 * Row-major everywhere: the last dimension is contiguous.  A chunk is the
 * work unit of the sweep engine; chunk c's origin comes from c by index
 * arithmetic only, so any thread or rank count produces the same chunks.
 */
#ifndef LLMCOST_GRID_H
#define LLMCOST_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define LC_GRID_MAX_RANK 16

typedef struct {
    int rank;                           /* 0 = a single point */
    uint64_t dims[LC_GRID_MAX_RANK];    /* extent of each dimension, >= 1 */
    uint64_t chunk[LC_GRID_MAX_RANK];   /* chunk shape */
    uint64_t nchunk[LC_GRID_MAX_RANK];  /* chunks along each dimension */
    uint64_t n_chunks;                  /* total chunks */
    uint64_t points;                    /* product of dims */
    uint64_t chunk_points;              /* product of chunk */
} lc_tiling;

/* Product of dims[0..rank-1] (1 for rank 0); LC_ERANGE on 64-bit overflow. */
lc_status lc_grid_points(const uint64_t *dims, int rank, uint64_t *points, lc_diag *d);

/* a * b with overflow check (returns 0 on overflow, 1 otherwise). */
int lc_mul_ok(uint64_t a, uint64_t b, uint64_t *r);

/* Tile dims into chunks of about target_bytes (elements of elem_bytes):
 * the last dimensions are taken whole first, so a chunk holds whole rows
 * where it can.  LC_EINVAL for a zero dimension, LC_ERANGE on overflow. */
lc_status lc_tiling_init(lc_tiling *t, int rank, const uint64_t *dims,
                         size_t elem_bytes, size_t target_bytes, lc_diag *d);

/* Origin and extent (clipped at the edges) of chunk c, 0 <= c < n_chunks. */
void lc_tiling_chunk(const lc_tiling *t, uint64_t c, uint64_t *origin, uint64_t *extent);

/* Flat row-major index of coord in dims. */
uint64_t lc_grid_flat(const uint64_t *dims, int rank, const uint64_t *coord);

/* Coordinates of a flat row-major index (div/mod per dimension: for
 * reporting, not for inner loops). */
void lc_grid_unflat(const uint64_t *dims, int rank, uint64_t flat, uint64_t *coord);

/* Contiguous share [first, last) = [n*k/parts, n*(k+1)/parts) of n units
 * for part k of parts (0 <= k < parts): in part order, covering [0, n)
 * exactly, sizes differing by at most one, overflow-free for any uint64 n.
 * The one partition of work: MPI ranks, shards, sensitivity blocks. */
void lc_partition(uint64_t n, uint64_t parts, uint64_t k, uint64_t *first, uint64_t *last);

#endif
