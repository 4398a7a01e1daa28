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
 * Two columns may hold catalogue names instead of numbers: "arch"
 * (architecture presets) and "gpu" (GPUs), one name per row; each row's
 * preset gives the inputs it sets (points_preset.c).
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

#include "catalog/catalog.h"
#include "kernel/kernel.h"
#include "model/formula.h"
#include "util/status.h"

#define LC_POINTS_BLOCK 1024

/* The col_input of a column of names (the column arrays hold each row's
 * entry index in the catalogue). */
#define LC_POINTS_COL_ARCH (-2)
#define LC_POINTS_COL_GPU (-3)
/* A design has at most one column per input and one per kind of name. */
#define LC_POINTS_FILE_COLS (LC_IN_COUNT + 2)

/* LC_POINTS_COL_* for the header names "arch" and "gpu", else 0. */
int lc_points_label_kind(const char *name);
/* A column's name: its input's, or "arch" / "gpu". */
const char *lc_points_col_name(int col_input);
/* Name `text` in column col (from 1) of kind LC_POINTS_COL_* as its index
 * in c; unknown: LC_ENOTFOUND at file:line, the message naming the known
 * names (d may be NULL). */
lc_status lc_points_label(const lc_catalog *c, int kind, const char *text, double *index,
                          const char *file, int line, int col, lc_diag *d);
/* The catalogue's name of an index lc_points_label gave. */
const char *lc_points_label_name(const lc_catalog *c, int kind, double index);

typedef struct {
    char path[512];
    FILE *f;
    int n_cols;
    int col_input[LC_POINTS_FILE_COLS]; /* the input (or LC_POINTS_COL_*) of each column */
    const lc_catalog *cat;      /* what name columns name (set it after open) */
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
    /* columns of names: their presets fill columns of the inputs they set */
    const lc_catalog *cat;
    int arch_col, gpu_col;        /* column of arch / gpu names, or -1 */
    int given[LC_IN_COUNT];       /* fixed by an explicit option: beats a row's preset */
    int preset_of[LC_IN_COUNT];   /* LC_POINTS_COL_* whose presets fill input i's column */
    /* derived by lc_points_plan_finish */
    lc_outs_plan set;             /* what each block computes */
} lc_points_plan;

/* An empty plan: no column for any input, no column of names, nothing
 * given or requested; the caller sets k, fixed, outs and the columns. */
void lc_points_plan_init(lc_points_plan *p);

/* Derive what must be computed; LC_EINVAL for a tokens column with
 * chinchilla. */
lc_status lc_points_plan_finish(lc_points_plan *p, lc_diag *d);

/* Precedence at a row, highest first: the input's own column, an explicit
 * option (given), the row's preset, the fixed value (a --arch / --gpu
 * preset, refused with a column of its kind, or the default).
 * lc_points_plan_presets gives every input a row's preset may set that
 * has neither its own column nor given a column of its own (numbered from
 * n_cols on, in col_of_input and preset_of); returns the new column
 * count.  lc_points_presets_fill writes them for rows 0..n of a batch with
 * lc_arch_apply and lc_gpu_input; a GPU that leaves out a needed input
 * (lc_gpu_missing: power_w, price_hour) not supplied by a column or an
 * option, or a value out of range, is an error at path:lines[j]
 * (by_row: "path: row N", HDF5). */
int lc_points_plan_presets(lc_points_plan *p, int n_cols);
lc_status lc_points_presets_fill(const lc_points_plan *p, double *const *cols, size_t n,
                                 const int *lines, const char *path, int by_row, lc_diag *d);

/* The value of every input of point j of a batch (for checks and messages). */
void lc_points_inputs(const lc_points_plan *p, const double *const *cols, size_t j,
                      double in[LC_IN_COUNT]);

/* Evaluate n points (cols as lc_points_read filled them): out[k][j] is
 * output p->outs[k] at point j.  LC_ENOMEM when the per-thread scratch
 * cannot be had. */
lc_status lc_points_eval(const lc_points_plan *p, const double *const *cols, size_t n,
                         double *const *out, lc_diag *d);

/* Columns of the results: the design's inputs, then the outputs. */
#define LC_POINTS_MAX_COLS (LC_POINTS_FILE_COLS + LC_OUT_MAX)

#endif
