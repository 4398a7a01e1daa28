/*
 * kernel_mono.h - monotonicity of the evaluation graph (kernel_nodes.h), as
 * computed in floating point, for exact structured reductions
 * (doc/performance.md).
 *
 * For each node and each argument: the direction in which the node's value
 * moves when that argument grows and the others stay fixed (+1 up, -1 down,
 * 0 not proven), valid while the node's precondition holds over the box of
 * its argument ranges.  Every model.h formula is a composition of +, -, *,
 * / and max in which each argument appears once (the exceptions are marked
 * 0), and IEEE rounding is monotone, so a direction proven on the exact
 * formula from the signs of the other factors also holds for the computed
 * value, ties included (non-strict).  A node missing from the table (a new
 * output) has precondition LC_PRE_UNKNOWN and is never proven monotone.
 *
 * lc_mono_prove walks an output's dependencies in graph order over a box of
 * input ranges with each input's direction along a row (0: constant along
 * it).  It gives each node's range from the corners of its arguments'
 * ranges (sound by partial monotonicity: moving one argument at a time stays
 * in the box) and its direction along the row; it fails when a
 * precondition, a sign or a direction is not proven, or when any range is
 * not finite.  Success means: along every row of the box the output is
 * monotone in the returned direction and finite (never NaN, never inf).
 */
#ifndef LLMCOST_KERNEL_MONO_H
#define LLMCOST_KERNEL_MONO_H

#include "kernel/kernel_nodes.h"

typedef enum {
    LC_PRE_UNKNOWN = 0, /* no proof: only constant arguments are allowed */
    LC_PRE_POSITIVE,    /* every argument > 0 (and finite) */
    LC_PRE_FINITE,      /* every argument finite (a difference) */
    LC_PRE_FIRST_POS,   /* every argument finite, the first > 0 ((a - b) / a) */
    LC_PRE_MARGIN_TOK,  /* positive and price - inference cost > 0 (break-even) */
    LC_PRE_MARGIN_USR,  /* positive and subscription - tokens cost > 0 (break-even) */
    LC_PRE_ROUTE,       /* positive and share <= 1 (blended cost) */
    LC_PRE_NONNEG,      /* every argument >= 0 (and finite) */
    LC_PRE_PICK         /* a pick node: every varying argument > 0 */
} lc_mono_pre;

typedef struct {
    lc_mono_pre pre;
    signed char dir[LC_NODE_MAX_ARGS];
} lc_mono_def;

extern const lc_mono_def lc_mono_defs[N_COUNT];

/* lo, hi, dir: per input (LC_IN_COUNT entries).  Returns +1 (non-decreasing
 * along the row), -1 (non-increasing) or 0 (not proven, or constant: the
 * caller uses the full path); *out_lo and *out_hi get the output's range. */
int lc_mono_prove(int out_node, const double *lo, const double *hi, const signed char *dir,
                  double *out_lo, double *out_hi);

#endif
