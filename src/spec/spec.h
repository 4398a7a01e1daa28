/*
 * spec.h - a sweep specification: the design space (axes), the fixed inputs,
 * what to store and what to reduce, and how to write it.  Parsed from an INI
 * file (lc_spec_parse_file); the sweep engine, the sensitivity analysis and
 * the MPI/shard/resume code read this struct and never the INI text.
 *
 * The INI format (every key on its own line, keys not indented, lines of at
 * most 199 characters; `;` starts a comment):
 *
 *   [sweep]
 *   name        = frontier pretraining          ; free text
 *   output      = frontier.h5                   ; relative to the working dir
 *   chunk_kib   = 1024                          ; target HDF5 chunk size
 *   compression = none | deflate:N | shuffle+deflate:N | lz4 | blosc | blosc-zstd
 *   threads     = 0                             ; 0 = all (OMP_NUM_THREADS)
 *   layout      = compact | broadcast           ; compact: each output over
 *                                               ; only the axes it depends on
 *   dtype       = float64 | float32
 *   netcdf      = netcdf4 | classic             ; classic: the netCDF-4 classic
 *                                               ; model (doc/cluster.md)
 *
 *   [axes]                                      ; grid order = file order;
 *   params = 7B, 70B, 175B, 1.8T                ; the last axis is contiguous
 *   tokens = log 1e11 2e13 64                   ; log START STOP COUNT
 *   util   = lin 0.3 0.6 4                      ; lin START STOP COUNT
 *   (1 <= COUNT <= 1e8 per axis: the axis values are held in memory, 8 bytes
 *   each, so the limit bounds one axis at 800 MB; larger is refused with
 *   file:line, exit 2)
 *   gpu    = A100, H100, B200                   ; catalogue names: one axis
 *                                               ; setting flops, hbm_bw,
 *                                               ; power_w and price_hour
 *   tokens = chinchilla                         ; rule: tokens = 20 * params
 *                                               ; (not an axis; follows params)
 *
 *   [inputs]                                    ; fixed values (SI suffixes ok)
 *   discount = 0.5
 *   gpu      = A100                             ; a fixed catalogue GPU
 *   api      = gpt-4o                           ; a fixed catalogue API model
 *   price_date = 2024-06                        ; price by the records at or
 *   price_kind = on-demand                      ; before that date (doc/prices.md)
 * and in [axes]: api = gpt-4o, claude-sonnet-4 (sets price_in, price_out),
 * price_date = 2023-06, 2024-06, 2025-06 (each GPU's price_hour and each API
 * model's prices at each date; with a gpu or api axis too, the priced inputs
 * depend on both axes) and arch = llama-2-70b, mixtral-8x7b (an architecture
 * preset: params, layers, heads, ... as lc_arch_apply sets them; [inputs]
 * arch = NAME fixes one).
 *
 *   [formulas]                                  ; user outputs (doc/formulas.md)
 *   margin = subscription - tokens_per_user / 1000 * infer_cost_per_1k [USD/user/month]
 *   cost_per_param = pretrain_cost / params     ; unit in brackets, optional
 *
 *   [outputs]                                   ; formulas are outputs too
 *   store  = pretrain_cost, train_days          ; stored datasets, in order
 *   reduce = pretrain_cost, sub_profit          ; min/max/mean/argmin/argmax
 *   count  = sub_profit > 0, breakeven_users < 5M   ; share of points where true
 *
 * Precedence for a GPU's numbers: an input given explicitly (as an axis or in
 * [inputs]) overrides the value the catalogue GPU carries.  util_infer, when
 * not given, follows util (and the util axis, if util is one).
 *
 * Other sections whose names start with "distribution." or are
 * "sensitivity", "uncertainty" or "correlation" are kept verbatim in `extra`
 * for the sensitivity analysis and the bands (sensitivity.h).
 */
#ifndef LLMCOST_SPEC_H
#define LLMCOST_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "model/formula.h"
#include "model/model.h"
#include "util/status.h"

#define LC_MAX_AXES 16
#define LC_MAX_CONDS 16
#define LC_NAME_MAX 64

typedef struct {
    char name[LC_NAME_MAX]; /* dimension name: an input name, or "gpu" */
    int input;              /* the lc_input it sets, or -1 for the gpu axis */
    size_t n;               /* number of points, >= 1 */
    double *values;         /* n values (gpu axis: 0, 1, ..., n-1) */
    char (*labels)[LC_NAME_MAX]; /* gpu axis: the n GPU names; else NULL */
    lc_gpu_values *gpu;     /* gpu axis: the n GPUs' numbers; else NULL */
    int line;               /* spec line that defined it */
    /* api and price_date axes (input -1, labels = names / dates): the value
     * of input i at point k is set_vals[k * LC_IN_COUNT + i] for every input
     * in set_mask (price_in, price_out; price_hour for price_date) */
    double *set_vals;
    lc_inmask set_mask;
    /* price_date axis with a gpu or api axis: input i depends on both; its
     * value at date k and point c of axis cross_axis[i] is
     * cross[i][k * n_cross + c] (NULL: not such an input) */
    double *cross[LC_IN_COUNT];
    int cross_axis[LC_IN_COUNT];
} lc_axis;

typedef enum { LC_CMP_LT, LC_CMP_LE, LC_CMP_GT, LC_CMP_GE } lc_cmp;

typedef struct {
    int output;       /* lc_output */
    lc_cmp op;
    double value;
    char text[128];   /* as written, e.g. "sub_profit > 0" */
} lc_condition;

/* Questions over the grid ([outputs] count with and/or/not or inputs,
 * reduce ... where, top, pareto, frontier; parsed by spec_query.c,
 * answered by the engine's question scan, doc/questions.md).  Operands of
 * conditions and objectives are ids: an output o is o, an input i is
 * LC_OUT_MAX + i (LC_Q_INPUT(i)); formulas are outputs (LC_OUT_COUNT + f). */
typedef enum { LC_Q_COUNT, LC_Q_REDUCE, LC_Q_TOP, LC_Q_PARETO, LC_Q_FRONTIER } lc_qkind;
#define LC_MAX_QUESTIONS 16
#define LC_Q_MAX_OBJ 4
#define LC_Q_MAX_TOP 1000
#define LC_Q_INPUT(i) (LC_OUT_MAX + (i))

struct lc_expr;

typedef struct {
    lc_qkind kind;
    char text[200];          /* as written, e.g. "pretrain_cost where train_days <= 90" */
    int line;
    struct lc_expr *where;   /* the condition (count: the counted one); NULL: every point */
    int n_obj;               /* reduce, top, frontier: 1; pareto: 2..LC_Q_MAX_OBJ */
    int obj[LC_Q_MAX_OBJ];   /* operand ids (outputs or inputs) */
    int maximise[LC_Q_MAX_OBJ]; /* 1: written "-x" (largest first / maximised) */
    int k;                   /* top: how many */
    int axis;                /* frontier: the spec axis it runs along */
    double threshold;        /* frontier: the crossed value */
} lc_question;

typedef enum { LC_CODEC_NONE, LC_CODEC_DEFLATE, LC_CODEC_SHUFFLE_DEFLATE,
               LC_CODEC_LZ4, LC_CODEC_BLOSC, LC_CODEC_BLOSC_ZSTD } lc_codec;

typedef enum { LC_LAYOUT_COMPACT, LC_LAYOUT_BROADCAST } lc_layout;

typedef struct {
    char section[LC_NAME_MAX + 16];
    char key[LC_NAME_MAX];
    char *value; /* owned, continuation lines joined: any length */
    int line;
} lc_spec_kv;

typedef struct {
    /* provenance */
    char path[512];         /* spec file, "" when built in memory */
    char *text;             /* the spec's full text (owned), may be NULL */
    size_t text_len;
    char name[128];

    /* the model */
    double fixed[LC_IN_COUNT];       /* every input's value off the grid */
    int axis_of_input[LC_IN_COUNT];  /* index of the axis setting input i, or -1;
                                      * gpu-provided inputs point at the gpu axis;
                                      * util_infer following util points at the
                                      * util axis; chinchilla tokens stay -1 */
    int axis2_of_input[LC_IN_COUNT]; /* a second axis input i depends on, or -1:
                                      * the price_date axis' cross tables (its
                                      * axis_of_input is the price_date axis) */
    lc_axis axes[LC_MAX_AXES];
    int n_axes;
    int tokens_chinchilla;           /* tokens = 20 * params (follows params) */
    int util_infer_follows_util;     /* util_infer = util (follows the util axis) */
    char fixed_gpu[LC_NAME_MAX];     /* [inputs] gpu = NAME, "" if none */
    char fixed_api[LC_NAME_MAX];     /* [inputs] api = NAME, "" if none */
    char fixed_arch[LC_NAME_MAX];    /* [inputs] arch = NAME, "" if none */
    lc_price_query price_query;      /* the records priced ([inputs] price_date,
                                      * price_kind, price_provider; the command
                                      * line's --price-* win) */
    char prices_used[4096];          /* the records used, one per line ("" if none) */

    /* what to compute: output ids, built-in (< LC_OUT_COUNT) or formulas */
    lc_formulas formulas;            /* [formulas], bound (formula.h) */
    int store[LC_OUT_MAX];           /* stored outputs, in order */
    int n_store;
    int reduce[LC_OUT_MAX];          /* outputs with min/max/mean/argmin/argmax */
    int n_reduce;
    lc_condition conds[LC_MAX_CONDS];
    int n_conds;
    lc_question questions[LC_MAX_QUESTIONS]; /* in spec order (owned: where) */
    int n_questions;

    /* how to write it */
    char output[512];
    size_t chunk_bytes;              /* default 1 MiB */
    lc_codec codec;
    int codec_level;                 /* deflate level 1-9 */
    int threads;                     /* 0 = all */
    lc_layout layout;
    int float32;                     /* store float32 instead of float64 */
    int nc_classic;                  /* netCDF-4 classic model: char attributes and
                                      * names, no uint64, no groups, _nc3_strict */

    /* sections for other modules (distribution.*, sensitivity) */
    lc_spec_kv *extra;
    int n_extra;
} lc_spec;

/* Parse a spec file; the catalogue resolves GPU names.  On error d names the
 * file, the line and what was expected (e.g. "sweeps/x.ini:12: unknown input
 * 'parms' (did you mean 'params'?)") and the spec is left freed. */
lc_status lc_spec_parse_file(lc_spec *s, const char *path, const lc_catalog *cat,
                             lc_diag *d);

/* Same from text in memory; `name` is used as the file name in messages. */
lc_status lc_spec_parse_text(lc_spec *s, const char *text, size_t len,
                             const char *name, const lc_catalog *cat, lc_diag *d);

/* An empty spec: defaults for every input, no axes, no outputs. */
void lc_spec_init(lc_spec *s);
void lc_spec_free(lc_spec *s);

/* Total grid points (product of axis lengths) with overflow check:
 * LC_ERANGE when it does not fit in 64 bits. */
lc_status lc_spec_points(const lc_spec *s, uint64_t *points, lc_diag *d);

/* The derived-input rules the spec has in effect (LC_RULE bits of model.h:
 * tokens_chinchilla, util_infer_follows_util). */
unsigned lc_spec_rules(const lc_spec *s);

/* The range of every input over the spec's grid: [fixed, fixed] off the
 * grid, the axis' smallest and largest values on a numeric axis, (-inf,
 * inf) on a gpu / api / price_date axis; a rule's target the rule of its
 * source's range. */
void lc_spec_input_ranges(const lc_spec *s, double lo[LC_IN_COUNT], double hi[LC_IN_COUNT]);

/* The axes (as a bitmask over axis indices) an output depends on, from the
 * model's dependency table, the axis_of_input map and the chinchilla /
 * util_infer rules. */
uint32_t lc_spec_output_axes(const lc_spec *s, int output);

#endif
