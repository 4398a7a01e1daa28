/*
 * cmd_catalog.c - 'llmcost catalog': list the GPU and API price catalogues
 * (the built-in copy of sweeps/catalog.ini, or --catalog FILE), as a table
 * or as JSON.  FLOP/s are the dense BF16 peak, never the 2:4-sparse figure.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "llmcost/catalog.h"

#define CMD "catalog"

static void print_help(void)
{
    printf("Usage: llmcost catalog [--catalog FILE] [--json]\n\n"
           "List the GPU catalogue (peak dense BF16 FLOP/s, HBM bandwidth, board power,\n"
           "rental price per GPU-hour with its source and date) and the API price\n"
           "catalogue (USD per 1K input and output tokens).  The built-in copy is\n"
           "sweeps/catalog.ini; --catalog FILE replaces it (same format).\n");
}

static void print_table(const lc_catalog *c)
{
    printf("catalogue: %s\n\nGPUs\n", c->origin);
    printf("  %-10s %12s %10s %8s %12s  %-8s %s\n", "name", "dense BF16", "HBM", "power",
           "USD/GPU-h", "date", "price source");
    for (int i = 0; i < c->n_gpus; i++) {
        const lc_gpu *g = &c->gpus[i];
        char fl[32], bw[32];
        snprintf(fl, sizeof fl, "%.5g TFLOP/s", g->flops / 1e12);
        snprintf(bw, sizeof bw, "%.4g TB/s", g->hbm_bw / 1e12);
        printf("  %-10s %12s %10s %6.5g W %12.6g  %-8s %s\n", g->name, fl, bw, g->power_w,
               g->price_hour, g->price_date, g->price_source);
    }
    printf("\nAPIs (USD per 1K tokens)\n");
    printf("  %-16s %10s %10s  %-8s %s\n", "name", "input", "output", "date", "source");
    for (int i = 0; i < c->n_apis; i++) {
        const lc_api *a = &c->apis[i];
        printf("  %-16s %10.6g %10.6g  %-8s %s\n", a->name, a->price_in, a->price_out, a->date,
               a->source);
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

static void print_json(const lc_catalog *c)
{
    printf("{\n  \"catalog\": ");
    lc_json_string(stdout, c->origin);
    printf(",\n  \"gpus\": [");
    for (int i = 0; i < c->n_gpus; i++) {
        const lc_gpu *g = &c->gpus[i];
        printf("%s\n    {", i ? "," : "");
        json_field("name", g->name, 1);
        json_num("flops", g->flops);
        json_num("hbm_bw", g->hbm_bw);
        json_num("power_w", g->power_w);
        json_num("price_hour", g->price_hour);
        json_field("price_source", g->price_source, 0);
        json_field("price_date", g->price_date, 0);
        printf("}");
    }
    printf("\n  ],\n  \"apis\": [");
    for (int i = 0; i < c->n_apis; i++) {
        const lc_api *a = &c->apis[i];
        printf("%s\n    {", i ? "," : "");
        json_field("name", a->name, 1);
        json_num("price_in", a->price_in);
        json_num("price_out", a->price_out);
        json_field("source", a->source, 0);
        json_field("date", a->date, 0);
        printf("}");
    }
    printf("\n  ]\n}\n");
}

int lc_cmd_catalog(int argc, char **argv)
{
    const char *path = NULL;
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
        } else if (lc_cli_is(&a, "catalog"))
            st = lc_cli_value(&a, &path);
        else
            st = lc_cli_unknown(&a);
    }
    if (st != LC_OK)
        return lc_exit_code(st);
    lc_catalog c;
    st = lc_cli_catalog_load(CMD, path, &c);
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
