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
#include "llmcost/h5file.h"

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
    printf("  %-18s %6lld  ", name, (long long)n);
    if (H5Tget_class(t) == H5T_STRING && n > 0) {
        char **v = calloc((size_t)n, sizeof *v);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5T_CSET_UTF8);
        if (v && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
            for (hssize_t i = 0; i < n; i++)
                printf("%s%s", i ? ", " : "", v[i]);
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
        }
        H5Tclose(mt);
        free(v);
        printf("  (%s)\n", ln);
    } else if (n > 0) {
        double *v = malloc((size_t)n * sizeof *v);
        if (v && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)
            printf("%.6g .. %.6g", v[0], v[n - 1]);
        free(v);
        printf("  [%s] %s\n", units, ln);
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
    printf("\n    dtype  %s", H5Tget_size(t) == 4 ? "float32" : "float64");
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

/* H5DSiterate_scales callback: the length of the (1-D) scale attached. */
static herr_t scale_len_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    (void)did;
    (void)dim;
    hid_t sp = H5Dget_space(dsid);
    *(hssize_t *)data = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1
                            ? H5Sget_simple_extent_npoints(sp)
                            : -1;
    if (sp >= 0)
        H5Sclose(sp);
    return 1;
}

/* A file can carry format = "llmcost-sweep/1" without being one (written by
 * hand, or damaged): before describing it, check the structure this command
 * and 'slice' rely on.  The 'axes' attribute must name 1-D datasets, and
 * every output (a dataset with a formula) must have an axis attached to each
 * dimension whose length is that dimension's.  On a problem, MSG says what
 * and 0 is returned. */
static int valid_sweep(hid_t f, const char *axes, char *msg, size_t size)
{
    if (axes == NULL) {
        snprintf(msg, size, "no 'axes' attribute");
        return 0;
    }
    char *list = strdup(axes);
    int ok = list != NULL;
    if (!ok)
        snprintf(msg, size, "out of memory");
    for (char *tok = list ? strtok(list, ",") : NULL; ok && tok; tok = strtok(NULL, ",")) {
        hid_t ds = H5Lexists(f, tok, H5P_DEFAULT) > 0 ? H5Dopen2(f, tok, H5P_DEFAULT) : -1;
        hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
        if (ds < 0) {
            snprintf(msg, size, "axis '%s' (named by the 'axes' attribute) has no dataset", tok);
            ok = 0;
        } else if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 ||
                   H5Sget_simple_extent_npoints(sp) < 1) {
            snprintf(msg, size, "axis '%s' is not a 1-D dataset of at least one point", tok);
            ok = 0;
        }
        if (sp >= 0)
            H5Sclose(sp);
        if (ds >= 0)
            H5Dclose(ds);
    }
    free(list);
    H5G_info_t gi;
    if (!ok || H5Gget_info(f, &gi) < 0)
        return ok;
    for (hsize_t i = 0; ok && i < gi.nlinks; i++) {
        char name[256];
        H5O_info_t oi;
        if (H5Lget_name_by_idx(f, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name,
                               H5P_DEFAULT) < 0 ||
            H5Oget_info_by_name(f, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
            continue;
        hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
        if (ds < 0 || H5Aexists(ds, "formula") <= 0) {
            if (ds >= 0)
                H5Dclose(ds);
            continue;
        }
        hid_t sp = H5Dget_space(ds);
        int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
        hsize_t dims[32];
        if (rank < 0 || rank > 32 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
            snprintf(msg, size, "output '%s': unreadable dataspace", name);
            ok = 0;
        }
        for (int j = 0; ok && j < rank; j++) {
            hssize_t len = -2;
            if (H5DSget_num_scales(ds, (unsigned)j) < 1 ||
                H5DSiterate_scales(ds, (unsigned)j, NULL, scale_len_cb, &len) < 0 || len == -2) {
                snprintf(msg, size, "output '%s': dimension %d has no axis attached", name, j + 1);
                ok = 0;
            } else if (len < 0 || (hsize_t)len != dims[j]) {
                char sn[64] = "?";
                H5DSiterate_scales(ds, (unsigned)j, NULL, scale_cb, sn);
                snprintf(msg, size,
                         "output '%s': dimension %d has %llu points but its axis '%s' has %lld",
                         name, j + 1, (unsigned long long)dims[j], sn, (long long)len);
                ok = 0;
            }
        }
        if (sp >= 0)
            H5Sclose(sp);
        H5Dclose(ds);
    }
    return ok;
}

static void print_summary(hid_t f)
{
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
        if (lc_h5_attr_string(sg, "condition", cond, sizeof cond) == LC_OK) {
            uint64_t cnt = 0;
            double share = 0;
            lc_h5_attr_u64(sg, "count", &cnt);
            lc_h5_attr_double(sg, "share", &share);
            printf("  %-32s %llu points (%.4g%%)\n", cond, (unsigned long long)cnt, 100 * share);
        } else {
            double mn = 0, mx = 0, mean = 0;
            uint64_t nf = 0, nn = 0;
            char *amin = lc_h5_attr_string_dup(sg, "argmin");
            char *amax = lc_h5_attr_string_dup(sg, "argmax");
            lc_h5_attr_double(sg, "min", &mn);
            lc_h5_attr_double(sg, "max", &mx);
            lc_h5_attr_double(sg, "mean", &mean);
            lc_h5_attr_u64(sg, "count_finite", &nf);
            lc_h5_attr_u64(sg, "count_nan", &nn);
            lc_h5_attr_string(sg, "units", units, sizeof units);
            printf("  %s [%s]\n    min  %.6g at %s\n    max  %.6g at %s\n"
                   "    mean %.6g   finite %llu, NaN %llu\n",
                   name, units, mn, amin ? amin : "?", mx, amax ? amax : "?", mean,
                   (unsigned long long)nf, (unsigned long long)nn);
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
    char fmt[64] = "", ver[64] = "", commit[64] = "", created[64] = "", sp[512] = "";
    char sn[256] = "", layout[32] = "", isa[32] = "", dtype[32] = "", comp[64] = "";
    char *axes = lc_h5_attr_string_dup(f, "axes");
    char why[512];
    if (!valid_sweep(f, axes, why, sizeof why)) {
        lc_cli_error(CMD, "%s: not a valid llmcost sweep file (its format attribute says so, "
                          "but %s)", path, why);
        free(axes);
        H5Fclose(f);
        return 2;
    }
    uint64_t pts = 0, threads = 0;
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
    lc_h5_attr_u64(f, "grid_points", &pts);
    lc_h5_attr_u64(f, "threads", &threads);
    printf("file: %s (%s)\n", path, fmt);
    printf("made by llmcost %s (commit %s), %s\n", ver, commit, created);
    printf("spec: %s%s%s%s\n", sp[0] ? sp : "(in memory)", sn[0] ? " (\"" : "", sn,
           sn[0] ? "\")" : "");
    printf("run: %s layout, %s, compression %s, %s kernel, %llu threads\n", layout, dtype,
           comp, isa, (unsigned long long)threads);
    printf("grid: %llu points\n", (unsigned long long)pts);

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
            first = 0;
        }
        if (!first)
            printf("\n");
    }
    free(axes);
    H5Fclose(f);
    return 0;
}
