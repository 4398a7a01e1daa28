/*
 * sens_problem.c - build a sensitivity problem from a spec: the
 * "[distribution.NAME]" sections become factors, "[sensitivity]" sets the
 * methods and their options, spec->fixed gives every other input.
 *
 * The spec parser keeps those sections verbatim in spec->extra (section,
 * key, value, line), so every error here names the spec file and the line of
 * the offending key.  Keys of a distribution section:
 *   type = uniform | loguniform | normal | lognormal | triangular | choice
 *   low, high        bounds (uniform, loguniform, triangular); truncation
 *                    (normal, lognormal, optional)
 *   mean, sd         normal
 *   mu, sigma        lognormal, of ln X  (or median = e^mu, gsd = e^sigma)
 *   mode             triangular
 *   values, weights  choice (NAME = gpu: catalogue GPU names)
 *   base             tornado base (default: the median)
 *   tornado_low, tornado_high   tornado swing (default: P5/P95 of a normal
 *                    or lognormal, the bounds of the other types)
 */
#include "sensitivity/sensitivity.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_qrng.h>

#include "util/ini.h"
#include "util/number.h"

void lc_sens_problem_init(lc_sens_problem *p)
{
    memset(p, 0, sizeof *p);
    lc_inputs_default(p->fixed);
    p->util_infer_follows_util = 1;
    p->methods = LC_SENS_MC | LC_SENS_TORNADO | LC_SENS_MORRIS | LC_SENS_SOBOL;
    p->samples = 8192;
    p->seed = 1;
    p->pcts[0] = 5;
    p->pcts[1] = 50;
    p->pcts[2] = 95;
    p->n_pcts = 3;
    p->trajectories = 20;
    p->levels = 4;
    p->bootstrap = 100;
    p->confidence = 0.95;
    p->replicates = 1;
    for (int i = 0; i < LC_SENS_MAX_FACTORS; i++)
        p->corr[i][i] = 1.0;
}

const lc_output_info *lc_sens_output_info(const lc_sens_problem *p, int o)
{
    return p->model ? NULL : lc_formulas_output_info(p->fs, p->outs[o]);
}

const char *lc_sens_output_name(const lc_sens_problem *p, int o)
{
    if (p->model)
        return p->model_out_names ? p->model_out_names[o] : "y";
    const lc_output_info *oi = lc_sens_output_info(p, o);
    return oi ? oi->name : "?";
}

lc_status lc_sens_sobol_dims_check(int k, lc_diag *d)
{
    unsigned maxd = gsl_qrng_sobol->max_dimension;
    if (k < 1)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "sobol: no distributed input");
    if ((unsigned)(2 * k) > maxd)
        return lc_diag_set(d, LC_ERANGE, NULL, 0,
                           "sobol: %d distributed inputs need %d dimensions of the "
                           "Sobol sequence, GSL's gsl_qrng_sobol has %u (at most %u inputs)",
                           k, 2 * k, maxd, maxd / 2);
    return LC_OK;
}

lc_status lc_sens_parse_design(const char *text, lc_sobol_design *design, lc_diag *d)
{
    if (!strcasecmp(text, "owen") || !strcasecmp(text, "scrambled"))
        *design = LC_SOBOL_OWEN;
    else if (!strcasecmp(text, "unscrambled") || !strcasecmp(text, "gsl"))
        *design = LC_SOBOL_UNSCRAMBLED;
    else
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "unknown design '%s' (expected owen (scrambled, the default) "
                           "or unscrambled (GSL's sequence))", text);
    return LC_OK;
}

lc_status lc_sens_parse_methods(const char *text, unsigned *methods, lc_diag *d)
{
    static const struct { const char *n; unsigned bit; } m[] = {
        {"mc", LC_SENS_MC}, {"montecarlo", LC_SENS_MC}, {"tornado", LC_SENS_TORNADO},
        {"oat", LC_SENS_TORNADO}, {"morris", LC_SENS_MORRIS}, {"sobol", LC_SENS_SOBOL},
        {"all", LC_SENS_MC | LC_SENS_TORNADO | LC_SENS_MORRIS | LC_SENS_SOBOL}};
    char buf[256], *save = NULL;
    if (strlen(text) >= sizeof buf)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "method list is longer than %d characters",
                           (int)sizeof buf - 1);
    snprintf(buf, sizeof buf, "%s", text);
    unsigned bits = 0;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        unsigned b = 0;
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
            if (strcasecmp(tok, m[i].n) == 0)
                b = m[i].bit;
        if (!b)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "unknown method '%s' (expected mc, tornado, morris, sobol, all)",
                               tok);
        bits |= b;
    }
    if (!bits)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "no method given");
    *methods = bits;
    return LC_OK;
}

/* ---- helpers --------------------------------------------------------------- */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[LC_NAME_MAX + 1];
    if (lb > LC_NAME_MAX)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return row[lb];
}

/* " (did you mean 'x'?)" for the nearest of names[], or "". */
static void suggest(const char *word, const char *const *names, int n, char *buf, size_t size)
{
    size_t best = 3;
    int bi = -1;
    for (int i = 0; i < n; i++) {
        size_t e = edit_distance(word, names[i]);
        if (e < best) {
            best = e;
            bi = i;
        }
    }
    if (bi >= 0)
        snprintf(buf, size, " (did you mean '%s'?)", names[bi]);
    else
        buf[0] = '\0';
}

int lc_sens_output_find(const lc_formulas *fs, const char *name, char *hint, size_t size)
{
    int o = lc_formulas_output_find(fs, name);
    if (o >= 0 || !hint)
        return o;
    const char *names[LC_OUT_MAX];
    int n = 0;
    for (int j = 0; j < LC_OUT_COUNT; j++)
        names[n++] = lc_outputs[j].name;
    for (int f = 0; fs && f < fs->n; f++)
        names[n++] = fs->f[f].name;
    suggest(name, names, n, hint, size);
    if (!hint[0] && fs && fs->n > 0)
        snprintf(hint, size, " (an output of 'llmcost eval --help' or a formula of [formulas])");
    else if (!hint[0])
        snprintf(hint, size, " (see 'llmcost eval --help'; [formulas] defines more)");
    return -1;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t i = 0;
    while (isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

/* Split a comma list into at most max items of LC_NAME_MAX characters. */
static int split_list(const char *text, char items[][LC_NAME_MAX], int max, int *n)
{
    *n = 0;
    char *buf = strdup(text); /* a list of any length: continuation lines join */
    if (!buf)
        return -1;
    int rc = 0;
    for (char *p = buf;;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        trim(p);
        if (*n >= max || strlen(p) >= LC_NAME_MAX || !*p) {
            rc = -1;
            break;
        }
        snprintf(items[(*n)++], LC_NAME_MAX, "%s", p);
        if (!c)
            break;
        p = c + 1;
    }
    free(buf);
    return rc;
}

typedef struct {
    const char *file;
    lc_diag *d;
} ctx;

static lc_status num(ctx *c, const lc_spec_kv *kv, double *out)
{
    lc_diag nd;
    if (lc_parse_number(kv->value, out, &nd) != LC_OK)
        return lc_diag_set(c->d, LC_ESYNTAX, c->file, kv->line, "[%s]: %s: %s",
                           kv->section, kv->key, nd.msg);
    return LC_OK;
}

/* ---- one distribution section ---------------------------------------------- */
enum { K_TYPE, K_LOW, K_HIGH, K_MEAN, K_SD, K_MU, K_SIGMA, K_MEDIAN, K_GSD, K_MODE,
       K_VALUES, K_WEIGHTS, K_BASE, K_TLOW, K_THIGH, K_COUNT };
static const char *const dist_keys[K_COUNT] = {
    "type", "low", "high", "mean", "sd", "mu", "sigma", "median", "gsd", "mode",
    "values", "weights", "base", "tornado_low", "tornado_high"};

static int gpu_index(const lc_dist *t, const char *name)
{
    for (int i = 0; i < t->n_choices; i++)
        if (strcasecmp(t->labels[i], name) == 0)
            return i;
    return -1;
}

static lc_status parse_dist(ctx *c, lc_dist *t, const char *name, const lc_spec *s,
                            const lc_catalog *cat)
{
    const lc_spec_kv *kv[K_COUNT] = {0};
    char sec[LC_NAME_MAX + 16], hint[96];
    snprintf(sec, sizeof sec, "distribution.%s", name);
    int first_line = 0;
    for (int i = 0; i < s->n_extra; i++) {
        const lc_spec_kv *e = &s->extra[i];
        if (strcmp(e->section, sec) != 0)
            continue;
        if (!first_line)
            first_line = e->line;
        int k = -1;
        for (int j = 0; j < K_COUNT; j++)
            if (strcmp(e->key, dist_keys[j]) == 0)
                k = j;
        if (k < 0) {
            suggest(e->key, dist_keys, K_COUNT, hint, sizeof hint);
            return lc_diag_set(c->d, LC_EINVAL, c->file, e->line,
                               "[%s]: unknown key '%s'%s", sec, e->key, hint);
        }
        if (kv[k])
            return lc_diag_set(c->d, LC_EINVAL, c->file, e->line,
                               "[%s]: '%s' given twice (first on line %d)", sec, e->key,
                               kv[k]->line);
        kv[k] = e;
    }

    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->line = kv[K_TYPE] ? kv[K_TYPE]->line : first_line;
    t->lo = -HUGE_VAL;
    t->hi = HUGE_VAL;
    t->base = t->swing_lo = t->swing_hi = NAN;
    if (strcmp(name, "gpu") == 0) {
        t->input = LC_FACTOR_GPU;
    } else if (strcmp(name, "arch") == 0) {
        t->input = LC_FACTOR_ARCH;
    } else {
        t->input = lc_input_find(name);
        if (t->input < 0) {
            const char *names[LC_IN_COUNT + 2];
            for (int i = 0; i < LC_IN_COUNT; i++)
                names[i] = lc_inputs[i].name;
            names[LC_IN_COUNT] = "gpu";
            names[LC_IN_COUNT + 1] = "arch";
            suggest(name, names, LC_IN_COUNT + 2, hint, sizeof hint);
            return lc_diag_set(c->d, LC_ENOTFOUND, c->file, first_line,
                               "[%s]: unknown input '%s'%s", sec, name, hint);
        }
    }
    if (!kv[K_TYPE])
        return lc_diag_set(c->d, LC_EINVAL, c->file, first_line,
                           "[%s]: missing 'type' (uniform, loguniform, normal, "
                           "lognormal, triangular, choice)", sec);
    static const char *const types[] = {"uniform", "loguniform", "normal", "lognormal",
                                        "triangular", "choice"};
    int ty = -1;
    for (int j = 0; j < 6; j++)
        if (strcasecmp(kv[K_TYPE]->value, types[j]) == 0)
            ty = j;
    if (ty < 0) {
        suggest(kv[K_TYPE]->value, types, 6, hint, sizeof hint);
        return lc_diag_set(c->d, LC_EINVAL, c->file, kv[K_TYPE]->line,
                           "[%s]: unknown distribution type '%s'%s (expected uniform, "
                           "loguniform, normal, lognormal, triangular, choice)",
                           sec, kv[K_TYPE]->value, hint);
    }
    t->type = (lc_dist_type)ty;
    if (t->input == LC_FACTOR_GPU && t->type != LC_DIST_CHOICE)
        return lc_diag_set(c->d, LC_EINVAL, c->file, t->line,
                           "[%s]: gpu takes type = choice with values = GPU names", sec);
    if (t->input == LC_FACTOR_ARCH && t->type != LC_DIST_CHOICE)
        return lc_diag_set(c->d, LC_EINVAL, c->file, t->line,
                           "[%s]: arch takes type = choice with values = architecture names",
                           sec);
    for (int k = 0; k < LC_ARCH_FIELDS; k++)
        t->arch_input[k] = t->input == LC_FACTOR_ARCH ? lc_arch_field_input(k) : -1;

    /* which keys each type needs (n) and allows (a) */
    unsigned need = 0, allow = (1u << K_TYPE) | (1u << K_BASE) | (1u << K_TLOW) | (1u << K_THIGH);
    switch (t->type) {
    case LC_DIST_UNIFORM:
    case LC_DIST_LOGUNIFORM: need = (1u << K_LOW) | (1u << K_HIGH); break;
    case LC_DIST_NORMAL:
        need = (1u << K_MEAN) | (1u << K_SD);
        allow |= (1u << K_LOW) | (1u << K_HIGH);
        break;
    case LC_DIST_LOGNORMAL:
        allow |= (1u << K_LOW) | (1u << K_HIGH) | (1u << K_MU) | (1u << K_SIGMA) |
                 (1u << K_MEDIAN) | (1u << K_GSD);
        break;
    case LC_DIST_TRIANGULAR: need = (1u << K_LOW) | (1u << K_HIGH) | (1u << K_MODE); break;
    case LC_DIST_CHOICE:
        need = 1u << K_VALUES;
        allow |= 1u << K_WEIGHTS;
        break;
    }
    allow |= need;
    for (int j = 0; j < K_COUNT; j++) {
        if ((need & (1u << j)) && !kv[j])
            return lc_diag_set(c->d, LC_EINVAL, c->file, t->line,
                               "[%s]: %s needs '%s'", sec, types[ty], dist_keys[j]);
        if (kv[j] && !(allow & (1u << j)))
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv[j]->line,
                               "[%s]: '%s' does not apply to a %s distribution", sec,
                               dist_keys[j], types[ty]);
    }
    lc_status st = LC_OK;
    double v;
    switch (t->type) {
    case LC_DIST_UNIFORM:
    case LC_DIST_LOGUNIFORM:
    case LC_DIST_TRIANGULAR:
        if ((st = num(c, kv[K_LOW], &t->p1)) || (st = num(c, kv[K_HIGH], &t->p2)))
            return st;
        if (kv[K_MODE] && (st = num(c, kv[K_MODE], &t->mode)))
            return st;
        break;
    case LC_DIST_NORMAL:
        if ((st = num(c, kv[K_MEAN], &t->p1)) || (st = num(c, kv[K_SD], &t->p2)))
            return st;
        break;
    case LC_DIST_LOGNORMAL: {
        int musig = kv[K_MU] && kv[K_SIGMA], medg = kv[K_MEDIAN] && kv[K_GSD];
        if (musig == medg || (musig && (kv[K_MEDIAN] || kv[K_GSD])) ||
            (medg && (kv[K_MU] || kv[K_SIGMA])))
            return lc_diag_set(c->d, LC_EINVAL, c->file, t->line,
                               "[%s]: lognormal needs either 'mu' and 'sigma' (of ln x) "
                               "or 'median' and 'gsd' (geometric sd, > 1)", sec);
        if (musig) {
            if ((st = num(c, kv[K_MU], &t->p1)) || (st = num(c, kv[K_SIGMA], &t->p2)))
                return st;
        } else {
            double med, gsd;
            if ((st = num(c, kv[K_MEDIAN], &med)) || (st = num(c, kv[K_GSD], &gsd)))
                return st;
            if (!(med > 0.0) || !(gsd > 1.0))
                return lc_diag_set(c->d, LC_EINVAL, c->file, kv[K_MEDIAN]->line,
                                   "[%s]: lognormal needs median > 0 and gsd > 1 (got %g, %g)",
                                   sec, med, gsd);
            t->p1 = log(med);
            t->p2 = log(gsd);
        }
        break;
    }
    case LC_DIST_CHOICE: {
        char items[LC_DIST_MAX_CHOICES][LC_NAME_MAX];
        int n;
        if (split_list(kv[K_VALUES]->value, items, LC_DIST_MAX_CHOICES, &n) != 0)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv[K_VALUES]->line,
                               "[%s]: values: expected 1 to %d comma-separated items",
                               sec, LC_DIST_MAX_CHOICES);
        t->n_choices = n;
        for (int i = 0; i < n; i++) {
            t->cum[i] = 1.0;
            if (t->input == LC_FACTOR_GPU) {
                const lc_gpu *g = cat ? lc_catalog_gpu(cat, items[i]) : NULL;
                const lc_gpu *ge = cat ? lc_catalog_gpu_entry(cat, items[i]) : NULL;
                if (!g && ge) /* in the catalogue, not priced at the --price-date */
                    return lc_diag_set(c->d, LC_ENOTFOUND, c->file, kv[K_VALUES]->line,
                                       "[%s]: %s", sec, ge->select_error);
                if (!g) {
                    const char *names[64];
                    int ng = 0;
                    for (int j = 0; cat && j < cat->n_gpus && ng < 64; j++)
                        names[ng++] = cat->gpus[j].name;
                    suggest(items[i], names, ng, hint, sizeof hint);
                    return lc_diag_set(c->d, LC_ENOTFOUND, c->file, kv[K_VALUES]->line,
                                       "[%s]: unknown GPU '%s'%s", sec, items[i], hint);
                }
                snprintf(t->labels[i], LC_NAME_MAX, "%s", g->name);
                t->gpu[i] = lc_gpu_values_of(g);
                t->values[i] = i;
            } else if (t->input == LC_FACTOR_ARCH) {
                const lc_arch *r = cat ? lc_catalog_arch(cat, items[i]) : NULL;
                if (!r) {
                    const char *names[64];
                    int na = 0;
                    for (int j = 0; cat && j < cat->n_archs && na < 64; j++)
                        names[na++] = cat->archs[j].name;
                    suggest(items[i], names, na, hint, sizeof hint);
                    return lc_diag_set(c->d, LC_ENOTFOUND, c->file, kv[K_VALUES]->line,
                                       "[%s]: unknown architecture '%s'%s", sec, items[i], hint);
                }
                snprintf(t->labels[i], LC_NAME_MAX, "%s", r->name);
                double av[LC_IN_COUNT];
                lc_inputs_default(av);
                lc_arch_apply(r, av, NULL, 1); /* a choice sets every input an axis would */
                for (int k = 0; k < LC_ARCH_FIELDS; k++) {
                    int in = t->arch_input[k];
                    t->arch[i][k] = in < 0 ? 0 : av[in];
                    lc_diag nd;
                    if (in >= 0 && lc_input_check((lc_input)in, t->arch[i][k], &nd) != LC_OK)
                        return lc_diag_set(c->d, LC_ERANGE, c->file, kv[K_VALUES]->line,
                                           "[%s]: arch %s: %s", sec, r->name, nd.msg);
                }
                t->values[i] = i;
            } else {
                lc_diag nd;
                if (!(t->input >= 0 &&
                      lc_input_keyword((lc_input)t->input, items[i], &t->values[i])) &&
                    lc_parse_number(items[i], &t->values[i], &nd) != LC_OK)
                    return lc_diag_set(c->d, LC_ESYNTAX, c->file, kv[K_VALUES]->line,
                                       "[%s]: values: %s", sec, nd.msg);
            }
        }
        if (kv[K_WEIGHTS]) {
            char w[LC_DIST_MAX_CHOICES][LC_NAME_MAX];
            int nw;
            if (split_list(kv[K_WEIGHTS]->value, w, LC_DIST_MAX_CHOICES, &nw) != 0 || nw != n)
                return lc_diag_set(c->d, LC_EINVAL, c->file, kv[K_WEIGHTS]->line,
                                   "[%s]: weights: expected %d comma-separated numbers, "
                                   "one per value", sec, n);
            for (int i = 0; i < n; i++) {
                lc_diag nd;
                if (lc_parse_number(w[i], &t->cum[i], &nd) != LC_OK)
                    return lc_diag_set(c->d, LC_ESYNTAX, c->file, kv[K_WEIGHTS]->line,
                                       "[%s]: weights: %s", sec, nd.msg);
            }
        }
        break;
    }
    }
    if (kv[K_LOW] && (t->type == LC_DIST_NORMAL || t->type == LC_DIST_LOGNORMAL)) {
        if ((st = num(c, kv[K_LOW], &t->lo)))
            return st;
        t->truncated = 1;
    }
    if (kv[K_HIGH] && (t->type == LC_DIST_NORMAL || t->type == LC_DIST_LOGNORMAL)) {
        if ((st = num(c, kv[K_HIGH], &t->hi)))
            return st;
        t->truncated = 1;
    }
    /* base / tornado ends: numbers, or names for the gpu and arch factors */
    double *dst[3] = {&t->base, &t->swing_lo, &t->swing_hi};
    int keys[3] = {K_BASE, K_TLOW, K_THIGH};
    for (int j = 0; j < 3; j++) {
        if (!kv[keys[j]])
            continue;
        if (LC_FACTOR_NAMED(t)) {
            int gi = gpu_index(t, kv[keys[j]]->value);
            if (gi < 0)
                return lc_diag_set(c->d, LC_EINVAL, c->file, kv[keys[j]]->line,
                                   "[%s]: %s: '%s' is not one of the values", sec,
                                   dist_keys[keys[j]], kv[keys[j]]->value);
            *dst[j] = gi;
        } else {
            if ((st = num(c, kv[keys[j]], &v)))
                return st;
            *dst[j] = v;
        }
    }
    return lc_dist_finish(t, c->file, c->d);
}

/* ---- [sensitivity] ------------------------------------------------------------ */
static const char *const sens_keys[] = {
    "method", "methods", "samples", "seed", "outputs", "percentiles", "trajectories",
    "levels", "bootstrap", "confidence", "second_order", "store_samples", "threads",
    "design", "replicates"};
#define N_SENS_KEYS (sizeof sens_keys / sizeof sens_keys[0])

static lc_status parse_bool(ctx *c, const lc_spec_kv *kv, int *out)
{
    const char *v = kv->value;
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on"))
        *out = 1;
    else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off"))
        *out = 0;
    else
        return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                           "[%s]: %s: expected yes or no, got '%s'", kv->section, kv->key, v);
    return LC_OK;
}

static lc_status parse_count(ctx *c, const lc_spec_kv *kv, double min, double max, double *out)
{
    lc_status st = num(c, kv, out);
    if (st)
        return st;
    if (!(*out >= min && *out <= max) || *out != floor(*out))
        return lc_diag_set(c->d, LC_ERANGE, c->file, kv->line,
                           "[%s]: %s: expected a whole number in [%g, %g], got %s", kv->section,
                           kv->key, min, max, kv->value);
    return LC_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static lc_status parse_sens(ctx *c, lc_sens_problem *p, const lc_spec_kv *kv)
{
    lc_status st;
    double v;
    char hint[96];
    if (!strcmp(kv->key, "method") || !strcmp(kv->key, "methods")) {
        lc_diag md;
        if (lc_sens_parse_methods(kv->value, &p->methods, &md) != LC_OK)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line, "[%s]: %s", kv->section, md.msg);
        p->methods_given = 1;
    } else if (!strcmp(kv->key, "design")) {
        lc_diag md;
        if (lc_sens_parse_design(kv->value, &p->design, &md) != LC_OK)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line, "[%s]: design: %s", kv->section,
                               md.msg);
    } else if (!strcmp(kv->key, "replicates")) {
        if ((st = parse_count(c, kv, 1, LC_SENS_MAX_REPS, &v)))
            return st;
        p->replicates = (int)v;
    } else if (!strcmp(kv->key, "samples")) {
        if ((st = parse_count(c, kv, 16, 1e9, &v)))
            return st;
        p->samples = (size_t)v;
    } else if (!strcmp(kv->key, "seed")) {
        lc_diag sd; /* exact over 0 .. 2^64-1: a double would merge seeds above 2^53 */
        if (lc_parse_u64(kv->value, &p->seed, &sd) != LC_OK)
            return lc_diag_set(c->d, LC_ERANGE, c->file, kv->line,
                               "[sensitivity]: seed: expected a whole number in [0, "
                               "18446744073709551615]: %s", sd.msg);
    } else if (!strcmp(kv->key, "trajectories")) {
        if ((st = parse_count(c, kv, 2, 1e7, &v)))
            return st;
        p->trajectories = (int)v;
    } else if (!strcmp(kv->key, "levels")) {
        if ((st = parse_count(c, kv, 2, 1000, &v)))
            return st;
        if ((int)v % 2)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                               "[%s]: levels: Morris needs an even number of levels", kv->section);
        p->levels = (int)v;
    } else if (!strcmp(kv->key, "bootstrap")) {
        if ((st = parse_count(c, kv, 0, 100000, &v)))
            return st;
        p->bootstrap = (int)v;
    } else if (!strcmp(kv->key, "threads")) {
        if ((st = parse_count(c, kv, 0, 4096, &v)))
            return st;
        p->threads = (int)v;
    } else if (!strcmp(kv->key, "confidence")) {
        if ((st = num(c, kv, &v)))
            return st;
        if (!(v > 0.0 && v < 1.0))
            return lc_diag_set(c->d, LC_ERANGE, c->file, kv->line,
                               "[%s]: confidence: expected a level in (0, 1), e.g. 0.95", kv->section);
        p->confidence = v;
    } else if (!strcmp(kv->key, "second_order")) {
        return parse_bool(c, kv, &p->second_order);
    } else if (!strcmp(kv->key, "store_samples")) {
        return parse_bool(c, kv, &p->store_samples);
    } else if (!strcmp(kv->key, "outputs")) {
        char items[LC_OUT_MAX][LC_NAME_MAX];
        int n;
        if (split_list(kv->value, items, LC_OUT_MAX, &n) != 0)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                               "[%s]: outputs: expected a comma-separated list of outputs "
                               "and formulas", kv->section);
        for (int i = 0; i < n; i++) {
            int o = lc_sens_output_find(p->fs, items[i], hint, sizeof hint);
            if (o < 0)
                return lc_diag_set(c->d, LC_ENOTFOUND, c->file, kv->line,
                                   "[%s]: unknown output '%s'%s", kv->section, items[i], hint);
            p->outs[i] = o;
        }
        p->n_outs = n;
    } else if (!strcmp(kv->key, "percentiles")) {
        char items[LC_SENS_MAX_PCTS][LC_NAME_MAX];
        int n;
        if (split_list(kv->value, items, LC_SENS_MAX_PCTS - 3, &n) != 0)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                               "[%s]: percentiles: expected up to %d numbers in [0, 100]", kv->section,
                               LC_SENS_MAX_PCTS - 3);
        for (int i = 0; i < n; i++) {
            lc_diag nd;
            if (lc_parse_number(items[i], &v, &nd) != LC_OK || !(v >= 0.0 && v <= 100.0))
                return lc_diag_set(c->d, LC_ERANGE, c->file, kv->line,
                                   "[%s]: percentiles: '%s' is not a number in [0, 100]", kv->section,
                                   items[i]);
            int dup = 0;
            for (int j = 0; j < p->n_pcts; j++)
                dup |= p->pcts[j] == v;
            if (!dup)
                p->pcts[p->n_pcts++] = v;
        }
        qsort(p->pcts, (size_t)p->n_pcts, sizeof p->pcts[0], cmp_double);
    } else {
        suggest(kv->key, sens_keys, (int)N_SENS_KEYS, hint, sizeof hint);
        return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                           "[%s]: unknown key '%s'%s", kv->section, kv->key, hint);
    }
    return LC_OK;
}

/* Which of the GPU's four inputs the spec's [inputs] gives explicitly: the
 * spec keeps only the resulting values, so its text is read again. */
/* Every input given in [inputs]: a gpu or arch factor leaves them alone. */
static lc_status given_key(void *user, const char *section, const char *key,
                           const char *value, int line, lc_diag *d)
{
    (void)value;
    (void)line;
    (void)d;
    lc_inmask *m = user;
    int i = strcmp(section, "inputs") == 0 ? lc_input_find(key) : -1;
    if (i >= 0)
        *m |= LC_BIT(i);
    return LC_OK;
}

/* ---- [correlation] ------------------------------------------------------------ */
static int factor_index(const lc_sens_problem *p, const char *name)
{
    for (int f = 0; f < p->k; f++)
        if (strcmp(p->factors[f].name, name) == 0)
            return f;
    return -1;
}

/* "a, b = r" lines: rank correlations between two distributed inputs. */
static lc_status parse_corr(ctx *c, lc_sens_problem *p, const lc_spec *s)
{
    int set[LC_SENS_MAX_FACTORS][LC_SENS_MAX_FACTORS];
    memset(set, 0, sizeof set);
    for (int i = 0; i < s->n_extra; i++) {
        const lc_spec_kv *kv = &s->extra[i];
        if (strcmp(kv->section, "correlation") != 0)
            continue;
        if (!p->corr_line)
            p->corr_line = kv->line;
        char items[2][LC_NAME_MAX];
        int n, f[2];
        if (split_list(kv->key, items, 2, &n) != 0 || n != 2)
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                               "[correlation]: expected 'INPUT, INPUT = r' (e.g. params, "
                               "tokens = 0.6), got '%s'", kv->key);
        for (int j = 0; j < 2; j++) {
            f[j] = factor_index(p, items[j]);
            if (f[j] < 0)
                return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                                   "[correlation]: '%s' has no [distribution.%s] section: "
                                   "only distributed inputs can be correlated", items[j],
                                   items[j]);
            if (LC_FACTOR_NAMED(&p->factors[f[j]]))
                return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                                   "[correlation]: %s is a choice of names, which has no "
                                   "ranks to correlate", p->factors[f[j]].name);
        }
        if (f[0] == f[1])
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                               "[correlation]: '%s' with itself", items[0]);
        if (set[f[0]][f[1]])
            return lc_diag_set(c->d, LC_EINVAL, c->file, kv->line,
                               "[correlation]: %s, %s given twice (first on line %d)", items[0],
                               items[1], set[f[0]][f[1]]);
        double v;
        lc_diag nd;
        if (lc_parse_number(kv->value, &v, &nd) != LC_OK || !(v > -1.0 && v < 1.0))
            return lc_diag_set(c->d, LC_ERANGE, c->file, kv->line,
                               "[correlation]: %s, %s: expected a rank correlation in "
                               "(-1, 1), got '%s'", items[0], items[1], kv->value);
        set[f[0]][f[1]] = set[f[1]][f[0]] = kv->line;
        p->corr[f[0]][f[1]] = p->corr[f[1]][f[0]] = v;
        if (v != 0.0)
            p->correlated = 1;
    }
    if (p->correlated) {
        double *L = malloc(sizeof(double) * (size_t)p->k * (size_t)p->k);
        if (!L)
            return lc_diag_set(c->d, LC_ENOMEM, c->file, p->corr_line, "out of memory");
        lc_status st = lc_sens_corr_factor(p, L, c->file, c->d);
        free(L);
        if (st != LC_OK)
            return st;
    }
    return LC_OK;
}

/* The factors, rules, outputs and correlations of a spec; `own` is the
 * section with the method's keys ("sensitivity" or "uncertainty"), whose
 * allowed keys are keys[0..n_keys). */
static lc_status build(lc_sens_problem *p, const lc_spec *s, const lc_catalog *cat,
                       lc_diag *d, const char *own, const char *const *keys, int n_keys)
{
    ctx c = {s->path[0] ? s->path : "spec", d};
    lc_status st;
    char hint[96];
    lc_sens_problem_init(p);
    memcpy(p->fixed, s->fixed, sizeof p->fixed);
    p->tokens_chinchilla = s->tokens_chinchilla;
    p->util_infer_follows_util = s->util_infer_follows_util;
    p->threads = s->threads;   /* [sweep] threads; [sensitivity] threads wins */
    /* [formulas]: outputs too (the spec parser bound them); none: NULL, so
     * a problem without formulas does not point into the spec */
    p->fs = s->formulas.n > 0 ? &s->formulas : NULL;

    for (int i = 0; i < s->n_extra; i++) {
        const lc_spec_kv *e = &s->extra[i];
        if (strncmp(e->section, "distribution.", 13) == 0) {
            const char *name = e->section + 13;
            if (factor_index(p, name) >= 0)
                continue;
            if (p->k >= LC_SENS_MAX_FACTORS)
                return lc_diag_set(d, LC_ERANGE, c.file, e->line,
                                   "at most %d distributions", LC_SENS_MAX_FACTORS);
            if ((st = parse_dist(&c, &p->factors[p->k], name, s, cat)) != LC_OK)
                return st;
            p->k++;
        } else if (strcmp(e->section, own) == 0) {
            int known = 0;
            for (int j = 0; j < n_keys; j++)
                known |= strcmp(e->key, keys[j]) == 0;
            if (!known) {
                suggest(e->key, keys, n_keys, hint, sizeof hint);
                return lc_diag_set(d, LC_EINVAL, c.file, e->line, "[%s]: unknown key '%s'%s",
                                   own, e->key, hint);
            }
            if ((st = parse_sens(&c, p, e)) != LC_OK)
                return st;
        }
    }
    if (p->k == 0)
        return lc_diag_set(d, LC_EINVAL, c.file, 0,
                           "no [distribution.NAME] section: nothing is uncertain "
                           "(e.g. [distribution.params] type = loguniform, low = 1T, high = 2.5T)");

    /* rules of the spec that a factor overrides or conflicts with */
    lc_inmask dist_mask = 0;
    for (int f = 0; f < p->k; f++) {
        const lc_dist *t = &p->factors[f];
        if (t->input >= 0)
            dist_mask |= LC_BIT(t->input);
        else if (t->input == LC_FACTOR_ARCH) {
            for (int k = 0; k < LC_ARCH_FIELDS; k++)
                if (t->arch_input[k] >= 0)
                    dist_mask |= LC_BIT(t->arch_input[k]);
        } else
            for (int k = 0; k < LC_GPU_INPUTS; k++)
                dist_mask |= LC_BIT(lc_gpu_inputs[k]);
        if (t->input == LC_IN_TOKENS && p->tokens_chinchilla)
            return lc_diag_set(d, LC_EINVAL, c.file, t->line,
                               "[distribution.tokens] conflicts with tokens = chinchilla");
        if (t->input == LC_IN_UTIL_INFER)
            p->util_infer_follows_util = 0;
    }
    int named = 0;
    for (int f = 0; f < p->k; f++)
        named |= LC_FACTOR_NAMED(&p->factors[f]);
    if (named && s->text) {
        lc_diag pd;
        lc_inmask given = 0, gpu = 0;
        if (lc_ini_parse_text(s->text, s->text_len, c.file, given_key, &given, &pd) != LC_OK)
            given = 0;   /* the spec parser read it already: cannot fail */
        for (int i = 0; i < LC_GPU_INPUTS; i++)
            gpu |= LC_BIT(lc_gpu_inputs[i]);
        p->gpu_pinned = given & gpu;
        p->arch_pinned = given;
    }
    /* a GPU choice that does not state its power or price needs that input
     * given or distributed (a default would be a silent wrong energy or cost) */
    for (int k = 0; k < LC_GPU_INPUTS; k++) {
        if (!lc_gpu_input_needed(k))
            continue;
        int in = lc_gpu_inputs[k], given = (p->gpu_pinned & LC_BIT(in)) != 0;
        for (int f = 0; f < p->k; f++)
            given |= p->factors[f].input == in;
        for (int f = 0; f < p->k; f++)
            for (int ch = 0; p->factors[f].input == LC_FACTOR_GPU && ch < p->factors[f].n_choices;
                 ch++)
                if (isnan(p->factors[f].gpu[ch].v[k]) && !given) {
                    char why[320];
                    return lc_diag_set(d, LC_EINVAL, c.file, p->factors[f].line, "%s",
                                       lc_gpu_missing_text(k, p->factors[f].labels[ch], why,
                                                           sizeof why));
                }
    }
    dist_mask = lc_rules_reach(lc_sens_rules(p), dist_mask);

    if (p->n_outs == 0) {   /* default: every output and formula an uncertain input moves */
        for (int o = 0; o < LC_OUT_COUNT + (p->fs ? p->fs->n : 0); o++)
            if (lc_formulas_output_depends(p->fs, o) & dist_mask)
                p->outs[p->n_outs++] = o;
    }
    for (int o = 0; o < p->n_outs; o++)
        if (!(lc_formulas_output_depends(p->fs, p->outs[o]) & dist_mask)) {
            int line = 0;
            for (int i = 0; i < s->n_extra; i++)
                if (!strcmp(s->extra[i].section, own) && !strcmp(s->extra[i].key, "outputs"))
                    line = s->extra[i].line;
            return lc_diag_set(d, LC_EINVAL, c.file, line,
                               "[%s]: output '%s' depends on no distributed input", own,
                               lc_sens_output_name(p, o));
        }
    return parse_corr(&c, p, s);
}

lc_status lc_sens_problem_from_spec(lc_sens_problem *p, const lc_spec *s,
                                    const lc_catalog *cat, lc_diag *d)
{
    const char *file = s->path[0] ? s->path : "spec";
    lc_status st;
    if (s->n_axes > 0)
        return lc_diag_set(d, LC_EINVAL, file, s->axes[0].line,
                           "sensitivity takes no [axes]: give '%s' a [distribution.%s] "
                           "section or a fixed value in [inputs]", s->axes[0].name,
                           s->axes[0].name);
    if ((st = build(p, s, cat, d, "sensitivity", sens_keys, (int)N_SENS_KEYS)) != LC_OK)
        return st;
    if (p->correlated) {
        /* Sobol and Morris assume independent inputs: without a method list
         * the analysis is the one that samples the correlation */
        if (!p->methods_given)
            p->methods = LC_SENS_MC | LC_SENS_TORNADO;
        else if (p->methods & (LC_SENS_SOBOL | LC_SENS_MORRIS))
            return lc_diag_set(d, LC_EINVAL, file, p->corr_line,
                               "[correlation]: %s indices are defined for independent inputs "
                               "only: use method = mc, tornado with correlated inputs, or "
                               "drop the correlation",
                               (p->methods & LC_SENS_SOBOL) ? "Sobol" : "Morris");
    }
    if ((p->methods & LC_SENS_SOBOL) && p->design == LC_SOBOL_UNSCRAMBLED &&
        (st = lc_sens_sobol_dims_check(p->k, d)) != LC_OK) {
        d->line = 0;
        snprintf(d->file, sizeof d->file, "%s", file);
        return st;
    }
    return LC_OK;
}

/* ---- [uncertainty] of a sweep ---------------------------------------------- */
/* A header "[uncertainty]" (the spec keeps only sections with keys, and an
 * empty [uncertainty] means the defaults). */
static lc_status unc_header(void *user, const char *name, size_t len, int closed, int line,
                            lc_diag *d)
{
    (void)line;
    (void)d;
    char buf[32];
    size_t i = 0;
    while (len && isspace((unsigned char)*name))
        name++, len--;
    while (len && isspace((unsigned char)name[len - 1]))
        len--;
    if (closed && len < sizeof buf) {
        for (; i < len; i++)
            buf[i] = name[i];
        buf[i] = '\0';
        if (strcmp(buf, "uncertainty") == 0)
            *(int *)user = 1;
    }
    return LC_OK;
}

int lc_sens_bands_wanted(const lc_spec *s)
{
    for (int i = 0; i < s->n_extra; i++)
        if (strcmp(s->extra[i].section, "uncertainty") == 0)
            return 1;
    int found = 0;
    lc_diag d;
    if (s->text)
        lc_ini_scan_headers(s->text, s->text_len, unc_header, &found, &d);
    return found;
}

lc_status lc_sens_bands_from_spec(lc_sens_problem *p, const lc_spec *s,
                                  const lc_catalog *cat, lc_diag *d)
{
    static const char *const keys[] = {"samples", "seed", "percentiles", "outputs",
                                       "threads", "store_samples"};
    const char *file = s->path[0] ? s->path : "spec";
    int line = 0, pct_given = 0;
    for (int i = 0; i < s->n_extra; i++)
        if (strcmp(s->extra[i].section, "uncertainty") == 0) {
            line = line ? line : s->extra[i].line;
            pct_given |= strcmp(s->extra[i].key, "percentiles") == 0;
        }
    lc_status st = build(p, s, cat, d, "uncertainty", keys, 6);
    if (st != LC_OK)
        return st;
    p->methods = 0;
    if (pct_given) {   /* the band's percentiles are the listed ones, not 5/50/95 + them */
        int n = 0;
        double v[LC_SENS_MAX_PCTS] = {0};
        for (int i = 0; i < s->n_extra; i++) {
            const lc_spec_kv *kv = &s->extra[i];
            if (strcmp(kv->section, "uncertainty") || strcmp(kv->key, "percentiles"))
                continue;
            char items[LC_SENS_MAX_PCTS][LC_NAME_MAX];
            int m;
            if (split_list(kv->value, items, LC_SENS_MAX_PCTS, &m) != 0)
                return lc_diag_set(d, LC_EINVAL, file, kv->line,
                                   "[uncertainty]: percentiles: expected 1 to %d numbers",
                                   LC_SENS_MAX_PCTS);
            for (int j = 0; j < m; j++) {
                lc_diag nd;
                double x;
                if (lc_parse_number(items[j], &x, &nd) != LC_OK || !(x >= 0 && x <= 100))
                    return lc_diag_set(d, LC_ERANGE, file, kv->line,
                                       "[uncertainty]: percentiles: '%s' is not a number in "
                                       "[0, 100]", items[j]);
                int dup = 0;
                for (int q = 0; q < n; q++)
                    dup |= v[q] == x;
                if (!dup)
                    v[n++] = x;
            }
        }
        qsort(v, (size_t)n, sizeof v[0], cmp_double);
        memcpy(p->pcts, v, sizeof(double) * (size_t)n);
        p->n_pcts = n;
    }
    int samples_given = 0;
    for (int i = 0; i < s->n_extra; i++)
        samples_given |= !strcmp(s->extra[i].section, "uncertainty") &&
                         !strcmp(s->extra[i].key, "samples");
    if (!samples_given)
        p->samples = 1000;
    /* an input is either an axis of the grid or uncertain, not both */
    for (int f = 0; f < p->k; f++) {
        const lc_dist *t = &p->factors[f];
        for (int a = 0; a < s->n_axes; a++) {
            const lc_axis *ax = &s->axes[a];
            /* a distribution of one of a GPU's numbers overrides the gpu
             * axis' value (explicit beats catalogue, as in [inputs]) */
            int clash = t->input == LC_FACTOR_GPU ? ax->input < 0 && strcmp(ax->name, "arch")
                                                  : ax->input == t->input;
            for (int k = 0; t->input == LC_FACTOR_ARCH && k < LC_ARCH_FIELDS; k++)
                clash |= (ax->input >= 0 && ax->input == t->arch_input[k]) ||
                         strcmp(ax->name, "arch") == 0;
            if (clash)
                return lc_diag_set(d, LC_EINVAL, file, t->line,
                                   "[distribution.%s]: %s is set by the axis '%s' (line %d): "
                                   "an input is either an axis or uncertain", t->name,
                                   t->name, ax->name, ax->line);
        }
        if (t->input == LC_IN_TOKENS && s->tokens_chinchilla)
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.tokens] conflicts with tokens = chinchilla");
    }
    if (s->n_axes == 0)
        return lc_diag_set(d, LC_EINVAL, file, line,
                           "[uncertainty]: the sweep has no [axes]: for one scenario use "
                           "'llmcost sensitivity --method mc'");
    return LC_OK;
}

unsigned lc_sens_rules(const lc_sens_problem *p)
{
    return (p->tokens_chinchilla ? LC_RULE(LC_RULE_CHINCHILLA) : 0) |
           (p->util_infer_follows_util ? LC_RULE(LC_RULE_UTIL_INFER) : 0);
}
