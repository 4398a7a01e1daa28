/*
 * bench_sensitivity.c - speed of the sensitivity analysis.
 *
 * 1. Model evaluations per second of the point-list path the methods use
 *    (lc_sens_eval_points: 6 sampled inputs, stride-1 columns, the rest
 *    fixed), for pretrain_cost alone and for all 22 outputs, at 2^20 points.
 * 2. Wall time of a full Sobol analysis end to end (lc_sens_run): 6 inputs,
 *    2^16 Saltelli base samples (N (k + 2) = 524288 evaluations), first and
 *    total order, 100 bootstrap resamples, output pretrain_cost, on the
 *    Owen-scrambled design (the default) and on GSL's unscrambled one; the
 *    same with every method (MC, tornado, Morris, Sobol).
 * Each figure is the median of 5 runs after one warm-up.  Prints TSV: a
 * comment line (commit, compiler, flags, ISA, threads), a header, one row per
 * measurement.  Usage: bench_sensitivity [THREADS]  (default: OpenMP's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "kernel/kernel.h"
#include "sensitivity/sensitivity.h"
#include "util/version.h"

#define RUNS 5

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[n / 2];
}

static void setd(lc_dist *t, const char *name, lc_dist_type ty, double a, double b)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->input = lc_input_find(name);
    t->type = ty;
    t->p1 = a;
    t->p2 = b;
    t->lo = -HUGE_VAL;
    t->hi = HUGE_VAL;
    t->base = t->swing_lo = t->swing_hi = NAN;
    t->line = 1;
}

static int problem(lc_sens_problem *p, int threads)
{
    lc_diag d;
    lc_sens_problem_init(p);
    setd(&p->factors[0], "params", LC_DIST_LOGUNIFORM, 1.2e12, 2.5e12);
    setd(&p->factors[1], "tokens", LC_DIST_LOGUNIFORM, 9e12, 17e12);
    setd(&p->factors[2], "flops", LC_DIST_UNIFORM, 250e12, 350e12);
    setd(&p->factors[3], "util", LC_DIST_UNIFORM, 0.3, 0.55);
    setd(&p->factors[4], "price_hour", LC_DIST_UNIFORM, 1.2, 4.0);
    setd(&p->factors[5], "discount", LC_DIST_UNIFORM, 0.3, 0.8);
    p->k = 6;
    for (int f = 0; f < 6; f++)
        if (lc_dist_finish(&p->factors[f], "bench", &d) != LC_OK) {
            fprintf(stderr, "bench_sensitivity: %s\n", d.msg);
            return -1;
        }
    p->outs[0] = LC_OUT_PRETRAIN_COST;
    p->n_outs = 1;
    p->threads = threads;
    return 0;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : omp_get_max_threads();
    lc_sens_problem *p = malloc(sizeof *p);
    const lc_kernel *k;
    lc_diag d;
    if (!p || problem(p, threads) != 0 || lc_kernel_select(NULL, &k, &d) != LC_OK)
        return 1;
    printf("# bench_sensitivity llmcost %s commit %s, compiler gcc %s, flags -O2 "
           "-ffp-contract=off -fopenmp, isa %s, threads %d\n",
           LC_VERSION, lc_build_commit(), __VERSION__, k->isa, threads);
    printf("bench\tcase\tthreads\tvalue\tunit\n");

    /* 1. evaluations per second */
    size_t n = (size_t)1 << 20;
    double *x = malloc(sizeof(double) * n * 6), *y = malloc(sizeof(double) * n * LC_OUT_COUNT);
    if (!x || !y)
        return 1;
    const double *xp[6];
    double *yp[LC_OUT_COUNT];
    for (int f = 0; f < 6; f++) {
        xp[f] = x + (size_t)f * n;
        for (size_t j = 0; j < n; j++)
            x[(size_t)f * n + j] = lc_dist_quantile(&p->factors[f], ((double)j + 0.5) / (double)n);
    }
    for (int o = 0; o < LC_OUT_COUNT; o++)
        yp[o] = y + (size_t)o * n;
    for (int all = 0; all < 2; all++) {
        p->n_outs = all ? LC_OUT_COUNT : 1;
        for (int o = 0; o < p->n_outs; o++)
            p->outs[o] = all ? o : LC_OUT_PRETRAIN_COST;
        double t[RUNS];
        lc_sens_eval_points(p, xp, n, yp, &d);   /* warm-up: page faults */
        for (int r = 0; r < RUNS; r++) {
            double t0 = omp_get_wtime();
            lc_sens_eval_points(p, xp, n, yp, &d);
            t[r] = omp_get_wtime() - t0;
        }
        printf("eval_points\t%s, 6 sampled inputs, 2^20 points\t%d\t%.4g\tpoints/s\n",
               all ? "all 22 outputs" : "pretrain_cost", threads, (double)n / median(t, RUNS));
        /* the kernel called directly on the same blocks: the wrapper's cost */
        for (int r = 0; r < RUNS; r++) {
            double t0 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
            for (size_t b = 0; b < n / 512; b++) {
                lc_block_in in;
                double *yb[LC_OUT_COUNT];
                for (int i = 0; i < LC_IN_COUNT; i++) {
                    in.in[i] = &p->fixed[i];
                    in.stride[i] = 0;
                }
                for (int f = 0; f < 6; f++) {
                    in.in[p->factors[f].input] = xp[f] + b * 512;
                    in.stride[p->factors[f].input] = 1;
                }
                in.in[LC_IN_UTIL_INFER] = in.in[LC_IN_UTIL];
                in.stride[LC_IN_UTIL_INFER] = 1;
                for (int o = 0; o < p->n_outs; o++)
                    yb[o] = yp[o] + b * 512;
                k->points(&in, 512, p->outs, p->n_outs, yb);
            }
            t[r] = omp_get_wtime() - t0;
        }
        printf("kernel_direct\t%s, same inputs, 512-point blocks\t%d\t%.4g\tpoints/s\n",
               all ? "all 22 outputs" : "pretrain_cost", threads, (double)n / median(t, RUNS));
    }
    free(x);
    free(y);

    /* 2. the full analyses */
    p->outs[0] = LC_OUT_PRETRAIN_COST;
    p->n_outs = 1;
    p->samples = (size_t)1 << 16;
    p->bootstrap = 100;
    p->trajectories = 100;
    static const struct { unsigned m; lc_sobol_design design; const char *name; } cases[] = {
        {LC_SENS_SOBOL, LC_SOBOL_OWEN, "sobol S1+ST, 6 inputs, N=2^16, 100 bootstrap, pretrain_cost"},
        {LC_SENS_SOBOL, LC_SOBOL_UNSCRAMBLED,
         "sobol S1+ST, unscrambled GSL design, 6 inputs, N=2^16, 100 bootstrap, pretrain_cost"},
        {LC_SENS_MC | LC_SENS_TORNADO | LC_SENS_MORRIS | LC_SENS_SOBOL, LC_SOBOL_OWEN,
         "mc+tornado+morris(100 traj)+sobol, 6 inputs, N=2^16, 100 bootstrap"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double t[RUNS];
        lc_sens_result r;
        p->methods = cases[c].m;
        p->design = cases[c].design;
        if (lc_sens_run(p, &r, &d) != LC_OK) {
            fprintf(stderr, "bench_sensitivity: %s\n", d.msg);
            return 1;
        }
        size_t evals = r.evaluations;
        lc_sens_result_free(&r);
        for (int i = 0; i < RUNS; i++) {
            double t0 = omp_get_wtime();
            lc_sens_run(p, &r, &d);
            t[i] = omp_get_wtime() - t0;
            lc_sens_result_free(&r);
        }
        printf("analysis\t%s (%zu evaluations)\t%d\t%.4f\ts\n", cases[c].name, evals, threads,
               median(t, RUNS));
    }
    free(p);
    return 0;
}
