/*
 * sweep_report.h - what `llmcost sweep` prints about the questions of a
 * spec (sweep_report.c): counts of combined conditions, constrained
 * reductions, top-k tables, Pareto fronts and frontiers in words, and the
 * whole summary as one JSON object (`--json`).
 */
#ifndef LLMCOST_CLI_SWEEP_REPORT_H
#define LLMCOST_CLI_SWEEP_REPORT_H

#include <stdio.h>

#include "grid/reduce.h"
#include "spec/spec.h"

/* The questions' answers as text (after the reductions and conditions). */
void lc_report_questions(FILE *f, const lc_spec *s, const lc_sweep_result *r);

/* The whole summary: grid, reductions, conditions, questions, timing. */
void lc_report_json(FILE *f, const lc_spec *s, const lc_sweep_result *r);

#endif
