/*
 * reduce.h - reductions of outputs over the grid (reduce.c): the per-chunk
 * partial the engine folds in chunk order (the one partial type), and what a sweep reports
 * (min/max with coordinates, mean, counts, condition shares).  Below the
 * file layer, which stores them in /summary, and the engine, which computes them.
 */
#ifndef LLMCOST_REDUCE_H
#define LLMCOST_REDUCE_H

#include <stdint.h>

#include "model/model.h"
#include "spec/spec.h"

/* ---- reduction partials -------------------------------------------------- */

/* Reduction of one output over a set of grid points (one chunk, or the
 * fold of several): the engine fills one per chunk and folds them strictly
 * in chunk order, whoever computed them (threads, MPI ranks), so every run
 * folds the same numbers in the same order.  min/max ignore NaN; ties go
 * to the smaller flat sub-grid index; imin/imax are UINT64_MAX while no
 * value was seen.  sum is over finite values. */
typedef struct {
    double min, max, sum;
    uint64_t imin, imax; /* flat sub-grid index of the first min / max */
    uint64_t nnan, n;    /* NaN values; points */
    uint64_t cnt[LC_MAX_CONDS]; /* points satisfying each condition */
    uint64_t ninf;       /* +-inf values: counted apart from the finite ones */
    uint64_t mono;       /* from its structure: 1 (reduce_chunk_mono), 2 (fused with the
                          * evaluation), 3 (counted from its proven range, not evaluated) */
} lc_red_partial;

void lc_red_partial_init(lc_red_partial *p);

/* acc := acc (+) p where p covers points after acc's (chunk order), with
 * the first n_conds condition counts.  The sum is acc->sum + p->sum: the
 * result depends only on the chunking, not on who computed what. */
void lc_red_partial_fold(lc_red_partial *acc, const lc_red_partial *p, int n_conds);

/* One reduced output over the full grid. */
typedef struct {
    int output;
    double min, max, mean;
    uint64_t count_finite, count_nan;          /* over the full grid */
    uint64_t argmin[LC_MAX_AXES], argmax[LC_MAX_AXES]; /* full-grid coordinates */
    int valid;                                 /* 0: every value was NaN */
    /* +inf and -inf values (overflow: tiny flops, huge params): min/max
     * may be +-inf, count_finite counts finite values only, and mean is
     * over the finite values (NaN when there are none) */
    uint64_t count_inf;
} lc_reduction;

typedef struct {
    uint64_t count;   /* points of the full grid satisfying it */
    double share;     /* count / grid points */
} lc_cond_result;

typedef struct {
    uint64_t grid_points;       /* the full grid */
    uint64_t evaluated_points;  /* points actually evaluated (sub-grids) */
    uint64_t stored_points;     /* points written (stored datasets) */
    uint64_t stored_bytes_raw;  /* their uncompressed bytes */
    uint64_t stored_bytes_file; /* bytes handed to HDF5 after compression */
    uint64_t chunks;            /* stored chunks done */
    double seconds, seconds_reduce, seconds_store;
    int threads;
    char isa[16];
    char file[1024];            /* the final file ("" for LC_SINK_DISCARD) */
    lc_reduction red[LC_OUT_MAX];
    int n_red;
    lc_cond_result cond[LC_MAX_CONDS];
    int n_cond;
    uint64_t red_chunks;        /* chunks reduced (every reduced output) */
    uint64_t red_chunks_mono;   /* of them, reduced from their structure */
    uint64_t red_chunks_fused;  /* of those, evaluated and reduced in one pass */
    uint64_t red_chunks_ranged; /* of those, counted from their range, not evaluated */
} lc_sweep_result;

#endif
