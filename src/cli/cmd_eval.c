/*
 * cmd_eval.c - 'llmcost eval': every formula of the cost model at one point.
 *
 * Each model input is an option named after its entry in lc_inputs[]
 * ("--price-hour" or "--price_hour"); --gpu, --api and --arch fill inputs
 * from the catalogue first and explicit options win over them.  The table, the JSON
 * object and --help are all generated from lc_inputs[] / lc_outputs[], so a
 * new input or output appears everywhere without touching this file (each
 * output's group comes from its model_graph.h entry).
 *
 * Exit status: 0, or 2 for any wrong input (one line on stderr), or 1 when
 * the point has no break-even (LC_ENOBREAKEVEN: the full table is still
 * printed and says why).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_common.h"
#include "cli/cmd_eval_points.h"
#include "cli/commands.h"
#include "catalog/catalog.h"
#include "model/formula.h"
#include "model/model.h"

#define CMD "eval"

/* Where an input's value came from, echoed beside it. */
enum { SRC_DEFAULT, SRC_GIVEN, SRC_GPU, SRC_API, SRC_ARCH, SRC_UTIL, SRC_CHINCHILLA };

typedef struct {
    double in[LC_IN_COUNT];
    int src[LC_IN_COUNT];
    double out[LC_OUT_COUNT];
    char why[LC_OUT_COUNT][160]; /* reason an output is NaN, "" otherwise */
    int no_breakeven;            /* some break-even does not exist */
    const char *gpu, *api, *arch, *currency, *catalog;
    const lc_catalog *cat;       /* the catalogue used, or NULL */
    const lc_gpu *g;             /* its entries used (selected records) */
    const lc_api *a;
    const lc_arch *r;            /* the architecture preset used, or NULL */
    const lc_formulas *fs;       /* --formula, bound */
    double fval[LC_MAX_FORMULAS];
} eval_point;

/* "price_hour" -> "price-hour": options are shown with dashes. */
static void option_name(const char *name, char *buf, size_t n)
{
    size_t k = 0;
    for (; name[k] && k + 1 < n; k++)
        buf[k] = name[k] == '_' ? '-' : name[k];
    buf[k] = '\0';
}

static void print_help(void)
{
    printf("Usage: llmcost eval [--INPUT VALUE ...] [--gpu NAME] [--api NAME] [--arch NAME]\n"
           "                    [--chinchilla]\n"
           "                    [--catalog FILE] [--catalog-add FILE]\n"
           "                    [--price-date D] [--price-kind K] [--currency-rate X] [--currency CODE] [--json]\n"
           "\n"
           "Evaluate every cost formula at one point and print each output with its unit\n"
           "(money also in the other currency).  Numbers accept SI suffixes: 175B, 13T,\n"
           "1.8M, 2k, 40%%.  Option names take '-' or '_' ('--util-infer' = '--util_infer')\n"
           "and '--name VALUE' or '--name=VALUE'.\n"
           "\n"
           "Inputs (defaults: the article's GPT-4 Turbo on an A100 at the Azure price):\n"
           "  %-22s %-18s %-12s %-12s %s\n", "option", "unit", "default", "range",
           "meaning");
    for (int i = 0; i < LC_IN_COUNT; i++) {
        char opt[64], range[96], def[32];
        option_name(lc_inputs[i].name, opt + 2, sizeof opt - 2);
        opt[0] = opt[1] = '-';
        lc_input_describe_range((lc_input)i, range, sizeof range);
        if (i == LC_IN_UTIL_INFER)
            snprintf(def, sizeof def, "= util");
        else
            snprintf(def, sizeof def, "%g", lc_inputs[i].def);
        printf("  %-22s %-18s %-12s %-12s %s\n", opt, lc_inputs[i].unit, def, range,
               lc_inputs[i].long_name);
    }
    printf("\nOther options:\n  --gpu NAME             take");
    for (int k = 0; k < LC_GPU_INPUTS; k++)
        printf("%s %s", k == 0 ? "" : k + 1 == LC_GPU_INPUTS ? " and" : ",",
               lc_inputs[lc_gpu_inputs[k]].name);
    printf(" from the GPU\n"
           "                         catalogue (explicit options override them)\n"
           "  --api NAME             take price_in and price_out from the API catalogue\n"
           "  --arch NAME            take the model's shape from an architecture preset\n"
           "                         (params, params_active, layers, d_model, heads,\n"
           "                         kv_heads, head_dim, kv_dim, context, train_seq_len as\n"
           "                         its config gives them; 'llmcost catalog' lists them)\n"
           "  --chinchilla           tokens = %g x params (Chinchilla-optimal)\n"
           "  --catalog FILE         read the catalogues from FILE instead of the built-in copy\n"
           "  --catalog-add FILE     add or override entries on top of it\n"
           "  --price-date D         price the GPU and API by their latest records at or before\n"
           "                         D (YYYY-MM or YYYY-MM-DD, or 'latest'; default: each\n"
           "                         entry's reference record); --price-kind K picks the GPU\n"
           "                         price kind (on-demand, reserved-1y, reserved-3y, spot),\n"
           "                         --price-provider C its class (hyperscaler, gpu-cloud)\n"
           "  --currency-rate X      same as --fx-rate: other currency per USD\n"
           "  --currency CODE        name of the other currency (default CNY)\n"
           "  --json                 print one JSON object instead of the table\n"
           "  --formula 'NAME=EXPR [UNIT]'  a formula of inputs, outputs and other formulas\n"
           "                         (repeatable; doc/formulas.md), printed after the outputs\n"
           "  --points FILE          evaluate every row of a CSV table whose header names\n"
           "                         inputs ('-': stdin), or of an HDF5 file of 1-D input\n"
           "                         datasets; the other inputs come from the options\n"
           "                         above (--arch, --gpu: in every row).  A column 'arch'\n"
           "                         or 'gpu' of names sets a preset per row (explicit\n"
           "                         columns and options win).  With it: --outputs a,b\n"
           "                         (default: all), --format csv|jsonl|h5, --output FILE\n"
           "                         (default stdout; h5 needs it), --force, --threads N,\n"
           "                         --isa NAME\n"
           "  --help                 this text\n"
           "\nOutputs:\n", LC_CHINCHILLA_TOKENS_PER_PARAM);
    for (int i = 0; i < LC_OUT_COUNT; i++)
        printf("  %-22s %-18s %s\n", lc_outputs[i].name, lc_outputs[i].unit,
               lc_outputs[i].long_name);
    printf("\nExit status: 0 ok; 1 breakeven_tokens or breakeven_users does not exist\n"
           "(still printed; a missing selfhost_breakeven_tokens or a model that does not\n"
           "fit is explained but exits 0); 2 wrong input (unknown option or name, not a\n"
           "number, out of range).\n");
}

/* Fill p->out and the reasons for every NaN output. */
static void evaluate(eval_point *p)
{
    const double *in = p->in;
    const double *o = p->out;
    lc_model_eval(in, p->out);
    memset(p->why, 0, sizeof p->why);
    p->no_breakeven = 0;
    /* does not fit: tp given, fewer GPUs than the weights and KV cache need;
     * every output that reads gpus_per_replica at this point says so */
    char nofit[160] = "";
    if (isnan(o[LC_OUT_GPUS_PER_REPLICA]))
        snprintf(nofit, sizeof nofit,
                 "does not fit: needs %.10g GPUs (tp = %.10g; %.4g GB per replica, %.4g GB "
                 "usable per GPU)",
                 lc_gpus_needed(o[LC_OUT_MEM_PER_REPLICA], in[LC_IN_GPU_MEM], in[LC_IN_MEM_UTIL]),
                 in[LC_IN_TP], o[LC_OUT_MEM_PER_REPLICA] / 1e9,
                 in[LC_IN_GPU_MEM] * in[LC_IN_MEM_UTIL] / 1e9);
    for (int i = 0; nofit[0] && i < LC_OUT_COUNT; i++) {
        lc_nodeset need = lc_node_closure_in(lc_outputs[i].node, in, in);
        if (isnan(o[i]) && lc_ns_has(&need, lc_outputs[LC_OUT_GPUS_PER_REPLICA].node))
            snprintf(p->why[i], sizeof p->why[0], "%s", nofit);
    }
    double cost1k = o[LC_OUT_COST_1K];
    double fixed = o[LC_OUT_FIXED_MONTHLY];
    double avg = o[LC_OUT_AVG_PRICE_1K];
    double x;
    if (!p->why[LC_OUT_BREAKEVEN_TOKENS][0] &&
        lc_model_breakeven_tokens(fixed, avg, cost1k, &x) == LC_ENOBREAKEVEN) {
        snprintf(p->why[LC_OUT_BREAKEVEN_TOKENS], sizeof p->why[0],
                 "inference cost per 1K (%.10g) \xE2\x89\xA5 price per 1K (%.10g)", cost1k, avg);
        p->no_breakeven = 1;
    }
    if (!p->why[LC_OUT_BREAKEVEN_USERS][0] &&
        lc_model_breakeven_users(fixed, in[LC_IN_SUBSCRIPTION], in[LC_IN_TOKENS_PER_USER],
                                 cost1k, &x) == LC_ENOBREAKEVEN) {
        snprintf(p->why[LC_OUT_BREAKEVEN_USERS], sizeof p->why[0],
                 "inference cost per user (%.10g) \xE2\x89\xA5 subscription price (%.10g)",
                 lc_tokens_cost(in[LC_IN_TOKENS_PER_USER], cost1k), in[LC_IN_SUBSCRIPTION]);
        p->no_breakeven = 1;
    }
    double serve = o[LC_OUT_SERVE_COST_1K];
    if (!p->why[LC_OUT_SELFHOST_BREAKEVEN][0] && isnan(o[LC_OUT_SELFHOST_BREAKEVEN]) &&
        !(serve < avg))
        snprintf(p->why[LC_OUT_SELFHOST_BREAKEVEN], sizeof p->why[0],
                 "self-hosting never costs less: serving cost per 1K (%.10g) \xE2\x89\xA5 API "
                 "price per 1K (%.10g)",
                 serve, avg);
    /* a ratio's reason names the operand that made it NaN: a zero
     * denominator, or an operand that is itself infinite or NaN (overflow) */
    double trev = o[LC_OUT_TOKEN_REVENUE], tprof = o[LC_OUT_TOKEN_PROFIT];
    double saving = o[LC_OUT_ROUTE_SAVING_1K];
    double large = lc_select_serving(in[LC_IN_SERVING], o[LC_OUT_INFER_COST_1K], serve);
    for (int i = 0; i < LC_OUT_COUNT; i++) {
        if (isfinite(o[i]) || p->why[i][0])
            continue;
        if (i == LC_OUT_TOKEN_MARGIN && !isfinite(trev))
            snprintf(p->why[i], sizeof p->why[0], "token revenue is not finite (%g)", trev);
        else if (i == LC_OUT_TOKEN_MARGIN && !isfinite(tprof))
            snprintf(p->why[i], sizeof p->why[0], "token profit is not finite (%g)", tprof);
        else if (i == LC_OUT_TOKEN_MARGIN && !(trev > 0.0))
            snprintf(p->why[i], sizeof p->why[0], "token revenue is 0");
        else if (i == LC_OUT_ROUTE_SAVING_SHARE && !isfinite(large))
            snprintf(p->why[i], sizeof p->why[0], "inference cost is not finite (%g)", large);
        else if (i == LC_OUT_ROUTE_SAVING_SHARE && !isfinite(saving))
            snprintf(p->why[i], sizeof p->why[0], "route saving is not finite (%g)", saving);
        else if (i == LC_OUT_ROUTE_SAVING_SHARE && large == 0.0)
            snprintf(p->why[i], sizeof p->why[0], "inference cost is 0");
        else if (i == LC_OUT_MAX_BATCH || i == LC_OUT_DECODE_TPS)
            snprintf(p->why[i], sizeof p->why[0], "not a finite number (kv_bytes_per_seq %g)",
                     o[LC_OUT_KV_BYTES_PER_SEQ]);
        else
            snprintf(p->why[i], sizeof p->why[0], "not a finite number (overflow)");
    }
}

/* The formulas at the point, in their order. */
static void evaluate_formulas(eval_point *p)
{
    const double *val[LC_VALUE_COUNT] = {0};
    for (int i = 0; i < LC_IN_COUNT; i++)
        val[i] = &p->in[i];
    for (int o = 0; o < LC_OUT_COUNT; o++)
        val[LC_VALUE_OF_OUTPUT(o)] = &p->out[o];
    for (int q = 0; p->fs && q < p->fs->n; q++) {
        int f = p->fs->order[q];
        lc_formula_eval(p->fs, f, val, 1, &p->fval[f]);
        val[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)] = &p->fval[f];
    }
}

static void source_text(const eval_point *p, int i, char *buf, size_t n)
{
    switch (p->src[i]) {
    case SRC_GIVEN: snprintf(buf, n, "given"); break;
    case SRC_GPU: snprintf(buf, n, "gpu %s", p->gpu); break;
    case SRC_API: snprintf(buf, n, "api %s", p->api); break;
    case SRC_ARCH: snprintf(buf, n, "arch %s", p->arch); break;
    case SRC_UTIL: snprintf(buf, n, "= util"); break;
    case SRC_CHINCHILLA: snprintf(buf, n, "= %g x params (Chinchilla)", LC_CHINCHILLA_TOKENS_PER_PARAM); break;
    default: snprintf(buf, n, "default"); break;
    }
    const char *zero = lc_input_zero_meaning((lc_input)i);
    size_t len = strlen(buf);
    if (zero && p->in[i] == 0.0 && len + 1 < n)
        snprintf(buf + len, n - len, " (0: %s)", zero);
}

static const char *input_unit(const eval_point *p, int i, char *buf, size_t n)
{
    if (i == LC_IN_FX_RATE) {
        snprintf(buf, n, "%s/USD", p->currency);
        return buf;
    }
    return lc_inputs[i].unit;
}

static void print_table(const eval_point *p)
{
    char src[160], ubuf[32];
    printf("llmcost eval");
    if (p->gpu)
        printf("  gpu %s", p->gpu);
    if (p->api)
        printf("  api %s", p->api);
    if (p->arch)
        printf("  arch %s", p->arch);
    printf("  (catalogue: %s)\n", p->catalog);
    if (p->r)
        printf("  arch %s%s: %s, %s\n", p->r->name, p->r->rumoured ? " (rumoured)" : "",
               p->r->date, p->r->source);
    if (p->cat && (p->g || p->a)) {
        char pt[200];
        lc_cli_prices_text(p->cat, pt, sizeof pt);
        printf("%s\n", pt);
        const lc_gpu_price *gr = lc_gpu_record(p->g);
        const lc_api_price *ar = lc_api_record(p->a);
        if (gr)
            printf("  gpu %s: %g USD/GPU-hour, %s, %s, %s (%s)\n", p->g->name, gr->price_hour,
                   lc_price_kind_name(gr->kind), lc_provider_class_name(gr->provider), gr->date,
                   gr->source);
        if (ar)
            printf("  api %s: %g / %g USD per 1K tokens in / out, %s (%s)\n", p->a->name,
                   ar->price_in, ar->price_out, ar->date, ar->source);
    }
    printf("\ninputs\n");
    for (int i = 0; i < LC_IN_COUNT; i++) {
        source_text(p, i, src, sizeof src);
        printf("  %-20s %16.10g  %-18s %s\n", lc_inputs[i].name, p->in[i],
               input_unit(p, i, ubuf, sizeof ubuf), src);
    }
    double rate = p->in[LC_IN_FX_RATE];
    for (int grp = 0; grp < LC_GROUP_COUNT; grp++) {
        int header = 0;
        for (int i = 0; i < LC_OUT_COUNT; i++) {
            if ((int)lc_outputs[i].group != grp)
                continue;
            if (!header) {
                printf("\n%s\n", lc_group_names[grp]);
                header = 1;
            }
            if (p->why[i][0]) {
                printf("  %-20s %s: %s\n", lc_outputs[i].name,
                       strstr(lc_outputs[i].name, "breakeven") ? "no break-even" : "undefined",
                       p->why[i]);
                continue;
            }
            printf("  %-20s %16.10g  %-18s", lc_outputs[i].name, p->out[i], lc_outputs[i].unit);
            if (lc_outputs[i].money)
                printf(" %16.10g %s", lc_in_currency(p->out[i], rate), p->currency);
            else
                printf(" %16s %*s", "", (int)strlen(p->currency), "");
            printf("  %s\n", lc_outputs[i].long_name);
        }
    }
    if (p->fs && p->fs->n) {
        printf("\nformulas\n");
        for (int f = 0; f < p->fs->n; f++) {
            double x = p->fval[f];
            if (!isfinite(x)) /* said in words, as a built-in output's NaN, never "-nan" */
                printf("  %-20s undefined: %s at this point: %s\n", p->fs->f[f].name,
                       x != x ? "NaN" : x > 0 ? "+inf" : "-inf", p->fs->f[f].text);
            else
                printf("  %-20s %16.10g  %-18s %s\n", p->fs->f[f].name, x, p->fs->f[f].unit,
                       p->fs->f[f].text);
        }
    }
}

static void print_json(const eval_point *p)
{
    char src[160], ubuf[32];
    printf("{\n  \"command\": \"eval\",\n  \"catalog\": ");
    lc_json_string(stdout, p->catalog);
    printf(",\n  \"gpu\": ");
    if (p->gpu)
        lc_json_string(stdout, p->gpu);
    else
        printf("null");
    printf(",\n  \"api\": ");
    if (p->api)
        lc_json_string(stdout, p->api);
    else
        printf("null");
    printf(",\n  \"arch\": ");
    if (p->r) {
        printf("{\"name\": ");
        lc_json_string(stdout, p->r->name);
        printf(", \"rumoured\": %s, \"date\": ", p->r->rumoured ? "true" : "false");
        lc_json_string(stdout, p->r->date);
        printf(", \"source\": ");
        lc_json_string(stdout, p->r->source);
        printf("}");
    } else
        printf("null");
    if (p->cat) {
        printf(",\n  \"prices\": {\"query\": ");
        lc_json_price_query(stdout, p->cat);
        printf(", \"gpu\": ");
        lc_json_gpu_record(stdout, p->g);
        printf(", \"api\": ");
        lc_json_api_record(stdout, p->a);
        printf("}");
    }
    printf(",\n  \"currency\": ");
    lc_json_string(stdout, p->currency);
    printf(",\n  \"inputs\": {");
    for (int i = 0; i < LC_IN_COUNT; i++) {
        source_text(p, i, src, sizeof src);
        printf("%s\n    ", i ? "," : "");
        lc_json_string(stdout, lc_inputs[i].name);
        printf(": {\"value\": ");
        lc_json_number(stdout, p->in[i]);
        printf(", \"unit\": ");
        lc_json_string(stdout, input_unit(p, i, ubuf, sizeof ubuf));
        printf(", \"source\": ");
        lc_json_string(stdout, src);
        printf("}");
    }
    printf("\n  },\n  \"outputs\": {");
    for (int i = 0; i < LC_OUT_COUNT; i++) {
        printf("%s\n    ", i ? "," : "");
        lc_json_string(stdout, lc_outputs[i].name);
        printf(": {\"value\": ");
        lc_json_number(stdout, p->why[i][0] ? NAN : p->out[i]);
        printf(", \"unit\": ");
        lc_json_string(stdout, lc_outputs[i].unit);
        printf(", \"group\": ");
        lc_json_string(stdout, lc_group_names[lc_outputs[i].group]);
        if (lc_outputs[i].money) {
            printf(", \"converted\": {\"value\": ");
            lc_json_number(stdout, p->why[i][0] ? NAN
                                   : lc_in_currency(p->out[i], p->in[LC_IN_FX_RATE]));
            printf(", \"unit\": ");
            lc_json_string(stdout, p->currency);
            printf("}");
        }
        if (p->why[i][0]) {
            printf(strstr(lc_outputs[i].name, "breakeven") ? ", \"no_breakeven\": "
                                                          : ", \"undefined\": ");
            lc_json_string(stdout, p->why[i]);
        }
        printf("}");
    }
    printf("\n  }");
    if (p->fs && p->fs->n) {
        printf(",\n  \"formulas\": {");
        for (int f = 0; f < p->fs->n; f++) {
            printf("%s\n    ", f ? "," : "");
            lc_json_string(stdout, p->fs->f[f].name);
            printf(": {\"value\": ");
            lc_json_number(stdout, p->fval[f]);
            printf(", \"unit\": ");
            lc_json_string(stdout, p->fs->f[f].unit);
            printf(", \"formula\": ");
            lc_json_string(stdout, p->fs->f[f].text);
            printf("}");
        }
        printf("\n  }");
    }
    printf("\n}\n");
}

int lc_cmd_eval(int argc, char **argv)
{
    eval_point p;
    memset(&p, 0, sizeof p);
    lc_inputs_default(p.in);
    double given[LC_IN_COUNT] = {0};
    int is_given[LC_IN_COUNT] = {0};
    int json = 0, chinchilla = 0;
    lc_cli_prices pr;
    memset(&pr, 0, sizeof pr);
    p.currency = "CNY";
    lc_formulas fs;
    lc_formulas_init(&fs);
    lc_eval_points_opts po;
    memset(&po, 0, sizeof po);
    lc_status st = LC_OK;
    lc_cli_args a;
    lc_cli_args_init(&a, CMD, argc, argv);
    int r;
    while (st == LC_OK && (r = lc_cli_next(&a)) != 0) {
        int k;
        if (r < 0)
            st = lc_cli_unknown(&a);
        else if (lc_cli_is_help(&a)) {
            print_help();
            return 0;
        } else if (lc_cli_is(&a, "json")) {
            st = lc_cli_flag(&a);
            json = 1;
        } else if (lc_cli_is(&a, "chinchilla")) {
            st = lc_cli_flag(&a);
            chinchilla = 1;
        } else if (lc_cli_is(&a, "gpu"))
            st = lc_cli_value(&a, &p.gpu);
        else if (lc_cli_is(&a, "api"))
            st = lc_cli_value(&a, &p.api);
        else if (lc_cli_is(&a, "arch"))
            st = lc_cli_value(&a, &p.arch);
        else if (lc_cli_price_option(&a, &pr, &st))
            ;
        else if (lc_cli_is(&a, "currency"))
            st = lc_cli_value(&a, &p.currency);
        else if (lc_cli_is(&a, "formula")) {
            const char *v;
            lc_diag d;
            if ((st = lc_cli_value(&a, &v)) == LC_OK &&
                (st = lc_formulas_add_assignment(&fs, v, &d)) != LC_OK)
                lc_cli_report(CMD, st, &d);
        } else if (lc_cli_is(&a, "points"))
            st = lc_cli_value(&a, &po.path);
        else if (lc_cli_is(&a, "outputs"))
            st = lc_cli_value(&a, &po.outputs);
        else if (lc_cli_is(&a, "format"))
            st = lc_cli_value(&a, &po.format);
        else if (lc_cli_is(&a, "output"))
            st = lc_cli_value(&a, &po.output);
        else if (lc_cli_is(&a, "isa"))
            st = lc_cli_value(&a, &po.isa);
        else if (lc_cli_is(&a, "force")) {
            st = lc_cli_flag(&a);
            po.force = 1;
        } else if (lc_cli_is(&a, "quiet")) {
            st = lc_cli_flag(&a);
            po.quiet = 1;
        } else if (lc_cli_is(&a, "threads")) {
            double t;
            if ((st = lc_cli_number(&a, &t)) == LC_OK && !(t >= 1 && t <= 4096 && t == floor(t))) {
                lc_cli_error(CMD, "--threads: expected a whole number from 1 to 4096");
                st = LC_EINVAL;
            }
            po.threads = (int)t;
        }
        else if ((k = lc_cli_is(&a, "currency_rate") ? LC_IN_FX_RATE : lc_input_find(a.name)) >= 0) {
            st = lc_cli_input_number(&a, k, &given[k]);
            is_given[k] = 1;
        } else
            st = lc_cli_unknown(&a);
    }
    if (st == LC_OK && !po.path && (po.outputs || po.format || po.output || po.force ||
                                    po.threads || po.isa)) {
        lc_cli_error(CMD, "--outputs, --format, --output, --force, --threads and --isa go "
                          "with --points FILE");
        st = LC_EINVAL;
    }
    if (st == LC_OK) {
        lc_diag d;
        if ((st = lc_formulas_bind(&fs, &d)) != LC_OK)
            lc_cli_report(CMD, st, &d);
    }
    if (st != LC_OK) {
        lc_formulas_free(&fs);
        return lc_exit_code(st);
    }
    p.fs = &fs;
    if (chinchilla && is_given[LC_IN_TOKENS]) {
        lc_cli_error(CMD, "--chinchilla and --tokens exclude each other (--chinchilla sets "
                          "tokens = %g x params)", LC_CHINCHILLA_TOKENS_PER_PARAM);
        lc_formulas_free(&fs);
        return 2;
    }
    if (!p.currency[0] || strlen(p.currency) > 16) {
        lc_cli_error(CMD, "--currency: expected a short currency code such as CNY or EUR");
        lc_formulas_free(&fs);
        return 2;
    }

    /* catalogue first, explicit options over it */
    lc_catalog cat;
    memset(&cat, 0, sizeof cat);
    p.catalog = "built-in";
    if (p.gpu || p.api || p.arch || lc_cli_prices_given(&pr) || po.path) {
        st = lc_cli_catalog_open(CMD, &pr, &cat);
        if (st != LC_OK)
            return lc_exit_code(st);
        p.catalog = cat.origin;
        p.cat = &cat;
    }
    if (p.gpu) {
        const lc_gpu *g = lc_catalog_gpu(&cat, p.gpu);
        if (!g) {
            st = lc_cli_unknown_gpu(CMD, &cat, p.gpu);
            goto out;
        }
        p.gpu = g->name; /* the catalogue's spelling; lives until free */
        p.g = g;
        for (int k = 0; k < LC_GPU_INPUTS; k++) {
            if (isnan(lc_gpu_input(g, k))) /* not stated: the input keeps its default */
                continue;
            p.in[lc_gpu_inputs[k]] = lc_gpu_input(g, k);
            p.src[lc_gpu_inputs[k]] = SRC_GPU;
        }
    }
    if (p.api) {
        const lc_api *api = lc_catalog_api(&cat, p.api);
        if (!api) {
            st = lc_cli_unknown_api(CMD, &cat, p.api);
            goto out;
        }
        p.api = api->name;
        p.a = api;
        p.in[LC_IN_PRICE_IN] = api->price_in;
        p.in[LC_IN_PRICE_OUT] = api->price_out;
        p.src[LC_IN_PRICE_IN] = p.src[LC_IN_PRICE_OUT] = SRC_API;
    }
    if (p.arch) {
        const lc_arch *ar = lc_catalog_arch(&cat, p.arch);
        if (!ar) {
            st = lc_cli_unknown_arch(CMD, &cat, p.arch);
            goto out;
        }
        p.arch = ar->name;
        p.r = ar;
        int set[LC_IN_COUNT] = {0};
        lc_arch_apply(ar, p.in, set, 0);
        for (int i = 0; i < LC_IN_COUNT; i++)
            if (set[i])
                p.src[i] = SRC_ARCH;
    }
    for (int i = 0; i < LC_IN_COUNT; i++)
        if (is_given[i]) {
            p.in[i] = given[i];
            p.src[i] = SRC_GIVEN;
        }
    int miss = p.g ? lc_gpu_missing(p.g, is_given) : -1;
    if (miss >= 0) {
        char why[320];
        lc_cli_error(CMD, "%s", lc_gpu_missing_text(miss, p.g->name, why, sizeof why));
        st = LC_EINVAL;
        goto out;
    }
    unsigned rules = (is_given[LC_IN_UTIL_INFER] ? 0 : LC_RULE(LC_RULE_UTIL_INFER)) |
                     (chinchilla ? LC_RULE(LC_RULE_CHINCHILLA) : 0);
    lc_rules_apply(rules, p.in);
    if (rules & LC_RULE(LC_RULE_UTIL_INFER))
        p.src[LC_IN_UTIL_INFER] = SRC_UTIL;
    if (rules & LC_RULE(LC_RULE_CHINCHILLA))
        p.src[LC_IN_TOKENS] = SRC_CHINCHILLA;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        lc_diag d;
        st = lc_input_check((lc_input)i, p.in[i], &d);
        if (st != LC_OK) {
            char src[96];
            source_text(&p, i, src, sizeof src);
            if (p.src[i] == SRC_GIVEN)
                lc_cli_error(CMD, "--%s", d.msg);
            else
                lc_cli_error(CMD, "--%s [%s]", d.msg, src);
            goto out;
        }
    }

    if (po.path) {
        memcpy(po.fixed, p.in, sizeof po.fixed);
        memcpy(po.given, is_given, sizeof po.given);
        po.arch = p.arch;
        po.gpu = p.gpu;
        po.cat = &cat;
        po.fs = &fs;
        po.util_infer_given = is_given[LC_IN_UTIL_INFER];
        po.chinchilla = chinchilla;
        if (json) {
            lc_cli_error(CMD, "--json does not go with --points: write --format jsonl");
            st = LC_EINVAL;
            goto out;
        }
        if (lc_cli_output_is_catalog(CMD, &pr, po.output)) {
            st = LC_EINVAL;
            goto out;
        }
        int rc = lc_eval_points_run(&po);
        lc_catalog_free(&cat);
        lc_formulas_free(&fs);
        return rc;
    }
    evaluate(&p);
    evaluate_formulas(&p);
    if (json)
        print_json(&p);
    else
        print_table(&p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        lc_cli_error(CMD, "cannot write the output");
        st = LC_EIO;
    } else if (p.no_breakeven)
        st = LC_ENOBREAKEVEN;
out:
    lc_catalog_free(&cat);
    lc_formulas_free(&fs);
    return lc_exit_code(st);
}
