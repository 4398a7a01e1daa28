/*
 * sweep_query.h - the question scan of the sweep engine (sweep_query.c):
 * counts of combined conditions, constrained reductions, top-k and Pareto
 * fronts over the sub-grid of the axes their operands depend on, and
 * frontiers along an axis (doc/questions.md).  Called by lc_sweep_run
 * after the plain reductions; internal to the engine.
 */
#ifndef LLMCOST_SWEEP_QUERY_H
#define LLMCOST_SWEEP_QUERY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "grid/reduce.h"
#include "grid/sweep_plan.h"
#include "kernel/kernel.h"

typedef struct {
    const lc_spec *s;
    const lc_plan *p;
    const lc_kernel *k;
    int nt;                  /* OpenMP threads */
    lc_plan_ws **ws;         /* nt workspaces */
    size_t buf_pts;          /* chunk target, in points */
    volatile sig_atomic_t *cancel;
    /* after each batch: points evaluated since the last call */
    void (*progress)(void *user, uint64_t points);
    void *user;
} lc_qscan;

/* Answer every question of the spec into r->q[0..s->n_questions).  The
 * same bits for any thread count, ISA and MPI rank count (each rank scans
 * its share of every batch, every rank folds all partials in chunk order).
 * LC_EINTR when cancelled, LC_ENOMEM, LC_ERANGE (a frontier too large). */
lc_status lc_sweep_questions(const lc_qscan *qs, lc_sweep_result *r, lc_diag *d);

/* Points the question scan evaluates (progress totals). */
uint64_t lc_sweep_questions_points(const lc_spec *s, const lc_plan *p);

#endif
