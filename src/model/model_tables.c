/*
 * model_tables.c - the input and output tables of the cost model and the
 * scalar reference evaluation.  The formulas themselves live in model.h;
 * this file only wires them together in the order the article uses.
 *
 * Defaults reproduce the article's GPT-4 Turbo scenario on an A100 at the
 * Azure 3-year price, at 100% utilization, without discount.
 */
#include "model/model.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

#define INF HUGE_VAL
/*  name, unit, long name, default, min, max, min_open, max_open */
const lc_input_info lc_inputs[LC_IN_COUNT] = {
    [LC_IN_PARAMS] = {"params", "1", "model parameters N", 1776e9, 0, INF, 1, 1},
    [LC_IN_TOKENS] = {"tokens", "token", "pretraining tokens D", 13e12, 0, INF, 1, 1},
    [LC_IN_FLOPS] = {"flops", "FLOP/s", "peak dense FLOP/s per GPU", 312e12, 0, INF, 1, 1},
    [LC_IN_UTIL] = {"util", "1", "model FLOP utilization (MFU), training", 1.0, 0, 1, 1, 0},
    [LC_IN_UTIL_INFER] = {"util_infer", "1", "model FLOP utilization, inference (default: util)", 1.0, 0, 1, 1, 0},
    [LC_IN_PRICE_HOUR] = {"price_hour", "USD/GPU-hour", "GPU rental price", 2.2659, 0, INF, 0, 1},
    [LC_IN_DISCOUNT] = {"discount", "1", "factor on the pretraining rental cost", 1.0, 0, INF, 1, 1},
    [LC_IN_PERIOD_MONTHS] = {"period", "month", "months between pretraining runs", 6.0, 0, INF, 1, 1},
    [LC_IN_MONTHLY_TOKENS] = {"monthly_tokens", "token/month", "tokens served per month", 1.85e12, 0, INF, 0, 1},
    [LC_IN_PRICE_IN] = {"price_in", "USD/1K token", "API price of input tokens", 0.01, 0, INF, 0, 1},
    [LC_IN_PRICE_OUT] = {"price_out", "USD/1K token", "API price of output tokens", 0.03, 0, INF, 0, 1},
    [LC_IN_IO_RATIO] = {"io_ratio", "1", "input:output token ratio r (r:1)", 1.0, 0, INF, 0, 1},
    [LC_IN_SUBSCRIPTION] = {"subscription", "USD/user/month", "subscription price", 20.0, 0, INF, 0, 1},
    [LC_IN_TOKENS_PER_USER] = {"tokens_per_user", "token/user/month", "tokens per subscriber per month", 1.8e6, 0, INF, 0, 1},
    [LC_IN_USERS] = {"users", "user", "subscribers", 1e7, 0, INF, 0, 1},
    [LC_IN_GPUS] = {"gpus", "GPU", "GPUs in the training cluster", 10000, 1, INF, 0, 1},
    [LC_IN_POWER_W] = {"power_w", "W", "GPU board power", 400, 0, INF, 0, 1},
    [LC_IN_PUE] = {"pue", "1", "data-centre power usage effectiveness", 1.2, 1, INF, 0, 1},
    [LC_IN_ELEC_PRICE] = {"elec_price", "USD/kWh", "electricity price", 0.10, 0, INF, 0, 1},
    [LC_IN_HBM_BW] = {"hbm_bw", "byte/s", "GPU memory (HBM) bandwidth", 2.039e12, 0, INF, 1, 1},
    [LC_IN_BATCH] = {"batch", "sequence", "decode batch size", 1, 1, INF, 0, 1},
    [LC_IN_BYTES_PER_PARAM] = {"bytes_per_param", "byte", "bytes of weights per parameter", 2, 0, INF, 1, 1},
    [LC_IN_ROUTE_SHARE] = {"route_share", "1", "share of requests routed to the small model", 0.0, 0, 1, 0, 0},
    [LC_IN_SMALL_PARAMS] = {"small_params", "1", "parameters of the small model", 7e9, 0, INF, 1, 1},
    [LC_IN_ROUTER_COST] = {"router_cost", "USD/request", "router's own cost per request", 0.0, 0, INF, 0, 1},
    [LC_IN_TOKENS_PER_REQ] = {"tokens_per_request", "token/request", "tokens per request", 1000, 0, INF, 1, 1},
    [LC_IN_FX_RATE] = {"fx_rate", "CNY/USD", "other currency per USD", 7.1, 0, INF, 1, 1},
};
#undef INF

#define B(x) LC_BIT(LC_IN_##x)
#define PRETRAIN_GPU (B(PARAMS) | B(TOKENS) | B(FLOPS) | B(UTIL))
#define PRETRAIN (PRETRAIN_GPU | B(PRICE_HOUR) | B(DISCOUNT))
#define FIXED (PRETRAIN | B(PERIOD_MONTHS))
#define INFER (B(PARAMS) | B(FLOPS) | B(UTIL_INFER) | B(PRICE_HOUR))
#define AVG (B(PRICE_IN) | B(PRICE_OUT) | B(IO_RATIO))
#define SUBCOST (FIXED | INFER | B(USERS) | B(TOKENS_PER_USER))
#define ROUTE (INFER | B(SMALL_PARAMS) | B(ROUTE_SHARE) | B(ROUTER_COST) | B(TOKENS_PER_REQ))

const lc_output_info lc_outputs[LC_OUT_COUNT] = {
    [LC_OUT_PRETRAIN_FLOP] = {"pretrain_flop", "FLOP", "pretraining compute",
        "6 * params * tokens", B(PARAMS) | B(TOKENS), 0},
    [LC_OUT_PRETRAIN_GPU_HOURS] = {"pretrain_gpu_hours", "GPU-hour", "pretraining GPU-hours",
        "6 * params * tokens / (flops * util) / 3600", PRETRAIN_GPU, 0},
    [LC_OUT_PRETRAIN_COST] = {"pretrain_cost", "USD", "pretraining cost",
        "6 * params * tokens / (flops * util) * price_hour / 3600 * discount", PRETRAIN, 1},
    [LC_OUT_TRAIN_DAYS] = {"train_days", "day", "pretraining wall-clock time on the cluster",
        "6 * params * tokens / (flops * util) / gpus / 86400", PRETRAIN_GPU | B(GPUS), 0},
    [LC_OUT_ENERGY_MWH] = {"energy_mwh", "MWh", "pretraining energy at the facility",
        "6 * params * tokens / (flops * util) * power_w * pue / 3.6e9", PRETRAIN_GPU | B(POWER_W) | B(PUE), 0},
    [LC_OUT_ENERGY_COST] = {"energy_cost", "USD", "pretraining electricity cost",
        "energy_mwh * 1000 * elec_price", PRETRAIN_GPU | B(POWER_W) | B(PUE) | B(ELEC_PRICE), 1},
    [LC_OUT_INFER_COST_1K] = {"infer_cost_per_1k", "USD/1K token", "inference cost per 1K tokens (compute-bound)",
        "1000 * 2 * params / (flops * util_infer) * price_hour / 3600", INFER, 1},
    [LC_OUT_INFER_COST_1K_BW] = {"infer_cost_per_1k_bw", "USD/1K token",
        "inference cost per 1K tokens (bandwidth-aware decode)",
        "1000 * max(2 * params / (flops * util_infer), params * bytes_per_param / (hbm_bw * batch)) * price_hour / 3600",
        INFER | B(HBM_BW) | B(BATCH) | B(BYTES_PER_PARAM), 1},
    [LC_OUT_FIXED_MONTHLY] = {"fixed_monthly_cost", "USD/month", "amortized pretraining cost per month",
        "pretrain_cost / period", FIXED, 1},
    [LC_OUT_MONTHLY_COST] = {"monthly_cost", "USD/month", "monthly compute cost",
        "pretrain_cost / period + monthly_tokens / 1000 * infer_cost_per_1k", FIXED | INFER | B(MONTHLY_TOKENS), 1},
    [LC_OUT_AVG_PRICE_1K] = {"avg_price_per_1k", "USD/1K token", "average API price per 1K tokens",
        "(io_ratio * price_in + price_out) / (io_ratio + 1)", AVG, 1},
    [LC_OUT_TOKEN_REVENUE] = {"token_revenue", "USD/month", "monthly revenue from selling tokens",
        "monthly_tokens / 1000 * avg_price_per_1k", AVG | B(MONTHLY_TOKENS), 1},
    [LC_OUT_TOKEN_PROFIT] = {"token_profit", "USD/month", "monthly profit from selling tokens",
        "token_revenue - monthly_cost", AVG | FIXED | INFER | B(MONTHLY_TOKENS), 1},
    [LC_OUT_TOKEN_MARGIN] = {"token_margin", "1", "profit margin from selling tokens",
        "token_profit / token_revenue (NaN when revenue is 0)", AVG | FIXED | INFER | B(MONTHLY_TOKENS), 0},
    [LC_OUT_BREAKEVEN_TOKENS] = {"breakeven_tokens", "token/month", "break-even monthly tokens",
        "fixed_monthly_cost / (avg_price_per_1k - infer_cost_per_1k) * 1000 (NaN: no break-even)", FIXED | INFER | AVG, 0},
    [LC_OUT_SUB_REVENUE] = {"sub_revenue", "USD/month", "monthly subscription revenue",
        "users * subscription", B(USERS) | B(SUBSCRIPTION), 1},
    [LC_OUT_SUB_COST] = {"sub_cost", "USD/month", "monthly compute cost of the subscribers",
        "fixed_monthly_cost + users * (tokens_per_user / 1000 * infer_cost_per_1k)", SUBCOST, 1},
    [LC_OUT_SUB_PROFIT] = {"sub_profit", "USD/month", "monthly subscription profit",
        "sub_revenue - sub_cost", SUBCOST | B(SUBSCRIPTION), 1},
    [LC_OUT_BREAKEVEN_USERS] = {"breakeven_users", "user", "break-even subscribers",
        "fixed_monthly_cost / (subscription - tokens_per_user / 1000 * infer_cost_per_1k) (NaN: no break-even)",
        FIXED | INFER | B(SUBSCRIPTION) | B(TOKENS_PER_USER), 0},
    [LC_OUT_ROUTE_COST_1K] = {"route_cost_per_1k", "USD/1K token", "blended inference cost per 1K with routing",
        "route_share * small_infer_per_1k + (1 - route_share) * infer_cost_per_1k + router_cost * 1000 / tokens_per_request",
        ROUTE, 1},
    [LC_OUT_ROUTE_SAVING_1K] = {"route_saving_per_1k", "USD/1K token", "saving per 1K tokens against the large model alone",
        "infer_cost_per_1k - route_cost_per_1k", ROUTE, 1},
    [LC_OUT_ROUTE_SAVING_SHARE] = {"route_saving_share", "1", "saving as a share of the large model's cost",
        "route_saving_per_1k / infer_cost_per_1k", ROUTE, 0},
};

int lc_input_find(const char *name)
{
    for (int i = 0; i < LC_IN_COUNT; i++)
        if (strcmp(lc_inputs[i].name, name) == 0)
            return i;
    return -1;
}

int lc_output_find(const char *name)
{
    for (int i = 0; i < LC_OUT_COUNT; i++)
        if (strcmp(lc_outputs[i].name, name) == 0)
            return i;
    return -1;
}

void lc_inputs_default(double v[LC_IN_COUNT])
{
    for (int i = 0; i < LC_IN_COUNT; i++)
        v[i] = lc_inputs[i].def;
}

void lc_input_describe_range(lc_input id, char *buf, size_t size)
{
    const lc_input_info *in = &lc_inputs[id];
    char lo[64], hi[64];
    snprintf(lo, sizeof lo, "%c%g", in->min_open ? '(' : '[', in->min);
    if (isinf(in->max))
        snprintf(hi, sizeof hi, "inf)");
    else
        snprintf(hi, sizeof hi, "%g%c", in->max, in->max_open ? ')' : ']');
    snprintf(buf, size, "%s, %s", lo, hi);
}

lc_status lc_input_check(lc_input id, double x, lc_diag *d)
{
    const lc_input_info *in = &lc_inputs[id];
    char range[160];
    if (!isfinite(x))
        return lc_diag_set(d, LC_ERANGE, NULL, 0, "%s: %g is not a finite number",
                           in->name, x);
    int below = in->min_open ? !(x > in->min) : !(x >= in->min);
    int above = in->max_open ? !(x < in->max) : !(x <= in->max);
    if (below || above) {
        lc_input_describe_range(id, range, sizeof range);
        return lc_diag_set(d, LC_ERANGE, NULL, 0,
                           "%s: %g is out of range, expected %s (%s, %s)",
                           in->name, x, range, in->long_name, in->unit);
    }
    return LC_OK;
}

lc_status lc_inputs_check(const double v[LC_IN_COUNT], lc_diag *d)
{
    for (int i = 0; i < LC_IN_COUNT; i++) {
        lc_status st = lc_input_check((lc_input)i, v[i], d);
        if (st != LC_OK)
            return st;
    }
    return LC_OK;
}

void lc_model_eval(const double in[LC_IN_COUNT], double out[LC_OUT_COUNT])
{
    double n = in[LC_IN_PARAMS], flops = in[LC_IN_FLOPS];
    double price = in[LC_IN_PRICE_HOUR];
    double gpus_s = lc_pretrain_gpu_seconds(n, in[LC_IN_TOKENS], flops, in[LC_IN_UTIL]);
    double pre = lc_pretrain_cost(gpus_s, price, in[LC_IN_DISCOUNT]);
    double mwh = lc_energy_mwh(gpus_s, in[LC_IN_POWER_W], in[LC_IN_PUE]);
    double spt = lc_infer_seconds_per_token(n, flops, in[LC_IN_UTIL_INFER]);
    double inf1k = lc_infer_cost_per_1k(spt, price);
    double spt_bw = lc_infer_seconds_per_token_bw(n, flops, in[LC_IN_UTIL_INFER],
                                                  in[LC_IN_HBM_BW], in[LC_IN_BATCH],
                                                  in[LC_IN_BYTES_PER_PARAM]);
    double fixed = lc_fixed_monthly_cost(pre, in[LC_IN_PERIOD_MONTHS]);
    double mt = in[LC_IN_MONTHLY_TOKENS];
    double monthly = lc_monthly_cost(fixed, mt, inf1k);
    double avg = lc_avg_price_per_1k(in[LC_IN_PRICE_IN], in[LC_IN_PRICE_OUT], in[LC_IN_IO_RATIO]);
    double trev = lc_token_revenue(mt, avg);
    double users = in[LC_IN_USERS], tpu = in[LC_IN_TOKENS_PER_USER];
    double sub = in[LC_IN_SUBSCRIPTION];
    double srev = users * sub;
    double scost = lc_subscription_cost(fixed, users, tpu, inf1k);
    double small1k = lc_infer_cost_per_1k(
        lc_infer_seconds_per_token(in[LC_IN_SMALL_PARAMS], flops, in[LC_IN_UTIL_INFER]), price);
    double route = lc_route_cost_per_1k(in[LC_IN_ROUTE_SHARE], small1k, inf1k,
                                        in[LC_IN_ROUTER_COST], in[LC_IN_TOKENS_PER_REQ]);

    out[LC_OUT_PRETRAIN_FLOP] = lc_pretrain_flop(n, in[LC_IN_TOKENS]);
    out[LC_OUT_PRETRAIN_GPU_HOURS] = gpus_s / LC_SECONDS_PER_HOUR;
    out[LC_OUT_PRETRAIN_COST] = pre;
    out[LC_OUT_TRAIN_DAYS] = lc_train_days(gpus_s, in[LC_IN_GPUS]);
    out[LC_OUT_ENERGY_MWH] = mwh;
    out[LC_OUT_ENERGY_COST] = lc_energy_cost(mwh, in[LC_IN_ELEC_PRICE]);
    out[LC_OUT_INFER_COST_1K] = inf1k;
    out[LC_OUT_INFER_COST_1K_BW] = lc_infer_cost_per_1k(spt_bw, price);
    out[LC_OUT_FIXED_MONTHLY] = fixed;
    out[LC_OUT_MONTHLY_COST] = monthly;
    out[LC_OUT_AVG_PRICE_1K] = avg;
    out[LC_OUT_TOKEN_REVENUE] = trev;
    out[LC_OUT_TOKEN_PROFIT] = trev - monthly;
    out[LC_OUT_TOKEN_MARGIN] = lc_margin(trev - monthly, trev);
    out[LC_OUT_BREAKEVEN_TOKENS] = lc_breakeven_tokens(fixed, avg, inf1k);
    out[LC_OUT_SUB_REVENUE] = srev;
    out[LC_OUT_SUB_COST] = scost;
    out[LC_OUT_SUB_PROFIT] = srev - scost;
    out[LC_OUT_BREAKEVEN_USERS] = lc_breakeven_users(fixed, sub, tpu, inf1k);
    out[LC_OUT_ROUTE_COST_1K] = route;
    out[LC_OUT_ROUTE_SAVING_1K] = inf1k - route;
    out[LC_OUT_ROUTE_SAVING_SHARE] = (inf1k - route) / inf1k;
}

lc_status lc_model_breakeven_tokens(double fixed_monthly, double avg_price_1k,
                                    double infer_per_1k, double *out)
{
    *out = lc_breakeven_tokens(fixed_monthly, avg_price_1k, infer_per_1k);
    return isnan(*out) ? LC_ENOBREAKEVEN : LC_OK;
}

lc_status lc_model_breakeven_users(double fixed_monthly, double subscription,
                                   double tokens_per_user, double infer_per_1k,
                                   double *out)
{
    *out = lc_breakeven_users(fixed_monthly, subscription, tokens_per_user, infer_per_1k);
    return isnan(*out) ? LC_ENOBREAKEVEN : LC_OK;
}
