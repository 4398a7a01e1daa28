/*
 * cmd_catalog.c - 'llmcost catalog': list the GPU and API price catalogues
 * and the model architecture presets (the built-in copy of
 * sweeps/catalog.ini, or --catalog FILE), as a table or as JSON.  FLOP/s are
 * the dense BF16 peak, never the 2:4-sparse figure.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "catalog/catalog.h"

#define CMD "catalog"

static void print_help(void)
{
    printf("Usage: llmcost catalog [--catalog FILE] [--catalog-add FILE] [--price-date D]\n"
           "                       [--price-kind K] [--price-provider C] [--json]\n\n"
           "List the GPU catalogue (peak dense BF16 FLOP/s, HBM bandwidth, board power,\n"
           "memory, every price record with its kind, provider class, date and source) and\n"
           "the API catalogue (provider, context window and every price record: USD per 1K\n"
           "input, output, cached-input and cache-write tokens, batch discount and\n"
           "long-context tier), and the model architectures (--arch NAME: parameters,\n"
           "active parameters, layers, width, heads, KV heads, KV width, context, the\n"
           "pretraining sequence length; rumoured ones marked).  '*' marks the record a\n"
           "command would use with the same\n"
           "--price-date / --price-kind.  --json lists every record.  The built-in copy is\n"
           "sweeps/catalog.ini; doc/prices.md describes the format and the sources.\n");
    lc_cli_prices_help(stdout);
}

static void opt(char *buf, size_t n, double x)
{
    if (x < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.6g", x);
}

static void print_table(const lc_catalog *c)
{
    char pt[200];
    lc_cli_prices_text(c, pt, sizeof pt);
    printf("catalogue: %s\n%s\n\nGPUs\n", c->origin, pt);
    printf("  %-12s %14s %10s %8s %8s %14s  %s\n", "name", "dense BF16", "HBM", "power", "memory",
           "dense FP8", "hardware source");
    for (int i = 0; i < c->n_gpus; i++) {
        const lc_gpu *g = &c->gpus[i];
        char fl[32], bw[32], mem[32], f8[32], pw[32];
        snprintf(fl, sizeof fl, "%.5g TFLOP/s", g->flops / 1e12);
        snprintf(pw, sizeof pw, g->power_w > 0 ? "%6.5g W" : "       -", g->power_w);
        snprintf(bw, sizeof bw, "%.4g TB/s", g->hbm_bw / 1e12);
        snprintf(mem, sizeof mem, g->gpu_mem > 0 ? "%.4g GB" : "-", g->gpu_mem / 1e9);
        snprintf(f8, sizeof f8, g->flops_fp8 > 0 ? "%.5g TFLOP/s" : "-", g->flops_fp8 / 1e12);
        printf("  %-12s %14s %10s %8s %8s %14s  %s%s%s\n", g->name, fl, bw, pw, mem,
               f8, g->spec_source[0] ? g->spec_source : "(not given)",
               g->spec_date[0] ? ", " : "", g->spec_date);
        for (int k = 0; k < g->n_prices; k++) {
            const lc_gpu_price *r = &g->prices[k];
            printf("    %c %10.6g USD/GPU-h  %-11s %-11s %-10s %s%s\n", k == g->sel ? '*' : ' ',
                   r->price_hour, lc_price_kind_name(r->kind), lc_provider_class_name(r->provider),
                   r->date, r->source, k == g->ref ? "  [reference]" : "");
        }
        if (g->n_prices == 0)
            printf("    (no price record: no public price; give price_hour to use it)\n");
        else if (g->sel < 0)
            printf("    (no record selected: %s)\n", g->select_error);
    }
    printf("\nAPI models (USD per 1K tokens; '-' = not offered)\n");
    printf("  %-28s %-44s %s\n", "name", "provider", "context");
    for (int i = 0; i < c->n_apis; i++) {
        const lc_api *a = &c->apis[i];
        char ctx[32];
        snprintf(ctx, sizeof ctx, a->context_window > 0 ? "%.0f" : "-", a->context_window);
        printf("  %-28s %-44s %s\n", a->name, a->provider[0] ? a->provider : "-", ctx);
        for (int k = 0; k < a->n_prices; k++) {
            const lc_api_price *r = &a->prices[k];
            char ci[24], cw[24], bd[24];
            opt(ci, sizeof ci, r->cached_in);
            opt(cw, sizeof cw, r->cache_write);
            opt(bd, sizeof bd, r->batch_discount);
            printf("    %c in %-9.6g out %-9.6g cached %-9s write %-9s batch %-4s %-10s",
                   k == a->sel ? '*' : ' ', r->price_in, r->price_out, ci, cw, bd, r->date);
            if (r->long_threshold > 0)
                printf(" above %.0f: in %.6g out %.6g;", r->long_threshold, r->long_in,
                       r->long_out);
            printf(" %s\n", r->source);
        }
        if (a->sel < 0)
            printf("    (no record selected: %s)\n", a->select_error);
    }
    printf("\nModel architectures ('-' = not given: the model's default; R = rumoured)\n");
    printf("  %-16s %9s %9s %6s %6s %5s %5s %5s %6s %8s %7s %-10s %s\n", "name", "params",
           "active", "layers", "d_model", "heads", "kv", "head", "kv_dim", "context", "trained",
           "date", "source");
    for (int i = 0; i < c->n_archs; i++) {
        const lc_arch *r = &c->archs[i];
        char f[LC_ARCH_FIELDS][24];
        for (int k = 0; k < LC_ARCH_FIELDS; k++) {
            double x = lc_arch_field(r, k);
            if (!(x > 0))
                snprintf(f[k], sizeof f[k], "-");
            else if (k <= 1)
                snprintf(f[k], sizeof f[k], "%.5gB", x / 1e9);
            else
                snprintf(f[k], sizeof f[k], "%.0f", x);
        }
        printf("%c %-16s %9s %9s %6s %6s %5s %5s %5s %6s %8s %7s %-10s %s\n",
               r->rumoured ? 'R' : ' ', r->name, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7],
               f[8], f[9], r->date, r->source);
    }
}

static void json_field(const char *key, const char *s, int first)
{
    printf("%s\"%s\": ", first ? "" : ", ", key);
    lc_json_string(stdout, s);
}

static void json_num(const char *key, double x)
{
    printf(", \"%s\": ", key);
    lc_json_number(stdout, x);
}

static void json_opt(const char *key, double x)
{
    printf(", \"%s\": ", key);
    if (x < 0)
        printf("null");
    else
        lc_json_number(stdout, x);
}

static void print_json(const lc_catalog *c)
{
    printf("{\n  \"catalog\": ");
    lc_json_string(stdout, c->origin);
    printf(",\n  \"query\": ");
    lc_json_price_query(stdout, c);
    printf(",\n  \"gpus\": [");
    for (int i = 0; i < c->n_gpus; i++) {
        const lc_gpu *g = &c->gpus[i];
        printf("%s\n    {", i ? "," : "");
        json_field("name", g->name, 1);
        json_num("flops", g->flops);
        json_num("hbm_bw", g->hbm_bw);
        json_opt("power_w", g->power_w > 0 ? g->power_w : -1); /* null: not stated */
        json_opt("gpu_mem", g->gpu_mem > 0 ? g->gpu_mem : -1);
        json_opt("flops_fp8", g->flops_fp8 > 0 ? g->flops_fp8 : -1);
        printf(", \"source\": ");
        if (g->spec_source[0])
            lc_json_string(stdout, g->spec_source);
        else
            printf("null");
        printf(", \"date\": ");
        if (g->spec_date[0])
            lc_json_string(stdout, g->spec_date);
        else
            printf("null");
        /* the selected record, as before (price_hour, price_source, price_date) */
        json_num("price_hour", g->price_hour);
        json_field("price_source", g->price_source, 0);
        json_field("price_date", g->price_date, 0);
        printf(", \"prices\": [");
        for (int k = 0; k < g->n_prices; k++) {
            const lc_gpu_price *r = &g->prices[k];
            printf("%s{", k ? ", " : "");
            json_field("kind", lc_price_kind_name(r->kind), 1);
            json_field("provider_class", lc_provider_class_name(r->provider), 0);
            json_num("price_hour", r->price_hour);
            json_field("date", r->date, 0);
            json_field("source", r->source, 0);
            printf(", \"reference\": %s, \"selected\": %s}", k == g->ref ? "true" : "false",
                   k == g->sel ? "true" : "false");
        }
        printf("]}");
    }
    printf("\n  ],\n  \"apis\": [");
    for (int i = 0; i < c->n_apis; i++) {
        const lc_api *a = &c->apis[i];
        printf("%s\n    {", i ? "," : "");
        json_field("name", a->name, 1);
        printf(", \"provider\": ");
        if (a->provider[0])
            lc_json_string(stdout, a->provider);
        else
            printf("null");
        json_opt("context_window", a->context_window > 0 ? a->context_window : -1);
        json_num("price_in", a->price_in);
        json_num("price_out", a->price_out);
        json_field("source", a->source, 0);
        json_field("date", a->date, 0);
        printf(", \"prices\": [");
        for (int k = 0; k < a->n_prices; k++) {
            const lc_api_price *r = &a->prices[k];
            printf("%s{", k ? ", " : "");
            printf("\"price_in\": ");
            lc_json_number(stdout, r->price_in);
            json_num("price_out", r->price_out);
            json_opt("cached_in", r->cached_in);
            json_opt("cache_write", r->cache_write);
            json_opt("batch_discount", r->batch_discount);
            if (r->long_threshold > 0) {
                json_num("long_threshold", r->long_threshold);
                json_num("long_in", r->long_in);
                json_num("long_out", r->long_out);
                json_opt("long_cached_in", r->long_cached_in);
                json_opt("long_cache_write", r->long_cache_write);
            }
            json_field("date", r->date, 0);
            json_field("source", r->source, 0);
            printf(", \"reference\": %s, \"selected\": %s}", k == a->ref ? "true" : "false",
                   k == a->sel ? "true" : "false");
        }
        printf("]}");
    }
    printf("\n  ],\n  \"architectures\": [");
    for (int i = 0; i < c->n_archs; i++) {
        const lc_arch *r = &c->archs[i];
        printf("%s\n    {", i ? "," : "");
        json_field("name", r->name, 1);
        /* every field; null = not given (the model's default applies) */
        for (int k = 0; k < LC_ARCH_FIELDS; k++) {
            double x = lc_arch_field(r, k);
            json_opt(lc_arch_field_names[k], x > 0 ? x : -1);
        }
        printf(", \"rumoured\": %s", r->rumoured ? "true" : "false");
        json_field("source", r->source, 0);
        json_field("date", r->date, 0);
        printf("}");
    }
    printf("\n  ]\n}\n");
}

int lc_cmd_catalog(int argc, char **argv)
{
    lc_cli_prices pr;
    memset(&pr, 0, sizeof pr);
    int json = 0, r;
    lc_status st = LC_OK;
    lc_cli_args a;
    lc_cli_args_init(&a, CMD, argc, argv);
    while (st == LC_OK && (r = lc_cli_next(&a)) != 0) {
        if (r < 0)
            st = lc_cli_unknown(&a);
        else if (lc_cli_is_help(&a)) {
            print_help();
            return 0;
        } else if (lc_cli_is(&a, "json")) {
            st = lc_cli_flag(&a);
            json = 1;
        } else if (lc_cli_price_option(&a, &pr, &st))
            ;
        else
            st = lc_cli_unknown(&a);
    }
    if (st != LC_OK)
        return lc_exit_code(st);
    lc_catalog c;
    st = lc_cli_catalog_open(CMD, &pr, &c);
    if (st != LC_OK)
        return lc_exit_code(st);
    if (json)
        print_json(&c);
    else
        print_table(&c);
    lc_catalog_free(&c);
    if (fflush(stdout) != 0) {
        lc_cli_error(CMD, "cannot write the output");
        return 1;
    }
    return 0;
}
