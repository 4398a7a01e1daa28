/*
 * h5_questions.c - write the questions' answers into a sweep file
 * (h5_questions.h).  Tables (top-k rows, the Pareto front) are columns: one
 * 1-D dataset per axis coordinate (values, or names for a labelled axis),
 * <axis>_index (uint64 grid index), one per objective or stored output, so
 * that h5py, xarray or pandas read them as a table.  No answer (no point
 * satisfies the condition) is an empty table and NaN attributes.
 */
#include "h5/h5_questions.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5/h5_read.h"
#include "h5/h5_write.h"
#include "model/model.h"
#include "spec/spec_query.h"

/* A 1-D dataset of n values of memory type mt, file type ft. */
static int column(hid_t loc, const char *name, hid_t ft, hid_t mt, const void *v, size_t n)
{
    hsize_t dn = (hsize_t)n;
    hid_t sp = H5Screate_simple(1, &dn, NULL), ds = -1;
    int ok = sp >= 0 &&
             (ds = H5Dcreate2(loc, name, ft, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             (n == 0 || H5Dwrite(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    if (ds >= 0)
        H5Dclose(ds);
    if (sp >= 0)
        H5Sclose(sp);
    return ok;
}

static int strings(hid_t loc, const char *name, const char **v, size_t n)
{
    hid_t ds = lc_h5_strings_create(loc, name, v, n, H5P_DEFAULT);
    return ds >= 0 && H5Dclose(ds) >= 0;
}

/* The coordinate columns of n rows (coord: n * n_axes). */
static int coord_columns(hid_t loc, const lc_spec *s, const uint64_t *coord, size_t n)
{
    size_t na = (size_t)s->n_axes;
    uint64_t *ix = malloc((n + 1) * sizeof *ix);
    double *xv = malloc((n + 1) * sizeof *xv);
    const char **lv = malloc((n + 1) * sizeof *lv);
    int ok = ix && xv && lv;
    for (size_t a = 0; ok && a < na; a++) {
        const lc_axis *ax = &s->axes[a];
        char name[LC_NAME_MAX + 8];
        for (size_t i = 0; i < n; i++) {
            ix[i] = coord[i * na + a];
            xv[i] = ax->values[ix[i]];
            lv[i] = ax->labels ? ax->labels[ix[i]] : "";
        }
        ok = ax->labels ? strings(loc, ax->name, lv, n)
                        : column(loc, ax->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, xv, n);
        snprintf(name, sizeof name, "%s_index", ax->name);
        ok = ok && column(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, ix, n);
    }
    free(ix);
    free(xv);
    free(lv);
    return ok;
}

static int f64col(hid_t loc, const char *name, const double *v, size_t n)
{
    return column(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, n);
}

static int write_top(hid_t g, const lc_spec *s, const lc_question *q, const lc_qresult *a)
{
    size_t n = (size_t)a->n_top, ns = (size_t)s->n_store;
    int ok = lc_h5w_attr_str(g, "output", lc_query_operand_name(s, q->obj[0])) &&
             lc_h5w_attr_u64(g, "k", (uint64_t)q->k) &&
             lc_h5w_attr_u64(g, "largest", (uint64_t)q->maximise[0]) &&
             lc_h5w_attr_u64(g, "size", n) && coord_columns(g, s, a->top_coord, n) &&
             f64col(g, "value", a->top_value, n);
    double *col = malloc((n + 1) * sizeof *col);
    ok = ok && col != NULL;
    for (size_t j = 0; ok && j < ns; j++) {
        for (size_t i = 0; i < n; i++)
            col[i] = a->top_stored[i * ns + j];
        ok = f64col(g, lc_query_operand_name(s, s->store[j]), col, n);
    }
    free(col);
    return ok;
}

static int write_front(hid_t file, hid_t g, const lc_spec *s, const lc_question *q,
                       const lc_qresult *a)
{
    size_t n = a->n_front, m = (size_t)q->n_obj;
    char objs[256] = "";
    for (size_t o = 0; o < m; o++)
        snprintf(objs + strlen(objs), sizeof objs - strlen(objs), "%s%s%s", o ? ", " : "",
                 q->maximise[o] ? "-" : "", lc_query_operand_name(s, q->obj[o]));
    int ok = lc_h5w_attr_str(g, "objectives", objs) && lc_h5w_attr_u64(g, "size", n) &&
             lc_h5w_attr_str(g, "table", "/pareto");
    hid_t p = ok ? H5Gcreate2(file, "pareto", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    ok = p >= 0 && lc_h5w_attr_str(p, "question", q->text) &&
         lc_h5w_attr_str(p, "objectives", objs) && lc_h5w_attr_u64(p, "size", n) &&
         lc_h5w_attr_u64(p, "count", a->count) && coord_columns(p, s, a->front_coord, n) &&
         column(p, "points", H5T_STD_U64LE, H5T_NATIVE_UINT64, a->front_mult, n);
    double *col = malloc((n + 1) * sizeof *col);
    ok = ok && col != NULL;
    for (size_t o = 0; ok && o < m; o++) {
        for (size_t i = 0; i < n; i++)
            col[i] = a->front_value[i * m + o];
        const char *name = lc_query_operand_name(s, q->obj[o]);
        /* an input objective is also an axis column: the objective gets a suffix */
        char buf[LC_NAME_MAX + 16];
        snprintf(buf, sizeof buf, "%s%s", name, H5Lexists(p, name, H5P_DEFAULT) > 0 ? "_objective" : "");
        ok = f64col(p, buf, col, n);
    }
    free(col);
    if (p >= 0)
        H5Gclose(p);
    return ok;
}

static int write_frontier(hid_t file, hid_t g, const lc_spec *s, const lc_question *q,
                          const lc_qresult *a, int i)
{
    char name[160], path[200], over[512] = "";
    snprintf(name, sizeof name, "%s_along_%s", lc_query_operand_name(s, q->obj[0]),
             s->axes[q->axis].name);
    snprintf(path, sizeof path, "/frontier/%s", name);
    if (H5Lexists(file, "frontier", H5P_DEFAULT) <= 0) {
        hid_t fg = H5Gcreate2(file, "frontier", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (fg < 0)
            return 0;
        H5Gclose(fg);
    } else if (H5Lexists(file, path, H5P_DEFAULT) > 0) {
        snprintf(name + strlen(name), sizeof name - strlen(name), "_q%d", i);
        snprintf(path, sizeof path, "/frontier/%s", name);
    }
    for (int j = 0; j < a->fr_rank; j++)
        snprintf(over + strlen(over), sizeof over - strlen(over), "%s%s", j ? ", " : "",
                 s->axes[a->fr_axis[j]].name);
    hsize_t dims[LC_MAX_AXES] = {1};
    int rank = a->fr_rank ? a->fr_rank : 1;
    for (int j = 0; j < a->fr_rank; j++)
        dims[j] = (hsize_t)a->fr_dims[j];
    hid_t sp = H5Screate_simple(rank, dims, NULL), ds = -1;
    int ok = sp >= 0 &&
             (ds = H5Dcreate2(file, path, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT,
                              H5P_DEFAULT)) >= 0 &&
             H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a->frontier) >= 0 &&
             lc_h5w_attr_str(ds, "question", q->text) &&
             lc_h5w_attr_str(ds, "along", s->axes[q->axis].name) &&
             lc_h5w_attr_f64(ds, "threshold", q->threshold) &&
             lc_h5w_attr_str(ds, "units", s->axes[q->axis].input >= 0
                                             ? lc_inputs[s->axes[q->axis].input].unit : "1") &&
             lc_h5w_attr_str(ds, "over", over) && lc_h5w_attr_u64(ds, "crossed", a->fr_crossed);
    /* the remaining axes as dimension scales (xarray, netCDF tools) */
    for (int j = 0; ok && j < a->fr_rank; j++) {
        hid_t sc = H5Dopen2(file, s->axes[a->fr_axis[j]].name, H5P_DEFAULT);
        ok = sc >= 0 && H5DSattach_scale(ds, sc, (unsigned)j) >= 0;
        if (sc >= 0)
            H5Dclose(sc);
    }
    if (ds >= 0)
        H5Dclose(ds);
    if (sp >= 0)
        H5Sclose(sp);
    return ok && lc_h5w_attr_str(g, "table", path) && lc_h5w_attr_str(g, "over", over) &&
           lc_h5w_attr_u64(g, "points", a->fr_points) &&
           lc_h5w_attr_u64(g, "crossed", a->fr_crossed);
}

lc_status lc_h5_questions_write(int64_t file_, int64_t summary, const lc_spec *s,
                                const lc_sweep_result *r, const char *path, lc_diag *d)
{
    static const char *const kinds[] = {"count", "reduce", "top", "pareto", "frontier"};
    hid_t file = (hid_t)file_;
    /* a resumed file killed after its /summary: the tables go too */
    static const char *const old[] = {"pareto", "frontier"};
    for (int i = 0; i < 2; i++)
        if (H5Lexists(file, old[i], H5P_DEFAULT) > 0 && H5Ldelete(file, old[i], H5P_DEFAULT) < 0)
            return lc_h5_fail(d, path, "replacing an earlier table");
    for (int i = 0; i < r->n_q; i++) {
        const lc_question *q = &s->questions[i];
        const lc_qresult *a = &r->q[i];
        char name[32], text[4096];
        snprintf(name, sizeof name, "q%d", i);
        hid_t g = H5Gcreate2((hid_t)summary, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        int ok = g >= 0 && lc_h5w_attr_str(g, "kind", kinds[q->kind]) &&
                 lc_h5w_attr_str(g, "question", q->text);
        if (ok && q->kind != LC_Q_FRONTIER)
            ok = lc_h5w_attr_u64(g, "count", a->count) && lc_h5w_attr_f64(g, "share", a->share);
        if (ok && q->kind == LC_Q_REDUCE) {
            ok = lc_h5w_attr_str(g, "output", lc_query_operand_name(s, q->obj[0])) &&
                 lc_h5w_attr_f64(g, "min", a->min) && lc_h5w_attr_f64(g, "max", a->max) &&
                 lc_h5w_attr_f64(g, "mean", a->mean) &&
                 lc_h5w_attr_u64(g, "count_nan", a->count_nan) &&
                 lc_h5w_attr_u64(g, "count_inf", a->count_inf);
            if (ok && a->valid) {
                lc_h5_coords_text(s, a->argmin, text, sizeof text);
                ok = lc_h5w_attr_str(g, "argmin", text);
                lc_h5_coords_text(s, a->argmax, text, sizeof text);
                ok = ok && lc_h5w_attr_str(g, "argmax", text);
                if (s->n_axes > 0)
                    ok = ok && lc_h5w_attr_u64v(g, "argmin_index", a->argmin, (size_t)s->n_axes) &&
                         lc_h5w_attr_u64v(g, "argmax_index", a->argmax, (size_t)s->n_axes);
            }
        } else if (ok && q->kind == LC_Q_TOP) {
            ok = write_top(g, s, q, a);
        } else if (ok && q->kind == LC_Q_PARETO) {
            ok = write_front(file, g, s, q, a);
        } else if (ok && q->kind == LC_Q_FRONTIER) {
            ok = write_frontier(file, g, s, q, a, i);
        }
        if (g >= 0)
            H5Gclose(g);
        if (!ok)
            return lc_h5_fail(d, path, "writing a question's answer");
    }
    return LC_OK;
}
