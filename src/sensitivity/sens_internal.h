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
/* Every rank computed its share (lc_sens_part) of buf[0..n); afterwards
 * every rank holds all of it (collective when p->mpi, in place). */
lc_status lc_sens_gather(const lc_sens_problem *p, double *buf, size_t n, size_t unit,
                         lc_diag *d);

#endif
