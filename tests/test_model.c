/*
 * test_model.c - the cost formulas (model.h) against the worked examples of
 * the source article and against values computed by hand.
 *
 * Every "exact" constant below was computed with exact rational arithmetic
 * (Python fractions) from the inputs written next to it, and copied here; the
 * code must match it within a relative error of 1e-12.  The article's printed
 * roundings (105 万, 6154, 324 万, ...) are reproduced from the article's own
 * rounded inputs (145e6 USD, 24e6 USD/month, 0.007 USD/1K) as it did.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "model/model.h"
#include "util/hash.h"

#define A100_FLOPS 312e12
#define A100_PRICE 2.2659 /* USD per GPU-hour, Azure 3-year reserved */

static void assert_rel(double got, double want, double tol, const char *what)
{
    double err = fabs(got - want) / fabs(want);
    if (!(err <= tol))
        fail_msg("%s: got %.17g, want %.17g (relative error %.3g > %.3g)", what, got, want,
                 err, tol);
}
#define EXACT(got, want) assert_rel((got), (want), 1e-12, #got)

static double pretrain_usd(double n, double d, double discount)
{
    double s = lc_pretrain_gpu_seconds(n, d, A100_FLOPS, 1.0);
    return lc_pretrain_cost(s, A100_PRICE, discount);
}

static double infer_1k(double n)
{
    return lc_infer_cost_per_1k(lc_infer_seconds_per_token(n, A100_FLOPS, 1.0), A100_PRICE);
}

/* Round to `digits` significant digits, the way the article quotes figures. */
static double sig(double x, int digits)
{
    double p = pow(10.0, digits - 1 - (int)floor(log10(fabs(x))));
    return round(x * p) / p;
}

/* ---- seed rows 1-2: one API task ---------------------------------------- */
static void test_row1_task_5000_chars_gpt4_turbo_costs_0_13_usd(void **state)
{
    (void)state;
    double tin = lc_text_tokens(5000, LC_ZH_TOKENS_PER_CHAR);
    double tout = lc_text_tokens(500, LC_ZH_TOKENS_PER_CHAR);
    assert_true(tin == 10000.0 && tout == 1000.0);
    double cost = lc_task_cost(tin, tout, 0.01, 0.03);
    EXACT(cost, 0.13);
    /* the article's "9 毛": 0.13 USD at 7.1 is 0.923 CNY, quoted as 0.9 */
    EXACT(lc_in_currency(cost, 7.1), 0.923);
    assert_true(round(lc_in_currency(cost, 7.1) * 10) / 10 == 0.9);
}

static void test_row2_ten_tasks_a_day_for_a_year(void **state)
{
    (void)state;
    double cost = lc_task_cost(10000, 1000, 0.01, 0.03);
    EXACT(lc_in_currency(lc_task_total(cost, 10, 365), 7.1), 3368.95);
    /* the article multiplies its rounded 0.9 CNY: 3285 CNY */
    EXACT(lc_task_total(0.9, 10, 365), 3285.0);
}

static void test_english_words_use_1_3_tokens_per_word(void **state)
{
    (void)state;
    EXACT(lc_text_tokens(500, LC_EN_TOKENS_PER_WORD), 650.0);
    EXACT(lc_task_cost(lc_text_tokens(500, LC_EN_TOKENS_PER_WORD),
                       lc_text_tokens(100, LC_EN_TOKENS_PER_WORD), 0.01, 0.03),
          0.0104);
}

/* ---- seed rows 3-6: pretraining ----------------------------------------- */
static void test_row3_gpt3_pretraining_cost(void **state)
{
    (void)state;
    EXACT(lc_pretrain_flop(175e9, 500e9), 5.25e23);
    EXACT(pretrain_usd(175e9, 500e9, 1.0), 1059114.5833333333333);
    EXACT(pretrain_usd(175e9, 500e9, 0.5), 529557.29166666666667);
    /* "约 105 万美元" (the article truncates), then x 0.5 x 7.1 -> 372.75 万元 */
    assert_true(floor(pretrain_usd(175e9, 500e9, 1.0) / 1e4) == 105.0);
    EXACT(lc_in_currency(105e4 * 0.5, 7.1), 3727500.0);
}

static void test_row4_gpt4_pretraining_cost(void **state)
{
    (void)state;
    EXACT(pretrain_usd(1800e9, 13e12, 1.0), 283237500.0);
    EXACT(pretrain_usd(1800e9, 13e12, 0.5), 141618750.0);
    /* "人民币 10 亿元": 141,618,750 USD x 7.1 rounds to 10 x 1e8 CNY */
    assert_true(round(lc_in_currency(pretrain_usd(1800e9, 13e12, 0.5), 7.1) / 1e8) == 10.0);
}

static void test_row5_gpt4_over_gpt3_ratio(void **state)
{
    (void)state;
    EXACT(pretrain_usd(1800e9, 13e12, 0.5) / pretrain_usd(175e9, 500e9, 0.5),
          267.42857142857142857);
    /* "280 倍": the article's rounded 1.45 亿 over its 105 万 x 0.5, two digits */
    assert_true(sig(145e6 / (105e4 * 0.5), 2) == 280.0);
}

static void test_row6_gpt4_turbo_pretraining_cost(void **state)
{
    (void)state;
    EXACT(lc_pretrain_gpu_seconds(1776e9, 13e12, A100_FLOPS, 1.0), 4.44e11);
    EXACT(pretrain_usd(1776e9, 13e12, 0.5), 139730500.0);
}

/* ---- seed rows 7-11: inference and selling tokens ----------------------- */
static void test_row7_gpt4_turbo_inference_per_1k(void **state)
{
    (void)state;
    EXACT(infer_1k(1776e9), 0.0071656666666666666667);
    /* the article prints 0.0071656 (it truncates) */
    assert_true(floor(infer_1k(1776e9) * 1e7) / 1e7 == 0.0071656);
}

static void test_row8_fixed_monthly_cost(void **state)
{
    (void)state;
    EXACT(lc_fixed_monthly_cost(145e6, 6), 24166666.666666666667);
    assert_true(sig(lc_fixed_monthly_cost(145e6, 6), 2) == 24e6); /* "2.4 千万" */
}

static void test_row9_breakeven_tokens(void **state)
{
    (void)state;
    double avg = lc_avg_price_per_1k(0.01, 0.03, 1.0);
    EXACT(avg, 0.02);
    double fixed = lc_fixed_monthly_cost(145e6, 6);
    EXACT(lc_breakeven_tokens(fixed, avg, infer_1k(1776e9)), 1882970158169.4932862);
    EXACT(lc_breakeven_tokens(fixed, avg, 0.007), 1858974358974.3589744);
    EXACT(lc_breakeven_tokens(24e6, avg, 0.007), 1846153846153.8461538);
    /* "1.85 万亿 token" from 24e6 and 0.007 */
    assert_true(sig(lc_breakeven_tokens(24e6, avg, 0.007), 3) == 1.85e12);
    double x;
    assert_int_equal(lc_model_breakeven_tokens(24e6, avg, 0.007, &x), LC_OK);
    EXACT(x, 1846153846153.8461538);
}

static void test_row10_tokens_per_user_per_day(void **state)
{
    (void)state;
    EXACT(1.85e12 / 1e7 / 30, 6166.6666666666666667);
    double be = lc_breakeven_tokens(24e6, 0.02, 0.007);
    EXACT(be / 1e7 / 30, 6153.8461538461538462);
    assert_true(round(be / 1e7 / 30) == 6154.0); /* the article's 6154 */
}

static void test_row11_inference_share_of_price(void **state)
{
    (void)state;
    EXACT(infer_1k(1776e9) / 0.02, 0.35828333333333333333);
    assert_true(round(infer_1k(1776e9) / 0.02 * 100) == 36.0); /* "36 %" */
}

/* ---- seed rows 12-13: subscribers --------------------------------------- */
static void test_row12_breakeven_subscribers_1_8m_tokens(void **state)
{
    (void)state;
    double tpu = 30 * 120 * 500;
    assert_true(tpu == 1.8e6);
    EXACT(lc_breakeven_users(24e6, 20, tpu, 0.007), 3243243.2432432432432);
    EXACT(lc_breakeven_users(lc_fixed_monthly_cost(145e6, 6), 20, tpu, 0.007),
          3265765.7657657657658);
    EXACT(lc_breakeven_users(lc_fixed_monthly_cost(145e6, 6), 20, tpu, infer_1k(1776e9)),
          3402893.1632356116290);
    assert_true(floor(lc_breakeven_users(24e6, 20, tpu, 0.007)) == 3243243.0);
    assert_true(floor(lc_breakeven_users(24e6, 20, tpu, 0.007) / 1e4) == 324.0); /* 324 万 */
}

static void test_row13_breakeven_subscribers_6700_tokens_a_day(void **state)
{
    (void)state;
    double tpu = 6700 * 30;
    EXACT(lc_breakeven_users(24e6, 20, tpu, 0.007), 1290808.3687409240037);
    EXACT(lc_breakeven_users(lc_fixed_monthly_cost(145e6, 6), 20, tpu, 0.007),
          1299772.3157460693092);
    EXACT(lc_breakeven_users(lc_fixed_monthly_cost(145e6, 6), 20, tpu, infer_1k(1776e9)),
          1302104.3101215190194);
    assert_true(floor(lc_breakeven_users(24e6, 20, tpu, 0.007)) == 1290808.0);
    assert_true(floor(lc_breakeven_users(24e6, 20, tpu, 0.007) / 1e4) == 129.0); /* 129 万 */
    double x;
    assert_int_equal(lc_model_breakeven_users(24e6, 20, tpu, 0.007, &x), LC_OK);
    EXACT(x, 1290808.3687409240037);
}

/* ---- no break-even ------------------------------------------------------ */
static void test_breakeven_tokens_is_nan_when_margin_not_positive(void **state)
{
    (void)state;
    double x = 0;
    assert_true(isnan(lc_breakeven_tokens(24e6, 0.007, 0.007)));   /* margin 0 */
    assert_true(isnan(lc_breakeven_tokens(24e6, 0.005, 0.007)));   /* negative */
    assert_int_equal(lc_model_breakeven_tokens(24e6, 0.005, 0.007, &x), LC_ENOBREAKEVEN);
    assert_true(isnan(x));
    assert_int_equal(lc_model_breakeven_tokens(24e6, 0.007, 0.007, &x), LC_ENOBREAKEVEN);
    /* a hair of margin is a (huge) break-even, not NaN */
    assert_int_equal(lc_model_breakeven_tokens(24e6, 0.0070001, 0.007, &x), LC_OK);
    assert_true(x > 0 && isfinite(x));
}

static void test_breakeven_users_is_nan_when_margin_not_positive(void **state)
{
    (void)state;
    double x = 0;
    /* 1.8M tokens at 0.02 per 1K cost 36 USD a user: above a 20 USD price */
    assert_true(isnan(lc_breakeven_users(24e6, 20, 1.8e6, 0.02)));
    assert_int_equal(lc_model_breakeven_users(24e6, 20, 1.8e6, 0.02, &x), LC_ENOBREAKEVEN);
    assert_true(isnan(x));
    /* exactly equal: 2M tokens at 0.01 = 20 USD */
    assert_int_equal(lc_model_breakeven_users(24e6, 20, 2e6, 0.01, &x), LC_ENOBREAKEVEN);
    EXACT(lc_tokens_cost(1.8e6, 0.02), 36.0);
}

static void test_margin_is_nan_without_revenue(void **state)
{
    (void)state;
    assert_true(isnan(lc_margin(-5.0, 0.0)));
    EXACT(lc_margin(25.0, 100.0), 0.25);
}

/* ---- beyond the article, against hand-computed values ------------------- */
static void test_chinchilla_tokens_are_20_per_param(void **state)
{
    (void)state;
    EXACT(lc_chinchilla_tokens(70e9), 1.4e12);
}

static void test_train_days_on_a_cluster(void **state)
{
    (void)state;
    /* 4.44e11 GPU-seconds on 10,000 GPUs = 4.44e7 s = 513.89 days */
    EXACT(lc_train_days(4.44e11, 10000), 513.88888888888888889);
    EXACT(lc_train_days(86400.0 * 8, 8), 1.0);
}

static void test_energy_mwh_and_cost(void **state)
{
    (void)state;
    /* 4.44e11 s x 400 W x PUE 1.2 = 2.1312e14 J = 59,200 MWh; at 0.10 USD/kWh 5.92M USD */
    EXACT(lc_energy_mwh(4.44e11, 400, 1.2), 59200.0);
    EXACT(lc_energy_cost(59200.0, 0.10), 5920000.0);
    EXACT(lc_energy_mwh(3600.0, 1e6, 1.0), 1.0); /* 1 MW for an hour */
}

static void test_bandwidth_bound_decode_at_batch_1(void **state)
{
    (void)state;
    /* 70B on an H100 (989e12 FLOP/s, 3.35e12 B/s, 2.99 USD/h), BF16 weights:
     * compute 140e9/989e12 = 1.4156e-4 s, memory 140e9/3.35e12 = 0.041791 s */
    double c = lc_infer_seconds_per_token(70e9, 989e12, 1.0);
    double m = lc_infer_seconds_per_token_bw(70e9, 989e12, 1.0, 3.35e12, 1, 2);
    EXACT(c, 0.00014155712841253791709);
    EXACT(m, 0.041791044776119402985);
    EXACT(lc_infer_cost_per_1k(m, 2.99), 0.034709784411276948590);
    EXACT(lc_infer_cost_per_1k(c, 2.99), 0.00011757105943152454780);
}

static void test_bandwidth_aware_decode_falls_back_to_compute_at_large_batch(void **state)
{
    (void)state;
    /* batch 1000: memory 4.179e-5 s < compute 1.4156e-4 s */
    double m = lc_infer_seconds_per_token_bw(70e9, 989e12, 1.0, 3.35e12, 1000, 2);
    EXACT(m, 0.00014155712841253791709);
    assert_true(m == lc_infer_seconds_per_token(70e9, 989e12, 1.0));
}

static void test_routing_blend_and_saving(void **state)
{
    (void)state;
    /* 80% to a 7B model, 20% to 1776B, router 1e-4 USD per 1000-token request */
    double small = infer_1k(7e9), large = infer_1k(1776e9);
    EXACT(small, 0.000028243055555555555556);
    double r = lc_route_cost_per_1k(0.8, small, large, 1e-4, 1000);
    EXACT(r, 0.0015557277777777777778);
    EXACT(large - r, 0.0056099388888888888889);
    EXACT((large - r) / large, 0.78289141120466421671);
    /* no routing, no router: exactly the large model */
    assert_true(lc_route_cost_per_1k(0.0, small, large, 0.0, 1000) == large);
}

static void test_utilization_and_discount_scale_cost(void **state)
{
    (void)state;
    double s = lc_pretrain_gpu_seconds(1776e9, 13e12, A100_FLOPS, 0.4);
    EXACT(s, 4.44e11 / 0.4);
    EXACT(lc_pretrain_cost(s, A100_PRICE, 0.5), 139730500.0 / 0.4);
    EXACT(lc_infer_cost_per_1k(lc_infer_seconds_per_token(1776e9, A100_FLOPS, 0.5), A100_PRICE),
          2 * 0.0071656666666666666667);
}

/* ---- lc_model_eval wires the formulas together -------------------------- */
static void test_model_eval_defaults_are_the_article_scenario(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    assert_int_equal(lc_inputs_check(in, NULL), LC_OK);
    in[LC_IN_DISCOUNT] = 0.5;
    lc_model_eval(in, out);
    EXACT(out[LC_OUT_PRETRAIN_FLOP], 1.38528e26);
    EXACT(out[LC_OUT_PRETRAIN_GPU_HOURS], 4.44e11 / 3600);
    EXACT(out[LC_OUT_PRETRAIN_COST], 139730500.0);
    EXACT(out[LC_OUT_TRAIN_DAYS], 513.88888888888888889);
    EXACT(out[LC_OUT_ENERGY_MWH], 59200.0);
    EXACT(out[LC_OUT_ENERGY_COST], 5920000.0);
    EXACT(out[LC_OUT_INFER_COST_1K], 0.0071656666666666666667);
    EXACT(out[LC_OUT_FIXED_MONTHLY], 139730500.0 / 6);
    /* 23,288,416.67 + 1.85e9 K x 0.0071656667 = 36,544,900 */
    EXACT(out[LC_OUT_MONTHLY_COST], 36544900.0);
    EXACT(out[LC_OUT_AVG_PRICE_1K], 0.02);
    EXACT(out[LC_OUT_TOKEN_REVENUE], 37e6);
    EXACT(out[LC_OUT_TOKEN_PROFIT], 455100.0);
    EXACT(out[LC_OUT_TOKEN_MARGIN], 455100.0 / 37e6);
    EXACT(out[LC_OUT_BREAKEVEN_TOKENS], 139730500.0 / 6 / (0.02 - 0.0071656666666666666667) * 1000);
    EXACT(out[LC_OUT_SUB_REVENUE], 2e8);
    EXACT(out[LC_OUT_SUB_COST], 139730500.0 / 6 + 1e7 * 1800 * 0.0071656666666666666667);
    EXACT(out[LC_OUT_SUB_PROFIT], 2e8 - (139730500.0 / 6 + 1e7 * 1800 * 0.0071656666666666666667));
    EXACT(out[LC_OUT_BREAKEVEN_USERS], 139730500.0 / 6 / (20 - 1800 * 0.0071656666666666666667));
    /* A100 at batch 1: 1776e9 x 2 B / 2.039e12 B/s = 1.742 s per token */
    EXACT(out[LC_OUT_INFER_COST_1K_BW], 1000 * 1776e9 * 2 / 2.039e12 * 2.2659 / 3600);
    EXACT(out[LC_OUT_ROUTE_COST_1K], 0.0071656666666666666667); /* route_share 0 */
    assert_true(out[LC_OUT_ROUTE_SAVING_1K] == 0.0);
}

static void test_model_eval_reports_no_breakeven_as_nan(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PRICE_IN] = 0.001;
    in[LC_IN_PRICE_OUT] = 0.002;
    in[LC_IN_SUBSCRIPTION] = 5;
    lc_model_eval(in, out);
    assert_true(isnan(out[LC_OUT_BREAKEVEN_TOKENS]));
    assert_true(isnan(out[LC_OUT_BREAKEVEN_USERS]));
    assert_true(out[LC_OUT_TOKEN_PROFIT] < 0);
}

/* ---- input validation --------------------------------------------------- */
static void test_input_check_rejects_nan_inf_and_out_of_range(void **state)
{
    (void)state;
    lc_diag d;
    assert_int_equal(lc_input_check(LC_IN_PARAMS, NAN, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "params"));
    assert_int_equal(lc_input_check(LC_IN_PARAMS, INFINITY, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_PRICE_HOUR, -INFINITY, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_FLOPS, 0.0, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "flops"));
    assert_int_equal(lc_input_check(LC_IN_FLOPS, -1e12, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_TOKENS, -1.0, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_MONTHLY_TOKENS, -1.0, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_MONTHLY_TOKENS, 0.0, &d), LC_OK);
    assert_int_equal(lc_input_check(LC_IN_UTIL, 0.0, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_UTIL, 1.0000001, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "(0, 1]"));
    assert_int_equal(lc_input_check(LC_IN_UTIL, 1.0, &d), LC_OK);
    assert_int_equal(lc_input_check(LC_IN_UTIL, 1e-9, &d), LC_OK);
    assert_int_equal(lc_input_check(LC_IN_UTIL_INFER, 1.5, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_PUE, 0.9, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_ROUTE_SHARE, 1.0, &d), LC_OK);
    assert_int_equal(lc_input_check(LC_IN_ROUTE_SHARE, 1.01, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_GPUS, 0.5, &d), LC_ERANGE);
    assert_int_equal(lc_input_check(LC_IN_FX_RATE, 0.0, &d), LC_ERANGE);
}

static void test_inputs_check_finds_the_bad_one(void **state)
{
    (void)state;
    double in[LC_IN_COUNT];
    lc_diag d;
    lc_inputs_default(in);
    in[LC_IN_BATCH] = 0;
    assert_int_equal(lc_inputs_check(in, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "batch"));
}

static void test_tables_are_complete_and_findable(void **state)
{
    (void)state;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        assert_non_null(lc_inputs[i].name);
        assert_non_null(lc_inputs[i].unit);
        assert_int_equal(lc_input_find(lc_inputs[i].name), i);
        if (i != LC_IN_UTIL_INFER)
            assert_int_equal(lc_input_check((lc_input)i, lc_inputs[i].def, NULL), LC_OK);
    }
    for (int i = 0; i < LC_OUT_COUNT; i++) {
        assert_non_null(lc_outputs[i].name);
        assert_non_null(lc_outputs[i].formula);
        assert_int_equal(lc_output_find(lc_outputs[i].name), i);
        assert_true(lc_output_depends((lc_output)i) != 0);
    }
    assert_int_equal(lc_input_find("no_such_input"), -1);
    assert_int_equal(lc_output_find("no_such_output"), -1);
    char buf[64];
    lc_input_describe_range(LC_IN_UTIL, buf, sizeof buf);
    assert_string_equal(buf, "(0, 1]");
    lc_input_describe_range(LC_IN_MONTHLY_TOKENS, buf, sizeof buf);
    assert_string_equal(buf, "[0, inf)");
}

/* A small deterministic generator for the dependency test (xorshift64*). */
static double unit_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (double)((*state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* A random valid value of input i around its default (factor 0.25 .. 4),
 * kept inside the input's range. */
static double random_value(int i, double base, uint64_t *rng)
{
    const lc_input_info *in = &lc_inputs[i];
    double u = unit_random(rng);
    /* 0 means "derived" (params_active, head_dim, tp, ...), "compute"
     * (serving) or "no routing": 0 half the time, so both branches count */
    if (in->def == 0.0 && in->min == 0.0 && !in->min_open && unit_random(rng) < 0.5)
        return 0.0;
    if (i == LC_IN_SERVING)
        return u < 0.5 ? 0.0 : 1.0;
    if (i == LC_IN_TP) /* whole GPUs, often enough to fit */
        return floor(1.0 + 200.0 * u);
    double x = base * pow(2.0, 4.0 * u - 2.0);
    if (base == 0.0)
        x = isinf(in->max) ? u * 10.0 : in->min + u * (in->max - in->min);
    if (!isinf(in->max) && x >= in->max)
        x = in->max - (in->max - in->min) * 0.25 * u - 1e-9;
    if (x <= in->min)
        x = in->min + (isinf(in->max) ? 1.0 : (in->max - in->min) * 0.5);
    return x;
}

/* Both directions of the dependency masks computed from the graph: at many
 * random points, perturbing an input an output does not depend on never
 * changes it (bit for bit), and every input it does depend on changes it at
 * some point (a declared dependency that never matters would be a graph
 * wiring error, and would cost sweep storage). */
static void test_output_dependencies_match_the_formulas(void **state)
{
    (void)state;
    double base[LC_IN_COUNT], pt[LC_IN_COUNT], in[LC_IN_COUNT];
    double o0[LC_OUT_COUNT], o1[LC_OUT_COUNT];
    int seen[LC_OUT_COUNT][LC_IN_COUNT];
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    memset(seen, 0, sizeof seen);
    lc_inputs_default(base);
    base[LC_IN_ROUTE_SHARE] = 0.5;
    base[LC_IN_ROUTER_COST] = 1e-4;
    base[LC_IN_BATCH] = 64; /* both decode limits close, so both matter */
    base[LC_IN_UTIL] = 0.8; /* keeps both break-evens finite */
    base[LC_IN_UTIL_INFER] = 0.8;
    base[LC_IN_PROMPT_TOKENS] = 1e5; /* a long prompt: its attention FLOPs matter */
    for (int rep = 0; rep < 200; rep++) {
        for (int i = 0; i < LC_IN_COUNT; i++)
            pt[i] = rep == 0 ? base[i] : random_value(i, base[i], &rng);
        for (int i = 0; i < LC_IN_COUNT; i++)
            assert_int_equal(lc_input_check((lc_input)i, pt[i], NULL), LC_OK);
        lc_model_eval(pt, o0);
        for (int i = 0; i < LC_IN_COUNT; i++) {
            memcpy(in, pt, sizeof in);
            in[i] = random_value(i, pt[i], &rng);
            if (in[i] == pt[i])
                continue;
            lc_model_eval(in, o1);
            for (int k = 0; k < LC_OUT_COUNT; k++) {
                int changed = memcmp(&o1[k], &o0[k], sizeof o0[k]) != 0;
                int claims = (lc_output_depends((lc_output)k) & LC_BIT(i)) != 0;
                if (changed && !claims)
                    fail_msg("%s changes with %s but does not depend on it",
                             lc_outputs[k].name, lc_inputs[i].name);
                if (changed)
                    seen[k][i] = 1;
            }
        }
    }
    for (int k = 0; k < LC_OUT_COUNT; k++)
        for (int i = 0; i < LC_IN_COUNT; i++)
            if ((lc_output_depends((lc_output)k) & LC_BIT(i)) && !seen[k][i])
                fail_msg("%s depends on %s by the graph but never changed with it",
                         lc_outputs[k].name, lc_inputs[i].name);
}

/* The graph is in evaluation order and every output names a computed node. */
static void test_graph_is_topological(void **state)
{
    (void)state;
    for (int id = LC_IN_COUNT; id < N_COUNT; id++) {
        assert_true(lc_node_defs[id].nargs >= 1);
        assert_true(lc_node_defs[id].nargs <= LC_NODE_MAX_ARGS);
        for (int a = 0; a < lc_node_defs[id].nargs; a++) {
            assert_true(lc_node_defs[id].args[a] >= 0);
            assert_true(lc_node_defs[id].args[a] < id);
        }
    }
    /* a pick node chooses by an input (LC_PICK_LIST) */
    static const int picks[] = {
#define LC_X(node, pick) N_##node,
        LC_PICK_LIST(LC_X)
#undef LC_X
    };
    for (size_t k = 0; k < sizeof picks / sizeof picks[0]; k++)
        assert_true(lc_node_defs[picks[k]].args[0] < LC_IN_COUNT);
    for (int o = 0; o < LC_OUT_COUNT; o++) {
        assert_true(lc_outputs[o].node >= LC_IN_COUNT);
        assert_true(lc_outputs[o].node < N_COUNT);
        assert_true((int)lc_outputs[o].group < LC_GROUP_COUNT);
    }
}

/* The model's fingerprint is a pure function of the binary (the same on
 * every call), and its hash treats every NaN as one NaN and -0.0 apart
 * from 0.0: the bits that reach a file count. */
static void test_model_fingerprint_is_stable_and_hashes_bits(void **state)
{
    (void)state;
    uint64_t a = lc_model_fingerprint(), b = lc_model_fingerprint();
    assert_true(a == b && a != LC_FNV_INIT && a != 0);
    double x[3] = {1.0, NAN, 0.0}, y[3] = {1.0, -NAN, 0.0}, z[3] = {1.0, NAN, -0.0};
    assert_true(lc_fnv1a_doubles(x, 3, LC_FNV_INIT) == lc_fnv1a_doubles(y, 3, LC_FNV_INIT));
    assert_true(lc_fnv1a_doubles(x, 3, LC_FNV_INIT) != lc_fnv1a_doubles(z, 3, LC_FNV_INIT));
    /* FNV-1a 64 of "a": the published test vector */
    assert_true(lc_fnv1a("a", 1, LC_FNV_INIT) == 0xaf63dc4c8601ec8cULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row1_task_5000_chars_gpt4_turbo_costs_0_13_usd),
        cmocka_unit_test(test_row2_ten_tasks_a_day_for_a_year),
        cmocka_unit_test(test_english_words_use_1_3_tokens_per_word),
        cmocka_unit_test(test_row3_gpt3_pretraining_cost),
        cmocka_unit_test(test_row4_gpt4_pretraining_cost),
        cmocka_unit_test(test_row5_gpt4_over_gpt3_ratio),
        cmocka_unit_test(test_row6_gpt4_turbo_pretraining_cost),
        cmocka_unit_test(test_row7_gpt4_turbo_inference_per_1k),
        cmocka_unit_test(test_row8_fixed_monthly_cost),
        cmocka_unit_test(test_row9_breakeven_tokens),
        cmocka_unit_test(test_row10_tokens_per_user_per_day),
        cmocka_unit_test(test_row11_inference_share_of_price),
        cmocka_unit_test(test_row12_breakeven_subscribers_1_8m_tokens),
        cmocka_unit_test(test_row13_breakeven_subscribers_6700_tokens_a_day),
        cmocka_unit_test(test_breakeven_tokens_is_nan_when_margin_not_positive),
        cmocka_unit_test(test_breakeven_users_is_nan_when_margin_not_positive),
        cmocka_unit_test(test_margin_is_nan_without_revenue),
        cmocka_unit_test(test_chinchilla_tokens_are_20_per_param),
        cmocka_unit_test(test_train_days_on_a_cluster),
        cmocka_unit_test(test_energy_mwh_and_cost),
        cmocka_unit_test(test_bandwidth_bound_decode_at_batch_1),
        cmocka_unit_test(test_bandwidth_aware_decode_falls_back_to_compute_at_large_batch),
        cmocka_unit_test(test_routing_blend_and_saving),
        cmocka_unit_test(test_utilization_and_discount_scale_cost),
        cmocka_unit_test(test_model_eval_defaults_are_the_article_scenario),
        cmocka_unit_test(test_model_eval_reports_no_breakeven_as_nan),
        cmocka_unit_test(test_input_check_rejects_nan_inf_and_out_of_range),
        cmocka_unit_test(test_inputs_check_finds_the_bad_one),
        cmocka_unit_test(test_tables_are_complete_and_findable),
        cmocka_unit_test(test_output_dependencies_match_the_formulas),
        cmocka_unit_test(test_graph_is_topological),
        cmocka_unit_test(test_model_fingerprint_is_stable_and_hashes_bits),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
