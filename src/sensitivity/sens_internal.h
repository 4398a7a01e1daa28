/*
 * sens_internal.h - what the sensitivity sources share and nobody else
 * needs: the thread count of a problem and the MPI split (sens_mpi.c).
 */
#ifndef LLMCOST_SENS_INTERNAL_H
#define LLMCOST_SENS_INTERNAL_H

#include "grid/points.h"
#include "kernel/kernel.h"
#include "sensitivity/sensitivity.h"

#include <stdint.h>

/* Threads for the OpenMP loops: p->threads, or OpenMP's default when 0. */
int lc_sens_threads(const lc_sens_problem *p);

/* Evaluate through lc_model_eval point by point instead of the kernel
 * (process-wide; for tests that compare the two).  Not thread-safe. */
void lc_sens_eval_reference(int on);

/* MPI (sens_mpi.c): ranks and this rank's number, 1 and 0 unless p->mpi. */
int lc_sens_ranks(const lc_sens_problem *p);
int lc_sens_rank(const lc_sens_problem *p);
/* 1 on every rank when flag is set on any (collective when p->mpi): ranks
 * that must all reach the next gather agree before giving up. */
int lc_sens_any(const lc_sens_problem *p, int flag);
/* Rank r of nr's share [*first, *last) of n items cut in units of `unit`
 * items: the contiguous unit range lc_partition(units, nr, r). */
void lc_sens_part(size_t n, size_t unit, int r, int nr, size_t *first, size_t *last);
/* Every rank computed its share (lc_sens_part) of rows[i][0..n) for each
 * of the n_rows rows; afterwards every rank holds all of every row
 * (collective when p->mpi, in place; one exchange for all the rows, so a
 * method synchronises its ranks once, not once per row). */
lc_status lc_sens_gather_rows(const lc_sens_problem *p, double *const *rows, size_t n_rows,
                              size_t n, size_t unit, lc_diag *d);
/* lc_sens_eval_points without the gather: this rank's blocks of y only
 * (all of them unless p->mpi); lc_sens_gather_rows(.., LC_SENS_BLOCK, ..)
 * completes y. */
#define LC_SENS_BLOCK 512
lc_status lc_sens_eval_share(const lc_sens_problem *p, const double *const *x, size_t n,
                             double *const *y, lc_diag *d);

/* What a block computes for p's outputs (built-in and formulas; grid's
 * lc_outs_plan), and the doubles of scratch one thread needs for it. */
lc_status lc_sens_outs_plan(const lc_sens_problem *p, lc_outs_plan *q, lc_diag *d);
size_t lc_sens_scratch(const lc_outs_plan *q);

/* One block of m <= LC_SENS_BLOCK points: factor columns xb[f], every
 * other input from fixed[] (stride 0), the GPU factor gpu_f (or -1) and the
 * spec's rules applied as lc_sens_eval_share does, then q's outputs by
 * lc_outs_block through `points` (a kernel's point-list function) or, with
 * points NULL, by the scalar reference lc_outs_block_reference.  ws: the
 * thread's lc_sens_scratch(q) doubles. */
void lc_sens_eval_block(const lc_sens_problem *p, const lc_outs_plan *q, const double *fixed,
                        lc_points_fn points, int gpu_f, const double *const *xb, size_t m,
                        double *ws, double *const *yb);

/* ---- random numbers: pure functions of their coordinates ---------------- */
/* SplitMix64's finaliser: a bijection of 64-bit words that mixes well. */
static inline uint64_t lc_sens_mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The random word of (seed, stream, index i, factor f). */
static inline uint64_t lc_sens_hash4(uint64_t seed, uint64_t stream, uint64_t i, uint64_t f)
{
    return lc_sens_mix64(lc_sens_mix64(lc_sens_mix64(seed ^ (stream << 56)) ^ i) + f);
}

/* A uniform number in (0,1) from a random word, never 0 or 1. */
static inline double lc_sens_unit(uint64_t h)
{
    return ((double)(h >> 11) + 0.5) * 0x1.0p-53;
}

/* Streams of lc_sens_hash4 (one per use, so no two uses share numbers). */
enum { LC_STREAM_MC = 1, LC_STREAM_MORRIS = 2, LC_STREAM_MORRIS_PERM = 3, LC_STREAM_BOOT = 4,
       LC_STREAM_OWEN = 5, LC_STREAM_BANDS = 6 };

/* The Monte Carlo samples of p (sens_corr.c): x[f * p->samples + j], a
 * pure function of (seed, j, f), through the Gaussian copula when
 * p->correlated; used by Monte Carlo and by the bands. */
lc_status lc_sens_mc_draw(const lc_sens_problem *p, double *x, lc_diag *d);

/* ---- the Sobol sequence (sens_sobolseq.c) ---------------------------------- */
/* Direction numbers v[d][b] of dimension d, bit b (b = 0: the most
 * significant), from Joe & Kuo's new-joe-kuo-6.21201 (sens_sobol_dirs.h). */
#define LC_SOBOL_MAX_DIMS 80
typedef struct {
    uint32_t v[LC_SOBOL_MAX_DIMS][32];
    int dims;
} lc_sobol_seq;

/* Fill the direction numbers of the first dims (<= LC_SOBOL_MAX_DIMS). */
void lc_sobol_seq_init(lc_sobol_seq *q, int dims);

/* Coordinate d of point j (j < 2^32) as a 32-bit fraction, in Gray-code
 * order (as scipy.stats.qmc.Sobol and GSL emit them; the first 2^m points
 * are the same net in any order).  Point 0 is the origin. */
uint32_t lc_sobol_coord(const lc_sobol_seq *q, int d, uint64_t j);

/* Owen's nested uniform scramble of the 32-bit fraction x to `depth` bits
 * (digit b flipped by a random bit of (key, b, the b digits above it)),
 * the remaining 53 - depth bits uniform random given the top `depth`
 * digits: a double in (0,1).  key: one per (seed, replicate, dimension). */
double lc_sobol_owen(uint32_t x, uint64_t key, int depth);

/* The same scramble with the flips of the top `levels` digits read from a
 * table (the first levels of the binary tree of prefixes, 2^levels - 1
 * bytes, filled by lc_sobol_owen_table for the key, which also gives the
 * key of the digits below the depth, fill_key): the same bits as
 * lc_sobol_owen, without a hash per top digit. */
#define LC_OWEN_TABLE_LEVELS 12
int lc_sobol_owen_table_levels(int depth);
void lc_sobol_owen_table(uint64_t key, int levels, uint8_t *bits, uint64_t *fill_key);
double lc_sobol_owen_fast(uint32_t x, uint64_t key, uint64_t fill_key, int depth,
                          const uint8_t *bits, int levels);

/* The depth of the scramble for n points: ceil(log2 n), in [1, 32] - below
 * it the top digits of the n points are distinct in every coordinate, so
 * deeper digits would be independent per point anyway. */
int lc_sobol_owen_depth(uint64_t n);

#endif
