/*
 * spec_parse.c - the sweep specification (spec.h): INI text -> lc_spec.
 *
 * Two passes.  First every key is collected with its section and line
 * (lc_ini_parse_text gives the line, refuses long lines and bad UTF-8;
 * indented lines are inih continuations and are appended to the key they
 * continue; a key given twice is refused here).  Then the sections are
 * applied in a fixed order, [sweep], [axes], [inputs], [outputs], so that
 * cross-checks (an input both on an axis and fixed, a GPU's numbers against
 * explicit inputs) see everything; a conflict is reported at the later of
 * the two lines, where a reader of the file meets it.
 *
 * Invariants of a parsed spec, relied on by the engine:
 * - every axis value and every fixed value passed lc_input_check;
 * - axis_of_input[i] is the axis whose points set input i.  For the four
 *   GPU inputs it is the gpu axis unless the input was given explicitly;
 *   for util_infer following util it is the util axis (whose values are the
 *   right ones); tokens under the Chinchilla rule stays -1 (its values are
 *   20 * params, not an axis' values: see tokens_chinchilla);
 * - fixed[i] holds the value off the grid; for an input on an axis it holds
 *   the axis' first point (a valid value, never used by the grid);
 * - the grid point count fits in 64 bits.
 * On any error the spec is freed (and re-initialised) before returning.
 */
#include "spec/spec.h"
#include "spec/spec_query.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ini.h"
#include "util/number.h"

#define COUNT_MAX 100000000.0 /* points per axis: 800 MB of axis values (spec.h) */
#define CHUNK_KIB_MIN 1
#define CHUNK_KIB_MAX 262144   /* 256 MiB: buffers are threads x chunk */
#define THREADS_MAX 4096

/* ---- pass 1: collect keys ------------------------------------------------ */

typedef struct {
    char section[LC_NAME_MAX + 16];
    char key[LC_NAME_MAX];
    char *value; /* owned, continuation lines appended with a blank */
    int line;
    int vcol;    /* column where the value starts on its line */
    int cont;    /* continuation lines appended */
} entry;

typedef struct {
    const char *text;
    size_t len;
    const char *file; /* name for messages */
    size_t cur_pos;   /* offset of line cur_line in text */
    int cur_line;
    entry *e;
    int n, cap;
} collector;

static void trim_copy(char *dst, size_t size, const char *src)
{
    while (isspace((unsigned char)*src))
        src++;
    size_t n = strlen(src);
    while (n && isspace((unsigned char)src[n - 1]))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Offset of the start of line `line` (1-based); lines only move forward. */
static const char *line_start(collector *c, int line)
{
    while (c->cur_line < line && c->cur_pos < c->len) {
        const char *nl = memchr(c->text + c->cur_pos, '\n', c->len - c->cur_pos);
        c->cur_pos = nl ? (size_t)(nl - c->text) + 1 : c->len;
        c->cur_line++;
    }
    return c->text + c->cur_pos;
}

static lc_status on_key(void *user, const char *section, const char *key,
                        const char *value, int line, lc_diag *d)
{
    collector *c = user;
    char sec[LC_NAME_MAX + 16];
    trim_copy(sec, sizeof sec, section);
    if (strlen(key) >= LC_NAME_MAX)
        return lc_diag_set(d, LC_ESYNTAX, c->file, line,
                           "key '%.40s...' is too long (at most %d characters)",
                           key, LC_NAME_MAX - 1);
    if (strlen(section) >= sizeof sec)
        return lc_diag_set(d, LC_ESYNTAX, c->file, line,
                           "section name is too long (at most %d characters)",
                           (int)sizeof sec - 1);
    /* the text need not end in a NUL (lc_spec_parse_text takes a length):
     * every look at the line stops at its end */
    const char *ls = line_start(c, line), *tend = c->text + c->len;
    int indented = ls < tend && (*ls == ' ' || *ls == '\t');
    if (indented && c->n > 0 && strcmp(c->e[c->n - 1].section, sec) == 0 &&
        strcmp(c->e[c->n - 1].key, key) == 0) {
        /* inih continuation: `key = a, b,` then an indented `c, d` */
        entry *last = &c->e[c->n - 1];
        size_t a = strlen(last->value), b = strlen(value);
        char *nv = realloc(last->value, a + b + 2);
        if (!nv)
            return lc_diag_set(d, LC_ENOMEM, c->file, line, "out of memory");
        /* "key =" then "  lin 1 100 5": the value is "lin 1 100 5", with
         * no leading blank that would hide the range keyword */
        if (a > 0)
            nv[a++] = ' ';
        memcpy(nv + a, value, b + 1);
        last->value = nv;
        last->cont++;
        return LC_OK;
    }
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->e[i].section, sec) == 0 && strcmp(c->e[i].key, key) == 0)
            return lc_diag_set(d, LC_EINVAL, c->file, line,
                               "duplicate %s '%s' in [%s] (first given on line %d)",
                               strcmp(sec, "axes") == 0 ? "axis" : "key", key, sec,
                               c->e[i].line);
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 32;
        entry *ne = realloc(c->e, sizeof *ne * (size_t)cap);
        if (!ne)
            return lc_diag_set(d, LC_ENOMEM, c->file, line, "out of memory");
        c->e = ne;
        c->cap = cap;
    }
    entry *e = &c->e[c->n];
    memset(e, 0, sizeof *e);
    snprintf(e->section, sizeof e->section, "%s", sec);
    snprintf(e->key, sizeof e->key, "%s", key);
    e->value = strdup(value);
    if (!e->value)
        return lc_diag_set(d, LC_ENOMEM, c->file, line, "out of memory");
    e->line = line;
    /* the value's column, for expressions' messages: after the separator */
    const char *q = ls;
    while (q < tend && *q && *q != '\n' && *q != '=' && *q != ':')
        q++;
    if (q < tend && (*q == '=' || *q == ':'))
        q++;
    while (q < tend && (*q == ' ' || *q == '\t'))
        q++;
    e->vcol = (int)(q - ls) + 1;
    c->n++;
    return LC_OK;
}

static void collector_free(collector *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->e[i].value);
    free(c->e);
    c->e = NULL;
    c->n = c->cap = 0;
}

/* ---- suggestions ("did you mean") ----------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64 + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct {
    const char *best;
    size_t dist;
} suggest;

static void suggest_try(suggest *s, const char *word, const char *cand)
{
    size_t dd = edit_distance(word, cand);
    size_t limit = strlen(word) / 3 > 2 ? strlen(word) / 3 : 2;
    if (dd <= limit && (!s->best || dd < s->dist)) {
        s->best = cand;
        s->dist = dd;
    }
}

/* " (did you mean 'x'?)" or "" into buf. */
static const char *suggest_text(const suggest *s, char *buf, size_t size)
{
    if (s->best)
        snprintf(buf, size, " (did you mean '%s'?)", s->best);
    else
        buf[0] = '\0';
    return buf;
}

static const char *suggest_input(const char *word, int allow_gpu, char *buf, size_t size)
{
    suggest s = {NULL, 0};
    for (int i = 0; i < LC_IN_COUNT; i++)
        suggest_try(&s, word, lc_inputs[i].name);
    if (allow_gpu) {
        suggest_try(&s, word, "gpu");
        suggest_try(&s, word, "arch");
    }
    return suggest_text(&s, buf, size);
}

static const char *suggest_output(const char *word, char *buf, size_t size)
{
    suggest s = {NULL, 0};
    for (int i = 0; i < LC_OUT_COUNT; i++)
        suggest_try(&s, word, lc_outputs[i].name);
    return suggest_text(&s, buf, size);
}

static const char *suggest_list(const char *word, const char *const *list,
                                char *buf, size_t size)
{
    suggest s = {NULL, 0};
    for (int i = 0; list[i]; i++)
        suggest_try(&s, word, list[i]);
    return suggest_text(&s, buf, size);
}

static const char *suggest_gpu(const char *word, const lc_catalog *cat, char *buf,
                               size_t size)
{
    suggest s = {NULL, 0};
    for (int i = 0; cat && i < cat->n_gpus; i++)
        suggest_try(&s, word, cat->gpus[i].name);
    return suggest_text(&s, buf, size);
}

/* ---- pass 2: apply -------------------------------------------------------- */

typedef struct {
    lc_spec *s;
    const char *file;
    const lc_catalog *cat;
    lc_diag *d;
    int given_line[LC_IN_COUNT]; /* line where an input was given in [inputs] */
    int fixed_gpu_line;
    int fixed_api_line;
    int fixed_arch_line;
    int price_date_line;         /* [inputs] price_date, 0 if none */
    lc_catalog selcat;           /* the catalogue selected at the spec's price_date */
    int chinchilla_line;
    int store_given, reduce_given, count_given;
    int outputs_line;            /* first key line in [outputs] */
} ctx;

static lc_status errf(ctx *c, lc_status st, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static lc_status errf(ctx *c, lc_status st, int line, const char *fmt, ...)
{
    if (!c->d)
        return st;
    char msg[sizeof c->d->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lc_diag_set(c->d, st, c->file, line, "%s", msg);
}

static lc_status parse_num(ctx *c, const char *text, int line, const char *what,
                           double *out)
{
    lc_diag sub;
    int input = lc_input_find(what); /* an input's words: serving = roofline */
    if (input >= 0 && lc_input_keyword((lc_input)input, text, out))
        return LC_OK;
    lc_status st = lc_parse_number(text, out, &sub);
    if (st != LC_OK && input >= 0 && lc_input_keywords((lc_input)input))
        return errf(c, st, line, "%s: %s (expected a number, %s)", what, sub.msg,
                    lc_input_keywords((lc_input)input));
    if (st != LC_OK)
        return errf(c, st, line, "%s: %s", what, sub.msg);
    return LC_OK;
}

/* A value checked against its input's range, the message naming the line. */
static lc_status check_input(ctx *c, int input, double x, int line)
{
    lc_diag sub;
    lc_status st = lc_input_check((lc_input)input, x, &sub);
    if (st != LC_OK)
        return errf(c, st, line, "%s", sub.msg);
    return LC_OK;
}

static lc_status parse_count(ctx *c, const char *text, int line, const char *what,
                             size_t *n)
{
    double x;
    lc_status st = parse_num(c, text, line, what, &x);
    if (st != LC_OK)
        return st;
    if (x != floor(x) || x < 1 || x > COUNT_MAX)
        return errf(c, LC_ERANGE, line,
                    "%s: COUNT %s must be a whole number from 1 to 100000000 (1e8 points "
                    "per axis, 800 MB of axis values)",
                    what, text);
    *n = (size_t)x;
    return LC_OK;
}

/* Split a comma list in place into trimmed items; empty items are errors. */
static lc_status split_list(ctx *c, char *text, int line, const char *what,
                            char ***items, int *n_items)
{
    int cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    char **it = malloc(sizeof *it * (size_t)cap);
    if (!it)
        return errf(c, LC_ENOMEM, line, "out of memory");
    int n = 0;
    char *p = text;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (isspace((unsigned char)*p))
            p++;
        size_t l = strlen(p);
        while (l && isspace((unsigned char)p[l - 1]))
            p[--l] = '\0';
        if (l == 0) {
            free(it);
            return errf(c, LC_ESYNTAX, line,
                        "%s: empty item in the list (expected VALUE, VALUE, ...)", what);
        }
        it[n++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    *items = it;
    *n_items = n;
    return LC_OK;
}

static int is_word(const char *v, const char *w)
{
    size_t n = strlen(w);
    return strncmp(v, w, n) == 0 && (v[n] == '\0' || isspace((unsigned char)v[n]));
}

/* "log A B N" or "lin A B N": n values with exactly A and B at the ends. */
static lc_status parse_range(ctx *c, lc_axis *ax, const char *value, int line)
{
    /* a copy of the whole value (continuation lines make it longer than
     * any line): a fixed buffer would cut "lin A B 50" to "lin A B 5", or
     * drop a fifth token, silently (issue 10) */
    char *buf = strdup(value), *tok[5] = {NULL, NULL, NULL, NULL, NULL};
    int nt = 0;
    if (!buf)
        return errf(c, LC_ENOMEM, line, "out of memory");
    for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save)) {
        if (nt == 5)
            break;
        tok[nt++] = t;
    }
    int is_log = nt > 0 && strcmp(tok[0], "log") == 0;
    if (nt != 4) {
        char extra[64] = "";
        if (nt == 5)
            snprintf(extra, sizeof extra, ": '%.24s' after COUNT is not consumed", tok[4]);
        free(buf);
        return errf(c, LC_ESYNTAX, line, "axis '%s': expected '%s START STOP COUNT'%s",
                    ax->name, is_log ? "log" : "lin", extra);
    }
    double a = 0, b = 0;
    size_t n = 0;
    lc_status st;
    if ((st = parse_num(c, tok[1], line, ax->name, &a)) != LC_OK ||
        (st = parse_num(c, tok[2], line, ax->name, &b)) != LC_OK ||
        (st = parse_count(c, tok[3], line, ax->name, &n)) != LC_OK) {
        free(buf);
        return st;
    }
    free(buf);
    if (is_log && (a <= 0 || b <= 0))
        return errf(c, LC_ERANGE, line,
                    "axis '%s': a log range needs START and STOP > 0 (got %g and %g)",
                    ax->name, a, b);
    if (n == 1 && a != b)
        return errf(c, LC_ERANGE, line,
                    "axis '%s': a range of COUNT 1 needs START = STOP (got %g and %g)",
                    ax->name, a, b);
    ax->values = malloc(sizeof(double) * n);
    if (!ax->values)
        return errf(c, LC_ENOMEM, line, "axis '%s': out of memory for %zu points",
                    ax->name, n);
    ax->n = n;
    if (is_log) {
        double la = log10(a), lb = log10(b), step = n > 1 ? (lb - la) / (double)(n - 1) : 0;
        for (size_t i = 0; i < n; i++)
            ax->values[i] = pow(10.0, la + (double)i * step);
    } else {
        double step = n > 1 ? (b - a) / (double)(n - 1) : 0;
        for (size_t i = 0; i < n; i++)
            ax->values[i] = a + (double)i * step;
    }
    ax->values[0] = a;
    ax->values[n - 1] = b;
    /* both ends are checked explicitly; the interior lies between them, so
     * for the range-checked inputs (intervals) it is valid when they are */
    if ((st = check_input(c, ax->input, a, line)) != LC_OK ||
        (st = check_input(c, ax->input, b, line)) != LC_OK)
        return st;
    for (size_t i = 1; i + 1 < n; i++)
        if ((st = check_input(c, ax->input, ax->values[i], line)) != LC_OK)
            return st;
    return LC_OK;
}

/* "unknown GPU 'H10' (did you mean 'H100'?): the catalogue (built-in) has
 * A100, H100, ..." - the names a person can type. */
static lc_status unknown_gpu(ctx *c, const char *name, int line)
{
    const lc_gpu *g = c->cat ? lc_catalog_gpu_entry(c->cat, name) : NULL;
    if (g && g->sel < 0) /* in the catalogue, but no record at the price date */
        return errf(c, LC_ENOTFOUND, line, "%s", g->select_error);
    char sug[96], names[400] = "";
    size_t used = 0;
    for (int i = 0; c->cat && i < c->cat->n_gpus && used + 70 < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 c->cat->gpus[i].name);
    return errf(c, LC_ENOTFOUND, line, "unknown GPU '%s'%s: the catalogue (%s) has %s", name,
                suggest_gpu(name, c->cat, sug, sizeof sug),
                c->cat ? c->cat->origin : "none loaded", names[0] ? names : "no GPUs");
}

static lc_status parse_gpu_axis(ctx *c, lc_axis *ax, char *value, int line)
{
    char **items;
    int n;
    lc_status st = split_list(c, value, line, "gpu", &items, &n);
    if (st != LC_OK)
        return st;
    ax->n = (size_t)n;
    ax->values = malloc(sizeof(double) * (size_t)n);
    ax->labels = calloc((size_t)n, sizeof *ax->labels);
    ax->gpu = calloc((size_t)n, sizeof *ax->gpu);
    if (!ax->values || !ax->labels || !ax->gpu) {
        free(items);
        return errf(c, LC_ENOMEM, line, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        const lc_gpu *g = c->cat ? lc_catalog_gpu(c->cat, items[i]) : NULL;
        if (!g) {
            st = unknown_gpu(c, items[i], line);
            free(items);
            return st;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(ax->labels[j], g->name) == 0) {
                free(items);
                return errf(c, LC_EINVAL, line, "GPU '%s' is listed twice", g->name);
            }
        ax->values[i] = (double)i;
        snprintf(ax->labels[i], LC_NAME_MAX, "%s", g->name);
        ax->gpu[i] = lc_gpu_values_of(g);
    }
    free(items);
    return LC_OK;
}

/* The catalogue's message for a name it has but could not price at the
 * date, else the unknown-name message. */
static lc_status unknown_api(ctx *c, const char *name, int line)
{
    const lc_api *a = c->cat ? lc_catalog_api_entry(c->cat, name) : NULL;
    if (a && a->sel < 0)
        return errf(c, LC_ENOTFOUND, line, "%s", a->select_error);
    return errf(c, LC_ENOTFOUND, line, "unknown API model '%s': see 'llmcost catalog' (%s)",
                name, c->cat ? c->cat->origin : "none loaded");
}

/* A labelled axis (api, price_date): split the list and allocate its n
 * values, labels and per-point input values; *items is freed by the caller
 * on success, here on failure. */
static lc_status labelled_axis(ctx *c, lc_axis *ax, char *value, int line, const char *key,
                               char ***items, int *n)
{
    lc_status st = split_list(c, value, line, key, items, n);
    if (st != LC_OK)
        return st;
    ax->n = (size_t)*n;
    ax->values = malloc(sizeof(double) * (size_t)*n);
    ax->labels = calloc((size_t)*n, sizeof *ax->labels);
    ax->set_vals = calloc((size_t)*n * LC_IN_COUNT, sizeof *ax->set_vals);
    if (!ax->values || !ax->labels || !ax->set_vals) {
        free(*items);
        return errf(c, LC_ENOMEM, line, "out of memory");
    }
    return LC_OK;
}

/* api = a, b, c: one axis setting price_in and price_out. */
static lc_status parse_api_axis(ctx *c, lc_axis *ax, char *value, int line)
{
    char **items;
    int n;
    lc_status st = labelled_axis(c, ax, value, line, "api", &items, &n);
    if (st != LC_OK)
        return st;
    ax->set_mask = LC_BIT(LC_IN_PRICE_IN) | LC_BIT(LC_IN_PRICE_OUT);
    for (int i = 0; i < n; i++) {
        const lc_api *a = c->cat ? lc_catalog_api(c->cat, items[i]) : NULL;
        if (!a) {
            st = unknown_api(c, items[i], line);
            free(items);
            return st;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(ax->labels[j], a->name) == 0) {
                free(items);
                return errf(c, LC_EINVAL, line, "API model '%s' is listed twice", a->name);
            }
        ax->values[i] = (double)i;
        snprintf(ax->labels[i], LC_NAME_MAX, "%s", a->name);
        ax->set_vals[(size_t)i * LC_IN_COUNT + LC_IN_PRICE_IN] = a->price_in;
        ax->set_vals[(size_t)i * LC_IN_COUNT + LC_IN_PRICE_OUT] = a->price_out;
    }
    free(items);
    return LC_OK;
}

/* "unknown architecture 'x': the catalogue (built-in) has a, b, ..." */
static lc_status unknown_arch(ctx *c, const char *name, int line)
{
    char names[600] = "";
    size_t used = 0;
    for (int i = 0; c->cat && i < c->cat->n_archs && used + 70 < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 c->cat->archs[i].name);
    return errf(c, LC_ENOTFOUND, line, "unknown architecture '%s': the catalogue (%s) has %s",
                name, c->cat ? c->cat->origin : "none loaded",
                names[0] ? names : "no architectures");
}

/* The inputs an architecture sets, checked against the model's ranges. */
static lc_status arch_values(ctx *c, const lc_arch *r, double *v, lc_inmask *mask, int line)
{
    int set[LC_IN_COUNT] = {0};
    lc_arch_apply(r, v, set, 1);
    for (int i = 0; i < LC_IN_COUNT; i++) {
        if (!set[i])
            continue;
        *mask |= LC_BIT(i);
        lc_status st = check_input(c, i, v[i], line);
        if (st != LC_OK)
            return errf(c, st, line, "arch %s: %s", r->name, c->d ? c->d->msg : "");
    }
    return LC_OK;
}

/* arch = a, b, c: one axis setting the inputs each architecture gives. */
static lc_status parse_arch_axis(ctx *c, lc_axis *ax, char *value, int line)
{
    char **items;
    int n;
    lc_status st = labelled_axis(c, ax, value, line, "arch", &items, &n);
    if (st != LC_OK)
        return st;
    for (int i = 0; i < n; i++) {
        const lc_arch *r = c->cat ? lc_catalog_arch(c->cat, items[i]) : NULL;
        if (!r) {
            st = unknown_arch(c, items[i], line);
            free(items);
            return st;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(ax->labels[j], r->name) == 0) {
                free(items);
                return errf(c, LC_EINVAL, line, "architecture '%s' is listed twice", r->name);
            }
        ax->values[i] = (double)i;
        snprintf(ax->labels[i], LC_NAME_MAX, "%s", r->name);
        if ((st = arch_values(c, r, &ax->set_vals[(size_t)i * LC_IN_COUNT], &ax->set_mask,
                              line)) != LC_OK) {
            free(items);
            return st;
        }
    }
    free(items);
    return LC_OK;
}

/* price_date = D1, D2, ...: dates in increasing order; the values are set
 * in finish() from the fixed gpu and api. */
static lc_status parse_date_axis(ctx *c, lc_axis *ax, char *value, int line)
{
    char **items;
    int n;
    lc_status st = labelled_axis(c, ax, value, line, "price_date", &items, &n);
    if (st != LC_OK)
        return st;
    long prev = 0;
    for (int i = 0; i < n; i++) {
        lc_diag sub;
        long day;
        if (lc_price_date_parse(items[i], &day, &sub) != LC_OK) {
            free(items);
            return errf(c, LC_ESYNTAX, line, "price_date: %s", sub.msg);
        }
        if (day <= prev) {
            st = errf(c, LC_EINVAL, line, "price_date: the dates must increase ('%s')", items[i]);
            free(items);
            return st;
        }
        prev = day;
        ax->values[i] = (double)i;
        snprintf(ax->labels[i], LC_NAME_MAX, "%s", items[i]);
    }
    free(items);
    return LC_OK;
}

static lc_status parse_list_axis(ctx *c, lc_axis *ax, char *value, int line)
{
    char **items;
    int n;
    lc_status st = split_list(c, value, line, ax->name, &items, &n);
    if (st != LC_OK)
        return st;
    ax->n = (size_t)n;
    ax->values = malloc(sizeof(double) * (size_t)n);
    if (!ax->values) {
        free(items);
        return errf(c, LC_ENOMEM, line, "out of memory");
    }
    for (int i = 0; i < n && st == LC_OK; i++) {
        st = parse_num(c, items[i], line, ax->name, &ax->values[i]);
        if (st == LC_OK)
            st = check_input(c, ax->input, ax->values[i], line);
    }
    free(items);
    return st;
}

static const char *const known_sections[] = {"sweep", "axes", "inputs", "formulas", "outputs",
                                             "sensitivity", "distribution.NAME",
                                             "uncertainty", "correlation", NULL};

static int axis_index(const lc_spec *s, const char *name)
{
    for (int i = 0; i < s->n_axes; i++)
        if (strcmp(s->axes[i].name, name) == 0)
            return i;
    return -1;
}

static lc_status unknown_input(ctx *c, const char *key, int line, int allow_gpu)
{
    char sug[96];
    if (lc_output_find(key) >= 0)
        return errf(c, LC_ENOTFOUND, line,
                    "'%s' is an output, not an input (list outputs under [outputs] store)",
                    key);
    return errf(c, LC_ENOTFOUND, line, "unknown input '%s'%s", key,
                suggest_input(key, allow_gpu, sug, sizeof sug));
}

static lc_status apply_axis(ctx *c, const entry *e)
{
    lc_spec *s = c->s;
    int is_gpu = strcmp(e->key, "gpu") == 0;
    int is_api = strcmp(e->key, "api") == 0, is_date = strcmp(e->key, "price_date") == 0;
    int is_arch = strcmp(e->key, "arch") == 0;
    int input = is_gpu || is_api || is_date || is_arch ? -1 : lc_input_find(e->key);
    if (!is_gpu && !is_api && !is_date && !is_arch && input < 0)
        return unknown_input(c, e->key, e->line, 1);
    char *value = e->value; /* trimmed by inih; pass 2 may split it in place */
    if (value[0] == '\0')
        return errf(c, LC_ESYNTAX, e->line,
                    "axis '%s' has no points (expected a list, 'log START STOP COUNT' "
                    "or 'lin START STOP COUNT')", e->key);
    if (strcmp(value, "chinchilla") == 0) {
        if (input != LC_IN_TOKENS)
            return errf(c, LC_EINVAL, e->line, "'chinchilla' is a rule for "
                        "tokens only (tokens = 20 * params), not for '%s'", e->key);
        s->tokens_chinchilla = 1;
        c->chinchilla_line = e->line;
        return LC_OK;
    }
    if (s->n_axes == LC_MAX_AXES)
        return errf(c, LC_ERANGE, e->line, "too many axes (at most %d)", LC_MAX_AXES);
    lc_axis *ax = &s->axes[s->n_axes++];
    memset(ax, 0, sizeof *ax);
    snprintf(ax->name, sizeof ax->name, "%s", e->key);
    ax->input = input;
    ax->line = e->line;
    if (is_gpu)
        return parse_gpu_axis(c, ax, value, e->line);
    if (is_api)
        return parse_api_axis(c, ax, value, e->line);
    if (is_date)
        return parse_date_axis(c, ax, value, e->line);
    if (is_arch)
        return parse_arch_axis(c, ax, value, e->line);
    if (is_word(value, "log") || is_word(value, "lin"))
        return parse_range(c, ax, value, e->line);
    return parse_list_axis(c, ax, value, e->line);
}

static lc_status apply_input(ctx *c, const entry *e)
{
    lc_spec *s = c->s;
    const char *v = e->value;
    if (strcmp(e->key, "price_date") == 0 || strcmp(e->key, "price_kind") == 0 ||
        strcmp(e->key, "price_provider") == 0)
        return LC_OK; /* read before the axes (prescan_prices) */
    if (strcmp(e->key, "api") == 0) {
        const lc_api *a = c->cat ? lc_catalog_api(c->cat, v) : NULL;
        if (!a)
            return unknown_api(c, v, e->line);
        snprintf(s->fixed_api, sizeof s->fixed_api, "%s", a->name);
        c->fixed_api_line = e->line;
        return LC_OK;
    }
    if (strcmp(e->key, "arch") == 0) {
        const lc_arch *r = c->cat ? lc_catalog_arch(c->cat, v) : NULL;
        if (!r)
            return unknown_arch(c, v, e->line);
        snprintf(s->fixed_arch, sizeof s->fixed_arch, "%s", r->name);
        c->fixed_arch_line = e->line;
        return LC_OK;
    }
    if (strcmp(e->key, "gpu") == 0) {
        const lc_gpu *g = c->cat ? lc_catalog_gpu(c->cat, v) : NULL;
        if (!g)
            return unknown_gpu(c, v, e->line);
        snprintf(s->fixed_gpu, sizeof s->fixed_gpu, "%s", g->name);
        c->fixed_gpu_line = e->line;
        return LC_OK;
    }
    int input = lc_input_find(e->key);
    if (input < 0)
        return unknown_input(c, e->key, e->line, 1);
    if (input == LC_IN_TOKENS && strcmp(v, "chinchilla") == 0) {
        s->tokens_chinchilla = 1;
        c->chinchilla_line = e->line;
        return LC_OK;
    }
    double x;
    lc_status st = parse_num(c, v, e->line, e->key, &x);
    if (st == LC_OK)
        st = check_input(c, input, x, e->line);
    if (st != LC_OK)
        return st;
    s->fixed[input] = x;
    c->given_line[input] = e->line;
    return LC_OK;
}

static lc_status parse_output_list(ctx *c, const entry *e, int *list, int *n_list)
{
    *n_list = 0;
    if (e->value[0] == '\0' || strcmp(e->value, "none") == 0)
        return LC_OK;
    char **items;
    int n;
    lc_status st = split_list(c, e->value, e->line, e->key, &items, &n);
    if (st != LC_OK)
        return st;
    for (int i = 0; i < n && st == LC_OK; i++) {
        int o = lc_formulas_output_find(&c->s->formulas, items[i]);
        if (o < 0) {
            char sug[96];
            st = lc_input_find(items[i]) >= 0
                     ? errf(c, LC_ENOTFOUND, e->line,
                            "'%s' is an input, not an output (outputs are listed by "
                            "'llmcost eval --help')", items[i])
                     : errf(c, LC_ENOTFOUND, e->line, "unknown output '%s'%s", items[i],
                            suggest_output(items[i], sug, sizeof sug));
            break;
        }
        for (int j = 0; j < *n_list; j++)
            if (list[j] == o) {
                st = errf(c, LC_EINVAL, e->line, "output '%s' is listed twice in %s",
                          items[i], e->key);
                break;
            }
        if (st == LC_OK)
            list[(*n_list)++] = o;
    }
    free(items);
    return st;
}

/* "OUTPUT OP NUMBER", OP one of < <= > >=. */
static lc_status parse_condition(ctx *c, const char *text, int line, lc_condition *cond)
{
    static const char expect[] = "expected OUTPUT <|<=|>|>= NUMBER";
    if (strlen(text) >= sizeof cond->text)
        return errf(c, LC_ESYNTAX, line, "condition '%.40s...' is too long", text);
    snprintf(cond->text, sizeof cond->text, "%s", text);
    const char *p = text;
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    if (n == 0 || n >= LC_NAME_MAX)
        return errf(c, LC_ESYNTAX, line, "condition '%s': %s", text, expect);
    char name[LC_NAME_MAX];
    memcpy(name, p, n);
    name[n] = '\0';
    p += n;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '<')
        cond->op = p[1] == '=' ? LC_CMP_LE : LC_CMP_LT;
    else if (*p == '>')
        cond->op = p[1] == '=' ? LC_CMP_GE : LC_CMP_GT;
    else
        return errf(c, LC_ESYNTAX, line, "condition '%s': %s", text, expect);
    p += (cond->op == LC_CMP_LE || cond->op == LC_CMP_GE) ? 2 : 1;
    if (*p == '<' || *p == '>' || *p == '=')
        return errf(c, LC_ESYNTAX, line, "condition '%s': %s", text, expect);
    cond->output = lc_formulas_output_find(&c->s->formulas, name);
    if (cond->output < 0) {
        char sug[96];
        return errf(c, LC_ENOTFOUND, line, "condition '%s': unknown output '%s'%s", text,
                    name, suggest_output(name, sug, sizeof sug));
    }
    lc_diag sub;
    if (lc_parse_number(p, &cond->value, &sub) != LC_OK)
        return errf(c, LC_ESYNTAX, line, "condition '%s': %s (%s)", text, expect, sub.msg);
    return LC_OK;
}

/* A list of questions (spec_query.h); count items in the classic form
 * OUTPUT OP NUMBER stay conditions, reduce items without `where` plain
 * reductions. */
static lc_status apply_questions(ctx *c, const entry *e, lc_qkind kind)
{
    lc_spec *s = c->s;
    if (kind == LC_Q_PARETO)
        return lc_query_add(s, kind, e->value, c->file, e->line, c->d);
    char *items[LC_MAX_QUESTIONS + LC_OUT_COUNT + 1];
    int n = lc_query_split(e->value, items, LC_MAX_QUESTIONS + LC_OUT_COUNT + 1);
    if (n == -1)
        return errf(c, LC_ESYNTAX, e->line,
                    "%s: empty item in the list (expected VALUE, VALUE, ...)", e->key);
    if (n < 0)
        return errf(c, LC_ERANGE, e->line, "%s: too many items", e->key);
    lc_status st = LC_OK;
    int n_cond = 0;
    for (int i = 0; i < n; i++)
        n_cond += kind == LC_Q_COUNT && !lc_query_is_combined(s, items[i]);
    if (n_cond > LC_MAX_CONDS)
        return errf(c, LC_ERANGE, e->line, "too many conditions (%d, at most %d)", n_cond,
                    LC_MAX_CONDS);
    for (int i = 0; i < n && st == LC_OK; i++) {
        if (kind == LC_Q_COUNT && !lc_query_is_combined(s, items[i])) {
            st = parse_condition(c, items[i], e->line, &s->conds[s->n_conds++]);
        } else if (kind == LC_Q_REDUCE && !lc_query_has_where(items[i])) {
            entry one = *e;
            one.value = items[i];
            int list[LC_OUT_COUNT], nl;
            st = parse_output_list(c, &one, list, &nl);
            for (int j = 0; j < s->n_reduce && st == LC_OK; j++)
                if (s->reduce[j] == list[0])
                    st = errf(c, LC_EINVAL, e->line, "output '%s' is listed twice in %s",
                              items[i], e->key);
            if (st == LC_OK)
                s->reduce[s->n_reduce++] = list[0];
        } else {
            st = lc_query_add(s, kind, items[i], c->file, e->line, c->d);
        }
    }
    return st;
}

static lc_status apply_outputs(ctx *c, const entry *e)
{
    lc_spec *s = c->s;
    if (!c->outputs_line)
        c->outputs_line = e->line;
    if (strcmp(e->key, "store") == 0) {
        c->store_given = e->line;
        return parse_output_list(c, e, s->store, &s->n_store);
    }
    if (strcmp(e->key, "reduce") == 0) {
        c->reduce_given = e->line;
        if (!lc_query_has_where(e->value))
            return parse_output_list(c, e, s->reduce, &s->n_reduce);
        return apply_questions(c, e, LC_Q_REDUCE); /* constrained reductions */
    }
    if (strcmp(e->key, "top") == 0 || strcmp(e->key, "pareto") == 0 ||
        strcmp(e->key, "frontier") == 0) {
        c->count_given = e->line;
        return apply_questions(c, e, e->key[0] == 't' ? LC_Q_TOP
                                     : e->key[0] == 'p' ? LC_Q_PARETO : LC_Q_FRONTIER);
    }
    if (strcmp(e->key, "count") == 0) {
        c->count_given = e->line;
        if (e->value[0] == '\0' || strcmp(e->value, "none") == 0)
            return LC_OK;
        return apply_questions(c, e, LC_Q_COUNT);
    }
    static const char *const keys[] = {"store", "reduce", "count", "top", "pareto", "frontier",
                                       NULL};
    char sug[96];
    return errf(c, LC_EINVAL, e->line, "unknown key '%s' in [outputs]%s", e->key,
                suggest_list(e->key, keys, sug, sizeof sug));
}

static lc_status apply_sweep(ctx *c, const entry *e)
{
    lc_spec *s = c->s;
    const char *v = e->value;
    if (strcmp(e->key, "name") == 0) {
        if (strlen(v) >= sizeof s->name)
            return errf(c, LC_ERANGE, e->line, "name is longer than %d characters",
                        (int)sizeof s->name - 1);
        snprintf(s->name, sizeof s->name, "%s", v);
        return LC_OK;
    }
    if (strcmp(e->key, "output") == 0) {
        if (v[0] == '\0')
            return errf(c, LC_EINVAL, e->line, "output: expected a file name");
        if (e->cont > 0) /* "a.h5" + an indented "b.h5" is not the name "a.h5 b.h5" */
            return errf(c, LC_ESYNTAX, e->line,
                        "output: a file name on one line (an indented line continues the "
                        "key above it)");
        if (strlen(v) >= sizeof s->output)
            return errf(c, LC_ERANGE, e->line, "output: file name is too long");
        snprintf(s->output, sizeof s->output, "%s", v);
        return LC_OK;
    }
    if (strcmp(e->key, "chunk_kib") == 0 || strcmp(e->key, "threads") == 0) {
        int chunk = e->key[0] == 'c';
        double x;
        lc_status st = parse_num(c, v, e->line, e->key, &x);
        if (st != LC_OK)
            return st;
        double lo = chunk ? CHUNK_KIB_MIN : 0, hi = chunk ? CHUNK_KIB_MAX : THREADS_MAX;
        if (x != floor(x) || x < lo || x > hi)
            return errf(c, LC_ERANGE, e->line,
                        "%s = %s is out of range, expected a whole number from %g to %g",
                        e->key, v, lo, hi);
        if (chunk)
            s->chunk_bytes = (size_t)x * 1024;
        else
            s->threads = (int)x;
        return LC_OK;
    }
    if (strcmp(e->key, "compression") == 0) {
        static const char expect[] =
            "expected none, deflate:N, shuffle+deflate:N (N = 1..9), lz4, blosc or blosc-zstd";
        int level = 1;
        const char *colon = strchr(v, ':');
        size_t base = colon ? (size_t)(colon - v) : strlen(v);
        if (colon) {
            char *end;
            long l = strtol(colon + 1, &end, 10);
            /* one digit exactly: strtol would also take " 5" and "+5" */
            if (colon[1] < '1' || colon[1] > '9' || end != colon + 2 || *end != '\0' ||
                l < 1 || l > 9)
                return errf(c, LC_EINVAL, e->line, "compression '%s': %s", v, expect);
            level = (int)l;
        }
        if (base == 4 && strncmp(v, "none", 4) == 0 && !colon)
            s->codec = LC_CODEC_NONE, level = 0;
        else if (base == 7 && strncmp(v, "deflate", 7) == 0)
            s->codec = LC_CODEC_DEFLATE;
        else if (base == 15 && strncmp(v, "shuffle+deflate", 15) == 0)
            s->codec = LC_CODEC_SHUFFLE_DEFLATE;
        else if (base == 3 && strncmp(v, "lz4", 3) == 0 && !colon)
            s->codec = LC_CODEC_LZ4, level = 0;
        else if (base == 5 && strncmp(v, "blosc", 5) == 0 && !colon)
            s->codec = LC_CODEC_BLOSC, level = 0;
        else if (base == 10 && strncmp(v, "blosc-zstd", 10) == 0 && !colon)
            s->codec = LC_CODEC_BLOSC_ZSTD, level = 0;
        else {
            static const char *const codecs[] = {"none", "deflate", "shuffle+deflate",
                                                 "lz4", "blosc", "blosc-zstd", NULL};
            char word[64], sug[96];
            snprintf(word, sizeof word, "%.*s", (int)(base < 63 ? base : 63), v);
            return errf(c, LC_EINVAL, e->line, "unknown compression '%s'%s: %s", v,
                        suggest_list(word, codecs, sug, sizeof sug), expect);
        }
        s->codec_level = level;
        return LC_OK;
    }
    if (strcmp(e->key, "layout") == 0) {
        if (strcmp(v, "compact") == 0)
            s->layout = LC_LAYOUT_COMPACT;
        else if (strcmp(v, "broadcast") == 0)
            s->layout = LC_LAYOUT_BROADCAST;
        else
            return errf(c, LC_EINVAL, e->line, "layout '%s': expected compact or broadcast", v);
        return LC_OK;
    }
    if (strcmp(e->key, "dtype") == 0) {
        if (strcmp(v, "float64") == 0)
            s->float32 = 0;
        else if (strcmp(v, "float32") == 0)
            s->float32 = 1;
        else
            return errf(c, LC_EINVAL, e->line, "dtype '%s': expected float64 or float32", v);
        return LC_OK;
    }
    if (strcmp(e->key, "netcdf") == 0) {
        if (strcmp(v, "netcdf4") == 0)
            s->nc_classic = 0;
        else if (strcmp(v, "classic") == 0)
            s->nc_classic = 1;
        else
            return errf(c, LC_EINVAL, e->line,
                        "netcdf '%s': expected netcdf4 or classic (the netCDF-4 classic model)", v);
        return LC_OK;
    }
    static const char *const keys[] = {"name", "output", "chunk_kib", "compression",
                                       "threads", "layout", "dtype", "netcdf", NULL};
    char sug[96];
    return errf(c, LC_EINVAL, e->line, "unknown key '%s' in [sweep]%s", e->key,
                suggest_list(e->key, keys, sug, sizeof sug));
}

static int is_extra_section(const char *sec)
{
    return strcmp(sec, "sensitivity") == 0 || strcmp(sec, "uncertainty") == 0 ||
           strcmp(sec, "correlation") == 0 ||   /* sensitivity.h reads these */
           (strncmp(sec, "distribution.", 13) == 0 && sec[13] != '\0');
}

static lc_status apply_extra(ctx *c, const entry *e)
{
    lc_spec *s = c->s;
    char *value = strdup(e->value);
    lc_spec_kv *kv = value ? realloc(s->extra, sizeof *kv * (size_t)(s->n_extra + 1)) : NULL;
    if (!kv) {
        free(value);
        return errf(c, LC_ENOMEM, e->line, "out of memory");
    }
    s->extra = kv;
    kv = &kv[s->n_extra++];
    memset(kv, 0, sizeof *kv);
    snprintf(kv->section, sizeof kv->section, "%s", e->section);
    snprintf(kv->key, sizeof kv->key, "%s", e->key);
    kv->value = value;
    kv->line = e->line;
    return LC_OK;
}

/* Section headers are checked on the raw text (lc_ini_scan_headers): inih
 * reports only keys, so an unknown (or misspelt) empty section would
 * otherwise pass unnoticed. */
static lc_status check_section(void *user, const char *name, size_t sl, int closed,
                               int line, lc_diag *d)
{
    (void)d;
    ctx *c = user;
    if (!closed)
        return errf(c, LC_ESYNTAX, line, "expected ']' to close the section name");
    char sec[LC_NAME_MAX + 16], raw[LC_NAME_MAX + 16];
    if (sl >= sizeof raw)
        return errf(c, LC_ESYNTAX, line, "section name is too long");
    memcpy(raw, name, sl);
    raw[sl] = '\0';
    trim_copy(sec, sizeof sec, raw);
    int ok = is_extra_section(sec);
    for (int i = 0; known_sections[i] && !ok; i++)
        ok = strcmp(sec, known_sections[i]) == 0 && strchr(sec, '.') == NULL;
    if (!ok) {
        char sug[96];
        return errf(c, LC_EINVAL, line,
                    "unknown section [%s]%s: expected [sweep], [axes], [inputs], [formulas], "
                    "[outputs], [sensitivity], [distribution.NAME], [uncertainty] "
                    "or [correlation]", sec,
                    suggest_list(sec, known_sections, sug, sizeof sug));
    }
    return LC_OK;
}

static void note_price(lc_spec *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void note_price(lc_spec *s, const char *fmt, ...)
{
    size_t n = strlen(s->prices_used);
    if (n + 2 >= sizeof s->prices_used)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->prices_used + n, sizeof s->prices_used - n, fmt, ap);
    va_end(ap);
}

/* r NULL: the GPU's price is not a catalogue record (price_hour given, or
 * the GPU has none) */
static void note_gpu(lc_spec *s, const char *label, const lc_gpu *g, const lc_gpu_price *r)
{
    if (!r) {
        note_price(s, "%sgpu %s: price_hour as given (%s)\n", label, g->name,
                   g->n_prices ? "its catalogue records unused" : "it has no price record");
        return;
    }
    note_price(s, "%sgpu %s: %.10g USD/GPU-hour %s %s %s (%s)\n", label, g->name,
               r->price_hour, lc_price_kind_name(r->kind), lc_provider_class_name(r->provider),
               r->date, r->source);
}

static void note_api(lc_spec *s, const char *label, const lc_api *a, const lc_api_price *r)
{
    note_price(s, "%sapi %s: %.10g / %.10g USD per 1K tokens %s (%s)\n", label, a->name,
               r->price_in, r->price_out, r->date, r->source);
}

/* The API model's prices (fixed or axis), the price_date axis, and the
 * record list for the HDF5 attributes. */
static lc_status finish_prices(ctx *c)
{
    lc_spec *s = c->s;
    int aa = axis_index(s, "api"), da = axis_index(s, "price_date"), ga = axis_index(s, "gpu");
    static const int api_inputs[2] = {LC_IN_PRICE_IN, LC_IN_PRICE_OUT};
    if (aa >= 0 || s->fixed_api[0]) {
        const lc_api *a = aa < 0 ? lc_catalog_api(c->cat, s->fixed_api) : NULL;
        for (int k = 0; k < 2; k++) {
            int i = api_inputs[k];
            if (s->axis_of_input[i] >= 0 || c->given_line[i])
                continue;
            if (aa >= 0) {
                s->axis_of_input[i] = aa;
                s->fixed[i] = s->axes[aa].set_vals[i];
            } else
                s->fixed[i] = k == 0 ? a->price_in : a->price_out;
        }
    }
    if (c->cat && c->cat->n_gpus + c->cat->n_apis > 0 && c->cat->query_set)
        note_price(s, "query: date %s kind %s provider %s\n",
                   c->cat->query.day ? c->cat->query.date : "latest",
                   c->cat->query.kind >= 0 ? lc_price_kind_name(c->cat->query.kind) : "each reference",
                   c->cat->query.provider >= 0 ? lc_provider_class_name(c->cat->query.provider)
                                               : "each reference");
    if (da >= 0) {
        lc_axis *ax = &s->axes[da];
        if (!s->fixed_gpu[0] && !s->fixed_api[0] && ga < 0 && aa < 0)
            return errf(c, LC_EINVAL, ax->line,
                        "a price_date axis needs a gpu or api to price: [inputs] gpu = NAME, "
                        "api = NAME, or a gpu or api axis");
        /* what the date prices: the fixed gpu / api (one value per date, on
         * this axis), or each point of a gpu / api axis (a table over both
         * axes: the input depends on the dates and on the names) */
        int n_g = ga >= 0 ? (int)s->axes[ga].n : s->fixed_gpu[0] ? 1 : 0;
        int n_a = aa >= 0 ? (int)s->axes[aa].n : s->fixed_api[0] ? 1 : 0;
        int price_gpu = n_g > 0 && !c->given_line[LC_IN_PRICE_HOUR];
        int price_in = n_a > 0 && !c->given_line[LC_IN_PRICE_IN];
        int price_out = n_a > 0 && !c->given_line[LC_IN_PRICE_OUT];
        if (ga < 0 && price_gpu)
            ax->set_mask |= LC_BIT(LC_IN_PRICE_HOUR);
        if (aa < 0 && price_in)
            ax->set_mask |= LC_BIT(LC_IN_PRICE_IN);
        if (aa < 0 && price_out)
            ax->set_mask |= LC_BIT(LC_IN_PRICE_OUT);
        if (ga >= 0 && price_gpu) {
            ax->cross_axis[LC_IN_PRICE_HOUR] = ga;
            if (!(ax->cross[LC_IN_PRICE_HOUR] = calloc(ax->n * (size_t)n_g, sizeof(double))))
                return errf(c, LC_ENOMEM, ax->line, "out of memory");
        }
        for (int k = 0; k < 2 && aa >= 0; k++) {
            int i = api_inputs[k];
            if (c->given_line[i])
                continue;
            ax->cross_axis[i] = aa;
            s->axes[aa].set_mask &= ~LC_BIT(i); /* the date's table prices it */
            if (!(ax->cross[i] = calloc(ax->n * (size_t)n_a, sizeof(double))))
                return errf(c, LC_ENOMEM, ax->line, "out of memory");
        }
        for (size_t k = 0; k < ax->n; k++) {
            lc_price_query q = c->cat->query;
            lc_diag sub;
            lc_price_date_parse(ax->labels[k], &q.day, &sub);
            snprintf(q.date, sizeof q.date, "%s", ax->labels[k]);
            char why[256], label[LC_NAME_MAX + 16];
            snprintf(label, sizeof label, "price_date %s: ", ax->labels[k]);
            double *v = &ax->set_vals[k * LC_IN_COUNT];
            for (int j = 0; j < n_g; j++) {
                const lc_gpu *g = lc_catalog_gpu_entry(c->cat, ga >= 0 ? s->axes[ga].labels[j]
                                                                        : s->fixed_gpu);
                int r = g ? lc_gpu_pick(g, &q, why, sizeof why) : -1;
                if (r < 0)
                    return errf(c, LC_ENOTFOUND, ax->line, "price_date axis: %s", why);
                if (ga >= 0 && ax->cross[LC_IN_PRICE_HOUR])
                    ax->cross[LC_IN_PRICE_HOUR][k * (size_t)n_g + (size_t)j] =
                        g->prices[r].price_hour;
                else
                    v[LC_IN_PRICE_HOUR] = g->prices[r].price_hour;
                note_gpu(s, label, g, &g->prices[r]);
            }
            for (int j = 0; j < n_a; j++) {
                const lc_api *a = lc_catalog_api_entry(c->cat, aa >= 0 ? s->axes[aa].labels[j]
                                                                        : s->fixed_api);
                int r = a ? lc_api_pick(a, &q, why, sizeof why) : -1;
                if (r < 0)
                    return errf(c, LC_ENOTFOUND, ax->line, "price_date axis: %s", why);
                for (int m = 0; m < 2; m++) {
                    int i = api_inputs[m];
                    double x = m == 0 ? a->prices[r].price_in : a->prices[r].price_out;
                    if (ax->cross[i])
                        ax->cross[i][k * (size_t)n_a + (size_t)j] = x;
                    else
                        v[i] = x;
                }
                note_api(s, label, a, &a->prices[r]);
            }
        }
        for (int i = 0; i < LC_IN_COUNT; i++) {
            if (ax->set_mask & LC_BIT(i)) {
                s->axis_of_input[i] = da;
                s->fixed[i] = ax->set_vals[i];
            } else if (ax->cross[i]) {
                /* the first date at the first name, off the grid */
                s->axis_of_input[i] = da;
                s->axis2_of_input[i] = ax->cross_axis[i];
                s->fixed[i] = ax->cross[i][0];
            }
        }
        return LC_OK;
    }
    /* price_hour given (fixed, or an axis of its own) overrides every record */
    int pa = s->axis_of_input[LC_IN_PRICE_HOUR];
    int priced = !c->given_line[LC_IN_PRICE_HOUR] && (pa < 0 || pa == ga);
    if (ga >= 0)
        for (size_t k = 0; k < s->axes[ga].n; k++) {
            const lc_gpu *g = lc_catalog_gpu(c->cat, s->axes[ga].labels[k]);
            if (g)
                note_gpu(s, "", g, priced ? lc_gpu_record(g) : NULL);
        }
    else if (s->fixed_gpu[0] && lc_catalog_gpu(c->cat, s->fixed_gpu)) {
        const lc_gpu *g = lc_catalog_gpu(c->cat, s->fixed_gpu);
        note_gpu(s, "", g, priced ? lc_gpu_record(g) : NULL);
    }
    if (aa >= 0)
        for (size_t k = 0; k < s->axes[aa].n; k++) {
            const lc_api *a = lc_catalog_api(c->cat, s->axes[aa].labels[k]);
            if (a)
                note_api(s, "", a, lc_api_record(a));
        }
    else if (s->fixed_api[0] && lc_catalog_api(c->cat, s->fixed_api))
        note_api(s, "", lc_catalog_api(c->cat, s->fixed_api),
                 lc_api_record(lc_catalog_api(c->cat, s->fixed_api)));
    return LC_OK;
}

/* The architecture preset (arch axis or [inputs] arch): it sets the inputs
 * it gives unless they are given explicitly (in [inputs] or as an axis). */
static lc_status finish_arch(ctx *c)
{
    lc_spec *s = c->s;
    int ra = axis_index(s, "arch");
    if (ra >= 0) {
        lc_axis *ax = &s->axes[ra];
        for (int i = 0; i < LC_IN_COUNT; i++) {
            if (!(ax->set_mask & LC_BIT(i)))
                continue;
            if (s->axis_of_input[i] >= 0 || c->given_line[i]) {
                ax->set_mask &= ~LC_BIT(i); /* explicit wins */
                continue;
            }
            s->axis_of_input[i] = ra;
            s->fixed[i] = ax->set_vals[i];
        }
    } else if (s->fixed_arch[0]) {
        const lc_arch *r = lc_catalog_arch(c->cat, s->fixed_arch);
        double v[LC_IN_COUNT];
        lc_inmask mask = 0;
        lc_status st;
        memcpy(v, s->fixed, sizeof v);
        if ((st = arch_values(c, r, v, &mask, c->fixed_arch_line)) != LC_OK)
            return st;
        for (int i = 0; i < LC_IN_COUNT; i++)
            if ((mask & LC_BIT(i)) && s->axis_of_input[i] < 0 && !c->given_line[i])
                s->fixed[i] = v[i];
    }
    return LC_OK;
}

/* Everything that needs all sections: conflicts, the GPU's numbers, the
 * util_infer and Chinchilla rules, default outputs and the point count. */
static lc_status finish(ctx *c)
{
    lc_spec *s = c->s;
    lc_status st;

    /* each axis sets its input; an input both on an axis and fixed is refused */
    for (int a = 0; a < s->n_axes; a++) {
        lc_axis *ax = &s->axes[a];
        int i = ax->input;
        if (i < 0 && ax->set_vals) {
            int fl = strcmp(ax->name, "api") == 0    ? c->fixed_api_line
                     : strcmp(ax->name, "arch") == 0 ? c->fixed_arch_line
                                                     : c->price_date_line;
            if (fl) {
                int l = fl > ax->line ? fl : ax->line;
                return errf(c, LC_EINVAL, l,
                            "input '%s' is given both as an axis (line %d) and as a "
                            "fixed value (line %d)", ax->name, ax->line, fl);
            }
            continue;
        }
        if (i < 0) {
            if (c->fixed_gpu_line) {
                int l = c->fixed_gpu_line > ax->line ? c->fixed_gpu_line : ax->line;
                return errf(c, LC_EINVAL, l,
                            "input 'gpu' is given both as an axis (line %d) and as a "
                            "fixed value (line %d)", ax->line, c->fixed_gpu_line);
            }
            continue;
        }
        if (c->given_line[i]) {
            int l = c->given_line[i] > ax->line ? c->given_line[i] : ax->line;
            return errf(c, LC_EINVAL, l,
                        "input '%s' is given both as an axis (line %d) and as a fixed "
                        "value (line %d)", ax->name, ax->line, c->given_line[i]);
        }
        s->axis_of_input[i] = a;
        s->fixed[i] = ax->values[0];
    }
    if ((st = finish_arch(c)) != LC_OK)
        return st;
    if (s->tokens_chinchilla) {
        int other = c->given_line[LC_IN_TOKENS];
        int ta = axis_index(s, "tokens");
        if (ta >= 0)
            other = s->axes[ta].line;
        if (other) {
            int l = other > c->chinchilla_line ? other : c->chinchilla_line;
            return errf(c, LC_EINVAL, l,
                        "tokens = chinchilla (line %d) and an explicit tokens (line %d) "
                        "cannot both be given", c->chinchilla_line, other);
        }
        /* every params point must give valid tokens (20 * params is finite) */
        int pa = s->axis_of_input[LC_IN_PARAMS];
        if (pa >= 0 && s->axes[pa].set_vals) {
            /* params from an arch axis: tokens follow each point's params */
            lc_axis *ax = &s->axes[pa];
            for (size_t k = 0; k < ax->n; k++) {
                double *v = &ax->set_vals[k * LC_IN_COUNT];
                v[LC_IN_TOKENS] = lc_chinchilla_tokens(v[LC_IN_PARAMS]);
                if ((st = check_input(c, LC_IN_TOKENS, v[LC_IN_TOKENS], c->chinchilla_line)) !=
                    LC_OK)
                    return st;
            }
        } else if (pa >= 0) {
            for (size_t k = 0; k < s->axes[pa].n; k++)
                if ((st = check_input(c, LC_IN_TOKENS,
                                      lc_chinchilla_tokens(s->axes[pa].values[k]),
                                      c->chinchilla_line)) != LC_OK)
                    return st;
        } else if ((st = check_input(c, LC_IN_TOKENS,
                                     lc_chinchilla_tokens(s->fixed[LC_IN_PARAMS]),
                                     c->chinchilla_line)) != LC_OK)
            return st;
        s->fixed[LC_IN_TOKENS] = lc_chinchilla_tokens(s->fixed[LC_IN_PARAMS]);
    }

    /* a catalogue GPU's numbers, unless the input was given explicitly */
    int ga = axis_index(s, "gpu");
    if (ga >= 0 || s->fixed_gpu[0]) {
        const lc_gpu *g = ga < 0 ? lc_catalog_gpu(c->cat, s->fixed_gpu) : NULL;
        char why[320];
        for (int k = 0; k < LC_GPU_INPUTS; k++) {
            int i = lc_gpu_inputs[k];
            /* a GPU that does not state an input (NaN): the input's own
             * value (given, or the default) at its point */
            int given = s->axis_of_input[i] >= 0 || c->given_line[i];
            for (size_t p = 0; ga >= 0 && p < s->axes[ga].n; p++)
                if (isnan(s->axes[ga].gpu[p].v[k])) {
                    if (lc_gpu_input_needed(k) && !given)
                        return errf(c, LC_EINVAL, s->axes[ga].line, "%s",
                                    lc_gpu_missing_text(k, s->axes[ga].labels[p], why,
                                                        sizeof why));
                    s->axes[ga].gpu[p].v[k] = s->fixed[i];
                }
            if (s->axis_of_input[i] >= 0 || c->given_line[i])
                continue;
            if (ga < 0 && isnan(lc_gpu_input(g, k))) {
                if (lc_gpu_input_needed(k))
                    return errf(c, LC_EINVAL, c->fixed_gpu_line, "%s",
                                lc_gpu_missing_text(k, g->name, why, sizeof why));
                continue;
            }
            s->fixed[i] = ga >= 0 ? s->axes[ga].gpu[0].v[k] : lc_gpu_input(g, k);
            if (ga >= 0)
                s->axis_of_input[i] = ga;
        }
        /* catalogue values were checked when it was loaded; check again
         * against the model's ranges, which may be stricter */
        if (ga >= 0) {
            for (size_t p = 0; p < s->axes[ga].n; p++) {
                const lc_gpu_values *gv = &s->axes[ga].gpu[p];
                for (int k = 0; k < LC_GPU_INPUTS; k++)
                    if ((st = check_input(c, lc_gpu_inputs[k], gv->v[k], s->axes[ga].line)) !=
                        LC_OK)
                        return st;
            }
        } else {
            for (int k = 0; k < LC_GPU_INPUTS; k++)
                if ((st = check_input(c, lc_gpu_inputs[k], s->fixed[lc_gpu_inputs[k]],
                                      c->fixed_gpu_line)) != LC_OK)
                    return st;
        }
    }

    if ((st = finish_prices(c)) != LC_OK)
        return st;

    /* util_infer, when not given, follows util: its value, and its axis */
    if (s->axis_of_input[LC_IN_UTIL_INFER] < 0 && !c->given_line[LC_IN_UTIL_INFER]) {
        s->util_infer_follows_util = 1;
        s->fixed[LC_IN_UTIL_INFER] = s->fixed[LC_IN_UTIL];
        s->axis_of_input[LC_IN_UTIL_INFER] = s->axis_of_input[LC_IN_UTIL];
    } else {
        s->util_infer_follows_util = 0;
    }

    /* outputs: a default set when nothing at all was asked for */
    if (!c->store_given && !c->reduce_given && !c->count_given) {
        s->store[0] = LC_OUT_PRETRAIN_COST;
        s->store[1] = LC_OUT_INFER_COST_1K;
        s->store[2] = LC_OUT_MONTHLY_COST;
        s->n_store = 3;
    } else if (s->n_store == 0 && s->n_reduce == 0 && s->n_conds == 0 && s->n_questions == 0) {
        return errf(c, LC_EINVAL, c->outputs_line,
                    "nothing to compute: [outputs] store, reduce and count are all empty");
    }

    uint64_t points;
    lc_diag sub;
    if (lc_spec_points(s, &points, &sub) != LC_OK) {
        /* name the axis whose length made the product overflow */
        uint64_t p = 1;
        for (int a = 0; a < s->n_axes; a++) {
            if (p > UINT64_MAX / s->axes[a].n)
                return errf(c, LC_ERANGE, s->axes[a].line,
                            "the grid has more than 2^64 points at axis '%s'",
                            s->axes[a].name);
            p *= s->axes[a].n;
        }
        return errf(c, LC_ERANGE, 0, "%s", sub.msg);
    }
    return LC_OK;
}

/* ---- public ---------------------------------------------------------------- */

void lc_spec_init(lc_spec *s)
{
    memset(s, 0, sizeof *s);
    lc_inputs_default(s->fixed);
    for (int i = 0; i < LC_IN_COUNT; i++)
        s->axis_of_input[i] = s->axis2_of_input[i] = -1;
    s->util_infer_follows_util = 1;
    s->chunk_bytes = (size_t)1 << 20;
    s->codec = LC_CODEC_NONE;
    s->layout = LC_LAYOUT_COMPACT;
}

void lc_spec_free(lc_spec *s)
{
    if (!s)
        return;
    for (int a = 0; a < s->n_axes && a < LC_MAX_AXES; a++) {
        free(s->axes[a].values);
        free(s->axes[a].labels);
        free(s->axes[a].gpu);
        free(s->axes[a].set_vals);
        for (int i = 0; i < LC_IN_COUNT; i++)
            free(s->axes[a].cross[i]);
    }
    free(s->text);
    for (int i = 0; s->extra && i < s->n_extra; i++)
        free(s->extra[i].value);
    free(s->extra);
    lc_query_free(s);
    lc_formulas_free(&s->formulas);
    lc_spec_init(s);
}

lc_status lc_spec_points(const lc_spec *s, uint64_t *points, lc_diag *d)
{
    uint64_t p = 1;
    for (int a = 0; a < s->n_axes; a++) {
        uint64_t n = s->axes[a].n;
        if (n == 0)
            return lc_diag_set(d, LC_EINVAL, s->path, s->axes[a].line,
                               "axis '%s' has no points", s->axes[a].name);
        if (p > UINT64_MAX / n)
            return lc_diag_set(d, LC_ERANGE, s->path, s->axes[a].line,
                               "the grid has more than 2^64 points (at axis '%s')",
                               s->axes[a].name);
        p *= n;
    }
    *points = p;
    return LC_OK;
}

uint32_t lc_spec_output_axes(const lc_spec *s, int output)
{
    if (output < 0 || output >= LC_OUT_COUNT + s->formulas.n)
        return 0;
    /* a rule's target is read through its source's axis (util_infer's axis
     * is util's; Chinchilla tokens have none) */
    unsigned rules = lc_spec_rules(s);
    double lo[LC_IN_COUNT], hi[LC_IN_COUNT];
    lc_spec_input_ranges(s, lo, hi);
    lc_inmask dep = lc_rules_sources(rules, lc_formulas_output_depends_in(&s->formulas, output, lo, hi));
    uint32_t mask = 0;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        if (!(dep & LC_BIT(i)) || (lc_rules_targets(rules) & LC_BIT(i)))
            continue;
        int a = s->axis_of_input[i], b = s->axis2_of_input[i];
        if (a >= 0 && a < s->n_axes)
            mask |= (uint32_t)1 << a;
        if (b >= 0 && b < s->n_axes)
            mask |= (uint32_t)1 << b;
    }
    return mask;
}

void lc_spec_input_ranges(const lc_spec *s, double lo[LC_IN_COUNT], double hi[LC_IN_COUNT])
{
    unsigned rules = lc_spec_rules(s);
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = s->axis_of_input[i];
        lo[i] = hi[i] = s->fixed[i];
        if (a < 0 || a >= s->n_axes)
            continue;
        const lc_axis *ax = &s->axes[a];
        lo[i] = -HUGE_VAL;
        hi[i] = HUGE_VAL;
        if (ax->input < 0 || ax->labels != NULL || ax->set_vals != NULL || ax->n == 0)
            continue; /* gpu, api, price_date: values per point, no range kept */
        lo[i] = hi[i] = ax->values[0];
        for (size_t k = 1; k < ax->n; k++) {
            lo[i] = ax->values[k] < lo[i] ? ax->values[k] : lo[i];
            hi[i] = ax->values[k] > hi[i] ? ax->values[k] : hi[i];
        }
    }
    /* rule targets (monotone rules) after their sources */
    for (int r = 0; r < LC_RULE_COUNT; r++)
        if (rules & LC_RULE(r)) {
            int t = lc_rules[r].target, src = lc_rules[r].source;
            lo[t] = lc_rule_value((lc_rule)r, lo[src]);
            hi[t] = lc_rule_value((lc_rule)r, hi[src]);
        }
}

unsigned lc_spec_rules(const lc_spec *s)
{
    return (s->tokens_chinchilla ? LC_RULE(LC_RULE_CHINCHILLA) : 0) |
           (s->util_infer_follows_util ? LC_RULE(LC_RULE_UTIL_INFER) : 0);
}

/* Defaults from the spec's file name: "sweeps/x.ini" -> name "x" and output
 * "x.h5" in the working directory. */
static void default_names(lc_spec *s, const char *name)
{
    const char *base = name ? strrchr(name, '/') : NULL;
    base = base ? base + 1 : name;
    if (!base || !*base)
        base = "sweep";
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    /* the whole base name (at most NAME_MAX = 255 bytes): a cut name would
     * be another file */
    if (!s->output[0] && n + 4 <= sizeof s->output)
        snprintf(s->output, sizeof s->output, "%.*s.h5", (int)n, base);
    if (!s->name[0])
        snprintf(s->name, sizeof s->name, "%.*s", (int)(n < 127 ? n : 127), base);
}

/* [inputs] price_date / price_kind / price_provider, read before the axes
 * (a gpu or api axis is priced at that date): the command line's --price-*
 * options (the catalogue's query) win over the spec's. */
static lc_status prescan_prices(ctx *c, const collector *col)
{
    lc_price_query q;
    lc_price_query_init(&q);
    if (c->cat)
        q = c->cat->query;
    int changed = 0;
    for (int i = 0; i < col->n; i++) {
        const entry *e = &col->e[i];
        if (strcmp(e->section, "inputs") != 0)
            continue;
        if (strcmp(e->key, "price_date") == 0) {
            lc_diag sub;
            long day;
            if (lc_price_date_parse(e->value, &day, &sub) != LC_OK)
                return errf(c, LC_ESYNTAX, e->line, "price_date: %s", sub.msg);
            c->price_date_line = e->line;
            if (q.day == 0) {
                q.day = day;
                snprintf(q.date, sizeof q.date, "%s", e->value);
                changed = 1;
            }
        } else if (strcmp(e->key, "price_kind") == 0) {
            int k = lc_price_kind_find(e->value);
            if (k < 0)
                return errf(c, LC_EINVAL, e->line, "price_kind '%s': expected on-demand, "
                            "reserved-1y, reserved-3y or spot", e->value);
            if (q.kind < 0) {
                q.kind = k;
                changed = 1;
            }
        } else if (strcmp(e->key, "price_provider") == 0) {
            int k = lc_provider_class_find(e->value);
            if (k < 0)
                return errf(c, LC_EINVAL, e->line, "price_provider '%s': expected hyperscaler "
                            "or gpu-cloud", e->value);
            if (q.provider < 0) {
                q.provider = k;
                changed = 1;
            }
        }
    }
    c->s->price_query = q;
    if (changed && c->cat) {
        if (lc_catalog_copy(&c->selcat, c->cat) != LC_OK)
            return errf(c, LC_ENOMEM, 0, "out of memory");
        lc_catalog_select(&c->selcat, &q);
        c->cat = &c->selcat;
    }
    return LC_OK;
}

lc_status lc_spec_parse_text(lc_spec *s, const char *text, size_t len,
                             const char *name, const lc_catalog *cat, lc_diag *d)
{
    lc_spec_init(s);
    const char *file = name ? name : "";
    collector col = {text, len, file, 0, 1, NULL, 0, 0};
    ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.file = file;
    c.cat = cat;
    c.d = d;

    lc_status st = lc_ini_parse_text(text, len, file, on_key, &col, d);
    if (st == LC_OK)
        st = lc_ini_scan_headers(text, len, check_section, &c, d);
    if (st == LC_OK)
        st = prescan_prices(&c, &col);
    for (int i = 0; i < col.n && st == LC_OK; i++)
        if (col.e[i].section[0] == '\0')
            st = errf(&c, LC_ESYNTAX, col.e[i].line,
                      "key '%s' is outside a section: expected a section such as "
                      "[axes] before it", col.e[i].key);
    /* sections in a fixed order; within one, keys in file order */
    static const char *const order[] = {"sweep", "axes", "inputs", "formulas", "outputs"};
    snprintf(s->formulas.file, sizeof s->formulas.file, "%s", file);
    for (int o = 0; o < 5 && st == LC_OK; o++) {
        for (int i = 0; i < col.n && st == LC_OK; i++) {
            const entry *e = &col.e[i];
            if (strcmp(e->section, order[o]) != 0)
                continue;
            st = o == 0   ? apply_sweep(&c, e)
                 : o == 1 ? apply_axis(&c, e)
                 : o == 2 ? apply_input(&c, e)
                 : o == 3 ? lc_formulas_add(&s->formulas, e->key, e->value, e->line,
                                            e->cont ? 1 : e->vcol, d)
                          : apply_outputs(&c, e);
        }
        if (o == 3 && st == LC_OK) /* formulas are outputs from here on */
            st = lc_formulas_bind(&s->formulas, d);
    }
    for (int i = 0; i < col.n && st == LC_OK; i++)
        if (is_extra_section(col.e[i].section))
            st = apply_extra(&c, &col.e[i]);
    if (st == LC_OK)
        st = finish(&c);
    if (st == LC_OK)
        default_names(s, name);
    if (st == LC_OK) {
        s->text = malloc(len + 1);
        if (!s->text)
            st = lc_diag_set(d, LC_ENOMEM, file, 0, "out of memory");
        else {
            memcpy(s->text, text, len);
            s->text[len] = '\0';
            s->text_len = len;
        }
    }
    collector_free(&col);
    if (c.cat == &c.selcat)
        lc_catalog_free(&c.selcat);
    if (st != LC_OK)
        lc_spec_free(s);
    return st;
}

lc_status lc_spec_parse_file(lc_spec *s, const char *path, const lc_catalog *cat,
                             lc_diag *d)
{
    char *text;
    size_t len;
    lc_spec_init(s);
    if (strlen(path) >= sizeof s->path) /* it is stored and named in messages */
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "spec path '%.40s...' is longer than %d characters", path,
                           (int)sizeof s->path - 1);
    lc_status st = lc_read_file(path, &text, &len, d);
    if (st != LC_OK)
        return st;
    st = lc_spec_parse_text(s, text, len, path, cat, d);
    free(text);
    if (st == LC_OK)
        snprintf(s->path, sizeof s->path, "%s", path);
    return st;
}
