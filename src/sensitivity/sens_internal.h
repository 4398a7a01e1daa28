/*
 * sens_internal.h - what the sensitivity sources share and nobody else
 * needs: the thread count of a problem.
 */
#ifndef LLMCOST_SENS_INTERNAL_H
#define LLMCOST_SENS_INTERNAL_H

#include "llmcost/sensitivity.h"

/* Threads for the OpenMP loops: p->threads, or OpenMP's default when 0. */
int lc_sens_threads(const lc_sens_problem *p);

/* Evaluate through lc_model_eval point by point instead of the kernel
 * (process-wide; for tests that compare the two).  Not thread-safe. */
void lc_sens_eval_reference(int on);

#endif
