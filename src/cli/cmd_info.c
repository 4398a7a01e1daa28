/*
 * cmd_info.c - 'llmcost info FILE': what a sweep file holds and how it was
 * made: axes (points, range, units), outputs (dimensions, dtype, chunking,
 * filters, units, formula), the reductions of /summary and provenance.
 * A file that is not HDF5, or not an llmcost sweep, is an input error.
 */
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "h5/h5_write.h"
#include "h5/h5_read.h"

#define CMD "info"

static void usage(FILE *f)
{
    fprintf(f, "Usage: llmcost info FILE\n\n"
               "Describe a sweep file written by 'llmcost sweep': its axes, stored\n"
               "outputs (dimensions, dtype, chunks, filters, units, formula), the\n"
               "reductions and condition counts over the full grid, and provenance\n"
               "(llmcost version and commit, creation time, spec).\n\n"
               "Exit status: 0 ok, 1 failure, 2 usage error or not a sweep file.\n");
}

static herr_t scale_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    (void)did;
    (void)dim;
    char *buf = data;
    if (H5DSget_scale_name(dsid, buf, 64) < 0)
        buf[0] = '\0';
    return 1;
}

static void print_axis(hid_t f, const char *name)
{
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    if (ds < 0) {
        printf("  %-18s (missing)\n", name);
        return;
    }
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    char units[64] = "", ln[256] = "";
    lc_h5_attr_string(ds, "units", units, sizeof units);
    lc_h5_attr_string(ds, "long_name", ln, sizeof ln);
    if (lc_h5_axis_is_chars(ds)) { /* netCDF-4 classic model: names as chars */
        size_t m = 0;
        char **v = lc_h5_axis_chars(ds, &m);
        n = v ? (hssize_t)m : lc_h5_axis_points(ds);
        printf("  %-18s %6lld  ", name, (long long)n);
        for (size_t i = 0; v && i < m; i++) {
            if (i < 32)
                printf("%s%s", i ? ", " : "", v[i]);
            free(v[i]);
        }
        printf("%s  (%s)\n", !v ? "(unreadable names)" : m > 32 ? ", ..." : "", ln);
        free(v);
        H5Tclose(t);
        H5Sclose(sp);
        H5Dclose(ds);
        return;
    }
    printf("  %-18s %6lld  ", name, (long long)n);
    /* only what is printed is read: at most 32 names, or the two ends */
    if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0 && n > 0) {
        hsize_t m = n > 32 ? 32 : (hsize_t)n, zero = 0;
        char **v = calloc((size_t)m, sizeof *v);
        hid_t mt = H5Tcopy(H5T_C_S1), ms = H5Screate_simple(1, &m, NULL), fs = H5Scopy(sp);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5T_CSET_UTF8);
        if (v && ms >= 0 && fs >= 0 &&
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &zero, NULL, &m, NULL) >= 0 &&
            H5Dread(ds, mt, ms, fs, H5P_DEFAULT, v) >= 0) {
            for (hsize_t i = 0; i < m; i++)
                printf("%s%s", i ? ", " : "", v[i] ? v[i] : "");
            if ((hsize_t)n > m)
                printf(", ...");
            H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, v);
        } else {
            printf("(unreadable names)");
        }
        if (fs >= 0) H5Sclose(fs);
        if (ms >= 0) H5Sclose(ms);
        H5Tclose(mt);
        free(v);
        printf("  (%s)\n", ln);
    } else if (H5Tget_class(t) == H5T_INTEGER || H5Tget_class(t) == H5T_FLOAT) {
        double v[2];
        hsize_t two = 2, pts[2] = {0, (hsize_t)(n - 1)};
        hid_t ms = H5Screate_simple(1, &two, NULL), fs = H5Scopy(sp);
        if (ms >= 0 && fs >= 0 && H5Sselect_elements(fs, H5S_SELECT_SET, 2, pts) >= 0 &&
            H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v) >= 0)
            printf("%.6g .. %.6g", v[0], v[1]);
        else
            printf("(unreadable values)");
        if (fs >= 0) H5Sclose(fs);
        if (ms >= 0) H5Sclose(ms);
        printf("  [%s] %s\n", units, ln);
    } else if (n > 0) {
        printf("(neither numbers nor names)\n");
    } else {
        printf("\n");
    }
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(ds);
}

static void print_output(hid_t f, const char *name)
{
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    if (ds < 0)
        return;
    hid_t sp = H5Dget_space(ds), t = H5Dget_type(ds), pl = H5Dget_create_plist(ds);
    int rank = H5Sget_simple_extent_ndims(sp);
    hsize_t dims[32], ch[32];
    char units[64] = "", ln[256] = "";
    char *formula = lc_h5_attr_string_dup(ds, "formula");
    lc_h5_attr_string(ds, "units", units, sizeof units);
    lc_h5_attr_string(ds, "long_name", ln, sizeof ln);
    if (rank > 32)
        rank = 32;
    H5Sget_simple_extent_dims(sp, dims, NULL);
    printf("  %s  [%s] %s\n    dims   ", name, units, ln);
    if (rank == 0)
        printf("(scalar: depends on no axis)");
    for (int j = 0; j < rank; j++) {
        char sn[64] = "?";
        H5DSiterate_scales(ds, (unsigned)j, NULL, scale_cb, sn);
        printf("%s%s %llu", j ? " x " : "", sn, (unsigned long long)dims[j]);
    }
    H5T_class_t tc = H5Tget_class(t);
    size_t tsz = H5Tget_size(t);
    if (tc == H5T_FLOAT && (tsz == 4 || tsz == 8))
        printf("\n    dtype  float%zu", 8 * tsz);
    else if (tc == H5T_INTEGER)
        printf("\n    dtype  %sint%zu (not written by llmcost: its outputs are floats)",
               H5Tget_sign(t) == H5T_SGN_NONE ? "u" : "", 8 * tsz);
    else
        printf("\n    dtype  %s of %zu bytes (not written by llmcost: its outputs are floats)",
               tc == H5T_FLOAT ? "float" : tc == H5T_STRING ? "string" : "another type", tsz);
    if (H5Pget_layout(pl) == H5D_CHUNKED) {
        int cr = H5Pget_chunk(pl, 32, ch);
        printf(", chunks ");
        for (int j = 0; j < cr; j++)
            printf("%s%llu", j ? "x" : "", (unsigned long long)ch[j]);
        int nf = H5Pget_nfilters(pl);
        printf(", filters ");
        if (nf <= 0)
            printf("none");
        for (int i = 0; i < nf; i++) {
            unsigned flags, cd[8];
            size_t ncd = 8;
            char fname[64] = "";
            unsigned cfg;
            H5Z_filter_t id = H5Pget_filter2(pl, (unsigned)i, &flags, &ncd, cd, sizeof fname,
                                             fname, &cfg);
            const char *nm = id == H5Z_FILTER_SHUFFLE ? "shuffle"
                           : id == H5Z_FILTER_DEFLATE ? "deflate"
                           : id == LC_H5_FILTER_LZ4 ? "lz4"
                           : id == LC_H5_FILTER_BLOSC ? (ncd >= 7 && cd[6] == 5 ? "blosc-zstd" : "blosc")
                           : fname;
            printf("%s%s", i ? "+" : "", nm);
            if (id == H5Z_FILTER_DEFLATE && ncd > 0)
                printf(":%u", cd[0]);
        }
    }
    hsize_t stored = H5Dget_storage_size(ds);
    printf(", %.3g MB on disk\n", (double)stored / 1e6);
    if (formula)
        printf("    formula %s\n", formula);
    free(formula);
    H5Pclose(pl);
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(ds);
}

/* A number attribute as text: "(unreadable)" when it is missing or cannot
 * be read as a number, never a 0 that looks like a value. */
static const char *num_text(hid_t obj, const char *name, char *buf, size_t size)
{
    double v;
    if (lc_h5_attr_double(obj, name, &v) != LC_OK)
        return "(unreadable)";
    snprintf(buf, size, "%.6g", v);
    return buf;
}

static const char *u64_text(hid_t obj, const char *name, char *buf, size_t size)
{
    uint64_t v;
    if (lc_h5_attr_u64(obj, name, &v) != LC_OK)
        return "(unreadable)";
    snprintf(buf, size, "%llu", (unsigned long long)v);
    return buf;
}

/* netCDF-4 classic model: the summary is in root attributes summary.* */
static herr_t summary_attr_cb(hid_t f, const char *name, const H5A_info_t *ai, void *data)
{
    (void)ai;
    char v[512];
    double x;
    uint64_t u;
    if (strncmp(name, "summary.", 8) != 0)
        return 0;
    ++*(int *)data;
    if (lc_h5_attr_string(f, name, v, sizeof v) == LC_OK)
        printf("  %-40s %s\n", name + 8, v);
    else if (lc_h5_attr_double(f, name, &x) == LC_OK)
        printf("  %-40s %.6g\n", name + 8, x);
    else if (lc_h5_attr_u64(f, name, &u) == LC_OK)
        printf("  %-40s %llu\n", name + 8, (unsigned long long)u);
    else
        printf("  %-40s (an array)\n", name + 8);
    return 0;
}

static void print_summary(hid_t f)
{
    if (H5Lexists(f, "summary", H5P_DEFAULT) <= 0 && H5Aexists(f, "summary") > 0) {
        int n = 0;
        hsize_t idx = 0;
        printf("reductions over the full grid (root attributes summary.*):\n");
        H5Aiterate2(f, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, summary_attr_cb, &n);
        if (n == 0)
            printf("  none\n");
        return;
    }
    if (H5Lexists(f, "summary", H5P_DEFAULT) <= 0) {
        printf("reductions: none\n");
        return;
    }
    hid_t g = H5Gopen2(f, "summary", H5P_DEFAULT);
    H5G_info_t gi;
    if (g < 0 || H5Gget_info(g, &gi) < 0) {
        if (g >= 0)
            H5Gclose(g);
        return;
    }
    printf("reductions over the full grid:\n");
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char name[128];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name,
                               H5P_DEFAULT) < 0)
            continue;
        hid_t sg = H5Gopen2(g, name, H5P_DEFAULT);
        if (sg < 0)
            continue;
        char cond[256], units[64] = "";
        char b1[40], b2[40], b3[40], b4[40], b5[40], b6[40];
        if (lc_h5_attr_string(sg, "condition", cond, sizeof cond) == LC_OK) {
            double share;
            printf("  %-32s %s points", cond, u64_text(sg, "count", b1, sizeof b1));
            if (lc_h5_attr_double(sg, "share", &share) == LC_OK)
                printf(" (%.4g%%)\n", 100 * share);
            else
                printf(" (share unreadable)\n");
        } else {
            char *amin = lc_h5_attr_string_dup(sg, "argmin");
            char *amax = lc_h5_attr_string_dup(sg, "argmax");
            lc_h5_attr_string(sg, "units", units, sizeof units);
            printf("  %s [%s]\n    min  %s at %s\n    max  %s at %s\n"
                   "    mean %s   finite %s, NaN %s",
                   name, units, num_text(sg, "min", b1, sizeof b1), amin ? amin : "?",
                   num_text(sg, "max", b2, sizeof b2), amax ? amax : "?",
                   num_text(sg, "mean", b3, sizeof b3),
                   u64_text(sg, "count_finite", b4, sizeof b4),
                   u64_text(sg, "count_nan", b5, sizeof b5));
            if (H5Aexists(sg, "count_inf") > 0) /* files from before it have none */
                printf(", +-inf %s", u64_text(sg, "count_inf", b6, sizeof b6));
            printf("\n");
            free(amin);
            free(amax);
        }
        H5Gclose(sg);
    }
    H5Gclose(g);
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
    hid_t f;
    lc_diag d = {0};
    lc_status st = lc_h5_open_sweep(path, &f, &d);
    if (st != LC_OK) {
        lc_cli_report(CMD, st, &d);
        return st == LC_EIO ? 2 : lc_exit_code(st);
    }
    /* a string attribute that cannot be read says so (the reader leaves
     * the buffer as it is then) */
    char fmt[64] = "", ver[64] = "(unreadable)", commit[64] = "(unreadable)",
         created[64] = "(unreadable)", sp[512] = "";
    char sn[256] = "", layout[32] = "(unreadable)", isa[32] = "(unreadable)",
         dtype[32] = "(unreadable)", comp[64] = "(unreadable)";
    char *axes = lc_h5_attr_string_dup(f, "axes");
    char why[512];
    if (!lc_h5_valid_sweep(f, axes, why, sizeof why)) {
        lc_cli_error(CMD, "%s: not a valid llmcost sweep file (its format attribute says so, "
                          "but %s)", path, why);
        free(axes);
        H5Fclose(f);
        return 2;
    }
    char pts[40], threads[40];
    lc_h5_attr_string(f, "format", fmt, sizeof fmt);
    lc_h5_attr_string(f, "llmcost_version", ver, sizeof ver);
    lc_h5_attr_string(f, "llmcost_commit", commit, sizeof commit);
    lc_h5_attr_string(f, "created", created, sizeof created);
    lc_h5_attr_string(f, "spec_path", sp, sizeof sp);
    lc_h5_attr_string(f, "spec_name", sn, sizeof sn);
    lc_h5_attr_string(f, "layout", layout, sizeof layout);
    lc_h5_attr_string(f, "isa", isa, sizeof isa);
    lc_h5_attr_string(f, "dtype", dtype, sizeof dtype);
    lc_h5_attr_string(f, "compression", comp, sizeof comp);
    printf("file: %s (%s)\n", path, fmt);
    printf("made by llmcost %s (commit %s), %s\n", ver, commit, created);
    printf("spec: %s%s%s%s\n", sp[0] ? sp : "(in memory)", sn[0] ? " (\"" : "", sn,
           sn[0] ? "\")" : "");
    printf("run: %s layout, %s, compression %s, %s kernel, %s threads\n", layout, dtype,
           comp, isa, u64_text(f, "threads", threads, sizeof threads));
    printf("grid: %s points\n", u64_text(f, "grid_points", pts, sizeof pts));

    /* axes in grid order */
    printf("axes (grid order; the last is contiguous):\n");
    char *names[64];
    int n_axes = 0;
    if (axes && axes[0]) {
        for (char *tok = strtok(axes, ","); tok && n_axes < 64; tok = strtok(NULL, ","))
            names[n_axes++] = tok;
    }
    for (int i = 0; i < n_axes; i++)
        print_axis(f, names[i]);

    /* outputs: datasets with a formula, in creation order */
    printf("outputs:\n");
    H5G_info_t gi;
    int n_out = 0;
    if (H5Gget_info(f, &gi) >= 0) {
        for (hsize_t i = 0; i < gi.nlinks; i++) {
            char name[256];
            if (H5Lget_name_by_idx(f, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name,
                                   sizeof name, H5P_DEFAULT) < 0)
                continue;
            H5O_info_t oi;
            if (H5Oget_info_by_name(f, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
                continue;
            hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
            int is_out = ds >= 0 && H5Aexists(ds, "formula") > 0;
            if (ds >= 0)
                H5Dclose(ds);
            if (is_out) {
                print_output(f, name);
                n_out++;
            }
        }
    }
    if (n_out == 0)
        printf("  none stored (reductions only)\n");
    print_summary(f);

    /* fixed inputs */
    H5O_info_t fo;
    if (H5Oget_info(f, &fo) >= 0 && fo.num_attrs > 0) {
        int first = 1;
        for (hsize_t i = 0; i < fo.num_attrs; i++) {
            char an[128];
            if (H5Aget_name_by_idx(f, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, an, sizeof an,
                                   H5P_DEFAULT) < 0)
                continue;
            if (strncmp(an, "input.", 6) != 0 && strncmp(an, "rule.", 5) != 0)
                continue;
            char sv[128];
            double v;
            printf("%s%s=", first ? "fixed inputs: " : ", ", an + (an[0] == 'i' ? 6 : 0));
            if (lc_h5_attr_string(f, an, sv, sizeof sv) == LC_OK)
                printf("%s", sv);
            else if (lc_h5_attr_double(f, an, &v) == LC_OK)
                printf("%.6g", v);
            else
                printf("(unreadable)");
            first = 0;
        }
        if (!first)
            printf("\n");
    }
    free(axes);
    H5Fclose(f);
    return 0;
}
