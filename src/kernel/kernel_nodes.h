/*
 * kernel_nodes.h - the evaluation graph of the cost model, shared by every
 * ISA path of the point-list kernel (internal to src/kernel).
 *
 * Nodes 0..LC_IN_COUNT-1 are the inputs; the rest are intermediates and
 * outputs, each one call of a model.h function on earlier nodes (the
 * LC_GRAPH list of model_graph.h, which lc_model_eval walks too, so every
 * path gives its bits).  The
 * kernel evaluates a node once per call when none of its inputs vary
 * (stride 0) and as a vector loop otherwise: this is how the sweep hoists
 * every sub-expression to the axes it depends on without a second copy of
 * any formula.
 */
#ifndef LLMCOST_KERNEL_NODES_H
#define LLMCOST_KERNEL_NODES_H

#include <stdint.h>

#include "model/model.h"

/* The graph itself (the N_* node enum, lc_node_defs, lc_node_closure and
 * each output's node, lc_outputs[o].node) is expanded from model_graph.h
 * in the model layer; this header adds the kernel's row programs. */

/*
 * A row program: how one output is finished along rows of a chunk once the
 * values that are constant along each row ("row values": inputs off the row
 * axis and every node that depends on none of the row axis' inputs) are
 * known per row.  Steps run in order over a row; each argument is a
 * row-axis input (kind LC_ARG_INNER, ref = input id), an earlier step's
 * result (LC_ARG_NODE, ref = step index) or a row value broadcast along the
 * row (LC_ARG_ROWVAL, ref = row value index).
 */
enum { LC_ARG_INNER, LC_ARG_NODE, LC_ARG_ROWVAL };

typedef struct {
    int n_steps;
    int id[N_COUNT];
    unsigned char kind[N_COUNT][LC_NODE_MAX_ARGS];
    int ref[N_COUNT][LC_NODE_MAX_ARGS];
    int n_rowvals;
    int rowval_node[N_COUNT];   /* node (or input) of each row value */
    int out_rowval;             /* >= 0: the output is itself a row value */
} lc_rowprog;

/* Build the program of `out_node` when the inputs in `inner` vary along the
 * row and every input stays in [lo, hi] (NULL: anywhere): a branch of a pick
 * node that no value in the ranges picks is not evaluated (its argument
 * reads the pick's first input instead, a value the formula ignores). */
void lc_rowprog_build(lc_rowprog *p, int out_node, uint64_t inner, const double *lo,
                      const double *hi);

/* Per ISA (kernel_isa.h): nodes at n points (like lc_points_fn but node ids),
 * and a row program over nrows rows of rowlen points: row q's values go to
 * out + row_off[q]; inner[i] points at input i along the row (row-axis
 * inputs only); row value k of row q is rv[k][q * rv_stride[k]]. */
typedef void (*lc_nodes_fn)(const double *const *in, const size_t *stride, size_t n,
                            const int *nodes, int n_nodes, double *const *out);
/* Running reduction of row scans (lc_scan_fn): min/max over non-NaN values
 * and the index of their first occurrence (UINT64_MAX: none yet), NaN
 * count, the sum of non-NaN values in 8 fixed lanes, and counts of up to
 * LC_SCAN_CONDS conditions "v < c[k]" ("v <= c[k]" when incl[k]). */
#define LC_SCAN_CONDS 8
typedef struct lc_scan {
    double min, max;
    uint64_t imin, imax;
    double lane[8];
    uint64_t nnan;
    int nc;
    double c[LC_SCAN_CONDS];
    int incl[LC_SCAN_CONDS];
    uint64_t cnt[LC_SCAN_CONDS];
    int finite; /* lc_sum_fn: every value is known finite (no NaN test) */
} lc_scan;
typedef void (*lc_scan_fn)(const double *v, size_t n, uint64_t base, lc_scan *s);
/* A consumer of evaluated values in place of an output buffer (fused
 * reductions): fn(user, v, q0, nq, j0, len) gets the values at positions
 * j0 .. j0+len-1 of rows q0 .. q0+nq-1 (row numbers of the call), row
 * after row in v (v[(q - q0) * len + j - j0]), while they are still in the
 * L1-sized tile they were computed in; rows and positions come in order,
 * each exactly once (nq > 1 only with j0 = 0 and len = the whole row).
 * acc (optional, rows contiguous: row q's first element is element
 * base + q * rowlen): the values summed into acc's lanes (element e into
 * lane e % 8) with its NaN count and condition counts, exactly as lc_sum_fn
 * over the elements in order; the last step of the row program does it as
 * it computes them where acc allows (finite, <= 3 conditions "v < c").
 * Either may be NULL. */
typedef void (*lc_rows_sink_fn)(void *user, const double *v, size_t q0, size_t nq, size_t j0,
                                size_t len);
struct lc_scan;
typedef struct {
    lc_rows_sink_fn fn;
    void *user;
    struct lc_scan *acc;
    uint64_t base;
} lc_rows_sink;
/* out == NULL and sink != NULL: no output buffer, every value to the sink */
typedef void (*lc_rows_fn)(const lc_rowprog *p, size_t nrows, size_t rowlen,
                           const double *const *inner, const double *const *rv,
                           const size_t *rv_stride, double *out, const size_t *row_off,
                           double *scratch, const lc_rows_sink *sink);

/* Rows shorter than LC_BLOCK points are evaluated LC_BLOCK / rowlen at a
 * time, so each step is one long vector loop; scratch holds
 * LC_ROWS_SCRATCH doubles (64-byte aligned). */
#define LC_BLOCK 1024
/* The tiles of the scratch lie LC_BLOCK_PITCH doubles apart: not a multiple
 * of 4 KiB, so a step's loads and its store never alias in the low address
 * bits (4K aliasing stalls the loads behind the stores). */
#define LC_BLOCK_PITCH (LC_BLOCK + 24)
#define LC_ROWS_SCRATCH ((size_t)(N_COUNT - LC_IN_COUNT + N_COUNT + LC_IN_COUNT) * LC_BLOCK_PITCH)

#endif
