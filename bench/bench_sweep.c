/*
 * bench_sweep.c - speed of the sweep engine, with the machine's own limits
 * measured in the same run (the rows `make bench` prints; bench/run_bench.sh
 * adds the numpy peer and the ratios).
 *
 * Rows (TSV: bench, case, threads, points/s, GB/s, seconds, note):
 *   reduce     bench/reduce.ini: reductions and counts only (grid points/s;
 *              the note has the points actually evaluated per second)
 *   memory     bench/store.ini evaluated chunk by chunk into reused buffers,
 *              nothing written (GB/s of output values)
 *   hdf5       bench/store.ini written uncompressed (file fsync'ed, as always)
 *   hdf5_CODEC the same with each codec available here (zlib codecs: the
 *              users axis cut to its first quarter, 8.4M points)
 *   scalar     reduce and memory with the kernel forced to --isa scalar
 *   kernel     every kernel path against scalar, interleaved, 1 thread: the
 *              CLI on bench/reduce.ini (cli_reduce_ISA) and on the serving
 *              model's bench/serving.ini (cli_serving_ISA)
 *   limit_fill memset of the same bytes into a warm buffer
 *   limit_write plain write() of the same bytes to a file, then fsync
 *   peak_rss   llmcost sweep run as a child: the stored sweep (output >= 10x
 *              its buffers) and sweeps/huge.ini (1e10 points, reductions)
 * Every timed figure is the median of RUNS runs.  Usage:
 *   bench_sweep [--runs N] [--llmcost PATH] [--dir TMPDIR] [--quick]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <omp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "h5/h5_write.h"
#include "h5/h5_codec.h"
#include "kernel/kernel.h"
#include "spec/spec.h"
#include "engine/sweep.h"
#include "util/version.h"

extern char **environ;

static int runs = 3;
static uint64_t file_bytes; /* size of the last file written */
static char tmpdir[512];
static lc_catalog cat;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

static void load(lc_spec *s, const char *path)
{
    lc_diag d = {0};
    if (lc_spec_parse_file(s, path, &cat, &d) != LC_OK) {
        fprintf(stderr, "bench_sweep: %s:%d: %s\n", d.file, d.line, d.msg);
        exit(1);
    }
}

/* Median seconds of `runs` sweeps; r gets the last result. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static double last_cpu; /* median CPU seconds (all threads) of the last time_sweep */

static double time_sweep(const lc_spec *s, int threads, const char *isa, lc_sink sink,
                         lc_sweep_result *r)
{
    double t[16], cpu[16];
    char out[600];
    snprintf(out, sizeof out, "%s/bench_sweep.h5", tmpdir);
    for (int k = 0; k < runs; k++) {
        lc_sweep_opts o;
        lc_diag d = {0};
        lc_sweep_opts_init(&o);
        o.output = out;
        o.threads = threads;
        o.isa = isa;
        o.force = 1;
        o.sink = sink;
        double t0 = now_s(), c0 = cpu_s();
        if (lc_sweep_run(s, &o, r, &d) != LC_OK) {
            fprintf(stderr, "bench_sweep: %s\n", d.msg);
            exit(1);
        }
        t[k] = now_s() - t0;
        cpu[k] = cpu_s() - c0;
        struct stat sb;
        file_bytes = stat(out, &sb) == 0 ? (uint64_t)sb.st_size : 0;
        unlink(out);
    }
    last_cpu = median(cpu, runs);
    return median(t, runs);
}

/* A row; timed sweeps add the CPU seconds of all threads (the machine is
 * shared: wall time includes waiting for a core). */
static void row(const char *bench, const char *cas, int threads, double pts_s, double gb_s,
                double secs, const char *note)
{
    printf("%s\t%s\t%d\t%.4g\t%.4g\t%.4f\t%s", bench, cas, threads, pts_s, gb_s, secs, note);
    if (last_cpu > 0)
        printf("; cpu %.3f s", last_cpu);
    printf("\n");
    last_cpu = 0;
    fflush(stdout);
}

static double fill_gbs(size_t bytes, int threads)
{
    char *buf = NULL;
    double t[16];
    if (posix_memalign((void **)&buf, 64, bytes) != 0)
        return 0;
    memset(buf, 1, bytes); /* warm: pages are in place */
    for (int k = 0; k < runs; k++) {
        double t0 = now_s();
#pragma omp parallel num_threads(threads)
        {
            int n = omp_get_num_threads(), me = omp_get_thread_num();
            size_t a = bytes / (size_t)n * (size_t)me;
            size_t b = me == n - 1 ? bytes : bytes / (size_t)n * (size_t)(me + 1);
            memset(buf + a, k + 2, b - a);
        }
        t[k] = now_s() - t0;
    }
    volatile char sink = buf[bytes / 2];
    (void)sink;
    free(buf);
    return (double)bytes / median(t, runs) / 1e9;
}

static double write_gbs(size_t bytes)
{
    enum { BLK = 8 << 20 };
    char *buf = malloc(BLK), path[600];
    double t[16];
    memset(buf, 7, BLK);
    snprintf(path, sizeof path, "%s/bench_write.bin", tmpdir);
    for (int k = 0; k < runs; k++) {
        double t0 = now_s();
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            perror(path);
            exit(1);
        }
        for (size_t done = 0; done < bytes;) {
            size_t n = bytes - done < BLK ? bytes - done : BLK;
            ssize_t w = write(fd, buf, n);
            if (w <= 0) {
                perror("write");
                exit(1);
            }
            done += (size_t)w;
        }
        fsync(fd);
        close(fd);
        t[k] = now_s() - t0;
        unlink(path);
    }
    free(buf);
    return (double)bytes / median(t, runs) / 1e9;
}

/* `llmcost sweep SPEC -o TMP --force --quiet EXTRA...` as a child: wall
 * seconds, CPU seconds (user + sys of the child) and peak RSS (MB); 0 on
 * success. */
static int child_sweep(const char *llmcost, const char *spec, const char *const *extra,
                       double *wall, double *cpu, double *rss_mb)
{
    char out[600];
    snprintf(out, sizeof out, "%s/bench_cli.h5", tmpdir);
    char *argv[24] = {(char *)llmcost, "sweep", (char *)spec, "-o", out, "--force", "--quiet"};
    int n = 7;
    for (int i = 0; extra && extra[i] && n < 23; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    pid_t pid;
    int status;
    struct rusage ru;
    double t0 = now_s();
    if (posix_spawn(&pid, llmcost, NULL, NULL, argv, environ) != 0)
        return -1;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *wall = now_s() - t0;
    *cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    *rss_mb = (double)ru.ru_maxrss / 1024.0;
    unlink(out);
    return 0;
}

/* The CPU model and the ISA extensions the kernels use, from /proc/cpuinfo. */
static void cpu_line(char *model, size_t mn, char *isa, size_t in)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[8192];
    snprintf(model, mn, "unknown CPU");
    isa[0] = '\0';
    if (f == NULL)
        return;
    int got_model = 0, got_flags = 0;
    while (fgets(line, sizeof line, f) && !(got_model && got_flags)) {
        char *c = strchr(line, ':');
        if (c == NULL)
            continue;
        char *v = c + 1 + (c[1] == ' ');
        v[strcspn(v, "\n")] = '\0';
        if (!got_model && strncmp(line, "model name", 10) == 0) {
            snprintf(model, mn, "%s", v);
            got_model = 1;
        } else if (!got_flags && strncmp(line, "flags", 5) == 0) {
            static const char *const want[] = {"sse4_2", "avx", "avx2", "fma", "avx512f",
                                               "avx512dq", "avx512vl", NULL};
            size_t k = 0;
            for (int w = 0; want[w]; w++) {
                char pat[32];
                snprintf(pat, sizeof pat, " %s ", want[w]);
                char padded[8200];
                snprintf(padded, sizeof padded, " %s ", v);
                if (strstr(padded, pat))
                    k += (size_t)snprintf(isa + k, in - k, "%s%s", k ? "+" : "", want[w]);
            }
            got_flags = 1;
        }
    }
    fclose(f);
    if (!isa[0])
        snprintf(isa, in, "(no flags line)");
}

/* Every kernel path this CPU runs against the scalar one, in one run and
 * interleaved (path A, B, C, A, B, C, ...) so that the shared machine's
 * load hits them alike: the CLI on bench/reduce.ini with 1 thread (wall,
 * CPU of the child), the library on the same spec, and the library on
 * bench/store.ini into memory.  A SIMD path not faster than scalar is
 * flagged in the row and on stderr. */
static void bench_kernels(const char *llmcost, const char *path_reduce,
                          const char *path_serving, const lc_spec *sr, const lc_spec *ss,
                          lc_sweep_result *r)
{
    lc_spec sv;
    uint64_t sv_points = 0;
    load(&sv, path_serving);
    lc_spec_points(&sv, &sv_points, NULL);
    lc_spec_free(&sv);
    const char *const *av = lc_kernel_available();
    int nk = 0;
    while (av[nk] != NULL && nk < 8)
        nk++;
    double cw[8][16], cc[8][16], lw[8][16], mw[8][16], sw[8][16], sc[8][16], rss;
    uint64_t grid = 0, stored = 0, bytes = 0;
    for (int k = 0; k < runs; k++)
        for (int i = 0; i < nk; i++) {
            const char *extra[] = {"--isa", av[i], "--threads", "1", NULL};
            if (child_sweep(llmcost, path_reduce, extra, &cw[i][k], &cc[i][k], &rss) != 0) {
                fprintf(stderr, "bench_sweep: llmcost sweep %s --isa %s failed\n", path_reduce,
                        av[i]);
                exit(1);
            }
            if (child_sweep(llmcost, path_serving, extra, &sw[i][k], &sc[i][k], &rss) != 0) {
                fprintf(stderr, "bench_sweep: llmcost sweep %s --isa %s failed\n", path_serving,
                        av[i]);
                exit(1);
            }
            int save = runs;
            runs = 1;
            lw[i][k] = time_sweep(sr, 1, av[i], LC_SINK_DISCARD, r);
            grid = r->grid_points;
            mw[i][k] = time_sweep(ss, 1, av[i], LC_SINK_DISCARD, r);
            stored = r->stored_points;
            bytes = r->stored_bytes_raw;
            runs = save;
        }
    double w0 = 0, l0 = 0, m0 = 0, s0 = 0;
    for (int i = 0; i < nk; i++) {
        /* the serving model (bench/serving.ini), same interleaving */
        double w = median(sw[i], runs), c = median(sc[i], runs);
        char cas[64], note[200];
        if (i == 0)
            s0 = w;
        snprintf(note, sizeof note, "serving.ini --isa %s, 1 thread: CLI %.3f s wall %.3f s CPU "
                 "= %.2fx scalar%s", av[i], w, c, s0 / w,
                 i > 0 && !(w < s0) ? "; !!! NOT FASTER THAN SCALAR !!!" : "");
        snprintf(cas, sizeof cas, "cli_serving_%s", av[i]);
        last_cpu = c;
        row("kernel", cas, 1, (double)sv_points / w, 0, w, note);
    }
    for (int i = 0; i < nk; i++) {
        double w = median(cw[i], runs), c = median(cc[i], runs);
        double l = median(lw[i], runs), m = median(mw[i], runs);
        char cas[64], note[400];
        if (i == 0) {
            w0 = w;
            l0 = l;
            m0 = m;
        }
        int slow = i > 0 && !(w < w0 && l < l0);
        snprintf(note, sizeof note,
                 "--isa %s, 1 thread: CLI %.3f s wall %.3f s CPU = %.2fx scalar; library "
                 "%.3f s = %.2fx scalar; store.ini into memory %.3f s = %.2fx scalar%s",
                 av[i], w, c, w0 / w, l, l0 / l, m, m0 / m,
                 slow ? "; !!! NOT FASTER THAN SCALAR !!!" : "");
        snprintf(cas, sizeof cas, "cli_reduce_%s", av[i]);
        last_cpu = c;
        row("kernel", cas, 1, (double)grid / w, (double)bytes / m / 1e9, w, note);
        if (slow)
            fprintf(stderr, "bench_sweep: !!! the %s kernel is not faster than scalar "
                            "(CLI %.3f s vs %.3f s, library %.3f s vs %.3f s) !!!\n",
                    av[i], w, w0, l, l0);
        (void)stored;
    }
}

/* Peak RSS (MB) of `llmcost sweep SPEC ...` as a child process. */
static double child_rss(const char *llmcost, const char *spec, const char *threads, double *secs)
{
    char out[600];
    snprintf(out, sizeof out, "%s/bench_rss.h5", tmpdir);
    char *argv[] = {(char *)llmcost, "sweep", (char *)spec, "-o", out, "--force", "--quiet",
                    "--threads", (char *)threads, NULL};
    pid_t pid;
    double t0 = now_s();
    if (posix_spawn(&pid, llmcost, NULL, NULL, argv, environ) != 0)
        return -1;
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *secs = now_s() - t0;
    unlink(out);
    return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    const char *llmcost = "build/llmcost", *root = ".";
    int quick = 0;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s", t ? t : "/tmp");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--llmcost") == 0 && i + 1 < argc)
            llmcost = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            snprintf(tmpdir, sizeof tmpdir, "%s", argv[++i]);
        else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            root = argv[++i];
        else if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else {
            fprintf(stderr, "usage: bench_sweep [--runs N] [--llmcost PATH] [--dir DIR] "
                            "[--root SRCDIR] [--quick]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 15)
        runs = 3;
    lc_h5_quiet();
    if (lc_catalog_load(&cat, NULL, NULL) != LC_OK)
        return 1;
    const lc_kernel *k;
    lc_kernel_select(NULL, &k, NULL);
    int nt = omp_get_max_threads();
    char path_store[600], path_reduce[600], path_huge[600], path_serving[600];
    snprintf(path_store, sizeof path_store, "%s/bench/store.ini", root);
    snprintf(path_reduce, sizeof path_reduce, "%s/bench/reduce.ini", root);
    snprintf(path_huge, sizeof path_huge, "%s/sweeps/huge.ini", root);
    snprintf(path_serving, sizeof path_serving, "%s/bench/serving.ini", root);
    char cpu_model[256], cpu_isa[256], built[64] = "";
    cpu_line(cpu_model, sizeof cpu_model, cpu_isa, sizeof cpu_isa);
    for (const char *const *b = lc_kernel_built(); *b; b++)
        snprintf(built + strlen(built), sizeof built - strlen(built), "%s%s", b[0],
                 b[1] ? "," : "");
    double la[3] = {0};
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf) {
        if (fscanf(lf, "%lf %lf %lf", &la[0], &la[1], &la[2]) != 3)
            la[0] = -1;
        fclose(lf);
    }
    printf("# bench_sweep llmcost %s commit %s, compiler %s, flags -O2 -std=c11 "
           "-ffp-contract=off -fopenmp (kernel files -mavx2 -mfma / -mavx512f -mavx512dq "
           "-mavx512vl -mprefer-vector-width=512), threads 1 and %d, median of %d runs, files in %s\n",
           LC_VERSION, lc_build_commit(), __VERSION__, nt, runs, tmpdir);
    printf("# cpu %s; ISA %s; kernels built %s, best here %s; load average %.2f %.2f %.2f "
           "at start\n",
           cpu_model, cpu_isa, built, k->isa, la[0], la[1], la[2]);
    printf("bench\tcase\tthreads\tpoints_per_s\tGB_per_s\tseconds\tnote\n");

    lc_spec sr, ss;
    lc_sweep_result *r = calloc(1, sizeof *r);
    char note[256];
    load(&sr, path_reduce);
    load(&ss, path_store);
    int th[2] = {1, nt};
    int nth = nt > 1 ? 2 : 1;

    uint64_t bytes0 = 0, r0_points = 1;
    lc_sweep_stored_bytes(&ss, &bytes0, NULL);
    for (int a = 0; a < ss.n_axes; a++)
        r0_points *= ss.axes[a].n;
    /* Peak RSS of whole processes, first: a child's ru_maxrss also counts
     * the parent's pages at exec time, so this process must still be small. */
    char thr[16];
    double secs = 0;
    snprintf(thr, sizeof thr, "%d", nt);
    double rss = child_rss(llmcost, path_store, thr, &secs);
    snprintf(note, sizeof note, "peak RSS %.1f MB; stored output %.1f MB (1 MiB chunks)", rss,
             (double)bytes0 / 1e6);
    row("llmcost", "peak_rss_store", nt, (double)r0_points / secs, 0, secs, note);
    if (!quick) {
        /* the command users run: llmcost sweep sweeps/huge.ini, default
         * (structured reductions, best ISA), forced to the AVX2 kernel
         * (when this CPU has a wider one too) and --exhaustive, interleaved */
        double hw[3][16], hc[3][16], hr[3][16];
        int avx2 = 0;
        for (const char *const *a = lc_kernel_available(); *a; a++)
            avx2 |= strcmp(*a, "avx2") == 0;
        avx2 &= strcmp(k->isa, "avx2") != 0;
        for (int q = 0; q < runs; q++)
            for (int e = 0; e < 3; e++) {
                const char *extra[] = {"--threads", thr, e == 1 ? "--isa" : e == 2 ? "--exhaustive" : NULL,
                                       e == 1 ? "avx2" : NULL, NULL};
                if (e == 1 && !avx2)
                    continue;
                if (child_sweep(llmcost, path_huge, extra, &hw[e][q], &hc[e][q], &hr[e][q]) != 0) {
                    fprintf(stderr, "bench_sweep: llmcost sweep %s failed\n", path_huge);
                    return 1;
                }
            }
        for (int e = 0; e < 3; e++) {
            static const char *const what[] = {"", " --isa avx2", " --exhaustive"};
            static const char *const name[] = {"peak_rss_huge", "huge_avx2", "huge_exhaustive"};
            if (e == 1 && !avx2)
                continue;
            double w = median(hw[e], runs), c = median(hc[e], runs);
            rss = median(hr[e], runs);
            snprintf(note, sizeof note, "peak RSS %.1f MB; llmcost sweep sweeps/huge.ini%s "
                     "(1e10 grid points, reductions only, %s kernel), CLI wall, child CPU %.2f s",
                     rss, what[e], e == 1 ? "avx2" : k->isa, c);
            last_cpu = c;
            row("llmcost", name[e], nt, 1e10 / w, 0, w, note);
        }
    }
    bench_kernels(llmcost, path_reduce, path_serving, &sr, &ss, r);
    /* (a) reductions only */
    for (int i = 0; i < nth; i++) {
        double s = time_sweep(&sr, th[i], NULL, LC_SINK_DISCARD, r);
        snprintf(note, sizeof note, "%.4g evaluated points/s (sub-grids); grid %llu points",
                 (double)r->evaluated_points / s, (unsigned long long)r->grid_points);
        row("llmcost", "reduce", th[i], (double)r->grid_points / s,
            (double)r->evaluated_points * 8 / s / 1e9, s, note);
    }
    double s_red_scalar = time_sweep(&sr, 1, "scalar", LC_SINK_DISCARD, r);
    snprintf(note, sizeof note, "--isa scalar; %.4g evaluated points/s",
             (double)r->evaluated_points / s_red_scalar);
    row("llmcost", "reduce_scalar", 1, (double)r->grid_points / s_red_scalar,
        (double)r->evaluated_points * 8 / s_red_scalar / 1e9, s_red_scalar, note);

    /* (b) evaluation into memory, (c)/(d) HDF5 */
    uint64_t bytes = 0;
    lc_sweep_stored_bytes(&ss, &bytes, NULL);
    for (int i = 0; i < nth; i++) {
        double s = time_sweep(&ss, th[i], NULL, LC_SINK_DISCARD, r);
        snprintf(note, sizeof note, "%llu values into reused chunk buffers, no file",
                 (unsigned long long)r->stored_points);
        row("llmcost", "memory", th[i], (double)r->stored_points / s,
            (double)r->stored_bytes_raw / s / 1e9, s, note);
    }
    double s_mem_scalar = time_sweep(&ss, 1, "scalar", LC_SINK_DISCARD, r);
    row("llmcost", "memory_scalar", 1, (double)r->stored_points / s_mem_scalar,
        (double)r->stored_bytes_raw / s_mem_scalar / 1e9, s_mem_scalar, "--isa scalar");
    static const lc_codec codecs[] = {LC_CODEC_NONE, LC_CODEC_DEFLATE, LC_CODEC_SHUFFLE_DEFLATE,
                                      LC_CODEC_LZ4, LC_CODEC_BLOSC};
    for (int c = 0; c < 5; c++) {
        if (!lc_h5_codec_available(codecs[c]))
            continue;
        if (quick && c > 0 && c < 3)
            continue;
        /* zlib runs at ~0.1 GB/s per thread here: the zlib codecs get a
         * quarter of the grid (users cut to its first quarter) so that
         * `make bench` stays within a few minutes */
        size_t users_n = ss.axes[3].n;
        if (c == 1 || c == 2)
            ss.axes[3].n = users_n / 4;
        ss.codec = codecs[c];
        ss.codec_level = 1;
        for (int i = 0; i < nth; i++) {
            double s = time_sweep(&ss, th[i], NULL, LC_SINK_FILE, r);
            char cas[64];
            snprintf(cas, sizeof cas, "hdf5_%s", lc_codec_name(codecs[c]));
            snprintf(note, sizeof note, "%.1f MB of values -> %.1f MB file%s",
                     (double)r->stored_bytes_raw / 1e6, (double)file_bytes / 1e6,
                     c >= 3 ? " (engine-encoded in the worker threads: the plugin's bytes)" : "");
            row("llmcost", cas, th[i], (double)r->stored_points / s,
                (double)r->stored_bytes_raw / s / 1e9, s, note);
        }
        ss.axes[3].n = users_n;
    }
    ss.codec = LC_CODEC_NONE;

    /* the machine's limits for the same bytes */
    for (int i = 0; i < nth; i++) {
        double g = fill_gbs((size_t)bytes, th[i]);
        snprintf(note, sizeof note, "memset of %.1f MB into a warm buffer", (double)bytes / 1e6);
        row("machine", "limit_fill", th[i], g * 1e9 / 8, g, (double)bytes / g / 1e9, note);
    }
    double wg = write_gbs((size_t)bytes);
    snprintf(note, sizeof note, "write() of %.1f MB in 8 MiB calls + fsync", (double)bytes / 1e6);
    row("machine", "limit_write", 1, wg * 1e9 / 8, wg, (double)bytes / wg / 1e9, note);

    lc_spec_free(&sr);
    lc_spec_free(&ss);
    lc_catalog_free(&cat);
    free(r);
    return 0;
}
