/*
 * cmd_sensitivity.c - 'llmcost sensitivity SPEC': uncertainty propagation
 * and sensitivity analysis of the spec's distributed inputs (Monte Carlo,
 * tornado, Morris, Sobol).  Prints a readable table (or --json) on stdout
 * and optionally writes every number to HDF5 (-o FILE.h5).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_common.h"
#include "cli/cli_env.h"
#include "cli/commands.h"
#include "par/par_mpi.h"
#include "util/number.h"
#include "sensitivity/sensitivity.h"
#include "spec/spec.h"
#include "util/path.h"

static const char *CMD = "sensitivity";

static void help(FILE *f)
{
    fprintf(f,
"Usage: llmcost sensitivity SPEC [OPTIONS]\n"
"\n"
"Propagate the uncertainty of the spec's [distribution.NAME] inputs through the\n"
"cost model and rank the inputs by influence on each output.\n"
"\n"
"Options:\n"
"  --method LIST     mc, tornado, morris, sobol or all (default: the spec's\n"
"                    [sensitivity] method, else all)\n"
"  --samples N       Monte Carlo samples and Sobol base samples (default 8192;\n"
"                    Sobol evaluates N*(k+2) points, N*(2k+2) with second order)\n"
"  --seed S          random seed (default 1) of Monte Carlo, Morris, the Sobol\n"
"                    design's scramble and the bootstrap: same seed, same\n"
"                    numbers, for any --threads (and MPI ranks)\n"
"  --design D        Sobol design: owen (default: Joe & Kuo's Sobol sequence,\n"
"                    Owen-scrambled by --seed) or unscrambled (GSL's sequence,\n"
"                    the same for every seed; at most 20 inputs)\n"
"  --replicates R    R independent scrambles of the Sobol design (default 1),\n"
"                    N*(k+2) evaluations each: the indices use all of them and\n"
"                    R >= 2 adds a standard error from their spread\n"
"  --threads T       OpenMP threads (default: all)\n"
"  --outputs LIST    outputs and [formulas] to analyse (default: the spec's,\n"
"                    else every output and formula a distributed input moves)\n"
"  --percentiles L   extra Monte Carlo percentiles, e.g. 1,99 (5, 50, 95 always)\n"
"  --bootstrap R     Sobol bootstrap resamples for the intervals (default 100)\n"
"  --trajectories R  Morris trajectories (default 20)\n"
"  --second-order    Sobol second-order indices too\n"
"  --json            JSON on stdout instead of the table\n"
"  --tsv             one tab-separated row per output and input (for plots)\n"
"  -o FILE.h5        write indices, intervals and statistics to HDF5\n"
"  --store-samples   also store the Monte Carlo samples in FILE.h5\n"
"  --force           overwrite FILE.h5\n"
"  --catalog FILE    GPU catalogue (default: the built-in one)\n"
"  --catalog-add FILE  add or override catalogue entries and price records\n"
"  --price-date D    price the GPUs by their records at or before D (YYYY-MM[-DD] or\n"
"                    latest; overrides the spec's price_date); --price-kind K and\n"
"                    --price-provider C pick the GPU price series\n"
"\n"
"Spec sections:\n"
"  [distribution.NAME]   NAME = a model input, or gpu (a catalogue choice that\n"
"                        sets flops, hbm_bw, power_w, price_hour, unless\n"
"                        [inputs] or their own distribution give them), or\n"
"                        arch (a choice of architecture presets: sets the\n"
"                        inputs each gives, params, layers, heads, ...)\n"
"    type = uniform      low, high\n"
"    type = loguniform   low, high (both > 0)\n"
"    type = normal       mean, sd; optional low/high truncation\n"
"    type = lognormal    mu, sigma of ln x, or median, gsd (geometric sd);\n"
"                        optional low/high truncation\n"
"    type = triangular   low, mode, high\n"
"    type = choice       values = a, b, c; weights = 1, 2, 1 (optional)\n"
"    base = X            tornado base (default: the median)\n"
"    tornado_low/high    tornado swing (default: P5/P95 of a normal or\n"
"                        lognormal, the bounds of the other types)\n"
"  [sensitivity]  method, samples, seed, outputs, percentiles (added to 5, 50,\n"
"                 95), trajectories, levels, bootstrap, confidence,\n"
"                 second_order, store_samples, threads, design, replicates\n"
"  [formulas]     NAME = EXPR [UNIT], as in a sweep spec (doc/formulas.md):\n"
"                 outputs of every method, by name in outputs / --outputs\n"
"                 (the default outputs include every formula an input moves)\n"
"  [correlation]  rank (Spearman) correlations between distributed inputs,\n"
"                 one pair a line: params, tokens = 0.6  (a Gaussian copula:\n"
"                 each input keeps its distribution).  Monte Carlo samples\n"
"                 them; the tornado moves the correlated inputs to their\n"
"                 conditional medians with the swung one; Sobol and Morris\n"
"                 refuse them (default methods become mc,tornado)\n"
"\n"
"Inputs are independent unless [correlation] says otherwise.\n"
"MPI build: 'mpirun -np K llmcost sensitivity SPEC' splits the samples across\n"
"the ranks; the results are those of a serial run, bit for bit.\n"
"Samples without a finite output (no break-even, does not fit, ...) are\n"
"counted and reported (column 'no value'),\n"
"never averaged.  Exit status: 0 ok, 1 failure, 2 usage or input error.\n");
}

static void fmt(double x, char *buf, int n)
{
    if (!isfinite(x))
        snprintf(buf, (size_t)n, "%s", isnan(x) ? "n/a" : (x > 0 ? "inf" : "-inf"));
    else if (fabs(x) >= 1000.0)
        lc_format_si(x, buf, n);
    else
        snprintf(buf, (size_t)n, "%.4g", x);   /* 4 digits: the table's width */
}

/* a factor's value as a person reads it (gpu: the name) */
static void fval(const lc_dist *t, double v, char *buf, int n)
{
    if (LC_FACTOR_NAMED(t)) {
        int i = (int)v;
        snprintf(buf, (size_t)n, "%s", i >= 0 && i < t->n_choices ? t->labels[i] : "?");
    } else {
        fmt(v, buf, n);
    }
}

static void describe(const lc_dist *t, char *buf, size_t n)
{
    char a[32], b[32], c[32];
    switch (t->type) {
    case LC_DIST_UNIFORM:
    case LC_DIST_LOGUNIFORM:
        fmt(t->p1, a, 32);
        fmt(t->p2, b, 32);
        snprintf(buf, n, "%s %s..%s", t->type == LC_DIST_UNIFORM ? "uniform" : "loguniform", a, b);
        break;
    case LC_DIST_TRIANGULAR:
        fmt(t->p1, a, 32);
        fmt(t->mode, b, 32);
        fmt(t->p2, c, 32);
        snprintf(buf, n, "triangular %s/%s/%s", a, b, c);
        break;
    case LC_DIST_NORMAL:
        fmt(t->p1, a, 32);
        fmt(t->p2, b, 32);
        snprintf(buf, n, "normal %s sd %s", a, b);
        break;
    case LC_DIST_LOGNORMAL:
        fmt(exp(t->p1), a, 32);
        snprintf(buf, n, "lognormal median %s gsd %.3g", a, exp(t->p2));
        break;
    case LC_DIST_CHOICE: {
        size_t used = (size_t)snprintf(buf, n, "choice");
        for (int i = 0; i < t->n_choices && used < n; i++) {
            fval(t, t->values[i], a, 32);
            used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "," : " ", a);
        }
        break;
    }
    }
    if (t->truncated) {
        size_t used = strlen(buf);
        fmt(t->lo, a, 32);
        fmt(t->hi, b, 32);
        snprintf(buf + used, n - used, " in [%s, %s]", a, b);
    }
}

static void print_table(const lc_sens_problem *p, const lc_sens_result *r, const char *spec)
{
    int k = p->k, no = p->n_outs;
    char a[32], b[32], c[32], e[32], desc[160];
    printf("llmcost sensitivity: %s, %d uncertain input%s, seed %llu\n", spec, k,
           k == 1 ? "" : "s", (unsigned long long)p->seed);
    if (p->prices && p->prices[0]) {
        printf("prices (catalogue records used)\n");
        for (const char *q = p->prices; *q;) {
            const char *nl = strchr(q, '\n');
            int n = nl ? (int)(nl - q) : (int)strlen(q);
            printf("  %.*s\n", n, q);
            q += n + (nl ? 1 : 0);
        }
    }
    printf("%-16s %-44s %10s %10s %10s\n", "input", "distribution", "base", "low", "high");
    for (int f = 0; f < k; f++) {
        const lc_dist *t = &p->factors[f];
        describe(t, desc, sizeof desc);
        fval(t, t->base, a, 32);
        fval(t, t->swing_lo, b, 32);
        fval(t, t->swing_hi, c, 32);
        printf("%-16s %-44s %10s %10s %10s\n", t->name, desc, a, b, c);
    }
    if (r->mc_mean) {
        printf("\nMonte Carlo, %zu samples (inputs %s)\n", r->mc_n,
               p->correlated ? "rank-correlated as [correlation] says" : "independent");
        printf("%-22s %10s %10s", "output", "mean", "sd");
        for (int q = 0; q < p->n_pcts; q++) {
            snprintf(a, sizeof a, "P%g", p->pcts[q]);
            printf(" %10s", a);
        }
        printf("  %s\n", "no value");
        for (int o = 0; o < no; o++) {
            fmt(r->mc_mean[o], a, 32);
            fmt(r->mc_sd[o], b, 32);
            printf("%-22s %10s %10s", lc_sens_output_name(p, o), a, b);
            for (int q = 0; q < p->n_pcts; q++) {
                fmt(r->mc_pct[o * p->n_pcts + q], a, 32);
                printf(" %10s", a);
            }
            printf("  %zu (%.1f%%)\n", r->mc_nan[o], 100.0 * (double)r->mc_nan[o] / (double)r->mc_n);
        }
    }
    for (int o = 0; o < no; o++) {
        const char *on = lc_sens_output_name(p, o);
        const lc_output_info *oi = lc_sens_output_info(p, o);
        const char *unit = oi && oi->unit[0] ? oi->unit : "no unit";
        if (r->tor_base) {
            fmt(r->tor_base[o], a, 32);
            printf("\nTornado: %s (%s) at base %s, one input at a time from low to high%s\n",
                   on, unit, a,
                   p->correlated ? " (correlated inputs follow to their conditional medians)" : "");
            printf("%-16s %10s %10s %12s %12s %12s\n", "input", "low", "high", "output@low",
                   "output@high", "swing");
            for (int i = 0; i < k; i++) {
                int f = r->tor_order[o * k + i];
                const lc_dist *t = &p->factors[f];
                fval(t, t->swing_lo, a, 32);
                fval(t, t->swing_hi, b, 32);
                fmt(r->tor_ylo[o * k + f], c, 32);
                fmt(r->tor_yhi[o * k + f], e, 32);
                char s[32];
                fmt(r->tor_swing[o * k + f], s, 32);
                printf("%-16s %10s %10s %12s %12s %12s\n", t->name, a, b, c, e, s);
            }
        }
        if (r->mo_mu_star) {
            printf("\nMorris: %s, %d trajectories, %d levels (effects per unit of the "
                   "input's quantile range)\n", on, p->trajectories, p->levels);
            printf("%-16s %12s %12s %12s %8s\n", "input", "mu*", "mu", "sigma", "effects");
            for (int f = 0; f < k; f++) {
                fmt(r->mo_mu_star[o * k + f], a, 32);
                fmt(r->mo_mu[o * k + f], b, 32);
                fmt(r->mo_sigma[o * k + f], c, 32);
                printf("%-16s %12s %12s %12s %8d\n", p->factors[f].name, a, b, c,
                       r->mo_n[o * k + f]);
            }
        }
        if (r->so_s1) {
            printf("\nSobol: %s, N = %zu base samples, %s design", on, r->so_n,
                   p->design == LC_SOBOL_UNSCRAMBLED ? "unscrambled (GSL)" : "Owen-scrambled");
            if (r->so_reps > 1)
                printf(" x %d replicates", r->so_reps);
            printf(", ");
            if (p->bootstrap > 0)
                printf("%g%% bootstrap intervals (%d resamples)", 100 * p->confidence, p->bootstrap);
            else
                printf("no bootstrap");
            size_t rows_all = r->so_n * (size_t)r->so_reps;
            if ((double)r->so_nan[o] > LC_SENS_SOBOL_MAX_EXCLUDED * (double)rows_all) {
                printf("\n  not computed: %zu of %zu rows (%.1f%%) have no finite value (no "
                       "break-even, does not fit, ...) and Sobol indices need one everywhere; "
                       "the Monte Carlo 'no value' share says how often that happens\n",
                       r->so_nan[o], rows_all, 100.0 * (double)r->so_nan[o] / (double)rows_all);
                continue;
            }
            if (r->so_nan[o])
                printf(", %zu rows without a finite value left out", r->so_nan[o]);
            int se = r->so_reps > 1;
            printf("\n%-16s %8s %18s %8s %18s%s\n", "input", "S1", "interval", "ST", "interval",
                   se ? "  se(S1)  se(ST) from the replicates" : "");
            for (int f = 0; f < k; f++) {
                int i = o * k + f;
                printf("%-16s %8.4f  [%7.4f, %7.4f] %8.4f  [%7.4f, %7.4f]", p->factors[f].name,
                       r->so_s1[i], r->so_s1_lo[i], r->so_s1_hi[i], r->so_st[i], r->so_st_lo[i],
                       r->so_st_hi[i]);
                if (se)
                    printf("  %7.4f %7.4f", r->so_s1_se[i], r->so_st_se[i]);
                printf("\n");
            }
            if (r->so_s2) {
                printf("second order S2:\n");
                for (int f = 0; f < k; f++)
                    for (int g = f + 1; g < k; g++) {
                        size_t i = ((size_t)o * k + f) * k + g;
                        printf("  %s x %s: %.4f [%.4f, %.4f]\n", p->factors[f].name,
                               p->factors[g].name, r->so_s2[i], r->so_s2_lo[i], r->so_s2_hi[i]);
                    }
            }
        }
    }
    printf("\n%zu model evaluations in %.3f s\n", r->evaluations, r->seconds);
}

/* --tsv: one row per (output, factor) for plotting, factors ranked by the
 * tornado swing, else Sobol ST, else Morris mu*, else spec order; absent
 * methods give "nan" columns.  Factor values of a gpu factor are indices. */
static const double *rank_key;

static int cmp_rank(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    double kx = rank_key[x], ky = rank_key[y];
    int nx = !isfinite(kx), ny = !isfinite(ky);
    if (nx != ny)
        return nx - ny;
    if (!nx && kx != ky)
        return kx < ky ? 1 : -1;
    return x - y;
}

static void print_tsv(const lc_sens_problem *p, const lc_sens_result *r)
{
    int k = p->k;
    printf("# llmcost sensitivity --tsv: seed %llu, samples %zu, confidence %g\n",
           (unsigned long long)p->seed, p->samples, p->confidence);
    printf("output\tfactor\trank\tlabel\tx_base\tx_low\tx_high\ty_base\ty_low\ty_high\t"
           "swing\tS1\tS1_low\tS1_high\tST\tST_low\tST_high\tmu_star\tsigma\n");
    for (int o = 0; o < p->n_outs; o++) {
        int ord[LC_SENS_MAX_FACTORS];
        for (int f = 0; f < k; f++)
            ord[f] = f;
        rank_key = r->tor_swing ? r->tor_swing + o * k
                 : r->so_st ? r->so_st + o * k
                 : r->mo_mu_star ? r->mo_mu_star + o * k : NULL;
        if (rank_key)
            qsort(ord, (size_t)k, sizeof ord[0], cmp_rank);
        for (int i = 0; i < k; i++) {
            int f = ord[i], q = o * k + f;
            const lc_dist *t = &p->factors[f];
            char lo[32], hi[32];
            fval(t, t->swing_lo, lo, 32);
            fval(t, t->swing_hi, hi, 32);
            double v[] = {t->base, t->swing_lo, t->swing_hi,
                          r->tor_base ? r->tor_base[o] : NAN, r->tor_ylo ? r->tor_ylo[q] : NAN,
                          r->tor_yhi ? r->tor_yhi[q] : NAN, r->tor_swing ? r->tor_swing[q] : NAN,
                          r->so_s1 ? r->so_s1[q] : NAN, r->so_s1 ? r->so_s1_lo[q] : NAN,
                          r->so_s1 ? r->so_s1_hi[q] : NAN, r->so_st ? r->so_st[q] : NAN,
                          r->so_st ? r->so_st_lo[q] : NAN, r->so_st ? r->so_st_hi[q] : NAN,
                          r->mo_mu_star ? r->mo_mu_star[q] : NAN,
                          r->mo_sigma ? r->mo_sigma[q] : NAN};
            printf("%s\t%s\t%d\t%s (%s..%s)", lc_sens_output_name(p, o), t->name, i + 1,
                   t->name, lo, hi);
            for (size_t c = 0; c < sizeof v / sizeof v[0]; c++)
                printf(isfinite(v[c]) ? "\t%.17g" : "\tnan", v[c]);
            printf("\n");
        }
    }
}

/* Writes `key` (the JSON text before the value: separator, name, colon)
 * then the n numbers as a JSON array. */
static void jfield(FILE *f, const char *key, const double *v, int n)
{
    fputs(key, f);
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        lc_json_number(f, v[i]);
    }
    fputc(']', f);
}

static void print_json(const lc_sens_problem *p, const lc_sens_result *r, const char *spec)
{
    int k = p->k, no = p->n_outs;
    FILE *f = stdout;
    fputs("{\"spec\": ", f);
    lc_json_string(f, spec);
    fputs(", \"prices\": ", f);
    lc_json_string(f, p->prices ? p->prices : "");
    fprintf(f, ", \"seed\": %llu, \"samples\": %zu, \"evaluations\": %zu, \"seconds\": ",
            (unsigned long long)p->seed, p->samples, r->evaluations);
    lc_json_number(f, r->seconds);
    fputs(",\n \"factors\": [", f);
    for (int i = 0; i < k; i++) {
        const lc_dist *t = &p->factors[i];
        static const char *tn[] = {"uniform", "loguniform", "normal", "lognormal", "triangular", "choice"};
        fputs(i ? ", " : "", f);
        fputs("{\"name\": ", f);
        lc_json_string(f, t->name);
        fprintf(f, ", \"type\": \"%s\", \"base\": ", tn[t->type]);
        lc_json_number(f, t->base);
        fputs(", \"low\": ", f);
        lc_json_number(f, t->swing_lo);
        fputs(", \"high\": ", f);
        lc_json_number(f, t->swing_hi);
        if (LC_FACTOR_NAMED(t)) {
            fputs(", \"choices\": [", f);
            for (int c = 0; c < t->n_choices; c++) {
                fputs(c ? ", " : "", f);
                lc_json_string(f, t->labels[c]);
            }
            fputc(']', f);
        }
        fputc('}', f);
    }
    fputs("],", f);
    if (p->correlated) {   /* the rank correlations, in factor order */
        fputs("\n \"correlation\": [", f);
        for (int i = 0; i < k; i++) {
            fputs(i ? ", [" : "[", f);
            for (int j = 0; j < k; j++) {
                fputs(j ? ", " : "", f);
                lc_json_number(f, p->corr[i][j]);
            }
            fputc(']', f);
        }
        fputs("],", f);
    }
    fputs("\n \"outputs\": {", f);
    for (int o = 0; o < no; o++) {
        fputs(o ? ",\n  " : "\n  ", f);
        lc_json_string(f, lc_sens_output_name(p, o));
        const lc_output_info *oi = lc_sens_output_info(p, o);
        fputs(": {\"unit\": ", f);
        lc_json_string(f, oi ? oi->unit : "");
        if (oi && oi->node < 0) { /* a user formula: its text */
            fputs(", \"formula\": ", f);
            lc_json_string(f, oi->formula);
        }
        int sep = 1;
        if (r->mc_mean) {
            fputs(", \"mc\": {\"mean\": ", f);
            lc_json_number(f, r->mc_mean[o]);
            fputs(", \"sd\": ", f);
            lc_json_number(f, r->mc_sd[o]);
            fputs(", \"percentiles\": {", f);
            for (int q = 0; q < p->n_pcts; q++) {
                fprintf(f, "%s\"%g\": ", q ? ", " : "", p->pcts[q]);
                lc_json_number(f, r->mc_pct[o * p->n_pcts + q]);
            }
            fprintf(f, "}, \"samples\": %zu, \"no_breakeven\": %zu}", r->mc_n, r->mc_nan[o]);
            sep = 1;
        }
        if (r->tor_base) {
            fputs(sep ? ", " : "", f);
            fputs("\"tornado\": {\"base\": ", f);
            lc_json_number(f, r->tor_base[o]);
            fputs(", \"order\": [", f);
            for (int i = 0; i < k; i++) {
                fputs(i ? ", " : "", f);
                lc_json_string(f, p->factors[r->tor_order[o * k + i]].name);
            }
            jfield(f, "], \"y_low\": ", r->tor_ylo + o * k, k);
            jfield(f, ", \"y_high\": ", r->tor_yhi + o * k, k);
            jfield(f, ", \"swing\": ", r->tor_swing + o * k, k);
            fputc('}', f);
            sep = 1;
        }
        if (r->mo_mu_star) {
            fputs(sep ? ", " : "", f);
            jfield(f, "\"morris\": {\"mu_star\": ", r->mo_mu_star + o * k, k);
            jfield(f, ", \"mu\": ", r->mo_mu + o * k, k);
            jfield(f, ", \"sigma\": ", r->mo_sigma + o * k, k);
            fputc('}', f);
            sep = 1;
        }
        if (r->so_s1) {
            fputs(sep ? ", " : "", f);
            jfield(f, "\"sobol\": {\"S1\": ", r->so_s1 + o * k, k);
            jfield(f, ", \"S1_low\": ", r->so_s1_lo + o * k, k);
            jfield(f, ", \"S1_high\": ", r->so_s1_hi + o * k, k);
            jfield(f, ", \"ST\": ", r->so_st + o * k, k);
            jfield(f, ", \"ST_low\": ", r->so_st_lo + o * k, k);
            jfield(f, ", \"ST_high\": ", r->so_st_hi + o * k, k);
            if (r->so_s2) {
                jfield(f, ", \"S2\": ", r->so_s2 + (size_t)o * k * k, k * k);
            }
            jfield(f, ", \"S1_se\": ", r->so_s1_se + o * k, k);
            jfield(f, ", \"ST_se\": ", r->so_st_se + o * k, k);
            fprintf(f, ", \"design\": \"%s\", \"replicates\": %d, \"excluded_rows\": %zu}",
                    p->design == LC_SOBOL_UNSCRAMBLED ? "unscrambled" : "owen", r->so_reps,
                    r->so_nan[o]);
        }
        fputc('}', f);
    }
    fputs("\n }\n}\n", f);
}

/* MPI: a rank that stops before the analysis (a usage error, a spec it
 * cannot read) must not leave the others waiting in the analysis'
 * collectives: every rank passes exactly one agreement, either just before
 * the analysis (contributing 0) or on its way out (its exit status); the
 * largest status wins on every rank. */
static int agree_exit(int rc)
{
    return lc_par_size() > 1 ? -lc_par_min_int(-rc) : rc;
}

static int sensitivity(int argc, char **argv, int *agreed)
{
    lc_cli_args a;
    lc_cli_prices pr;
    memset(&pr, 0, sizeof pr);
    const char *spec_path = NULL, *out = NULL, *methods = NULL,
               *outputs = NULL, *pcts = NULL, *design = NULL;
    /* NaN: not given (lc_cli_number never yields NaN, so "--samples 0" or
     * "--seed -1" are range errors instead of silently meaning "default") */
    double samples = NAN, threads = NAN, boot = NAN, traj = NAN, reps = NAN;
    const char *seed_text = NULL; /* a uint64, exact: not through a double */
    uint64_t seed = 0;
    int json = 0, tsv = 0, force = 0, second = 0, store = 0, rc;
    lc_status st = LC_OK;
    lc_cli_args_init(&a, CMD, argc, argv);
    while ((rc = lc_cli_next(&a)) != 0) {
        if (rc < 0) {
            if (spec_path) {
                lc_cli_error(CMD, "one SPEC only (got '%s' and '%s')", spec_path, a.arg);
                return 2;
            }
            spec_path = a.arg;
            continue;
        }
        if (lc_cli_is_help(&a)) {
            if (lc_par_rank() == 0)   /* under mpirun: once */
                help(stdout);
            return 0;
        }
        if (lc_cli_is(&a, "method") || lc_cli_is(&a, "methods"))
            st = lc_cli_value(&a, &methods);
        else if (lc_cli_is(&a, "samples"))
            st = lc_cli_number(&a, &samples);
        else if (lc_cli_is(&a, "seed"))
            st = lc_cli_value(&a, &seed_text);
        else if (lc_cli_is(&a, "threads"))
            st = lc_cli_number(&a, &threads);
        else if (lc_cli_is(&a, "bootstrap"))
            st = lc_cli_number(&a, &boot);
        else if (lc_cli_is(&a, "replicates"))
            st = lc_cli_number(&a, &reps);
        else if (lc_cli_is(&a, "design"))
            st = lc_cli_value(&a, &design);
        else if (lc_cli_is(&a, "trajectories"))
            st = lc_cli_number(&a, &traj);
        else if (lc_cli_is(&a, "percentiles"))
            st = lc_cli_value(&a, &pcts);
        else if (lc_cli_is(&a, "outputs"))
            st = lc_cli_value(&a, &outputs);
        else if (lc_cli_price_option(&a, &pr, &st))
            ;
        else if (lc_cli_is(&a, "o") || lc_cli_is(&a, "output"))
            st = lc_cli_value(&a, &out);
        else if (lc_cli_is(&a, "json"))
            st = lc_cli_flag(&a), json = 1;
        else if (lc_cli_is(&a, "tsv"))
            st = lc_cli_flag(&a), tsv = 1;
        else if (lc_cli_is(&a, "force"))
            st = lc_cli_flag(&a), force = 1;
        else if (lc_cli_is(&a, "second_order"))
            st = lc_cli_flag(&a), second = 1;
        else if (lc_cli_is(&a, "store_samples"))
            st = lc_cli_flag(&a), store = 1;
        else
            st = lc_cli_unknown(&a);
        if (st != LC_OK)
            return lc_exit_code(st);
    }
    if (!spec_path) {
        lc_cli_error(CMD, "missing SPEC (try 'llmcost sensitivity --help')");
        return 2;
    }
    struct { double v; const char *n; double lo, hi; } checks[] = {
        {samples, "--samples", 16, 1e9},
        {threads, "--threads", 0, 4096}, {boot, "--bootstrap", 0, 100000},
        {traj, "--trajectories", 2, 1e7}, {reps, "--replicates", 1, LC_SENS_MAX_REPS}};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        double x = checks[i].v;
        int given = !isnan(x);
        if (given && (!(x >= checks[i].lo && x <= checks[i].hi) || x != floor(x))) {
            lc_cli_error(CMD, "%s: expected a whole number in [%g, %g]", checks[i].n,
                         checks[i].lo, checks[i].hi);
            return 2;
        }
    }
    lc_diag pd;
    if (out && lc_path_check_output(out, &pd) != LC_OK) { /* before any work */
        return lc_exit_code(lc_cli_report(CMD, LC_EINVAL, &pd));
    }
    lc_diag sd;
    if (seed_text && lc_parse_u64(seed_text, &seed, &sd) != LC_OK) {
        lc_cli_error(CMD, "--seed: expected a whole number in [0, 18446744073709551615]: %s",
                     sd.msg);
        return 2;
    }
    if (out && lc_path_same_file(spec_path, out)) { /* not even with --force */
        lc_cli_error(CMD, "-o %s is the spec file itself: give another output file", out);
        return 2;
    }
    if (lc_cli_output_is_catalog(CMD, &pr, out))
        return 2;
    if (out && !force && access(out, F_OK) == 0) {
        lc_cli_error(CMD, "%s exists (use --force to overwrite)", out);
        return 2;
    }

    lc_catalog cat;
    static char prices[8192]; /* the records used (lives until the command returns) */
    lc_spec spec;
    lc_sens_problem *p = malloc(sizeof *p);
    lc_sens_result r;
    lc_diag d;
    memset(&r, 0, sizeof r);
    if (!p) {
        lc_cli_error(CMD, "out of memory");
        return 1;
    }
    if ((st = lc_cli_catalog_open(CMD, &pr, &cat)) != LC_OK) {
        free(p);
        return lc_exit_code(st);
    }
    if ((st = lc_spec_parse_file(&spec, spec_path, &cat, &d)) != LC_OK) {
        lc_cli_report(CMD, st, &d);
        lc_catalog_free(&cat);
        free(p);
        return lc_exit_code(st);
    }
    /* the GPU factor's numbers: the records at the spec's (or --price-*) date */
    lc_catalog_select(&cat, &spec.price_query);
    if ((st = lc_sens_problem_from_spec(p, &spec, &cat, &d)) != LC_OK) {
        lc_cli_report(CMD, st, &d);
        goto done;
    }
    /* the records priced: the spec's (fixed gpu), then each GPU choice's */
    snprintf(prices, sizeof prices, "%s", spec.prices_used);
    for (int f = 0; f < p->k; f++)
        for (int c = 0; p->factors[f].input == LC_FACTOR_GPU && c < p->factors[f].n_choices; c++) {
            const lc_gpu *g = lc_catalog_gpu(&cat, p->factors[f].labels[c]);
            const lc_gpu_price *gr = lc_gpu_record(g);
            size_t n = strlen(prices);
            if (gr && n + 2 < sizeof prices)
                snprintf(prices + n, sizeof prices - n, "gpu %s: %.10g USD/GPU-hour %s %s %s (%s)\n",
                         g->name, gr->price_hour, lc_price_kind_name(gr->kind),
                         lc_provider_class_name(gr->provider), gr->date, gr->source);
        }
    p->prices = prices;
    /* command-line options override the spec's [sensitivity] section */
    if (methods && (st = lc_sens_parse_methods(methods, &p->methods, &d)) != LC_OK) {
        lc_cli_error(CMD, "--method: %s", d.msg);
        goto done;
    }
    if (design && (st = lc_sens_parse_design(design, &p->design, &d)) != LC_OK) {
        lc_cli_error(CMD, "--design: %s", d.msg);
        goto done;
    }
    if (outputs) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", outputs);
        p->n_outs = 0;
        for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            char hint[160];
            int o = lc_sens_output_find(p->fs, tok, hint, sizeof hint);
            if (o < 0) {
                lc_cli_error(CMD, "--outputs: unknown output '%s'%s", tok, hint);
                st = LC_ENOTFOUND;
                goto done;
            }
            if (p->n_outs >= LC_OUT_MAX) {
                lc_cli_error(CMD, "--outputs: at most %d outputs", LC_OUT_MAX);
                st = LC_EINVAL;
                goto done;
            }
            p->outs[p->n_outs++] = o;
        }
        if (!p->n_outs) {
            lc_cli_error(CMD, "--outputs: no output given");
            st = LC_EINVAL;
            goto done;
        }
    }
    if (pcts) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", pcts);
        for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            double x;
            lc_diag nd;
            if (lc_parse_number(tok, &x, &nd) != LC_OK || !(x >= 0 && x <= 100)) {
                lc_cli_error(CMD, "--percentiles: '%s' is not a number in [0, 100]", tok);
                st = LC_EINVAL;
                goto done;
            }
            int dup = 0;
            for (int q = 0; q < p->n_pcts; q++)
                dup |= p->pcts[q] == x;
            if (dup)
                continue;
            if (p->n_pcts >= LC_SENS_MAX_PCTS) {
                lc_cli_error(CMD, "--percentiles: at most %d percentiles", LC_SENS_MAX_PCTS);
                st = LC_EINVAL;
                goto done;
            }
            int q = p->n_pcts++;   /* insertion keeps them ascending */
            while (q > 0 && p->pcts[q - 1] > x) {
                p->pcts[q] = p->pcts[q - 1];
                q--;
            }
            p->pcts[q] = x;
        }
    }
    if (!isnan(samples))
        p->samples = (size_t)samples;
    if (seed_text)
        p->seed = seed;
    if (threads >= 0)
        p->threads = lc_cli_cap_threads(CMD, (int)threads, "--threads", 0);
    else if (p->threads > 0)
        p->threads = lc_cli_cap_threads(CMD, p->threads, "the spec's threads", 0);
    if (boot >= 0)
        p->bootstrap = (int)boot;
    if (traj >= 0)
        p->trajectories = (int)traj;
    if (reps >= 1)
        p->replicates = (int)reps;
    if (second)
        p->second_order = 1;
    if (store)
        p->store_samples = 1;
    if ((p->methods & LC_SENS_SOBOL) && p->design == LC_SOBOL_UNSCRAMBLED &&
        (st = lc_sens_sobol_dims_check(p->k, &d)) != LC_OK) {
        lc_cli_report(CMD, st, &d);
        goto done;
    }
    /* under mpirun every rank runs the same problem on its share of the
     * samples and ends with the whole result; rank 0 alone prints and
     * writes the file, and every rank exits with rank 0's status */
    p->mpi = lc_par_size() > 1;
    int rank0 = lc_par_rank() == 0;
    *agreed = 1;
    int other = agree_exit(0);
    if (other != 0) {   /* another rank stopped and said why */
        st = other == 2 ? LC_EINVAL : LC_EIO;
        goto done;
    }
    if ((st = lc_sens_run(p, &r, &d)) != LC_OK) {
        if (rank0 || !p->mpi)   /* the same error on every rank: say it once */
            lc_cli_report(CMD, st, &d);
        goto done;
    }
    if (rank0) {
        if (json)
            print_json(p, &r, spec_path);
        else if (tsv)
            print_tsv(p, &r);
        else
            print_table(p, &r, spec_path);
        fflush(stdout);
        if (out && (st = lc_sens_write_h5(p, &r, out, force, spec.text, &d)) != LC_OK)
            lc_cli_report(CMD, st, &d);
        else if (out && !json && !tsv)
            printf("wrote %s\n", out);
    }
    if (p->mpi) {
        int s0 = (int)st;
        lc_par_bcast(&s0, sizeof s0);
        st = (lc_status)s0;
    }
done:
    lc_sens_result_free(&r);
    lc_spec_free(&spec);
    lc_catalog_free(&cat);
    free(p);
    return lc_exit_code(st);
}

int lc_cmd_sensitivity(int argc, char **argv)
{
    int agreed = 0;
    int rc = sensitivity(argc, argv, &agreed);
    return agreed ? rc : agree_exit(rc);
}
