/*
 * cmd_task.c - 'llmcost task': the API cost of one task (section 1 of the
 * article): input and output tokens at an API's prices per 1K tokens, and
 * optionally the cost of repeating it every day.
 *
 * Text sizes become tokens by language: Chinese characters at 2 tokens per
 * character, English words at 1.3 tokens per word (the article's ratios,
 * overridable); --in-tokens/--out-tokens give tokens directly.  The sizes
 * given for one side are added, so a prompt can mix Chinese and English.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "catalog/catalog.h"
#include "model/model.h"

#define CMD "task"

/* Numeric options of the command, their lower bound and whether it is open. */
enum { O_CHARS, O_OUT_CHARS, O_WORDS, O_OUT_WORDS, O_IN_TOKENS, O_OUT_TOKENS,
       O_TPC, O_TPW, O_PRICE_IN, O_PRICE_OUT, O_PER_DAY, O_DAYS, O_FX, O_CACHED, O_WRITE,
       O_COUNT };
static const struct {
    const char *name;
    int open; /* 1: must be > 0, 0: must be >= 0 */
    const char *help;
} opts[O_COUNT] = {
    [O_CHARS] = {"chars", 0, "input text, Chinese characters"},
    [O_OUT_CHARS] = {"out_chars", 0, "output text, Chinese characters"},
    [O_WORDS] = {"words", 0, "input text, English words"},
    [O_OUT_WORDS] = {"out_words", 0, "output text, English words"},
    [O_IN_TOKENS] = {"in_tokens", 0, "input tokens (added to the above)"},
    [O_OUT_TOKENS] = {"out_tokens", 0, "output tokens (added to the above)"},
    [O_TPC] = {"tokens_per_char", 1, "tokens per Chinese character (default 2)"},
    [O_TPW] = {"tokens_per_word", 1, "tokens per English word (default 1.3)"},
    [O_PRICE_IN] = {"price_in", 0, "USD per 1K input tokens (instead of --model)"},
    [O_PRICE_OUT] = {"price_out", 0, "USD per 1K output tokens (instead of --model)"},
    [O_PER_DAY] = {"per_day", 0, "tasks per day (default 1 when --days is given)"},
    [O_DAYS] = {"days", 0, "days (default 365 when --per-day is given)"},
    [O_FX] = {"fx_rate", 1, "other currency per USD (default 7.1, CNY)"},
    [O_CACHED] = {"cached_share", 0, "share of input tokens read from the prompt cache (0-1)"},
    [O_WRITE] = {"cache_write_share", 0, "share of input tokens written to the cache (0-1)"},
};

/* One task priced at one API record: today's price structure.  The input
 * is split into uncached, cached (read) and cache-write tokens; a request
 * whose input exceeds the record's long-context threshold is billed at the
 * long_* prices (all its tokens, as the providers do); the batch API takes
 * its discount off every token price.  A cache price the record does not
 * give (not offered, or not confirmed) is billed at the input price (noted). */
typedef struct {
    double p_in, p_out, p_cached, p_write; /* USD per 1K, as applied */
    double cost;
    int long_tier, batch, no_cache, no_write, no_batch;
} task_price;

static void price_task(const lc_api_price *r, double p_in, double p_out, double tin, double tout,
                       double cs, double ws, int batch, task_price *t)
{
    memset(t, 0, sizeof *t);
    double pc = r ? r->cached_in : -1, pw = r ? r->cache_write : -1;
    if (r && r->long_threshold > 0 && tin > r->long_threshold) {
        t->long_tier = 1;
        p_in = r->long_in;
        p_out = r->long_out;
        pc = r->long_cached_in;
        pw = r->long_cache_write;
    }
    t->no_cache = cs > 0 && pc < 0;
    t->no_write = ws > 0 && pw < 0;
    t->p_in = p_in;
    t->p_out = p_out;
    t->p_cached = pc < 0 ? p_in : pc;
    t->p_write = pw < 0 ? p_in : pw;
    double uncached = tin * (1.0 - cs - ws);
    t->cost = lc_task_cost(uncached, tout, p_in, p_out);
    if (cs > 0)
        t->cost += tin * cs * t->p_cached / 1000.0;
    if (ws > 0)
        t->cost += tin * ws * t->p_write / 1000.0;
    if (batch && r && r->batch_discount >= 0) {
        t->batch = 1;
        t->cost *= 1.0 - r->batch_discount;
    } else if (batch)
        t->no_batch = 1;
}

static void print_help(void)
{
    printf("Usage: llmcost task (--chars N | --words N | --in-tokens N) [--out-chars M |\n"
           "                    --out-words M | --out-tokens M] (--model NAME |\n"
           "                    --price-in P --price-out Q) [--per-day K [--days D]]\n"
           "                    [--tokens-per-char X] [--tokens-per-word Y] [--catalog FILE]\n"
           "                    [--currency-rate X] [--currency CODE] [--json]\n"
           "                    [--cached-share S] [--cache-write-share W] [--batch-api]\n"
           "                    [--compare [LIST]] [--price-date D] [--catalog-add FILE]\n"
           "\n"
           "API cost of one task: input tokens x price_in / 1000 + output tokens x\n"
           "price_out / 1000, and with --per-day the cost of repeating it.\n"
           "With a catalogue model, today's price structure applies: --cached-share of the\n"
           "input at the cached-input price, --cache-write-share at the cache-write price,\n"
           "--batch-api takes the model's batch discount off, and an input longer than the\n"
           "model's long-context threshold is billed at its long-context prices.\n"
           "--compare prices the task on every API model (or the comma LIST), cheapest first.\n"
           "Example (the article): llmcost task --chars 5000 --out-chars 500 --model gpt-4-turbo\n"
           "\nOptions:\n");
    for (int i = 0; i < O_COUNT; i++) {
        char opt[64];
        size_t k = 0;
        for (; opts[i].name[k] && k + 1 < sizeof opt; k++)
            opt[k] = opts[i].name[k] == '_' ? '-' : opts[i].name[k];
        opt[k] = '\0';
        printf("  --%-20s %s\n", opt, opts[i].help);
    }
    printf("  --%-20s %s\n", "model NAME", "API prices from the catalogue ('llmcost catalog')");
    printf("  --%-20s %s\n", "batch-api", "price with the model's batch API discount");
    printf("  --%-20s %s\n", "compare [LIST]", "every API model, or LIST (a,b,c), cheapest first");
    lc_cli_prices_help(stdout);
    printf("  --%-20s %s\n", "currency-rate X", "same as --fx-rate");
    printf("  --%-20s %s\n", "currency CODE", "name of the other currency (default CNY)");
    printf("  --%-20s %s\n", "json", "print one JSON object");
    printf("Numbers accept SI suffixes (2k, 1.8M).  Exit status: 0 ok, 2 wrong input.\n");
}

static void json_money(const char *key, double usd, double rate, const char *cur)
{
    printf(",\n  \"%s\": {\"value\": ", key);
    lc_json_number(stdout, usd);
    printf(", \"unit\": \"USD\", \"converted\": {\"value\": ");
    lc_json_number(stdout, lc_in_currency(usd, rate));
    printf(", \"unit\": ");
    lc_json_string(stdout, cur);
    printf("}}");
}

/* "5000 characters x 2 tokens/character + 10 tokens" */
static void explain(char *buf, size_t n, double chars, double tpc, double words, double tpw,
                    double tokens)
{
    size_t len = 0;
    buf[0] = '\0';
    if (chars > 0)
        len += (size_t)snprintf(buf + len, n - len, "%g characters x %g tokens/character",
                                chars, tpc);
    if (words > 0 && len < n)
        len += (size_t)snprintf(buf + len, n - len, "%s%g words x %g tokens/word",
                                len ? " + " : "", words, tpw);
    if (tokens > 0 && len < n)
        snprintf(buf + len, n - len, "%s%g tokens", len ? " + " : "", tokens);
}

typedef struct {
    const lc_api *api;
    task_price tp;
} compare_row;

static int row_cmp(const void *x, const void *y)
{
    const compare_row *a = x, *b = y;
    if (a->tp.cost != b->tp.cost)
        return a->tp.cost < b->tp.cost ? -1 : 1;
    return strcmp(a->api->name, b->api->name); /* ties: by name, stable output */
}

/* The same task on every API model of the catalogue (or the comma list),
 * cheapest first.  A model without a record at the price date is skipped
 * and named; --batch-api on a model without a batch API prices it without
 * the discount and says so. */
static lc_status run_compare(const lc_catalog *c, const char *list, double tin, double tout,
                             double cs, double ws, int batch, int repeat, double per_day,
                             double days, double rate, const char *currency, int json)
{
    compare_row *rows = calloc((size_t)(c->n_apis ? c->n_apis : 1), sizeof *rows);
    if (!rows) {
        lc_cli_error(CMD, "out of memory");
        return LC_ENOMEM;
    }
    int n = 0, skipped = 0;
    char skipped_names[512] = "";
    lc_status st = LC_OK;
    if (list) {
        char buf[2048];
        snprintf(buf, sizeof buf, "%s", list);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            while (*t == ' ')
                t++;
            size_t l = strlen(t);
            while (l && t[l - 1] == ' ')
                t[--l] = '\0';
            const lc_api *ap = lc_catalog_api(c, t);
            if (!ap) {
                st = lc_cli_unknown_api(CMD, c, t);
                free(rows);
                return st;
            }
            for (int i = 0; i < n; i++)
                if (rows[i].api == ap) {
                    lc_cli_error(CMD, "--compare: '%s' is listed twice", ap->name);
                    free(rows);
                    return LC_EINVAL;
                }
            if (n < c->n_apis)
                rows[n++].api = ap;
        }
    } else {
        for (int i = 0; i < c->n_apis; i++) {
            if (c->apis[i].sel >= 0)
                rows[n++].api = &c->apis[i];
            else {
                size_t k = strlen(skipped_names);
                if (k + 70 < sizeof skipped_names)
                    snprintf(skipped_names + k, sizeof skipped_names - k, "%s%s",
                             skipped ? ", " : "", c->apis[i].name);
                skipped++;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        const lc_api *ap = rows[i].api;
        price_task(lc_api_record(ap), ap->price_in, ap->price_out, tin, tout, cs, ws, batch,
                   &rows[i].tp);
    }
    qsort(rows, (size_t)n, sizeof *rows, row_cmp);
    if (json) {
        printf("{\n  \"command\": \"task\",\n  \"compare\": true,\n  \"prices\": {\"query\": ");
        lc_json_price_query(stdout, c);
        printf("},\n  \"tokens_in\": ");
        lc_json_number(stdout, tin);
        printf(",\n  \"tokens_out\": ");
        lc_json_number(stdout, tout);
        printf(",\n  \"cached_share\": ");
        lc_json_number(stdout, cs);
        printf(",\n  \"cache_write_share\": ");
        lc_json_number(stdout, ws);
        printf(",\n  \"batch_api\": %s,\n  \"models\": [", batch ? "true" : "false");
        for (int i = 0; i < n; i++) {
            const task_price *t = &rows[i].tp;
            printf("%s\n    {\"rank\": %d, \"model\": ", i ? "," : "", i + 1);
            lc_json_string(stdout, rows[i].api->name);
            printf(", \"provider\": ");
            lc_json_string(stdout, rows[i].api->provider);
            printf(", \"cost\": ");
            lc_json_number(stdout, t->cost);
            if (repeat) {
                printf(", \"total\": ");
                lc_json_number(stdout, lc_task_total(t->cost, per_day, days));
            }
            printf(", \"long_context\": %s, \"batch_applied\": %s, \"no_prompt_cache\": %s"
                   ", \"exceeds_context_window\": %s, \"record\": ", t->long_tier ? "true" : "false",
                   t->batch ? "true" : "false", t->no_cache ? "true" : "false",
                   rows[i].api->context_window > 0 && tin + tout > rows[i].api->context_window
                       ? "true" : "false");
            lc_json_api_record(stdout, rows[i].api);
            printf("}");
        }
        printf("\n  ],\n  \"skipped\": [");
        for (int i = 0, k = 0; i < c->n_apis; i++)
            if (!list && c->apis[i].sel < 0) {
                printf("%s", k++ ? ", " : "");
                lc_json_string(stdout, c->apis[i].name);
            }
        printf("],\n  \"currency\": ");
        lc_json_string(stdout, currency);
        printf(",\n  \"fx_rate\": ");
        lc_json_number(stdout, rate);
        printf("\n}\n");
    } else {
        char pt[200];
        lc_cli_prices_text(c, pt, sizeof pt);
        printf("llmcost task --compare  %g input tokens, %g output tokens", tin, tout);
        if (cs > 0 || ws > 0)
            printf(", cached share %g, cache-write share %g", cs, ws);
        if (batch)
            printf(", batch API");
        printf("\n  %s\n", pt);
        printf("  %4s %-30s %14s %14s  %-10s %s\n", "rank", "model", "USD/task",
               repeat ? "USD total" : currency, "date", "notes");
        for (int i = 0; i < n; i++) {
            const task_price *t = &rows[i].tp;
            char notes[96] = "";
            int over = rows[i].api->context_window > 0 && tin + tout > rows[i].api->context_window;
            snprintf(notes, sizeof notes, "%s%s%s%s%s", t->long_tier ? "long-context " : "",
                     t->batch ? "batch " : "", t->no_batch ? "no-batch-API " : "",
                     t->no_cache ? "no-prompt-cache " : "",
                     over ? "exceeds-context-window" : "");
            size_t nl = strlen(notes);
            while (nl && notes[nl - 1] == ' ')
                notes[--nl] = '\0';
            printf("  %4d %-30s %14.8g %14.8g  %s%s%s\n", i + 1, rows[i].api->name, t->cost,
                   repeat ? lc_task_total(t->cost, per_day, days) : lc_in_currency(t->cost, rate),
                   rows[i].api->date, nl ? "  " : "", notes);
        }
        if (skipped)
            printf("  skipped (no price record at that date): %s\n", skipped_names);
    }
    free(rows);
    return LC_OK;
}

int lc_cmd_task(int argc, char **argv)
{
    double v[O_COUNT] = {0};
    int set[O_COUNT] = {0};
    v[O_TPC] = LC_ZH_TOKENS_PER_CHAR;
    v[O_TPW] = LC_EN_TOKENS_PER_WORD;
    v[O_FX] = lc_inputs[LC_IN_FX_RATE].def;
    const char *model = NULL, *currency = "CNY", *compare_list = NULL;
    int json = 0, batch = 0, compare = 0;
    lc_cli_prices pr;
    memset(&pr, 0, sizeof pr);
    lc_status st = LC_OK;
    lc_cli_args a;
    lc_cli_args_init(&a, CMD, argc, argv);
    int r;
    while (st == LC_OK && (r = lc_cli_next(&a)) != 0) {
        int k = -1;
        if (r > 0)
            for (int i = 0; i < O_COUNT; i++)
                if (lc_cli_is(&a, opts[i].name))
                    k = i;
        if (r > 0 && lc_cli_is(&a, "currency_rate"))
            k = O_FX;
        if (r < 0)
            st = lc_cli_unknown(&a);
        else if (lc_cli_is_help(&a)) {
            print_help();
            return 0;
        } else if (k >= 0) {
            const char *opt = a.arg;
            st = lc_cli_number(&a, &v[k]);
            set[k] = 1;
            if (st == LC_OK && (opts[k].open ? !(v[k] > 0) : !(v[k] >= 0))) {
                lc_cli_error(CMD, "%.*s: %g must be %s 0", (int)strcspn(opt, "="), opt, v[k],
                             opts[k].open ? ">" : ">=");
                st = LC_ERANGE;
            }
        } else if (lc_cli_is(&a, "model"))
            st = lc_cli_value(&a, &model);
        else if (lc_cli_price_option(&a, &pr, &st))
            ;
        else if (lc_cli_is(&a, "batch_api")) {
            st = lc_cli_flag(&a);
            batch = 1;
        } else if (lc_cli_is(&a, "compare")) {
            compare = 1;
            /* an optional list: "--compare=a,b" or "--compare a,b" (not an option) */
            if (a.value)
                compare_list = a.value;
            else if (a.i + 1 < a.argc && a.argv[a.i + 1][0] != '-')
                compare_list = a.argv[++a.i];
        } else if (lc_cli_is(&a, "currency"))
            st = lc_cli_value(&a, &currency);
        else if (lc_cli_is(&a, "json")) {
            st = lc_cli_flag(&a);
            json = 1;
        } else
            st = lc_cli_unknown(&a);
    }
    if (st != LC_OK)
        return lc_exit_code(st);
    if (!set[O_CHARS] && !set[O_WORDS] && !set[O_IN_TOKENS]) {
        lc_cli_error(CMD, "give the input size: --chars N (Chinese), --words N (English) "
                          "or --in-tokens N");
        return 2;
    }
    if (!compare && !model && !(set[O_PRICE_IN] && set[O_PRICE_OUT])) {
        lc_cli_error(CMD, "give --model NAME (see 'llmcost catalog'), --compare, or both "
                          "--price-in and --price-out");
        return 2;
    }
    if (compare && (model || set[O_PRICE_IN] || set[O_PRICE_OUT])) {
        lc_cli_error(CMD, "--compare prices every model (or its LIST): it excludes --model, "
                          "--price-in and --price-out");
        return 2;
    }
    if (v[O_CACHED] > 1 || v[O_WRITE] > 1 || v[O_CACHED] + v[O_WRITE] > 1) {
        lc_cli_error(CMD, "--cached-share and --cache-write-share are shares of the input: each "
                          "and their sum must be at most 1 (got %g and %g)", v[O_CACHED], v[O_WRITE]);
        return 2;
    }
    if (!model && !compare && (set[O_CACHED] || set[O_WRITE] || batch)) {
        lc_cli_error(CMD, "--cached-share, --cache-write-share and --batch-api need --model or "
                          "--compare (their prices come from the catalogue)");
        return 2;
    }
    if (!currency[0] || strlen(currency) > 16) {
        lc_cli_error(CMD, "--currency: expected a short currency code such as CNY or EUR");
        return 2;
    }
    lc_diag d;
    if (lc_input_check(LC_IN_FX_RATE, v[O_FX], &d) != LC_OK) {
        lc_cli_error(CMD, "--%s", d.msg);
        return 2;
    }

    lc_catalog cat;
    memset(&cat, 0, sizeof cat);
    const lc_api *api = NULL;
    if (model || compare || lc_cli_prices_given(&pr)) {
        st = lc_cli_catalog_open(CMD, &pr, &cat);
        if (st != LC_OK)
            return lc_exit_code(st);
    }
    if (model) {
        api = lc_catalog_api(&cat, model);
        if (!api) {
            st = lc_cli_unknown_api(CMD, &cat, model);
            lc_catalog_free(&cat);
            return lc_exit_code(st);
        }
        if (!set[O_PRICE_IN])
            v[O_PRICE_IN] = api->price_in;
        if (!set[O_PRICE_OUT])
            v[O_PRICE_OUT] = api->price_out;
    }

    double tin = lc_text_tokens(v[O_CHARS], v[O_TPC]) + lc_text_tokens(v[O_WORDS], v[O_TPW]) +
                 v[O_IN_TOKENS];
    double tout = lc_text_tokens(v[O_OUT_CHARS], v[O_TPC]) +
                  lc_text_tokens(v[O_OUT_WORDS], v[O_TPW]) + v[O_OUT_TOKENS];
    int repeat = set[O_PER_DAY] || set[O_DAYS];
    double per_day = set[O_PER_DAY] ? v[O_PER_DAY] : 1.0;
    double days = set[O_PER_DAY] && !set[O_DAYS] ? 365.0 : set[O_DAYS] ? v[O_DAYS] : 365.0;
    double rate = v[O_FX];
    if (compare) {
        st = run_compare(&cat, compare_list, tin, tout, v[O_CACHED], v[O_WRITE], batch, repeat,
                         per_day, days, rate, currency, json);
        lc_catalog_free(&cat);
        if (st != LC_OK)
            return lc_exit_code(st);
        if (fflush(stdout) != 0) {
            lc_cli_error(CMD, "cannot write the output");
            return 1;
        }
        return 0;
    }
    task_price tp;
    const lc_api_price *rec = lc_api_record(api);
    price_task(rec, v[O_PRICE_IN], v[O_PRICE_OUT], tin, tout, v[O_CACHED], v[O_WRITE], batch,
               &tp);
    if (tp.no_batch) {
        lc_cli_error(CMD, "--batch-api: %s has no batch API price in the catalogue (%s, %s)",
                     api->name, rec->source, rec->date);
        lc_catalog_free(&cat);
        return 2;
    }
    double cost = tp.cost;
    double total = lc_task_total(cost, per_day, days);
    if (!isfinite(tin) || !isfinite(tout) || !isfinite(cost) || !isfinite(total)) {
        lc_cli_error(CMD, "the numbers are too large: the cost is not a finite number");
        lc_catalog_free(&cat);
        return 2;
    }

    if (json) {
        printf("{\n  \"command\": \"task\",\n  \"model\": ");
        if (api)
            lc_json_string(stdout, api->name);
        else
            printf("null");
        if (api) {
            printf(",\n  \"prices\": {\"query\": ");
            lc_json_price_query(stdout, &cat);
            printf(", \"api\": ");
            lc_json_api_record(stdout, api);
            printf("}");
        }
        printf(",\n  \"tokens_in\": ");
        lc_json_number(stdout, tin);
        printf(",\n  \"tokens_out\": ");
        lc_json_number(stdout, tout);
        printf(",\n  \"price_in\": ");
        lc_json_number(stdout, tp.p_in);
        printf(",\n  \"price_out\": ");
        lc_json_number(stdout, tp.p_out);
        printf(",\n  \"cached_share\": ");
        lc_json_number(stdout, v[O_CACHED]);
        printf(",\n  \"price_cached_in\": ");
        lc_json_number(stdout, tp.p_cached);
        printf(",\n  \"cache_write_share\": ");
        lc_json_number(stdout, v[O_WRITE]);
        printf(",\n  \"price_cache_write\": ");
        lc_json_number(stdout, tp.p_write);
        printf(",\n  \"batch_api\": %s", tp.batch ? "true" : "false");
        printf(",\n  \"long_context\": %s", tp.long_tier ? "true" : "false");
        printf(",\n  \"currency\": ");
        lc_json_string(stdout, currency);
        printf(",\n  \"fx_rate\": ");
        lc_json_number(stdout, rate);
        json_money("cost", cost, rate, currency);
        if (repeat) {
            printf(",\n  \"per_day\": ");
            lc_json_number(stdout, per_day);
            printf(",\n  \"days\": ");
            lc_json_number(stdout, days);
            printf(",\n  \"tasks\": ");
            lc_json_number(stdout, per_day * days);
            json_money("total", total, rate, currency);
        }
        printf("\n}\n");
    } else {
        char why[256];
        printf("llmcost task");
        if (api)
            printf("  model %s (%s, %s)", api->name, api->source, api->date);
        printf("\n");
        if (api) {
            char pt[200];
            lc_cli_prices_text(&cat, pt, sizeof pt);
            printf("  %s\n", pt);
        }
        explain(why, sizeof why, v[O_CHARS], v[O_TPC], v[O_WORDS], v[O_TPW], v[O_IN_TOKENS]);
        printf("  %-14s %14.10g  %s\n", "input tokens", tin, why);
        explain(why, sizeof why, v[O_OUT_CHARS], v[O_TPC], v[O_OUT_WORDS], v[O_TPW],
                v[O_OUT_TOKENS]);
        printf("  %-14s %14.10g  %s\n", "output tokens", tout, why);
        printf("  %-14s %14.10g  USD/1K token%s%s\n", "price in", tp.p_in,
               api && !set[O_PRICE_IN] ? "" : " (given)", tp.long_tier ? " (long context)" : "");
        printf("  %-14s %14.10g  USD/1K token%s%s\n", "price out", tp.p_out,
               api && !set[O_PRICE_OUT] ? "" : " (given)", tp.long_tier ? " (long context)" : "");
        if (set[O_CACHED])
            printf("  %-14s %14.10g  USD/1K token for %g of the input%s\n", "cached in",
                   tp.p_cached, v[O_CACHED], tp.no_cache ? " (no cached-input price in the catalogue: input price)" : "");
        if (set[O_WRITE])
            printf("  %-14s %14.10g  USD/1K token for %g of the input%s\n", "cache write",
                   tp.p_write, v[O_WRITE], tp.no_write ? " (no cache-write price in the catalogue: input price)" : "");
        if (tp.long_tier)
            printf("  %-14s input above %g tokens: long-context prices\n", "long context",
                   rec->long_threshold);
        if (tp.batch)
            printf("  %-14s %g off every token price\n", "batch API", rec->batch_discount);
        if (api && api->context_window > 0 && tin + tout > api->context_window)
            printf("  %-14s %g input + output tokens exceed the context window of %g tokens\n",
                   "note", tin + tout, api->context_window);
        printf("  %-14s %14.10g  USD  %.10g %s\n", "cost per task", cost,
               lc_in_currency(cost, rate), currency);
        if (repeat)
            printf("  %-14s %14.10g  USD  %.10g %s  (%g a day for %g days = %g tasks)\n",
                   "total", total, lc_in_currency(total, rate), currency, per_day, days,
                   per_day * days);
    }
    lc_catalog_free(&cat);
    if (fflush(stdout) != 0) {
        lc_cli_error(CMD, "cannot write the output");
        return 1;
    }
    return 0;
}
