/*
 * fuzz_spec.c - libFuzzer harness for lc_spec_parse_text (src/spec/spec_parse.c)
 * with the built-in catalogue.  Invariants: a failure carries a message, a
 * line within the text and an exit code of 2 (every spec error is the
 * user's) and leaves the spec freed; a success gives 1..LC_MAX_AXES axes of
 * n >= 1 finite points each (a grid whose point count overflows 64 bits
 * must be refused by lc_spec_points, never wrap), outputs and conditions
 * within their tables.  A spec that parses is also turned into a
 * sensitivity problem (its [distribution.*] and [sensitivity] sections):
 * refused with a message and exit code 2, or every factor's quantiles
 * inside (0, 1) are finite and inside its support.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "util/number.h"
#include "sensitivity/sensitivity.h"
#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lc_catalog cat;
static int cat_loaded;

/* A "lin|log START STOP COUNT" axis with COUNT > 1e6: legal (up to 1e9
 * points) but its values take seconds and gigabytes to build, which
 * libFuzzer reports as a timeout or OOM.  Such inputs are skipped. */
static int has_huge_range(const uint8_t *data, size_t size)
{
    char line[256];
    size_t i = 0;
    while (i < size) {
        size_t n = 0;
        while (i < size && data[i] != '\n') {
            if (n < sizeof line - 1)
                line[n++] = (char)data[i];
            i++;
        }
        i++;
        line[n] = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        char *tok[4], *save = NULL;
        int k = 0;
        for (char *t = strtok_r(eq + 1, " \t;", &save); t && k < 4; t = strtok_r(NULL, " \t;", &save))
            tok[k++] = t;
        double c;
        if (k == 4 && (strcmp(tok[0], "lin") == 0 || strcmp(tok[0], "log") == 0) &&
            lc_parse_number(tok[3], &c, NULL) == LC_OK && c > 1e6)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!cat_loaded) {
        lc_diag cd;
        if (lc_catalog_load(&cat, NULL, &cd) != LC_OK)
            abort();
        cat_loaded = 1;
    }
    if (has_huge_range(data, size))
        return 0;
    char *text = malloc(size ? size : 1); /* exact size: no NUL after it */
    if (!text)
        return 0;
    memcpy(text, data, size);
    lc_spec s;
    lc_diag d;
    memset(&d, 0, sizeof d);
    lc_status st = lc_spec_parse_text(&s, text, size, "fuzz.ini", &cat, &d);
    if (st != LC_OK) {
        int lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        if (d.msg[0] == '\0' || d.line < 0 || d.line > lines)
            abort();
        if (st != LC_ENOMEM && lc_exit_code(st) != 2)
            abort();
        if (s.n_axes != 0 || s.text != NULL || s.extra != NULL)
            abort();
        lc_spec_free(&s);
        free(text);
        return 0;
    }
    if (s.n_axes < 0 || s.n_axes > LC_MAX_AXES)
        abort();
    double prod = 1.0;
    for (int a = 0; a < s.n_axes; a++) {
        const lc_axis *ax = &s.axes[a];
        if (ax->n < 1 || !ax->values)
            abort();
        prod *= (double)ax->n;
        for (size_t i = 0; i < ax->n; i++)
            if (!isfinite(ax->values[i]))
                abort();
    }
    uint64_t pts = 0;
    lc_status ps = lc_spec_points(&s, &pts, &d);
    if (ps == LC_OK) {
        if (s.n_axes > 0 && (double)pts != prod && prod < 9e15)
            abort(); /* the product, exactly, while doubles can hold it */
    } else if (ps != LC_ERANGE || prod < 1.8e19) {
        abort(); /* only a real 64-bit overflow may be refused */
    }
    /* outputs are the model's, then the spec's formulas (LC_OUT_COUNT + f) */
    int n_out = LC_OUT_COUNT + s.formulas.n;
    if (s.formulas.n < 0 || s.formulas.n > LC_MAX_FORMULAS || s.n_store < 0 ||
        s.n_store > n_out || s.n_reduce < 0 || s.n_reduce > n_out || s.n_conds < 0 ||
        s.n_conds > LC_MAX_CONDS)
        abort();
    for (int i = 0; i < s.n_store; i++) {
        if (s.store[i] < 0 || s.store[i] >= n_out)
            abort();
        (void)lc_spec_output_axes(&s, s.store[i]);
    }
    for (int i = 0; i < LC_IN_COUNT; i++)
        if (!isfinite(s.fixed[i]))
            abort();
    lc_sens_problem p;
    lc_diag sd;
    memset(&sd, 0, sizeof sd);
    lc_sens_problem_init(&p);
    lc_status ss = lc_sens_problem_from_spec(&p, &s, &cat, &sd);
    if (ss != LC_OK) {
        if (sd.msg[0] == '\0' || (ss != LC_ENOMEM && lc_exit_code(ss) != 2))
            abort();
    } else {
        if (p.k < 0 || p.k > LC_SENS_MAX_FACTORS)
            abort();
        for (int f = 0; f < p.k; f++) {
            static const double qs[] = {1e-9, 0.01, 0.5, 0.99, 1 - 1e-9};
            for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
                double x = lc_dist_quantile(&p.factors[f], qs[i]);
                if (!isfinite(x) || x < p.factors[f].lo || x > p.factors[f].hi)
                    abort();
            }
        }
    }
    lc_spec_free(&s);
    free(text);
    return 0;
}
