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
    X(FX_RATE, "fx_rate", "CNY/USD", "other currency per USD", 7.1, 0, LC_INF_, 1, 1)         \
    /* the architecture (defaults: a dense shape of the article's 1776B, 12 L d^2 = 1771B) */ \
    X(PARAMS_ACTIVE, "params_active", "1",                                                   \
      "parameters active per token (mixture-of-experts; 0 = params)", 0, 0, LC_INF_, 0, 1)   \
    X(LAYERS, "layers", "1", "transformer layers", 120, 0, LC_INF_, 1, 1)                    \
    X(D_MODEL, "d_model", "1", "model width (hidden size)", 35072, 0, LC_INF_, 1, 1)         \
    X(HEADS, "heads", "1", "attention (query) heads", 274, 0, LC_INF_, 1, 1)                 \
    X(KV_HEADS, "kv_heads", "1", "key/value heads (grouped-query attention; = heads without)", \
      274, 0, LC_INF_, 1, 1)                                                                 \
    X(HEAD_DIM, "head_dim", "1", "width of one attention head (0 = d_model / heads)", 0, 0,  \
      LC_INF_, 0, 1)                                                                         \
    X(KV_DIM, "kv_dim", "element/token/layer",                                               \
      "KV-cache elements per token per layer (0 = 2 * kv_heads * head_dim)", 0, 0, LC_INF_, 0, 1) \
    X(KV_BYTES, "kv_bytes", "byte", "bytes per KV-cache element", 2, 0, LC_INF_, 1, 1)       \
    X(CONTEXT, "context", "token", "tokens held per sequence while serving", 4096, 0, LC_INF_, \
      1, 1)                                                                                  \
    X(TRAIN_SEQ_LEN, "train_seq_len", "token",                                               \
      "pretraining sequence length (attention FLOPs; 0 = not counted)", 0, 0, LC_INF_, 0, 1) \
    X(PROMPT_TOKENS, "prompt_tokens", "token/request", "prompt tokens per request", 500, 0,  \
      LC_INF_, 0, 1)                                                                         \
    X(OUTPUT_TOKENS, "output_tokens", "token/request", "output tokens per request", 500, 0,  \
      LC_INF_, 0, 1)                                                                         \
    /* the GPU's memory and the serving fleet */                                             \
    X(GPU_MEM, "gpu_mem", "byte", "GPU memory as the vendor states it (80 GB = 80e9)", 80e9, \
      0, LC_INF_, 1, 1)                                                                      \
    X(MEM_UTIL, "mem_util", "1", "usable share of GPU memory", 0.9, 0, 1, 1, 0)              \
    X(BW_UTIL, "bw_util", "1", "achieved share of HBM bandwidth", 1.0, 0, 1, 1, 0)           \
    X(TP, "tp", "GPU", "GPUs per serving replica (0 = the fewest that fit)", 0, 0, LC_INF_, 0, 1) \
    X(LOAD_FACTOR, "load_factor", "1", "share of the fleet's capacity that serves paid traffic", \
      1.0, 0, 1, 1, 0)                                                                       \
    X(GRID_CARBON, "grid_carbon", "kgCO2e/kWh",                                              \
      "carbon intensity of the electricity (world 2023, Ember)", 0.481, 0, LC_INF_, 0, 1)   \
    X(SERVING, "serving", "1",                                                               \
      "cost the business outputs use: 0 compute (the article's), 1 roofline", 0, 0, 1, 0, 0) \
    X(SMALL_PARAMS_ACTIVE, "small_params_active", "1",                                       \
      "small model's active parameters (0 = small_params)", 0, 0, LC_INF_, 0, 1)             \
    X(SMALL_KV_PER_TOKEN, "small_kv_per_token", "byte/token",                                \
      "small model's KV cache per token (0 = kv_bytes_per_token * small_params / params)", 0, \
      0, LC_INF_, 0, 1)

/* ---- the graph: intermediate nodes and outputs, in evaluation order ----- */
#define LC_GRAPH(X)                                                                          \
    /* the architecture's derived widths */                                                  \
    X(PACT, lc_or_derived, LC_IN_PARAMS_ACTIVE, LC_IN_PARAMS)                                \
    X(HD, lc_head_dim, LC_IN_HEAD_DIM, LC_IN_D_MODEL, LC_IN_HEADS)                           \
    X(KVD, lc_kv_dim, LC_IN_KV_DIM, LC_IN_KV_HEADS, N_HD)                                    \
    /* pretraining */                                                                        \
    X(FLOP, lc_pretrain_flop_attn, N_PACT, LC_IN_TOKENS, LC_IN_LAYERS, LC_IN_HEADS, N_HD,    \
      LC_IN_TRAIN_SEQ_LEN)                                                                   \
    X(GS, lc_flop_gpu_seconds, N_FLOP, LC_IN_FLOPS, LC_IN_UTIL)                              \
    X(PRE, lc_pretrain_cost, N_GS, LC_IN_PRICE_HOUR, LC_IN_DISCOUNT)                         \
    X(MWH, lc_energy_mwh, N_GS, LC_IN_POWER_W, LC_IN_PUE)                                    \
    X(CARBON, lc_carbon_t, N_MWH, LC_IN_GRID_CARBON)                                         \
    /* compute-bound and bandwidth-aware inference (the article's) */                        \
    X(SPT, lc_infer_seconds_per_token, N_PACT, LC_IN_FLOPS, LC_IN_UTIL_INFER)                \
    X(INF, lc_infer_cost_per_1k, N_SPT, LC_IN_PRICE_HOUR)                                    \
    X(SPTBW, lc_infer_seconds_per_token_moe_bw, N_PACT, LC_IN_PARAMS, LC_IN_FLOPS,           \
      LC_IN_UTIL_INFER, LC_IN_HBM_BW, LC_IN_BATCH, LC_IN_BYTES_PER_PARAM)                    \
    /* memory */                                                                             \
    X(WEIGHTS, lc_weights_bytes, LC_IN_PARAMS, LC_IN_BYTES_PER_PARAM)                        \
    X(KVTOK, lc_kv_bytes_per_token, LC_IN_LAYERS, N_KVD, LC_IN_KV_BYTES)                     \
    X(KVSEQ, lc_kv_bytes_per_seq, N_KVTOK, LC_IN_CONTEXT)                                    \
    X(MEM, lc_mem_per_replica, N_WEIGHTS, LC_IN_BATCH, N_KVSEQ)                              \
    X(GPR, lc_gpus_per_replica, LC_IN_TP, N_MEM, LC_IN_GPU_MEM, LC_IN_MEM_UTIL)              \
    /* max_batch is on the replica's GPUs whatever the batch: tp when given (even when  \
     * the batch does not fit there: then it says which batch would), else the fewest */ \
    X(GCAP, lc_or_derived, LC_IN_TP, N_GPR)                                                  \
    X(MAXB, lc_max_batch, N_GCAP, LC_IN_GPU_MEM, LC_IN_MEM_UTIL, N_WEIGHTS, N_KVSEQ)         \
    /* serving: the roofline of one replica */                                               \
    X(PFTOK, lc_prefill_flop_per_token, N_PACT, LC_IN_PROMPT_TOKENS, LC_IN_LAYERS,           \
      LC_IN_HEADS, N_HD)                                                                     \
    X(PFLOP, lc_prefill_flop, LC_IN_PROMPT_TOKENS, N_PFTOK)                                  \
    X(DFTOK, lc_decode_flop_per_token, N_PACT, LC_IN_LAYERS, LC_IN_HEADS, N_HD,              \
      LC_IN_CONTEXT)                                                                         \
    X(PTPS, lc_prefill_tokens_per_s, N_GPR, LC_IN_FLOPS, LC_IN_UTIL_INFER, N_PFTOK)          \
    X(STEP, lc_decode_step_s, LC_IN_BATCH, N_DFTOK, N_GPR, LC_IN_FLOPS, LC_IN_UTIL_INFER,    \
      N_MEM, LC_IN_HBM_BW, LC_IN_BW_UTIL)                                                    \
    X(DTPS, lc_decode_tokens_per_s, LC_IN_BATCH, N_STEP)                                     \
    X(TTFT, lc_ttft_s, LC_IN_PROMPT_TOKENS, N_PTPS)                                          \
    X(TPOT, lc_tpot_ms, N_STEP)                                                              \
    X(LAT, lc_request_latency_s, N_TTFT, LC_IN_OUTPUT_TOKENS, N_STEP)                        \
    X(PRE1K, lc_replica_cost_per_1k, N_GPR, LC_IN_PRICE_HOUR, N_PTPS)                        \
    X(DEC1K, lc_replica_cost_per_1k, N_GPR, LC_IN_PRICE_HOUR, N_DTPS)                        \
    X(SERVE, lc_serve_cost_per_1k, N_PRE1K, N_DEC1K, LC_IN_IO_RATIO, LC_IN_LOAD_FACTOR)      \
    /* the small model of routing: compute-bound, and the same roofline on its own replica \
     * (its shape is not an input: weight FLOPs only, no attention term) */                \
    X(SPACT, lc_or_derived, LC_IN_SMALL_PARAMS_ACTIVE, LC_IN_SMALL_PARAMS)                   \
    X(SMALL, lc_small_cost_per_1k, N_SPACT, LC_IN_FLOPS, LC_IN_UTIL_INFER, LC_IN_PRICE_HOUR) \
    X(SKVTOK, lc_small_kv_per_token, LC_IN_SMALL_KV_PER_TOKEN, N_KVTOK, LC_IN_SMALL_PARAMS,  \
      LC_IN_PARAMS)                                                                          \
    X(SKVSEQ, lc_kv_bytes_per_seq, N_SKVTOK, LC_IN_CONTEXT)                                  \
    X(SWEIGHTS, lc_weights_bytes, LC_IN_SMALL_PARAMS, LC_IN_BYTES_PER_PARAM)                 \
    X(SMEM, lc_mem_per_replica, N_SWEIGHTS, LC_IN_BATCH, N_SKVSEQ)                           \
    X(SGPR, lc_gpus_needed, N_SMEM, LC_IN_GPU_MEM, LC_IN_MEM_UTIL)                           \
    X(SWFTOK, lc_weight_flop_per_token, N_SPACT)                                             \
    X(SPTPS, lc_prefill_tokens_per_s, N_SGPR, LC_IN_FLOPS, LC_IN_UTIL_INFER, N_SWFTOK)       \
    X(SSTEP, lc_decode_step_s, LC_IN_BATCH, N_SWFTOK, N_SGPR, LC_IN_FLOPS, LC_IN_UTIL_INFER, \
      N_SMEM, LC_IN_HBM_BW, LC_IN_BW_UTIL)                                                   \
    X(SDTPS, lc_decode_tokens_per_s, LC_IN_BATCH, N_SSTEP)                                   \
    X(SPRE1K, lc_replica_cost_per_1k, N_SGPR, LC_IN_PRICE_HOUR, N_SPTPS)                     \
    X(SDEC1K, lc_replica_cost_per_1k, N_SGPR, LC_IN_PRICE_HOUR, N_SDTPS)                     \
    X(SSERVE, lc_serve_cost_per_1k, N_SPRE1K, N_SDEC1K, LC_IN_IO_RATIO, LC_IN_LOAD_FACTOR)   \
    /* the cost the business outputs use */                                                  \
    X(LCOST, lc_select_serving, LC_IN_SERVING, N_INF, N_SERVE)                               \
    X(SCOSTSEL, lc_select_serving, LC_IN_SERVING, N_SMALL, N_SSERVE)                         \
    X(ROUTE, lc_route_cost_per_1k, LC_IN_ROUTE_SHARE, N_SCOSTSEL, N_LCOST, LC_IN_ROUTER_COST, \
      LC_IN_TOKENS_PER_REQ)                                                                  \
    X(BIZ, lc_business_cost_per_1k, LC_IN_ROUTE_SHARE, N_ROUTE, N_LCOST)                     \
    /* business */                                                                           \
    X(FIXED, lc_fixed_monthly_cost, N_PRE, LC_IN_PERIOD_MONTHS)                              \
    X(MONTHLY, lc_monthly_cost, N_FIXED, LC_IN_MONTHLY_TOKENS, N_BIZ)                        \
    X(AVG, lc_avg_price_per_1k, LC_IN_PRICE_IN, LC_IN_PRICE_OUT, LC_IN_IO_RATIO)             \
    X(TREV, lc_token_revenue, LC_IN_MONTHLY_TOKENS, N_AVG)                                   \
    X(SREV, lc_sub_revenue, LC_IN_USERS, LC_IN_SUBSCRIPTION)                                 \
    X(SCOST, lc_subscription_cost, N_FIXED, LC_IN_USERS, LC_IN_TOKENS_PER_USER, N_BIZ)       \
    X(GPUH, lc_gpu_hours, N_GS)                                                              \
    X(DAYS, lc_train_days, N_GS, LC_IN_GPUS)                                                 \
    X(ECOST, lc_energy_cost, N_MWH, LC_IN_ELEC_PRICE)                                        \
    X(INFBW, lc_infer_cost_per_1k, N_SPTBW, LC_IN_PRICE_HOUR)                                \
    X(TPROFIT, lc_difference, N_TREV, N_MONTHLY)                                             \
    X(TMARGIN, lc_profit_margin, N_TREV, N_MONTHLY)                                          \
    X(BETOK, lc_breakeven_tokens, N_FIXED, N_AVG, N_BIZ)                                     \
    X(SPROFIT, lc_difference, N_SREV, N_SCOST)                                               \
    X(BEUSERS, lc_breakeven_users, N_FIXED, LC_IN_SUBSCRIPTION, LC_IN_TOKENS_PER_USER, N_BIZ) \
    X(RSAVE, lc_difference, N_LCOST, N_ROUTE)                                                \
    X(RSHARE, lc_saving_share, N_LCOST, N_ROUTE)                                             \
    X(SELFHOST, lc_selfhost_breakeven_tokens, N_SERVE, N_AVG, N_GPR, LC_IN_PRICE_HOUR)

/* Pick nodes: the first argument (an input) chooses which of the others
 * make the value (model.h: lc_or_derived and the functions built on it,
 * lc_select_serving, lc_business_cost_per_1k).  X(node, pick) with pick(x)
 * the bit mask of the live arguments for a value x of the first one; where
 * the first input is fixed, the other arguments are not dependencies
 * (lc_node_closure_fixed), so a sweep neither stores nor computes them. */
#define LC_PICK_LIST(X)                                                                      \
    X(PACT, lc_pick_or_derived)                                                              \
    X(HD, lc_pick_or_derived)                                                                \
    X(KVD, lc_pick_or_derived)                                                               \
    X(GCAP, lc_pick_or_derived)                                                              \
    X(SPACT, lc_pick_or_derived)                                                             \
    X(SKVTOK, lc_pick_or_derived)                                                            \
    X(LCOST, lc_pick_serving)                                                                \
    X(SCOSTSEL, lc_pick_serving)                                                             \
    X(BIZ, lc_pick_business)

/* ---- eval's groups, in print order ("other" last) ---------------------- */
#define LC_GROUP_LIST(X)                                                                     \
    X(PRETRAIN, "pretraining")                                                               \
    X(INFER, "inference")                                                                    \
    X(MEMORY, "memory")                                                                      \
    X(SERVING, "serving")                                                                    \
    X(MONTHLY, "monthly")                                                                    \
    X(TOKEN, "token business")                                                               \
    X(SUB, "subscription business")                                                          \
    X(ROUTE, "routing")                                                                      \
    X(SELFHOST, "self-host or buy")                                                          \
    X(ENERGY, "energy")                                                                      \
    X(OTHER, "other")

/* ---- outputs ----------------------------------------------------------- */
#define LC_OUTPUT_LIST(X)                                                                    \
    X(PRETRAIN_FLOP, FLOP, "pretrain_flop", "FLOP", "pretraining compute",                   \
      "(6 * params_active + 12 * layers * heads * head_dim * train_seq_len) * tokens", 0,    \
      PRETRAIN)                                                    \
    X(PRETRAIN_GPU_HOURS, GPUH, "pretrain_gpu_hours", "GPU-hour", "pretraining GPU-hours",   \
      "pretrain_flop / (flops * util) / 3600", 0, PRETRAIN)                            \
    X(PRETRAIN_COST, PRE, "pretrain_cost", "USD", "pretraining cost",                        \
      "pretrain_flop / (flops * util) * price_hour / 3600 * discount", 1, PRETRAIN)    \
    X(TRAIN_DAYS, DAYS, "train_days", "day", "pretraining wall-clock time on the cluster",   \
      "pretrain_flop / (flops * util) / gpus / 86400", 0, PRETRAIN)                    \
    X(ENERGY_MWH, MWH, "energy_mwh", "MWh", "pretraining energy at the facility",            \
      "pretrain_flop / (flops * util) * power_w * pue / 3.6e9", 0, ENERGY)             \
    X(ENERGY_COST, ECOST, "energy_cost", "USD", "pretraining electricity cost",              \
      "energy_mwh * 1000 * elec_price", 1, ENERGY)                                           \
    X(INFER_COST_1K, INF, "infer_cost_per_1k", "USD/1K token",                               \
      "inference cost per 1K tokens (compute-bound)",                                        \
      "1000 * 2 * params_active / (flops * util_infer) * price_hour / 3600", 1, INFER)              \
    X(INFER_COST_1K_BW, INFBW, "infer_cost_per_1k_bw", "USD/1K token",                       \
      "inference cost per 1K tokens (bandwidth-aware decode)",                               \
      "1000 * max(2 * params_active / (flops * util_infer), params * bytes_per_param / "     \
      "(hbm_bw * batch)) * price_hour / 3600", 1, INFER)                                               \
    X(FIXED_MONTHLY, FIXED, "fixed_monthly_cost", "USD/month",                               \
      "amortized pretraining cost per month", "pretrain_cost / period", 1, MONTHLY)          \
    X(MONTHLY_COST, MONTHLY, "monthly_cost", "USD/month", "monthly compute cost",            \
      "pretrain_cost / period + monthly_tokens / 1000 * cost_per_1k", 1, MONTHLY)      \
    X(AVG_PRICE_1K, AVG, "avg_price_per_1k", "USD/1K token", "average API price per 1K tokens", \
      "(io_ratio * price_in + price_out) / (io_ratio + 1)", 1, TOKEN)                        \
    X(TOKEN_REVENUE, TREV, "token_revenue", "USD/month", "monthly revenue from selling tokens", \
      "monthly_tokens / 1000 * avg_price_per_1k", 1, TOKEN)                                  \
    X(TOKEN_PROFIT, TPROFIT, "token_profit", "USD/month", "monthly profit from selling tokens", \
      "token_revenue - monthly_cost", 1, TOKEN)                                              \
    X(TOKEN_MARGIN, TMARGIN, "token_margin", "1", "profit margin from selling tokens",       \
      "token_profit / token_revenue (NaN when revenue is 0)", 0, TOKEN)                      \
    X(BREAKEVEN_TOKENS, BETOK, "breakeven_tokens", "token/month", "break-even monthly tokens", \
      "fixed_monthly_cost / (avg_price_per_1k - cost_per_1k) * 1000 (NaN: no break-even)", 0, \
      TOKEN)                                                               \
    X(SUB_REVENUE, SREV, "sub_revenue", "USD/month", "monthly subscription revenue",         \
      "users * subscription", 1, SUB)                                                        \
    X(SUB_COST, SCOST, "sub_cost", "USD/month", "monthly compute cost of the subscribers",   \
      "fixed_monthly_cost + users * (tokens_per_user / 1000 * cost_per_1k)", 1, SUB)   \
    X(SUB_PROFIT, SPROFIT, "sub_profit", "USD/month", "monthly subscription profit",         \
      "sub_revenue - sub_cost", 1, SUB)                                                      \
    X(BREAKEVEN_USERS, BEUSERS, "breakeven_users", "user", "break-even subscribers",         \
      "fixed_monthly_cost / (subscription - tokens_per_user / 1000 * cost_per_1k) (NaN: no "  \
      "break-even)", 0, SUB)                                                        \
    X(ROUTE_COST_1K, ROUTE, "route_cost_per_1k", "USD/1K token",                             \
      "blended inference cost per 1K with routing",                                          \
      "route_share * small_cost + (1 - route_share) * large_cost + router_cost * 1000 / "    \
      "tokens_per_request (each cost compute-bound, or roofline with serving = 1)", 1, ROUTE)                                    \
    X(ROUTE_SAVING_1K, RSAVE, "route_saving_per_1k", "USD/1K token",                         \
      "saving per 1K tokens against the large model alone",                                  \
      "large_cost - route_cost_per_1k", 1, ROUTE)                                     \
    X(ROUTE_SAVING_SHARE, RSHARE, "route_saving_share", "1",                                 \
      "saving as a share of the large model's cost", "route_saving_per_1k / large_cost", 0,  \
      ROUTE)                                                                                 \
    X(CARBON_T, CARBON, "carbon_t", "tCO2e", "pretraining carbon emissions",                 \
      "energy_mwh * grid_carbon", 0, ENERGY)                                                 \
    X(WEIGHTS_BYTES, WEIGHTS, "weights_bytes", "byte", "weights in memory",                  \
      "params * bytes_per_param", 0, MEMORY)                                                 \
    X(KV_BYTES_PER_TOKEN, KVTOK, "kv_bytes_per_token", "byte/token", "KV cache per token",   \
      "layers * kv_dim * kv_bytes (kv_dim 0: 2 * kv_heads * head_dim; head_dim 0: d_model / " \
      "heads)", 0, MEMORY)                                                                   \
    X(KV_BYTES_PER_SEQ, KVSEQ, "kv_bytes_per_seq", "byte/sequence", "KV cache per sequence", \
      "kv_bytes_per_token * context", 0, MEMORY)                                             \
    X(MEM_PER_REPLICA, MEM, "mem_per_replica", "byte", "memory of one serving replica",      \
      "weights_bytes + batch * kv_bytes_per_seq", 0, MEMORY)                                 \
    X(GPUS_PER_REPLICA, GPR, "gpus_per_replica", "GPU", "GPUs per serving replica",          \
      "tp if tp >= ceil(mem_per_replica / (gpu_mem * mem_util)), else NaN (does not fit); "  \
      "tp 0: that ceiling", 0, MEMORY)                                                       \
    X(MAX_BATCH, MAXB, "max_batch", "sequence", "largest batch whose KV cache fits",         \
      "floor((g * gpu_mem * mem_util - weights_bytes) / kv_bytes_per_seq), at least 0, "      \
      "g = tp if tp > 0 else gpus_per_replica", 0, MEMORY)                                   \
    X(PREFILL_FLOP, PFLOP, "prefill_flop", "FLOP/request",                                   \
      "prefill compute of one prompt (weights and causal attention)",                        \
      "prompt_tokens * (2 * params_active + 2 * layers * heads * head_dim * (prompt_tokens + " \
      "1))", 0, SERVING)                                                                     \
    X(DECODE_FLOP_TOK, DFTOK, "decode_flop", "FLOP/token",                                   \
      "compute of one decode token at the full context",                                    \
      "2 * params_active + 4 * layers * heads * head_dim * context", 0, SERVING)             \
    X(PREFILL_TPS, PTPS, "prefill_tokens_per_s", "token/s",                                  \
      "prefill throughput of a replica (compute-bound)",                                     \
      "gpus_per_replica * flops * util_infer / (2 * params_active + 2 * layers * heads * "   \
      "head_dim * (prompt_tokens + 1))", 0, SERVING)                                         \
    X(DECODE_TPS, DTPS, "decode_tokens_per_s", "token/s", "decode throughput of a replica",  \
      "batch / step, step = max(batch * decode_flop_per_token / (gpus_per_replica * flops * " \
      "util_infer), mem_per_replica / (gpus_per_replica * hbm_bw * bw_util))", 0, SERVING)   \
    X(TTFT_S, TTFT, "ttft_s", "s", "time to first token (prefill of the prompt)",            \
      "prompt_tokens / prefill_tokens_per_s", 0, SERVING)                                    \
    X(TPOT_MS, TPOT, "tpot_ms", "ms", "time per output token (one decode step)",             \
      "1000 * step", 0, SERVING)                                                             \
    X(REQUEST_LATENCY_S, LAT, "request_latency_s", "s", "latency of one request",            \
      "ttft_s + output_tokens * step", 0, SERVING)                                           \
    X(PREFILL_COST_1K, PRE1K, "prefill_cost_per_1k", "USD/1K token",                         \
      "prefill (input) cost per 1K tokens",                                                  \
      "1000 * gpus_per_replica * price_hour / 3600 / prefill_tokens_per_s", 1, SERVING)      \
    X(DECODE_COST_1K, DEC1K, "decode_cost_per_1k", "USD/1K token",                           \
      "decode (output) cost per 1K tokens",                                                  \
      "1000 * gpus_per_replica * price_hour / 3600 / decode_tokens_per_s", 1, SERVING)       \
    X(SERVE_COST_1K, SERVE, "serve_cost_per_1k", "USD/1K token",                             \
      "serving cost per 1K tokens (roofline, paid share of capacity)",                       \
      "(io_ratio * prefill_cost_per_1k + decode_cost_per_1k) / (io_ratio + 1) / load_factor", \
      1, SERVING)                                                                            \
    X(COST_1K, BIZ, "cost_per_1k", "USD/1K token",                                           \
      "inference cost per 1K the business outputs use",                                      \
      "route_share > 0: route_cost_per_1k; else serving 0: infer_cost_per_1k, 1: "           \
      "serve_cost_per_1k", 1, MONTHLY)                                                       \
    X(SELFHOST_BREAKEVEN, SELFHOST, "selfhost_breakeven_tokens", "token/month",              \
      "monthly tokens above which self-hosting costs less than the API",                     \
      "k * gpus_per_replica * price_hour * 730 / avg_price_per_1k * 1000, k = ceil(1 / (1 - " \
      "u)) - 1, u = serve_cost_per_1k / avg_price_per_1k (NaN: u >= 1, never)", 0, SELFHOST)

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
