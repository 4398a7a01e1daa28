/*
 * model.h - the cost formulas of llmcost: the one source of truth.
 *
 * Every formula is a pure `static inline` function of doubles so that the
 * scalar reference (lc_model_eval), the CLI and the vectorized sweep kernel
 * all inline the very same expression (inside `#pragma omp simd` loops too).
 * The project is compiled with -ffp-contract=off, so an inlined formula gives
 * the same bits in every caller and every ISA path.
 *
 * Units: counts are plain numbers, time in seconds unless a name says
 * otherwise, money in USD, prices of tokens in USD per 1000 tokens, GPU
 * prices in USD per GPU-hour, power in W, bandwidth in bytes/s.
 *
 * Where a formula has no finite answer (a break-even whose margin is <= 0)
 * it returns NaN; callers that print report "no break-even" instead
 * (lc_model_breakeven_* give the status explicitly).
 *
 * The tables lc_inputs[] and lc_outputs[] describe every input and output:
 * name, unit, long name, default, valid range, formula text and (for outputs)
 * the graph node that holds it; they, the graph and lc_model_eval are
 * expanded from the lists in model_graph.h.  Specs, --help, HDF5 attributes
 * and the sweep's storage layout all read these tables; the inputs each
 * output depends on come from the graph (lc_output_depends).
 */
#ifndef LLMCOST_MODEL_H
#define LLMCOST_MODEL_H

#include <math.h>
#include <stdint.h>

#include "model/model_graph.h"
#include "util/status.h"

/* ---- inputs -------------------------------------------------------------- */
/* One enum entry per LC_INPUT_LIST row (model_graph.h holds the meaning of
 * each: key, unit, long name, default and range). */
typedef enum {
#define LC_X(id, ...) LC_IN_##id,
    LC_INPUT_LIST(LC_X)
#undef LC_X
    LC_IN_COUNT
} lc_input;

typedef struct {
    const char *name;      /* spec / CLI key, e.g. "params" */
    const char *unit;      /* "1", "FLOP/s", "USD/GPU-hour", ... */
    const char *long_name; /* human description */
    double def;            /* default value */
    double min, max;       /* valid range ... */
    int min_open, max_open;/* ... 1 = bound excluded */
} lc_input_info;

extern const lc_input_info lc_inputs[LC_IN_COUNT];

/* Index of an input by name, or -1. */
int lc_input_find(const char *name);

/* The value a word stands for where an input takes words (serving:
 * "compute" 0, "roofline" 1): 1 and *v, or 0 when `text` is no such word. */
int lc_input_keyword(lc_input id, const char *text, double *v);

/* The words an input takes ("compute or roofline"), or NULL. */
const char *lc_input_keywords(lc_input id);

/* What 0 means for an input whose 0 is a rule ("= params", "the fewest
 * that fit", ...), or NULL. */
const char *lc_input_zero_meaning(lc_input id);

/* Fill v with every default. */
void lc_inputs_default(double v[LC_IN_COUNT]);

/* The valid range of an input as text, "(0, 1]" or "[0, inf)", for help
 * texts and messages. */
void lc_input_describe_range(lc_input id, char *buf, size_t size);

/* Check one value against its input's range (NaN/Inf always rejected). */
lc_status lc_input_check(lc_input id, double x, lc_diag *d);

/* Check all values. */
lc_status lc_inputs_check(const double v[LC_IN_COUNT], lc_diag *d);

/* ---- the graph ------------------------------------------------------------ */
/* Nodes 0..LC_IN_COUNT-1 are the inputs; N_<ID> (from LC_GRAPH) are the
 * intermediate nodes and outputs, each one model.h formula of earlier
 * nodes. */
enum {
    LC_NODE_FIRST_ = LC_IN_COUNT - 1,
#define LC_X(id, ...) N_##id,
    LC_GRAPH(LC_X)
#undef LC_X
    N_COUNT
};

#define LC_NODE_MAX_ARGS 8

typedef struct {
    int nargs;
    int args[LC_NODE_MAX_ARGS];
} lc_node_def;

/* Arguments of every node (inputs have nargs 0). */
extern const lc_node_def lc_node_defs[N_COUNT];

/* A set of nodes (inputs included): bit i of word i / 64. */
#define LC_NODESET_WORDS ((N_COUNT + 63) / 64)
typedef struct {
    uint64_t w[LC_NODESET_WORDS];
} lc_nodeset;

static inline int lc_ns_has(const lc_nodeset *s, int i)
{
    return (int)(s->w[i >> 6] >> (i & 63) & 1);
}

static inline void lc_ns_add(lc_nodeset *s, int i)
{
    s->w[i >> 6] |= (uint64_t)1 << (i & 63);
}

static inline void lc_ns_clear(lc_nodeset *s)
{
    for (int k = 0; k < LC_NODESET_WORDS; k++)
        s->w[k] = 0;
}

static inline void lc_ns_or(lc_nodeset *dst, const lc_nodeset *src)
{
    for (int k = 0; k < LC_NODESET_WORDS; k++)
        dst->w[k] |= src->w[k];
}

/* The nodes `node` needs, itself and its inputs included. */
lc_nodeset lc_node_closure(int node);

/* The arguments of node `id` (bit a: argument a) that make its value when
 * its inputs stay in the ranges [lo[i], hi[i]]: for a pick node
 * (LC_PICK_LIST) whose first argument picks the same arguments at both ends
 * of its range, those (and the first); for any other node, or lo / hi NULL,
 * all of them. */
unsigned lc_node_live_args(int id, const double *lo, const double *hi);

/* The closure through live arguments only: the nodes whose value `node`
 * can read while the inputs stay in [lo, hi] (lo, hi NULL: lc_node_closure). */
lc_nodeset lc_node_closure_in(int node, const double *lo, const double *hi);

/* ---- outputs ------------------------------------------------------------- */
typedef enum {
#define LC_X(id, ...) LC_OUT_##id,
    LC_OUTPUT_LIST(LC_X)
#undef LC_X
    LC_OUT_COUNT
} lc_output;

/* The groups `eval` prints outputs in (LC_GROUP_LIST order). */
typedef enum {
#define LC_X(id, title) LC_GROUP_##id,
    LC_GROUP_LIST(LC_X)
#undef LC_X
    LC_GROUP_COUNT
} lc_group;

extern const char *const lc_group_names[LC_GROUP_COUNT];

typedef uint64_t lc_inmask;   /* bit i set: depends on input i */
#define LC_BIT(i) ((lc_inmask)1 << (i))
_Static_assert(LC_IN_COUNT <= 64, "lc_inmask holds one bit per input");

typedef struct {
    const char *name;      /* "pretrain_cost" */
    const char *unit;      /* "USD" */
    const char *long_name;
    const char *formula;   /* the formula in words, stored as an HDF5 attribute */
    int node;              /* the graph node that holds it (N_*) */
    int money;             /* 1: a USD figure (eval also shows it converted) */
    lc_group group;        /* where eval prints it */
} lc_output_info;

extern const lc_output_info lc_outputs[LC_OUT_COUNT];

/* The inputs an output depends on: the inputs in its node's closure
 * (util_infer counted as given). */
lc_inmask lc_output_depends(lc_output o);

/* The same while the inputs stay in [lo, hi] (a spec's fixed values and
 * axis ranges): a branch no value in the ranges can pick (serving fixed to
 * compute, route_share fixed to 0, params_active given) is not a
 * dependency. */
lc_inmask lc_output_depends_in(lc_output o, const double *lo, const double *hi);

/* Index of an output by name, or -1. */
int lc_output_find(const char *name);

/* Scalar reference: every output at one point.  Outputs without a finite
 * answer (no break-even) are NaN. Inputs must have passed lc_inputs_check. */
void lc_model_eval(const double in[LC_IN_COUNT], double out[LC_OUT_COUNT]);

/* A fingerprint of the model this binary computes: the names, units,
 * defaults and ranges of the inputs, the graph's wiring, the outputs'
 * names, units and formula text, and the bits of every output at a few
 * probe points (the defaults; a dense and a mixture-of-experts shape served
 * by the roofline with routing).  A changed formula changes it, so a sweep
 * resumed or merged by a binary of another model is refused
 * (cluster_sweep.c) rather than mixing two models' values in one file. */
uint64_t lc_model_fingerprint(void);

/* ---- the formulas -------------------------------------------------------- */
#define LC_SECONDS_PER_HOUR 3600.0
#define LC_CHINCHILLA_TOKENS_PER_PARAM 20.0

/* USD per GPU-second from USD per GPU-hour. */
static inline double lc_price_per_second(double price_hour)
{
    return price_hour / LC_SECONDS_PER_HOUR;
}

/* Training tokens by the Chinchilla rule, D = 20 N. */
static inline double lc_chinchilla_tokens(double params)
{
    return LC_CHINCHILLA_TOKENS_PER_PARAM * params;
}

/* ceil and floor of x >= 0 (or NaN, inf) as plain IEEE arithmetic, so that
 * the loops calling them vectorize on every ISA path and give the same bits
 * everywhere: GCC vectorizes the libm ceil / floor only with
 * -fno-trapping-math, which the project does not use, and a select whose
 * arm does arithmetic becomes a branch on AVX2.  For x < 2^52, (x + 2^52) -
 * 2^52 is x rounded to the nearest integer (exact: the sum's ulp is 1);
 * 0.5 - copysign(0.5, d) is 1 for d < 0 and 0 for d >= +0, so no compare
 * feeds arithmetic; x >= 2^52 (already whole), inf and NaN come back as they
 * are.  Equal to ceil / floor for every x >= 0 and -0 (tests/test_planner.c
 * checks 2 million values).  The model calls them on GPU counts, batches
 * and replica counts only, never on a negative x. */
#define LC_TWO52 4503599627370496.0
static inline double lc_ceil_nonneg(double x)
{
    double r = (x + LC_TWO52) - LC_TWO52;
    double c = r + (0.5 - copysign(0.5, r - x));
    return ((c > x) & (x < LC_TWO52)) ? c : x;
}

static inline double lc_floor_nonneg(double x)
{
    double c = lc_ceil_nonneg(x);
    return c - (0.5 - copysign(0.5, x - c));
}

/* An input whose 0 means "derived": x when x > 0, else the derived value
 * (params_active = params, small_params_active = small_params, ...). */
static inline double lc_or_derived(double x, double derived)
{
    return x > 0.0 ? x : derived;
}

/* Width of one attention head: head_dim, or d_model / heads when 0. */
static inline double lc_head_dim(double head_dim, double d_model, double heads)
{
    return lc_or_derived(head_dim, d_model / heads);
}

/* KV-cache elements per token per layer: kv_dim, or 2 kv_heads head_dim
 * (one key and one value vector per KV head) when 0. */
static inline double lc_kv_dim(double kv_dim, double kv_heads, double head_dim)
{
    return lc_or_derived(kv_dim, 2.0 * kv_heads * head_dim);
}

/* Pretraining FLOP with the attention term of the PaLM paper's MFU
 * accounting (Chowdhery et al. 2022, appendix B): (6 N + 12 L H Q T) D, N
 * the parameters active per token, L layers, H heads of width Q, T the
 * sequence length (0: the article's 6 N D), D tokens. */
static inline double lc_pretrain_flop_attn(double params_active, double tokens,
                                           double layers, double heads, double head_dim,
                                           double seq_len)
{
    return (6.0 * params_active + 12.0 * layers * heads * head_dim * seq_len) * tokens;
}

/* Pretraining FLOP, 6 N D (the same bits as the attention form at T = 0). */
static inline double lc_pretrain_flop(double params, double tokens)
{
    return lc_pretrain_flop_attn(params, tokens, 0.0, 0.0, 0.0, 0.0);
}

/* GPU-seconds of `flop` FLOP at F FLOP/s and utilization U. */
static inline double lc_flop_gpu_seconds(double flop, double flops, double util)
{
    return flop / (flops * util);
}

/* GPU-seconds of pretraining, 6 N D / (F U). */
static inline double lc_pretrain_gpu_seconds(double params, double tokens,
                                             double flops, double util)
{
    return lc_flop_gpu_seconds(lc_pretrain_flop(params, tokens), flops, util);
}

/* Pretraining cost, USD: GPU-seconds * price per second * discount. */
static inline double lc_pretrain_cost(double gpu_seconds, double price_hour,
                                      double discount)
{
    return gpu_seconds * lc_price_per_second(price_hour) * discount;
}

/* Wall-clock days of pretraining on a cluster of `gpus` GPUs. */
static inline double lc_train_days(double gpu_seconds, double gpus)
{
    return gpu_seconds / gpus / 86400.0;
}

/* Energy of pretraining, MWh: GPU-seconds * W * PUE / 3.6e9 (J per MWh). */
static inline double lc_energy_mwh(double gpu_seconds, double power_w, double pue)
{
    return gpu_seconds * power_w * pue / 3.6e9;
}

/* Carbon of an energy, tCO2e: MWh * kgCO2e/kWh (1 MWh at 1 kg/kWh = 1 t). */
static inline double lc_carbon_t(double mwh, double kg_per_kwh)
{
    return mwh * kg_per_kwh;
}

/* Energy cost, USD, from MWh and USD per kWh. */
static inline double lc_energy_cost(double mwh, double usd_per_kwh)
{
    return mwh * 1000.0 * usd_per_kwh;
}

/* Compute-bound GPU-seconds per generated token, 2 N / (F U). */
static inline double lc_infer_seconds_per_token(double params, double flops,
                                                double util)
{
    return 2.0 * params / (flops * util);
}

/* Bandwidth-aware GPU-seconds per token at a decode batch: each step reads
 * all weights once for `batch` tokens, so a token costs at least
 * N * bytes_per_param / (bandwidth * batch) seconds. */
static inline double lc_infer_seconds_per_token_bw(double params, double flops,
                                                   double util, double hbm_bw,
                                                   double batch,
                                                   double bytes_per_param);
/* The same for a mixture-of-experts model: FLOPs from the active
 * parameters, the weights read from all of them. */
static inline double lc_infer_seconds_per_token_moe_bw(double params_active, double params,
                                                       double flops, double util,
                                                       double hbm_bw, double batch,
                                                       double bytes_per_param)
{
    double compute = lc_infer_seconds_per_token(params_active, flops, util);
    double memory = params * bytes_per_param / (hbm_bw * batch);
    return compute > memory ? compute : memory;
}

static inline double lc_infer_seconds_per_token_bw(double params, double flops,
                                                   double util, double hbm_bw,
                                                   double batch,
                                                   double bytes_per_param)
{
    return lc_infer_seconds_per_token_moe_bw(params, params, flops, util, hbm_bw, batch,
                                             bytes_per_param);
}

/* Inference cost per 1K tokens, USD, from GPU-seconds per token. */
static inline double lc_infer_cost_per_1k(double seconds_per_token,
                                          double price_hour)
{
    return 1000.0 * seconds_per_token * lc_price_per_second(price_hour);
}

/* Fixed (amortized pretraining) cost per month, USD. */
static inline double lc_fixed_monthly_cost(double pretrain_cost, double period_months)
{
    return pretrain_cost / period_months;
}

/* Monthly compute cost, USD: fixed + tokens / 1000 * inference per 1K. */
static inline double lc_monthly_cost(double fixed_monthly, double monthly_tokens,
                                     double infer_per_1k)
{
    return fixed_monthly + monthly_tokens / 1000.0 * infer_per_1k;
}

/* Average API price per 1K for an r:1 input:output mix. */
static inline double lc_avg_price_per_1k(double price_in, double price_out,
                                         double io_ratio)
{
    return (io_ratio * price_in + price_out) / (io_ratio + 1.0);
}

/* Monthly revenue from selling tokens, USD. */
static inline double lc_token_revenue(double monthly_tokens, double avg_price_1k)
{
    return monthly_tokens / 1000.0 * avg_price_1k;
}

/* Break-even monthly tokens: fixed / (price - inference cost) per 1K, * 1000.
 * NaN when the margin per 1K is <= 0 (no break-even). */
static inline double lc_breakeven_tokens(double fixed_monthly, double avg_price_1k,
                                         double infer_per_1k)
{
    double margin = avg_price_1k - infer_per_1k;
    double r = fixed_monthly / margin * 1000.0;
    return margin > 0.0 ? r : NAN;
}

/* Cost of `tokens` tokens at a price (or cost) per 1K tokens, USD.  The
 * subscriber formulas use it for one user's monthly inference cost. */
static inline double lc_tokens_cost(double tokens, double usd_per_1k)
{
    return tokens / 1000.0 * usd_per_1k;
}

/* A USD amount in the other currency at `rate` units per USD. */
static inline double lc_in_currency(double usd, double rate)
{
    return usd * rate;
}

/* Monthly cost of serving `users` subscribers, USD. */
static inline double lc_subscription_cost(double fixed_monthly, double users,
                                          double tokens_per_user,
                                          double infer_per_1k)
{
    return fixed_monthly + users * lc_tokens_cost(tokens_per_user, infer_per_1k);
}

/* Break-even subscribers: fixed / (price - tokens per user / 1000 * inference
 * per 1K).  NaN when that margin per user is <= 0. */
static inline double lc_breakeven_users(double fixed_monthly, double subscription,
                                        double tokens_per_user, double infer_per_1k)
{
    double margin = subscription - lc_tokens_cost(tokens_per_user, infer_per_1k);
    double r = fixed_monthly / margin;
    return margin > 0.0 ? r : NAN;
}

/* Profit margin (profit / revenue); NaN when revenue is 0. */
static inline double lc_margin(double profit, double revenue)
{
    double r = profit / revenue;
    return revenue > 0.0 ? r : NAN;
}

/* Monthly subscription revenue, USD. */
static inline double lc_sub_revenue(double users, double subscription)
{
    return users * subscription;
}

/* GPU-hours from GPU-seconds. */
static inline double lc_gpu_hours(double gpu_seconds)
{
    return gpu_seconds / LC_SECONDS_PER_HOUR;
}

/* A profit or a saving: a - b. */
static inline double lc_difference(double a, double b)
{
    return a - b;
}

/* Profit margin from revenue and cost: (revenue - cost) / revenue, NaN when
 * revenue is 0. */
static inline double lc_profit_margin(double revenue, double cost)
{
    return lc_margin(revenue - cost, revenue);
}

/* Saving of the routed cost as a share of the large model's cost. */
static inline double lc_saving_share(double large_per_1k, double routed_per_1k)
{
    return (large_per_1k - routed_per_1k) / large_per_1k;
}

/* The small model's compute-bound inference cost per 1K tokens. */
static inline double lc_small_cost_per_1k(double small_params, double flops, double util,
                                          double price_hour)
{
    return lc_infer_cost_per_1k(lc_infer_seconds_per_token(small_params, flops, util),
                                price_hour);
}

/* Routing: blended inference cost per 1K when a share f of requests goes to
 * the small model, plus the router's own cost spread over a request's tokens. */
static inline double lc_route_cost_per_1k(double share_small, double small_per_1k,
                                          double large_per_1k, double router_cost,
                                          double tokens_per_request)
{
    return share_small * small_per_1k + (1.0 - share_small) * large_per_1k
           + router_cost * 1000.0 / tokens_per_request;
}

/* ---- memory (Transformer Inference Arithmetic; EleutherAI transformer-math) */
/* Bytes of the weights: every parameter (a mixture-of-experts model holds
 * all its experts), bytes_per_param each. */
static inline double lc_weights_bytes(double params, double bytes_per_param)
{
    return params * bytes_per_param;
}

/* KV-cache bytes per token: layers * kv_dim elements of kv_bytes. */
static inline double lc_kv_bytes_per_token(double layers, double kv_dim, double kv_bytes)
{
    return layers * kv_dim * kv_bytes;
}

/* KV-cache bytes of one sequence holding `context` tokens. */
static inline double lc_kv_bytes_per_seq(double kv_per_token, double context)
{
    return kv_per_token * context;
}

/* Memory of one serving replica: the weights plus the KV cache of `batch`
 * sequences. */
static inline double lc_mem_per_replica(double weights, double batch, double kv_per_seq)
{
    return weights + batch * kv_per_seq;
}

/* The fewest GPUs whose usable memory (gpu_mem * mem_util each) holds
 * `mem` bytes. */
static inline double lc_gpus_needed(double mem, double gpu_mem, double mem_util)
{
    return lc_ceil_nonneg(mem / (gpu_mem * mem_util));
}

/* GPUs per replica: tp when given (> 0) and enough, NaN when too few (the
 * model does not fit), the fewest that fit when tp is 0. */
static inline double lc_gpus_per_replica(double tp, double mem, double gpu_mem,
                                         double mem_util)
{
    double need = lc_gpus_needed(mem, gpu_mem, mem_util);
    double given = tp >= need ? tp : NAN;
    return tp > 0.0 ? given : need;
}

/* Largest batch whose KV cache fits beside the weights on `gpus` GPUs:
 * floor((gpus * gpu_mem * mem_util - weights) / kv_per_seq), at least 0.
 * The graph passes tp when given (so a batch too large for tp GPUs still
 * learns the batch that fits), else gpus_per_replica. */
static inline double lc_max_batch(double gpus, double gpu_mem, double mem_util,
                                  double weights, double kv_per_seq)
{
    double b = (gpus * gpu_mem * mem_util - weights) / kv_per_seq;
    double f = lc_floor_nonneg(b); /* only read where b >= 0 */
    double clamped = b < 0.0 ? 0.0 : f;
    return f > 0.0 ? f : clamped; /* NaN (does not fit) stays NaN */
}

/* The small model's KV cache per token: given, or (0) the large model's
 * scaled by the parameter ratio. */
static inline double lc_small_kv_per_token(double small_kv, double kv_per_token,
                                           double small_params, double params)
{
    return lc_or_derived(small_kv, kv_per_token * small_params / params);
}

/* ---- serving: the roofline of one replica of `gpus` GPUs ------------------ */
/* FLOPs per token through the weights: 2 per active parameter (a multiply
 * and an add), the forward half of Kaplan et al.'s 6 N. */
static inline double lc_weight_flop_per_token(double params_active)
{
    return 2.0 * params_active;
}

/* Prefill FLOP per prompt token, causal attention included: the weights'
 * 2 N_active, plus QK^T and AV (2 Q FLOPs each per head, layer and token
 * attended to; PaLM appendix B's forward 4 L H Q per token of context).
 * Prompt token i (1..P) attends to the i tokens up to itself (the causal
 * mask FlashAttention-style kernels execute), so the prompt's attention is
 * sum_i 4 L H Q i = 2 L H Q P (P + 1), 2 L H Q (P + 1) per token.  PaLM's
 * MFU convention counts the full 4 L H Q P per token, twice this term. */
static inline double lc_prefill_flop_per_token(double params_active, double prompt_tokens,
                                               double layers, double heads, double head_dim)
{
    return lc_weight_flop_per_token(params_active)
           + 2.0 * layers * heads * head_dim * (prompt_tokens + 1.0);
}

/* Prefill FLOP of one request: its prompt tokens at the per-token FLOPs. */
static inline double lc_prefill_flop(double prompt_tokens, double flop_per_token)
{
    return prompt_tokens * flop_per_token;
}

/* FLOP of one decode token of a sequence holding `context` tokens: the
 * weights' 2 N_active plus attention over the context, 4 L H Q context (the
 * tokens whose KV cache kv_bytes_per_seq holds). */
static inline double lc_decode_flop_per_token(double params_active, double layers,
                                              double heads, double head_dim, double context)
{
    return lc_weight_flop_per_token(params_active) + 4.0 * layers * heads * head_dim * context;
}

/* Prefill (compute-bound): tokens/s = gpus F U / (prefill FLOP per token). */
static inline double lc_prefill_tokens_per_s(double gpus, double flops, double util,
                                             double flop_per_token)
{
    return gpus * flops * util / flop_per_token;
}

/* One decode step of `batch` sequences: the longer of its compute time,
 * batch * (FLOP per decode token) / (gpus F U), and the time to read the
 * weights and the batch's KV cache once, mem / (gpus hbm_bw bw_util). */
static inline double lc_decode_step_s(double batch, double flop_per_token, double gpus,
                                      double flops, double util, double mem, double hbm_bw,
                                      double bw_util)
{
    double compute = batch * flop_per_token / (gpus * flops * util);
    double memory = mem / (gpus * hbm_bw * bw_util);
    return compute > memory ? compute : memory;
}

/* Decode throughput of the replica, tokens/s: one token per sequence per step. */
static inline double lc_decode_tokens_per_s(double batch, double step_s)
{
    return batch / step_s;
}

/* Time to first token, s: the prompt's prefill. */
static inline double lc_ttft_s(double prompt_tokens, double prefill_tokens_per_s)
{
    return prompt_tokens / prefill_tokens_per_s;
}

/* Time per output token, ms: one decode step. */
static inline double lc_tpot_ms(double step_s)
{
    return step_s * 1000.0;
}

/* A request's latency, s: its prefill, then one decode step per output token. */
static inline double lc_request_latency_s(double ttft_s, double output_tokens, double step_s)
{
    return ttft_s + output_tokens * step_s;
}

/* Cost per 1K tokens of a replica of `gpus` GPUs at `tokens_per_s`, USD. */
static inline double lc_replica_cost_per_1k(double gpus, double price_hour,
                                            double tokens_per_s)
{
    return 1000.0 * gpus * lc_price_per_second(price_hour) / tokens_per_s;
}

/* Serving cost per 1K tokens: prefill (input) and decode (output) blended
 * r:1 like the API price, divided by the share of capacity that is paid. */
static inline double lc_serve_cost_per_1k(double prefill_1k, double decode_1k,
                                          double io_ratio, double load_factor)
{
    return (io_ratio * prefill_1k + decode_1k) / (io_ratio + 1.0) / load_factor;
}

/* ---- business wiring -------------------------------------------------------- */
/* The inference cost the business outputs use: serving 0 = compute-bound
 * (the article's), 1 = roofline (a value >= 0.5 counts as 1). */
static inline double lc_select_serving(double serving, double compute, double roofline)
{
    return serving >= 0.5 ? roofline : compute;
}

/* With requests routed (route_share > 0) the routed blend, else the large
 * model's cost. */
static inline double lc_business_cost_per_1k(double route_share, double routed,
                                             double large)
{
    return route_share > 0.0 ? routed : large;
}

#define LC_HOURS_PER_MONTH 730.0 /* 8760 / 12 */

/* Self-host or buy: monthly tokens above which replicas of `gpus` GPUs
 * reserved at price_hour (LC_HOURS_PER_MONTH a month each) cost less than
 * the same tokens bought at avg_price_1k.  With u = serve_cost_1k /
 * avg_price_1k (the share of a replica's capacity whose API value pays for
 * it), k replicas serve up to k capacities and buying is cheaper up to
 * k * replica cost / price for every k < 1 / (1 - u); the last of those is
 * the answer.  NaN when u >= 1 (a full replica costs at least what its
 * tokens cost from the API: self-hosting never pays) or not finite. */
static inline double lc_selfhost_breakeven_tokens(double serve_cost_1k, double avg_price_1k,
                                                  double gpus, double price_hour)
{
    double u = serve_cost_1k / avg_price_1k;
    double k = lc_ceil_nonneg(1.0 / (1.0 - u)) - 1.0; /* > 0 where u < 1 */
    double t = k * gpus * price_hour * LC_HOURS_PER_MONTH / avg_price_1k * 1000.0;
    return u < 1.0 ? t : NAN;
}

/* ---- pick nodes (model_graph.h LC_PICK_LIST): which arguments are live ---- */
/* lc_or_derived(x, ...): x itself when x > 0, else the others. */
static inline unsigned lc_pick_or_derived(double x)
{
    return x > 0.0 ? 1u : ~1u;
}

/* lc_select_serving(serving, compute, roofline). */
static inline unsigned lc_pick_serving(double serving)
{
    return serving >= 0.5 ? 4u : 2u;
}

/* lc_business_cost_per_1k(route_share, routed, large). */
static inline unsigned lc_pick_business(double route_share)
{
    return route_share > 0.0 ? 2u : 4u;
}

/* ---- derived inputs -------------------------------------------------------- */
/* An input that follows another when it is not given: tokens = 20 * params
 * (the Chinchilla rule, asked for by --chinchilla / tokens = chinchilla) and
 * util_infer = util (whenever util_infer is not given).  Every consumer
 * applies them through these functions: eval and the C API at a point, the
 * sweep plan on axes, sensitivity on columns. */
typedef enum { LC_RULE_CHINCHILLA, LC_RULE_UTIL_INFER, LC_RULE_COUNT } lc_rule;
#define LC_RULE(r) (1u << (r))

typedef struct {
    lc_input target, source;
    int identity;          /* 1: target = source (no arithmetic) */
} lc_rule_info;

extern const lc_rule_info lc_rules[LC_RULE_COUNT];

/* The value rule r gives its target from its source's value. */
double lc_rule_value(lc_rule r, double source);

/* At a point: every rule in `on` (LC_RULE bits) sets its target. */
void lc_rules_apply(unsigned on, double in[LC_IN_COUNT]);

/* On a block of m points given as columns in[i] with stride[i] (0 or 1):
 * every rule in `on` makes its target's column follow its source (an
 * identity rule shares the source's column; the others write into
 * buf + r * m, which holds LC_RULE_COUNT * m doubles). */
void lc_rules_apply_block(unsigned on, const double **in, size_t *stride, size_t m,
                          double *buf);

/* The inputs that move when the inputs in m move, with the rules in `on`. */
lc_inmask lc_rules_reach(unsigned on, lc_inmask m);
/* m plus the sources of the rules in `on` whose targets are in m. */
lc_inmask lc_rules_sources(unsigned on, lc_inmask m);
/* The targets of the rules in `on`. */
lc_inmask lc_rules_targets(unsigned on);

/* ---- one API task (section 1 of the article) ------------------------------ */
/* Tokens of a text of `units` characters (Chinese) or words (English). */
static inline double lc_text_tokens(double units, double tokens_per_unit)
{
    return units * tokens_per_unit;
}

/* Cost of one API call, USD. */
static inline double lc_task_cost(double tokens_in, double tokens_out,
                                  double price_in_1k, double price_out_1k)
{
    return tokens_in * price_in_1k / 1000.0 + tokens_out * price_out_1k / 1000.0;
}

/* Cost of repeating a task `per_day` times a day for `days` days, USD. */
static inline double lc_task_total(double task_cost, double per_day, double days)
{
    return task_cost * per_day * days;
}

#define LC_ZH_TOKENS_PER_CHAR 2.0
#define LC_EN_TOKENS_PER_WORD 1.3

/* Explicit break-even with status: LC_OK and *out, or LC_ENOBREAKEVEN with
 * *out = NaN when the margin is <= 0. */
lc_status lc_model_breakeven_tokens(double fixed_monthly, double avg_price_1k,
                                    double infer_per_1k, double *out);
lc_status lc_model_breakeven_users(double fixed_monthly, double subscription,
                                   double tokens_per_user, double infer_per_1k,
                                   double *out);

#endif
