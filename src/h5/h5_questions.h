/*
 * h5_questions.h - the questions' answers in a sweep file
 * (h5_questions.c, layout in doc/file-format.md): /summary/qN groups with
 * the answer's attributes (and a top-k's rows as datasets), the Pareto
 * front as the /pareto group (one dataset per coordinate, per objective and
 * the multiplicity), frontiers as datasets of /frontier over the remaining
 * axes (dimension scales attached, NaN where there is no crossing).
 */
#ifndef LLMCOST_H5_QUESTIONS_H
#define LLMCOST_H5_QUESTIONS_H

#include <stdint.h>

#include "grid/reduce.h"
#include "spec/spec.h"
#include "util/status.h"

/* Write them into file (a hid_t) and its /summary group; /pareto and
 * /frontier left by an earlier run of a resumed file are replaced. */
lc_status lc_h5_questions_write(int64_t file, int64_t summary, const lc_spec *s,
                                const lc_sweep_result *r, const char *path, lc_diag *d);

#endif
