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
#include <string.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "llmcost/catalog.h"
#include "llmcost/model.h"

#define CMD "task"

/* Numeric options of the command, their lower bound and whether it is open. */
enum { O_CHARS, O_OUT_CHARS, O_WORDS, O_OUT_WORDS, O_IN_TOKENS, O_OUT_TOKENS,
       O_TPC, O_TPW, O_PRICE_IN, O_PRICE_OUT, O_PER_DAY, O_DAYS, O_FX, O_COUNT };
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
};

static void print_help(void)
{
    printf("Usage: llmcost task (--chars N | --words N | --in-tokens N) [--out-chars M |\n"
           "                    --out-words M | --out-tokens M] (--model NAME |\n"
           "                    --price-in P --price-out Q) [--per-day K [--days D]]\n"
           "                    [--tokens-per-char X] [--tokens-per-word Y] [--catalog FILE]\n"
           "                    [--currency-rate X] [--currency CODE] [--json]\n"
           "\n"
           "API cost of one task: input tokens x price_in / 1000 + output tokens x\n"
           "price_out / 1000, and with --per-day the cost of repeating it.\n"
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
    printf("  --%-20s %s\n", "catalog FILE", "read the catalogues from FILE");
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

int lc_cmd_task(int argc, char **argv)
{
    double v[O_COUNT] = {0};
    int set[O_COUNT] = {0};
    v[O_TPC] = LC_ZH_TOKENS_PER_CHAR;
    v[O_TPW] = LC_EN_TOKENS_PER_WORD;
    v[O_FX] = lc_inputs[LC_IN_FX_RATE].def;
    const char *model = NULL, *catalog_path = NULL, *currency = "CNY";
    int json = 0;
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
        else if (lc_cli_is(&a, "catalog"))
            st = lc_cli_value(&a, &catalog_path);
        else if (lc_cli_is(&a, "currency"))
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
    if (!model && !(set[O_PRICE_IN] && set[O_PRICE_OUT])) {
        lc_cli_error(CMD, "give --model NAME (see 'llmcost catalog') or both --price-in "
                          "and --price-out");
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
    if (model || catalog_path) {
        st = lc_cli_catalog_load(CMD, catalog_path, &cat);
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
    double cost = lc_task_cost(tin, tout, v[O_PRICE_IN], v[O_PRICE_OUT]);
    int repeat = set[O_PER_DAY] || set[O_DAYS];
    double per_day = set[O_PER_DAY] ? v[O_PER_DAY] : 1.0;
    double days = set[O_DAYS] ? v[O_DAYS] : 365.0;
    double total = lc_task_total(cost, per_day, days);
    double rate = v[O_FX];
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
        printf(",\n  \"tokens_in\": ");
        lc_json_number(stdout, tin);
        printf(",\n  \"tokens_out\": ");
        lc_json_number(stdout, tout);
        printf(",\n  \"price_in\": ");
        lc_json_number(stdout, v[O_PRICE_IN]);
        printf(",\n  \"price_out\": ");
        lc_json_number(stdout, v[O_PRICE_OUT]);
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
        explain(why, sizeof why, v[O_CHARS], v[O_TPC], v[O_WORDS], v[O_TPW], v[O_IN_TOKENS]);
        printf("  %-14s %14.10g  %s\n", "input tokens", tin, why);
        explain(why, sizeof why, v[O_OUT_CHARS], v[O_TPC], v[O_OUT_WORDS], v[O_TPW],
                v[O_OUT_TOKENS]);
        printf("  %-14s %14.10g  %s\n", "output tokens", tout, why);
        printf("  %-14s %14.10g  USD/1K token%s\n", "price in", v[O_PRICE_IN],
               api && !set[O_PRICE_IN] ? "" : " (given)");
        printf("  %-14s %14.10g  USD/1K token%s\n", "price out", v[O_PRICE_OUT],
               api && !set[O_PRICE_OUT] ? "" : " (given)");
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
