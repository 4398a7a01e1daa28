/*
 * model_graph.h - the cost model's wiring, once: every input, every
 * intermediate node and every output as X-macro lists.
 *
 * Everything that needs the wiring expands these lists instead of spelling
 * it again: the lc_input / lc_output enums and the lc_inputs[] /
 * lc_outputs[] tables (src/model/model_tables.c), the graph's node enum and
 * argument lists (src/model/model_graph.c), the scalar reference
 * lc_model_eval (a walk of the graph), the kernel's node_run
 * (src/kernel/kernel_body.h), and from those the dependency masks (the
 * closure of an output's node, never written by hand), the formula text,
 * `eval --help`, the JSON of `eval` and the HDF5 attributes.
 *
 * Adding an output: one `static inline` formula in model.h, one LC_GRAPH
 * entry calling it, one LC_OUTPUT_LIST entry naming that node, its tests.
 *
 * LC_INPUT_LIST(X): X(ID, key, unit, long name, default, min, max,
 *                     min_open, max_open); the enum is LC_IN_<ID>.
 * LC_GRAPH(X):      X(ID, formula, arguments...) in topological order (an
 *                   argument is an LC_IN_* input or an earlier N_* node);
 *                   the node is N_<ID> and computes formula(arguments).
 * LC_OUTPUT_LIST(X): X(ID, node, name, unit, long name, formula text,
 *                     money, eval group); the enum is LC_OUT_<ID> and the
 *                     value is that of node N_<node>.
 * LC_GROUP_LIST(X): X(ID, title), the groups `eval` prints in this order.
 */
#ifndef LLMCOST_MODEL_GRAPH_H
#define LLMCOST_MODEL_GRAPH_H

#define LC_INF_ HUGE_VAL

/* ---- inputs ------------------------------------------------------------ */
#define LC_INPUT_LIST(X)                                                                     \
    X(PARAMS, "params", "1", "model parameters N", 1776e9, 0, LC_INF_, 1, 1)                  \
    X(TOKENS, "tokens", "token", "pretraining tokens D", 13e12, 0, LC_INF_, 1, 1)             \
    X(FLOPS, "flops", "FLOP/s", "peak dense FLOP/s per GPU", 312e12, 0, LC_INF_, 1, 1)        \
    X(UTIL, "util", "1", "model FLOP utilization (MFU), training", 1.0, 0, 1, 1, 0)           \
    X(UTIL_INFER, "util_infer", "1", "model FLOP utilization, inference (default: util)",     \
      1.0, 0, 1, 1, 0)                                                                       \
    X(PRICE_HOUR, "price_hour", "USD/GPU-hour", "GPU rental price", 2.2659, 0, LC_INF_, 0, 1) \
    X(DISCOUNT, "discount", "1", "factor on the pretraining rental cost", 1.0, 0, LC_INF_, 1, 1) \
    X(PERIOD_MONTHS, "period", "month", "months between pretraining runs", 6.0, 0, LC_INF_, 1, 1) \
    X(MONTHLY_TOKENS, "monthly_tokens", "token/month", "tokens served per month", 1.85e12, 0, \
      LC_INF_, 0, 1)                                                                         \
    X(PRICE_IN, "price_in", "USD/1K token", "API price of input tokens", 0.01, 0, LC_INF_, 0, 1) \
    X(PRICE_OUT, "price_out", "USD/1K token", "API price of output tokens", 0.03, 0, LC_INF_, 0, 1) \
    X(IO_RATIO, "io_ratio", "1", "input:output token ratio r (r:1)", 1.0, 0, LC_INF_, 0, 1)   \
    X(SUBSCRIPTION, "subscription", "USD/user/month", "subscription price", 20.0, 0, LC_INF_, 0, 1) \
    X(TOKENS_PER_USER, "tokens_per_user", "token/user/month", "tokens per subscriber per month", \
      1.8e6, 0, LC_INF_, 0, 1)                                                               \
    X(USERS, "users", "user", "subscribers", 1e7, 0, LC_INF_, 0, 1)                           \
    X(GPUS, "gpus", "GPU", "GPUs in the training cluster", 10000, 1, LC_INF_, 0, 1)           \
    X(POWER_W, "power_w", "W", "GPU board power", 400, 0, LC_INF_, 0, 1)                      \
    X(PUE, "pue", "1", "data-centre power usage effectiveness", 1.2, 1, LC_INF_, 0, 1)        \
    X(ELEC_PRICE, "elec_price", "USD/kWh", "electricity price", 0.10, 0, LC_INF_, 0, 1)       \
    X(HBM_BW, "hbm_bw", "byte/s", "GPU memory (HBM) bandwidth", 2.039e12, 0, LC_INF_, 1, 1)   \
    X(BATCH, "batch", "sequence", "decode batch size", 1, 1, LC_INF_, 0, 1)                   \
    X(BYTES_PER_PARAM, "bytes_per_param", "byte", "bytes of weights per parameter", 2, 0,     \
      LC_INF_, 1, 1)                                                                         \
    X(ROUTE_SHARE, "route_share", "1", "share of requests routed to the small model", 0.0, 0, \
      1, 0, 0)                                                                               \
    X(SMALL_PARAMS, "small_params", "1", "parameters of the small model", 7e9, 0, LC_INF_, 1, 1) \
    X(ROUTER_COST, "router_cost", "USD/request", "router's own cost per request", 0.0, 0,     \
      LC_INF_, 0, 1)                                                                         \
    X(TOKENS_PER_REQ, "tokens_per_request", "token/request", "tokens per request", 1000, 0,   \
      LC_INF_, 1, 1)                                                                         \
    X(FX_RATE, "fx_rate", "CNY/USD", "other currency per USD", 7.1, 0, LC_INF_, 1, 1)

/* ---- the graph: intermediate nodes and outputs, in evaluation order ----- */
#define LC_GRAPH(X)                                                                          \
    X(GS, lc_pretrain_gpu_seconds, LC_IN_PARAMS, LC_IN_TOKENS, LC_IN_FLOPS, LC_IN_UTIL)      \
    X(PRE, lc_pretrain_cost, N_GS, LC_IN_PRICE_HOUR, LC_IN_DISCOUNT)                         \
    X(MWH, lc_energy_mwh, N_GS, LC_IN_POWER_W, LC_IN_PUE)                                    \
    X(SPT, lc_infer_seconds_per_token, LC_IN_PARAMS, LC_IN_FLOPS, LC_IN_UTIL_INFER)          \
    X(INF, lc_infer_cost_per_1k, N_SPT, LC_IN_PRICE_HOUR)                                    \
    X(SPTBW, lc_infer_seconds_per_token_bw, LC_IN_PARAMS, LC_IN_FLOPS, LC_IN_UTIL_INFER,     \
      LC_IN_HBM_BW, LC_IN_BATCH, LC_IN_BYTES_PER_PARAM)                                      \
    X(FIXED, lc_fixed_monthly_cost, N_PRE, LC_IN_PERIOD_MONTHS)                              \
    X(MONTHLY, lc_monthly_cost, N_FIXED, LC_IN_MONTHLY_TOKENS, N_INF)                        \
    X(AVG, lc_avg_price_per_1k, LC_IN_PRICE_IN, LC_IN_PRICE_OUT, LC_IN_IO_RATIO)             \
    X(TREV, lc_token_revenue, LC_IN_MONTHLY_TOKENS, N_AVG)                                   \
    X(SREV, lc_sub_revenue, LC_IN_USERS, LC_IN_SUBSCRIPTION)                                 \
    X(SCOST, lc_subscription_cost, N_FIXED, LC_IN_USERS, LC_IN_TOKENS_PER_USER, N_INF)       \
    X(SMALL, lc_small_cost_per_1k, LC_IN_SMALL_PARAMS, LC_IN_FLOPS, LC_IN_UTIL_INFER,        \
      LC_IN_PRICE_HOUR)                                                                      \
    X(ROUTE, lc_route_cost_per_1k, LC_IN_ROUTE_SHARE, N_SMALL, N_INF, LC_IN_ROUTER_COST,     \
      LC_IN_TOKENS_PER_REQ)                                                                  \
    X(FLOP, lc_pretrain_flop, LC_IN_PARAMS, LC_IN_TOKENS)                                    \
    X(GPUH, lc_gpu_hours, N_GS)                                                              \
    X(DAYS, lc_train_days, N_GS, LC_IN_GPUS)                                                 \
    X(ECOST, lc_energy_cost, N_MWH, LC_IN_ELEC_PRICE)                                        \
    X(INFBW, lc_infer_cost_per_1k, N_SPTBW, LC_IN_PRICE_HOUR)                                \
    X(TPROFIT, lc_difference, N_TREV, N_MONTHLY)                                             \
    X(TMARGIN, lc_profit_margin, N_TREV, N_MONTHLY)                                          \
    X(BETOK, lc_breakeven_tokens, N_FIXED, N_AVG, N_INF)                                     \
    X(SPROFIT, lc_difference, N_SREV, N_SCOST)                                               \
    X(BEUSERS, lc_breakeven_users, N_FIXED, LC_IN_SUBSCRIPTION, LC_IN_TOKENS_PER_USER, N_INF) \
    X(RSAVE, lc_difference, N_INF, N_ROUTE)                                                  \
    X(RSHARE, lc_saving_share, N_INF, N_ROUTE)

/* ---- eval's groups, in print order ("other" last) ---------------------- */
#define LC_GROUP_LIST(X)                                                                     \
    X(PRETRAIN, "pretraining")                                                               \
    X(INFER, "inference")                                                                    \
    X(MONTHLY, "monthly")                                                                    \
    X(TOKEN, "token business")                                                               \
    X(SUB, "subscription business")                                                          \
    X(ROUTE, "routing")                                                                      \
    X(ENERGY, "energy")                                                                      \
    X(OTHER, "other")

/* ---- outputs ----------------------------------------------------------- */
#define LC_OUTPUT_LIST(X)                                                                    \
    X(PRETRAIN_FLOP, FLOP, "pretrain_flop", "FLOP", "pretraining compute",                   \
      "6 * params * tokens", 0, PRETRAIN)                                                    \
    X(PRETRAIN_GPU_HOURS, GPUH, "pretrain_gpu_hours", "GPU-hour", "pretraining GPU-hours",   \
      "6 * params * tokens / (flops * util) / 3600", 0, PRETRAIN)                            \
    X(PRETRAIN_COST, PRE, "pretrain_cost", "USD", "pretraining cost",                        \
      "6 * params * tokens / (flops * util) * price_hour / 3600 * discount", 1, PRETRAIN)    \
    X(TRAIN_DAYS, DAYS, "train_days", "day", "pretraining wall-clock time on the cluster",   \
      "6 * params * tokens / (flops * util) / gpus / 86400", 0, PRETRAIN)                    \
    X(ENERGY_MWH, MWH, "energy_mwh", "MWh", "pretraining energy at the facility",            \
      "6 * params * tokens / (flops * util) * power_w * pue / 3.6e9", 0, ENERGY)             \
    X(ENERGY_COST, ECOST, "energy_cost", "USD", "pretraining electricity cost",              \
      "energy_mwh * 1000 * elec_price", 1, ENERGY)                                           \
    X(INFER_COST_1K, INF, "infer_cost_per_1k", "USD/1K token",                               \
      "inference cost per 1K tokens (compute-bound)",                                        \
      "1000 * 2 * params / (flops * util_infer) * price_hour / 3600", 1, INFER)              \
    X(INFER_COST_1K_BW, INFBW, "infer_cost_per_1k_bw", "USD/1K token",                       \
      "inference cost per 1K tokens (bandwidth-aware decode)",                               \
      "1000 * max(2 * params / (flops * util_infer), params * bytes_per_param / (hbm_bw * "  \
      "batch)) * price_hour / 3600", 1, INFER)                                               \
    X(FIXED_MONTHLY, FIXED, "fixed_monthly_cost", "USD/month",                               \
      "amortized pretraining cost per month", "pretrain_cost / period", 1, MONTHLY)          \
    X(MONTHLY_COST, MONTHLY, "monthly_cost", "USD/month", "monthly compute cost",            \
      "pretrain_cost / period + monthly_tokens / 1000 * infer_cost_per_1k", 1, MONTHLY)      \
    X(AVG_PRICE_1K, AVG, "avg_price_per_1k", "USD/1K token", "average API price per 1K tokens", \
      "(io_ratio * price_in + price_out) / (io_ratio + 1)", 1, TOKEN)                        \
    X(TOKEN_REVENUE, TREV, "token_revenue", "USD/month", "monthly revenue from selling tokens", \
      "monthly_tokens / 1000 * avg_price_per_1k", 1, TOKEN)                                  \
    X(TOKEN_PROFIT, TPROFIT, "token_profit", "USD/month", "monthly profit from selling tokens", \
      "token_revenue - monthly_cost", 1, TOKEN)                                              \
    X(TOKEN_MARGIN, TMARGIN, "token_margin", "1", "profit margin from selling tokens",       \
      "token_profit / token_revenue (NaN when revenue is 0)", 0, TOKEN)                      \
    X(BREAKEVEN_TOKENS, BETOK, "breakeven_tokens", "token/month", "break-even monthly tokens", \
      "fixed_monthly_cost / (avg_price_per_1k - infer_cost_per_1k) * 1000 (NaN: no "         \
      "break-even)", 0, TOKEN)                                                               \
    X(SUB_REVENUE, SREV, "sub_revenue", "USD/month", "monthly subscription revenue",         \
      "users * subscription", 1, SUB)                                                        \
    X(SUB_COST, SCOST, "sub_cost", "USD/month", "monthly compute cost of the subscribers",   \
      "fixed_monthly_cost + users * (tokens_per_user / 1000 * infer_cost_per_1k)", 1, SUB)   \
    X(SUB_PROFIT, SPROFIT, "sub_profit", "USD/month", "monthly subscription profit",         \
      "sub_revenue - sub_cost", 1, SUB)                                                      \
    X(BREAKEVEN_USERS, BEUSERS, "breakeven_users", "user", "break-even subscribers",         \
      "fixed_monthly_cost / (subscription - tokens_per_user / 1000 * infer_cost_per_1k) "    \
      "(NaN: no break-even)", 0, SUB)                                                        \
    X(ROUTE_COST_1K, ROUTE, "route_cost_per_1k", "USD/1K token",                             \
      "blended inference cost per 1K with routing",                                          \
      "route_share * small_infer_per_1k + (1 - route_share) * infer_cost_per_1k + "          \
      "router_cost * 1000 / tokens_per_request", 1, ROUTE)                                   \
    X(ROUTE_SAVING_1K, RSAVE, "route_saving_per_1k", "USD/1K token",                         \
      "saving per 1K tokens against the large model alone",                                  \
      "infer_cost_per_1k - route_cost_per_1k", 1, ROUTE)                                     \
    X(ROUTE_SAVING_SHARE, RSHARE, "route_saving_share", "1",                                 \
      "saving as a share of the large model's cost", "route_saving_per_1k / infer_cost_per_1k", \
      0, ROUTE)

/* ---- argument plumbing for the expansions ------------------------------ */
/* Number of arguments (1..8) of a node. */
#define LC_NARGS(...) LC_NARGS_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define LC_NARGS_(a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define LC_CAT_(a, b) a##b
#define LC_CAT(a, b) LC_CAT_(a, b)
/* LC_MAP(M, a, b, c) -> M(0, a), M(1, b), M(2, c) */
#define LC_MAP(M, ...) LC_CAT(LC_MAP_, LC_NARGS(__VA_ARGS__))(M, __VA_ARGS__)
#define LC_MAP_1(M, a) M(0, a)
#define LC_MAP_2(M, a, b) M(0, a), M(1, b)
#define LC_MAP_3(M, a, b, c) M(0, a), M(1, b), M(2, c)
#define LC_MAP_4(M, a, b, c, d) M(0, a), M(1, b), M(2, c), M(3, d)
#define LC_MAP_5(M, a, b, c, d, e) M(0, a), M(1, b), M(2, c), M(3, d), M(4, e)
#define LC_MAP_6(M, a, b, c, d, e, f) M(0, a), M(1, b), M(2, c), M(3, d), M(4, e), M(5, f)
#define LC_MAP_7(M, a, b, c, d, e, f, g)                                                     \
    M(0, a), M(1, b), M(2, c), M(3, d), M(4, e), M(5, f), M(6, g)
#define LC_MAP_8(M, a, b, c, d, e, f, g, h)                                                  \
    M(0, a), M(1, b), M(2, c), M(3, d), M(4, e), M(5, f), M(6, g), M(7, h)

#endif
