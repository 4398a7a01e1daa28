/*
 * bench_points.c - `make bench` rows for external designs and formulas:
 * lc_points_eval (the engine of `eval --points`) on 1,048,576 random
 * points, every built-in output, and the same with two user formulas;
 * lc_points_read parsing the same points from CSV; and a sweep whose
 * reduction is a formula (sp2 = sub_revenue - sub_cost) against the same
 * reduction of the built-in sub_profit (the same values, the same grid),
 * with and without the monotone-row shortcut a formula does not have.
 * Median of 5 runs, wall time with CPU time beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <omp.h>

#include "catalog/catalog.h"
#include "engine/sweep.h"
#include "grid/points.h"
#include "kernel/kernel.h"
#include "spec/spec.h"
#include "util/version.h"

#define RUNS 5
#define NPTS (1u << 20)

static double cpu_s(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 +
           (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec * 1e-6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static int die(const char *what, const lc_diag *d)
{
    fprintf(stderr, "bench_points: %s: %s\n", what, d->msg);
    return 1;
}

static const char SPEC[] = "[sweep]\nname = bench formulas\n\n[axes]\n"
                           "params = log 1e9 2e12 100\nusers = log 1e3 1e8 100\n"
                           "tokens_per_user = log 1e4 1e8 100\nsubscription = lin 5 60 100\n\n"
                           "[inputs]\ngpu = H100\n\n[formulas]\n"
                           "sp2 = sub_revenue - sub_cost\n\n"
                           "[outputs]\nreduce = %s\n";

int main(void)
{
    int threads = omp_get_max_threads();
    lc_diag d = {0};
    lc_points_plan p;
    lc_formulas fs;
    lc_points_plan_init(&p);
    lc_formulas_init(&fs);
    if (lc_kernel_select(NULL, &p.k, &d) != LC_OK ||
        lc_formulas_add_assignment(
            &fs, "margin = subscription - tokens_per_user / 1000 * infer_cost_per_1k", &d) ||
        lc_formulas_add_assignment(&fs, "ok = sub_profit > 0 and breakeven_users < 2M", &d) ||
        lc_formulas_bind(&fs, &d) != LC_OK)
        return die("setup", &d);
    printf("# bench_points llmcost %s commit %s, compiler gcc %s, isa %s, threads %d\n",
           LC_VERSION, lc_build_commit(), __VERSION__, p.k->isa, threads);
    printf("bench\tcase\tthreads\tvalue\tunit\n");

    /* a design of four input columns */
    enum { NC = 4 };
    const int col_in[NC] = {LC_IN_PARAMS, LC_IN_USERS, LC_IN_TOKENS_PER_USER, LC_IN_SUBSCRIPTION};
    double *cols[NC], *outs[LC_OUT_MAX];
    uint64_t r = 88172645463325252u;
    for (int c = 0; c < NC; c++)
        cols[c] = malloc(NPTS * sizeof(double));
    for (int k = 0; k < LC_OUT_MAX; k++)
        outs[k] = malloc(NPTS * sizeof(double));
    for (size_t j = 0; j < NPTS; j++)
        for (int c = 0; c < NC; c++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            double u = (double)(r >> 11) / 9007199254740992.0;
            cols[c][j] = c == 0 ? 1e9 + u * 2e12 : c == 1 ? 1e3 + u * 1e8
                       : c == 2 ? 1e4 + u * 1e8 : 5 + u * 55;
        }
    lc_inputs_default(p.fixed);
    for (int i = 0; i < LC_IN_COUNT; i++)
        p.col_of_input[i] = -1;
    for (int c = 0; c < NC; c++)
        p.col_of_input[col_in[c]] = c;
    p.util_infer_follows_util = 1;

    for (int with_f = 0; with_f < 2; with_f++)
        for (int nt = 1; nt <= threads; nt = nt == threads ? threads + 1 : threads) {
            p.fs = with_f ? &fs : NULL;
            p.n_outs = 0;
            for (int o = 0; o < LC_OUT_COUNT + (with_f ? fs.n : 0); o++)
                p.outs[p.n_outs++] = o;
            p.threads = nt;
            if (lc_points_plan_finish(&p, &d) != LC_OK)
                return die("plan", &d);
            double t[RUNS], c[RUNS];
            for (int run = -1; run < RUNS; run++) {
                double t0 = omp_get_wtime(), c0 = cpu_s();
                if (lc_points_eval(&p, (const double *const *)cols, NPTS, outs, &d) != LC_OK)
                    return die("eval", &d);
                if (run >= 0) {
                    t[run] = omp_get_wtime() - t0;
                    c[run] = cpu_s() - c0;
                }
            }
            double tm = median(t, RUNS), cm = median(c, RUNS);
            printf("points_eval\t%s, %d outputs, 2^20 points (%.4f s wall, %.4f s cpu)\t%d\t%.4g\t"
                   "points/s\n",
                   with_f ? "every output + 2 formulas" : "every built-in output", p.n_outs, tm,
                   cm, nt, (double)NPTS / tm);
        }

    /* CSV parsing of the same design (the rest of `eval --points`) */
    char path[] = "/tmp/bench_points.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return 1;
    fprintf(f, "params,users,tokens_per_user,subscription\n");
    for (size_t j = 0; j < NPTS; j++)
        fprintf(f, "%.17g,%.17g,%.17g,%.17g\n", cols[0][j], cols[1][j], cols[2][j], cols[3][j]);
    fclose(f);
    for (int nt = 1; nt <= threads; nt = nt == threads ? threads + 1 : threads) {
        double t[RUNS], c[RUNS];
        for (int run = 0; run < RUNS; run++) {
            lc_points_reader rd;
            size_t n, tot = 0;
            double t0 = omp_get_wtime(), c0 = cpu_s();
            if (lc_points_open(&rd, path, &d) != LC_OK)
                return die("open", &d);
            rd.threads = nt;
            do {
                if (lc_points_read(&rd, cols, NULL, 65536, &n, &d) != LC_OK)
                    return die("read", &d);
                tot += n;
            } while (n > 0);
            lc_points_close(&rd);
            t[run] = omp_get_wtime() - t0;
            c[run] = cpu_s() - c0;
            if (tot != NPTS)
                return 1;
        }
        double tm = median(t, RUNS), cm = median(c, RUNS);
        printf("points_csv_read\t4 columns, 2^20 rows, %%.17g (%.4f s wall, %.4f s cpu)\t%d\t%.4g\t"
               "points/s\n",
               tm, cm, nt, (double)NPTS / tm);
    }
    unlink(path);

    /* a reduction of a formula vs of a built-in output, the same 1e8 grid */
    lc_catalog cat;
    if (lc_catalog_load(&cat, NULL, &d) != LC_OK)
        return die("catalogue", &d);
    double sec[3];
    for (int q = 0; q < 3; q++) { /* built-in, built-in scanning every point, formula */
        char text[1024];
        snprintf(text, sizeof text, SPEC, q == 2 ? "sp2" : "sub_profit");
        lc_spec s;
        if (lc_spec_parse_text(&s, text, strlen(text), "bench_points", &cat, &d) != LC_OK)
            return die("spec", &d);
        lc_sweep_opts o;
        memset(&o, 0, sizeof o);
        o.sink = LC_SINK_DISCARD;
        o.force = 1;
        o.exhaustive = q == 1;
        lc_sweep_result *res = calloc(1, sizeof *res);
        double t[3];
        for (int run = 0; run < 3; run++) {
            double t0 = omp_get_wtime();
            if (lc_sweep_run(&s, &o, res, &d) != LC_OK)
                return die("sweep", &d);
            t[run] = omp_get_wtime() - t0;
        }
        sec[q] = median(t, 3);
        printf("formula_reduce\treduce = %s over %s (%.3f s)\t%d\t%.4g\tpoints/s\n",
               q == 2   ? "sp2 = sub_revenue - sub_cost (formula)"
               : q == 1 ? "sub_profit (built-in, --exhaustive: every point scanned)"
                        : "sub_profit (built-in)",
               "a 1e8-point grid", sec[q], threads, (double)res->evaluated_points / sec[q]);
        free(res);
        lc_spec_free(&s);
    }
    lc_catalog_free(&cat);
    for (int c = 0; c < NC; c++)
        free(cols[c]);
    for (int k = 0; k < LC_OUT_MAX; k++)
        free(outs[k]);
    lc_formulas_free(&fs);
    return 0;
}
