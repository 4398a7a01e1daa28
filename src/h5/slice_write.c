/*
 * slice_write.c - write a slice (slice.h) as gnuplot data: text columns
 * with a '#' header, or native float64 records for `binary record=`.
 *
 * Text uses %.17g so a value read back is the same double as in the file
 * (tests/py_slice.py compares exactly); NaN is spelled "NaN", which gnuplot
 * reads as a missing point (no break-even is a hole, not a zero).
 */
#include "h5/slice_read.h"
#include "h5/slice_write.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void put_num(FILE *f, double v)
{
    if (isnan(v))
        fputs("NaN", f);
    else
        fprintf(f, "%.17g", v);
}

static void describe_axis(FILE *f, const char *role, const lc_slice_axis *a)
{
    if (a->labels) /* names (the gpu axis): no units, as in the file */
        fprintf(f, "# %s: %s %s, %zu values", role, a->name, a->long_name, a->n);
    else
        fprintf(f, "# %s: %s [%s] %s, %zu values", role, a->name,
                a->units[0] ? a->units : "1", a->long_name, a->n);
    if (a->n && !a->labels)
        fprintf(f, ", %.6g .. %.6g", a->values[0], a->values[a->n - 1]);
    if (a->broadcast)
        fputs(" (the output does not depend on it: values repeated)", f);
    fputc('\n', f);
    if (a->labels) {
        fprintf(f, "# %s index:", a->name);
        for (size_t i = 0; i < a->n; i++)
            fprintf(f, " %zu=%s", i, a->labels[i]);
        fputc('\n', f);
    }
}

static lc_status check_stream(FILE *f, lc_diag *d)
{
    if (fflush(f) != 0 || ferror(f)) /* errno says why: a full disk, EFBIG, EIO */
        return lc_diag_set(d, LC_EIO, NULL, 0, "write failed: %s", strerror(errno));
    return LC_OK;
}

lc_status lc_slice_write_text(const lc_slice *s, FILE *f, lc_diag *d)
{
    fprintf(f, "# llmcost slice of %s from %s", s->output, s->path);
    if (s->spec_name[0])
        fprintf(f, " (sweep \"%s\")", s->spec_name);
    fputc('\n', f);
    fprintf(f, "# output: %s [%s] %s\n", s->output, s->units[0] ? s->units : "1", s->long_name);
    if (s->dims >= 1)
        describe_axis(f, "x", &s->x);
    if (s->dims == 2)
        describe_axis(f, "y", &s->y);
    if (s->n_fixed) {
        fputs("# fixed:", f);
        for (int i = 0; i < s->n_fixed; i++) {
            const lc_slice_fixed *x = &s->fixed[i];
            if (x->label[0])
                fprintf(f, " %s=%s", x->name, x->label);
            else
                fprintf(f, " %s=%.6g", x->name, x->value);
            fprintf(f, " (#%zu%s)", x->index, x->used ? "" : ", not used by this output");
        }
        fputc('\n', f);
    }
    if (s->inputs[0])
        fprintf(f, "# inputs fixed by the spec: %s\n", s->inputs);
    if (s->has_nan)
        fputs("# NaN: no finite value (no break-even)\n", f);

    if (s->dims == 0) {
        fprintf(f, "# columns: %s\n", s->output);
        put_num(f, s->z[0]);
        fputc('\n', f);
    } else if (s->dims == 1) {
        fprintf(f, "# columns: %s %s%s\n", s->x.name, s->output,
                s->x.labels ? " name" : "");
        for (size_t i = 0; i < s->nx; i++) {
            put_num(f, s->x.values[i]);
            fputc(' ', f);
            put_num(f, s->z[i]);
            if (s->x.labels)
                fprintf(f, " \"%s\"", s->x.labels[i]);
            fputc('\n', f);
        }
    } else {
        fprintf(f, "# columns: %s %s %s (a blank line after each scan of %s)\n",
                s->x.name, s->y.name, s->output, s->x.name);
        for (size_t j = 0; j < s->ny; j++) {
            for (size_t i = 0; i < s->nx; i++) {
                put_num(f, s->x.values[i]);
                fputc(' ', f);
                put_num(f, s->y.values[j]);
                fputc(' ', f);
                put_num(f, s->z[j * s->nx + i]);
                fputc('\n', f);
            }
            fputc('\n', f);
        }
    }
    return check_stream(f, d);
}

lc_status lc_slice_write_binary(const lc_slice *s, FILE *f, lc_diag *d)
{
    double rec[3];
    for (size_t j = 0; j < s->ny; j++)
        for (size_t i = 0; i < s->nx; i++) {
            size_t k = 0;
            if (s->dims >= 1)
                rec[k++] = s->x.values[i];
            if (s->dims == 2)
                rec[k++] = s->y.values[j];
            rec[k++] = s->z[j * s->nx + i];
            if (fwrite(rec, sizeof rec[0], k, f) != k)
                return lc_diag_set(d, LC_EIO, NULL, 0, "write failed");
        }
    return check_stream(f, d);
}
