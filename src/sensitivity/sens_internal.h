/*
 * sens_internal.h - what the sensitivity sources share and nobody else
 * needs: the thread count of a problem and the MPI split (sens_mpi.c).
 */
#ifndef LLMCOST_SENS_INTERNAL_H
#define LLMCOST_SENS_INTERNAL_H

#include "llmcost/sensitivity.h"

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
 * items: the contiguous unit range lc_cluster_range(units, r, nr). */
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

#endif
