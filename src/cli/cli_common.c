/*
 * cli_common.c - option cursor, error lines, catalogue loading and JSON
 * helpers shared by the subcommands (see cli_common.h).  This is the only
 * layer besides the commands themselves that prints: each failure is one
 * line on stderr, prefixed "llmcost CMD:", so scripts can grep it.
 */
#include "cli/cli_common.h"
#include "model/model.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/number.h"
#include "util/path.h"

void lc_cli_args_init(lc_cli_args *a, const char *cmd, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->argc = argc;
    a->argv = argv;
    a->i = 0; /* argv[0] is the subcommand itself */
}

/* Option names compare with '-' == '_' so "--price-hour" finds "price_hour". */
static void normalize(char *dst, size_t n, const char *src, size_t len)
{
    size_t k = 0;
    for (; k < len && k + 1 < n; k++)
        dst[k] = src[k] == '-' ? '_' : src[k];
    dst[k] = '\0';
}

int lc_cli_next(lc_cli_args *a)
{
    a->i++;
    a->value = NULL;
    a->name[0] = '\0';
    if (a->i >= a->argc) {
        a->arg = NULL;
        return 0;
    }
    a->arg = a->argv[a->i];
    const char *s = a->arg;
    if (s[0] == '-' && s[1] == '-' && s[2] != '\0')
        s += 2;
    else if (s[0] == '-' && isalpha((unsigned char)s[1]))
        s += 1; /* "-h"; any other short form is reported as unknown */
    else
        return -1;
    const char *eq = strchr(s, '=');
    size_t len = eq ? (size_t)(eq - s) : strlen(s);
    normalize(a->name, sizeof a->name, s, len);
    if (len >= sizeof a->name)
        a->name[0] = '?'; /* too long to be any option: never matches */
    a->value = eq ? eq + 1 : NULL;
    return 1;
}

int lc_cli_is(const lc_cli_args *a, const char *name)
{
    char n[64];
    normalize(n, sizeof n, name, strlen(name));
    return strcmp(a->name, n) == 0;
}

int lc_cli_is_help(const lc_cli_args *a)
{
    return lc_cli_is(a, "help") || lc_cli_is(a, "h");
}

void lc_cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "llmcost %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

lc_status lc_cli_value(lc_cli_args *a, const char **value)
{
    if (a->value) {
        *value = a->value;
        return LC_OK;
    }
    if (a->i + 1 >= a->argc) {
        lc_cli_error(a->cmd, "option '%s' needs a value", a->arg);
        return LC_EINVAL;
    }
    a->i++;
    *value = a->argv[a->i];
    return LC_OK;
}

lc_status lc_cli_number(lc_cli_args *a, double *out)
{
    return lc_cli_input_number(a, -1, out);
}

lc_status lc_cli_input_number(lc_cli_args *a, int input, double *out)
{
    const char *opt = a->arg, *v;
    lc_status st = lc_cli_value(a, &v);
    if (st != LC_OK)
        return st;
    lc_diag d;
    if (input >= 0 && lc_input_keyword((lc_input)input, v, out))
        return LC_OK;
    st = lc_parse_number(v, out, &d);
    if (st != LC_OK) {
        /* print the option without any "=VALUE" part */
        int n = (int)strcspn(opt, "=");
        const char *words = input >= 0 ? lc_input_keywords((lc_input)input) : NULL;
        if (words)
            lc_cli_error(a->cmd, "%.*s: %s (expected a number, %s)", n, opt, d.msg, words);
        else
            lc_cli_error(a->cmd, "%.*s: %s", n, opt, d.msg);
    }
    return st;
}

lc_status lc_cli_flag(const lc_cli_args *a)
{
    if (a->value) {
        lc_cli_error(a->cmd, "option '--%s' takes no value", a->name);
        return LC_EINVAL;
    }
    return LC_OK;
}

lc_status lc_cli_unknown(const lc_cli_args *a)
{
    if (a->name[0])
        lc_cli_error(a->cmd, "unknown option '%s' (see 'llmcost %s --help')", a->arg, a->cmd);
    else
        lc_cli_error(a->cmd, "unexpected argument '%s' (see 'llmcost %s --help')", a->arg,
                     a->cmd);
    return LC_EINVAL;
}

lc_status lc_cli_report(const char *cmd, lc_status st, const lc_diag *d)
{
    char buf[2048];
    lc_diag_format(d, buf, sizeof buf);
    if (!buf[0])
        snprintf(buf, sizeof buf, "%s", lc_strerror(st));
    lc_cli_error(cmd, "%s", buf);
    return st;
}

lc_status lc_cli_catalog_load(const char *cmd, const char *path, lc_catalog *c)
{
    lc_diag d = {{0}, 0, {0}};
    lc_status st = lc_catalog_load(c, path, &d);
    if (st != LC_OK)
        lc_cli_report(cmd, st, &d);
    return st;
}

int lc_cli_price_option(lc_cli_args *a, lc_cli_prices *p, lc_status *st)
{
    const char **slot = NULL;
    if (lc_cli_is(a, "catalog"))
        slot = &p->catalog;
    else if (lc_cli_is(a, "catalog_add")) {
        if (p->n_add == 8) {
            lc_cli_error(a->cmd, "--catalog-add: at most 8 files");
            *st = LC_EINVAL;
            return 1;
        }
        slot = &p->add[p->n_add++];
    } else if (lc_cli_is(a, "price_date"))
        slot = &p->price_date;
    else if (lc_cli_is(a, "price_kind"))
        slot = &p->price_kind;
    else if (lc_cli_is(a, "price_provider"))
        slot = &p->price_provider;
    else
        return 0;
    *st = lc_cli_value(a, slot);
    return 1;
}

int lc_cli_prices_given(const lc_cli_prices *p)
{
    return p->catalog || p->n_add || p->price_date || p->price_kind || p->price_provider;
}

int lc_cli_output_is_catalog(const char *cmd, const lc_cli_prices *p, const char *out)
{
    if (!out || strcmp(out, "-") == 0)
        return 0;
    for (int i = -1; i < p->n_add; i++) {
        const char *in = i < 0 ? p->catalog : p->add[i];
        if (in && lc_path_same_file(in, out)) {
            lc_cli_error(cmd, "%s is the %s file %s itself: give another output file", out,
                         i < 0 ? "--catalog" : "--catalog-add", in);
            return 1;
        }
    }
    return 0;
}

lc_status lc_cli_catalog_open(const char *cmd, const lc_cli_prices *p, lc_catalog *c)
{
    lc_price_query q;
    lc_price_query_init(&q);
    memset(c, 0, sizeof *c);
    if (p->price_date) {
        lc_diag d;
        if (lc_price_date_parse(p->price_date, &q.day, &d) != LC_OK) {
            lc_cli_error(cmd, "--price-date: %s", d.msg);
            return LC_ESYNTAX;
        }
        snprintf(q.date, sizeof q.date, "%s", p->price_date);
    }
    if (p->price_kind && (q.kind = lc_price_kind_find(p->price_kind)) < 0) {
        lc_cli_error(cmd, "--price-kind: '%s' is not on-demand, reserved-1y, reserved-3y or spot",
                     p->price_kind);
        return LC_EINVAL;
    }
    if (p->price_provider && (q.provider = lc_provider_class_find(p->price_provider)) < 0) {
        lc_cli_error(cmd, "--price-provider: '%s' is not hyperscaler or gpu-cloud",
                     p->price_provider);
        return LC_EINVAL;
    }
    lc_status st = lc_cli_catalog_load(cmd, p->catalog, c);
    for (int i = 0; i < p->n_add && st == LC_OK; i++) {
        lc_diag d = {{0}, 0, {0}};
        if ((st = lc_catalog_add(c, p->add[i], &d)) != LC_OK)
            lc_cli_report(cmd, st, &d);
    }
    if (st != LC_OK) {
        lc_catalog_free(c);
        return st;
    }
    lc_catalog_select(c, &q);
    return LC_OK;
}

void lc_cli_prices_help(FILE *f)
{
    fprintf(f,
            "  --catalog FILE            read the catalogue from FILE instead of the built-in one\n"
            "  --catalog-add FILE        add or override entries and price records on top of it\n"
            "  --price-date YYYY-MM[-DD] price every GPU and API model by its latest record at or\n"
            "                            before that date (an error names the first date if none);\n"
            "                            'latest': the newest records (default: each entry's\n"
            "                            reference record, e.g. the article's A100 price)\n"
            "  --price-kind KIND         GPU price kind: on-demand, reserved-1y, reserved-3y, spot\n"
            "                            (default: the kind of each GPU's reference record)\n"
            "  --price-provider CLASS    GPU provider class: hyperscaler or gpu-cloud\n");
}

void lc_cli_prices_text(const lc_catalog *c, char *buf, size_t n)
{
    const lc_price_query *q = &c->query;
    if (!c->query_set) {
        snprintf(buf, n, "prices: the reference record of each entry (--price-date picks by date)");
        return;
    }
    int latest = q->day == 0 || q->day == LC_PRICE_LATEST;
    snprintf(buf, n, "prices %s%s%s, GPU kind %s, provider class %s",
             latest ? "latest" : "as of ", latest ? "" : q->date, latest ? " records" : "",
             q->kind >= 0 ? lc_price_kind_name(q->kind) : "of each reference record",
             q->provider >= 0 ? lc_provider_class_name(q->provider)
                              : q->kind >= 0 ? "any" : "of each reference record");
}

/* ", \"key\": value" members of a record object */
static void json_str(FILE *f, const char *key, const char *v)
{
    fprintf(f, ", \"%s\": ", key);
    lc_json_string(f, v);
}

static void json_num(FILE *f, const char *key, double x)
{
    fprintf(f, ", \"%s\": ", key);
    lc_json_number(f, x);
}

/* The members every price record ends with, and the closing brace. */
static void json_record_tail(FILE *f, const char *date, const char *source, int reference)
{
    json_str(f, "date", date);
    json_str(f, "source", source);
    fprintf(f, ", \"reference\": %s}", reference ? "true" : "false");
}

void lc_json_gpu_record(FILE *f, const lc_gpu *g)
{
    const lc_gpu_price *r = lc_gpu_record(g);
    if (!r) {
        fputs("null", f);
        return;
    }
    fputs("{\"gpu\": ", f);
    lc_json_string(f, g->name);
    json_str(f, "kind", lc_price_kind_name(r->kind));
    json_str(f, "provider_class", lc_provider_class_name(r->provider));
    json_num(f, "price_hour", r->price_hour);
    json_record_tail(f, r->date, r->source, g->sel == g->ref);
}

static void json_opt(FILE *f, const char *key, double x)
{
    fprintf(f, ", \"%s\": ", key);
    if (x < 0)
        fputs("null", f);
    else
        lc_json_number(f, x);
}

void lc_json_api_record(FILE *f, const lc_api *a)
{
    const lc_api_price *r = lc_api_record(a);
    if (!r) {
        fputs("null", f);
        return;
    }
    fputs("{\"api\": ", f);
    lc_json_string(f, a->name);
    json_str(f, "provider", a->provider);
    json_num(f, "price_in", r->price_in);
    json_num(f, "price_out", r->price_out);
    json_opt(f, "cached_in", r->cached_in);
    json_opt(f, "cache_write", r->cache_write);
    json_opt(f, "batch_discount", r->batch_discount);
    json_opt(f, "long_threshold", r->long_threshold > 0 ? r->long_threshold : -1);
    json_opt(f, "long_in", r->long_threshold > 0 ? r->long_in : -1);
    json_opt(f, "long_out", r->long_threshold > 0 ? r->long_out : -1);
    json_opt(f, "long_cached_in", r->long_threshold > 0 ? r->long_cached_in : -1);
    json_opt(f, "long_cache_write", r->long_threshold > 0 ? r->long_cache_write : -1);
    json_record_tail(f, r->date, r->source, a->sel == a->ref);
}

void lc_json_price_query(FILE *f, const lc_catalog *c)
{
    const lc_price_query *q = &c->query;
    fputs("{\"date\": ", f);
    if (q->day)
        lc_json_string(f, q->date);
    else
        fputs("null", f);
    fputs(", \"kind\": ", f);
    if (q->kind >= 0)
        lc_json_string(f, lc_price_kind_name(q->kind));
    else
        fputs("null", f);
    fputs(", \"provider_class\": ", f);
    if (q->provider >= 0)
        lc_json_string(f, lc_provider_class_name(q->provider));
    else
        fputs("null", f);
    fputs("}", f);
}

static lc_status unknown_name(const char *cmd, const lc_catalog *c, lc_cat_kind kind,
                              const char *name, const char *option)
{
    char hint[96];
    lc_diag d;
    snprintf(hint, sizeof hint, "see 'llmcost catalog', or %s", option);
    lc_status st = lc_catalog_unknown(c, kind, name, hint, NULL, 0, &d);
    lc_cli_error(cmd, "%s", d.msg);
    return st;
}

lc_status lc_cli_unknown_arch(const char *cmd, const lc_catalog *c, const char *name)
{
    return unknown_name(cmd, c, LC_CAT_ARCH, name, "add it with --catalog-add FILE");
}

lc_status lc_cli_unknown_gpu(const char *cmd, const lc_catalog *c, const char *name)
{
    return unknown_name(cmd, c, LC_CAT_GPU, name, "add it with --catalog FILE");
}

lc_status lc_cli_unknown_api(const char *cmd, const lc_catalog *c, const char *name)
{
    return unknown_name(cmd, c, LC_CAT_API, name, "add it with --catalog FILE");
}

void lc_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f); /* UTF-8 passes through: JSON text is UTF-8 */
        }
    }
    fputc('"', f);
}

void lc_json_number(FILE *f, double x)
{
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    /* the shortest of %.15g..%.17g that reads back to the same double:
     * 0.03 rather than 0.029999999999999999, still exact */
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, f);
}
