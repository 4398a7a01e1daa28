/*
 * points_preset.c - columns of catalogue names in a design (points.h): an
 * "arch" column of architecture presets and a "gpu" column of GPUs, one
 * name per row.  A name is read as its entry's index in the catalogue;
 * before a batch is evaluated, every input a row's preset sets is written
 * into a column of its own by lc_arch_apply and lc_gpu_input, the very
 * functions of `eval --arch` and `eval --gpu`, so a row equals `eval` with
 * that preset bit for bit.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grid/points.h"

int lc_points_label_kind(const char *name)
{
    return strcmp(name, "arch") == 0  ? LC_POINTS_COL_ARCH
           : strcmp(name, "gpu") == 0 ? LC_POINTS_COL_GPU
                                      : 0;
}

const char *lc_points_col_name(int col_input)
{
    return col_input == LC_POINTS_COL_ARCH  ? "arch"
           : col_input == LC_POINTS_COL_GPU ? "gpu"
                                            : lc_inputs[col_input].name;
}

lc_status lc_points_label(const lc_catalog *c, int kind, const char *text, double *index,
                          const char *file, int line, int col, lc_diag *d)
{
    const char *what = lc_points_col_name(kind);
    if (!c)
        return lc_diag_set(d, LC_EINTERNAL, file, line, "column %d (%s): no catalogue", col,
                           what);
    if (!*text)
        return lc_diag_set(d, LC_EFORMAT, file, line, "column %d (%s) is empty: expected %s",
                           col, what, kind == LC_POINTS_COL_ARCH ? "an architecture name"
                                                                 : "a GPU name");
    if (kind == LC_POINTS_COL_ARCH) {
        const lc_arch *a = lc_catalog_arch(c, text);
        if (a) {
            *index = (double)(a - c->archs);
            return LC_OK;
        }
    } else {
        const lc_gpu *g = lc_catalog_gpu(c, text);
        if (g) {
            *index = (double)(g - c->gpus);
            return LC_OK;
        }
    }
    if (!d)
        return LC_ENOTFOUND;
    lc_diag sub;
    lc_catalog_unknown(c, kind == LC_POINTS_COL_ARCH ? LC_CAT_ARCH : LC_CAT_GPU, text,
                       "see 'llmcost catalog'", NULL, 0, &sub);
    return lc_diag_set(d, LC_ENOTFOUND, file, line, "column %d (%s): %s", col, what, sub.msg);
}

const char *lc_points_label_name(const lc_catalog *c, int kind, double index)
{
    return kind == LC_POINTS_COL_ARCH ? c->archs[(int)index].name : c->gpus[(int)index].name;
}

int lc_points_plan_presets(lc_points_plan *p, int n_cols)
{
    memset(p->preset_of, 0, sizeof p->preset_of);
    for (int k = 0; k < LC_ARCH_FIELDS + LC_GPU_INPUTS; k++) {
        int arch = k < LC_ARCH_FIELDS;
        int i = arch ? lc_arch_field_input(k) : lc_gpu_inputs[k - LC_ARCH_FIELDS];
        if (i < 0 || (arch ? p->arch_col : p->gpu_col) < 0 || p->col_of_input[i] >= 0 ||
            p->given[i])
            continue;
        p->preset_of[i] = arch ? LC_POINTS_COL_ARCH : LC_POINTS_COL_GPU;
        p->col_of_input[i] = n_cols++;
    }
    return n_cols;
}

/* "path:LINE: msg" for a CSV row, "path: row N: msg" for an HDF5 one. */
static lc_status row_error(lc_diag *d, lc_status st, const char *path, int line, int by_row,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static lc_status row_error(lc_diag *d, lc_status st, const char *path, int line, int by_row,
                           const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (by_row)
        return lc_diag_set(d, st, path, 0, "row %d: %s", line, msg);
    return lc_diag_set(d, st, path, line, "%s", msg);
}

lc_status lc_points_presets_fill(const lc_points_plan *p, double *const *cols, size_t n,
                                 const int *lines, const char *path, int by_row, lc_diag *d)
{
    int supplied[LC_IN_COUNT]; /* a GPU input with its own column or an option */
    for (int i = 0; i < LC_IN_COUNT; i++)
        supplied[i] = p->preset_of[i] != LC_POINTS_COL_GPU;
    for (size_t j = 0; j < n; j++) {
        double in[LC_IN_COUNT];
        memcpy(in, p->fixed, sizeof in);
        const lc_arch *a = p->arch_col >= 0 ? &p->cat->archs[(int)cols[p->arch_col][j]] : NULL;
        const lc_gpu *g = p->gpu_col >= 0 ? &p->cat->gpus[(int)cols[p->gpu_col][j]] : NULL;
        if (a)
            lc_arch_apply(a, in, NULL, 0);
        int miss = g ? lc_gpu_missing(g, supplied) : -1;
        if (miss >= 0) {
            char why[320];
            return row_error(d, LC_EINVAL, path, lines[j], by_row, "%s",
                             lc_gpu_missing_text(miss, g->name, why, sizeof why));
        }
        for (int k = 0; g && k < LC_GPU_INPUTS; k++)
            if (!isnan(lc_gpu_input(g, k))) /* not stated: the input keeps its value */
                in[lc_gpu_inputs[k]] = lc_gpu_input(g, k);
        for (int i = 0; i < LC_IN_COUNT; i++) {
            if (!p->preset_of[i])
                continue;
            lc_diag sub;
            if (lc_input_check((lc_input)i, in[i], &sub) != LC_OK) {
                return row_error(d, LC_ERANGE, path, lines[j], by_row, "%s %s: %s",
                                 lc_points_col_name(p->preset_of[i]),
                                 p->preset_of[i] == LC_POINTS_COL_ARCH ? a->name : g->name,
                                 sub.msg);
            }
            cols[p->col_of_input[i]][j] = in[i];
        }
    }
    return LC_OK;
}
