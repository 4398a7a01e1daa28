/*
 * catalog.c - load and query the GPU / API catalogues (see catalog.h).
 * Sections are "[gpu NAME]" and "[api NAME]"; every field is required.
 */
#include "llmcost/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llmcost/ini.h"
#include "llmcost/number.h"

enum { KIND_NONE, KIND_GPU, KIND_API };

/* A "[...]" header line: inih does not tell the handler where a section
 * starts, so the loader finds the headers itself (to report a missing field
 * at its section's line, to tell two sections of the same name apart, and to
 * catch a section without any key, which inih never reports). */
typedef struct {
    int line;
    char name[256];
} header;

typedef struct {
    lc_catalog *c;
    const char *name;
    char section[256];
    int kind;
    unsigned seen;     /* bit per field */
    int section_line;
    header *headers;
    int n_headers;
} loader;

/* Record every header line as inih will read it (lc_ini_scan_headers). */
static lc_status add_header(void *user, const char *name, size_t k, int closed,
                            int line, lc_diag *d)
{
    (void)d;
    loader *L = user;
    if (!closed)
        return LC_OK; /* inih reports the syntax error itself */
    header *h = realloc(L->headers, sizeof *h * (size_t)(L->n_headers + 1));
    if (!h)
        return LC_ENOMEM;
    L->headers = h;
    h += L->n_headers++;
    if (k >= sizeof h->name)
        k = sizeof h->name - 1;
    memcpy(h->name, name, k);
    h->name[k] = '\0';
    h->line = line;
    return LC_OK;
}

/* Line of the header that opens the section holding `line`, 0 if none. */
static int header_line(const loader *L, int line)
{
    int best = 0;
    for (int i = 0; i < L->n_headers && L->headers[i].line < line; i++)
        best = L->headers[i].line;
    return best;
}

static const char *gpu_fields[] = {"flops", "hbm_bw", "power_w", "price_hour",
                                   "price_source", "price_date"};
static const char *api_fields[] = {"price_in", "price_out", "source", "date"};
#define NGF 6
#define NAF 4

static lc_status finish_section(loader *L, lc_diag *d)
{
    if (L->kind == KIND_NONE)
        return LC_OK;
    const char **f = L->kind == KIND_GPU ? gpu_fields : api_fields;
    int n = L->kind == KIND_GPU ? NGF : NAF;
    for (int i = 0; i < n; i++)
        if (!(L->seen & (1u << i)))
            return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                               "[%s]: missing field '%s'", L->section, f[i]);
    return LC_OK;
}

static lc_status set_text(char *dst, size_t n, const char *v, loader *L, int line, lc_diag *d)
{
    if (strlen(v) >= n)
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "value longer than %zu characters", n - 1);
    strcpy(dst, v);
    return LC_OK;
}

static lc_status set_num(double *dst, const char *v, double min, int open,
                         const char *key, loader *L, int line, lc_diag *d)
{
    lc_diag nd;
    if (lc_parse_number(v, dst, &nd) != LC_OK)
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "%s: %s", key, nd.msg);
    if (open ? !(*dst > min) : !(*dst >= min))
        return lc_diag_set(d, LC_ERANGE, L->name, line, "%s: %g must be %s %g", key,
                           *dst, open ? ">" : ">=", min);
    return LC_OK;
}

static lc_status on_key(void *user, const char *section, const char *key,
                        const char *value, int line, lc_diag *d)
{
    loader *L = user;
    lc_catalog *c = L->c;
    int hline = header_line(L, line);
    if (strcmp(section, L->section) != 0 || hline != L->section_line) {
        /* a new section begins (a repeated header of the same name counts
         * as a new section, so it is reported as a duplicate entry) */
        lc_status st = finish_section(L, d);
        if (st != LC_OK)
            return st;
        snprintf(L->section, sizeof L->section, "%s", section);
        L->seen = 0;
        L->section_line = hline ? hline : line;
        /* blanks inside the brackets are trimmed, the same way for every
         * entry: "[ gpu  X ]" is X, which --gpu X can select (issue 10) */
        char trimmed[sizeof L->section];
        const char *sp = section;
        while (*sp == ' ' || *sp == '\t')
            sp++;
        snprintf(trimmed, sizeof trimmed, "%s", sp);
        for (size_t tl = strlen(trimmed); tl && (trimmed[tl - 1] == ' ' || trimmed[tl - 1] == '\t');)
            trimmed[--tl] = '\0';
        const char *name;
        if (strncmp(trimmed, "gpu", 3) == 0 && (trimmed[3] == ' ' || trimmed[3] == '\t')) {
            L->kind = KIND_GPU;
            name = trimmed + 4;
        } else if (strncmp(trimmed, "api", 3) == 0 && (trimmed[3] == ' ' || trimmed[3] == '\t')) {
            L->kind = KIND_API;
            name = trimmed + 4;
        } else {
            return lc_diag_set(d, LC_ESYNTAX, L->name, line,
                               "key '%s' outside a '[gpu NAME]' or '[api NAME]' section", key);
        }
        while (*name == ' ' || *name == '\t')
            name++;
        if (!*name || strlen(name) >= sizeof c->gpus[0].name)
            return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: bad entry name", section);
        if ((L->kind == KIND_GPU && lc_catalog_gpu(c, name)) ||
            (L->kind == KIND_API && lc_catalog_api(c, name)))
            return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                               "[%s]: duplicate entry", section);
        if (L->kind == KIND_GPU) {
            lc_gpu *g = realloc(c->gpus, sizeof *g * (size_t)(c->n_gpus + 1));
            if (!g)
                return lc_diag_set(d, LC_ENOMEM, L->name, line, "out of memory");
            c->gpus = g;
            memset(&g[c->n_gpus], 0, sizeof *g);
            strcpy(g[c->n_gpus].name, name);
            g[c->n_gpus].line = L->section_line;
            c->n_gpus++;
        } else {
            lc_api *a = realloc(c->apis, sizeof *a * (size_t)(c->n_apis + 1));
            if (!a)
                return lc_diag_set(d, LC_ENOMEM, L->name, line, "out of memory");
            c->apis = a;
            memset(&a[c->n_apis], 0, sizeof *a);
            strcpy(a[c->n_apis].name, name);
            a[c->n_apis].line = L->section_line;
            c->n_apis++;
        }
    }
    if (L->kind == KIND_NONE) /* a key before any section: no entry to fill */
        return lc_diag_set(d, LC_ESYNTAX, L->name, line,
                           "key '%s' outside a '[gpu NAME]' or '[api NAME]' section", key);
    const char **f = L->kind == KIND_GPU ? gpu_fields : api_fields;
    int n = L->kind == KIND_GPU ? NGF : NAF, k = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(key, f[i]) == 0)
            k = i;
    if (k < 0)
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: unknown field '%s'", section, key);
    if (L->seen & (1u << k))
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: field '%s' given twice", section, key);
    L->seen |= 1u << k;
    if (L->kind == KIND_GPU) {
        lc_gpu *g = &c->gpus[c->n_gpus - 1];
        switch (k) {
        case 0: return set_num(&g->flops, value, 0, 1, key, L, line, d);
        case 1: return set_num(&g->hbm_bw, value, 0, 1, key, L, line, d);
        case 2: return set_num(&g->power_w, value, 0, 0, key, L, line, d);
        case 3: return set_num(&g->price_hour, value, 0, 0, key, L, line, d);
        case 4: return set_text(g->price_source, sizeof g->price_source, value, L, line, d);
        default: return set_text(g->price_date, sizeof g->price_date, value, L, line, d);
        }
    }
    lc_api *a = &c->apis[c->n_apis - 1];
    switch (k) {
    case 0: return set_num(&a->price_in, value, 0, 0, key, L, line, d);
    case 1: return set_num(&a->price_out, value, 0, 0, key, L, line, d);
    case 2: return set_text(a->source, sizeof a->source, value, L, line, d);
    default: return set_text(a->date, sizeof a->date, value, L, line, d);
    }
}

/* A header that no key followed never reached the handler: report it. */
static lc_status check_empty_sections(const loader *L, lc_diag *d)
{
    for (int i = 0; i < L->n_headers; i++) {
        const header *h = &L->headers[i];
        int used = 0;
        for (int g = 0; g < L->c->n_gpus && !used; g++)
            used = L->c->gpus[g].line == h->line;
        for (int a = 0; a < L->c->n_apis && !used; a++)
            used = L->c->apis[a].line == h->line;
        if (used)
            continue;
        if (strncmp(h->name, "gpu ", 4) == 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, h->line, "[%s]: missing field '%s'",
                               h->name, gpu_fields[0]);
        if (strncmp(h->name, "api ", 4) == 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, h->line, "[%s]: missing field '%s'",
                               h->name, api_fields[0]);
        return lc_diag_set(d, LC_ESYNTAX, L->name, h->line,
                           "[%s]: expected '[gpu NAME]' or '[api NAME]'", h->name);
    }
    return LC_OK;
}

lc_status lc_catalog_load(lc_catalog *c, const char *path, lc_diag *d)
{
    memset(c, 0, sizeof *c);
    loader L = {.c = c, .name = path ? path : "built-in catalogue"};
    snprintf(c->origin, sizeof c->origin, "%s", path ? path : "built-in");
    char *owned = NULL;
    const char *text = lc_catalog_builtin_text;
    size_t len = strlen(lc_catalog_builtin_text);
    lc_status st = LC_OK;
    if (path) {
        st = lc_read_file(path, &owned, &len, d);
        text = owned;
    }
    if (st == LC_OK) {
        st = lc_ini_scan_headers(text, len, add_header, &L, NULL);
        if (st == LC_ENOMEM)
            lc_diag_set(d, st, L.name, 0, "out of memory");
    }
    if (st == LC_OK)
        st = lc_ini_parse_text(text, len, L.name, on_key, &L, d);
    if (st == LC_OK)
        st = finish_section(&L, d);
    if (st == LC_OK)
        st = check_empty_sections(&L, d);
    if (st == LC_OK && c->n_gpus + c->n_apis == 0)
        st = lc_diag_set(d, LC_ESYNTAX, L.name, 0, "no [gpu NAME] or [api NAME] entries");
    if (st != LC_OK)
        lc_catalog_free(c);
    free(L.headers);
    free(owned);
    return st;
}

void lc_catalog_free(lc_catalog *c)
{
    free(c->gpus);
    free(c->apis);
    c->gpus = NULL;
    c->apis = NULL;
    c->n_gpus = c->n_apis = 0;
}

const lc_gpu *lc_catalog_gpu(const lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_gpus; i++)
        if (strcasecmp(c->gpus[i].name, name) == 0)
            return &c->gpus[i];
    return NULL;
}

const lc_api *lc_catalog_api(const lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_apis; i++)
        if (strcasecmp(c->apis[i].name, name) == 0)
            return &c->apis[i];
    return NULL;
}
