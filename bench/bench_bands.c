/*
 * bench_bands.c - speed of the uncertainty bands of a sweep ([uncertainty])
 * beside the plain sweep of the same number of points, in one run.
 *
 * Rows (TSV like bench_sensitivity: bench, case, threads, value, unit):
 *   bands_cells  64 x 64 cells of pretrain_cost x 1000 common samples of 3
 *                uncertain inputs (util, price_hour lognormal, discount;
 *                util and price rank-correlated): percentiles 5/50/95, mean,
 *                sd, no-finite share per cell, in memory (evaluated points/s)
 *   bands_write  the same through lc_sens_bands_write into a sweep file
 *                (HDF5 datasets, tiles), evaluated points/s
 *   sweep_plain  the plain sweep of a grid of the same 4,096,000 points
 *                (64 x 64 x 1000 util values) storing pretrain_cost, HDF5
 *                uncompressed: its evaluated points/s
 *   ratio        bands_write / sweep_plain
 * Each figure is the median of 5 runs, with the CPU seconds of all threads
 * beside the wall time in the case text.  Usage: bench_bands [THREADS].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <omp.h>

#include "catalog/catalog.h"
#include "kernel/kernel.h"
#include "h5/h5_bands.h"
#include "sensitivity/sensitivity.h"
#include "spec/spec.h"
#include "engine/sweep.h"
#include "util/version.h"

#define RUNS 5

static const char *const BANDS =
    "[axes]\nparams = log 1e9 2e12 64\ntokens = log 1e10 1e14 64\n"
    "[inputs]\ngpu = H100\n[outputs]\nstore = pretrain_cost\n"
    "[distribution.util]\ntype = uniform\nlow = 0.3\nhigh = 0.55\n"
    "[distribution.price_hour]\ntype = lognormal\nmedian = 2.5\ngsd = 1.4\nlow = 0.8\nhigh = 8\n"
    "[distribution.discount]\ntype = triangular\nlow = 0.3\nmode = 0.5\nhigh = 1\n"
    "[correlation]\nutil, price_hour = 0.5\n"
    "[uncertainty]\nsamples = 1000\noutputs = pretrain_cost\n";
static const char *const PLAIN =
    "[axes]\nparams = log 1e9 2e12 64\ntokens = log 1e10 1e14 64\nutil = lin 0.3 0.55 1000\n"
    "[inputs]\ngpu = H100\n[outputs]\nstore = pretrain_cost\n[sweep]\ncompression = none\n";

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

static double cpu_s(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec +
           (double)u.ru_stime.tv_sec + 1e-6 * (double)u.ru_stime.tv_usec;
}

static int die(const char *what, const lc_diag *d)
{
    fprintf(stderr, "bench_bands: %s: %s\n", what, d->msg);
    return 1;
}

static int sweep_once(const lc_spec *s, const char *out, int threads, lc_sweep_result *r, lc_diag *d)
{
    lc_sweep_opts o;
    lc_sweep_opts_init(&o);
    o.output = out;
    o.threads = threads;
    o.force = 1;
    return lc_sweep_run(s, &o, r, d) == LC_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : omp_get_max_threads();
    lc_catalog cat;
    lc_spec sb, sp;
    lc_diag d = {0};
    const lc_kernel *k;
    lc_sens_problem *p = malloc(sizeof *p);
    lc_sweep_result *res = calloc(1, sizeof *res);
    if (!p || !res || lc_catalog_load(&cat, NULL, &d) != LC_OK ||
        lc_spec_parse_text(&sb, BANDS, strlen(BANDS), "bench_bands", &cat, &d) != LC_OK ||
        lc_sens_bands_from_spec(p, &sb, &cat, &d) != LC_OK ||
        lc_spec_parse_text(&sp, PLAIN, strlen(PLAIN), "bench_plain", &cat, &d) != LC_OK ||
        lc_kernel_select(NULL, &k, &d) != LC_OK)
        return die("setup", &d);
    p->threads = threads;
    printf("# bench_bands llmcost %s commit %s, compiler gcc %s, isa %s, threads %d\n", LC_VERSION,
           lc_build_commit(), __VERSION__, k->isa, threads);
    printf("bench\tcase\tthreads\tvalue\tunit\n");
    char dir[] = "/tmp/bench_bands.XXXXXX", fb[64], fp[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(fb, sizeof fb, "%s/bands.h5", dir);
    snprintf(fp, sizeof fp, "%s/plain.h5", dir);

    /* 1. in memory */
    double *xs[LC_SENS_MAX_FACTORS];
    if (lc_sens_bands_samples(p, xs, &d) != LC_OK)
        return die("samples", &d);
    uint64_t cells = 64 * 64;
    double *pct = malloc(sizeof(double) * cells * 3), *mean = malloc(sizeof(double) * cells * 3);
    double t[RUNS], c[RUNS];
    for (int r = -1; r < RUNS; r++) {   /* r = -1: warm-up */
        double t0 = omp_get_wtime(), c0 = cpu_s();
        if (lc_sens_bands_cells(p, &sb, 0, (const double *const *)xs, 0, cells, pct, mean,
                                mean + cells, mean + 2 * cells, &d) != LC_OK)
            return die("bands", &d);
        if (r >= 0) {
            t[r] = omp_get_wtime() - t0;
            c[r] = cpu_s() - c0;
        }
    }
    double evals = (double)cells * (double)p->samples, tm = median(t, RUNS);
    printf("bands_cells\tpretrain_cost 64x64 cells x 1000 samples, P5/50/95+mean+sd, memory "
           "(%.3f s wall, %.3f s cpu)\t%d\t%.4g\tpoints/s\n", tm, median(c, RUNS), threads,
           evals / tm);

    /* 2. into a sweep file, and 3. the plain sweep of as many points */
    double tb[RUNS], cb[RUNS], tp[RUNS], cp[RUNS];
    for (int r = 0; r < RUNS; r++) {
        lc_sens_bands_stats st;
        if (sweep_once(&sb, fb, threads, res, &d) != 0)
            return die("band sweep", &d);
        double c0 = cpu_s();
        if (lc_sens_bands_write(p, &sb, fb, &st, &d) != LC_OK)
            return die("band write", &d);
        tb[r] = st.seconds;
        cb[r] = cpu_s() - c0;
        double t0 = omp_get_wtime();
        c0 = cpu_s();
        if (sweep_once(&sp, fp, threads, res, &d) != 0)
            return die("plain sweep", &d);
        tp[r] = omp_get_wtime() - t0;
        cp[r] = cpu_s() - c0;
        if (res->evaluated_points != (uint64_t)evals) {
            fprintf(stderr, "bench_bands: plain sweep evaluated %llu points, not %.0f\n",
                    (unsigned long long)res->evaluated_points, evals);
            return 1;
        }
        unlink(fb);
        unlink(fp);
    }
    double mb = median(tb, RUNS), mp = median(tp, RUNS);
    printf("bands_write\tthe same into the sweep file (HDF5) (%.3f s wall, %.3f s cpu)\t%d\t%.4g\t"
           "points/s\n", mb, median(cb, RUNS), threads, evals / mb);
    printf("sweep_plain\tplain sweep 64x64x1000 (util axis), pretrain_cost stored, no "
           "compression (%.3f s wall, %.3f s cpu)\t%d\t%.4g\tpoints/s\n", mp, median(cp, RUNS),
           threads, evals / mp);
    printf("ratio\tbands_write / sweep_plain evaluated points/s\t%d\t%.3f\tx\n", threads, mp / mb);
    rmdir(dir);
    free(xs[0]);
    free(pct);
    free(mean);
    lc_spec_free(&sb);
    lc_spec_free(&sp);
    lc_catalog_free(&cat);
    free(p);
    free(res);
    return 0;
}
