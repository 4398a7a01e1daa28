/*
 * sweep_plan.h - how a spec maps onto grid evaluation (internal to the
 * sweep engine; tests include it).
 *
 * The plan resolves, for every model input, whether it is fixed or which
 * axis sets it (with its per-point values along that axis: catalogue GPU
 * numbers, Chinchilla tokens = 20 * params, util_infer following util), and
 * for every output the sub-grid (axes) it depends on.  lc_plan_eval_chunk
 * fills one chunk of an output's sub-grid: it decodes coordinates once per
 * row (odometer, no div/mod per point) and hands the row to the point-list
 * kernel with the row's constant inputs at stride 0 and the row axis'
 * inputs at stride 1, so the kernel hoists every row-constant
 * sub-expression.
 */
#ifndef LLMCOST_SWEEP_PLAN_H
#define LLMCOST_SWEEP_PLAN_H

#include <stdint.h>

#include "grid/grid.h"
#include "kernel/kernel.h"
#include "kernel/kernel_nodes.h"
#include "spec/spec.h"

typedef struct {
    const lc_spec *spec;
    int input_axis[LC_IN_COUNT];     /* axis setting input i, or -1 */
    int input_axis2[LC_IN_COUNT];    /* a later axis it depends on too, or -1 */
    double *input_vals[LC_IN_COUNT]; /* that axis' values for input i (owned);
                                      * with input_axis2: [k1 * n2 + k2] */
    double fixed[LC_IN_COUNT];       /* values of inputs off the grid */
    double in_lo[LC_IN_COUNT];       /* range of every input over the grid */
    double in_hi[LC_IN_COUNT];       /* (lc_spec_input_ranges) */
    uint32_t out_axes[LC_OUT_MAX];   /* axis mask of each output (formulas too) */
    uint64_t grid_points;
    uint64_t axis_n[LC_MAX_AXES];
} lc_plan;

/* A sub-grid: the listed spec axes in grid order. */
typedef struct {
    int rank;
    int axis[LC_MAX_AXES];           /* spec axis index of each dimension */
    uint64_t dims[LC_MAX_AXES];
} lc_subgrid;

lc_status lc_plan_init(lc_plan *p, const lc_spec *s, lc_diag *d);
void lc_plan_free(lc_plan *p);

/* The sub-grid of an axis mask (all axes: (1 << n_axes) - 1). */
void lc_plan_subgrid(const lc_plan *p, uint32_t mask, lc_subgrid *g);

/* Rows: the trailing dimensions of a chunk are merged into one row while
 * the row is shorter than short_len points (and at most max_len) and stays
 * contiguous in the chunk buffer.  Evaluation merges only very short rows
 * (LC_ROW_SHORT: merging makes row-constant work per-point); reduction
 * scans merge all they can.  Returns the number of trailing dimensions in
 * a row and its length. */
#define LC_ROW_SHORT 32
#define LC_ROW_MAX 4096
int lc_chunk_row_dims(int rank, const uint64_t *extent, const uint64_t *cshape,
                      uint64_t short_len, uint64_t max_len, uint64_t *rowlen);

/* Per-thread scratch of lc_plan_eval_chunk (a few MiB, reused; groups of
 * ROW_GROUP = 1024 rows share their per-group setup; plus, for formula
 * outputs, one chunk-sized buffer per value a formula needs, allocated on
 * first use).  lc_plan_ws_failed: 1 when such a buffer could not be
 * allocated (the chunk was filled with NaN; the caller reports LC_ENOMEM). */
typedef struct lc_plan_ws lc_plan_ws;
lc_plan_ws *lc_plan_ws_new(void);
void lc_plan_ws_free(lc_plan_ws *w);
int lc_plan_ws_failed(const lc_plan_ws *w);

/* Evaluate `output` (built-in, or a formula of the spec: each value it
 * uses evaluated over the same chunk by the staged kernel, then its vector
 * program row by row) over the chunk (origin, extent) of sub-grid g into buf,
 * laid out row-major in the chunk shape `cshape` (rows of cshape[rank-1]);
 * points outside extent are left untouched.  Staged: the values constant
 * along a row (row values) are evaluated for groups of rows at once by the
 * node kernel, then a row program finishes each row with only the
 * operations that depend on the row axis. */
void lc_plan_eval_chunk(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                        const lc_subgrid *g, const uint64_t *origin,
                        const uint64_t *extent, const uint64_t *cshape, double *buf);

/* The same without an output buffer (fused reductions): every value goes
 * to sink as the kernel computes it (lc_rows_sink, kernel_nodes.h), its
 * rows numbered in the chunk (0 .. the product of the extents before the
 * row, in row-major order) and positions along the row of
 * lc_chunk_row_dims(rank, extent, cshape, LC_ROW_SHORT, LC_ROW_MAX). */
void lc_plan_eval_chunk_sink(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                             const lc_subgrid *g, const uint64_t *origin,
                             const uint64_t *extent, const uint64_t *cshape,
                             const lc_rows_sink *sink);

/* Exact structured reductions (doc/performance.md): +1 or -1 when output
 * `output` is proven, from the monotonicity table (kernel_mono.h) and the
 * ranges of its inputs over the chunk (origin, extent) of sub-grid g, to be
 * finite and non-decreasing (+1) or non-increasing (-1) along the last
 * dimension in every row of the chunk; 0 when not proven (the caller scans
 * every point).  The row axis' input values must be sorted over the chunk. */
int lc_plan_chunk_monotone(const lc_plan *p, int output, const lc_subgrid *g,
                           const uint64_t *origin, const uint64_t *extent);
/* The same, with the range [*lo, *hi] every value of the output over the
 * chunk lies in when proven (the proof's corner values, as computed: every
 * computed value of the chunk is between them). */
int lc_plan_chunk_range(const lc_plan *p, int output, const lc_subgrid *g,
                        const uint64_t *origin, const uint64_t *extent, double *lo, double *hi);

#endif
