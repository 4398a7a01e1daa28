/*
 * catalog.c - load and query the GPU / API catalogues (see catalog.h and
 * doc/prices.md).
 *
 * Sections: "[gpu NAME]" and "[api NAME]" define an entry (hardware or model
 * facts plus, optionally, its reference price record); "[price gpu NAME]"
 * and "[price api NAME]" add one dated price record each to an entry defined
 * above; "[arch NAME]" defines a model architecture preset (the shape of a
 * published model, with its source and date).  Every record carries a source and a date; within one price series
 * (a GPU's kind and provider class; an API model's records) the records of
 * the price sections are in increasing date order and no two share a date.
 *
 * Invariants after a successful load: every API model has at least one
 * record; a GPU has records, or none at all (no public price: ref = sel =
 * -1, price_hour NaN, usable only with price_hour given); ref and sel
 * index into the records, and the selected fields equal the selected
 * record.
 */
#include "catalog/catalog.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "util/ini.h"
#include "util/number.h"

/* ---- the model inputs a GPU sets ------------------------------------------ */

const int lc_gpu_inputs[LC_GPU_INPUTS] = {LC_IN_FLOPS, LC_IN_HBM_BW, LC_IN_POWER_W,
                                          LC_IN_PRICE_HOUR, LC_IN_GPU_MEM};

double lc_gpu_input(const lc_gpu *g, int k)
{
    switch (lc_gpu_inputs[k]) {
    case LC_IN_FLOPS: return g->flops;
    case LC_IN_HBM_BW: return g->hbm_bw;
    case LC_IN_POWER_W: return g->power_w > 0 ? g->power_w : NAN; /* 0: not stated */
    case LC_IN_PRICE_HOUR: return g->price_hour;
    case LC_IN_GPU_MEM: return g->gpu_mem > 0 ? g->gpu_mem : NAN; /* 0: not stated */
    default: return NAN;
    }
}

int lc_gpu_input_needed(int k)
{
    return k == LC_GPU_POWER_K || k == LC_GPU_PRICE_K;
}

const char *lc_gpu_missing_text_how(int k, const char *gpu, const char *how, char *buf,
                                    size_t n)
{
    if (k == LC_GPU_PRICE_K)
        snprintf(buf, n, "GPU '%s' has no price record: give price_hour (%s), a cost is never "
                 "priced at a default rate", gpu,
                 how ? how : "--price-hour USD, or price_hour in [inputs]");
    else
        snprintf(buf, n, "GPU '%s' does not state its board power: give power_w (%s), energy "
                 "is never priced at a default power", gpu,
                 how ? how : "--power-w W, or power_w in [inputs]");
    return buf;
}

const char *lc_gpu_missing_text(int k, const char *gpu, char *buf, size_t n)
{
    return lc_gpu_missing_text_how(k, gpu, NULL, buf, n);
}

int lc_gpu_missing(const lc_gpu *g, const int *given)
{
    for (int k = 0; k < LC_GPU_INPUTS; k++)
        if (lc_gpu_input_needed(k) && isnan(lc_gpu_input(g, k)) &&
            !(given && given[lc_gpu_inputs[k]]))
            return k;
    return -1;
}

lc_gpu_values lc_gpu_values_of(const lc_gpu *g)
{
    lc_gpu_values v;
    for (int k = 0; k < LC_GPU_INPUTS; k++)
        v.v[k] = lc_gpu_input(g, k);
    return v;
}

/* ---- names and dates ------------------------------------------------------ */

static const char *const kind_names[LC_KIND_COUNT] = {"on-demand", "reserved-1y",
                                                      "reserved-3y", "spot"};
static const char *const prov_names[LC_PROV_COUNT] = {"hyperscaler", "gpu-cloud"};

const char *lc_price_kind_name(int k)
{
    return k >= 0 && k < LC_KIND_COUNT ? kind_names[k] : "?";
}

const char *lc_provider_class_name(int p)
{
    return p >= 0 && p < LC_PROV_COUNT ? prov_names[p] : "?";
}

int lc_price_kind_find(const char *name)
{
    for (int k = 0; k < LC_KIND_COUNT; k++)
        if (strcasecmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

int lc_provider_class_find(const char *name)
{
    for (int k = 0; k < LC_PROV_COUNT; k++)
        if (strcasecmp(name, prov_names[k]) == 0)
            return k;
    return -1;
}

lc_status lc_price_date_parse(const char *t, long *day, lc_diag *d)
{
    if (strcmp(t, "latest") == 0) {
        *day = LC_PRICE_LATEST;
        return LC_OK;
    }
    int y = 0, m = 0, dd = 1, n = 0;
    size_t len = strlen(t);
    int ok = 0;
    if (len == 4)
        ok = sscanf(t, "%4d%n", &y, &n) == 1 && n == 4 && (m = 1);
    else if (len == 7)
        ok = sscanf(t, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7;
    else if (len == 10)
        ok = sscanf(t, "%4d-%2d-%2d%n", &y, &m, &dd, &n) == 3 && n == 10;
    for (size_t i = 0; ok && i < len; i++)
        ok = (i == 4 || i == 7) ? t[i] == '-' : (t[i] >= '0' && t[i] <= '9');
    if (!ok || y < 1900 || y > 2999 || m < 1 || m > 12 || dd < 1 || dd > 31)
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0,
                           "date '%s': expected YYYY-MM-DD, YYYY-MM or YYYY", t);
    *day = (long)y * 10000 + m * 100 + dd;
    return LC_OK;
}

/* ---- the loader ----------------------------------------------------------- */

enum { SEC_NONE, SEC_GPU, SEC_API, SEC_PGPU, SEC_PAPI, SEC_ARCH };

static const char *const gpu_fields[] = {
    "flops", "hbm_bw", "power_w", "gpu_mem", "flops_fp8", "spec_source", "spec_date",
    "price_hour", "price_source", "price_date", "price_kind", "price_provider", NULL};
enum { G_FLOPS, G_HBM, G_POWER, G_MEM, G_FP8, G_SSRC, G_SDATE, G_PRICE, G_PSRC, G_PDATE,
       G_PKIND, G_PPROV };
static const char *const api_fields[] = {
    "price_in", "price_out", "source", "date", "provider", "context_window", "cached_in",
    "cache_write", "batch_discount", "long_threshold", "long_in", "long_out",
    "long_cached_in", "long_cache_write", NULL};
enum { A_IN, A_OUT, A_SRC, A_DATE, A_PROV, A_CTX, A_CACHED, A_CWRITE, A_BATCH, A_LTHR,
       A_LIN, A_LOUT, A_LCACHED, A_LCWRITE };
static const char *const pgpu_fields[] = {"price_hour", "source", "date", "kind", "provider",
                                          NULL};
enum { P_PRICE, P_SRC, P_DATE, P_KIND, P_PROV };
/* [arch NAME]: the LC_ARCH_FIELDS numeric fields first, in the order of
 * lc_arch_field_names (each sets the model input of its name) */
static const char *const arch_fields[] = {
    "params", "params_active", "layers", "d_model", "heads", "kv_heads", "head_dim", "kv_dim",
    "context", "train_seq_len", "rumoured", "source", "date", NULL};
enum { R_PARAMS, R_ACTIVE, R_LAYERS, R_DMODEL, R_HEADS, R_KVHEADS, R_HEADDIM, R_KVDIM, R_CTX,
       R_TSEQ, R_RUMOURED, R_SRC, R_DATE };
const char *const lc_arch_field_names[LC_ARCH_FIELDS] = {
    "params", "params_active", "layers", "d_model", "heads", "kv_heads", "head_dim", "kv_dim",
    "context", "train_seq_len"};

/* The field k of an architecture (k < LC_ARCH_FIELDS: a numeric field). */
static const double *arch_field_ptr(const lc_arch *a, int k)
{
    switch (k) {
    case R_PARAMS: return &a->params;
    case R_ACTIVE: return &a->params_active;
    case R_LAYERS: return &a->layers;
    case R_DMODEL: return &a->d_model;
    case R_HEADS: return &a->heads;
    case R_KVHEADS: return &a->kv_heads;
    case R_HEADDIM: return &a->head_dim;
    case R_KVDIM: return &a->kv_dim;
    case R_CTX: return &a->context;
    case R_TSEQ: return &a->train_seq_len;
    default: return NULL;
    }
}

double lc_arch_field(const lc_arch *a, int k)
{
    const double *x = arch_field_ptr(a, k);
    return x ? *x : 0;
}

int lc_arch_field_input(int k)
{
    /* looked up once (lc_arch_apply runs per point of a design): 0 = not
     * yet, else the input + 2; racing threads store the same value */
    static _Atomic int cache[LC_ARCH_FIELDS];
    if (k < 0 || k >= LC_ARCH_FIELDS)
        return -1;
    int v = atomic_load_explicit(&cache[k], memory_order_relaxed);
    if (!v) {
        v = lc_input_find(lc_arch_field_names[k]) + 2;
        atomic_store_explicit(&cache[k], v, memory_order_relaxed);
    }
    return v - 2;
}

int lc_arch_apply(const lc_arch *a, double *in, int *set, int defaults)
{
    int n = 0;
    for (int k = 0; k < LC_ARCH_FIELDS; k++) {
        int i = lc_arch_field_input(k);
        double x = lc_arch_field(a, k);
        if (i < 0 || (!(x > 0) && !defaults))
            continue;
        in[i] = x > 0 ? x : lc_inputs[i].def;
        if (set)
            set[i] = 1;
        n++;
    }
    return n;
}

static double *arch_slot(lc_arch *a, int k)
{
    return (double *)arch_field_ptr(a, k); /* a is the caller's, not const */
}

/* A "[...]" header line: inih does not tell the handler where a section
 * starts, so the loader finds the headers itself (to report a missing field
 * at its section's line, to tell two sections of the same name apart, and to
 * catch a section without any key, which inih never reports). */
typedef struct {
    int line;
    char name[256];
    int used;
} header;

typedef struct {
    lc_catalog *c;
    const char *name;
    int patch;          /* lc_catalog_add: sections may override entries */
    char section[256];
    int kind;           /* SEC_* */
    unsigned seen;      /* bit per field */
    int section_line;
    int entry;          /* index of the entry the section fills */
    int is_new;         /* the section created the entry */
    lc_gpu_price gp;    /* the section's pending record */
    lc_api_price ap;
    int date_line;      /* line of the record's date (checked at the end) */
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
    h->used = 0;
    return LC_OK;
}

/* Index of the header that opens the section holding `line`, -1 if none. */
static int header_at(const loader *L, int line)
{
    int best = -1;
    for (int i = 0; i < L->n_headers && L->headers[i].line < line; i++)
        best = i;
    return best;
}

static int field_index(const char *const *f, const char *key)
{
    for (int i = 0; f[i]; i++)
        if (strcmp(key, f[i]) == 0)
            return i;
    return -1;
}

static const char *const *fields_of(int kind)
{
    return kind == SEC_GPU    ? gpu_fields
           : kind == SEC_PGPU ? pgpu_fields
           : kind == SEC_ARCH ? arch_fields
                              : api_fields;
}

static lc_gpu *find_gpu(lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_gpus; i++)
        if (strcasecmp(c->gpus[i].name, name) == 0)
            return &c->gpus[i];
    return NULL;
}

static lc_api *find_api(lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_apis; i++)
        if (strcasecmp(c->apis[i].name, name) == 0)
            return &c->apis[i];
    return NULL;
}

static lc_arch *find_arch(lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_archs; i++)
        if (strcasecmp(c->archs[i].name, name) == 0)
            return &c->archs[i];
    return NULL;
}

static void api_price_init(lc_api_price *p)
{
    memset(p, 0, sizeof *p);
    p->cached_in = p->cache_write = p->batch_discount = -1;
    p->long_cached_in = p->long_cache_write = -1;
}

static void gpu_price_init(lc_gpu_price *p)
{
    memset(p, 0, sizeof *p);
    p->kind = LC_KIND_ON_DEMAND;
    p->provider = LC_PROV_GPU_CLOUD;
}

static lc_status missing(loader *L, const char *field, lc_diag *d)
{
    return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line, "[%s]: missing field '%s'",
                       L->section, field);
}

/* Append record r to the entry's records, or in patch mode replace one of
 * the same series and date.  Base mode refuses a duplicate and a record of
 * a price section older than a price-section record of its series listed
 * before it (the reference record, inline_rec, is exempt from the order). */
static lc_status push_gpu_price(loader *L, lc_gpu *g, const lc_gpu_price *r, int inline_rec,
                                lc_diag *d)
{
    long last = 0;
    int last_line = 0;
    for (int i = 0; i < g->n_prices; i++) {
        lc_gpu_price *o = &g->prices[i];
        if (o->kind != r->kind || o->provider != r->provider)
            continue;
        if (o->day == r->day) {
            if (L->patch) {
                *o = *r;
                if (inline_rec)
                    g->ref = i;
                return LC_OK;
            }
            return lc_diag_set(d, LC_ESYNTAX, L->name, r->line,
                               "[%s]: duplicate price record: %s %s %s was given at line %d",
                               L->section, lc_price_kind_name(r->kind),
                               lc_provider_class_name(r->provider), r->date, o->line);
        }
        if (i != g->ref && o->day > last) {
            last = o->day;
            last_line = o->line;
        }
    }
    if (!L->patch && !inline_rec && last > r->day)
        return lc_diag_set(d, LC_ESYNTAX, L->name, r->line,
                           "[%s]: dates out of order: %s comes after a record of a later "
                           "date (line %d); list the price records of one series oldest first",
                           L->section, r->date, last_line);
    lc_gpu_price *p = realloc(g->prices, sizeof *p * (size_t)(g->n_prices + 1));
    if (!p)
        return lc_diag_set(d, LC_ENOMEM, L->name, r->line, "out of memory");
    g->prices = p;
    p[g->n_prices] = *r;
    if (inline_rec)
        g->ref = g->n_prices;
    g->n_prices++;
    return LC_OK;
}

static lc_status push_api_price(loader *L, lc_api *a, const lc_api_price *r, int inline_rec,
                                lc_diag *d)
{
    long last = 0;
    int last_line = 0;
    for (int i = 0; i < a->n_prices; i++) {
        lc_api_price *o = &a->prices[i];
        if (o->day == r->day) {
            if (L->patch) {
                *o = *r;
                if (inline_rec)
                    a->ref = i;
                return LC_OK;
            }
            return lc_diag_set(d, LC_ESYNTAX, L->name, r->line,
                               "[%s]: duplicate price record: date %s was given at line %d",
                               L->section, r->date, o->line);
        }
        if (i != a->ref && o->day > last) {
            last = o->day;
            last_line = o->line;
        }
    }
    if (!L->patch && !inline_rec && last > r->day)
        return lc_diag_set(d, LC_ESYNTAX, L->name, r->line,
                           "[%s]: dates out of order: %s comes after a record of a later "
                           "date (line %d); list the price records oldest first",
                           L->section, r->date, last_line);
    lc_api_price *p = realloc(a->prices, sizeof *p * (size_t)(a->n_prices + 1));
    if (!p)
        return lc_diag_set(d, LC_ENOMEM, L->name, r->line, "out of memory");
    a->prices = p;
    p[a->n_prices] = *r;
    if (inline_rec)
        a->ref = a->n_prices;
    a->n_prices++;
    return LC_OK;
}

/* The long-context tier and the optional prices of an API record. */
static lc_status check_api_record(loader *L, const lc_api_price *r, unsigned seen, lc_diag *d)
{
    int has_thr = r->long_threshold > 0;
    int has_long = (seen & (1u << A_LIN)) || (seen & (1u << A_LOUT)) ||
                   (seen & (1u << A_LCACHED)) || (seen & (1u << A_LCWRITE));
    if (has_long && !has_thr)
        return missing(L, "long_threshold", d);
    if (has_thr && !(seen & (1u << A_LIN)))
        return missing(L, "long_in", d);
    if (has_thr && !(seen & (1u << A_LOUT)))
        return missing(L, "long_out", d);
    return LC_OK;
}

static lc_status check_date(loader *L, const char *text, long *day, int line, lc_diag *d);

/* An architecture section: its required fields and a consistent shape
 * (checked on the entry, so a --catalog-add override is checked with the
 * fields it keeps). */
static lc_status finish_arch(loader *L, lc_diag *d)
{
    lc_arch *a = &L->c->archs[L->entry];
    unsigned s = L->seen;
    if (L->is_new) {
        static const int req[] = {R_PARAMS, R_SRC, R_DATE};
        for (int i = 0; i < 3; i++)
            if (!(s & (1u << req[i])))
                return missing(L, arch_fields[req[i]], d);
        /* a published config gives its shape; only a rumoured one may not */
        static const int shape[] = {R_LAYERS, R_DMODEL, R_HEADS, R_KVHEADS, R_CTX};
        for (int i = 0; i < 5 && !a->rumoured; i++)
            if (!(s & (1u << shape[i])))
                return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                                   "[%s]: missing field '%s' (a published architecture "
                                   "gives layers, d_model, heads, kv_heads and context; "
                                   "mark a rumoured one 'rumoured = yes')",
                                   L->section, arch_fields[shape[i]]);
    }
    if (s & (1u << R_DATE)) {
        lc_status st = check_date(L, a->date, NULL, L->date_line, d);
        if (st != LC_OK)
            return st;
    }
    if (a->params_active > a->params)
        return lc_diag_set(d, LC_ERANGE, L->name, L->section_line,
                           "[%s]: params_active %g is more than params %g", L->section,
                           a->params_active, a->params);
    if (a->kv_heads > 0 && a->heads > 0 &&
        (a->kv_heads > a->heads || fmod(a->heads, a->kv_heads) != 0))
        return lc_diag_set(d, LC_ERANGE, L->name, L->section_line,
                           "[%s]: kv_heads %g must divide heads %g (grouped-query attention "
                           "shares each KV head among heads / kv_heads query heads)",
                           L->section, a->kv_heads, a->heads);
    if (a->heads > 0 && a->d_model > 0 && a->head_dim <= 0 && fmod(a->d_model, a->heads) != 0)
        return lc_diag_set(d, LC_ERANGE, L->name, L->section_line,
                           "[%s]: d_model %g is not a multiple of heads %g, so head_dim "
                           "(d_model / heads) would be %g: give head_dim", L->section,
                           a->d_model, a->heads, a->d_model / a->heads);
    if ((a->heads > 0) != (a->d_model > 0) && a->head_dim <= 0)
        return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                           "[%s]: give d_model and heads together (head_dim defaults to "
                           "d_model / heads)", L->section);
    return LC_OK;
}

static lc_status finish_section(loader *L, lc_diag *d)
{
    lc_catalog *c = L->c;
    lc_status st = LC_OK;
    unsigned s = L->seen;
#define SEEN(i) (s & (1u << (i)))
    switch (L->kind) {
    case SEC_NONE:
        return LC_OK;
    case SEC_ARCH:
        return finish_arch(L, d);
    case SEC_GPU: {
        lc_gpu *g = &c->gpus[L->entry];
        if (L->is_new) {
            /* power_w is optional: a GPU whose vendor publishes no power
             * (a TPU) is used only where power_w is given (lc_gpu_power_error) */
            static const int req[] = {G_FLOPS, G_HBM};
            for (int i = 0; i < 2; i++)
                if (!SEEN(req[i]))
                    return missing(L, gpu_fields[req[i]], d);
        }
        int any = SEEN(G_PRICE) || SEEN(G_PSRC) || SEEN(G_PDATE) || SEEN(G_PKIND) ||
                  SEEN(G_PPROV);
        if (any) {
            static const int req[] = {G_PRICE, G_PSRC, G_PDATE};
            for (int i = 0; i < 3; i++)
                if (!SEEN(req[i]))
                    return missing(L, gpu_fields[req[i]], d);
            if ((st = check_date(L, L->gp.date, &L->gp.day, L->date_line, d)) != LC_OK)
                return st;
            st = push_gpu_price(L, g, &L->gp, 1, d);
        }
        return st;
    }
    case SEC_PGPU: {
        for (int i = 0; i < 5; i++)
            if (!SEEN(i))
                return missing(L, pgpu_fields[i], d);
        if ((st = check_date(L, L->gp.date, &L->gp.day, L->date_line, d)) != LC_OK)
            return st;
        return push_gpu_price(L, &c->gpus[L->entry], &L->gp, 0, d);
    }
    case SEC_API:
    case SEC_PAPI: {
        lc_api *a = &c->apis[L->entry];
        int any = 0;
        for (int i = 0; api_fields[i]; i++)
            if (i != A_PROV && i != A_CTX && SEEN(i))
                any = 1;
        if (L->is_new || L->kind == SEC_PAPI || any) {
            static const int req[] = {A_IN, A_OUT, A_SRC, A_DATE};
            for (int i = 0; i < 4; i++)
                if (!SEEN(req[i]))
                    return missing(L, api_fields[req[i]], d);
            if ((st = check_date(L, L->ap.date, &L->ap.day, L->date_line, d)) != LC_OK ||
                (st = check_api_record(L, &L->ap, s, d)) != LC_OK)
                return st;
            st = push_api_price(L, a, &L->ap, L->kind == SEC_API, d);
        }
        return st;
    }
    }
#undef SEEN
    return LC_OK;
}

static lc_status set_text(char *dst, size_t n, const char *v, loader *L, int line,
                          const char *key, lc_diag *d)
{
    if (strlen(v) >= n)
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "value longer than %zu characters", n - 1);
    if (!v[0])
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: %s is empty", L->section, key);
    strcpy(dst, v);
    return LC_OK;
}

/* A date is stored as text here and checked when its section ends (so a
 * missing field is reported before a bad date, as for every other field). */
static lc_status set_date(char *dst, size_t n, const char *v, loader *L, int line,
                          const char *key, lc_diag *d)
{
    L->date_line = line;
    return set_text(dst, n, v, L, line, key, d);
}

static lc_status check_date(loader *L, const char *text, long *day, int line, lc_diag *d)
{
    lc_diag sub;
    long x;
    if (lc_price_date_parse(text, &x, &sub) != LC_OK)
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: %s", L->section, sub.msg);
    if (day)
        *day = x;
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

/* A section name as the loader reads it: blanks inside the brackets are
 * trimmed, the same way for every entry: "[ gpu  X ]" is X, which --gpu X
 * can select (issue 10); one blank between the kind words and the name. */
static void normalize_section(const char *section, char *trimmed, size_t size)
{
    const char *sp = section;
    while (*sp == ' ' || *sp == '\t')
        sp++;
    snprintf(trimmed, size, "%s", sp);
    for (size_t tl = strlen(trimmed); tl && (trimmed[tl - 1] == ' ' || trimmed[tl - 1] == '\t');)
        trimmed[--tl] = '\0';
    for (char *t = trimmed; *t; t++)
        if (*t == '\t')
            *t = ' ';
    char *w = trimmed, *r = trimmed;
    for (; *r; r++)
        if (!(*r == ' ' && (w == trimmed || w[-1] == ' ')))
            *w++ = *r;
    *w = '\0';
}

/* The line of an earlier header of this file that opens the same entry
 * (same kind, name matched case-insensitively), 0 if none: a second
 * [gpu X] in one file is a mistake even where --catalog-add may override
 * the catalogue's X. */
static int earlier_header(const loader *L, int hidx, const char *normalized)
{
    for (int i = 0; i < hidx; i++) {
        char t[sizeof L->section];
        normalize_section(L->headers[i].name, t, sizeof t);
        if (strcasecmp(t, normalized) == 0)
            return L->headers[i].line;
    }
    return 0;
}

/* Enter a new section: find or create its entry. */
static lc_status begin_section(loader *L, const char *section, int key_line, int hidx,
                               const char *key, lc_diag *d)
{
    lc_catalog *c = L->c;
    snprintf(L->section, sizeof L->section, "%s", section);
    L->seen = 0;
    L->section_line = hidx >= 0 ? L->headers[hidx].line : key_line;
    if (hidx >= 0)
        L->headers[hidx].used = 1;
    L->is_new = 0;
    gpu_price_init(&L->gp);
    api_price_init(&L->ap);
    char trimmed[sizeof L->section];
    normalize_section(section, trimmed, sizeof trimmed);
    section = trimmed;
    const char *name;
    if (strncmp(section, "gpu ", 4) == 0) {
        L->kind = SEC_GPU;
        name = section + 4;
    } else if (strncmp(section, "api ", 4) == 0) {
        L->kind = SEC_API;
        name = section + 4;
    } else if (strncmp(section, "price gpu ", 10) == 0) {
        L->kind = SEC_PGPU;
        name = section + 10;
    } else if (strncmp(section, "price api ", 10) == 0) {
        L->kind = SEC_PAPI;
        name = section + 10;
    } else if (strncmp(section, "arch ", 5) == 0) {
        L->kind = SEC_ARCH;
        name = section + 5;
    } else {
        L->kind = SEC_NONE;
        if (hidx >= 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                               "unknown section '[%.60s]': expected '[gpu NAME]', '[api NAME]', "
                               "'[price gpu NAME]', '[price api NAME]' or '[arch NAME]'",
                               section);
        return lc_diag_set(d, LC_ESYNTAX, L->name, key_line,
                           "key '%s' outside a '[gpu NAME]', '[api NAME]', '[price gpu NAME]', "
                           "'[price api NAME]' or '[arch NAME]' section", key);
    }
    while (*name == ' ')
        name++;
    if (!*name || strlen(name) >= sizeof c->gpus[0].name)
        return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                           "[%.60s]: %s entry name (at most %d characters)", section,
                           *name ? "too long an" : "expected an", (int)sizeof c->gpus[0].name - 1);
    L->gp.line = L->ap.line = L->section_line;
    if (L->kind == SEC_PGPU || L->kind == SEC_PAPI) {
        int i = -1;
        if (L->kind == SEC_PGPU) {
            lc_gpu *g = find_gpu(c, name);
            i = g ? (int)(g - c->gpus) : -1;
        } else {
            lc_api *a = find_api(c, name);
            i = a ? (int)(a - c->apis) : -1;
        }
        if (i < 0)
            return lc_diag_set(d, LC_ENOTFOUND, L->name, L->section_line,
                               "[%s]: no %s '%s' defined above (define [%s %s] first)",
                               section, L->kind == SEC_PGPU ? "GPU" : "API model", name,
                               L->kind == SEC_PGPU ? "gpu" : "api", name);
        L->entry = i;
        return LC_OK;
    }
    int first = hidx >= 0 ? earlier_header(L, hidx, section) : 0;
    if (first > 0)
        return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                           "[%s]: duplicate entry (first at line %d of this file)", section,
                           first);
    int existing;
    if (L->kind == SEC_GPU)
        existing = find_gpu(c, name) ? (int)(find_gpu(c, name) - c->gpus) : -1;
    else if (L->kind == SEC_ARCH)
        existing = find_arch(c, name) ? (int)(find_arch(c, name) - c->archs) : -1;
    else
        existing = find_api(c, name) ? (int)(find_api(c, name) - c->apis) : -1;
    if (existing >= 0 && !L->patch)
        return lc_diag_set(d, LC_ESYNTAX, L->name, L->section_line,
                           "[%s]: duplicate entry", section);
    if (existing >= 0) {
        L->entry = existing;
        return LC_OK;
    }
    L->is_new = 1;
    if (L->kind == SEC_ARCH) {
        lc_arch *a = realloc(c->archs, sizeof *a * (size_t)(c->n_archs + 1));
        if (!a)
            return lc_diag_set(d, LC_ENOMEM, L->name, key_line, "out of memory");
        c->archs = a;
        memset(&a[c->n_archs], 0, sizeof *a);
        strcpy(a[c->n_archs].name, name);
        a[c->n_archs].line = L->section_line;
        L->entry = c->n_archs++;
    } else if (L->kind == SEC_GPU) {
        lc_gpu *g = realloc(c->gpus, sizeof *g * (size_t)(c->n_gpus + 1));
        if (!g)
            return lc_diag_set(d, LC_ENOMEM, L->name, key_line, "out of memory");
        c->gpus = g;
        memset(&g[c->n_gpus], 0, sizeof *g);
        strcpy(g[c->n_gpus].name, name);
        g[c->n_gpus].line = L->section_line;
        g[c->n_gpus].ref = g[c->n_gpus].sel = -1;
        L->entry = c->n_gpus++;
    } else {
        lc_api *a = realloc(c->apis, sizeof *a * (size_t)(c->n_apis + 1));
        if (!a)
            return lc_diag_set(d, LC_ENOMEM, L->name, key_line, "out of memory");
        c->apis = a;
        memset(&a[c->n_apis], 0, sizeof *a);
        strcpy(a[c->n_apis].name, name);
        a[c->n_apis].line = L->section_line;
        a[c->n_apis].ref = a[c->n_apis].sel = -1;
        L->entry = c->n_apis++;
    }
    return LC_OK;
}

static lc_status set_api_field(loader *L, lc_api_price *r, int k, const char *key,
                               const char *v, int line, lc_diag *d)
{
    switch (k) {
    case A_IN: return set_num(&r->price_in, v, 0, 0, key, L, line, d);
    case A_OUT: return set_num(&r->price_out, v, 0, 0, key, L, line, d);
    case A_SRC: return set_text(r->source, sizeof r->source, v, L, line, key, d);
    case A_DATE: return set_date(r->date, sizeof r->date, v, L, line, key, d);
    case A_CACHED: return set_num(&r->cached_in, v, 0, 0, key, L, line, d);
    case A_CWRITE: return set_num(&r->cache_write, v, 0, 0, key, L, line, d);
    case A_BATCH: {
        lc_status st = set_num(&r->batch_discount, v, 0, 0, key, L, line, d);
        if (st == LC_OK && !(r->batch_discount < 1))
            return lc_diag_set(d, LC_ERANGE, L->name, line,
                               "%s: %g must be < 1 (the share taken off, e.g. 0.5)", key,
                               r->batch_discount);
        return st;
    }
    case A_LTHR: return set_num(&r->long_threshold, v, 0, 1, key, L, line, d);
    case A_LIN: return set_num(&r->long_in, v, 0, 0, key, L, line, d);
    case A_LOUT: return set_num(&r->long_out, v, 0, 0, key, L, line, d);
    case A_LCACHED: return set_num(&r->long_cached_in, v, 0, 0, key, L, line, d);
    default: return set_num(&r->long_cache_write, v, 0, 0, key, L, line, d);
    }
}

static lc_status set_arch_field(loader *L, lc_arch *a, int k, const char *key,
                                const char *v, int line, lc_diag *d)
{
    if (k == R_SRC)
        return set_text(a->source, sizeof a->source, v, L, line, key, d);
    if (k == R_DATE)
        return set_date(a->date, sizeof a->date, v, L, line, key, d);
    if (k == R_RUMOURED) {
        if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "no") == 0) {
            a->rumoured = strcasecmp(v, "yes") == 0;
            return LC_OK;
        }
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: rumoured '%s': expected yes "
                           "or no", L->section, v);
    }
    double *x = arch_slot(a, k);
    lc_status st = set_num(x, v, 0, 1, key, L, line, d);
    /* counts are whole numbers; parameters may be written 6.74B */
    if (st == LC_OK && k != R_PARAMS && k != R_ACTIVE && (*x != floor(*x) || *x > 1e15))
        return lc_diag_set(d, LC_ERANGE, L->name, line, "%s: %g must be a whole number%s", key,
                           *x, *x > 1e15 ? " up to 1e15" : "");
    return st;
}

static lc_status on_key(void *user, const char *section, const char *key,
                        const char *value, int line, lc_diag *d)
{
    loader *L = user;
    lc_catalog *c = L->c;
    int hidx = header_at(L, line);
    int hline = hidx >= 0 ? L->headers[hidx].line : 0;
    if (strcmp(section, L->section) != 0 || hline != L->section_line || L->kind == SEC_NONE) {
        /* a new section begins (a repeated header of the same name counts
         * as a new section, so it is reported as a duplicate entry) */
        lc_status st = finish_section(L, d);
        if (st != LC_OK)
            return st;
        if ((st = begin_section(L, section, line, hidx, key, d)) != LC_OK)
            return st;
    }
    const char *const *f = fields_of(L->kind);
    int k = field_index(f, key);
    if (k < 0 || (L->kind == SEC_PAPI && (k == A_PROV || k == A_CTX)))
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: unknown field '%s'", section, key);
    if (L->seen & (1u << k))
        return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: field '%s' given twice", section, key);
    L->seen |= 1u << k;
    if (L->kind == SEC_ARCH)
        return set_arch_field(L, &c->archs[L->entry], k, key, value, line, d);
    if (L->kind == SEC_GPU) {
        lc_gpu *g = &c->gpus[L->entry];
        if (k >= G_PRICE && L->gp.line == L->section_line)
            L->gp.line = line; /* the record's line: its first price field */
        switch (k) {
        case G_FLOPS: return set_num(&g->flops, value, 0, 1, key, L, line, d);
        case G_HBM: return set_num(&g->hbm_bw, value, 0, 1, key, L, line, d);
        case G_POWER: return set_num(&g->power_w, value, 0, 1, key, L, line, d);
        case G_MEM: return set_num(&g->gpu_mem, value, 0, 1, key, L, line, d);
        case G_FP8: return set_num(&g->flops_fp8, value, 0, 1, key, L, line, d);
        case G_SSRC: return set_text(g->spec_source, sizeof g->spec_source, value, L, line, key, d);
        case G_SDATE: {
            lc_status st = set_text(g->spec_date, sizeof g->spec_date, value, L, line, key, d);
            return st == LC_OK ? check_date(L, value, NULL, line, d) : st;
        }
        case G_PRICE: return set_num(&L->gp.price_hour, value, 0, 0, key, L, line, d);
        case G_PSRC: return set_text(L->gp.source, sizeof L->gp.source, value, L, line, key, d);
        case G_PDATE:
            return set_date(L->gp.date, sizeof L->gp.date, value, L, line, key, d);
        case G_PKIND:
            if ((L->gp.kind = lc_price_kind_find(value)) < 0)
                return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: %s '%s': expected "
                                   "on-demand, reserved-1y, reserved-3y or spot", section, key, value);
            return LC_OK;
        default:
            if ((L->gp.provider = lc_provider_class_find(value)) < 0)
                return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: %s '%s': expected "
                                   "hyperscaler or gpu-cloud", section, key, value);
            return LC_OK;
        }
    }
    if (L->kind == SEC_PGPU) {
        switch (k) {
        case P_PRICE: return set_num(&L->gp.price_hour, value, 0, 0, key, L, line, d);
        case P_SRC: return set_text(L->gp.source, sizeof L->gp.source, value, L, line, key, d);
        case P_DATE:
            return set_date(L->gp.date, sizeof L->gp.date, value, L, line, key, d);
        case P_KIND:
            if ((L->gp.kind = lc_price_kind_find(value)) < 0)
                return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: kind '%s': expected "
                                   "on-demand, reserved-1y, reserved-3y or spot", section, value);
            return LC_OK;
        default:
            if ((L->gp.provider = lc_provider_class_find(value)) < 0)
                return lc_diag_set(d, LC_ESYNTAX, L->name, line, "[%s]: provider '%s': "
                                   "expected hyperscaler or gpu-cloud", section, value);
            return LC_OK;
        }
    }
    lc_api *a = &c->apis[L->entry];
    if (k == A_PROV)
        return set_text(a->provider, sizeof a->provider, value, L, line, key, d);
    if (k == A_CTX)
        return set_num(&a->context_window, value, 0, 1, key, L, line, d);
    if (L->kind == SEC_API && L->ap.line == L->section_line)
        L->ap.line = line; /* an inline record's line: its first price field */
    return set_api_field(L, &L->ap, k, key, value, line, d);
}

/* A header that no key followed never reached the handler: report it. */
static lc_status check_empty_sections(const loader *L, lc_diag *d)
{
    for (int i = 0; i < L->n_headers; i++) {
        const header *h = &L->headers[i];
        if (h->used)
            continue;
        if (strncmp(h->name, "gpu ", 4) == 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, h->line, "[%s]: missing field '%s'",
                               h->name, gpu_fields[0]);
        if (strncmp(h->name, "api ", 4) == 0 || strncmp(h->name, "price api ", 10) == 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, h->line, "[%s]: missing field '%s'",
                               h->name, api_fields[0]);
        if (strncmp(h->name, "price gpu ", 10) == 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, h->line, "[%s]: missing field '%s'",
                               h->name, pgpu_fields[0]);
        if (strncmp(h->name, "arch ", 5) == 0)
            return lc_diag_set(d, LC_ESYNTAX, L->name, h->line, "[%s]: missing field '%s'",
                               h->name, arch_fields[0]);
        return lc_diag_set(d, LC_ESYNTAX, L->name, h->line,
                           "[%s]: expected '[gpu NAME]', '[api NAME]', '[price gpu NAME]', "
                           "'[price api NAME]' or '[arch NAME]'", h->name);
    }
    return LC_OK;
}

/* The reference record is the inline one or the first.  A GPU may have
 * none (an accelerator with no public price, used only with price_hour
 * given: lc_gpu_missing). */
static lc_status check_records(const loader *L, lc_diag *d)
{
    (void)d;
    lc_catalog *c = L->c;
    for (int i = 0; i < c->n_gpus; i++) {
        lc_gpu *g = &c->gpus[i];
        if (g->ref < 0 && g->n_prices > 0)
            g->ref = 0;
    }
    for (int i = 0; i < c->n_apis; i++)
        if (c->apis[i].ref < 0)
            c->apis[i].ref = 0;
    return LC_OK;
}

static lc_status parse_into(loader *L, const char *path, lc_diag *d)
{
    char *owned = NULL;
    const char *text = lc_catalog_builtin_text;
    size_t len = strlen(lc_catalog_builtin_text);
    lc_status st = LC_OK;
    if (path) {
        st = lc_read_file(path, &owned, &len, d);
        text = owned;
    }
    if (st == LC_OK) {
        st = lc_ini_scan_headers(text, len, add_header, L, NULL);
        if (st == LC_ENOMEM)
            lc_diag_set(d, st, L->name, 0, "out of memory");
    }
    if (st == LC_OK)
        st = lc_ini_parse_text(text, len, L->name, on_key, L, d);
    if (st == LC_OK)
        st = finish_section(L, d);
    if (st == LC_OK)
        st = check_empty_sections(L, d);
    if (st == LC_OK)
        st = check_records(L, d);
    free(L->headers);
    L->headers = NULL;
    free(owned);
    return st;
}

lc_status lc_catalog_load(lc_catalog *c, const char *path, lc_diag *d)
{
    memset(c, 0, sizeof *c);
    loader L = {.c = c, .name = path ? path : "built-in catalogue"};
    snprintf(c->origin, sizeof c->origin, "%s", path ? path : "built-in");
    lc_status st = parse_into(&L, path, d);
    if (st == LC_OK && c->n_gpus + c->n_apis + c->n_archs == 0)
        st = lc_diag_set(d, LC_ESYNTAX, L.name, 0, "no [gpu NAME], [api NAME] or [arch NAME] "
                         "entries");
    if (st != LC_OK) {
        lc_catalog_free(c);
        return st;
    }
    lc_price_query q;
    lc_price_query_init(&q);
    lc_catalog_select(c, &q);
    c->query_set = 0;
    return LC_OK;
}

lc_status lc_catalog_add(lc_catalog *c, const char *path, lc_diag *d)
{
    lc_catalog t;
    lc_status st = lc_catalog_copy(&t, c);
    if (st != LC_OK)
        return lc_diag_set(d, st, path, 0, "out of memory");
    loader L = {.c = &t, .name = path, .patch = 1};
    if ((st = parse_into(&L, path, d)) != LC_OK) {
        lc_catalog_free(&t);
        return st;
    }
    size_t n = strlen(t.origin);
    snprintf(t.origin + n, sizeof t.origin - n, " + %s", path);
    lc_catalog_free(c);
    *c = t;
    lc_price_query q = c->query;
    lc_catalog_select(c, &q);
    return LC_OK;
}

void lc_catalog_free(lc_catalog *c)
{
    for (int i = 0; i < c->n_gpus; i++)
        free(c->gpus[i].prices);
    for (int i = 0; i < c->n_apis; i++)
        free(c->apis[i].prices);
    free(c->gpus);
    free(c->apis);
    free(c->archs);
    c->gpus = NULL;
    c->apis = NULL;
    c->archs = NULL;
    c->n_gpus = c->n_apis = c->n_archs = 0;
}

lc_status lc_catalog_copy(lc_catalog *dst, const lc_catalog *src)
{
    *dst = *src;
    dst->gpus = NULL;
    dst->apis = NULL;
    dst->archs = NULL;
    dst->n_gpus = dst->n_apis = dst->n_archs = 0;
    if (src->n_archs) {
        if (!(dst->archs = malloc(sizeof *dst->archs * (size_t)src->n_archs)))
            goto oom;
        memcpy(dst->archs, src->archs, sizeof *dst->archs * (size_t)src->n_archs);
        dst->n_archs = src->n_archs;
    }
    if (src->n_gpus && !(dst->gpus = calloc((size_t)src->n_gpus, sizeof *dst->gpus)))
        goto oom;
    for (int i = 0; i < src->n_gpus; i++) {
        dst->gpus[i] = src->gpus[i];
        dst->gpus[i].prices = NULL;
        dst->n_gpus = i + 1;
        size_t b = sizeof(lc_gpu_price) * (size_t)src->gpus[i].n_prices;
        if (b && !(dst->gpus[i].prices = malloc(b)))
            goto oom;
        if (b)
            memcpy(dst->gpus[i].prices, src->gpus[i].prices, b);
    }
    if (src->n_apis && !(dst->apis = calloc((size_t)src->n_apis, sizeof *dst->apis)))
        goto oom;
    for (int i = 0; i < src->n_apis; i++) {
        dst->apis[i] = src->apis[i];
        dst->apis[i].prices = NULL;
        dst->n_apis = i + 1;
        size_t b = sizeof(lc_api_price) * (size_t)src->apis[i].n_prices;
        if (b && !(dst->apis[i].prices = malloc(b)))
            goto oom;
        if (b)
            memcpy(dst->apis[i].prices, src->apis[i].prices, b);
    }
    return LC_OK;
oom:
    lc_catalog_free(dst);
    return LC_ENOMEM;
}

/* ---- selection ------------------------------------------------------------ */

void lc_price_query_init(lc_price_query *q)
{
    memset(q, 0, sizeof *q);
    q->kind = q->provider = -1;
}

int lc_gpu_pick(const lc_gpu *g, const lc_price_query *q, char *why, size_t n)
{
    if (g->n_prices == 0 || g->ref < 0) {
        if (why)
            snprintf(why, n, "GPU %s has no price record (no public price: give price_hour)",
                     g->name);
        return -1;
    }
    if (q->day == 0 && q->kind < 0 && q->provider < 0)
        return g->ref; /* nothing asked: the reference record */
    const lc_gpu_price *ref = &g->prices[g->ref];
    int kind = q->kind >= 0 ? q->kind : ref->kind;
    /* the provider class: as asked; else the reference's when the kind is
     * the reference's too; else any (the reference's class wins a tie) */
    int prov = q->provider >= 0 ? q->provider : q->kind < 0 ? ref->provider : -1;
    int best = -1, any = 0, first = -1;
    for (int i = 0; i < g->n_prices; i++) {
        const lc_gpu_price *r = &g->prices[i];
        if (r->kind != kind || (prov >= 0 && r->provider != prov))
            continue;
        any = 1;
        if (first < 0 || r->day < g->prices[first].day)
            first = i;
        if (q->day && r->day > q->day)
            continue;
        if (best < 0 || r->day > g->prices[best].day ||
            (r->day == g->prices[best].day && g->prices[best].provider != ref->provider &&
             r->provider == ref->provider))
            best = i;
    }
    if (best < 0 && why) {
        char series[64];
        snprintf(series, sizeof series, "%s%s%s", lc_price_kind_name(kind), prov >= 0 ? " " : "",
                 prov >= 0 ? lc_provider_class_name(prov) : "");
        if (!any) {
            char have[160] = "";
            size_t len = 0;
            for (int i = 0; i < g->n_prices && len + 40 < sizeof have; i++) {
                int seen = 0; /* each series once */
                for (int j = 0; j < i; j++)
                    seen |= g->prices[j].kind == g->prices[i].kind &&
                            g->prices[j].provider == g->prices[i].provider;
                if (!seen)
                    len += (size_t)snprintf(have + len, sizeof have - len, "%s%s %s",
                                            len ? ", " : "", lc_price_kind_name(g->prices[i].kind),
                                            lc_provider_class_name(g->prices[i].provider));
            }
            snprintf(why, n, "GPU %s has no %s price record (it has: %s)", g->name, series, have);
        } else {
            snprintf(why, n, "GPU %s has no %s price record at or before %s (the first is %s)",
                     g->name, series, q->date, g->prices[first].date);
        }
    }
    return best;
}

int lc_api_pick(const lc_api *a, const lc_price_query *q, char *why, size_t n)
{
    if (a->n_prices == 0 || a->ref < 0) {
        if (why)
            snprintf(why, n, "API model %s has no price record", a->name);
        return -1;
    }
    if (q->day == 0)
        return a->ref; /* no date: the reference record */
    int best = -1, first = 0;
    for (int i = 0; i < a->n_prices; i++) {
        const lc_api_price *r = &a->prices[i];
        if (r->day < a->prices[first].day)
            first = i;
        if (r->day <= q->day && (best < 0 || r->day > a->prices[best].day))
            best = i;
    }
    if (best < 0 && why) {
        snprintf(why, n, "API model %s has no price record at or before %s (the first is %s)",
                 a->name, q->date, a->prices[first].date);
    }
    return best;
}

void lc_catalog_select(lc_catalog *c, const lc_price_query *q)
{
    c->query = *q;
    c->query_set = q->day != 0 || q->kind >= 0 || q->provider >= 0;
    for (int i = 0; i < c->n_gpus; i++) {
        lc_gpu *g = &c->gpus[i];
        g->select_error[0] = '\0';
        g->sel = g->n_prices ? lc_gpu_pick(g, q, g->select_error, sizeof g->select_error)
                             : -1; /* unpriced: usable with price_hour given */
        if (g->sel >= 0) {
            const lc_gpu_price *r = &g->prices[g->sel];
            g->price_hour = r->price_hour;
            snprintf(g->price_source, sizeof g->price_source, "%s", r->source);
            snprintf(g->price_date, sizeof g->price_date, "%s", r->date);
            g->price_kind = r->kind;
            g->price_provider = r->provider;
        } else {
            g->price_hour = NAN;
            g->price_source[0] = g->price_date[0] = '\0';
        }
    }
    for (int i = 0; i < c->n_apis; i++) {
        lc_api *a = &c->apis[i];
        a->select_error[0] = '\0';
        a->sel = lc_api_pick(a, q, a->select_error, sizeof a->select_error);
        if (a->sel >= 0) {
            const lc_api_price *r = &a->prices[a->sel];
            a->price_in = r->price_in;
            a->price_out = r->price_out;
            snprintf(a->source, sizeof a->source, "%s", r->source);
            snprintf(a->date, sizeof a->date, "%s", r->date);
        } else {
            a->price_in = a->price_out = NAN;
            a->source[0] = a->date[0] = '\0';
        }
    }
}

/* ---- lookup --------------------------------------------------------------- */

const lc_gpu *lc_catalog_gpu_entry(const lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_gpus; i++)
        if (strcasecmp(c->gpus[i].name, name) == 0)
            return &c->gpus[i];
    return NULL;
}

const lc_api *lc_catalog_api_entry(const lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_apis; i++)
        if (strcasecmp(c->apis[i].name, name) == 0)
            return &c->apis[i];
    return NULL;
}

const lc_arch *lc_catalog_arch(const lc_catalog *c, const char *name)
{
    for (int i = 0; i < c->n_archs; i++)
        if (strcasecmp(c->archs[i].name, name) == 0)
            return &c->archs[i];
    return NULL;
}

static const char *entry_name(const lc_catalog *c, lc_cat_kind kind, int i)
{
    return kind == LC_CAT_GPU ? c->gpus[i].name
           : kind == LC_CAT_API ? c->apis[i].name : c->archs[i].name;
}

lc_status lc_catalog_unknown(const lc_catalog *c, lc_cat_kind kind, const char *name,
                             const char *hint, const char *file, int line, lc_diag *d)
{
    const lc_gpu *g = kind == LC_CAT_GPU ? lc_catalog_gpu_entry(c, name) : NULL;
    const lc_api *a = kind == LC_CAT_API ? lc_catalog_api_entry(c, name) : NULL;
    if ((g && g->sel < 0) || (a && a->sel < 0))
        return lc_diag_set(d, LC_ENOTFOUND, file, line, "%s", g ? g->select_error : a->select_error);
    int n = kind == LC_CAT_GPU ? c->n_gpus : kind == LC_CAT_API ? c->n_apis : c->n_archs;
    char known[768];
    size_t len = 0;
    known[0] = '\0';
    for (int i = 0; i < n && len + 2 < sizeof known; i++) {
        int w = snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                         entry_name(c, kind, i));
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return lc_diag_set(d, LC_ENOTFOUND, file, line, "unknown %s '%s' (known: %s%s%s)",
                       kind == LC_CAT_GPU ? "GPU" : kind == LC_CAT_API ? "API model"
                                                                        : "architecture",
                       name, n ? known : "none", hint ? "; " : "", hint ? hint : "");
}

const lc_gpu *lc_catalog_gpu(const lc_catalog *c, const char *name)
{
    const lc_gpu *g = lc_catalog_gpu_entry(c, name);
    return g && (g->sel >= 0 || g->n_prices == 0) ? g : NULL;
}

const lc_api *lc_catalog_api(const lc_catalog *c, const char *name)
{
    const lc_api *a = lc_catalog_api_entry(c, name);
    return a && a->sel >= 0 ? a : NULL;
}

const lc_gpu_price *lc_gpu_record(const lc_gpu *g)
{
    return g && g->sel >= 0 && g->sel < g->n_prices ? &g->prices[g->sel] : NULL;
}

const lc_api_price *lc_api_record(const lc_api *a)
{
    return a && a->sel >= 0 && a->sel < a->n_prices ? &a->prices[a->sel] : NULL;
}
