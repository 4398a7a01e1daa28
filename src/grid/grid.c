/*
 * grid.c - index math for sweeps (see grid.h): sizes with overflow checks,
 * chunk tiling and contiguous partitions.
 */
#include "grid/grid.h"

int lc_mul_ok(uint64_t a, uint64_t b, uint64_t *r)
{
    if (a != 0 && b > UINT64_MAX / a)
        return 0;
    *r = a * b;
    return 1;
}

lc_status lc_grid_points(const uint64_t *dims, int rank, uint64_t *points, lc_diag *d)
{
    uint64_t p = 1;
    for (int i = 0; i < rank; i++)
        if (!lc_mul_ok(p, dims[i], &p))
            return lc_diag_set(d, LC_ERANGE, NULL, 0,
                               "the grid has more than 2^64 points");
    *points = p;
    return LC_OK;
}

lc_status lc_tiling_init(lc_tiling *t, int rank, const uint64_t *dims,
                         size_t elem_bytes, size_t target_bytes, lc_diag *d)
{
    lc_status st;
    if (rank < 0 || rank > LC_GRID_MAX_RANK)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "rank %d out of range", rank);
    t->rank = rank;
    for (int i = 0; i < rank; i++) {
        if (dims[i] == 0)
            return lc_diag_set(d, LC_EINVAL, NULL, 0, "dimension %d has no points", i);
        t->dims[i] = dims[i];
    }
    if ((st = lc_grid_points(dims, rank, &t->points, d)) != LC_OK)
        return st;
    uint64_t left = elem_bytes ? target_bytes / elem_bytes : 1;
    if (left == 0)
        left = 1;
    t->n_chunks = 1;
    t->chunk_points = 1;
    for (int i = rank - 1; i >= 0; i--) {
        uint64_t c = dims[i] < left ? dims[i] : left;
        t->chunk[i] = c;
        left /= c;
        if (left == 0)
            left = 1;
        t->nchunk[i] = (dims[i] + c - 1) / c;
        t->chunk_points *= c;
        if (!lc_mul_ok(t->n_chunks, t->nchunk[i], &t->n_chunks))
            return lc_diag_set(d, LC_ERANGE, NULL, 0, "too many chunks");
    }
    return LC_OK;
}

void lc_tiling_chunk(const lc_tiling *t, uint64_t c, uint64_t *origin, uint64_t *extent)
{
    for (int i = t->rank - 1; i >= 0; i--) {
        uint64_t k = c % t->nchunk[i];
        c /= t->nchunk[i];
        origin[i] = k * t->chunk[i];
        uint64_t left = t->dims[i] - origin[i];
        extent[i] = left < t->chunk[i] ? left : t->chunk[i];
    }
}

uint64_t lc_grid_flat(const uint64_t *dims, int rank, const uint64_t *coord)
{
    uint64_t f = 0;
    for (int i = 0; i < rank; i++)
        f = f * dims[i] + coord[i];
    return f;
}

void lc_grid_unflat(const uint64_t *dims, int rank, uint64_t flat, uint64_t *coord)
{
    for (int i = rank - 1; i >= 0; i--) {
        coord[i] = flat % dims[i];
        flat /= dims[i];
    }
}

void lc_partition(uint64_t n, uint64_t parts, uint64_t k, uint64_t *first, uint64_t *last)
{
    /* [n*k/parts, n*(k+1)/parts) without overflow: split n = q*parts + r
     * (r*k < parts^2 fits for any part count an int holds). */
    uint64_t q = n / parts, r = n % parts;
    *first = q * k + (r * k) / parts;
    *last = q * (k + 1) + (r * (k + 1)) / parts;
}
