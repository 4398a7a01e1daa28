/*
 * test_spec.c - the sweep spec parser (src/spec/spec_parse.c): good specs give
 * the axes, fixed values, rules and output masks the INI text says; bad
 * specs fail with the right status, the line a person must fix and a phrase
 * saying what was expected; every shipped spec in sweeps/ parses.
 *
 * Expected values are written out from the spec text and the catalogue
 * (sweeps/catalog.ini: A100 312e12 FLOP/s, 2.2659 USD/h; H100 989e12, 2.99),
 * not taken from the parser.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "spec/spec.h"

static lc_catalog cat;

static int setup_catalog(void **state)
{
    (void)state;
    lc_diag d;
    return lc_catalog_load(&cat, NULL, &d) == LC_OK ? 0 : -1;
}

static int teardown_catalog(void **state)
{
    (void)state;
    lc_catalog_free(&cat);
    return 0;
}

static lc_status parse(lc_spec *s, const char *text, lc_diag *d)
{
    memset(d, 0, sizeof *d);
    return lc_spec_parse_text(s, text, strlen(text), "sweeps/t.ini", &cat, d);
}

static void parse_ok(lc_spec *s, const char *text)
{
    lc_diag d;
    lc_status st = parse(s, text, &d);
    if (st != LC_OK)
        print_error("unexpected error: %s:%d: %s\n", d.file, d.line, d.msg);
    assert_int_equal(st, LC_OK);
}

/* A bad spec: the status, the line, a phrase of the message; exit code 2;
 * and the spec left freed. */
static void expect_error(const char *text, lc_status want, int line, const char *phrase)
{
    lc_spec s;
    lc_diag d;
    lc_status st = parse(&s, text, &d);
    if (st != want || d.line != line || !strstr(d.msg, phrase))
        print_error("got %d %s:%d: %s\n", st, d.file, d.line, d.msg);
    assert_int_equal(st, want);
    assert_int_equal(d.line, line);
    assert_string_equal(d.file, "sweeps/t.ini");
    assert_non_null(strstr(d.msg, phrase));
    assert_int_equal(lc_exit_code(st), 2);
    assert_int_equal(s.n_axes, 0);
    assert_null(s.text);
    assert_null(s.extra);
    lc_spec_free(&s);
}

static void assert_rel(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        print_error("got %.17g want %.17g\n", got, want);
    assert_true(fabs(got - want) <= tol * fabs(want));
}

/* ---- good specs --------------------------------------------------------- */

static void list_axis_with_si_suffixes_gives_values_and_line(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "; model sizes\n"
                 "params = 7B, 70B, 175B, 1.8T\n"
                 "users = 2k, 40%, 3M\n");
    assert_int_equal(s.n_axes, 2);
    assert_string_equal(s.axes[0].name, "params");
    assert_int_equal(s.axes[0].input, LC_IN_PARAMS);
    assert_int_equal(s.axes[0].line, 3);
    assert_int_equal(s.axes[0].n, 4);
    assert_true(s.axes[0].values[0] == 7e9);
    assert_true(s.axes[0].values[1] == 70e9);
    assert_true(s.axes[0].values[2] == 175e9);
    assert_rel(s.axes[0].values[3], 1.8e12, 1e-15);
    assert_null(s.axes[0].labels);
    assert_true(s.axes[1].values[0] == 2000.0);
    assert_rel(s.axes[1].values[1], 0.4, 1e-15);
    assert_true(s.axes[1].values[2] == 3e6);
    assert_int_equal(s.axis_of_input[LC_IN_PARAMS], 0);
    assert_int_equal(s.axis_of_input[LC_IN_USERS], 1);
    assert_int_equal(s.axis_of_input[LC_IN_TOKENS], -1);
    uint64_t p = 0;
    assert_int_equal(lc_spec_points(&s, &p, NULL), LC_OK);
    assert_true(p == 12);
    lc_spec_free(&s);
}

static void log_and_lin_ranges_have_exact_ends(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "tokens = log 1e11 2e13 64\n"
                 "util   = lin 0.3 0.6 4\n"
                 "price_hour = lin 3 1 3\n");
    const lc_axis *t = &s.axes[0], *u = &s.axes[1], *ph = &s.axes[2];
    assert_int_equal(t->n, 64);
    assert_true(t->values[0] == 1e11);
    assert_true(t->values[63] == 2e13);
    for (size_t i = 1; i < t->n; i++)
        assert_true(t->values[i] > t->values[i - 1]);
    /* value i = 10^(11 + i * log10(200) / 63) */
    assert_rel(t->values[1], pow(10.0, 11.0 + log10(200.0) / 63.0), 1e-14);
    assert_rel(t->values[32], pow(10.0, 11.0 + 32.0 * log10(200.0) / 63.0), 1e-14);
    assert_int_equal(u->n, 4);
    assert_true(u->values[0] == 0.3);
    assert_rel(u->values[1], 0.4, 1e-15);
    assert_rel(u->values[2], 0.5, 1e-15);
    assert_true(u->values[3] == 0.6);
    /* a descending range is allowed */
    assert_true(ph->values[0] == 3.0 && ph->values[1] == 2.0 && ph->values[2] == 1.0);
    lc_spec_free(&s);
}

static void continuation_line_extends_an_axis_list(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "params = 7B, 70B,\n"
                 "    175B, 1T\n"
                 "users = 1M\n");
    assert_int_equal(s.axes[0].n, 4);
    assert_true(s.axes[0].values[3] == 1e12);
    assert_int_equal(s.axes[1].line, 4);
    lc_spec_free(&s);
}

static void gpu_axis_resolves_catalogue_and_explicit_input_wins(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "params = 70B, 175B\n"
                 "gpu = A100, h100\n"
                 "[inputs]\n"
                 "price_hour = 1.5\n");
    const lc_axis *g = &s.axes[1];
    assert_string_equal(g->name, "gpu");
    assert_int_equal(g->input, -1);
    assert_int_equal(g->n, 2);
    assert_string_equal(g->labels[0], "A100");
    assert_string_equal(g->labels[1], "H100"); /* the catalogue's spelling */
    assert_true(g->values[0] == 0.0 && g->values[1] == 1.0);
    assert_true(g->gpu[0].v[0] == 312e12); /* lc_gpu_inputs: flops, hbm_bw, power_w, price_hour */
    assert_true(g->gpu[1].v[0] == 989e12);
    assert_true(g->gpu[1].v[3] == 2.99);
    assert_true(g->gpu[1].v[1] == 3.35e12);
    assert_true(g->gpu[1].v[2] == 700);
    assert_int_equal(s.axis_of_input[LC_IN_FLOPS], 1);
    assert_int_equal(s.axis_of_input[LC_IN_HBM_BW], 1);
    assert_int_equal(s.axis_of_input[LC_IN_POWER_W], 1);
    assert_int_equal(s.axis_of_input[LC_IN_PRICE_HOUR], -1);
    assert_true(s.fixed[LC_IN_PRICE_HOUR] == 1.5);
    /* pretraining cost: params (bit 0) and flops via the gpu axis (bit 1) */
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_PRETRAIN_COST), 0x3);
    /* average API price depends on no axis */
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_AVG_PRICE_1K), 0);
    /* energy: power_w via the gpu axis */
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_ENERGY_MWH), 0x3);
    lc_spec_free(&s);
}

static void flops_axis_overrides_the_gpu_axis(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "gpu = A100, H100\n"
                 "flops = 100T, 200T\n");
    assert_int_equal(s.axis_of_input[LC_IN_FLOPS], 1);
    assert_int_equal(s.axis_of_input[LC_IN_PRICE_HOUR], 0);
    /* pretrain_flop: params, tokens only */
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_PRETRAIN_FLOP), 0);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_PRETRAIN_GPU_HOURS), 0x2);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_PRETRAIN_COST), 0x3);
    lc_spec_free(&s);
}

static void fixed_gpu_sets_four_inputs_unless_given(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[inputs]\n"
                 "flops = 500T\n"
                 "gpu = H100\n");
    assert_string_equal(s.fixed_gpu, "H100");
    assert_true(s.fixed[LC_IN_FLOPS] == 500e12);
    assert_true(s.fixed[LC_IN_PRICE_HOUR] == 2.99);
    assert_true(s.fixed[LC_IN_HBM_BW] == 3.35e12);
    assert_true(s.fixed[LC_IN_POWER_W] == 700.0);
    for (int i = 0; i < LC_IN_COUNT; i++)
        assert_int_equal(s.axis_of_input[i], -1);
    lc_spec_free(&s);
}

static void chinchilla_tokens_follow_the_params_axis(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "users = 1M, 10M\n"
                 "params = 7B, 70B\n"
                 "tokens = chinchilla\n");
    assert_int_equal(s.n_axes, 2);
    assert_int_equal(s.tokens_chinchilla, 1);
    assert_int_equal(s.axis_of_input[LC_IN_TOKENS], -1);
    /* pretrain_flop = 6 N D: only params (bit 1) */
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_PRETRAIN_FLOP), 0x2);
    /* sub_cost: users (bit 0) and params (bit 1) */
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_SUB_COST), 0x3);
    lc_spec_free(&s);

    parse_ok(&s, "[inputs]\nparams = 70B\ntokens = chinchilla\n");
    assert_int_equal(s.tokens_chinchilla, 1);
    assert_true(s.fixed[LC_IN_TOKENS] == 1.4e12);
    lc_spec_free(&s);
}

static void util_infer_follows_the_util_axis_unless_given(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "params = 7B, 70B\n"
                 "util = 0.4, 0.5\n"
                 "batch = 1, 8, 64\n");
    assert_int_equal(s.util_infer_follows_util, 1);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_INFER_COST_1K), 0x3);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_INFER_COST_1K_BW), 0x7);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_SUB_REVENUE), 0);
    lc_spec_free(&s);

    parse_ok(&s, "[axes]\n"
                 "params = 7B, 70B\n"
                 "util = 0.4, 0.5\n"
                 "[inputs]\n"
                 "util_infer = 60%\n");
    assert_int_equal(s.util_infer_follows_util, 0);
    assert_true(s.fixed[LC_IN_UTIL_INFER] == 0.6);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_INFER_COST_1K), 0x1);
    assert_int_equal(lc_spec_output_axes(&s, LC_OUT_PRETRAIN_COST), 0x3);
    lc_spec_free(&s);

    /* util fixed: util_infer takes its value */
    parse_ok(&s, "[inputs]\nutil = 0.45\n");
    assert_int_equal(s.util_infer_follows_util, 1);
    assert_true(s.fixed[LC_IN_UTIL_INFER] == 0.45);
    lc_spec_free(&s);
}

static void outputs_and_conditions_are_parsed_in_order(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\n"
                 "users = 1M, 10M\n"
                 "[outputs]\n"
                 "store = sub_profit, pretrain_cost\n"
                 "reduce = breakeven_users\n"
                 "count = sub_profit > 0, breakeven_users <= 5M, train_days>=90,"
                 " pretrain_cost < 1e8\n");
    assert_int_equal(s.n_store, 2);
    assert_int_equal(s.store[0], LC_OUT_SUB_PROFIT);
    assert_int_equal(s.store[1], LC_OUT_PRETRAIN_COST);
    assert_int_equal(s.n_reduce, 1);
    assert_int_equal(s.reduce[0], LC_OUT_BREAKEVEN_USERS);
    assert_int_equal(s.n_conds, 4);
    assert_int_equal(s.conds[0].output, LC_OUT_SUB_PROFIT);
    assert_int_equal(s.conds[0].op, LC_CMP_GT);
    assert_true(s.conds[0].value == 0.0);
    assert_string_equal(s.conds[0].text, "sub_profit > 0");
    assert_int_equal(s.conds[1].op, LC_CMP_LE);
    assert_true(s.conds[1].value == 5e6);
    assert_int_equal(s.conds[2].output, LC_OUT_TRAIN_DAYS);
    assert_int_equal(s.conds[2].op, LC_CMP_GE);
    assert_true(s.conds[2].value == 90.0);
    assert_int_equal(s.conds[3].op, LC_CMP_LT);
    lc_spec_free(&s);
}

static void defaults_when_sections_are_absent(void **state)
{
    (void)state;
    lc_spec s;
    const char *text = "[axes]\nparams = 7B\n";
    parse_ok(&s, text);
    assert_string_equal(s.output, "t.h5");
    assert_string_equal(s.name, "t");
    assert_true(s.chunk_bytes == 1024 * 1024);
    assert_int_equal(s.codec, LC_CODEC_NONE);
    assert_int_equal(s.layout, LC_LAYOUT_COMPACT);
    assert_int_equal(s.float32, 0);
    assert_int_equal(s.threads, 0);
    assert_int_equal(s.n_store, 3);
    assert_int_equal(s.store[0], LC_OUT_PRETRAIN_COST);
    assert_int_equal(s.store[1], LC_OUT_INFER_COST_1K);
    assert_int_equal(s.store[2], LC_OUT_MONTHLY_COST);
    assert_int_equal(s.n_reduce, 0);
    assert_non_null(s.text);
    assert_int_equal(s.text_len, strlen(text));
    assert_string_equal(s.text, text);
    /* inputs not given keep the model's defaults (the article's A100) */
    assert_true(s.fixed[LC_IN_FLOPS] == 312e12);
    assert_true(s.fixed[LC_IN_DISCOUNT] == 1.0);
    lc_spec_free(&s);

    /* text without a file name: "sweep.h5" */
    lc_diag d;
    assert_int_equal(lc_spec_parse_text(&s, text, strlen(text), NULL, &cat, &d), LC_OK);
    assert_string_equal(s.output, "sweep.h5");
    assert_string_equal(s.path, "");
    lc_spec_free(&s);

    /* reduce alone: nothing stored */
    parse_ok(&s, "[axes]\nparams = 7B\n[outputs]\nreduce = pretrain_cost\n");
    assert_int_equal(s.n_store, 0);
    assert_int_equal(s.n_reduce, 1);
    lc_spec_free(&s);
}

static void sweep_section_sets_how_to_write(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[sweep]\n"
                 "name = frontier pretraining  ; a comment\n"
                 "output = out/f.h5\n"
                 "chunk_kib = 256\n"
                 "compression = shuffle+deflate:4\n"
                 "threads = 2\n"
                 "layout = broadcast\n"
                 "dtype = float32\n"
                 "[axes]\nparams = 7B\n");
    assert_string_equal(s.name, "frontier pretraining");
    assert_string_equal(s.output, "out/f.h5");
    assert_true(s.chunk_bytes == 256 * 1024);
    assert_int_equal(s.codec, LC_CODEC_SHUFFLE_DEFLATE);
    assert_int_equal(s.codec_level, 4);
    assert_int_equal(s.threads, 2);
    assert_int_equal(s.layout, LC_LAYOUT_BROADCAST);
    assert_int_equal(s.float32, 1);
    lc_spec_free(&s);

    parse_ok(&s, "[sweep]\ncompression = lz4\n[axes]\nparams = 7B\n");
    assert_int_equal(s.codec, LC_CODEC_LZ4);
    lc_spec_free(&s);
    parse_ok(&s, "[sweep]\ncompression = deflate:9\n[axes]\nparams = 7B\n");
    assert_int_equal(s.codec, LC_CODEC_DEFLATE);
    assert_int_equal(s.codec_level, 9);
    lc_spec_free(&s);
}

static void extra_sections_are_kept_verbatim(void **state)
{
    (void)state;
    lc_spec s;
    parse_ok(&s, "[axes]\nparams = 7B\n"
                 "[distribution.util]\n"
                 "kind = triangular\n"
                 "args = 0.3, 0.45, 0.6\n"
                 "[sensitivity]\n"
                 "samples = 4096\n");
    assert_int_equal(s.n_extra, 3);
    assert_string_equal(s.extra[0].section, "distribution.util");
    assert_string_equal(s.extra[0].key, "kind");
    assert_string_equal(s.extra[0].value, "triangular");
    assert_int_equal(s.extra[0].line, 4);
    assert_string_equal(s.extra[1].value, "0.3, 0.45, 0.6");
    assert_string_equal(s.extra[2].section, "sensitivity");
    assert_string_equal(s.extra[2].value, "4096");
    assert_int_equal(s.extra[2].line, 7);
    lc_spec_free(&s);
}

/* A [distribution.X] or [sensitivity] list runs over continuation lines to
 * any length, as in [axes] and [outputs] (it was cut at 199 characters). */
static void extra_section_lists_run_over_continuation_lines(void **state)
{
    (void)state;
    char text[4096] = "[axes]\nparams = 7B\n[distribution.arch]\ntype = choice\nvalues = a0";
    char want[2048] = "a0";
    for (int i = 1; i < 40; i++) {
        char item[32];
        snprintf(item, sizeof item, ",\n  arch-name-%02d", i);
        strcat(text, item);
        snprintf(item, sizeof item, ", arch-name-%02d", i);
        strcat(want, item);
    }
    strcat(text, "\n");
    lc_spec s;
    parse_ok(&s, text);
    assert_int_equal(s.n_extra, 2);
    assert_int_equal((int)strlen(s.extra[1].value), (int)strlen(want));
    assert_true(strlen(want) > 500);
    assert_string_equal(s.extra[1].value, want);
    assert_int_equal(s.extra[1].line, 5);
    lc_spec_free(&s);
}

static void parse_file_keeps_path_and_text(void **state)
{
    (void)state;
    char path[] = "/tmp/test_spec_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "[axes]\nparams = 7B, 70B\n";
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    lc_spec s;
    lc_diag d;
    assert_int_equal(lc_spec_parse_file(&s, path, &cat, &d), LC_OK);
    assert_string_equal(s.path, path);
    assert_string_equal(s.text, text);
    assert_int_equal(s.axes[0].n, 2);
    lc_spec_free(&s);
    remove(path);
    assert_int_equal(lc_spec_parse_file(&s, path, &cat, &d), LC_EINVAL);
    assert_int_equal(lc_exit_code(LC_EINVAL), 2);
}

static void point_count_overflow_is_erange(void **state)
{
    (void)state;
    /* by the parser: 4 axes of 1e6 = 1e24 > 2^64, named at the 4th axis */
    expect_error("[axes]\n"
                 "params = log 1e9 1e12 1000000\n"
                 "tokens = log 1e9 1e12 1000000\n"
                 "users = lin 1 1e6 1000000\n"
                 "subscription = lin 1 100 1000000\n",
                 LC_ERANGE, 5, "2^64");
    /* lc_spec_points on a spec built in memory */
    lc_spec s;
    lc_spec_init(&s);
    s.n_axes = 3;
    s.axes[0].n = (size_t)1 << 32;
    s.axes[1].n = (size_t)1 << 31;
    s.axes[2].n = 1;
    uint64_t p = 0;
    lc_diag d;
    assert_int_equal(lc_spec_points(&s, &p, &d), LC_OK);
    assert_true(p == (uint64_t)1 << 63);
    s.axes[2].n = 2;
    assert_int_equal(lc_spec_points(&s, &p, &d), LC_ERANGE);
    s.axes[2].n = 3;
    assert_int_equal(lc_spec_points(&s, &p, &d), LC_ERANGE);
    /* exactly 2^64 - 1 fits: 3 * 5 * 17 * 257 * 641 * 65537 * 6700417 */
    static const size_t f[] = {3, 5, 17, 257, 641, 65537, 6700417};
    s.n_axes = 7;
    for (int i = 0; i < 7; i++)
        s.axes[i].n = f[i];
    assert_int_equal(lc_spec_points(&s, &p, &d), LC_OK);
    assert_true(p == UINT64_MAX);
}

/* ---- bad specs: status, line, phrase ------------------------------------- */

static void bad_names_are_reported_with_a_suggestion(void **state)
{
    (void)state;
    expect_error("[axes]\nparams = 7B\n\nparms = 1\n", LC_ENOTFOUND, 4,
                 "unknown input 'parms' (did you mean 'params'?)");
    expect_error("[inputs]\ndiscont = 0.5\n", LC_ENOTFOUND, 2, "did you mean 'discount'");
    expect_error("[sweep]\nname = x\n[axis]\nparams = 7B\n", LC_EINVAL, 3,
                 "unknown section [axis] (did you mean 'axes'?)");
    expect_error("[sweeps]\n", LC_EINVAL, 1, "unknown section");
    expect_error("[sweep]\ncompresion = none\n", LC_EINVAL, 2,
                 "did you mean 'compression'");
    expect_error("[outputs]\nstore = pretrain_cots\n", LC_ENOTFOUND, 2,
                 "unknown output 'pretrain_cots' (did you mean 'pretrain_cost'?)");
    expect_error("[outputs]\nstore = sub_profit\nreduce = sub_proft\n", LC_ENOTFOUND, 3,
                 "did you mean 'sub_profit'");
    expect_error("[outputs]\ncount = breakeven_user < 5M\n", LC_ENOTFOUND, 2,
                 "did you mean 'breakeven_users'");
    expect_error("[outputs]\nstroe = sub_profit\n", LC_EINVAL, 2, "did you mean 'store'");
    expect_error("[axes]\ngpu = A100, A10O\n", LC_ENOTFOUND, 2,
                 "unknown GPU 'A10O'");
    expect_error("[axes]\ngpu = A100, H10\n", LC_ENOTFOUND, 2, "did you mean 'H100'");
    expect_error("[inputs]\ngpu = B300x\n", LC_ENOTFOUND, 2, "unknown GPU");
    expect_error("[axes]\npretrain_cost = 1, 2\n", LC_ENOTFOUND, 2, "is an output");
}

static void duplicates_and_conflicts_name_the_later_line(void **state)
{
    (void)state;
    expect_error("[sweep]\nthreads = 1\nname = x\nthreads = 2\n", LC_EINVAL, 4,
                 "duplicate key 'threads'");
    expect_error("[axes]\nparams = 7B\nusers = 1\nparams = 70B\n", LC_EINVAL, 4,
                 "duplicate axis 'params' in [axes] (first given on line 2)");
    expect_error("[axes]\nutil = 0.3, 0.5\n[inputs]\nutil = 0.4\n", LC_EINVAL, 4,
                 "both as an axis (line 2) and as a fixed value (line 4)");
    expect_error("[inputs]\nusers = 5\n[axes]\nparams = 1B\nusers = 1, 2\n", LC_EINVAL, 5,
                 "both as an axis");
    expect_error("[axes]\ngpu = A100\n[inputs]\ngpu = H100\n", LC_EINVAL, 4,
                 "'gpu' is given both");
    expect_error("[axes]\ntokens = 1T, 2T\n[inputs]\ntokens = chinchilla\n", LC_EINVAL, 4,
                 "chinchilla");
    expect_error("[axes]\ngpu = A100, a100\n", LC_EINVAL, 2, "listed twice");
    expect_error("[outputs]\nstore = sub_profit, sub_profit\n", LC_EINVAL, 2, "listed twice");
}

static void bad_axes_are_reported(void **state)
{
    (void)state;
    expect_error("[axes]\nparams =\n", LC_ESYNTAX, 2, "no points");
    expect_error("[axes]\nparams = 7B,,70B\n", LC_ESYNTAX, 2, "empty item");
    expect_error("[axes]\ntokens = log 1e11 2e13 0\n", LC_ERANGE, 2, "COUNT");
    expect_error("[axes]\ntokens = log 1e11 2e13 2e9\n", LC_ERANGE, 2, "COUNT");
    /* 1e9 points (8 GB of axis values) was once allowed: now over the 1e8 limit */
    expect_error("[axes]\ntokens = log 1e11 2e13 1e9\n", LC_ERANGE, 2, "from 1 to 100000000");
    expect_error("[axes]\ntokens = log 1e11 2e13 100000001\n", LC_ERANGE, 2, "1e8 points");
    expect_error("[axes]\ntokens = log 1e11 2e13 2.5\n", LC_ERANGE, 2, "whole number");
    expect_error("[axes]\ntokens = log 0 2e13 4\n", LC_ERANGE, 2, "log range needs");
    expect_error("[axes]\nusers = log 10 -1 4\n", LC_ERANGE, 2, "log range needs");
    expect_error("[axes]\ntokens = log 1e11 2e13\n", LC_ESYNTAX, 2,
                 "expected 'log START STOP COUNT'");
    expect_error("[axes]\nutil = lin 0.5 0.9 1\n", LC_ERANGE, 2, "START = STOP");
    expect_error("[axes]\nutil = 0.5, 1.5\n", LC_ERANGE, 2, "util: 1.5 is out of range");
    expect_error("[axes]\nutil = lin 0 1 5\n", LC_ERANGE, 2, "util: 0 is out of range");
    expect_error("[axes]\nparams = 7B, 7X\n", LC_ESYNTAX, 2, "'7X' is not a number");
    expect_error("[axes]\nusers = chinchilla\n", LC_EINVAL, 2, "tokens only");
}

static void bad_values_and_settings_are_reported(void **state)
{
    (void)state;
    expect_error("[inputs]\n\npue = 0.5\n", LC_ERANGE, 3, "pue: 0.5 is out of range");
    expect_error("[inputs]\ndiscount = half\n", LC_ESYNTAX, 2, "not a number");
    expect_error("[outputs]\ncount = sub_profit = 0\n", LC_ESYNTAX, 2,
                 "expected OUTPUT <|<=|>|>= NUMBER");
    expect_error("[outputs]\ncount = sub_profit > \n", LC_ESYNTAX, 2, "expected OUTPUT");
    expect_error("[outputs]\ncount = > 5\n", LC_ESYNTAX, 2, "expected OUTPUT");
    expect_error("[outputs]\ncount = sub_profit >> 5\n", LC_ESYNTAX, 2, "expected OUTPUT");
    expect_error("[sweep]\nchunk_kib = 0\n", LC_ERANGE, 2, "chunk_kib");
    expect_error("[sweep]\nchunk_kib = 1e9\n", LC_ERANGE, 2, "chunk_kib");
    expect_error("[sweep]\nthreads = -1\n", LC_ERANGE, 2, "threads");
    expect_error("[sweep]\ncompression = zstd\n", LC_EINVAL, 2, "unknown compression 'zstd'");
    expect_error("[sweep]\ncompression = deflate:12\n", LC_EINVAL, 2, "N = 1..9");
    expect_error("[sweep]\nlayout = dense\n", LC_EINVAL, 2, "compact or broadcast");
    expect_error("[sweep]\ndtype = float16\n", LC_EINVAL, 2, "float64 or float32");
    expect_error("[outputs]\nstore = none\n", LC_EINVAL, 2, "nothing to compute");
    expect_error("params = 7B\n", LC_ESYNTAX, 1, "outside a section");
}

static void file_level_problems_are_reported(void **state)
{
    (void)state;
    char longline[400];
    snprintf(longline, sizeof longline, "[axes]\nparams = 7B\nusers = 1");
    size_t n = strlen(longline);
    while (n < 250)
        longline[n++] = '0';
    memcpy(longline + n, "\n", 2);
    expect_error(longline, LC_ESYNTAX, 3, "characters long");
    expect_error("  \n\n", LC_ESYNTAX, 0, "empty");
    expect_error("[axes]\nparams = 7B\n\xff\xfe = 1\n", LC_ESYNTAX, 3, "UTF-8");
    expect_error("[axes]\nparams 7B\n", LC_ESYNTAX, 2, "expected");
}

/* every shipped spec parses (catalog.ini is the catalogue, not a spec) */
static void shipped_specs_parse(void **state)
{
    (void)state;
    DIR *dir = opendir("sweeps");
    assert_non_null(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".ini") != 0 ||
            strcmp(de->d_name, "catalog.ini") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "sweeps/%s", de->d_name);
        lc_spec s;
        lc_diag d;
        lc_status st = lc_spec_parse_file(&s, path, &cat, &d);
        if (st != LC_OK)
            print_error("%s:%d: %s\n", d.file, d.line, d.msg);
        assert_int_equal(st, LC_OK);
        uint64_t p;
        assert_int_equal(lc_spec_points(&s, &p, &d), LC_OK);
        assert_true(p >= 1);
        assert_true(s.n_store + s.n_reduce + s.n_conds > 0);
        lc_spec_free(&s);
        n++;
    }
    closedir(dir);
    print_message("parsed %d shipped specs\n", n);
    assert_true(n >= 7); /* article, default, frontier, huge, inference, routing, subscription */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_axis_with_si_suffixes_gives_values_and_line),
        cmocka_unit_test(log_and_lin_ranges_have_exact_ends),
        cmocka_unit_test(continuation_line_extends_an_axis_list),
        cmocka_unit_test(extra_section_lists_run_over_continuation_lines),
        cmocka_unit_test(gpu_axis_resolves_catalogue_and_explicit_input_wins),
        cmocka_unit_test(flops_axis_overrides_the_gpu_axis),
        cmocka_unit_test(fixed_gpu_sets_four_inputs_unless_given),
        cmocka_unit_test(chinchilla_tokens_follow_the_params_axis),
        cmocka_unit_test(util_infer_follows_the_util_axis_unless_given),
        cmocka_unit_test(outputs_and_conditions_are_parsed_in_order),
        cmocka_unit_test(defaults_when_sections_are_absent),
        cmocka_unit_test(sweep_section_sets_how_to_write),
        cmocka_unit_test(extra_sections_are_kept_verbatim),
        cmocka_unit_test(parse_file_keeps_path_and_text),
        cmocka_unit_test(point_count_overflow_is_erange),
        cmocka_unit_test(bad_names_are_reported_with_a_suggestion),
        cmocka_unit_test(duplicates_and_conflicts_name_the_later_line),
        cmocka_unit_test(bad_axes_are_reported),
        cmocka_unit_test(bad_values_and_settings_are_reported),
        cmocka_unit_test(file_level_problems_are_reported),
        cmocka_unit_test(shipped_specs_parse),
    };
    return cmocka_run_group_tests(tests, setup_catalog, teardown_catalog);
}
