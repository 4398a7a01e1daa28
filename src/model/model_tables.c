/*
 * model_tables.c - the input and output tables of the cost model and the
 * scalar reference evaluation, expanded from the lists of model_graph.h.
 * The formulas themselves live in model.h, the graph's argument lists in
 * model_graph.c.
 *
 * Defaults reproduce the article's GPT-4 Turbo scenario on an A100 at the
 * Azure 3-year price, at 100% utilization, without discount.
 */
#include "model/model.h"
#include "util/hash.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

/* key, unit, long name, default, min, max, min_open, max_open */
const lc_input_info lc_inputs[LC_IN_COUNT] = {
#define LC_X(id, key, unit, lname, def, lo, hi, lo_open, hi_open) \
    [LC_IN_##id] = {key, unit, lname, def, lo, hi, lo_open, hi_open},
    LC_INPUT_LIST(LC_X)
#undef LC_X
};

const char *const lc_group_names[LC_GROUP_COUNT] = {
#define LC_X(id, title) [LC_GROUP_##id] = title,
    LC_GROUP_LIST(LC_X)
#undef LC_X
};

const lc_output_info lc_outputs[LC_OUT_COUNT] = {
#define LC_X(id, node, name, unit, lname, formula, money, group) \
    [LC_OUT_##id] = {name, unit, lname, formula, N_##node, money, LC_GROUP_##group},
    LC_OUTPUT_LIST(LC_X)
#undef LC_X
};

lc_inmask lc_output_depends(lc_output o)
{
    return lc_output_depends_in(o, NULL, NULL);
}

lc_inmask lc_output_depends_in(lc_output o, const double *lo, const double *hi)
{
    lc_nodeset need = lc_node_closure_in(lc_outputs[o].node, lo, hi);
    lc_inmask m = 0;
    for (int i = 0; i < LC_IN_COUNT; i++)
        if (lc_ns_has(&need, i))
            m |= LC_BIT(i);
    return m;
}

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

int lc_input_keyword(lc_input id, const char *text, double *v)
{
    if (id == LC_IN_SERVING && strcmp(text, "compute") == 0)
        *v = 0.0;
    else if (id == LC_IN_SERVING && strcmp(text, "roofline") == 0)
        *v = 1.0;
    else
        return 0;
    return 1;
}

const char *lc_input_keywords(lc_input id)
{
    return id == LC_IN_SERVING ? "compute or roofline" : NULL;
}

const char *lc_input_zero_meaning(lc_input id)
{
    switch (id) {
    case LC_IN_PARAMS_ACTIVE: return "= params";
    case LC_IN_HEAD_DIM: return "= d_model / heads";
    case LC_IN_KV_DIM: return "= 2 x kv_heads x head_dim";
    case LC_IN_TRAIN_SEQ_LEN: return "attention FLOPs not counted";
    case LC_IN_TP: return "the fewest GPUs that fit";
    case LC_IN_SERVING: return "compute";
    case LC_IN_SMALL_PARAMS_ACTIVE: return "= small_params";
    case LC_IN_SMALL_KV_PER_TOKEN: return "= kv_bytes_per_token x small_params / params";
    case LC_IN_ROUTE_SHARE: return "no routing";
    default: return NULL;
    }
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

/* The graph walked in its order: every node is its model.h formula of the
 * values of its arguments (model_graph.h), the same calls the kernel makes. */
void lc_model_eval(const double in[LC_IN_COUNT], double out[LC_OUT_COUNT])
{
    double v[N_COUNT];
    for (int i = 0; i < LC_IN_COUNT; i++)
        v[i] = in[i];
#define LC_V(k, arg) v[arg]
#define LC_X(id, fn, ...) v[N_##id] = fn(LC_MAP(LC_V, __VA_ARGS__));
    LC_GRAPH(LC_X)
#undef LC_X
#undef LC_V
    for (int o = 0; o < LC_OUT_COUNT; o++)
        out[o] = v[lc_outputs[o].node];
}

static uint64_t hash_str(const char *s, uint64_t h)
{
    return lc_fnv1a(s ? s : "", s ? strlen(s) + 1 : 1, h);
}

uint64_t lc_model_fingerprint(void)
{
    uint64_t h = LC_FNV_INIT;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        const lc_input_info *p = &lc_inputs[i];
        double num[3] = {p->def, p->min, p->max};
        int open[2] = {p->min_open, p->max_open};
        h = hash_str(p->unit, hash_str(p->name, h));
        h = lc_fnv1a_doubles(num, 3, h);
        h = lc_fnv1a(open, sizeof open, h);
    }
    h = lc_fnv1a(lc_node_defs, sizeof lc_node_defs, h);
    for (int o = 0; o < LC_OUT_COUNT; o++) {
        const lc_output_info *p = &lc_outputs[o];
        h = hash_str(p->formula, hash_str(p->unit, hash_str(p->name, h)));
        h = lc_fnv1a(&p->node, sizeof p->node, h);
    }
    /* the values: the defaults, then two shapes that reach the serving,
     * mixture-of-experts, routing and attention terms */
    static const struct {
        int input;
        double v[2];
    } probe[] = {
        {LC_IN_PARAMS, {70.6e9, 671e9}},     {LC_IN_PARAMS_ACTIVE, {0, 37e9}},
        {LC_IN_LAYERS, {80, 61}},            {LC_IN_D_MODEL, {8192, 7168}},
        {LC_IN_HEADS, {64, 128}},            {LC_IN_KV_HEADS, {8, 128}},
        {LC_IN_CONTEXT, {8192, 131072}},     {LC_IN_BATCH, {64, 7}},
        {LC_IN_PROMPT_TOKENS, {2000, 1e5}},  {LC_IN_TRAIN_SEQ_LEN, {4096, 0}},
        {LC_IN_SERVING, {1, 1}},             {LC_IN_ROUTE_SHARE, {0.3, 0.7}},
        {LC_IN_SMALL_PARAMS_ACTIVE, {0, 3e9}},
    };
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    for (int k = -1; k < 2; k++) {
        lc_inputs_default(in);
        for (size_t j = 0; k >= 0 && j < sizeof probe / sizeof probe[0]; j++)
            in[probe[j].input] = probe[j].v[k];
        lc_model_eval(in, out);
        h = lc_fnv1a_doubles(out, LC_OUT_COUNT, h);
    }
    return h;
}

const lc_rule_info lc_rules[LC_RULE_COUNT] = {
    [LC_RULE_CHINCHILLA] = {LC_IN_TOKENS, LC_IN_PARAMS, 0},
    [LC_RULE_UTIL_INFER] = {LC_IN_UTIL_INFER, LC_IN_UTIL, 1},
};

double lc_rule_value(lc_rule r, double source)
{
    return r == LC_RULE_CHINCHILLA ? lc_chinchilla_tokens(source) : source;
}

void lc_rules_apply(unsigned on, double in[LC_IN_COUNT])
{
    for (int r = 0; r < LC_RULE_COUNT; r++)
        if (on & LC_RULE(r))
            in[lc_rules[r].target] = lc_rule_value((lc_rule)r, in[lc_rules[r].source]);
}

void lc_rules_apply_block(unsigned on, const double **in, size_t *stride, size_t m,
                          double *buf)
{
    for (int r = 0; r < LC_RULE_COUNT; r++) {
        if (!(on & LC_RULE(r)))
            continue;
        int t = lc_rules[r].target, s = lc_rules[r].source;
        if (lc_rules[r].identity) {
            in[t] = in[s];
            stride[t] = stride[s];
            continue;
        }
        double *col = buf + (size_t)r * m;
        for (size_t j = 0; j < m; j++)
            col[j] = lc_rule_value((lc_rule)r, in[s][stride[s] * j]);
        in[t] = col;
        stride[t] = 1;
    }
}

lc_inmask lc_rules_reach(unsigned on, lc_inmask m)
{
    for (int r = 0; r < LC_RULE_COUNT; r++)
        if ((on & LC_RULE(r)) && (m & LC_BIT(lc_rules[r].source)))
            m |= LC_BIT(lc_rules[r].target);
    return m;
}

lc_inmask lc_rules_sources(unsigned on, lc_inmask m)
{
    for (int r = 0; r < LC_RULE_COUNT; r++)
        if ((on & LC_RULE(r)) && (m & LC_BIT(lc_rules[r].target)))
            m |= LC_BIT(lc_rules[r].source);
    return m;
}

lc_inmask lc_rules_targets(unsigned on)
{
    lc_inmask m = 0;
    for (int r = 0; r < LC_RULE_COUNT; r++)
        if (on & LC_RULE(r))
            m |= LC_BIT(lc_rules[r].target);
    return m;
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
