/*
 * cli_common.c - option cursor, error lines, catalogue loading and JSON
 * helpers shared by the subcommands (see cli_common.h).  This is the only
 * layer besides the commands themselves that prints: each failure is one
 * line on stderr, prefixed "llmcost CMD:", so scripts can grep it.
 */
#include "cli/cli_common.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "llmcost/number.h"

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
    const char *opt = a->arg, *v;
    lc_status st = lc_cli_value(a, &v);
    if (st != LC_OK)
        return st;
    lc_diag d;
    st = lc_parse_number(v, out, &d);
    if (st != LC_OK) {
        /* print the option without any "=VALUE" part */
        int n = (int)strcspn(opt, "=");
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

static lc_status unknown_name(const char *cmd, const char *what, const char *name,
                              const char *option, int n, const char *(*name_at)(const lc_catalog *, int),
                              const lc_catalog *c)
{
    char known[1024];
    size_t len = 0;
    known[0] = '\0';
    for (int i = 0; i < n && len + 2 < sizeof known; i++) {
        int w = snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", name_at(c, i));
        if (w < 0)
            break;
        len += (size_t)w;
    }
    lc_cli_error(cmd, "unknown %s '%s' (known: %s; see 'llmcost catalog', or %s)", what, name,
                 n ? known : "none", option);
    return LC_ENOTFOUND;
}

static const char *gpu_name_at(const lc_catalog *c, int i) { return c->gpus[i].name; }
static const char *api_name_at(const lc_catalog *c, int i) { return c->apis[i].name; }

lc_status lc_cli_unknown_gpu(const char *cmd, const lc_catalog *c, const char *name)
{
    return unknown_name(cmd, "GPU", name, "add it with --catalog FILE", c->n_gpus,
                        gpu_name_at, c);
}

lc_status lc_cli_unknown_api(const char *cmd, const lc_catalog *c, const char *name)
{
    return unknown_name(cmd, "API model", name, "add it with --catalog FILE", c->n_apis,
                        api_name_at, c);
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
