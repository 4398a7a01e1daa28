/*
 * sweep_report.c - the questions' answers in words and the sweep summary
 * as JSON (sweep_report.h).  A question no point satisfies is said so in
 * words (the file holds NaN; JSON null); long tables are cut in the text
 * (the file and --json hold every row).
 */
#include "cli/sweep_report.h"

#include <math.h>
#include <string.h>

#include "cli/cli_common.h"
#include "model/model.h"
#include "spec/spec_query.h"

#define TEXT_ROWS 20

static void value(FILE *f, double v, const char *unit)
{
    if (isnan(v))
        fprintf(f, "NaN");
    else
        fprintf(f, "%.6g", v);
    if (unit && strcmp(unit, "1") != 0 && unit[0])
        fprintf(f, " %s", unit);
}


static void coords(FILE *f, const lc_spec *s, const uint64_t *c)
{
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        if (ax->labels)
            fprintf(f, "%s%s=%s", a ? ", " : "", ax->name, ax->labels[c[a]]);
        else
            fprintf(f, "%s%s=%.6g", a ? ", " : "", ax->name, ax->values[c[a]]);
    }
}

static void satisfied(FILE *f, const lc_qresult *q)
{
    fprintf(f, "%llu points satisfy the condition (%.4g%%)", (unsigned long long)q->count,
            100.0 * q->share);
}

void lc_report_questions(FILE *f, const lc_spec *s, const lc_sweep_result *r)
{
    if (r->n_q > 0)
        fprintf(f, "questions:\n");
    for (int i = 0; i < r->n_q; i++) {
        const lc_question *q = &s->questions[i];
        const lc_qresult *a = &r->q[i];
        switch (q->kind) {
        case LC_Q_COUNT:
            fprintf(f, "  count %-40s %llu points (%.4g%%)\n", q->text,
                    (unsigned long long)a->count, 100.0 * a->share);
            break;
        case LC_Q_REDUCE: {
            const char *u = lc_query_operand_unit(s, q->obj[0]);
            fprintf(f, "  reduce %s\n    ", q->text);
            satisfied(f, a);
            if (a->count == 0) {
                fprintf(f, ": no point satisfies it, min, max and mean are NaN\n");
                break;
            }
            if (!a->valid) {
                fprintf(f, ", none with a value (all NaN): min, max and mean are NaN\n");
                break;
            }
            fprintf(f, "\n    min  ");
            value(f, a->min, u);
            fprintf(f, "  at ");
            coords(f, s, a->argmin);
            fprintf(f, "\n    max  ");
            value(f, a->max, u);
            fprintf(f, "  at ");
            coords(f, s, a->argmax);
            fprintf(f, "\n    mean ");
            value(f, a->mean, u);
            fprintf(f, "   NaN (no finite value) %llu", (unsigned long long)a->count_nan);
            if (a->count_inf)
                fprintf(f, ", +-inf (overflow) %llu", (unsigned long long)a->count_inf);
            fprintf(f, "\n");
            break;
        }
        case LC_Q_TOP: {
            fprintf(f, "  top %s\n    ", q->text);
            satisfied(f, a);
            if (a->n_top == 0) {
                fprintf(f, ": no point satisfies it (or every value is NaN), no list\n");
                break;
            }
            fprintf(f, "; the %d %s:\n", a->n_top, q->maximise[0] ? "largest" : "smallest");
            for (int k = 0; k < a->n_top && k < TEXT_ROWS; k++) {
                fprintf(f, "    %3d  ", k + 1);
                value(f, a->top_value[k], lc_query_operand_unit(s, q->obj[0]));
                fprintf(f, "  at ");
                coords(f, s, a->top_coord + (size_t)k * (size_t)s->n_axes);
                fprintf(f, "\n");
            }
            if (a->n_top > TEXT_ROWS)
                fprintf(f, "    ... %d more (every row in the file and in --json)\n",
                        a->n_top - TEXT_ROWS);
            break;
        }
        case LC_Q_PARETO: {
            fprintf(f, "  pareto %s\n    ", q->text);
            satisfied(f, a);
            if (a->n_front == 0) {
                fprintf(f, ": no point satisfies it (or every value is NaN), no front\n");
                break;
            }
            fprintf(f, "; the front holds %zu objective vectors:\n", a->n_front);
            for (size_t k = 0; k < a->n_front && k < TEXT_ROWS; k++) {
                fprintf(f, "    ");
                for (int o = 0; o < q->n_obj; o++) {
                    fprintf(f, "%s", o ? ", " : "");
                    value(f, a->front_value[k * (size_t)q->n_obj + (size_t)o],
                          lc_query_operand_unit(s, q->obj[o]));
                }
                fprintf(f, "  at ");
                coords(f, s, a->front_coord + k * (size_t)s->n_axes);
                if (a->front_mult[k] > 1)
                    fprintf(f, " (and %llu more points)",
                            (unsigned long long)(a->front_mult[k] - 1));
                fprintf(f, "\n");
            }
            if (a->n_front > TEXT_ROWS)
                fprintf(f, "    ... %zu more (every row in the file's /pareto and in --json)\n",
                        a->n_front - TEXT_ROWS);
            break;
        }
        case LC_Q_FRONTIER:
            fprintf(f, "  frontier %s\n    over ", q->text);
            for (int j = 0; j < a->fr_rank; j++)
                fprintf(f, "%s%s %llu", j ? " x " : "", s->axes[a->fr_axis[j]].name,
                        (unsigned long long)a->fr_dims[j]);
            if (a->fr_rank == 0)
                fprintf(f, "one point");
            fprintf(f, ": crosses at %llu of %llu points (NaN where it does not)\n",
                    (unsigned long long)a->fr_crossed, (unsigned long long)a->fr_points);
            break;
        }
    }
}

/* ---- JSON ------------------------------------------------------------------ */
static void jcoords(FILE *f, const lc_spec *s, const uint64_t *c)
{
    fputc('{', f);
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        fputs(a ? ", " : "", f);
        lc_json_string(f, ax->name);
        fputs(": ", f);
        if (ax->labels)
            lc_json_string(f, ax->labels[c[a]]);
        else
            lc_json_number(f, ax->values[c[a]]);
    }
    fputc('}', f);
}

static void jkey(FILE *f, const char *k)
{
    fprintf(f, ", \"%s\": ", k);
}

static void jnum(FILE *f, const char *k, double x)
{
    jkey(f, k);
    lc_json_number(f, x);
}

static void ju64(FILE *f, const char *k, uint64_t x)
{
    jkey(f, k);
    fprintf(f, "%llu", (unsigned long long)x);
}

static void jquestion(FILE *f, const lc_spec *s, const lc_question *q, const lc_qresult *a)
{
    static const char *const kinds[] = {"count", "reduce", "top", "pareto", "frontier"};
    fprintf(f, "{\"kind\": \"%s\", \"text\": ", kinds[q->kind]);
    lc_json_string(f, q->text);
    if (q->kind != LC_Q_FRONTIER) {
        ju64(f, "count", a->count);
        jnum(f, "share", a->share);
    }
    if (q->kind == LC_Q_REDUCE) {
        jkey(f, "output");
        lc_json_string(f, lc_query_operand_name(s, q->obj[0]));
        jnum(f, "min", a->min);
        jnum(f, "max", a->max);
        jnum(f, "mean", a->mean);
        ju64(f, "count_nan", a->count_nan);
        ju64(f, "count_inf", a->count_inf);
        jkey(f, "argmin");
        if (a->valid)
            jcoords(f, s, a->argmin);
        else
            fputs("null", f);
        jkey(f, "argmax");
        if (a->valid)
            jcoords(f, s, a->argmax);
        else
            fputs("null", f);
    } else if (q->kind == LC_Q_TOP) {
        jkey(f, "output");
        lc_json_string(f, lc_query_operand_name(s, q->obj[0]));
        fprintf(f, ", \"largest\": %s, \"k\": %d, \"rows\": [", q->maximise[0] ? "true" : "false",
                q->k);
        for (int k = 0; k < a->n_top; k++) {
            fprintf(f, "%s{\"value\": ", k ? ", " : "");
            lc_json_number(f, a->top_value[k]);
            jkey(f, "at");
            jcoords(f, s, a->top_coord + (size_t)k * (size_t)s->n_axes);
            jkey(f, "stored");
            fputc('{', f);
            for (int j = 0; j < s->n_store; j++) {
                fputs(j ? ", " : "", f);
                lc_json_string(f, lc_query_operand_name(s, s->store[j]));
                fputs(": ", f);
                lc_json_number(f, a->top_stored[(size_t)k * (size_t)s->n_store + (size_t)j]);
            }
            fputs("}}", f);
        }
        fputc(']', f);
    } else if (q->kind == LC_Q_PARETO) {
        jkey(f, "objectives");
        fputc('[', f);
        for (int o = 0; o < q->n_obj; o++) {
            fprintf(f, "%s{\"name\": ", o ? ", " : "");
            lc_json_string(f, lc_query_operand_name(s, q->obj[o]));
            fprintf(f, ", \"maximise\": %s}", q->maximise[o] ? "true" : "false");
        }
        fprintf(f, "], \"size\": %zu, \"front\": [", a->n_front);
        for (size_t k = 0; k < a->n_front; k++) {
            fprintf(f, "%s{\"values\": [", k ? ", " : "");
            for (int o = 0; o < q->n_obj; o++) {
                fputs(o ? ", " : "", f);
                lc_json_number(f, a->front_value[k * (size_t)q->n_obj + (size_t)o]);
            }
            fputc(']', f);
            jkey(f, "at");
            jcoords(f, s, a->front_coord + k * (size_t)s->n_axes);
            ju64(f, "points", a->front_mult[k]);
            fputc('}', f);
        }
        fputc(']', f);
    } else if (q->kind == LC_Q_FRONTIER) {
        jkey(f, "over");
        fputc('[', f);
        for (int j = 0; j < a->fr_rank; j++) {
            fputs(j ? ", " : "", f);
            lc_json_string(f, s->axes[a->fr_axis[j]].name);
        }
        fputc(']', f);
        ju64(f, "points", a->fr_points);
        ju64(f, "crossed", a->fr_crossed);
    }
    fputc('}', f);
}

void lc_report_json(FILE *f, const lc_spec *s, const lc_sweep_result *r)
{
    fputs("{\"file\": ", f);
    lc_json_string(f, r->file);
    ju64(f, "grid_points", r->grid_points);
    jkey(f, "axes");
    fputc('[', f);
    for (int a = 0; a < s->n_axes; a++) {
        fprintf(f, "%s{\"name\": ", a ? ", " : "");
        lc_json_string(f, s->axes[a].name);
        fprintf(f, ", \"n\": %zu}", s->axes[a].n);
    }
    fputc(']', f);
    jkey(f, "reductions");
    fputc('[', f);
    for (int i = 0; i < r->n_red; i++) {
        const lc_reduction *rd = &r->red[i];
        fprintf(f, "%s{\"output\": ", i ? ", " : "");
        lc_json_string(f, lc_query_operand_name(s, rd->output));
        jnum(f, "min", rd->min);
        jnum(f, "max", rd->max);
        jnum(f, "mean", rd->mean);
        jkey(f, "argmin");
        if (rd->valid)
            jcoords(f, s, rd->argmin);
        else
            fputs("null", f);
        jkey(f, "argmax");
        if (rd->valid)
            jcoords(f, s, rd->argmax);
        else
            fputs("null", f);
        ju64(f, "count_finite", rd->count_finite);
        ju64(f, "count_nan", rd->count_nan);
        ju64(f, "count_inf", rd->count_inf);
        fputc('}', f);
    }
    fputc(']', f);
    jkey(f, "conditions");
    fputc('[', f);
    for (int i = 0; i < r->n_cond; i++) {
        fprintf(f, "%s{\"condition\": ", i ? ", " : "");
        lc_json_string(f, s->conds[i].text);
        ju64(f, "count", r->cond[i].count);
        jnum(f, "share", r->cond[i].share);
        fputc('}', f);
    }
    fputc(']', f);
    jkey(f, "questions");
    fputc('[', f);
    for (int i = 0; i < r->n_q; i++) {
        fputs(i ? ", " : "", f);
        jquestion(f, s, &s->questions[i], &r->q[i]);
    }
    fputc(']', f);
    jnum(f, "seconds", r->seconds);
    fprintf(f, ", \"threads\": %d, \"isa\": ", r->threads);
    lc_json_string(f, r->isa);
    fputs("}\n", f);
}
