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
/* Longest line of a CSV design, in bytes (48 columns of 128 characters
 * fit many times over). */
#define LC_POINTS_MAX_LINE (1 << 20)

typedef struct {
    char path[512];
    FILE *f;
    int n_cols;
    int col_input[LC_IN_COUNT]; /* the input of each column */
    int line;                   /* last line read */
    char *buf;                  /* that line (LC_POINTS_MAX_LINE + 1 bytes) */
    size_t cap;
    char rbuf[65536];           /* read-ahead block */
    size_t rpos, rlen;
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
    int kern[LC_OUT_COUNT];       /* built-in outputs the kernel computes */
    int n_kern;
    int need_f[LC_MAX_FORMULAS];  /* formulas needed (requested or used) */
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
