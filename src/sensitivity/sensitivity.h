/*
 * sensitivity.h - uncertainty propagation and global sensitivity analysis of
 * the cost model: Monte Carlo statistics, one-at-a-time (tornado) swings,
 * Morris elementary effects and Sobol indices (Saltelli sampling).
 *
 * A problem is a list of k independent random factors (each sets one model
 * input, or a catalogue GPU setting flops, hbm_bw, power_w and price_hour),
 * the fixed value of every other input, the chosen outputs and the settings
 * of the methods.  It is built from a spec's "[distribution.NAME]" and
 * "[sensitivity]" sections (lc_sens_problem_from_spec) or by hand.
 *
 * Factors are independent unless a "[correlation]" section gives rank
 * (Spearman) correlations between them: Monte Carlo, the tornado and the
 * uncertainty bands of a sweep (lc_sens_bands) then sample them through a
 * Gaussian copula (lc_sens_corr_*); Sobol and Morris refuse them (their
 * indices assume independent inputs).
 *
 * Every method works in the unit cube: a point u in (0,1)^k is mapped to
 * input values by each factor's inverse CDF (lc_dist_quantile), the model is
 * evaluated on blocks of points (structure of arrays, one value per point for
 * the factor inputs, stride 0 for the fixed ones), and outputs without a
 * finite value (no break-even) are counted and left out of the statistics.
 *
 * Determinism: random numbers are a hash of (seed, sample index, factor), the
 * blocks are a fixed partition of the sample indices and every sum runs in
 * index order, so results are bit-identical for any thread count.  With
 * p->mpi, MPI ranks split the blocks (and the bootstrap resamples) by index
 * arithmetic and gather them in index order: bit-identical for any rank
 * count too.
 */
#ifndef LLMCOST_SENSITIVITY_H
#define LLMCOST_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "model/model.h"
#include "spec/spec.h"
#include "util/status.h"

/* ---- distributions ------------------------------------------------------- */
typedef enum {
    LC_DIST_UNIFORM,     /* low, high */
    LC_DIST_LOGUNIFORM,  /* low, high, both > 0: log X uniform */
    LC_DIST_NORMAL,      /* mean, sd; optional low/high truncation */
    LC_DIST_LOGNORMAL,   /* mu, sigma of ln X (or median = e^mu, gsd = e^sigma);
                          * optional low/high truncation */
    LC_DIST_TRIANGULAR,  /* low, mode, high */
    LC_DIST_CHOICE       /* values (numbers, or GPU names for "gpu"), weights */
} lc_dist_type;

#define LC_DIST_MAX_CHOICES 32
#define LC_SENS_MAX_FACTORS 40
#define LC_SENS_MAX_PCTS 16
#define LC_SENS_MAX_REPS 64   /* replicated Sobol designs */
/* Sobol indices of an output are reported only while at most this share of
 * the Saltelli rows lacks a finite value (no break-even somewhere in the
 * row): dropping more would bias them. */
#define LC_SENS_SOBOL_MAX_EXCLUDED 0.01

/* Factor targets besides an lc_input index. */
#define LC_FACTOR_GPU (-1)   /* a catalogue GPU: sets flops, hbm_bw, power_w, price_hour */
#define LC_FACTOR_FREE (-2)  /* no model input (test models through the hook) */
#define LC_FACTOR_ARCH (-3)  /* a catalogue architecture: sets the inputs it gives
                              * (params, layers, heads, ...: lc_arch_apply) */
/* A factor whose choices are catalogue names (gpu, arch), not numbers. */
#define LC_FACTOR_NAMED(t) ((t)->input == LC_FACTOR_GPU || (t)->input == LC_FACTOR_ARCH)

typedef struct {
    char name[LC_NAME_MAX];  /* the input name, "gpu", "arch", or a free name */
    int input;               /* lc_input, LC_FACTOR_GPU, LC_FACTOR_ARCH or
                              * LC_FACTOR_FREE */
    lc_dist_type type;
    double p1, p2;           /* uniform/loguniform/triangular: low, high;
                              * normal: mean, sd; lognormal: mu, sigma */
    double mode;             /* triangular */
    double lo, hi;           /* support (truncation) bounds, +-HUGE_VAL if none */
    int truncated;           /* normal/lognormal: lo or hi given */
    int n_choices;
    double values[LC_DIST_MAX_CHOICES];   /* numeric choices; gpu: 0..n-1 */
    double cum[LC_DIST_MAX_CHOICES];      /* cumulative normalized weights */
    char labels[LC_DIST_MAX_CHOICES][LC_NAME_MAX]; /* gpu names */
    lc_gpu_values gpu[LC_DIST_MAX_CHOICES];
    /* arch: each choice's value of input arch_input[k] (its field k, or the
     * input's default where the preset does not give it); -1: no input */
    double arch[LC_DIST_MAX_CHOICES][LC_ARCH_FIELDS];
    int arch_input[LC_ARCH_FIELDS];
    double base;             /* tornado base value (gpu: choice index) */
    double swing_lo, swing_hi; /* tornado low/high values (default: P5/P95
                              * of normal/lognormal, else the bounds) */
    int line;                /* line of the section's first key */
} lc_dist;

/* The value at quantile q in [0,1] (inverse CDF; q = 0 and 1 give the
 * bounds of bounded distributions).  Choice: the value (gpu: the index). */
double lc_dist_quantile(const lc_dist *dist, double q);

/* Check a filled lc_dist (parameters present and consistent, support inside
 * the input's valid range) and fill the derived fields (cum, base, swing).
 * `file`/`line` go into the diagnostic. */
lc_status lc_dist_finish(lc_dist *dist, const char *file, lc_diag *d);

/* ---- the problem --------------------------------------------------------- */
enum {
    LC_SENS_MC = 1,
    LC_SENS_TORNADO = 2,
    LC_SENS_MORRIS = 4,
    LC_SENS_SOBOL = 8
};

/* The Sobol analysis' design (the A and B matrices of Saltelli sampling). */
typedef enum {
    LC_SOBOL_OWEN = 0,       /* default: Joe & Kuo's Sobol sequence with Owen's
                              * nested uniform scramble, seeded by seed */
    LC_SOBOL_UNSCRAMBLED = 1 /* GSL's gsl_qrng_sobol as it is (ignores seed;
                              * for comparison) */
} lc_sobol_design;

/* A test-only model: y[o][j] = output o at point j, from the factor values
 * x[f][j] (f < k).  Replaces the cost model when set. */
typedef void (*lc_sens_model_fn)(void *ctx, const double *const *x, size_t n,
                                 int n_outs, double *const *y);

typedef struct {
    lc_dist factors[LC_SENS_MAX_FACTORS];
    int k;
    double fixed[LC_IN_COUNT];       /* every input's value when not a factor */
    lc_inmask arch_pinned;           /* inputs given in [inputs]: an arch
                                      * factor leaves them alone */
    lc_inmask gpu_pinned;            /* GPU inputs given in [inputs]: a gpu
                                      * factor leaves them alone (spec.h's
                                      * precedence: explicit beats catalogue) */
    int tokens_chinchilla;           /* tokens = 20 * params */
    int util_infer_follows_util;     /* util_infer = util */
    int outs[LC_OUT_MAX];            /* chosen outputs: lc_outputs, or user
                                      * formulas of fs (LC_OUT_COUNT + f) */
    int n_outs;
    const lc_formulas *fs;           /* the spec's [formulas], bound (NULL:
                                      * none); not owned: a spec with
                                      * formulas must outlive the problem */

    unsigned methods;                /* LC_SENS_* bits */
    size_t samples;                  /* MC samples; Sobol base samples N */
    uint64_t seed;
    double pcts[LC_SENS_MAX_PCTS];   /* percentiles, in percent, ascending */
    int n_pcts;
    int trajectories;                /* Morris trajectories r */
    int levels;                      /* Morris grid levels p (even) */
    int bootstrap;                   /* Sobol bootstrap resamples (0: none) */
    double confidence;               /* of the bootstrap intervals, e.g. 0.95 */
    int second_order;                /* Sobol second-order indices */
    lc_sobol_design design;          /* Sobol design, default LC_SOBOL_OWEN */
    int replicates;                  /* independent scrambles of the Sobol
                                      * design, each of `samples` base samples
                                      * (default 1); >= 2 gives a standard
                                      * error from their spread */
    /* rank (Spearman) correlations between factors, corr[i][j] = corr[j][i];
     * correlated = 0: independent (corr is then ignored) */
    double corr[LC_SENS_MAX_FACTORS][LC_SENS_MAX_FACTORS];
    int correlated;
    int corr_line;                   /* line of the [correlation] section */
    int methods_given;               /* the spec named its methods */
    int store_samples;               /* keep the MC samples in the result */
    int threads;                     /* 0: OpenMP default */
    int mpi;                         /* 1: split the work across the MPI
                                      * ranks (lc_par_size(); collective:
                                      * every rank runs the same problem and
                                      * gets the whole, serial-identical result) */

    /* test-only hook: a model in place of the cost model */
    lc_sens_model_fn model;
    void *model_ctx;
    const char *const *model_out_names; /* n_outs names */

    /* the catalogue price records used, one per line (NULL: none); stored
     * as the "prices" attribute (doc/prices.md) */
    const char *prices;
} lc_sens_problem;

/* Defaults: no factors, model defaults for every input, MC+tornado+Morris+
 * Sobol, 8192 samples, seed 1, percentiles 5/50/95, 20 trajectories, 4
 * levels, 100 bootstrap resamples, 95% intervals. */
void lc_sens_problem_init(lc_sens_problem *p);

/* Build a problem from a parsed spec: its fixed inputs and rules, its
 * "distribution.NAME" and "sensitivity" sections (spec->extra) and its
 * [formulas] (p->fs = &s->formulas when it has any: keep such a spec until
 * the problem is done; NULL otherwise).
 * Outputs default to every built-in output and formula a distributed input
 * moves.  Errors name spec->path and the line.  The catalogue resolves GPU
 * names. */
lc_status lc_sens_problem_from_spec(lc_sens_problem *p, const lc_spec *s,
                                    const lc_catalog *cat, lc_diag *d);

/* The derived-input rules in effect (LC_RULE bits of model.h). */
unsigned lc_sens_rules(const lc_sens_problem *p);

/* ---- uncertainty bands on a sweep (sens_bands.c) ---------------------------- */
/* 1 when the spec has an [uncertainty] section. */
int lc_sens_bands_wanted(const lc_spec *s);

/* The band problem of a sweep spec: its [distribution.NAME] sections
 * (inputs that are not axes), [correlation] and [uncertainty] (samples,
 * default 1000; seed; percentiles, default 5, 50, 95: exactly the listed
 * ones; outputs, default every output a distributed input moves; threads;
 * store_samples).  Errors name the spec file and line. */
lc_status lc_sens_bands_from_spec(lc_sens_problem *p, const lc_spec *s,
                                  const lc_catalog *cat, lc_diag *d);

/* The band of output number o (p->outs[o]) at cells [first, first + n) of
 * its sub-grid (the axes lc_spec_output_axes gives, row-major): for each
 * cell c the p->n_pcts percentiles pct[c * n_pcts + q] (numpy's linear
 * interpolation, over the finite values), the mean and sd (n - 1) of the
 * finite values and the share of samples without a finite value.  Every
 * cell sees the same samples x (common random numbers; xs[f][j], j <
 * p->samples, from lc_sens_bands_samples).  Bit-identical for any thread
 * count.  Any of pct/mean/sd/nan_share may be NULL. */
lc_status lc_sens_bands_cells(const lc_sens_problem *p, const lc_spec *s, int o,
                              const double *const *xs, uint64_t first, uint64_t n,
                              double *pct, double *mean, double *sd, double *nan_share,
                              lc_diag *d);

/* The samples of the factors (xs[f] of p->samples values each, allocated
 * as one block at xs[0], free(xs[0])): Monte Carlo stream of p->seed, the
 * correlation through the Gaussian copula. */
lc_status lc_sens_bands_samples(const lc_sens_problem *p, double **xs, lc_diag *d);

/* The point values of a sweep with bands: each distributed input's fixed
 * value in s becomes its base (the median unless base = says otherwise;
 * gpu: the base GPU's numbers, where [inputs] does not give them), so the
 * stored outputs are the model at the base point and the bands spread
 * around it. */
void lc_sens_bands_fix_spec(const lc_sens_problem *p, lc_spec *s);

typedef struct {
    uint64_t cells;          /* band cells over every chosen output */
    uint64_t evaluations;    /* cells x samples */
    double seconds;          /* wall time, writing included */
} lc_sens_bands_stats;

/* An output's sub-grid: the axes it depends on, in grid order. */
typedef struct {
    int rank;                         /* axes the output depends on */
    int axis[LC_MAX_AXES];            /* their spec axis indices */
    uint64_t dims[LC_MAX_AXES];
} lc_sens_subgrid;
void lc_sens_subgrid_of(const lc_spec *s, int output, lc_sens_subgrid *g);

/* The bands of chosen output o (index into p->outs) over the box (origin,
 * extent) of its sub-grid, cells row-major: pct[cell * n_pcts + q],
 * mean, sd, nan_share[cell] (the writer: lc_sens_bands_write, h5/h5_bands.h). */
lc_status lc_sens_bands_box(const lc_sens_problem *p, const lc_spec *s, int o,
                            const double *const *xs, const uint64_t *origin,
                            const uint64_t *extent, double *pct, double *mean, double *sd,
                            double *nan_share, lc_diag *d);


/* Parse a comma-separated method list ("mc,sobol", "all") into LC_SENS_* bits. */
lc_status lc_sens_parse_methods(const char *text, unsigned *methods, lc_diag *d);

/* Parse a Sobol design name: owen (or scrambled), unscrambled (or gsl). */
lc_status lc_sens_parse_design(const char *text, lc_sobol_design *design, lc_diag *d);

/* Name of output o of the problem (model output, formula or hook name). */
const char *lc_sens_output_name(const lc_sens_problem *p, int o);
/* The output id of a name, a built-in output or a formula of fs (may be
 * NULL); -1 when neither, with " (did you mean 'x'?)" or a pointer to the
 * list in hint (size bytes; hint may be NULL). */
int lc_sens_output_find(const lc_formulas *fs, const char *name, char *hint, size_t size);
/* Name, unit and (a formula's) text of output o of the problem; NULL with
 * the test hook's model. */
const lc_output_info *lc_sens_output_info(const lc_sens_problem *p, int o);

/* Sobol (Saltelli) needs 2k dimensions of GSL's Sobol sequence, whose
 * generator silently returns zeros above its max_dimension (40):
 * LC_ERANGE with a message when 2k is too many (the unscrambled design
 * only; the Owen-scrambled one has 80 dimensions, enough for every
 * LC_SENS_MAX_FACTORS). */
lc_status lc_sens_sobol_dims_check(int k, lc_diag *d);

/* ---- correlated inputs (sens_corr.c) --------------------------------------- */
/* The Gaussian copula of p->corr: the Cholesky factor L (k*k, row-major,
 * lower) of the normal-score correlations 2 sin(pi r / 6) (for which the
 * copula's rank correlation is exactly r).  LC_EINVAL with the
 * [correlation] line when the matrix is not positive definite. */
lc_status lc_sens_corr_factor(const lc_sens_problem *p, double *L, const char *file,
                              lc_diag *d);

/* Correlate one point: u[0..k) independent uniforms in (0,1) become
 * copula uniforms (in place): z = Phi^-1(u), u = Phi(L z). */
void lc_sens_corr_apply(const double *L, int k, double *u);

/* Spearman's rank correlation of x[0..n) and y[0..n) (average ranks for
 * ties); for the tests and the report. */
double lc_sens_spearman(const double *x, const double *y, size_t n);

/* ---- results ------------------------------------------------------------- */
typedef struct {
    /* Monte Carlo, per output o */
    double *mc_mean, *mc_sd;         /* [n_outs] over the finite samples */
    double *mc_pct;                  /* [n_outs][n_pcts] */
    size_t *mc_nan;                  /* [n_outs] samples without a finite value */
    size_t mc_n;
    double *mc_x;                    /* store_samples: [k][mc_n] factor values */
    double *mc_y;                    /* store_samples: [n_outs][mc_n] */

    /* tornado, per output o and factor f */
    double *tor_base;                /* [n_outs] output at the base point */
    double *tor_ylo, *tor_yhi;       /* [n_outs][k] output at the swing ends */
    double *tor_swing;               /* [n_outs][k] |yhi - ylo| (NaN if either is) */
    int *tor_order;                  /* [n_outs][k] factors by swing, largest first */

    /* Morris */
    double *mo_mu_star, *mo_mu, *mo_sigma; /* [n_outs][k] */
    int *mo_n;                       /* [n_outs][k] finite elementary effects */
    double mo_delta;                 /* the step in the unit cube */

    /* Sobol */
    size_t so_n;                     /* base samples N */
    double *so_s1, *so_s1_lo, *so_s1_hi; /* [n_outs][k] */
    double *so_st, *so_st_lo, *so_st_hi; /* [n_outs][k] */
    double *so_s2, *so_s2_lo, *so_s2_hi; /* [n_outs][k][k] (second_order) */
    double *so_var;                  /* [n_outs] output variance */
    size_t *so_nan;                  /* [n_outs] base rows left out (a NaN);
                                      * over LC_SENS_SOBOL_MAX_EXCLUDED of N
                                      * the output's indices are NaN */
    int so_reps;                     /* replicated designs (p->replicates) */
    double *so_s1_se, *so_st_se;     /* [n_outs][k] standard error from the
                                      * spread of the replicates' estimates
                                      * (sd / sqrt(reps)); NaN if reps < 2 */

    size_t evaluations;              /* model evaluations in total */
    double seconds;                  /* wall time of the analysis */
} lc_sens_result;

/* Run every method in p->methods.  The result owns its arrays. */
lc_status lc_sens_run(const lc_sens_problem *p, lc_sens_result *r, lc_diag *d);
void lc_sens_result_free(lc_sens_result *r);

/* Evaluate the problem's outputs at n points given in the unit cube
 * (u[f][j], f < k) or, with u == NULL, at factor values x[f][j].
 * Used by every method; exposed for the benchmark and the tests.
 * p->mpi: collective; each rank evaluates its share of the blocks and
 * every rank gets all of y. */
lc_status lc_sens_eval_points(const lc_sens_problem *p, const double *const *x,
                              size_t n, double *const *y, lc_diag *d);

/* Write the result to HDF5: `path`.partial first, then renamed; LC_EEXIST
 * when path exists and force is 0.  spec_text (may be NULL) is stored. */
lc_status lc_sens_write_h5(const lc_sens_problem *p, const lc_sens_result *r,
                           const char *path, int force, const char *spec_text,
                           lc_diag *d);

#endif
