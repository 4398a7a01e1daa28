/*
 * query.h - the partials of the questions over the grid (query.c): a
 * constrained reduction, a top-k list and a Pareto front over a set of
 * sub-grid points, each built chunk by chunk and folded in chunk order, and
 * what a sweep reports for each question (lc_qresult, kept in
 * lc_sweep_result).  Every fold is exact and its result depends only on
 * the set of points, never on the order of the folds: ties go to the
 * smaller grid index, equal objective vectors of a front keep the smallest
 * index and add up their multiplicities; so any thread count, ISA, MPI rank
 * count and shard split gives the same bits.
 */
#ifndef LLMCOST_QUERY_H
#define LLMCOST_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "spec/spec.h"

/* ---- constrained reduction: min/max/mean over points where a condition holds */
typedef struct {
    double min, max, sum;
    uint64_t imin, imax;  /* UINT64_MAX while no non-NaN value was seen */
    uint64_t count;       /* points satisfying the condition */
    uint64_t n;           /* of them, finite values (the mean's) */
    uint64_t nnan, ninf;
} lc_qred;

void lc_qred_init(lc_qred *q);
/* Values v[0..n) at sub-grid indices idx0, idx0+1, ... where c[i] != 0. */
void lc_qred_row(lc_qred *q, const double *v, const double *c, size_t n, uint64_t idx0);
/* acc := acc (+) b, b covering later chunks (the sum's order is chunk order). */
void lc_qred_fold(lc_qred *acc, const lc_qred *b);

/* ---- top-k: the k smallest keys (key = value, or -value to maximise), ties
 * by smaller index; NaN values never enter ---------------------------------- */
typedef struct {
    double key;
    uint64_t idx;
} lc_qtop_ent;

typedef struct {
    int k, n;
    lc_qtop_ent *e; /* k entries, the first n used, ascending (key, idx) */
} lc_qtop;

int lc_qtop_init(lc_qtop *t, int k); /* 0: out of memory */
void lc_qtop_free(lc_qtop *t);
void lc_qtop_row(lc_qtop *t, const double *v, const double *c, size_t n, uint64_t idx0,
                 int maximise);
void lc_qtop_add(lc_qtop *t, double key, uint64_t idx);
void lc_qtop_fold(lc_qtop *acc, const lc_qtop *b);

/* ---- Pareto front of m objectives (keys: minimised; -value to maximise) --- */
typedef struct {
    int m;
    size_t n, cap;
    double *key;     /* n * m, row i = point i's keys */
    uint64_t *idx;   /* smallest sub-grid index with that objective vector */
    uint64_t *mult;  /* points with that objective vector */
    size_t n_front;  /* rows [0, n_front) are a reduced front (lc_front_offer) */
} lc_front;

void lc_front_init(lc_front *f, int m);
void lc_front_free(lc_front *f);
/* Append a candidate (not yet filtered); 0: out of memory. */
int lc_front_push(lc_front *f, const double *key, uint64_t idx, uint64_t mult);
/* A point of a scan: rejected at once when a sample of the reduced rows
 * dominates it, else appended; the candidates are reduced whenever they
 * outnumber the front by 4096.  0: out of memory. */
int lc_front_offer(lc_front *f, const double *key, uint64_t idx);
/* Reduce the candidates to the non-dominated set, sorted ascending by
 * (keys, idx) lexicographically; 0: out of memory. */
int lc_front_reduce(lc_front *f);
/* acc := front(acc u b); 0: out of memory. */
int lc_front_fold(lc_front *acc, const lc_front *b);

/* ---- what a sweep reports for one question ------------------------------- */
typedef struct {
    uint64_t count;   /* full-grid points satisfying the condition (all: grid) */
    double share;
    /* reduce */
    lc_qred red;      /* over the question's sub-grid (counts not scaled) */
    double min, max, mean;
    uint64_t count_nan, count_inf;
    uint64_t argmin[LC_MAX_AXES], argmax[LC_MAX_AXES];
    int valid;        /* 0: no satisfying point has a value (min/max NaN) */
    /* top: n_top rows, full-grid coordinates, the ranked value, the stored
     * outputs (spec order) at each row */
    int n_top;
    uint64_t *top_coord;  /* n_top * n_axes */
    double *top_value;    /* n_top */
    double *top_stored;   /* n_top * n_store */
    /* pareto: n_front rows ascending by the objectives (as keys) */
    size_t n_front;
    uint64_t *front_coord; /* n_front * n_axes, other axes at 0 */
    double *front_value;   /* n_front * n_obj (values, not keys) */
    uint64_t *front_mult;  /* full-grid points with that objective vector */
    /* frontier: the crossing over the remaining axes (rank, axis, dims) */
    int fr_rank;
    int fr_axis[LC_MAX_AXES];
    uint64_t fr_dims[LC_MAX_AXES];
    uint64_t fr_points, fr_crossed;
    double *frontier;      /* fr_points values, NaN where it does not cross */
} lc_qresult;

void lc_qresult_free(lc_qresult *r);

#endif
