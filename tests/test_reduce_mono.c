/*
 * test_reduce_mono.c - the structured (monotone-row) reductions against the
 * full per-point path: on random specs (2-4 random axes, lin / log, rising
 * or falling, unsorted lists, GPU axes, random fixed inputs, random reduced
 * outputs, small chunks with edges) every result - min, max, mean, their
 * full-grid coordinates, finite and NaN counts, and condition counts with
 * every operator at thresholds that are hit exactly (the min, the max, a
 * value in between) - is bit-identical between lc_sweep_opts.exhaustive = 1
 * and the default, for every ISA path.  The test also checks that it
 * exercised both: chunks reduced from their structure and chunks that fell
 * back to the full scan (no proof: NaN regions, unsorted axes, ...).  Chunks
 * of up to 256 KiB and rows of up to ~3000 points put several kernel tiles
 * in a chunk and in a row (the fused path's pieces and the tiles it keeps
 * from one block of rows to the next).  Plus
 * direct cases of the proof (kernel_mono.h): a break-even output whose
 * margin crosses zero is not proven; a difference is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/kernel_mono.h"
#include "model/model.h"
#include "catalog/catalog.h"
#include "h5/h5_write.h"
#include "kernel/kernel.h"
#include "spec/spec.h"
#include "engine/sweep.h"

static lc_catalog cat;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static int irand(int n)
{
    return (int)(urand() * n) % n;
}

/* Inputs that may become axes, with a valid range for each. */
static const struct {
    const char *name;
    double lo, hi;
} cand[] = {
    {"params", 1e8, 2e12},        {"tokens", 1e10, 3e13},   {"util", 0.05, 1.0},
    {"price_hour", 0.5, 10},      {"period", 1, 36},        {"monthly_tokens", 1e6, 1e14},
    {"price_in", 1e-4, 0.1},      {"price_out", 1e-4, 0.2}, {"io_ratio", 0.1, 10},
    {"subscription", 0.5, 200},   {"tokens_per_user", 1e3, 1e8},
    {"users", 1, 1e9},            {"gpus", 1, 1e5},         {"power_w", 100, 1500},
    {"batch", 1, 256},            {"route_share", 0.0, 1.0}, {"small_params", 1e8, 1e11},
    {"router_cost", 0, 1e-3},     {"tokens_per_request", 10, 1e5},
};
#define N_CAND ((int)(sizeof cand / sizeof cand[0]))

static double in_range(int c)
{
    double lo = cand[c].lo, hi = cand[c].hi;
    if (lo > 0 && hi / lo > 100)
        return lo * pow(hi / lo, urand());
    return lo + (hi - lo) * urand();
}

/* A random spec; returns 0 if the parser refused it (then another is drawn). */
static int random_spec(lc_spec *s)
{
    char text[4096];
    int used[N_CAND] = {0};
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "[sweep]\nname = mono\nchunk_kib = %d\n",
                          (int[]){1, 2, 8, 64, 256}[irand(5)]);
    n += (size_t)snprintf(text + n, sizeof text - n, "[axes]\n");
    int n_axes = 2 + irand(3);
    for (int a = 0; a < n_axes; a++) {
        if (a == 0 && urand() < 0.15) {
            n += (size_t)snprintf(text + n, sizeof text - n, "gpu = H100, A100, B200\n");
            continue;
        }
        int c;
        do
            c = irand(N_CAND);
        while (used[c]);
        used[c] = 1;
        int pts = 1 + irand(a == n_axes - 1 ? 150 : 12);
        if (a == n_axes - 1 && urand() < 0.1) /* rows longer than the kernel's tiles */
            pts = 1025 + irand(2000);
        double x = in_range(c), y = in_range(c);
        int kind = irand(5);
        if (kind == 4 && pts > 1) { /* sorted, with repeated values (plateaus) */
            double v[9];
            int m = pts < 9 ? pts : 9, up = irand(2);
            for (int k = 0; k < m; k++)
                v[k] = k > 0 && urand() < 0.4 ? v[k - 1] : in_range(c);
            for (int k = 1; k < m; k++) /* insertion sort, rising or falling */
                for (int q = k; q > 0 && (up ? v[q] < v[q - 1] : v[q] > v[q - 1]); q--) {
                    double t = v[q];
                    v[q] = v[q - 1];
                    v[q - 1] = t;
                }
            n += (size_t)snprintf(text + n, sizeof text - n, "%s = ", cand[c].name);
            for (int k = 0; k < m; k++)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%.6g", k ? ", " : "", v[k]);
            n += (size_t)snprintf(text + n, sizeof text - n, "\n");
        } else if (kind == 3 && pts > 1) { /* a list, in random order */
            n += (size_t)snprintf(text + n, sizeof text - n, "%s = ", cand[c].name);
            for (int k = 0; k < pts && k < 9; k++)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%.6g", k ? ", " : "",
                                      in_range(c));
            n += (size_t)snprintf(text + n, sizeof text - n, "\n");
        } else if (kind == 2 && x > 0 && y > 0) {
            n += (size_t)snprintf(text + n, sizeof text - n, "%s = log %.6g %.6g %d\n",
                                  cand[c].name, x, y, pts);
        } else {
            n += (size_t)snprintf(text + n, sizeof text - n, "%s = lin %.6g %.6g %d\n",
                                  cand[c].name, x, y, pts);
        }
    }
    n += (size_t)snprintf(text + n, sizeof text - n, "[inputs]\n");
    for (int c = 0; c < N_CAND; c++)
        if (!used[c] && urand() < 0.3)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s = %.6g\n", cand[c].name,
                                  in_range(c));
    n += (size_t)snprintf(text + n, sizeof text - n, "[outputs]\nreduce = ");
    int n_red = 1 + irand(4), seen[LC_OUT_COUNT] = {0};
    for (int k = 0; k < n_red; k++) {
        int o = irand(LC_OUT_COUNT);
        if (seen[o]++)
            continue;
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", k ? ", " : "",
                              lc_outputs[o].name);
    }
    n += (size_t)snprintf(text + n, sizeof text - n, "\n");
    lc_diag d = {0};
    lc_spec_init(s);
    if (lc_spec_parse_text(s, text, n, "mono.ini", &cat, &d) != LC_OK) {
        lc_spec_free(s);
        return 0;
    }
    return 1;
}

static void run(const lc_spec *s, const char *isa, int exhaustive, lc_sweep_result *r)
{
    static const uint64_t bisect_min[] = {0, 1, 2, 50};
    lc_sweep_opts o;
    lc_diag d = {0};
    lc_sweep_opts_init(&o);
    o.sink = LC_SINK_DISCARD;
    o.output = "/nonexistent/mono.h5";
    o.force = 1;
    o.threads = 1 + irand(2);
    o.isa = isa;
    o.exhaustive = exhaustive;
    o.mono_bisect_min = bisect_min[irand(4)]; /* counts by bisection or in the pass */
    memset(r, 0, sizeof *r);
    if (lc_sweep_run(s, &o, r, &d) != LC_OK)
        fail_msg("sweep failed: %s", d.msg);
}

static void same(const lc_sweep_result *a, const lc_sweep_result *b, const char *isa, int rep)
{
    assert_int_equal(a->n_red, b->n_red);
    for (int i = 0; i < a->n_red; i++) {
        const lc_reduction *x = &a->red[i], *y = &b->red[i];
        if (memcmp(&x->min, &y->min, sizeof x->min) || memcmp(&x->max, &y->max, sizeof x->max) ||
            memcmp(&x->mean, &y->mean, sizeof x->mean) || x->count_nan != y->count_nan ||
            x->count_finite != y->count_finite || x->valid != y->valid ||
            memcmp(x->argmin, y->argmin, sizeof x->argmin) ||
            memcmp(x->argmax, y->argmax, sizeof x->argmax))
            fail_msg("rep %d isa %s output %s: min %.17g / %.17g max %.17g / %.17g mean %.17g / "
                     "%.17g nan %llu / %llu",
                     rep, isa, lc_outputs[x->output].name, x->min, y->min, x->max, y->max,
                     x->mean, y->mean, (unsigned long long)x->count_nan,
                     (unsigned long long)y->count_nan);
    }
    assert_int_equal(a->n_cond, b->n_cond);
    for (int i = 0; i < a->n_cond; i++)
        if (a->cond[i].count != b->cond[i].count)
            fail_msg("rep %d isa %s condition %d: %llu != %llu", rep, isa, i,
                     (unsigned long long)a->cond[i].count, (unsigned long long)b->cond[i].count);
}

static void test_random_specs_same_as_full_path(void **state)
{
    (void)state;
    lc_sweep_result *full = calloc(1, sizeof *full), *fast = calloc(1, sizeof *fast);
    const char *const *av = lc_kernel_available();
    uint64_t mono = 0, total = 0, with_nan = 0, conds = 0;
    int cases = 0;
    for (int rep = 0; cases < 150 && rep < 1000; rep++) {
        lc_spec s;
        if (!random_spec(&s))
            continue;
        cases++;
        /* thresholds the values hit exactly: each reduced output's min and
         * max, and one value in between, with every operator */
        run(&s, "scalar", 1, full);
        s.n_conds = 0;
        for (int i = 0; i < full->n_red && s.n_conds + 3 <= LC_MAX_CONDS; i++) {
            const lc_reduction *rd = &full->red[i];
            if (!rd->valid)
                continue;
            double t[3] = {rd->min, rd->max, rd->min + (rd->max - rd->min) * urand()};
            for (int k = 0; k < 3; k++) {
                lc_condition *c = &s.conds[s.n_conds++];
                c->output = rd->output;
                c->op = (lc_cmp)irand(4);
                c->value = t[k];
                snprintf(c->text, sizeof c->text, "%s ? %.17g", lc_outputs[rd->output].name,
                         t[k]);
            }
        }
        conds += (uint64_t)s.n_conds;
        for (int p = 0; av[p] != NULL; p++) {
            run(&s, av[p], 1, full);
            run(&s, av[p], 0, fast);
            assert_int_equal(full->red_chunks_mono, 0);
            same(full, fast, av[p], rep);
            mono += fast->red_chunks_mono;
            total += fast->red_chunks;
        }
        for (int i = 0; i < full->n_red; i++)
            with_nan += full->red[i].count_nan > 0;
        lc_spec_free(&s);
    }
    print_message("# %d random specs, %llu conditions, %llu of %llu chunks structured, "
                  "%llu outputs with NaN\n",
                  cases, (unsigned long long)conds, (unsigned long long)mono,
                  (unsigned long long)total, (unsigned long long)with_nan);
    assert_true(cases >= 100);
    assert_true(mono > 0);         /* the structured path ran */
    assert_true(mono < total);     /* and so did the fallback */
    assert_true(with_nan > 0);     /* NaN regions were among them */
    assert_true(conds > 100);
    free(full);
    free(fast);
}

/* The fused path (evaluation and reduction in one pass, no chunk buffer)
 * on grids shaped like sweeps/huge.ini: whole chunks of rows of 100 points
 * (blocks of rows whose outer row values repeat from block to block) and
 * rows of 2100 and 3000 points (several tiles per row), with runs of equal
 * values across tile ends and thresholds on them, then with only one output
 * reduced and the others only counted (counts by bisection, or from the
 * chunk's proven range without evaluating it).  Bit-identical to the full
 * path for every ISA, thread count and bisection switch. */
static void test_fused_rows_same_as_full_path(void **state)
{
    (void)state;
    static const struct {
        const char *row;
        int kib;
    } cases[] = {
        {"subscription = lin 1 100 100", 1024},
        {"subscription = lin 1 100 100", 64},
        {"subscription = lin 1 100 100", 8},
        /* steps below the rounding of the output (or of the axis itself):
         * runs of equal values, some across tile ends and at row ends */
        {"subscription = lin 1 1.00000001 2100", 1024},
        {"subscription = lin 5 5.0000000000002 3000", 256},
        {"subscription = lin 100 99.9999999 3000", 1024},
        {"subscription = lin 100 1 3000", 1024},
    };
    static const char *const outs[] = {"sub_profit", "breakeven_users", "sub_revenue",
                                       "sub_cost"};
    const char *const *av = lc_kernel_available();
    lc_sweep_result *full = calloc(1, sizeof *full), *fast = calloc(1, sizeof *fast);
    char *text = malloc(65536);
    uint64_t ties = 0, ranged = 0;
    uint64_t fused = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = 0;
        n += (size_t)snprintf(text + n, 65536 - n,
                              "[sweep]\nname = fused\nchunk_kib = %d\n[axes]\n"
                              "params = log 1e9 2e12 3\ntokens = log 1e11 3e13 3\n"
                              "users = log 1e4 1e8 %d\ntokens_per_user = log 1e4 1e7 %d\n",
                              cases[c].kib, c < 3 ? 23 : 3, c < 3 ? 37 : 5);
        n += (size_t)snprintf(text + n, 65536 - n, "%s\n", cases[c].row);
        n += (size_t)snprintf(text + n, 65536 - n,
                              "[inputs]\ngpu = H100\nutil = 0.4\nperiod = 6\n[outputs]\nreduce = ");
        for (size_t o = 0; o < sizeof outs / sizeof outs[0]; o++)
            n += (size_t)snprintf(text + n, 65536 - n, "%s%s", o ? ", " : "", outs[o]);
        n += (size_t)snprintf(text + n, 65536 - n, "\n");
        lc_spec s;
        lc_diag d = {0};
        lc_spec_init(&s);
        if (lc_spec_parse_text(&s, text, n, "fused.ini", &cat, &d) != LC_OK)
            fail_msg("case %zu: %s", c, d.msg);
        run(&s, "scalar", 1, full);
        s.n_conds = 0;
        for (int i = 0; i < full->n_red && s.n_conds + 4 <= LC_MAX_CONDS; i++) {
            /* a run of equal values at the min or max: its first index is
             * inside the row (not at either end) */
            const uint64_t *am = full->red[i].argmin, *ax = full->red[i].argmax, e = s.axes[4].n - 1;
            ties += (am[4] != 0 && am[4] != e) + (ax[4] != 0 && ax[4] != e);
            const lc_reduction *rd = &full->red[i];
            double t[4] = {rd->min, rd->max, rd->min + (rd->max - rd->min) * urand(), 0.0};
            for (int k = 0; k < 4; k++) {
                lc_condition *cd = &s.conds[s.n_conds++];
                cd->output = rd->output;
                cd->op = (lc_cmp)((k + i) % 4);
                cd->value = t[k];
                snprintf(cd->text, sizeof cd->text, "%s ? %.17g", outs[i], t[k]);
            }
        }
        /* then the same conditions with only the first output reduced: the
         * others are counted only (no sums; chunks whose proven range puts
         * every threshold on one side are not evaluated at all) */
        for (int only = 0; only < 2; only++) {
            if (only)
                s.n_reduce = 1;
            for (int p = 0; av[p] != NULL; p++)
                for (int rep = 0; rep < 2; rep++) {
                    run(&s, av[p], 1, full);
                    run(&s, av[p], 0, fast);
                    same(full, fast, av[p], (int)c);
                    fused += fast->red_chunks_fused;
                    ranged += fast->red_chunks_ranged;
                    assert_int_equal(full->red_chunks_ranged, 0);
                }
        }
        lc_spec_free(&s);
    }
    print_message("# %llu chunks fused, %llu counted from their range, %llu extremes inside a "
                  "row\n",
                  (unsigned long long)fused, (unsigned long long)ranged, (unsigned long long)ties);
    assert_true(fused > 0);
    assert_true(ranged > 0);
    assert_true(ties > 0);
    free(text);
    free(full);
    free(fast);
}

/* Count-only outputs at thresholds on the ends of chunks' ranges: one
 * condition per run (so a chunk is counted from its range alone whenever
 * that threshold is outside the range), every operator, thresholds equal
 * to values the grid hits exactly (users * subscription: small integers),
 * and the counts checked against integers counted here. */
static void test_count_only_thresholds(void **state)
{
    (void)state;
    static const char *text = "[sweep]\nname = count\nchunk_kib = 1\n[axes]\n"
                              "users = 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048\n"
                              "subscription = lin 1 40 40\n[inputs]\ngpu = H100\n"
                              "[outputs]\nreduce = breakeven_users\n";
    static const double thr[] = {1, 2, 39, 40, 41, 80, 160, 40960, 81920, 81921, 0.5, 1e9};
    const char *const *av = lc_kernel_available();
    lc_sweep_result *full = calloc(1, sizeof *full), *fast = calloc(1, sizeof *fast);
    uint64_t ranged = 0;
    for (size_t k = 0; k < sizeof thr / sizeof thr[0]; k++)
        for (int op = 0; op < 4; op++) {
            lc_spec s;
            lc_diag d = {0};
            lc_spec_init(&s);
            if (lc_spec_parse_text(&s, text, strlen(text), "count.ini", &cat, &d) != LC_OK)
                fail_msg("%s", d.msg);
            lc_condition *c = &s.conds[s.n_conds++];
            c->output = LC_OUT_SUB_REVENUE;
            c->op = (lc_cmp)op;
            c->value = thr[k];
            snprintf(c->text, sizeof c->text, "sub_revenue ? %g", thr[k]);
            uint64_t want = 0;
            for (size_t u = 0; u < s.axes[0].n; u++)
                for (size_t j = 0; j < s.axes[1].n; j++) {
                    double v = s.axes[0].values[u] * s.axes[1].values[j];
                    want += op == LC_CMP_LT ? v < thr[k] : op == LC_CMP_LE ? v <= thr[k]
                            : op == LC_CMP_GT ? v > thr[k] : v >= thr[k];
                }
            for (int p = 0; av[p] != NULL; p++) {
                run(&s, av[p], 1, full);
                run(&s, av[p], 0, fast);
                same(full, fast, av[p], (int)k);
                if (fast->cond[0].count != want)
                    fail_msg("sub_revenue op %d %g: %llu, expected %llu", op, thr[k],
                             (unsigned long long)fast->cond[0].count, (unsigned long long)want);
                ranged += fast->red_chunks_ranged;
            }
            lc_spec_free(&s);
        }
    print_message("# %llu chunks counted from their range\n", (unsigned long long)ranged);
    assert_true(ranged > 0);
    free(full);
    free(fast);
}

/* The proof itself on boxes of input ranges. */
static void test_proof_cases(void **state)
{
    (void)state;
    double lo[LC_IN_COUNT], hi[LC_IN_COUNT], olo, ohi;
    signed char dir[LC_IN_COUNT] = {0};
    for (int i = 0; i < LC_IN_COUNT; i++)
        lo[i] = hi[i] = lc_inputs[i].def > 0 ? lc_inputs[i].def : 0.0;
    lo[LC_IN_ROUTE_SHARE] = hi[LC_IN_ROUTE_SHARE] = 0.5; /* routed: the blend's proof */
    lo[LC_IN_ROUTER_COST] = hi[LC_IN_ROUTER_COST] = 0.0;
    /* sub_profit along the subscription: up, whatever the signs of profit */
    lo[LC_IN_SUBSCRIPTION] = 1;
    hi[LC_IN_SUBSCRIPTION] = 100;
    dir[LC_IN_SUBSCRIPTION] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_SUB_PROFIT].node, lo, hi, dir, &olo, &ohi),
                     1);
    assert_true(olo < 0 && ohi > 0);
    /* breakeven_users along the subscription: down while the margin > 0 ... */
    lo[LC_IN_SUBSCRIPTION] = 50;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_BREAKEVEN_USERS].node, lo, hi, dir, &olo,
                                   &ohi),
                     -1);
    /* ... not proven where the margin reaches 0 (the NaN region) */
    lo[LC_IN_SUBSCRIPTION] = 1e-3;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_BREAKEVEN_USERS].node, lo, hi, dir, &olo,
                                   &ohi),
                     0);
    /* avg_price_per_1k along io_ratio: not monotone in general, no proof */
    dir[LC_IN_SUBSCRIPTION] = 0;
    lo[LC_IN_SUBSCRIPTION] = hi[LC_IN_SUBSCRIPTION] = 20;
    lo[LC_IN_IO_RATIO] = 0.1;
    hi[LC_IN_IO_RATIO] = 10;
    dir[LC_IN_IO_RATIO] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_AVG_PRICE_1K].node, lo, hi, dir, &olo, &ohi),
                     0);
    /* a product whose factor reaches 0 is not proven (sign not strict) */
    dir[LC_IN_IO_RATIO] = 0;
    lo[LC_IN_IO_RATIO] = hi[LC_IN_IO_RATIO] = 1;
    lo[LC_IN_USERS] = 0;
    hi[LC_IN_USERS] = 10;
    dir[LC_IN_USERS] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_SUB_REVENUE].node, lo, hi, dir, &olo, &ohi),
                     0);
    lo[LC_IN_USERS] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_SUB_REVENUE].node, lo, hi, dir, &olo, &ohi),
                     1);
    /* the routed blend along route_share: not monotone in general, no proof;
     * with serving = 1 the business outputs take the roofline branch, which
     * has no proof */
    lo[LC_IN_ROUTE_SHARE] = 0.1;
    hi[LC_IN_ROUTE_SHARE] = 0.9;
    dir[LC_IN_ROUTE_SHARE] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_ROUTE_COST_1K].node, lo, hi, dir, &olo, &ohi),
                     0);
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_SUB_REVENUE].node, lo, hi, dir, &olo, &ohi),
                     1); /* it does not read the share */
    lo[LC_IN_ROUTE_SHARE] = hi[LC_IN_ROUTE_SHARE] = 0.5;
    dir[LC_IN_ROUTE_SHARE] = 0;
    lo[LC_IN_BATCH] = 1;
    hi[LC_IN_BATCH] = 64;
    dir[LC_IN_BATCH] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_MONTHLY_COST].node, lo, hi, dir, &olo, &ohi),
                     1); /* serving 0: the roofline branch is not read */
    lo[LC_IN_SERVING] = hi[LC_IN_SERVING] = 1;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_MONTHLY_COST].node, lo, hi, dir, &olo, &ohi),
                     0);
    lo[LC_IN_SERVING] = hi[LC_IN_SERVING] = 0;
    lo[LC_IN_BATCH] = hi[LC_IN_BATCH] = 1;
    dir[LC_IN_BATCH] = 0;
    /* an infinite input: no proof */
    hi[LC_IN_USERS] = INFINITY;
    assert_int_equal(lc_mono_prove(lc_outputs[LC_OUT_SUB_REVENUE].node, lo, hi, dir, &olo, &ohi),
                     0);
}

/* The table checked against the model itself: for every output and every
 * input varying along the row in a box around the defaults, where the
 * proof gives a direction, lc_model_eval along a sorted sweep of that input
 * (the other inputs at random points of the box) never moves the other
 * way and is never NaN or inf; and the directions a reader expects from
 * the formulas are found. */
static void test_proof_agrees_with_model_eval(void **state)
{
    (void)state;
    double lo[LC_IN_COUNT], hi[LC_IN_COUNT], olo, ohi;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        double d = lc_inputs[i].def > 0 ? lc_inputs[i].def : 1e-3;
        lo[i] = d * 0.5;
        hi[i] = d * 2;
        if (lc_inputs[i].def == 0 && i != LC_IN_ROUTE_SHARE && i != LC_IN_ROUTER_COST)
            lo[i] = hi[i] = 0; /* 0 = derived (params_active = params, ...), compute */
    }
    lo[LC_IN_MEM_UTIL] = 0.45; /* (0, 1] inputs: inside their range */
    hi[LC_IN_MEM_UTIL] = 0.95;
    lo[LC_IN_BW_UTIL] = lo[LC_IN_LOAD_FACTOR] = 0.5;
    hi[LC_IN_BW_UTIL] = hi[LC_IN_LOAD_FACTOR] = 1;
    lo[LC_IN_UTIL] = lo[LC_IN_UTIL_INFER] = 0.2;
    hi[LC_IN_UTIL] = hi[LC_IN_UTIL_INFER] = 0.9;
    /* routed (route_share > 0 reaches the business outputs); a varying share
     * is not proven (test_proof_cases) */
    lo[LC_IN_ROUTE_SHARE] = hi[LC_IN_ROUTE_SHARE] = 0.5;
    lo[LC_IN_PUE] = 1.1;
    lo[LC_IN_GPUS] = lo[LC_IN_BATCH] = 1;
    int dirs[LC_OUT_COUNT][LC_IN_COUNT], proven = 0;
    for (int o = 0; o < LC_OUT_COUNT; o++)
        for (int i = 0; i < LC_IN_COUNT; i++) {
            signed char dir[LC_IN_COUNT] = {0};
            dir[i] = 1;
            int d = lc_mono_prove(lc_outputs[o].node, lo, hi, dir, &olo, &ohi);
            dirs[o][i] = (lc_output_depends((lc_output)o) >> i & 1) ? d : 0;
            if (!(lc_output_depends((lc_output)o) >> i & 1) || d == 0)
                continue;
            proven++;
            for (int rep = 0; rep < 20; rep++) {
                double pt[LC_IN_COUNT], out[LC_OUT_COUNT], prev = 0;
                for (int k = 0; k < LC_IN_COUNT; k++)
                    pt[k] = lo[k] + (hi[k] - lo[k]) * urand();
                for (int j = 0; j <= 200; j++) {
                    pt[i] = lo[i] + (hi[i] - lo[i]) * j / 200.0;
                    lc_model_eval(pt, out);
                    if (!isfinite(out[o]))
                        fail_msg("%s along %s: %g not finite", lc_outputs[o].name,
                                 lc_inputs[i].name, out[o]);
                    if (j > 0 && (d > 0 ? out[o] < prev : out[o] > prev))
                        fail_msg("%s along %s: proven %+d but %.17g then %.17g",
                                 lc_outputs[o].name, lc_inputs[i].name, d, prev, out[o]);
                    prev = out[o];
                }
            }
        }
    assert_true(proven > 40);
    /* read off the formulas */
    assert_int_equal(dirs[LC_OUT_PRETRAIN_COST][LC_IN_PARAMS], 1);
    assert_int_equal(dirs[LC_OUT_PRETRAIN_COST][LC_IN_FLOPS], -1);
    assert_int_equal(dirs[LC_OUT_SUB_PROFIT][LC_IN_SUBSCRIPTION], 1);
    assert_int_equal(dirs[LC_OUT_SUB_PROFIT][LC_IN_TOKENS_PER_USER], -1);
    assert_int_equal(dirs[LC_OUT_SUB_PROFIT][LC_IN_USERS], 0); /* revenue and cost both grow */
    /* this box holds points with no break-even (margin <= 0): no proof
     * (test_proof_cases has the same output proven where the margin > 0) */
    assert_int_equal(dirs[LC_OUT_BREAKEVEN_USERS][LC_IN_SUBSCRIPTION], 0);
    assert_int_equal(dirs[LC_OUT_BREAKEVEN_TOKENS][LC_IN_PARAMS], 0);
    assert_int_equal(dirs[LC_OUT_TOKEN_MARGIN][LC_IN_PRICE_OUT], 0); /* revenue twice */
    assert_int_equal(dirs[LC_OUT_INFER_COST_1K_BW][LC_IN_HBM_BW], -1);
    assert_int_equal(dirs[LC_OUT_ROUTE_COST_1K][LC_IN_SMALL_PARAMS], 1);
    assert_int_equal(dirs[LC_OUT_MONTHLY_COST][LC_IN_PARAMS], 1); /* through the routed blend */
}

int main(void)
{
    lc_h5_quiet();
    if (lc_catalog_load(&cat, NULL, NULL) != LC_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proof_cases),
        cmocka_unit_test(test_proof_agrees_with_model_eval),
        cmocka_unit_test(test_random_specs_same_as_full_path),
        cmocka_unit_test(test_fused_rows_same_as_full_path),
        cmocka_unit_test(test_count_only_thresholds),
    };
    int rc = cmocka_run_group_tests_name("reduce_mono", tests, NULL, NULL);
    lc_catalog_free(&cat);
    return rc;
}
