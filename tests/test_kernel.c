/*
 * test_kernel.c - the point-list kernel: every ISA path the CPU has, for
 * every output, at random inputs (including ones with no break-even, so NaN
 * selects are exercised) and random stride patterns, is bit-identical to
 * lc_model_eval point by point; loop tails (n = 0, 1, 7, 9, 63, 65, ...);
 * the reduction scan (and its sums-and-counts pass) of every path against a
 * plain reference (ties, NaN, signed zeros, infinities, every condition
 * form); ISA selection by name and by LLMCOST_ISA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/kernel_isa.h"
#include "kernel/kernel.h"
#include "model/model.h"

static uint64_t rng = 88172645463325252ull;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* A random valid value: log-uniform over a range that includes points
 * without break-even (margins <= 0). */
static double rand_input(int i)
{
    static const double lo[LC_IN_COUNT] = {
        [LC_IN_PARAMS] = 1e8, [LC_IN_TOKENS] = 1e9, [LC_IN_FLOPS] = 1e13, [LC_IN_UTIL] = 0.05,
        [LC_IN_UTIL_INFER] = 0.05, [LC_IN_PRICE_HOUR] = 0.1, [LC_IN_DISCOUNT] = 0.1,
        [LC_IN_PERIOD_MONTHS] = 1, [LC_IN_MONTHLY_TOKENS] = 1e6, [LC_IN_PRICE_IN] = 1e-5,
        [LC_IN_PRICE_OUT] = 1e-5, [LC_IN_IO_RATIO] = 0.1, [LC_IN_SUBSCRIPTION] = 0.5,
        [LC_IN_TOKENS_PER_USER] = 1e3, [LC_IN_USERS] = 1, [LC_IN_GPUS] = 1,
        [LC_IN_POWER_W] = 50, [LC_IN_PUE] = 1, [LC_IN_ELEC_PRICE] = 0.01,
        [LC_IN_HBM_BW] = 1e11, [LC_IN_BATCH] = 1, [LC_IN_BYTES_PER_PARAM] = 0.5,
        [LC_IN_ROUTE_SHARE] = 0.001, [LC_IN_SMALL_PARAMS] = 1e8, [LC_IN_ROUTER_COST] = 1e-7,
        [LC_IN_TOKENS_PER_REQ] = 10, [LC_IN_FX_RATE] = 0.5,
        [LC_IN_PARAMS_ACTIVE] = 1e8, [LC_IN_LAYERS] = 1, [LC_IN_D_MODEL] = 256,
        [LC_IN_HEADS] = 1, [LC_IN_KV_HEADS] = 1, [LC_IN_HEAD_DIM] = 32, [LC_IN_KV_DIM] = 64,
        [LC_IN_KV_BYTES] = 0.5, [LC_IN_CONTEXT] = 1, [LC_IN_TRAIN_SEQ_LEN] = 128,
        [LC_IN_PROMPT_TOKENS] = 1, [LC_IN_OUTPUT_TOKENS] = 1, [LC_IN_GPU_MEM] = 8e9,
        [LC_IN_MEM_UTIL] = 0.5, [LC_IN_BW_UTIL] = 0.3, [LC_IN_TP] = 1, [LC_IN_LOAD_FACTOR] = 0.1,
        [LC_IN_GRID_CARBON] = 0.01, [LC_IN_SERVING] = 1, [LC_IN_SMALL_PARAMS_ACTIVE] = 1e8,
        [LC_IN_SMALL_KV_PER_TOKEN] = 1e3};
    static const double hi[LC_IN_COUNT] = {
        [LC_IN_PARAMS] = 1e13, [LC_IN_TOKENS] = 1e14, [LC_IN_FLOPS] = 1e16, [LC_IN_UTIL] = 1,
        [LC_IN_UTIL_INFER] = 1, [LC_IN_PRICE_HOUR] = 20, [LC_IN_DISCOUNT] = 2,
        [LC_IN_PERIOD_MONTHS] = 60, [LC_IN_MONTHLY_TOKENS] = 1e15, [LC_IN_PRICE_IN] = 0.1,
        [LC_IN_PRICE_OUT] = 0.2, [LC_IN_IO_RATIO] = 10, [LC_IN_SUBSCRIPTION] = 200,
        [LC_IN_TOKENS_PER_USER] = 1e8, [LC_IN_USERS] = 1e9, [LC_IN_GPUS] = 1e5,
        [LC_IN_POWER_W] = 2000, [LC_IN_PUE] = 2, [LC_IN_ELEC_PRICE] = 0.5,
        [LC_IN_HBM_BW] = 1e13, [LC_IN_BATCH] = 512, [LC_IN_BYTES_PER_PARAM] = 4,
        [LC_IN_ROUTE_SHARE] = 1, [LC_IN_SMALL_PARAMS] = 1e11, [LC_IN_ROUTER_COST] = 1e-2,
        [LC_IN_TOKENS_PER_REQ] = 1e5, [LC_IN_FX_RATE] = 10,
        [LC_IN_PARAMS_ACTIVE] = 1e13, [LC_IN_LAYERS] = 200, [LC_IN_D_MODEL] = 65536,
        [LC_IN_HEADS] = 512, [LC_IN_KV_HEADS] = 512, [LC_IN_HEAD_DIM] = 512,
        [LC_IN_KV_DIM] = 65536, [LC_IN_KV_BYTES] = 4, [LC_IN_CONTEXT] = 1e6,
        [LC_IN_TRAIN_SEQ_LEN] = 1e5, [LC_IN_PROMPT_TOKENS] = 1e5, [LC_IN_OUTPUT_TOKENS] = 1e5,
        [LC_IN_GPU_MEM] = 3e11, [LC_IN_MEM_UTIL] = 1, [LC_IN_BW_UTIL] = 1, [LC_IN_TP] = 1024,
        [LC_IN_LOAD_FACTOR] = 1, [LC_IN_GRID_CARBON] = 1, [LC_IN_SERVING] = 1,
        [LC_IN_SMALL_PARAMS_ACTIVE] = 1e11, [LC_IN_SMALL_KV_PER_TOKEN] = 1e7};
    double u = urand();
    /* inputs whose 0 means "derived" (or "compute", "no routing"): 0 at
     * times, so both branches of every pick node run */
    if (lc_inputs[i].def == 0.0 && lc_inputs[i].min == 0.0 && !lc_inputs[i].min_open &&
        u < 0.4)
        return 0.0;
    if (i == LC_IN_SERVING) /* a switch: 0 or 1 */
        return u < 0.7 ? 0.0 : 1.0;
    if (i == LC_IN_TP) /* a whole number of GPUs */
        return floor(lo[i] * pow(hi[i] / lo[i], u));
    return lo[i] * pow(hi[i] / lo[i], u);
}

/* Check one configuration: n points, inputs varying where vary bit set. */
static void check_config(const lc_kernel *k, size_t n, uint64_t vary, int *n_nan)
{
    double *vals[LC_IN_COUNT];
    lc_block_in in;
    int outs[LC_OUT_COUNT];
    double *out[LC_OUT_COUNT];
    for (int i = 0; i < LC_IN_COUNT; i++) {
        size_t m = (vary >> i & 1) ? (n ? n : 1) : 1;
        vals[i] = malloc(m * sizeof(double));
        for (size_t j = 0; j < m; j++)
            vals[i][j] = rand_input(i);
        in.in[i] = vals[i];
        in.stride[i] = (vary >> i & 1) ? 1 : 0;
    }
    /* every output, in a shuffled order, one of them twice */
    int n_outs = LC_OUT_COUNT;
    for (int o = 0; o < LC_OUT_COUNT; o++)
        outs[o] = o;
    for (int o = LC_OUT_COUNT - 1; o > 0; o--) {
        int r = (int)(urand() * (o + 1));
        int t = outs[o];
        outs[o] = outs[r];
        outs[r] = t;
    }
    for (int o = 0; o < n_outs; o++)
        out[o] = malloc((n ? n : 1) * sizeof(double));
    k->points(&in, n, outs, n_outs, out);
    for (size_t j = 0; j < n; j++) {
        double pt[LC_IN_COUNT], ref[LC_OUT_COUNT];
        for (int i = 0; i < LC_IN_COUNT; i++)
            pt[i] = in.stride[i] ? vals[i][j] : vals[i][0];
        lc_model_eval(pt, ref);
        for (int o = 0; o < n_outs; o++) {
            if (memcmp(&out[o][j], &ref[outs[o]], sizeof(double)) != 0)
                fail_msg("isa %s n %zu point %zu output %s: %.17g != %.17g (vary %#llx)",
                         k->isa, n, j, lc_outputs[outs[o]].name, out[o][j], ref[outs[o]],
                         (unsigned long long)vary);
            *n_nan += isnan(ref[outs[o]]);
        }
    }
    for (int o = 0; o < n_outs; o++)
        free(out[o]);
    for (int i = 0; i < LC_IN_COUNT; i++)
        free(vals[i]);
}

static void test_every_path_matches_model_eval(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 7, 9, 63, 65, 255, 256, 257, 700};
    const char *const *av = lc_kernel_available();
    int n_nan = 0, paths = 0;
    for (int p = 0; av[p] != NULL; p++) {
        const lc_kernel *k;
        assert_int_equal(lc_kernel_select(av[p], &k, NULL), LC_OK);
        assert_string_equal(k->isa, av[p]);
        paths++;
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            check_config(k, sizes[s], 0, &n_nan);                      /* all constant */
            check_config(k, sizes[s], ~(uint64_t)0, &n_nan); /* all varying */
            for (int rep = 0; rep < 6; rep++)
                check_config(k, sizes[s], rng, &n_nan); /* random subsets */
            for (int i = 0; i < LC_IN_COUNT; i++) /* one varying input at a time */
                check_config(k, sizes[s], (uint64_t)1 << i, &n_nan);
        }
    }
    assert_true(paths >= 1);
    assert_true(n_nan > 0); /* NaN-producing points were exercised */
}

/* Every SIMD path against the scalar path on the same blocks (the kernel
 * contract; redundant with the above but names the pair that differs). */
static void test_simd_equals_scalar(void **state)
{
    (void)state;
    const char *const *av = lc_kernel_available();
    const lc_kernel *ks;
    assert_int_equal(lc_kernel_select("scalar", &ks, NULL), LC_OK);
    enum { N = 333 };
    double *vals[LC_IN_COUNT];
    lc_block_in in;
    int outs[LC_OUT_COUNT];
    double *ref[LC_OUT_COUNT], *got[LC_OUT_COUNT];
    for (int i = 0; i < LC_IN_COUNT; i++) {
        vals[i] = malloc(N * sizeof(double));
        for (int j = 0; j < N; j++)
            vals[i][j] = rand_input(i);
        in.in[i] = vals[i];
        in.stride[i] = (i % 3) != 0;
    }
    for (int o = 0; o < LC_OUT_COUNT; o++) {
        outs[o] = o;
        ref[o] = malloc(N * sizeof(double));
        got[o] = malloc(N * sizeof(double));
    }
    ks->points(&in, N, outs, LC_OUT_COUNT, ref);
    for (int p = 0; av[p] != NULL; p++) {
        const lc_kernel *k;
        assert_int_equal(lc_kernel_select(av[p], &k, NULL), LC_OK);
        k->points(&in, N, outs, LC_OUT_COUNT, got);
        for (int o = 0; o < LC_OUT_COUNT; o++)
            assert_memory_equal(ref[o], got[o], N * sizeof(double));
    }
    for (int o = 0; o < LC_OUT_COUNT; o++) {
        free(ref[o]);
        free(got[o]);
    }
    for (int i = 0; i < LC_IN_COUNT; i++)
        free(vals[i]);
}

/* The scan's contract written plainly: first occurrence of min / max over
 * non-NaN values (earlier calls win ties), NaN count, lane k summing the
 * row's elements j = k mod 8 in order, counts of v < c (v <= c if incl). */
static void scan_ref(const double *v, size_t n, uint64_t base, lc_scan *s)
{
    for (size_t j = 0; j < n; j++) {
        double x = v[j];
        if (x != x) {
            s->nnan++;
        } else {
            s->lane[j % 8] += x;
            if (x < s->min) {
                s->min = x;
                s->imin = base + j;
            }
            if (x > s->max) {
                s->max = x;
                s->imax = base + j;
            }
        }
        for (int q = 0; q < s->nc; q++)
            s->cnt[q] += (x < s->c[q]) || (s->incl[q] && x == s->c[q]);
    }
}

static void scan_init(lc_scan *s, int nc)
{
    memset(s, 0, sizeof *s);
    s->min = INFINITY;
    s->max = -INFINITY;
    s->imin = s->imax = UINT64_MAX;
    s->nc = nc;
}

static void test_scan_every_path_equals_reference(void **state)
{
    (void)state;
    static const double pool[] = {1.0, -1.0, 0.0, -0.0, 2.5, -2.5, 1e300, -1e300,
                                  INFINITY, -INFINITY, NAN, 3.0, 3.0, 7.0};
    enum { MAXN = 1100 };
    double *v = malloc(MAXN * sizeof *v);
    const char *const *av = lc_kernel_available();
    int checked = 0;
    for (int rep = 0; rep < 400; rep++) {
        size_t n = rep < 140 ? (size_t)rep : (size_t)(urand() * MAXN);
        int mode = (int)(urand() * 4); /* pool, random, all NaN, sorted */
        for (size_t j = 0; j < n; j++) {
            if (mode == 0)
                v[j] = pool[(int)(urand() * (sizeof pool / sizeof pool[0]))];
            else if (mode == 1)
                v[j] = urand() < 0.05 ? NAN : (urand() - 0.5) * 100.0;
            else if (mode == 2)
                v[j] = NAN;
            else
                v[j] = (double)(j / 3) - (double)n / 6.0;
        }
        int nc = (int)(urand() * (LC_SCAN_CONDS + 1));
        int all_strict = urand() < 0.5;
        lc_scan ref, got;
        scan_init(&ref, nc);
        for (int q = 0; q < nc; q++) {
            ref.c[q] = urand() < 0.2 ? pool[(int)(urand() * 10)] : (urand() - 0.5) * 100.0;
            ref.incl[q] = all_strict ? 0 : urand() < 0.5;
        }
        /* two calls: a first part, then the rest with its own base */
        size_t cut = (size_t)(urand() * (double)(n + 1));
        lc_scan start = ref;
        scan_ref(v, cut, 1000, &ref);
        scan_ref(v + cut, n - cut, 5000, &ref);
        for (int p = 0; av[p] != NULL; p++) {
            const lc_kernel *k;
            assert_int_equal(lc_kernel_select(av[p], &k, NULL), LC_OK);
            const lc_kernel_impl *ki = lc_kernel_impl_of(k);
            got = start;
            ki->scan(v, cut, 1000, &got);
            ki->scan(v + cut, n - cut, 5000, &got);
            if (memcmp(&got.min, &ref.min, sizeof ref.min) != 0 || got.imin != ref.imin ||
                memcmp(&got.max, &ref.max, sizeof ref.max) != 0 || got.imax != ref.imax ||
                got.nnan != ref.nnan || memcmp(got.lane, ref.lane, sizeof ref.lane) != 0 ||
                memcmp(got.cnt, ref.cnt, sizeof ref.cnt) != 0)
                fail_msg("scan isa %s rep %d n %zu mode %d nc %d: min %g@%llu (want %g@%llu) "
                         "max %g@%llu (want %g@%llu) nan %llu (want %llu)",
                         k->isa, rep, n, mode, nc, got.min, (unsigned long long)got.imin,
                         ref.min, (unsigned long long)ref.imin, got.max,
                         (unsigned long long)got.imax, ref.max, (unsigned long long)ref.imax,
                         (unsigned long long)got.nnan, (unsigned long long)ref.nnan);
            /* the sums-and-counts pass: the same lanes, NaN count and counts */
            got = start;
            ki->sum(v, cut, &got);
            ki->sum(v + cut, n - cut, &got);
            if (got.nnan != ref.nnan || memcmp(got.lane, ref.lane, sizeof ref.lane) != 0 ||
                memcmp(got.cnt, ref.cnt, sizeof ref.cnt) != 0 ||
                memcmp(&got.min, &start.min, sizeof got.min) != 0)
                fail_msg("sum isa %s rep %d n %zu mode %d nc %d: nan %llu (want %llu)", k->isa,
                         rep, n, mode, nc, (unsigned long long)got.nnan,
                         (unsigned long long)ref.nnan);
            checked++;
        }
    }
    free(v);
    assert_true(checked >= 400);
}

static void test_select(void **state)
{
    (void)state;
    const lc_kernel *k = NULL;
    lc_diag d;
    const char *const *av = lc_kernel_available();
    assert_string_equal(av[0], "scalar");
    assert_int_equal(lc_kernel_select("sse9", &k, &d), LC_ENOTFOUND);
    assert_non_null(strstr(d.msg, "sse9"));
    assert_int_equal(lc_kernel_select(NULL, &k, NULL), LC_OK);
    int last = 0;
    while (av[last + 1] != NULL)
        last++;
    unsetenv("LLMCOST_ISA");
    assert_int_equal(lc_kernel_select(NULL, &k, NULL), LC_OK);
    assert_string_equal(k->isa, av[last]); /* the best path by default */
    setenv("LLMCOST_ISA", "scalar", 1);
    assert_int_equal(lc_kernel_select(NULL, &k, NULL), LC_OK);
    assert_string_equal(k->isa, "scalar");
    unsetenv("LLMCOST_ISA");
#if defined(__x86_64__)
    if (!__builtin_cpu_supports("avx512f"))
        assert_int_equal(lc_kernel_select("avx512", &k, &d), LC_EINVAL);
#endif
    /* a path the build lacks (make KERNELS=scalar) is refused, not run */
    const char *const *built = lc_kernel_built();
    int has_avx2 = 0;
    for (int i = 0; built[i] != NULL; i++)
        has_avx2 |= strcmp(built[i], "avx2") == 0;
    if (!has_avx2) {
        assert_int_equal(lc_kernel_select("avx2", &k, &d), LC_EINVAL);
        assert_non_null(strstr(d.msg, "cannot run"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_path_matches_model_eval),
        cmocka_unit_test(test_simd_equals_scalar),
        cmocka_unit_test(test_scan_every_path_equals_reference),
        cmocka_unit_test(test_select),
    };
    return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
