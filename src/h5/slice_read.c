/*
 * slice_read.c - read a 0/1/2-D hyperslab of one output of a sweep file
 * (see slice.h and the file layout "llmcost-sweep/1" in doc/file-format.md).
 *
 * Nothing here knows which outputs or axes exist: the output's dimensions
 * are found through the dimension scales attached to them (H5DS), the grid's
 * axes through the root attribute "axes", and every axis' values through the
 * root dataset of the same name.  Only the requested hyperslab is read
 * (count 1 on every fixed dimension), so slicing a huge file costs the size
 * of the slice plus the chunks it touches.
 *
 * HDF5's automatic error printing is switched off for the duration of a
 * call (restored on return): failures become lc_diag messages instead.
 */
#include "h5/slice_read.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5/h5_read.h"
#include "h5/h5_write.h"
#include "util/number.h"

/* ---- small helpers -------------------------------------------------------- */

static void note_add(lc_slice *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void note_add(lc_slice *s, const char *fmt, ...)
{
    size_t len = strlen(s->notes);
    if (len + 2 >= sizeof s->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->notes + len, sizeof s->notes - len - 1, fmt, ap);
    va_end(ap);
    len = strlen(s->notes);
    s->notes[len] = '\n';
    s->notes[len + 1] = '\0';
}

/* Append ", item" (or "item" when empty) to buf, marking truncation once. */
static void list_add(char *buf, size_t size, const char *item)
{
    size_t len = strlen(buf);
    if (len + strlen(item) + 8 >= size) {
        if (len + 5 < size && (len < 4 || strcmp(buf + len - 3, "...") != 0))
            strcat(buf, ", ...");
        return;
    }
    if (len)
        strcat(buf, ", ");
    strcat(buf, item);
}

/* A string attribute into buf ("" when absent or not a string): 1 when
 * read (lc_h5_attr_string, the one attribute reader). */
static int attr_string(hid_t obj, const char *name, char *buf, size_t size)
{
    buf[0] = '\0';
    return lc_h5_attr_string(obj, name, buf, size) == LC_OK;
}

/* ---- the file's outputs and axes ----------------------------------------- */

typedef struct {
    char names[2048];
} name_list;

static herr_t list_outputs_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    name_list *l = data;
    if (info->type != H5L_TYPE_HARD)
        return 0;
    hid_t o = H5Oopen(g, name, H5P_DEFAULT);
    if (o < 0)
        return 0;
    if (H5Iget_type(o) == H5I_DATASET && H5DSis_scale(o) <= 0 &&
        H5Aexists(o, "formula") > 0)
        list_add(l->names, sizeof l->names, name);
    H5Oclose(o);
    return 0;
}

/* Outputs of the file (datasets that are not scales and carry a formula),
 * in creation order when the file tracks it. */
static void list_outputs(hid_t fid, char *buf, size_t size)
{
    name_list l;
    hsize_t idx = 0;
    l.names[0] = '\0';
    if (H5Literate(fid, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, list_outputs_cb, &l) < 0) {
        l.names[0] = '\0';
        idx = 0;
        if (H5Literate(fid, H5_INDEX_NAME, H5_ITER_INC, &idx, list_outputs_cb, &l) < 0)
            l.names[0] = '\0'; /* "(none)" below: only a message lists them */
    }
    snprintf(buf, size, "%s", l.names[0] ? l.names : "(none)");
}

typedef struct {
    char *buf;
    size_t size;
} input_list;

static herr_t list_inputs_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    input_list *l = data;
    if (strncmp(name, "input.", 6) != 0)
        return 0;
    char item[256];
    char str[128];
    if (attr_string(loc, name, str, sizeof str)) {
        snprintf(item, sizeof item, "%s=%s", name + 6, str);
    } else {
        double v = NAN;
        int got = 0;
        hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
        if (a < 0)
            return 0;
        hid_t sp = H5Aget_space(a);
        if (sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1)
            got = H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0;
        if (sp >= 0)
            H5Sclose(sp);
        H5Aclose(a);
        if (got) /* an unreadable value is said to be, never a number */
            snprintf(item, sizeof item, "%s=%.6g", name + 6, v);
        else
            snprintf(item, sizeof item, "%s=(unreadable)", name + 6);
    }
    list_add(l->buf, l->size, item);
    return 0;
}

static void list_inputs(hid_t fid, char *buf, size_t size)
{
    input_list l = {buf, size};
    hsize_t idx = 0;
    buf[0] = '\0';
    if (H5Aiterate2(fid, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, list_inputs_cb, &l) < 0) {
        buf[0] = '\0';
        idx = 0;
        if (H5Aiterate2(fid, H5_INDEX_NAME, H5_ITER_INC, &idx, list_inputs_cb, &l) < 0)
            buf[0] = '\0'; /* the header then lists no fixed input */
    }
}

static void axis_free(lc_slice_axis *a)
{
    free(a->values);
    if (a->labels) {
        for (size_t i = 0; i < a->n; i++)
            free(a->labels[i]);
        free(a->labels);
    }
    memset(a, 0, sizeof *a);
}

/* Read the axis dataset "/name": numbers, or strings (values 0..n-1). */
static lc_status axis_load(hid_t fid, const char *path, const char *name,
                           lc_slice_axis *a, lc_diag *d)
{
    lc_status st = LC_OK;
    hid_t ds = -1, sp = -1, ft = -1, mt = -1;
    char **raw = NULL;
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    if (H5Lexists(fid, name, H5P_DEFAULT) <= 0 ||
        (ds = H5Dopen2(fid, name, H5P_DEFAULT)) < 0) {
        st = lc_diag_set(d, LC_EFORMAT, path, 0,
                         "axis '%s' has no dataset of its values", name);
        goto done;
    }
    int chars = lc_h5_axis_is_chars(ds); /* a classic-model text axis */
    if ((sp = H5Dget_space(ds)) < 0 || (H5Sget_simple_extent_ndims(sp) != 1 && !chars)) {
        st = lc_diag_set(d, LC_EFORMAT, path, 0, "axis '%s' is not a 1-D dataset", name);
        goto done;
    }
    hssize_t np = lc_h5_axis_points(ds);
    if (np < 0) {
        st = lc_h5_fail(d, path, "reading an axis' length");
        goto done;
    }
    hsize_t n = (hsize_t)np;
    if ((st = lc_h5_check_extent(ds, path, name, d)) != LC_OK)
        goto done; /* a forged length must not size the allocation below */
    a->n = (size_t)n;
    attr_string(ds, "units", a->units, sizeof a->units);
    attr_string(ds, "long_name", a->long_name, sizeof a->long_name);
    a->values = malloc((n ? n : 1) * sizeof *a->values);
    if (!a->values) {
        st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory reading axis '%s'", name);
        goto done;
    }
    ft = H5Dget_type(ds);
    if (H5Tget_class(ft) == H5T_STRING) {
        a->labels = calloc(n ? n : 1, sizeof *a->labels);
        if (!a->labels) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory reading axis '%s'", name);
            goto done;
        }
        if (chars) {
            size_t got = 0;
            char **names = lc_h5_axis_chars(ds, &got);
            if (!names || got != a->n) {
                free(names);
                st = lc_diag_set(d, LC_EHDF5, path, 0, "cannot read the names of axis '%s'", name);
                goto done;
            }
            for (size_t i = 0; i < a->n; i++)
                a->labels[i] = names[i];
            free(names);
        } else if (H5Tis_variable_str(ft) > 0) {
            raw = calloc(n ? n : 1, sizeof *raw);
            if (!raw || (mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 ||
                H5Tset_cset(mt, H5Tget_cset(ft)) < 0 ||
                H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
                st = lc_diag_set(d, LC_EHDF5, path, 0, "cannot read the names of axis '%s'", name);
                goto done;
            }
            for (size_t i = 0; i < a->n; i++)
                a->labels[i] = strdup(raw[i] ? raw[i] : "");
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, raw);
        } else {
            size_t w = H5Tget_size(ft);
            char *buf = calloc(a->n ? a->n : 1, w + 1);
            if (!buf || (mt = H5Tcopy(ft)) < 0 || H5Tset_size(mt, w + 1) < 0 ||
                H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0 ||
                H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
                free(buf);
                st = lc_diag_set(d, LC_EHDF5, path, 0, "cannot read the names of axis '%s'", name);
                goto done;
            }
            for (size_t i = 0; i < a->n; i++)
                a->labels[i] = strdup(buf + i * (w + 1));
            free(buf);
        }
        for (size_t i = 0; i < a->n; i++) {
            if (!a->labels[i]) {
                st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
                goto done;
            }
            a->values[i] = (double)i;
        }
    } else if (H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a->values) < 0) {
        st = lc_diag_set(d, LC_EFORMAT, path, 0, "cannot read the values of axis '%s' as numbers",
                         name);
        goto done;
    } else {
        /* a sweep's axis values are finite by construction (the spec parser
         * refuses NaN/Inf); a NaN here would make --at pick an arbitrary
         * point and the x column meaningless, so the file is refused */
        for (size_t i = 0; i < a->n; i++)
            if (!isfinite(a->values[i])) {
                st = lc_diag_set(d, LC_EFORMAT, path, 0,
                                 "axis '%s' has a non-finite value at index %zu", name, i);
                goto done;
            }
    }
done:
    free(raw);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (sp >= 0) H5Sclose(sp);
    if (ds >= 0) H5Dclose(ds);
    if (st != LC_OK)
        axis_free(a);
    return st;
}

/* The axis' values as "v0, v1, ..." (bounded) for messages. */
static void axis_describe(const lc_slice_axis *a, char *buf, size_t size)
{
    buf[0] = '\0';
    /* a long axis: its first 8 and last 2 values are enough to see its
     * range and spacing */
    for (size_t i = 0; i < a->n; i++) {
        char item[96];
        if (a->n > 12 && i == 8) {
            list_add(buf, size, "...");
            i = a->n - 3;
            continue;
        }
        if (a->labels)
            snprintf(item, sizeof item, "%s", a->labels[i]);
        else
            snprintf(item, sizeof item, "%.6g", a->values[i]);
        list_add(buf, size, item);
    }
    if (a->n > 12) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " (%zu values)", a->n);
    }
}

/* Resolve "VALUE" / "NAME" / "#INDEX" on axis a into *idx. */
static lc_status axis_pick(lc_slice *s, const lc_slice_axis *a, const char *text,
                           int exact, size_t *idx, lc_diag *d)
{
    char vals[700];
    if (a->n == 0)
        return lc_diag_set(d, LC_EFORMAT, s->path, 0, "axis '%s' is empty", a->name);
    if (text[0] == '#') {
        char *end;
        errno = 0;
        long long k = strtoll(text + 1, &end, 10);
        /* digits only: strtoll would also take "# 3" and "#+3" */
        if (!isdigit((unsigned char)text[1]) || end == text + 1 || *end != '\0' || errno)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "--at %s=%s: '#' must be followed by an index (0-based)",
                               a->name, text);
        if (k < 0 || (unsigned long long)k >= a->n)
            return lc_diag_set(d, LC_ERANGE, NULL, 0,
                               "--at %s=%s: index out of range, axis '%s' has %zu values (#0..#%zu)",
                               a->name, text, a->name, a->n, a->n - 1);
        *idx = (size_t)k;
        return LC_OK;
    }
    if (a->labels) {
        for (size_t i = 0; i < a->n; i++)
            if (strcasecmp(a->labels[i], text) == 0) {
                *idx = i;
                return LC_OK;
            }
        axis_describe(a, vals, sizeof vals);
        return lc_diag_set(d, LC_ENOTFOUND, NULL, 0,
                           "--at %s=%s: no such name on axis '%s'; its values: %s",
                           a->name, text, a->name, vals);
    }
    double v;
    lc_diag nd;
    if (lc_parse_number(text, &v, &nd) != LC_OK)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "--at %s=%s: %s", a->name, text, nd.msg);
    /* Nearest in ratio when both are positive (log-spaced axes), else in
     * difference. */
    size_t best = 0;
    double best_dist = HUGE_VAL;
    for (size_t i = 0; i < a->n; i++) {
        double x = a->values[i];
        double dist = (v > 0 && x > 0) ? fabs(log(x / v)) : fabs(x - v);
        if (dist < best_dist) {
            best_dist = dist;
            best = i;
        }
    }
    double x = a->values[best];
    double tol = 1e-9 * fmax(fabs(x), fabs(v));
    if (fabs(x - v) > tol) {
        if (exact) {
            axis_describe(a, vals, sizeof vals);
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "--at %s=%s: %.6g is not on axis '%s' (--exact); nearest: "
                               "%.10g (#%zu); its values: %s",
                               a->name, text, v, a->name, x, best, vals);
        }
        note_add(s, "%s=%s is not on the axis: using the nearest value %.6g (#%zu)",
                 a->name, text, x, best);
    }
    *idx = best;
    return LC_OK;
}

/* ---- the slice ------------------------------------------------------------ */

static int name_in(const char *name, char list[][LC_SLICE_NAME], int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return -1;
}

void lc_slice_free(lc_slice *s)
{
    if (!s)
        return;
    axis_free(&s->x);
    axis_free(&s->y);
    free(s->z);
    s->z = NULL;
}

/* Name validation: the axis exists in the grid or in the output's dims. */
static lc_status check_axis_name(lc_slice *s, const char *what, const char *name,
                                 char grid[][LC_SLICE_NAME], int n_grid,
                                 char dims[][LC_SLICE_NAME], int rank, lc_diag *d)
{
    if (name_in(name, grid, n_grid) >= 0 || name_in(name, dims, rank) >= 0)
        return LC_OK;
    char g[700] = "", o[700] = "";
    for (int i = 0; i < n_grid; i++)
        list_add(g, sizeof g, grid[i]);
    for (int i = 0; i < rank; i++)
        list_add(o, sizeof o, dims[i]);
    return lc_diag_set(d, LC_ENOTFOUND, s->path, 0,
                       "%s: unknown axis '%s'; axes of this file: %s; %s is over: %s",
                       what, name, g[0] ? g : "(none)", s->output,
                       o[0] ? o : "no axis (a single value)");
}

/* An output dimension whose length differs from its scale's: the file was
 * not written by one sweep (or was edited), so no index can be trusted. */
static lc_status dim_mismatch(const lc_slice_request *r, int dim, hsize_t len,
                              const lc_slice_axis *a, lc_diag *d)
{
    return lc_diag_set(d, LC_EFORMAT, r->path, 0,
                       "output '%s' dimension %d has %llu values but axis '%s' has %zu",
                       r->output, dim, (unsigned long long)len, a->name, a->n);
}

/* Load plot axis `name` (x or y, named by `which`) into a: dim is the output
 * dimension it indexes, or < 0 when the output does not depend on it, in
 * which case its values are repeated (broadcast) and a note says so.  Sets
 * *n to the axis length on success. */
static lc_status plot_axis_load(lc_slice *s, hid_t fid, const lc_slice_request *r,
                                const char *name, int dim, const hsize_t *dsize,
                                lc_slice_axis *a, char which, size_t *n, lc_diag *d)
{
    lc_status st = axis_load(fid, r->path, name, a, d);
    if (st != LC_OK)
        return st;
    a->broadcast = dim < 0;
    if (dim >= 0 && a->n != dsize[dim])
        return dim_mismatch(r, dim, dsize[dim], a, d);
    if (a->broadcast)
        note_add(s, "%s does not depend on %s: its values are repeated along %c",
                 r->output, name, which);
    *n = a->n;
    return LC_OK;
}

lc_status lc_slice_read(lc_slice *s, const lc_slice_request *r, lc_diag *d)
{
    lc_status st = LC_OK;
    hid_t fid = -1, ds = -1, fsp = -1, msp = -1;
    double *tmp = NULL;
    H5E_auto2_t old_func = NULL;
    void *old_data = NULL;
    char grid[LC_SLICE_MAX_AXES][LC_SLICE_NAME];
    char dims[LC_SLICE_MAX_AXES][LC_SLICE_NAME];
    int n_grid = 0, rank = 0;
    hsize_t dsize[LC_SLICE_MAX_AXES];

    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", r->path);
    snprintf(s->output, sizeof s->output, "%s", r->output);
    s->nx = s->ny = 1;

    if (r->y && !r->x)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "--y needs --x");
    if (r->x && r->y && strcmp(r->x, r->y) == 0)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "--x and --y name the same axis '%s'", r->x);

    H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data);
    /* the one way to open a sweep file (h5_read.c): a regular file, HDF5,
     * the format attribute "llmcost-sweep/1" */
    if ((st = lc_h5_open_sweep(r->path, &fid, d)) != LC_OK) {
        fid = -1;
        goto done;
    }
    snprintf(s->format, sizeof s->format, "%s", LC_H5_FORMAT);
    attr_string(fid, "spec_name", s->spec_name, sizeof s->spec_name);
    list_inputs(fid, s->inputs, sizeof s->inputs);

    /* the grid's axes, in grid order */
    {
        char axes[1024];
        if (attr_string(fid, "axes", axes, sizeof axes)) {
            char *save = NULL;
            for (char *t = strtok_r(axes, ",", &save); t && n_grid < LC_SLICE_MAX_AXES;
                 t = strtok_r(NULL, ",", &save)) {
                while (isspace((unsigned char)*t))
                    t++;
                size_t len = strlen(t);
                while (len && isspace((unsigned char)t[len - 1]))
                    t[--len] = '\0';
                if (len)
                    snprintf(grid[n_grid++], LC_SLICE_NAME, "%s", t);
            }
        }
    }

    /* the output */
    {
        int is_output = 0;
        if (H5Lexists(fid, r->output, H5P_DEFAULT) > 0) {
            hid_t o = H5Oopen(fid, r->output, H5P_DEFAULT);
            if (o >= 0) {
                is_output = H5Iget_type(o) == H5I_DATASET && H5DSis_scale(o) <= 0 &&
                            H5Aexists(o, "formula") > 0;
                H5Oclose(o);
            }
        }
        if (!is_output) {
            char outs[900];
            list_outputs(fid, outs, sizeof outs);
            st = lc_diag_set(d, LC_ENOTFOUND, r->path, 0,
                             "unknown output '%s'; outputs in this file: %s", r->output, outs);
            goto done;
        }
    }
    if ((ds = H5Dopen2(fid, r->output, H5P_DEFAULT)) < 0 || (fsp = H5Dget_space(ds)) < 0) {
        st = lc_diag_set(d, LC_EHDF5, r->path, 0, "cannot open dataset '%s'", r->output);
        goto done;
    }
    {
        /* float32/float64 only: that is all 'llmcost sweep' writes.  HDF5
         * would convert integers silently, but an integer output means the
         * file was not written by a sweep (or was rewritten by hand), and its
         * values would lose the NaN that marks "no finite value"; strings and
         * compounds do not convert at all.  The file's fault either way
         * (exit 2, issue 7), not an I/O failure. */
        hid_t ft = H5Dget_type(ds);
        H5T_class_t cls = ft >= 0 ? H5Tget_class(ft) : H5T_NO_CLASS;
        size_t fsize = ft >= 0 ? H5Tget_size(ft) : 0;
        if (ft >= 0)
            H5Tclose(ft);
        if (cls != H5T_FLOAT || (fsize != 4 && fsize != 8)) {
            st = lc_diag_set(d, LC_EFORMAT, r->path, 0,
                             "output '%s' is not a float32/float64 dataset", r->output);
            goto done;
        }
    }
    attr_string(ds, "units", s->units, sizeof s->units);
    attr_string(ds, "long_name", s->long_name, sizeof s->long_name);
    rank = H5Sget_simple_extent_ndims(fsp);
    if (rank < 0 || rank > LC_SLICE_MAX_AXES) {
        st = lc_diag_set(d, LC_EFORMAT, r->path, 0, "'%s' has an unsupported rank %d",
                         r->output, rank);
        goto done;
    }
    if (H5Sget_simple_extent_dims(fsp, dsize, NULL) < 0) {
        st = lc_h5_fail(d, r->path, "reading the output's dimensions");
        goto done;
    }
    for (int i = 0; i < rank; i++) {
        char sn[LC_H5_SCALE_NAME];
        if (!lc_h5_dim_scale(ds, (unsigned)i, sn)) {
            st = lc_diag_set(d, LC_EFORMAT, r->path, 0,
                             "dimension %d of '%s' has no axis (dimension scale) attached",
                             i, r->output);
            goto done;
        }
        snprintf(dims[i], LC_SLICE_NAME, "%s", sn);
    }

    /* every named axis must exist */
    if (r->x && (st = check_axis_name(s, "--x", r->x, grid, n_grid, dims, rank, d)) != LC_OK)
        goto done;
    if (r->y && (st = check_axis_name(s, "--y", r->y, grid, n_grid, dims, rank, d)) != LC_OK)
        goto done;
    for (int k = 0; k < r->n_at; k++) {
        const char *an = r->at[k].axis;
        if ((st = check_axis_name(s, "--at", an, grid, n_grid, dims, rank, d)) != LC_OK)
            goto done;
        if ((r->x && strcmp(an, r->x) == 0) || (r->y && strcmp(an, r->y) == 0)) {
            st = lc_diag_set(d, LC_EINVAL, NULL, 0,
                             "--at %s: '%s' is already the %s axis", an, an,
                             r->x && strcmp(an, r->x) == 0 ? "x" : "y");
            goto done;
        }
        for (int j = 0; j < k; j++)
            if (strcmp(r->at[j].axis, an) == 0) {
                st = lc_diag_set(d, LC_EINVAL, NULL, 0, "--at %s given twice", an);
                goto done;
            }
    }

    /* fix every dimension that is not x or y */
    int xdim = -1, ydim = -1;
    hsize_t start[LC_SLICE_MAX_AXES], count[LC_SLICE_MAX_AXES];
    for (int i = 0; i < rank; i++) {
        start[i] = 0;
        count[i] = 1;
        if (r->x && strcmp(dims[i], r->x) == 0) {
            xdim = i;
            count[i] = dsize[i];
            continue;
        }
        if (r->y && strcmp(dims[i], r->y) == 0) {
            ydim = i;
            count[i] = dsize[i];
            continue;
        }
        int k = -1;
        for (int j = 0; j < r->n_at; j++)
            if (strcmp(r->at[j].axis, dims[i]) == 0)
                k = j;
        lc_slice_axis a;
        if ((st = axis_load(fid, r->path, dims[i], &a, d)) != LC_OK)
            goto done;
        if (a.n != dsize[i]) {
            /* message before axis_free: it clears a.n */
            st = dim_mismatch(r, i, dsize[i], &a, d);
            axis_free(&a);
            goto done;
        }
        size_t idx = 0;
        if (k >= 0) {
            st = axis_pick(s, &a, r->at[k].value, r->exact, &idx, d);
        } else if (a.n != 1) {
            char vals[600];
            axis_describe(&a, vals, sizeof vals);
            st = lc_diag_set(d, LC_EINVAL, NULL, 0,
                             "%s depends on axis '%s' (values: %s): make it --x/--y "
                             "or fix it with --at %s=VALUE (or =#INDEX)",
                             r->output, dims[i], vals, dims[i]);
        }
        if (st == LC_OK) {
            lc_slice_fixed *f = &s->fixed[s->n_fixed++];
            snprintf(f->name, sizeof f->name, "%s", a.name);
            f->index = idx;
            f->value = a.values[idx];
            if (a.labels)
                snprintf(f->label, sizeof f->label, "%s", a.labels[idx]);
            f->used = 1;
            start[i] = idx;
        }
        axis_free(&a);
        if (st != LC_OK)
            goto done;
    }
    /* --at on axes the output does not depend on: checked, then ignored */
    for (int k = 0; k < r->n_at; k++) {
        if (name_in(r->at[k].axis, dims, rank) >= 0)
            continue;
        lc_slice_axis a;
        size_t idx = 0;
        if ((st = axis_load(fid, r->path, r->at[k].axis, &a, d)) != LC_OK)
            goto done;
        st = axis_pick(s, &a, r->at[k].value, r->exact, &idx, d);
        if (st == LC_OK && s->n_fixed < LC_SLICE_MAX_AXES) {
            lc_slice_fixed *f = &s->fixed[s->n_fixed++];
            snprintf(f->name, sizeof f->name, "%s", a.name);
            f->index = idx;
            f->value = a.values[idx];
            if (a.labels)
                snprintf(f->label, sizeof f->label, "%s", a.labels[idx]);
            f->used = 0;
            note_add(s, "%s does not depend on %s: --at %s=%s ignored", r->output,
                     a.name, a.name, r->at[k].value);
        }
        axis_free(&a);
        if (st != LC_OK)
            goto done;
    }

    /* the x and y axes (values from the file, repeated when broadcast) */
    s->dims = r->y ? 2 : r->x ? 1 : 0;
    if (r->x && (st = plot_axis_load(s, fid, r, r->x, xdim, dsize, &s->x, 'x', &s->nx, d)) != LC_OK)
        goto done;
    if (r->y && (st = plot_axis_load(s, fid, r, r->y, ydim, dsize, &s->y, 'y', &s->ny, d)) != LC_OK)
        goto done;
    if (s->nx && s->ny > SIZE_MAX / sizeof(double) / s->nx) {
        st = lc_diag_set(d, LC_ERANGE, NULL, 0, "slice too large (%zu x %zu)", s->nx, s->ny);
        goto done;
    }

    /* read only the hyperslab: full extent on x/y, one index elsewhere */
    size_t nread = 1;
    for (int i = 0; i < rank; i++)
        nread *= (size_t)count[i];
    tmp = malloc((nread ? nread : 1) * sizeof *tmp);
    s->z = malloc((s->nx * s->ny > 0 ? s->nx * s->ny : 1) * sizeof *s->z);
    if (!tmp || !s->z) {
        st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory for a %zu x %zu slice",
                         s->nx, s->ny);
        goto done;
    }
    if (rank == 0) {
        msp = H5Screate(H5S_SCALAR);
    } else {
        if (H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start, NULL, count, NULL) < 0) {
            st = lc_diag_set(d, LC_EHDF5, r->path, 0, "cannot select the slice of '%s'", r->output);
            goto done;
        }
        msp = H5Screate_simple(rank, count, NULL);
    }
    if (msp < 0 || (nread && H5Dread(ds, H5T_NATIVE_DOUBLE, msp, fsp, H5P_DEFAULT, tmp) < 0)) {
        st = lc_diag_set(d, LC_EHDF5, r->path, 0, "cannot read the slice of '%s'", r->output);
        goto done;
    }
    /* tmp is in the dataset's dimension order; z wants x fastest */
    {
        size_t stride[LC_SLICE_MAX_AXES];
        size_t acc = 1;
        for (int i = rank - 1; i >= 0; i--) {
            stride[i] = acc;
            acc *= (size_t)count[i];
        }
        size_t sx = xdim >= 0 ? stride[xdim] : 0, sy = ydim >= 0 ? stride[ydim] : 0;
        for (size_t iy = 0; iy < s->ny; iy++)
            for (size_t ix = 0; ix < s->nx; ix++) {
                double v = tmp[ix * sx + iy * sy];
                s->z[iy * s->nx + ix] = v;
                if (isnan(v))
                    s->has_nan = 1;
            }
    }
    if (s->has_nan)
        note_add(s, "the slice holds NaN (no finite value, e.g. no break-even)");

done:
    free(tmp);
    if (msp >= 0) H5Sclose(msp);
    if (fsp >= 0) H5Sclose(fsp);
    if (ds >= 0) H5Dclose(ds);
    if (fid >= 0) H5Fclose(fid);
    H5Eset_auto2(H5E_DEFAULT, old_func, old_data);
    if (st != LC_OK) {
        axis_free(&s->x);
        axis_free(&s->y);
        free(s->z);
        s->z = NULL;
    }
    return st;
}
