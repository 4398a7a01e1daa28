/*
 * cmd_info.c - 'llmcost info FILE': what a sweep file holds and how it was
 * made: axes (points, range, units), outputs (dimensions, dtype, chunking,
 * filters, units, formula), the reductions of /summary, the price records
 * used and provenance.
 * A file that is not HDF5, or not an llmcost sweep, is an input error.
 * Every HDF5 call is in src/h5/h5_info.c; this file only prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "h5/h5_info.h"

#define CMD "info"

static void usage(FILE *f)
{
    fprintf(f, "Usage: llmcost info FILE\n\n"
               "Describe a sweep file written by 'llmcost sweep': its axes, stored\n"
               "outputs (dimensions, dtype, chunks, filters, units, formula), the\n"
               "reductions and condition counts over the full grid, the price records\n"
               "used, and provenance (llmcost version and commit, creation time, spec).\n\n"
               "Exit status: 0 ok, 1 failure, 2 usage error or not a sweep file.\n");
}

static void print_axis(const lc_h5_axis_desc *a)
{
    if (a->kind == LC_H5_AXIS_MISSING) {
        printf("  %-18s (missing)\n", a->name);
        return;
    }
    printf("  %-18s %6llu  ", a->name, (unsigned long long)a->n);
    switch (a->kind) {
    case LC_H5_AXIS_NAMES:
        printf("%s  (%s)\n", a->readable ? a->names : "(unreadable names)", a->long_name);
        break;
    case LC_H5_AXIS_NUMBERS:
        if (a->readable)
            printf("%.6g .. %.6g", a->first, a->last);
        else
            printf("(unreadable values)");
        printf("  [%s] %s\n", a->units, a->long_name);
        break;
    case LC_H5_AXIS_OTHER:
        printf("(neither numbers nor names)\n");
        break;
    default:
        printf("\n");
    }
}

static void print_output(const lc_h5_output_desc *o)
{
    printf("  %s  [%s] %s\n    dims   ", o->name, o->units, o->long_name);
    if (o->rank == 0)
        printf("(scalar: depends on no axis)");
    for (int j = 0; j < o->rank; j++)
        printf("%s%s %llu", j ? " x " : "", o->dim_name[j], (unsigned long long)o->dims[j]);
    size_t tsz = o->type_size;
    if (o->type_class == 'f' && (tsz == 4 || tsz == 8))
        printf("\n    dtype  float%zu", 8 * tsz);
    else if (o->type_class == 'i')
        printf("\n    dtype  %sint%zu (not written by llmcost: its outputs are floats)",
               o->type_unsigned ? "u" : "", 8 * tsz);
    else
        printf("\n    dtype  %s of %zu bytes (not written by llmcost: its outputs are floats)",
               o->type_class == 'f' ? "float" : o->type_class == 's' ? "string" : "another type",
               tsz);
    if (o->chunked) {
        printf(", chunks ");
        for (int j = 0; j < o->chunk_rank; j++)
            printf("%s%llu", j ? "x" : "", (unsigned long long)o->chunk[j]);
        printf(", filters %s", o->filters);
    }
    printf(", %.3g MB on disk\n", (double)o->storage_bytes / 1e6);
    if (o->formula)
        printf("    formula %s\n", o->formula);
}

/* A number as text: "(unreadable)" when it is missing or cannot be read
 * as a number, never a 0 that looks like a value. */
static const char *num_text(int ok, double v, char *buf, size_t size)
{
    if (!ok)
        return "(unreadable)";
    snprintf(buf, size, "%.6g", v);
    return buf;
}

static const char *u64_text(int ok, uint64_t v, char *buf, size_t size)
{
    if (!ok)
        return "(unreadable)";
    snprintf(buf, size, "%llu", (unsigned long long)v);
    return buf;
}

static void print_summary(const lc_h5_info *fi)
{
    int n = lc_h5_info_n_summary(fi);
    if (n < 0) {
        printf("reductions: none\n");
        return;
    }
    printf("reductions over the full grid:\n");
    for (int i = 0; i < n; i++) {
        const lc_h5_summary_desc *s = lc_h5_info_summary(fi, i);
        char b1[40], b2[40], b3[40], b4[40], b5[40], b6[40];
        if (s->is_condition) {
            printf("  %-32s %s points", s->condition, u64_text(s->count_ok, s->count, b1, sizeof b1));
            if (s->share_ok)
                printf(" (%.4g%%)\n", 100 * s->share);
            else
                printf(" (share unreadable)\n");
            continue;
        }
        printf("  %s [%s]\n    min  %s at %s\n    max  %s at %s\n"
               "    mean %s   finite %s, NaN %s",
               s->name, s->units, num_text(s->min_ok, s->min, b1, sizeof b1), s->argmin,
               num_text(s->max_ok, s->max, b2, sizeof b2), s->argmax,
               num_text(s->mean_ok, s->mean, b3, sizeof b3),
               u64_text(s->count_finite_ok, s->count_finite, b4, sizeof b4),
               u64_text(s->count_nan_ok, s->count_nan, b5, sizeof b5));
        if (s->has_count_inf)
            printf(", +-inf %s", u64_text(s->count_inf_ok, s->count_inf, b6, sizeof b6));
        printf("\n");
    }
}

/* The catalogue records a sweep priced (doc/prices.md), the "prices"
 * attribute: the query (date, kind, provider asked), then one record per
 * line, as `llmcost sweep` printed them. */
static void print_prices(const lc_h5_info *fi)
{
    char *prices = lc_h5_info_attr_dup(fi, "prices");
    if (!prices)
        return;
    printf("prices:\n");
    for (const char *p = prices; *p;) {
        size_t n = strcspn(p, "\n");
        if (n)
            printf("  %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
    free(prices);
}

int lc_cmd_info(int argc, char **argv)
{
    lc_cli_args a;
    const char *path = NULL;
    int r;
    lc_cli_args_init(&a, CMD, argc, argv);
    while ((r = lc_cli_next(&a)) != 0) {
        if (r < 0) {
            if (path) {
                lc_cli_error(CMD, "one FILE expected");
                return 2;
            }
            path = a.arg;
            continue;
        }
        if (lc_cli_is_help(&a)) {
            usage(stdout);
            return 0;
        }
        lc_cli_unknown(&a);
        return 2;
    }
    if (path == NULL) {
        lc_cli_error(CMD, "missing FILE (try 'llmcost info --help')");
        return 2;
    }
    lc_h5_info *fi;
    lc_diag d = {0};
    lc_status st = lc_h5_info_open(&fi, path, &d);
    if (st != LC_OK) {
        lc_cli_report(CMD, st, &d);
        return st == LC_EIO ? 2 : lc_exit_code(st);
    }
    /* an attribute that cannot be read says so */
    static const char *const root[] = {"format", "llmcost_version", "llmcost_commit", "created",
                                       "spec_path", "spec_name", "layout", "isa", "dtype",
                                       "compression", "threads", "grid_points"};
    enum { FMT, VER, COMMIT, CREATED, SPATH, SNAME, LAYOUT, ISA, DTYPE, COMP, THREADS, POINTS, NROOT };
    char v[NROOT][512];
    for (int i = 0; i < NROOT; i++) {
        uint64_t u;
        lc_status ok = i >= THREADS ? lc_h5_info_attr_u64(fi, root[i], &u) /* numbers only */
                                    : lc_h5_info_attr(fi, root[i], v[i], sizeof v[i]);
        if (ok == LC_OK && i >= THREADS)
            snprintf(v[i], sizeof v[i], "%llu", (unsigned long long)u);
        else if (ok != LC_OK)
            snprintf(v[i], sizeof v[i], "%s", i == FMT || i == SPATH || i == SNAME ? "" : "(unreadable)");
    }
    printf("file: %s (%s)\n", path, v[FMT]);
    printf("made by llmcost %s (commit %s), %s\n", v[VER], v[COMMIT], v[CREATED]);
    printf("spec: %s%s%s%s\n", v[SPATH][0] ? v[SPATH] : "(in memory)", v[SNAME][0] ? " (\"" : "",
           v[SNAME], v[SNAME][0] ? "\")" : "");
    printf("run: %s layout, %s, compression %s, %s kernel, %s threads\n", v[LAYOUT], v[DTYPE],
           v[COMP], v[ISA], v[THREADS]);
    printf("grid: %s points\n", v[POINTS]);

    printf("axes (grid order; the last is contiguous):\n");
    for (int i = 0; i < lc_h5_info_n_axes(fi); i++)
        print_axis(lc_h5_info_axis(fi, i));

    printf("outputs:\n");
    for (int i = 0; i < lc_h5_info_n_outputs(fi); i++)
        print_output(lc_h5_info_output(fi, i));
    if (lc_h5_info_n_outputs(fi) == 0)
        printf("  none stored (reductions only)\n");
    print_summary(fi);

    /* fixed inputs */
    int first = 1;
    for (int i = 0; i < lc_h5_info_n_attrs(fi); i++) {
        const char *an = lc_h5_info_attr_name(fi, i);
        if (strncmp(an, "input.", 6) != 0 && strncmp(an, "rule.", 5) != 0)
            continue;
        char sv[128];
        printf("%s%s=%s", first ? "fixed inputs: " : ", ", an + (an[0] == 'i' ? 6 : 0),
               lc_h5_info_attr(fi, an, sv, sizeof sv) == LC_OK ? sv : "(unreadable)");
        first = 0;
    }
    if (!first)
        printf("\n");
    print_prices(fi);
    lc_h5_info_close(fi);
    return 0;
}
