/*
 * bench_codec_limit.c - the machine's own thread scaling of a pure
 * compression loop, the limit against which `llmcost sweep`'s codec
 * scaling is judged (issue 14; bench/store.md).
 *
 * It evaluates a sample of the chunks `llmcost sweep bench/store.ini
 * --broadcast` stores (1 MiB chunks of sub_profit, breakeven_users and
 * pretrain_cost over the full grid, spread over the whole sweep), then
 * compresses as many chunks as that sweep stores (805 MB of input) with the
 * engine's own encoder (lc_chunk_encode_mask: the bytes the sweep writes)
 * in a plain OpenMP loop, nothing else: no evaluation, no writer, no file.
 * 1 and 2 threads alternate RUNS times; each row is the median wall time
 * with the median CPU time (user + sys) in the note, then one comment line
 * per codec with the speed-up 2 threads give (the limit) and the input rate
 * per thread.  A control row runs the same loop on nothing but integer
 * work (no memory), the parallelism the machine grants right now.
 * Rows for bench/run_bench.sh: machine  codec_limit_CODEC  threads  seconds  s
 * Usage: bench_codec_limit [--root DIR] [--runs N] [--once CODEC THREADS]
 * (--once: one loop, as bench/store_bench.sh runs it beside the sweeps)
 */
#define _GNU_SOURCE
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "catalog/catalog.h"
#include "grid/sweep_plan.h"
#include "h5/h5_codec.h"
#include "kernel/kernel.h"
#include "spec/spec.h"

#define SAMPLE 32 /* distinct chunks kept in memory (32 MiB) */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Compress `total` chunks (sample[i % SAMPLE]) with nt threads; returns
 * wall seconds, *cpu the process CPU seconds, *out the encoded bytes.
 * codec < 0: the control loop (integer work per chunk, no memory). */
static double run_loop(int codec, int level, int nt, double *const *sample, size_t bytes,
                       uint64_t total, unsigned char **enc, unsigned char **tmp, size_t encb,
                       double *cpu, double *out)
{
    double c0 = cpu_s(), t0 = now_s(), sum = 0;
    int fail = 0;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1) reduction(+ : sum) reduction(| : fail)
    for (uint64_t i = 0; i < total; i++) {
        int th = omp_get_thread_num();
        if (codec < 0) {
            uint64_t x = i + 1;
            for (int k = 0; k < 2000000; k++)
                x = x * 6364136223846793005ull + 1442695040888963407ull;
            sum += (double)(x >> 60);
            continue;
        }
        size_t len = 0;
        unsigned mask = 0;
        lc_diag d = {0};
        if (lc_chunk_encode_mask((lc_codec)codec, level, 8, sample[i % SAMPLE], bytes, tmp[th],
                                 enc[th], encb, &len, &mask, &d) != LC_OK)
            fail |= 1;
        sum += (double)len;
    }
    *cpu = cpu_s() - c0;
    *out = sum;
    if (fail) {
        fprintf(stderr, "bench_codec_limit: encoding failed\n");
        exit(1);
    }
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    const char *root = ".", *only = NULL;
    int runs = 5, once_threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--root") && i + 1 < argc)
            root = argv[++i];
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--once") && i + 2 < argc) { /* store_bench.sh's variant */
            only = argv[++i];
            once_threads = atoi(argv[++i]);
        }
    }
    if (runs < 1 || runs > 64)
        runs = 5;
    char path[600];
    snprintf(path, sizeof path, "%s/bench/store.ini", root);
    lc_catalog cat;
    lc_spec s;
    lc_diag d = {0};
    if (lc_catalog_load(&cat, NULL, NULL) != LC_OK || lc_spec_parse_file(&s, path, &cat, &d) != LC_OK) {
        fprintf(stderr, "bench_codec_limit: %s:%d: %s\n", d.file, d.line, d.msg);
        return 1;
    }
    lc_plan p;
    if (lc_plan_init(&p, &s, &d) != LC_OK) {
        fprintf(stderr, "bench_codec_limit: %s\n", d.msg);
        return 1;
    }
    const lc_kernel *k;
    lc_kernel_select(NULL, &k, NULL);
    /* the broadcast layout: every stored output over the full grid */
    uint32_t all = (uint32_t)((1u << s.n_axes) - 1);
    lc_subgrid g;
    lc_tiling t;
    lc_plan_subgrid(&p, all, &g);
    size_t target = s.chunk_bytes ? s.chunk_bytes : (size_t)1 << 20;
    if (lc_tiling_init(&t, g.rank, g.dims, 8, target, &d) != LC_OK) {
        fprintf(stderr, "bench_codec_limit: %s\n", d.msg);
        return 1;
    }
    uint64_t total = t.n_chunks * (uint64_t)s.n_store;
    size_t bytes = (size_t)t.chunk_points * 8;
    double *sample[SAMPLE];
    lc_plan_ws *ws = lc_plan_ws_new();
    for (int i = 0; i < SAMPLE; i++) { /* chunk i * total / SAMPLE of the sweep */
        uint64_t c = (uint64_t)i * total / SAMPLE, origin[LC_MAX_AXES], extent[LC_MAX_AXES];
        sample[i] = calloc(t.chunk_points, sizeof(double));
        lc_tiling_chunk(&t, c % t.n_chunks, origin, extent);
        lc_plan_eval_chunk(&p, k, ws, s.store[c / t.n_chunks], &g, origin, extent, t.chunk,
                           sample[i]);
    }
    lc_plan_ws_free(ws);
    int nt = omp_get_max_threads() > 1 ? 2 : 1;
    size_t encb = lc_chunk_encode_bound(LC_CODEC_BLOSC_ZSTD, bytes);
    if (lc_chunk_encode_bound(LC_CODEC_LZ4, bytes) > encb)
        encb = lc_chunk_encode_bound(LC_CODEC_LZ4, bytes);
    if (lc_chunk_encode_bound(LC_CODEC_BLOSC, bytes) > encb)
        encb = lc_chunk_encode_bound(LC_CODEC_BLOSC, bytes);
    unsigned char *enc[2], *tmp[2];
    for (int i = 0; i < 2; i++) {
        enc[i] = malloc(encb);
        tmp[i] = malloc(bytes);
    }
    static const struct {
        int codec;
        const char *name;
    } cs[] = {{-1, "control"},
              {LC_CODEC_LZ4, "lz4"},
              {LC_CODEC_BLOSC, "blosc"},
              {LC_CODEC_BLOSC_ZSTD, "blosc-zstd"}};
    if (only != NULL) { /* one loop of one codec: --once CODEC THREADS */
        for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++)
            if (!strcmp(cs[c].name, only)) {
                double u, o, w = run_loop(cs[c].codec, s.codec_level, once_threads, sample, bytes,
                                          cs[c].codec < 0 ? 64 : total, enc, tmp, encb, &u, &o);
                printf("%s\t%d\t%.4f\t%.4f\n", only, once_threads, w, u);
                return 0;
            }
        fprintf(stderr, "bench_codec_limit: unknown codec %s\n", only);
        return 2;
    }
    printf("# bench_codec_limit: %llu chunks of %zu bytes (%.1f MB, as llmcost sweep "
           "bench/store.ini --broadcast stores), %d distinct, engine encoder in a plain OpenMP "
           "loop, threads 1 and %d alternating, median of %d runs\n",
           (unsigned long long)total, bytes, (double)total * (double)bytes / 1e6, SAMPLE, nt,
           runs);
    for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++) {
        if (cs[c].codec >= 0 && !lc_codec_linked((lc_codec)cs[c].codec))
            continue;
        double w[2][64], u[2][64], o = 0;
        uint64_t n = cs[c].codec < 0 ? 64 : total;
        for (int r = 0; r < runs; r++)
            for (int q = 0; q < 2; q++)
                w[q][r] = run_loop(cs[c].codec, s.codec_level, q ? nt : 1, sample, bytes, n, enc,
                                   tmp, encb, &u[q][r], &o);
        double w1 = median(w[0], runs), w2 = median(w[1], runs);
        double u1 = median(u[0], runs), u2 = median(u[1], runs);
        for (int q = 0; q < 2; q++)
            printf("machine\tcodec_limit_%s\t%d\t%.4f\ts\t(CPU %.3f s)\n", cs[c].name,
                   q ? nt : 1, q ? w2 : w1, q ? u2 : u1);
        if (cs[c].codec < 0)
            printf("# codec limit control (integer work, no memory): %d threads %.2fx faster than 1\n",
                   nt, w1 / w2);
        else
            printf("# codec limit %s: %d threads %.2fx faster than 1 (wall %.3f s -> %.3f s, CPU "
                   "%.3f s -> %.3f s); input %.2f GB/s on 1 thread, %.2f GB/s per thread on %d; "
                   "ratio %.2f\n",
                   cs[c].name, nt, w1 / w2, w1, w2, u1, u2, (double)n * (double)bytes / w1 / 1e9,
                   (double)n * (double)bytes / w2 / 1e9 / nt, nt, o / ((double)n * (double)bytes));
    }
    for (int i = 0; i < SAMPLE; i++)
        free(sample[i]);
    for (int i = 0; i < 2; i++) {
        free(enc[i]);
        free(tmp[i]);
    }
    lc_plan_free(&p);
    lc_spec_free(&s);
    lc_catalog_free(&cat);
    return 0;
}
