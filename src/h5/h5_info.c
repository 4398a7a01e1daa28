/*
 * h5_info.c - read what a sweep file holds for `llmcost info` (see
 * h5_info.h): every HDF5 call's result is checked, and what cannot be read
 * is flagged for the caller to say so.  Only what info prints is read: at
 * most 32 names of a string axis, the two ends of a numeric one.
 */
#include "h5/h5_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5/h5_read.h"
#include "h5/h5_write.h"

struct lc_h5_info {
    hid_t f;
    lc_h5_axis_desc *axes;
    int n_axes;
    lc_h5_output_desc *outs;
    int n_outs;
    lc_h5_summary_desc *sum;
    int n_sum; /* -1: no /summary */
    char (*attr)[128];
    int n_attr;
};

static void close_id(hid_t id, herr_t (*fn)(hid_t))
{
    if (id >= 0)
        fn(id);
}

static void read_axis(hid_t f, const char *name, lc_h5_axis_desc *a)
{
    snprintf(a->name, sizeof a->name, "%s", name);
    hid_t ds = H5Lexists(f, name, H5P_DEFAULT) > 0 ? H5Dopen2(f, name, H5P_DEFAULT) : -1;
    if (ds < 0) {
        a->kind = LC_H5_AXIS_MISSING;
        return;
    }
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    H5T_class_t tc = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    lc_h5_attr_string(ds, "units", a->units, sizeof a->units);
    lc_h5_attr_string(ds, "long_name", a->long_name, sizeof a->long_name);
    int chars = lc_h5_axis_is_chars(ds); /* a netCDF-4 classic model text axis */
    if (chars)
        n = lc_h5_axis_points(ds);
    a->n = n > 0 ? (uint64_t)n : 0;
    a->kind = n <= 0 ? LC_H5_AXIS_EMPTY
            : chars ? LC_H5_AXIS_NAMES
            : tc == H5T_STRING && H5Tis_variable_str(t) > 0 ? LC_H5_AXIS_NAMES
            : tc == H5T_INTEGER || tc == H5T_FLOAT ? LC_H5_AXIS_NUMBERS
            : LC_H5_AXIS_OTHER;
    if (a->kind == LC_H5_AXIS_NAMES && chars) {
        size_t m = 0, len = 0;
        char **v = lc_h5_axis_chars(ds, &m);
        for (size_t i = 0; v && i < m; i++) {
            if (i < 32 && len < sizeof a->names)
                len += (size_t)snprintf(a->names + len, sizeof a->names - len, "%s%s",
                                        i ? ", " : "", v[i]);
            free(v[i]);
        }
        if (v && m > 32 && len < sizeof a->names)
            snprintf(a->names + len, sizeof a->names - len, ", ...");
        a->readable = v != NULL;
        free(v);
    } else if (a->kind == LC_H5_AXIS_NAMES) {
        hsize_t m = n > 32 ? 32 : (hsize_t)n, zero = 0;
        char **v = calloc((size_t)m, sizeof *v);
        hid_t mt = H5Tcopy(H5T_C_S1), ms = H5Screate_simple(1, &m, NULL), fs = H5Scopy(sp);
        if (v && mt >= 0 && ms >= 0 && fs >= 0 && H5Tset_size(mt, H5T_VARIABLE) >= 0 &&
            H5Tset_cset(mt, H5T_CSET_UTF8) >= 0 &&
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &zero, NULL, &m, NULL) >= 0 &&
            H5Dread(ds, mt, ms, fs, H5P_DEFAULT, v) >= 0) {
            size_t len = 0;
            for (hsize_t i = 0; i < m && len < sizeof a->names; i++)
                len += (size_t)snprintf(a->names + len, sizeof a->names - len, "%s%s",
                                        i ? ", " : "", v[i] ? v[i] : "");
            if ((hsize_t)n > m && len < sizeof a->names)
                snprintf(a->names + len, sizeof a->names - len, ", ...");
            a->readable = 1;
            H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, v);
        }
        close_id(fs, H5Sclose);
        close_id(ms, H5Sclose);
        close_id(mt, H5Tclose);
        free(v);
    } else if (a->kind == LC_H5_AXIS_NUMBERS) {
        double v[2];
        hsize_t two = 2, pts[2] = {0, (hsize_t)(n - 1)};
        hid_t ms = H5Screate_simple(1, &two, NULL), fs = H5Scopy(sp);
        if (ms >= 0 && fs >= 0 && H5Sselect_elements(fs, H5S_SELECT_SET, 2, pts) >= 0 &&
            H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v) >= 0) {
            a->first = v[0];
            a->last = v[1];
            a->readable = 1;
        }
        close_id(fs, H5Sclose);
        close_id(ms, H5Sclose);
    }
    close_id(t, H5Tclose);
    close_id(sp, H5Sclose);
    H5Dclose(ds);
}

static void read_filters(hid_t pl, char *buf, size_t size)
{
    int nf = H5Pget_nfilters(pl);
    size_t len = 0;
    buf[0] = '\0';
    if (nf < 0) {
        snprintf(buf, size, "(unreadable)");
        return;
    }
    if (nf == 0)
        snprintf(buf, size, "none");
    for (int i = 0; i < nf && len < size; i++) {
        unsigned flags, cd[8], cfg;
        size_t ncd = 8;
        char fname[64] = "";
        H5Z_filter_t id = H5Pget_filter2(pl, (unsigned)i, &flags, &ncd, cd, sizeof fname, fname,
                                         &cfg);
        const char *nm = id < 0 ? "?"
                       : id == H5Z_FILTER_SHUFFLE ? "shuffle"
                       : id == H5Z_FILTER_DEFLATE ? "deflate"
                       : id == LC_H5_FILTER_LZ4 ? "lz4"
                       : id == LC_H5_FILTER_BLOSC ? (ncd >= 7 && cd[6] == 5 ? "blosc-zstd" : "blosc")
                       : fname;
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "+" : "", nm);
        if (id == H5Z_FILTER_DEFLATE && ncd > 0 && len < size)
            len += (size_t)snprintf(buf + len, size - len, ":%u", cd[0]);
    }
}

static int read_output(hid_t f, const char *name, lc_h5_output_desc *o)
{
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    if (ds < 0)
        return 0;
    snprintf(o->name, sizeof o->name, "%s", name);
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds), pl = H5Dget_create_plist(ds);
    hsize_t dims[LC_H5_INFO_RANK], ch[LC_H5_INFO_RANK];
    o->formula = lc_h5_attr_string_dup(ds, "formula");
    lc_h5_attr_string(ds, "units", o->units, sizeof o->units);
    lc_h5_attr_string(ds, "long_name", o->long_name, sizeof o->long_name);
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (rank > LC_H5_INFO_RANK)
        rank = LC_H5_INFO_RANK;
    if (rank < 0 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0)
        rank = 0;
    o->rank = rank;
    for (int j = 0; j < rank; j++) {
        o->dims[j] = dims[j];
        if (!lc_h5_dim_scale(ds, (unsigned)j, o->dim_name[j]))
            snprintf(o->dim_name[j], sizeof o->dim_name[j], "?"); /* no scale attached */
    }
    H5T_class_t tc = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    o->type_size = t >= 0 ? H5Tget_size(t) : 0;
    o->type_class = tc == H5T_FLOAT ? 'f' : tc == H5T_INTEGER ? 'i' : tc == H5T_STRING ? 's'
                  : tc == H5T_NO_CLASS ? '?' : 'o';
    o->type_unsigned = tc == H5T_INTEGER && H5Tget_sign(t) == H5T_SGN_NONE;
    if (pl >= 0 && H5Pget_layout(pl) == H5D_CHUNKED) {
        o->chunked = 1;
        int cr = H5Pget_chunk(pl, LC_H5_INFO_RANK, ch);
        o->chunk_rank = cr > 0 ? cr : 0;
        for (int j = 0; j < o->chunk_rank; j++)
            o->chunk[j] = ch[j];
        read_filters(pl, o->filters, sizeof o->filters);
    }
    o->storage_bytes = H5Dget_storage_size(ds);
    close_id(pl, H5Pclose);
    close_id(t, H5Tclose);
    close_id(sp, H5Sclose);
    H5Dclose(ds);
    return 1;
}

/* One reduction or condition: the attributes of the group sg, or (netCDF-4
 * classic model, pre = "summary.<name>.") the root attributes pre<key>. */
static void read_summary_group(hid_t sg, const char *pre, const char *name,
                               lc_h5_summary_desc *s)
{
    char k[256];
#define K(key) (snprintf(k, sizeof k, "%s%s", pre, (key)), k)
    snprintf(s->name, sizeof s->name, "%s", name);
    if (lc_h5_attr_string(sg, K("condition"), s->condition, sizeof s->condition) == LC_OK) {
        s->is_condition = 1;
        s->count_ok = lc_h5_attr_u64(sg, K("count"), &s->count) == LC_OK;
        s->share_ok = lc_h5_attr_double(sg, K("share"), &s->share) == LC_OK;
        return;
    }
    lc_h5_attr_string(sg, K("units"), s->units, sizeof s->units);
    if (lc_h5_attr_string(sg, K("argmin"), s->argmin, sizeof s->argmin) != LC_OK)
        snprintf(s->argmin, sizeof s->argmin, "?");
    if (lc_h5_attr_string(sg, K("argmax"), s->argmax, sizeof s->argmax) != LC_OK)
        snprintf(s->argmax, sizeof s->argmax, "?");
    s->min_ok = lc_h5_attr_double(sg, K("min"), &s->min) == LC_OK;
    s->max_ok = lc_h5_attr_double(sg, K("max"), &s->max) == LC_OK;
    s->mean_ok = lc_h5_attr_double(sg, K("mean"), &s->mean) == LC_OK;
    s->count_finite_ok = lc_h5_attr_u64(sg, K("count_finite"), &s->count_finite) == LC_OK;
    s->count_nan_ok = lc_h5_attr_u64(sg, K("count_nan"), &s->count_nan) == LC_OK;
    s->has_count_inf = H5Aexists(sg, K("count_inf")) > 0; /* files from before it have none */
    s->count_inf_ok = s->has_count_inf && lc_h5_attr_u64(sg, K("count_inf"), &s->count_inf) == LC_OK;
#undef K
}

/* netCDF-4 classic model: the root attributes summary.<name>.<key>, one
 * entry per <name> in the order its first attribute was written. */
static lc_status read_summary_attrs(lc_h5_info *fi)
{
    H5O_info_t fo;
    fi->n_sum = 0;
    if (H5Oget_info(fi->f, &fo) < 0 || fo.num_attrs == 0)
        return LC_OK;
    fi->sum = calloc((size_t)fo.num_attrs, sizeof *fi->sum);
    if (!fi->sum)
        return LC_ENOMEM;
    for (hsize_t i = 0; i < fo.num_attrs; i++) {
        char an[256], name[128], pre[160];
        if (H5Aget_name_by_idx(fi->f, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, an, sizeof an,
                               H5P_DEFAULT) < 0 || strncmp(an, "summary.", 8) != 0)
            continue;
        const char *dot = strrchr(an + 8, '.');
        if (!dot || dot == an + 8 || (size_t)(dot - (an + 8)) >= sizeof name)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(dot - (an + 8)), an + 8);
        int seen = 0;
        for (int j = 0; j < fi->n_sum && !seen; j++)
            seen = strcmp(fi->sum[j].name, name) == 0;
        if (seen)
            continue;
        snprintf(pre, sizeof pre, "summary.%s.", name);
        read_summary_group(fi->f, pre, name, &fi->sum[fi->n_sum++]);
    }
    return LC_OK;
}

static lc_status read_summary(lc_h5_info *fi)
{
    fi->n_sum = -1;
    if (H5Lexists(fi->f, "summary", H5P_DEFAULT) <= 0 && H5Aexists(fi->f, "summary") > 0)
        return read_summary_attrs(fi);
    if (H5Lexists(fi->f, "summary", H5P_DEFAULT) <= 0)
        return LC_OK;
    hid_t g = H5Gopen2(fi->f, "summary", H5P_DEFAULT);
    H5G_info_t gi;
    fi->n_sum = 0;
    if (g < 0 || H5Gget_info(g, &gi) < 0) {
        close_id(g, H5Gclose);
        return LC_OK; /* info says "none" rather than failing on it */
    }
    fi->sum = calloc(gi.nlinks ? gi.nlinks : 1, sizeof *fi->sum);
    if (!fi->sum) {
        H5Gclose(g);
        return LC_ENOMEM;
    }
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char name[128];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name,
                               H5P_DEFAULT) < 0)
            continue;
        hid_t sg = H5Gopen2(g, name, H5P_DEFAULT);
        if (sg < 0)
            continue;
        read_summary_group(sg, "", name, &fi->sum[fi->n_sum++]);
        H5Gclose(sg);
    }
    H5Gclose(g);
    return LC_OK;
}

static lc_status read_outputs(lc_h5_info *fi)
{
    H5G_info_t gi;
    if (H5Gget_info(fi->f, &gi) < 0)
        return LC_OK;
    fi->outs = calloc(gi.nlinks ? gi.nlinks : 1, sizeof *fi->outs);
    if (!fi->outs)
        return LC_ENOMEM;
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char name[256];
        H5O_info_t oi;
        if (H5Lget_name_by_idx(fi->f, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name,
                               H5P_DEFAULT) < 0 ||
            H5Oget_info_by_name(fi->f, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
            continue;
        /* outputs are the datasets with a formula, in creation order */
        if (H5Aexists_by_name(fi->f, name, "formula", H5P_DEFAULT) > 0 &&
            read_output(fi->f, name, &fi->outs[fi->n_outs]))
            fi->n_outs++;
    }
    return LC_OK;
}

static lc_status read_attr_names(lc_h5_info *fi)
{
    H5O_info_t fo;
    if (H5Oget_info(fi->f, &fo) < 0 || fo.num_attrs == 0)
        return LC_OK;
    fi->attr = calloc((size_t)fo.num_attrs, sizeof *fi->attr);
    if (!fi->attr)
        return LC_ENOMEM;
    for (hsize_t i = 0; i < fo.num_attrs; i++)
        if (H5Aget_name_by_idx(fi->f, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, fi->attr[fi->n_attr],
                               sizeof fi->attr[0], H5P_DEFAULT) >= 0)
            fi->n_attr++;
    return LC_OK;
}

lc_status lc_h5_info_open(lc_h5_info **out, const char *path, lc_diag *d)
{
    *out = NULL;
    lc_h5_info *fi = calloc(1, sizeof *fi);
    if (!fi)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    lc_status st = lc_h5_open_sweep(path, &fi->f, d);
    if (st != LC_OK) {
        free(fi);
        return st;
    }
    char *axes = lc_h5_attr_string_dup(fi->f, "axes");
    char why[512];
    if (!lc_h5_valid_sweep(fi->f, axes, why, sizeof why)) {
        free(axes);
        lc_h5_info_close(fi);
        return lc_diag_set(d, LC_EFORMAT, NULL, 0,
                           "%s: not a valid llmcost sweep file (its format attribute says so, "
                           "but %s)", path, why);
    }
    int cap = 0;
    for (const char *p = axes; p && *p; p++)
        cap += *p == ',';
    fi->axes = calloc((size_t)cap + 1, sizeof *fi->axes);
    st = fi->axes ? LC_OK : LC_ENOMEM;
    if (st == LC_OK && axes && axes[0]) {
        char *save = NULL;
        for (char *tok = strtok_r(axes, ",", &save); tok && fi->n_axes <= cap;
             tok = strtok_r(NULL, ",", &save))
            read_axis(fi->f, tok, &fi->axes[fi->n_axes++]);
    }
    free(axes);
    if (st == LC_OK)
        st = read_outputs(fi);
    if (st == LC_OK)
        st = read_summary(fi);
    if (st == LC_OK)
        st = read_attr_names(fi);
    if (st != LC_OK) {
        lc_h5_info_close(fi);
        return lc_diag_set(d, st, path, 0, "out of memory");
    }
    *out = fi;
    return LC_OK;
}

void lc_h5_info_close(lc_h5_info *fi)
{
    if (!fi)
        return;
    for (int i = 0; i < fi->n_outs; i++)
        free(fi->outs[i].formula);
    free(fi->outs);
    free(fi->axes);
    free(fi->sum);
    free(fi->attr);
    close_id(fi->f, H5Fclose);
    free(fi);
}

int lc_h5_info_n_axes(const lc_h5_info *fi) { return fi->n_axes; }
const lc_h5_axis_desc *lc_h5_info_axis(const lc_h5_info *fi, int i) { return &fi->axes[i]; }
int lc_h5_info_n_outputs(const lc_h5_info *fi) { return fi->n_outs; }
const lc_h5_output_desc *lc_h5_info_output(const lc_h5_info *fi, int i) { return &fi->outs[i]; }
int lc_h5_info_n_summary(const lc_h5_info *fi) { return fi->n_sum; }
const lc_h5_summary_desc *lc_h5_info_summary(const lc_h5_info *fi, int i) { return &fi->sum[i]; }
int lc_h5_info_n_attrs(const lc_h5_info *fi) { return fi->n_attr; }
const char *lc_h5_info_attr_name(const lc_h5_info *fi, int i) { return fi->attr[i]; }

lc_status lc_h5_info_attr(const lc_h5_info *fi, const char *name, char *buf, size_t size)
{
    if (H5Aexists(fi->f, name) <= 0)
        return LC_ENOTFOUND;
    if (lc_h5_attr_string(fi->f, name, buf, size) == LC_OK)
        return LC_OK;
    hid_t a = H5Aopen(fi->f, name, H5P_DEFAULT), t = a >= 0 ? H5Aget_type(a) : -1;
    int integer = t >= 0 && H5Tget_class(t) == H5T_INTEGER;
    close_id(t, H5Tclose);
    close_id(a, H5Aclose);
    uint64_t u;
    double v;
    if (integer && lc_h5_attr_u64(fi->f, name, &u) == LC_OK)
        snprintf(buf, size, "%llu", (unsigned long long)u);
    else if (lc_h5_attr_double(fi->f, name, &v) == LC_OK)
        snprintf(buf, size, "%.6g", v);
    else
        return LC_EFORMAT;
    return LC_OK;
}

lc_status lc_h5_info_attr_u64(const lc_h5_info *fi, const char *name, uint64_t *v)
{
    return lc_h5_attr_u64(fi->f, name, v);
}

char *lc_h5_info_attr_dup(const lc_h5_info *fi, const char *name)
{
    return lc_h5_attr_string_dup(fi->f, name);
}
