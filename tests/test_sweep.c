/*
 * test_sweep.c - the sweep engine end to end against the scalar reference:
 * every stored value at random grid points equals lc_model_eval at the same
 * inputs (built here from the spec's axes and the catalogue, not by the
 * engine's own mapping); reductions and condition counts equal a brute-force
 * pass over the full grid; files are bit-identical for 1 and 2 threads and
 * for every ISA path; broadcast layout, float32, codecs, scalar (rank-0)
 * outputs, chunk edges (axis lengths 1, 7, 9, 63, 65 against small chunks);
 * refused overwrite and a cancelled run leaving only the .partial file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>

#include "catalog/catalog.h"
#include "h5/h5_write.h"
#include "kernel/kernel.h"
#include "spec/spec.h"
#include "engine/sweep.h"

static lc_catalog cat;
static char dir[256];

static const char *SPEC =
    "[sweep]\n"
    "name = test\n"
    "chunk_kib = 1\n"
    "[axes]\n"
    "params = 7B, 70B, 1.8T\n"
    "gpu = A100, H100\n"
    "util = lin 0.3 0.6 3\n"
    "users = log 1e4 1e8 7\n"
    "tokens_per_user = log 1e5 1e7 9\n"
    "[inputs]\n"
    "tokens = chinchilla\n"
    "discount = 0.5\n"
    "subscription = 20\n"
    "monthly_tokens = 1e12\n"
    "route_share = 0.3\n"
    "[outputs]\n"
    "store = pretrain_cost, sub_profit, breakeven_users, monthly_cost, token_margin, "
    "route_saving_share, infer_cost_per_1k_bw, train_days, avg_price_per_1k\n"
    "reduce = sub_profit, breakeven_users, pretrain_cost\n"
    "count = sub_profit > 0, breakeven_users < 5M, pretrain_cost <= 1e6\n";

static void parse(lc_spec *s, const char *text, const char *extra_sweep)
{
    char buf[4096];
    lc_diag d = {0};
    /* extra [sweep] keys go right after the section header */
    const char *p = strstr(text, "[sweep]\n");
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p + 8 - text), text, extra_sweep ? extra_sweep : "",
             p + 8);
    lc_status st = lc_spec_parse_text(s, buf, strlen(buf), "test.ini", &cat, &d);
    if (st != LC_OK)
        fail_msg("spec: %s:%d: %s", d.file, d.line, d.msg);
}

static lc_status run(const lc_spec *s, const char *file, int threads, const char *isa,
                     int force, lc_sweep_result *r)
{
    lc_sweep_opts o;
    lc_diag d = {0};
    lc_sweep_opts_init(&o);
    o.output = file;
    o.threads = threads;
    o.isa = isa;
    o.force = force;
    lc_status st = lc_sweep_run(s, &o, r, &d);
    if (st != LC_OK && st != LC_EEXIST && st != LC_EINTR)
        fail_msg("sweep: %s", d.msg);
    return st;
}

static char *path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Read a whole dataset as doubles. */
static double *read_ds(hid_t f, const char *name, int *rank, hsize_t *dims, size_t *n)
{
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    assert_true(ds >= 0);
    hid_t sp = H5Dget_space(ds);
    *rank = H5Sget_simple_extent_ndims(sp);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    *n = (size_t)H5Sget_simple_extent_npoints(sp);
    double *v = malloc(*n * sizeof *v);
    assert_true(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Sclose(sp);
    H5Dclose(ds);
    return v;
}

/* The model inputs at a full-grid coordinate, built from the spec's axes
 * and the catalogue (independently of the engine's plan). */
static void inputs_at(const lc_spec *s, const uint64_t *c, double in[LC_IN_COUNT])
{
    for (int i = 0; i < LC_IN_COUNT; i++)
        in[i] = s->fixed[i];
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        if (ax->labels) {
            const lc_gpu *g = lc_catalog_gpu(&cat, ax->labels[c[a]]);
            assert_non_null(g);
            in[LC_IN_FLOPS] = g->flops;
            in[LC_IN_HBM_BW] = g->hbm_bw;
            in[LC_IN_POWER_W] = g->power_w;
            in[LC_IN_PRICE_HOUR] = g->price_hour;
        } else {
            in[ax->input] = ax->values[c[a]];
        }
    }
    if (s->tokens_chinchilla)
        in[LC_IN_TOKENS] = 20.0 * in[LC_IN_PARAMS];
    if (s->util_infer_follows_util)
        in[LC_IN_UTIL_INFER] = in[LC_IN_UTIL];
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

/* Every stored dataset: dims are the output's axes (lc_spec_output_axes,
 * or all for broadcast) and values at random points equal lc_model_eval. */
static void check_values(const lc_spec *s, const char *file, int broadcast, int f32)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    for (int k = 0; k < s->n_store; k++) {
        int o = s->store[k], rank;
        hsize_t dims[LC_MAX_AXES];
        size_t n;
        double *v = read_ds(f, lc_outputs[o].name, &rank, dims, &n);
        uint32_t mask = broadcast ? (uint32_t)((1u << s->n_axes) - 1) : lc_spec_output_axes(s, o);
        int axes[LC_MAX_AXES], r = 0;
        for (int a = 0; a < s->n_axes; a++)
            if (mask >> a & 1) {
                assert_true(dims[r] == s->axes[a].n);
                axes[r++] = a;
            }
        assert_int_equal(rank, r);
        for (int t = 0; t < 200; t++) {
            uint64_t c[LC_MAX_AXES];
            double in[LC_IN_COUNT], out[LC_OUT_COUNT];
            for (int a = 0; a < s->n_axes; a++)
                c[a] = rnd(s->axes[a].n);
            inputs_at(s, c, in);
            lc_model_eval(in, out);
            size_t flat = 0;
            for (int j = 0; j < r; j++)
                flat = flat * dims[j] + c[axes[j]];
            double want = f32 ? (double)(float)out[o] : out[o];
            if (memcmp(&v[flat], &want, sizeof want) != 0 && !(isnan(want) && isnan(v[flat])))
                fail_msg("%s at flat %zu: %.17g != %.17g", lc_outputs[o].name, flat, v[flat],
                         want);
        }
        free(v);
    }
    H5Fclose(f);
}

/* All datasets of two files equal, byte for byte after reading. */
static void same_data(const lc_spec *s, const char *a, const char *b)
{
    hid_t fa = H5Fopen(a, H5F_ACC_RDONLY, H5P_DEFAULT), fb = H5Fopen(b, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(fa >= 0 && fb >= 0);
    for (int k = 0; k < s->n_store; k++) {
        int ra, rb;
        hsize_t da[LC_MAX_AXES], db[LC_MAX_AXES];
        size_t na, nb;
        double *va = read_ds(fa, lc_outputs[s->store[k]].name, &ra, da, &na);
        double *vb = read_ds(fb, lc_outputs[s->store[k]].name, &rb, db, &nb);
        assert_int_equal(ra, rb);
        assert_true(na == nb);
        assert_memory_equal(va, vb, na * sizeof *va);
        free(va);
        free(vb);
    }
    H5Fclose(fa);
    H5Fclose(fb);
}

static void test_values_threads_isas(void **state)
{
    (void)state;
    lc_spec s;
    lc_sweep_result *r1 = calloc(1, sizeof *r1), *r2 = calloc(1, sizeof *r2);
    parse(&s, SPEC, NULL);
    assert_int_equal(run(&s, path("t1.h5"), 1, NULL, 1, r1), LC_OK);
    check_values(&s, path("t1.h5"), 0, 0);
    assert_int_equal(run(&s, path("t2.h5"), 2, NULL, 1, r2), LC_OK);
    same_data(&s, path("t1.h5"), path("t2.h5"));
    /* reductions: identical for any thread count */
    assert_int_equal(r1->n_red, r2->n_red);
    assert_memory_equal(r1->red, r2->red, sizeof r1->red[0] * (size_t)r1->n_red);
    assert_memory_equal(r1->cond, r2->cond, sizeof r1->cond[0] * (size_t)r1->n_cond);
    const char *const *av = lc_kernel_available();
    for (int p = 0; av[p] != NULL; p++) {
        assert_int_equal(run(&s, path("t3.h5"), 2, av[p], 1, r2), LC_OK);
        assert_string_equal(r2->isa, av[p]);
        same_data(&s, path("t1.h5"), path("t3.h5"));
        assert_memory_equal(r1->red, r2->red, sizeof r1->red[0] * (size_t)r1->n_red);
    }
    lc_spec_free(&s);
    free(r1);
    free(r2);
}

static void brute_force(const char *text, int threads, const char *isa);

static void test_reductions_brute_force(void **state)
{
    (void)state;
    brute_force(SPEC, 2, NULL);
    brute_force(SPEC, 1, NULL);
    /* more conditions on one output than a scan pass counts (8) */
    static const char *many =
        "[sweep]\nchunk_kib = 2\n[axes]\nparams = log 1e9 1e12 5\nusers = log 1e3 1e8 31\n"
        "subscription = lin 1 60 17\n[inputs]\ngpu = H100\n[outputs]\nreduce = sub_profit\n"
        "count = sub_profit > 0, sub_profit >= 0, sub_profit < 1M, sub_profit <= 1M, "
        "sub_profit > -10M, sub_profit < 100M, sub_profit >= 100k, sub_profit <= -100k, "
        "sub_profit > 1G\n";
    static const char *few = /* 2 and 3 conditions on one output */
        "[sweep]\nchunk_kib = 2\n[axes]\nparams = log 1e9 1e12 5\nusers = log 1e3 1e8 31\n"
        "subscription = lin 1 60 17\n[inputs]\ngpu = H100\n[outputs]\nreduce = sub_profit\n"
        "count = sub_profit > 0, sub_profit <= 1M, breakeven_users < 1M, breakeven_users >= 10, "
        "breakeven_users > 1k\n";
    /* shaped like sweeps/huge.ini: rows of 100 points, blocks of rows in
     * the kernel that cross changes of the outer row values (users every
     * 13 rows), whole chunks reduced in one pass with the evaluation */
    static const char *huge_like =
        "[sweep]\nchunk_kib = 1024\n[axes]\nparams = log 1e9 2e12 2\ntokens = log 1e11 3e13 2\n"
        "users = log 1e4 1e8 5\ntokens_per_user = log 1e4 1e7 13\nsubscription = lin 1 100 100\n"
        "[inputs]\ngpu = H100\nutil = 0.4\nperiod = 6\n[outputs]\n"
        "reduce = sub_profit, breakeven_users\n"
        "count = sub_profit > 0, breakeven_users < 5M, breakeven_users < 100k\n";
    const char *const *av = lc_kernel_available();
    for (int p = 0; av[p] != NULL; p++) {
        brute_force(many, 2, av[p]);
        brute_force(few, 2, av[p]);
        brute_force(huge_like, 2, av[p]);
        brute_force(huge_like, 1, av[p]);
    }
}

static void brute_force(const char *text, int threads, const char *isa)
{
    lc_spec s;
    lc_sweep_result *r = calloc(1, sizeof *r);
    lc_diag d = {0};
    if (lc_spec_parse_text(&s, text, strlen(text), "bf.ini", &cat, &d) != LC_OK)
        fail_msg("%s", d.msg);
    assert_int_equal(run(&s, path("red.h5"), threads, isa, 1, r), LC_OK);
    uint64_t total = 1, c[LC_MAX_AXES] = {0};
    for (int a = 0; a < s.n_axes; a++)
        total *= s.axes[a].n;
    assert_true(r->grid_points == total);
    assert_int_equal(r->n_red, s.n_reduce);
    assert_int_equal(r->n_cond, s.n_conds);
    for (int k = 0; k < s.n_reduce; k++) {
        int o = s.reduce[k];
        double mn = INFINITY, mx = -INFINITY, sum = 0;
        uint64_t nan = 0, amin[LC_MAX_AXES] = {0}, amax[LC_MAX_AXES] = {0};
        memset(c, 0, sizeof c);
        for (uint64_t q = 0; q < total; q++) {
            double in[LC_IN_COUNT], out[LC_OUT_COUNT];
            inputs_at(&s, c, in);
            lc_model_eval(in, out);
            double v = out[o];
            if (isnan(v)) {
                nan++;
            } else {
                sum += v;
                if (v < mn) { mn = v; memcpy(amin, c, sizeof c); }
                if (v > mx) { mx = v; memcpy(amax, c, sizeof c); }
            }
            for (int a = s.n_axes - 1; a >= 0; a--) {
                if (++c[a] < s.axes[a].n) break;
                c[a] = 0;
            }
        }
        const lc_reduction *rd = &r->red[k];
        assert_int_equal(rd->output, o);
        assert_true(rd->min == mn && rd->max == mx);
        assert_memory_equal(rd->argmin, amin, sizeof(uint64_t) * (size_t)s.n_axes);
        assert_memory_equal(rd->argmax, amax, sizeof(uint64_t) * (size_t)s.n_axes);
        assert_true(rd->count_nan == nan && rd->count_finite == total - nan);
        double mean = sum / (double)(total - nan);
        assert_true(fabs(rd->mean - mean) <= 1e-12 * fabs(mean));
    }
    for (int k = 0; k < s.n_conds; k++) {
        uint64_t cnt = 0;
        memset(c, 0, sizeof c);
        for (uint64_t q = 0; q < total; q++) {
            double in[LC_IN_COUNT], out[LC_OUT_COUNT];
            inputs_at(&s, c, in);
            lc_model_eval(in, out);
            double v = out[s.conds[k].output], x = s.conds[k].value;
            switch (s.conds[k].op) {
            case LC_CMP_LT: cnt += v < x; break;
            case LC_CMP_LE: cnt += v <= x; break;
            case LC_CMP_GT: cnt += v > x; break;
            case LC_CMP_GE: cnt += v >= x; break;
            }
            for (int a = s.n_axes - 1; a >= 0; a--) {
                if (++c[a] < s.axes[a].n) break;
                c[a] = 0;
            }
        }
        assert_true(r->cond[k].count == cnt);
        assert_true(r->cond[k].share == (double)cnt / (double)total);
    }
    /* some break-even points exist and some do not: both branches tested */
    if (s.n_reduce > 1)
        assert_true(r->red[1].count_nan > 0 && r->red[1].count_finite > 0);
    lc_spec_free(&s);
    free(r);
}

static void test_broadcast_float32_codecs(void **state)
{
    (void)state;
    lc_spec s;
    lc_sweep_result *r = calloc(1, sizeof *r);
    parse(&s, SPEC, "layout = broadcast\ndtype = float32\n");
    assert_int_equal(run(&s, path("bf.h5"), 2, NULL, 1, r), LC_OK);
    check_values(&s, path("bf.h5"), 1, 1);
    lc_spec_free(&s);
    parse(&s, SPEC, NULL);
    assert_int_equal(run(&s, path("c0.h5"), 2, NULL, 1, r), LC_OK);
    static const lc_codec codecs[] = {LC_CODEC_DEFLATE, LC_CODEC_SHUFFLE_DEFLATE, LC_CODEC_LZ4,
                                      LC_CODEC_BLOSC};
    for (int k = 0; k < 4; k++) {
        if (!lc_h5_codec_available(codecs[k]))
            continue;
        s.codec = codecs[k];
        s.codec_level = 1 + k;
        assert_int_equal(run(&s, path("c1.h5"), 2, NULL, 1, r), LC_OK);
        same_data(&s, path("c0.h5"), path("c1.h5"));
        assert_true(r->stored_bytes_file < r->stored_bytes_raw || codecs[k] >= LC_CODEC_LZ4);
    }
    lc_spec_free(&s);
    free(r);
}

static void test_edges_and_scalar(void **state)
{
    (void)state;
    static const char *text =
        "[sweep]\nchunk_kib = 1\n[axes]\nparams = log 1e9 1e12 7\nusers = lin 1 1e6 65\n"
        "tokens_per_user = log 1e4 1e7 63\nsubscription = 20\nutil = lin 0.2 0.9 9\n"
        "[inputs]\ngpu = H100\n[outputs]\n"
        "store = sub_profit, breakeven_users, avg_price_per_1k, pretrain_cost\n"
        "reduce = sub_profit, avg_price_per_1k\ncount = sub_profit > 0\n";
    lc_spec s;
    lc_sweep_result *r = calloc(1, sizeof *r);
    lc_diag d = {0};
    if (lc_spec_parse_text(&s, text, strlen(text), "edges.ini", &cat, &d) != LC_OK)
        fail_msg("%s", d.msg);
    assert_int_equal(run(&s, path("e1.h5"), 2, NULL, 1, r), LC_OK);
    check_values(&s, path("e1.h5"), 0, 0);
    /* avg_price_per_1k depends on no axis: a scalar dataset */
    hid_t f = H5Fopen(path("e1.h5"), H5F_ACC_RDONLY, H5P_DEFAULT);
    int rank;
    hsize_t dims[LC_MAX_AXES];
    size_t n;
    double *v = read_ds(f, "avg_price_per_1k", &rank, dims, &n);
    assert_int_equal(rank, 0);
    assert_true(n == 1);
    free(v);
    H5Fclose(f);
    /* a reduction of a constant over the full grid */
    assert_true(r->red[1].min == r->red[1].max && r->red[1].count_finite == r->grid_points);
    assert_int_equal(run(&s, path("e2.h5"), 1, "scalar", 1, r), LC_OK);
    same_data(&s, path("e1.h5"), path("e2.h5"));
    lc_spec_free(&s);
    free(r);
}

static void test_refuse_and_cancel(void **state)
{
    (void)state;
    lc_spec s;
    lc_sweep_result *r = calloc(1, sizeof *r);
    lc_sweep_opts o;
    lc_diag d = {0};
    parse(&s, SPEC, NULL);
    assert_int_equal(run(&s, path("x.h5"), 1, NULL, 1, r), LC_OK);
    assert_int_equal(run(&s, path("x.h5"), 1, NULL, 0, r), LC_EEXIST);
    /* a cancelled run: .partial left, no final file */
    volatile sig_atomic_t stop = 1;
    lc_sweep_opts_init(&o);
    o.output = path("y.h5");
    o.cancel = &stop;
    o.threads = 1;
    assert_int_equal(lc_sweep_run(&s, &o, r, &d), LC_EINTR);
    assert_int_equal(access(path("y.h5"), F_OK), -1);
    assert_int_equal(access(path("y.h5.partial"), F_OK), 0);
    /* the .partial blocks a new run without force */
    stop = 0;
    assert_int_equal(lc_sweep_run(&s, &o, r, &d), LC_EEXIST);
    assert_non_null(strstr(d.msg, "partial") ? d.msg : d.file);
    o.force = 1;
    assert_int_equal(lc_sweep_run(&s, &o, r, &d), LC_OK);
    assert_int_equal(access(path("y.h5"), F_OK), 0);
    assert_int_equal(access(path("y.h5.partial"), F_OK), -1);
    lc_spec_free(&s);
    free(r);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/test_sweep.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    return lc_catalog_load(&cat, NULL, NULL) == LC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    lc_catalog_free(&cat);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    /* as in src/cli/main.c: HDF5's atexit shutdown would dlclose the blosc /
     * lz4 filter plugins, leaving their global contexts as leaks for LSan
     * in `make check SAN=1` (the plugins', not ours) */
    H5dont_atexit();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_threads_isas),
        cmocka_unit_test(test_reductions_brute_force),
        cmocka_unit_test(test_broadcast_float32_codecs),
        cmocka_unit_test(test_edges_and_scalar),
        cmocka_unit_test(test_refuse_and_cancel),
    };
    return cmocka_run_group_tests_name("sweep", tests, setup, teardown);
}
