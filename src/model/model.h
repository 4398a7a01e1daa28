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

/* Index of an output by name, or -1. */
int lc_output_find(const char *name);

/* Scalar reference: every output at one point.  Outputs without a finite
 * answer (no break-even) are NaN. Inputs must have passed lc_inputs_check. */
void lc_model_eval(const double in[LC_IN_COUNT], double out[LC_OUT_COUNT]);

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

/* Pretraining FLOP, 6 N D. */
static inline double lc_pretrain_flop(double params, double tokens)
{
    return 6.0 * params * tokens;
}

/* GPU-seconds of pretraining, 6 N D / (F U). */
static inline double lc_pretrain_gpu_seconds(double params, double tokens,
                                             double flops, double util)
{
    return lc_pretrain_flop(params, tokens) / (flops * util);
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
                                                   double bytes_per_param)
{
    double compute = lc_infer_seconds_per_token(params, flops, util);
    double memory = params * bytes_per_param / (hbm_bw * batch);
    return compute > memory ? compute : memory;
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
