/*
 * points.h - external designs: a list of points (a CSV table whose header
 * names model inputs, one point per row, e.g. Latin hypercube or Sobol
 * samples made by SALib or Dakota) evaluated on the kernel, in batches, in
 * one process (`llmcost eval --points FILE`, doc/formulas.md; an HDF5
 * table is read by h5/h5_points.h).
 *
 * Reading: lc_points_open reads the header (unknown or repeated input
 * names are refused at FILE:1), lc_points_read the next rows into column
 * arrays, each value a number as number.h reads it and inside its input's
 * range, else an error at FILE:LINE naming the column: never a silent
 * NaN.  Blank lines and lines starting with '#' are skipped.
 *
 * Evaluation: lc_points_plan says where every input comes from (a column,
 * a fixed value, util_infer following util, tokens = 20 x params), which
 * outputs (built-in or user formulas) are wanted; lc_points_eval fills them
 * for n points with the point-list kernel and the formulas' vector
 * programs, in blocks of LC_POINTS_BLOCK points over OpenMP threads.  Each
 * point's values do not depend on the block, the batch or the thread
 * count, and equal `llmcost eval` at that point bit for bit.
 */
#ifndef LLMCOST_POINTS_H
#define LLMCOST_POINTS_H

#include <stddef.h>
#include <stdio.h>

#include "kernel/kernel.h"
#include "model/formula.h"
#include "util/status.h"

#define LC_POINTS_BLOCK 1024

typedef struct {
    char path[512];
    FILE *f;
    int n_cols;
    int col_input[LC_IN_COUNT]; /* the input of each column */
    int line;                   /* last line read */
    char *buf;
    size_t cap;
    char delim;                 /* ',' (or '\t' when the header has tabs) */
    char *batch;                /* the rows of a batch, NUL-separated */
    size_t bcap;
    size_t *off;                /* each row's offset in batch */
    int *lnum;                  /* and its line */
    size_t max;
    int threads;                /* parsing threads (0: OpenMP's default) */
} lc_points_reader;

lc_status lc_points_open(lc_points_reader *r, const char *path, lc_diag *d);
/* Up to max rows into cols[c][0..*n) (column c's input is col_input[c]);
 * lines[j] receives row j's line number when lines is not NULL.  *n = 0
 * at the end of the file. */
lc_status lc_points_read(lc_points_reader *r, double *const *cols, int *lines, size_t max,
                         size_t *n, lc_diag *d);
void lc_points_close(lc_points_reader *r);

/* ---- one block: the kernel's outputs, then the formulas -------------------
 * The step every point-list evaluator shares (eval --points here, the
 * sensitivity methods and the uncertainty bands above): the point-list
 * function computes the built-in outputs the requested ones need (requested,
 * or used by a needed formula), then each needed formula runs its vector
 * program over the block in evaluation order.  Requested outputs are written
 * in place; values only a formula uses go to the caller's scratch.  Without
 * a formula it is exactly one call of the point-list function.  A point's
 * bits depend neither on the block nor on its position in it. */
typedef struct {
    const lc_formulas *fs;        /* bound; may be NULL */
    int outs[LC_OUT_MAX];         /* requested outputs (built-in or formula ids) */
    int n_outs;
    int kern[LC_OUT_COUNT];       /* built-in outputs the kernel computes */
    int n_kern;
    int n_need_f;                 /* formulas needed (requested or used) */
    int need_f[LC_MAX_FORMULAS];
    int first[LC_OUT_MAX];        /* first k with outs[k] == outs[j] (repeats) */
    /* scratch slot (blocks of `cap` doubles) of what is not written in
     * place: an input a formula reads at a stride other than 1, a kernel
     * output or a formula not requested; -1: none */
    int in_slot[LC_IN_COUNT];
    int kern_slot[LC_OUT_COUNT];
    int f_slot[LC_MAX_FORMULAS];
    int slots;
} lc_outs_plan;

/* Plan outs[0..n_outs) (built-in ids < LC_OUT_COUNT, formulas LC_OUT_COUNT
 * + f of fs); LC_EINTERNAL for an id out of range. */
lc_status lc_outs_plan_init(lc_outs_plan *q, const lc_formulas *fs, const int *outs, int n_outs,
                            lc_diag *d);
/* Doubles of scratch lc_outs_block needs for blocks of up to cap points (0
 * without formulas). */
size_t lc_outs_plan_scratch(const lc_outs_plan *q, size_t cap);
/* m <= cap points: out[k][j] = output q->outs[k] at point j.  ws holds
 * lc_outs_plan_scratch(q, cap) doubles (may be NULL when that is 0). */
void lc_outs_block(const lc_outs_plan *q, lc_points_fn points, const lc_block_in *in, size_t m,
                   size_t cap, double *ws, double *const *out);

/* The reference of lc_outs_block, one point at a time: lc_model_eval, then
 * each needed formula by lc_formulas_eval_point (for the tests). */
void lc_outs_block_reference(const lc_outs_plan *q, const lc_block_in *in, size_t m,
                             double *const *out);

typedef struct {
    const lc_kernel *k;
    const lc_formulas *fs;        /* bound; may be NULL */
    double fixed[LC_IN_COUNT];    /* values of inputs without a column */
    int col_of_input[LC_IN_COUNT];/* column of input i, or -1 */
    int util_infer_follows_util;  /* util_infer = util (its column or fixed value) */
    int chinchilla;               /* tokens = 20 x params */
    int outs[LC_OUT_MAX];         /* requested outputs (built-in or formula ids) */
    int n_outs;
    int threads;                  /* 0: OpenMP's default */
    /* derived by lc_points_plan_finish */
    lc_outs_plan set;             /* what each block computes */
} lc_points_plan;

/* Derive what must be computed; LC_EINVAL for a tokens column with
 * chinchilla. */
lc_status lc_points_plan_finish(lc_points_plan *p, lc_diag *d);

/* The value of every input of point j of a batch (for checks and messages). */
void lc_points_inputs(const lc_points_plan *p, const double *const *cols, size_t j,
                      double in[LC_IN_COUNT]);

/* Evaluate n points (cols as lc_points_read filled them): out[k][j] is
 * output p->outs[k] at point j.  LC_ENOMEM when the per-thread scratch
 * cannot be had. */
lc_status lc_points_eval(const lc_points_plan *p, const double *const *cols, size_t n,
                         double *const *out, lc_diag *d);

/* Columns of the results: the design's inputs, then the outputs. */
#define LC_POINTS_MAX_COLS (LC_IN_COUNT + LC_OUT_MAX)

#endif
