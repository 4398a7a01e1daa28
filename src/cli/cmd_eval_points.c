/*
 * cmd_eval_points.c - `llmcost eval --points FILE`: an external design (a
 * CSV table of input columns, or HDF5 columns) evaluated on the kernel in
 * batches, with the inputs it does not give fixed by eval's options, and
 * every requested output (built-in or --formula) written as CSV, JSON
 * lines or HDF5 columns (points.h).  A bad row stops the run at FILE:LINE (exit 2):
 * rows of earlier batches may already be on stdout, a file given with
 * --output is removed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_common.h"
#include "cli/cmd_eval_points.h"
#include "grid/points.h"
#include "h5/h5_points.h"
#include "util/path.h"

#define CMD "eval"
#define BATCH 65536

typedef enum { FMT_CSV, FMT_JSONL, FMT_H5 } out_format;

/* The results: CSV or JSON lines on a FILE, or HDF5 columns. */
typedef struct {
    out_format fmt;
    FILE *f;
    const char *path; /* NULL: stdout */
    char partial[LC_PATH_MAX]; /* "" when written in place (stdout, a pipe, a device) */
    lc_h5_points *h5;
    int ncols;
    const char *const *names;
    const int *kind;        /* LC_POINTS_COL_* of a column of names, else 0 */
    const lc_catalog *cat;  /* their names */
    int h5_col[LC_POINTS_MAX_COLS]; /* HDF5: the columns written (not the names) */
    int h5_n;
} sink;

static void num(FILE *f, double x, int json)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else if (json)
        fputs("null", f);
    else
        fputs(isnan(x) ? "nan" : x > 0 ? "inf" : "-inf", f);
}

static lc_status sink_open(sink *k, const lc_eval_points_opts *o, const char *const *units,
                           const char *const *formulas, const char *source)
{
    lc_diag d;
    if (k->fmt == FMT_H5) {
        if (!o->output) {
            lc_cli_error(CMD, "--format h5 needs --output FILE");
            return LC_EINVAL;
        }
        const char *n[LC_POINTS_MAX_COLS], *u[LC_POINTS_MAX_COLS], *f[LC_POINTS_MAX_COLS];
        for (int c = 0; c < k->ncols; c++)
            if (!k->kind[c]) { /* a column of names is left out: its inputs are columns */
                n[k->h5_n] = k->names[c];
                u[k->h5_n] = units[c];
                f[k->h5_n] = formulas[c];
                k->h5_col[k->h5_n++] = c;
            }
        lc_status st = lc_h5_points_create(&k->h5, o->output, o->force, k->h5_n, n, u, f,
                                           source, &d);
        return st == LC_OK ? st : lc_cli_report(CMD, st, &d);
    }
    k->f = stdout;
    if (o->output && strcmp(o->output, "-") != 0) {
        /* A regular file is written as FILE.partial and renamed when every
         * row is in, as the sweep does: a killed run leaves no file that
         * looks finished, and FILE is replaced only with --force.  A pipe
         * or a device (/dev/null) is written in place. */
        struct stat sb;
        lc_status st;
        if (stat(o->output, &sb) == 0 && !S_ISREG(sb.st_mode)) {
            if (S_ISDIR(sb.st_mode)) {
                lc_cli_error(CMD, "%s: is a directory: expected a file name", o->output);
                return LC_EINVAL;
            }
            if (!(k->f = fopen(o->output, "w"))) {
                lc_cli_error(CMD, "%s: cannot open: %s", o->output, strerror(errno));
                return LC_EIO;
            }
        } else {
            if (!o->force && stat(o->output, &sb) == 0) {
                lc_cli_error(CMD, "%s: exists (give --force to overwrite it)", o->output);
                return LC_EEXIST;
            }
            if ((st = lc_path_fmt(k->partial, sizeof k->partial, &d, "%s.partial",
                                  o->output)) != LC_OK ||
                (st = lc_path_create_excl(k->partial, o->force, &k->f, &d)) != LC_OK) {
                k->partial[0] = '\0';
                k->f = NULL;
                if (st == LC_EEXIST)
                    lc_cli_error(CMD, "%s.partial: exists (left by an interrupted run? "
                                      "give --force to replace it)", o->output);
                else
                    lc_cli_report(CMD, st, &d);
                return st;
            }
        }
        k->path = o->output;
    }
    if (k->fmt == FMT_CSV) {
        for (int c = 0; c < k->ncols; c++)
            fprintf(k->f, "%s%s", c ? "," : "", k->names[c]);
        fputc('\n', k->f);
    }
    return LC_OK;
}

static lc_status sink_write(sink *k, const double *const *cols, size_t n)
{
    if (k->fmt == FMT_H5) {
        lc_diag d;
        const double *h[LC_POINTS_MAX_COLS];
        for (int c = 0; c < k->h5_n; c++)
            h[c] = cols[k->h5_col[c]];
        lc_status st = lc_h5_points_append(k->h5, h, n, &d);
        return st == LC_OK ? st : lc_cli_report(CMD, st, &d);
    }
    int json = k->fmt == FMT_JSONL;
    for (size_t j = 0; j < n; j++) {
        if (json)
            fputc('{', k->f);
        for (int c = 0; c < k->ncols; c++) {
            if (json)
                fprintf(k->f, "%s\"%s\": ", c ? ", " : "", k->names[c]);
            else if (c)
                fputc(',', k->f);
            if (k->kind[c] && json)
                lc_json_string(k->f, lc_points_label_name(k->cat, k->kind[c], cols[c][j]));
            else if (k->kind[c])
                fputs(lc_points_label_name(k->cat, k->kind[c], cols[c][j]), k->f);
            else
                num(k->f, cols[c][j], json);
        }
        fputs(json ? "}\n" : "\n", k->f);
    }
    if (ferror(k->f)) {
        lc_cli_error(CMD, "%s: cannot write: %s", k->path ? k->path : "stdout", strerror(errno));
        return LC_EIO;
    }
    return LC_OK;
}

/* ok = 0: a file given with --output is removed. */
static lc_status sink_close(sink *k, int ok)
{
    lc_status st = LC_OK;
    if (k->fmt == FMT_H5) {
        lc_diag d;
        st = lc_h5_points_close(k->h5, ok, &d);
        return st == LC_OK || !ok ? LC_OK : lc_cli_report(CMD, st, &d);
    }
    if (!k->f)
        return LC_OK;
    if ((fflush(k->f) != 0 || ferror(k->f)) && ok) {
        lc_cli_error(CMD, "%s: cannot write: %s", k->path ? k->path : "stdout", strerror(errno));
        st = LC_EIO;
    }
    if (k->path && fclose(k->f) != 0 && ok && st == LC_OK) {
        lc_cli_error(CMD, "%s: cannot write: %s", k->path, strerror(errno));
        st = LC_EIO;
    }
    if (k->partial[0]) {
        if (ok && st == LC_OK && rename(k->partial, k->path) != 0) {
            lc_cli_error(CMD, "%s: cannot rename %s: %s", k->path, k->partial, strerror(errno));
            st = LC_EIO;
        }
        if (!ok || st != LC_OK)
            remove(k->partial);
    }
    return st;
}

/* The design: a CSV table, or HDF5 columns (by the file's signature). */
typedef struct {
    lc_points_reader csv;
    lc_h5_table *h5;
    int n_cols;
    int col_input[LC_POINTS_FILE_COLS];
    const char *path;
    int rows;         /* HDF5: rows read so far */
} source;

static lc_status source_open(source *src, const char *path, int threads,
                             const lc_catalog *cat, lc_diag *d)
{
    memset(src, 0, sizeof *src);
    src->path = path;
    if (strcmp(path, "-") != 0 && lc_h5_is_hdf5(path)) {
        lc_status st = lc_h5_table_open(&src->h5, path, cat, d);
        if (st == LC_OK)
            src->n_cols = lc_h5_table_columns(src->h5, src->col_input);
        return st;
    }
    lc_status st = lc_points_open(&src->csv, path, d);
    if (st == LC_OK) {
        src->csv.threads = threads;
        src->csv.cat = cat;
        src->n_cols = src->csv.n_cols;
        memcpy(src->col_input, src->csv.col_input, sizeof src->col_input);
    }
    return st;
}

/* lines[j]: the CSV line of row j, or its row number (from 1) in HDF5. */
static lc_status source_read(source *src, double *const *cols, int *lines, size_t max,
                             size_t *n, lc_diag *d)
{
    if (!src->h5)
        return lc_points_read(&src->csv, cols, lines, max, n, d);
    lc_status st = lc_h5_table_read(src->h5, cols, max, n, d);
    for (size_t j = 0; st == LC_OK && j < *n; j++)
        lines[j] = ++src->rows;
    return st;
}

static void source_close(source *src)
{
    if (src->h5)
        lc_h5_table_close(src->h5);
    else
        lc_points_close(&src->csv);
}

static lc_status parse_outputs(const lc_eval_points_opts *o, lc_points_plan *p)
{
    p->n_outs = 0;
    int nf = o->fs ? o->fs->n : 0;
    if (!o->outputs) {
        for (int k = 0; k < LC_OUT_COUNT + nf; k++)
            p->outs[p->n_outs++] = k;
        return LC_OK;
    }
    char *list = strdup(o->outputs);
    if (!list)
        return LC_ENOMEM;
    lc_status st = LC_OK;
    char *save = NULL;
    for (char *t = strtok_r(list, ",", &save); t && st == LC_OK; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        size_t len = strlen(t);
        while (len > 0 && t[len - 1] == ' ')
            t[--len] = '\0';
        int id = lc_formulas_output_find(o->fs, t);
        if (id < 0) {
            lc_cli_error(CMD, "--outputs: unknown output '%s'%s", t,
                         lc_input_find(t) >= 0 ? " (an input: the file's inputs are "
                                                 "always written)"
                                               : " (outputs: llmcost eval --help; "
                                                 "formulas: --formula NAME=EXPR)");
            st = LC_ENOTFOUND;
            break;
        }
        for (int k = 0; k < p->n_outs; k++)
            if (p->outs[k] == id) {
                lc_cli_error(CMD, "--outputs: '%s' is listed twice", t);
                st = LC_EINVAL;
            }
        if (st == LC_OK)
            p->outs[p->n_outs++] = id;
    }
    if (st == LC_OK && p->n_outs == 0) {
        lc_cli_error(CMD, "--outputs: expected a list of output names");
        st = LC_EINVAL;
    }
    free(list);
    return st;
}

int lc_eval_points_run(const lc_eval_points_opts *o)
{
    lc_diag d;
    lc_points_plan p;
    lc_points_plan_init(&p);
    sink out;
    memset(&out, 0, sizeof out);
    int opened = 0; /* the output is opened once the first batch is good */
    out.fmt = FMT_CSV;
    if (o->format && strcmp(o->format, "jsonl") == 0)
        out.fmt = FMT_JSONL;
    else if (o->format && (strcmp(o->format, "h5") == 0 || strcmp(o->format, "hdf5") == 0))
        out.fmt = FMT_H5;
    else if (o->format && strcmp(o->format, "csv") != 0) {
        lc_cli_error(CMD, "--format: expected csv, jsonl or h5, not '%s'", o->format);
        return 2;
    }
    lc_status st = lc_kernel_select(o->isa, &p.k, &d);
    if (st != LC_OK)
        return lc_exit_code(lc_cli_report(CMD, st, &d));
    if ((st = parse_outputs(o, &p)) != LC_OK)
        return lc_exit_code(st);
    /* the design is read while the results are written: the output may
     * never be the design itself, not even with --force */
    if (o->output && strcmp(o->output, "-") != 0 &&
        lc_path_same_file(strcmp(o->path, "-") == 0 ? "/dev/stdin" : o->path, o->output)) {
        lc_cli_error(CMD, "--output %s is the --points file itself: write the results to "
                          "another file", o->output);
        return 2;
    }
    source r;
    if ((st = source_open(&r, o->path, o->threads, o->cat, &d)) != LC_OK)
        return lc_exit_code(lc_cli_report(CMD, st, &d));
    p.fs = o->fs;
    memcpy(p.fixed, o->fixed, sizeof p.fixed);
    memcpy(p.given, o->given, sizeof p.given);
    p.cat = o->cat;
    p.threads = o->threads;
    p.chinchilla = o->chinchilla;
    int kind[LC_POINTS_MAX_COLS] = {0};
    for (int c = 0; c < r.n_cols; c++) {
        int in = r.col_input[c];
        if (in >= 0)
            p.col_of_input[in] = c;
        else
            *(in == LC_POINTS_COL_ARCH ? &p.arch_col : &p.gpu_col) = c;
        kind[c] = in < 0 ? in : 0;
    }
    if ((p.arch_col >= 0 && o->arch) || (p.gpu_col >= 0 && o->gpu)) {
        lc_cli_error(CMD, "%s: --%s and a column '%s' exclude each other (give one preset "
                          "for every row, or one per row)",
                     r.path, p.arch_col >= 0 && o->arch ? "arch" : "gpu",
                     p.arch_col >= 0 && o->arch ? "arch" : "gpu");
        source_close(&r);
        return 2;
    }
    int n_in = lc_points_plan_presets(&p, r.n_cols); /* the file's columns, the presets' */
    p.util_infer_follows_util = !o->util_infer_given && p.col_of_input[LC_IN_UTIL_INFER] < 0;
    if (p.chinchilla && p.col_of_input[LC_IN_TOKENS] >= 0) {
        lc_cli_error(CMD, "%s: --chinchilla sets tokens = %g x params, but the file has a "
                          "tokens column", r.path, LC_CHINCHILLA_TOKENS_PER_PARAM);
        source_close(&r);
        return 2;
    }
    if ((st = lc_points_plan_finish(&p, &d)) != LC_OK) {
        source_close(&r);
        return lc_exit_code(lc_cli_report(CMD, st, &d));
    }

    /* columns written: the file's (names as text), the inputs its presets
     * set, then the outputs */
    int ncols = n_in + p.n_outs;
    const char *names[LC_POINTS_MAX_COLS], *units[LC_POINTS_MAX_COLS];
    const char *formulas[LC_POINTS_MAX_COLS];
    for (int c = 0; c < r.n_cols; c++) {
        names[c] = lc_points_col_name(r.col_input[c]);
        units[c] = r.col_input[c] >= 0 ? lc_inputs[r.col_input[c]].unit : "";
        formulas[c] = NULL;
    }
    for (int i = 0; i < LC_IN_COUNT; i++)
        if (p.preset_of[i]) {
            names[p.col_of_input[i]] = lc_inputs[i].name;
            units[p.col_of_input[i]] = lc_inputs[i].unit;
            formulas[p.col_of_input[i]] = NULL;
        }
    for (int k = 0; k < p.n_outs; k++) {
        const lc_output_info *oi = lc_formulas_output_info(o->fs, p.outs[k]);
        names[n_in + k] = oi->name;
        units[n_in + k] = oi->unit;
        formulas[n_in + k] = oi->formula;
    }
    double *buf = malloc((size_t)ncols * BATCH * sizeof *buf);
    int *lines = malloc(BATCH * sizeof *lines);
    uint64_t nan_count[LC_OUT_MAX] = {0}, total = 0;
    if (!buf || !lines) {
        lc_cli_error(CMD, "out of memory");
        st = LC_ENOMEM;
        goto done;
    }
    double *cols[LC_POINTS_MAX_COLS];
    for (int c = 0; c < ncols; c++)
        cols[c] = buf + (size_t)c * BATCH;
    out.ncols = ncols;
    out.names = names;
    out.kind = kind;
    out.cat = o->cat;
    for (;;) {
        size_t n;
        if ((st = source_read(&r, cols, lines, BATCH, &n, &d)) != LC_OK) {
            lc_cli_report(CMD, st, &d);
            break;
        }
        if (n == 0)
            break;
        if ((p.arch_col >= 0 || p.gpu_col >= 0) &&
            (st = lc_points_presets_fill(&p, cols, n, lines, r.path, r.h5 != NULL, &d)) != LC_OK) {
            lc_cli_report(CMD, st, &d);
            break;
        }
        if (p.chinchilla)
            for (size_t j = 0; j < n && st == LC_OK; j++) {
                double in[LC_IN_COUNT];
                lc_diag sub;
                lc_points_inputs(&p, (const double *const *)cols, j, in);
                if ((st = lc_input_check(LC_IN_TOKENS, in[LC_IN_TOKENS], &sub)) != LC_OK)
                    lc_cli_error(CMD, r.h5 ? "%s: row %d: tokens = %g x params: %s"
                                           : "%s:%d: tokens = %g x params: %s",
                                 r.path, lines[j], LC_CHINCHILLA_TOKENS_PER_PARAM, sub.msg);
            }
        if (st != LC_OK)
            break;
        if ((st = lc_points_eval(&p, (const double *const *)cols, n, cols + n_in, &d)) !=
            LC_OK) {
            lc_cli_report(CMD, st, &d);
            break;
        }
        if (!opened && (st = sink_open(&out, o, units, formulas, r.path)) != LC_OK)
            break;
        opened = 1;
        if ((st = sink_write(&out, (const double *const *)cols, n)) != LC_OK)
            break;
        for (int k = 0; k < p.n_outs; k++)
            for (size_t j = 0; j < n; j++)
                nan_count[k] += cols[n_in + k][j] != cols[n_in + k][j];
        total += n;
    }
    if (st == LC_OK && total == 0) {
        lc_cli_error(CMD, "%s: no points (%s)", r.path, r.h5 ? "columns of length 0" : "only a header");
        st = LC_EFORMAT;
    }
    if (opened) {
        lc_status cs = sink_close(&out, st == LC_OK);
        if (st == LC_OK)
            st = cs;
    }
    if (st == LC_OK && !o->quiet)
        for (int k = 0; k < p.n_outs; k++)
            if (nan_count[k])
                fprintf(stderr, "llmcost eval: note: %s has no finite value at %llu of %llu "
                                "points (%s; NaN in the output)\n",
                        names[n_in + k], (unsigned long long)nan_count[k],
                        (unsigned long long)total,
                        strstr(names[n_in + k], "breakeven") ? "no break-even"
                                                                 : "undefined there");
done:
    source_close(&r);
    free(buf);
    free(lines);
    return lc_exit_code(st);
}
