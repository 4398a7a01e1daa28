/*
 * test_h5.c - the sweep file read back with the HDF5 C API: dimension
 * scales on every axis and attached to every output dimension, units /
 * long_name / formula attributes from the model tables, root provenance
 * attributes, the catalogue columns of a gpu axis, /summary; the reader's
 * refusal of non-HDF5 and non-llmcost files; the engine's shuffle+deflate
 * chunks byte-identical to what HDF5's own filters write.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5_hl.h>

#include "catalog/catalog.h"
#include "h5/h5_write.h"
#include "h5/h5_codec.h"
#include "h5/h5_read.h"
#include "spec/spec.h"
#include "engine/sweep.h"

static char dir[256];
static lc_catalog cat;

static const char *SPEC =
    "[sweep]\nname = h5 test\nchunk_kib = 2\n[axes]\nparams = 7B, 70B, 175B\n"
    "gpu = A100, H100, B200\nusers = log 1e3 1e7 5\n[inputs]\ntokens = chinchilla\n"
    "discount = 0.5\nutil = 0.4\n[outputs]\nstore = pretrain_cost, sub_profit, breakeven_users\n"
    "reduce = sub_profit\ncount = sub_profit > 0\n";

static char *path(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static void make_file(const char *file, lc_sweep_result *r)
{
    lc_spec s;
    lc_diag d = {0};
    lc_sweep_opts o;
    if (lc_spec_parse_text(&s, SPEC, strlen(SPEC), "h5.ini", &cat, &d) != LC_OK)
        fail_msg("%s", d.msg);
    lc_sweep_opts_init(&o);
    o.output = file;
    o.force = 1;
    if (lc_sweep_run(&s, &o, r, &d) != LC_OK)
        fail_msg("%s", d.msg);
    lc_spec_free(&s);
}

static void test_layout(void **state)
{
    (void)state;
    lc_sweep_result *r = calloc(1, sizeof *r);
    char buf[512];
    double x;
    uint64_t u;
    make_file(path("l.h5"), r);
    hid_t f;
    lc_diag d;
    assert_int_equal(lc_h5_open_sweep(path("l.h5"), &f, &d), LC_OK);
    assert_int_equal(lc_h5_attr_string(f, "format", buf, sizeof buf), LC_OK);
    assert_string_equal(buf, LC_H5_FORMAT);
    assert_int_equal(lc_h5_attr_string(f, "axes", buf, sizeof buf), LC_OK);
    assert_string_equal(buf, "params,gpu,users");
    assert_int_equal(lc_h5_attr_string(f, "layout", buf, sizeof buf), LC_OK);
    assert_string_equal(buf, "compact");
    assert_int_equal(lc_h5_attr_u64(f, "grid_points", &u), LC_OK);
    assert_true(u == 45);
    assert_int_equal(lc_h5_attr_double(f, "input.discount", &x), LC_OK);
    assert_true(x == 0.5);
    assert_int_equal(lc_h5_attr_string(f, "rule.tokens", buf, sizeof buf), LC_OK);
    assert_string_equal(buf, "chinchilla");
    char *spec = lc_h5_attr_string_dup(f, "spec");
    assert_non_null(spec);
    assert_string_equal(spec, SPEC);
    free(spec);
    assert_int_equal(lc_h5_attr_string(f, "Conventions", buf, sizeof buf), LC_OK);
    assert_string_equal(buf, "CF-1.10");
    assert_int_equal(lc_h5_attr_string(f, "created", buf, sizeof buf), LC_OK);
    assert_true(strlen(buf) == 20 && buf[10] == 'T' && buf[19] == 'Z');
    /* axes: scales with units */
    static const char *axes[] = {"params", "gpu", "users"};
    hid_t sc[3];
    for (int a = 0; a < 3; a++) {
        sc[a] = H5Dopen2(f, axes[a], H5P_DEFAULT);
        assert_true(sc[a] >= 0);
        assert_true(H5DSis_scale(sc[a]) > 0);
        /* units on numeric axes only: the gpu names have none (CF) */
        assert_int_equal(lc_h5_attr_string(sc[a], "units", buf, sizeof buf),
                         a == 1 ? LC_ENOTFOUND : LC_OK);
        assert_int_equal(lc_h5_attr_string(sc[a], "long_name", buf, sizeof buf), LC_OK);
    }
    /* gpu names and catalogue columns */
    hid_t t = H5Dget_type(sc[1]);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    H5Tclose(t);
    double flops[3];
    hid_t gf = H5Dopen2(f, "gpu_flops", H5P_DEFAULT);
    assert_true(gf >= 0);
    assert_true(H5Dread(gf, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flops) >= 0);
    assert_true(flops[1] == lc_catalog_gpu(&cat, "H100")->flops);
    assert_true(H5DSis_attached(gf, sc[1], 0) > 0);
    H5Dclose(gf);
    /* outputs: attached scales and attributes from the model table */
    struct { const char *name; int axes[3]; int rank; } outs[] = {
        {"pretrain_cost", {0, 1}, 2}, {"sub_profit", {0, 1, 2}, 3}, {"breakeven_users", {0, 1}, 2}};
    for (int k = 0; k < 3; k++) {
        hid_t ds = H5Dopen2(f, outs[k].name, H5P_DEFAULT);
        assert_true(ds >= 0);
        hid_t sp = H5Dget_space(ds);
        assert_int_equal(H5Sget_simple_extent_ndims(sp), outs[k].rank);
        H5Sclose(sp);
        for (int j = 0; j < outs[k].rank; j++)
            assert_true(H5DSis_attached(ds, sc[outs[k].axes[j]], (unsigned)j) > 0);
        int o = lc_output_find(outs[k].name);
        assert_int_equal(lc_h5_attr_string(ds, "units", buf, sizeof buf), LC_OK);
        assert_string_equal(buf, lc_outputs[o].unit);
        assert_int_equal(lc_h5_attr_string(ds, "formula", buf, sizeof buf), LC_OK);
        assert_string_equal(buf, lc_outputs[o].formula);
        assert_int_equal(lc_h5_attr_string(ds, "long_name", buf, sizeof buf), LC_OK);
        assert_string_equal(buf, lc_outputs[o].long_name);
        assert_int_equal(lc_h5_attr_string(ds, "missing_value_meaning", buf, sizeof buf),
                         k == 2 ? LC_OK : LC_ENOTFOUND);
        hid_t pl = H5Dget_create_plist(ds);
        assert_int_equal(H5Pget_layout(pl), H5D_CHUNKED);
        /* NaN fill (unwritten chunks read as missing) and its _FillValue */
        H5D_fill_value_t fs;
        double fv = 0.0;
        assert_true(H5Pfill_value_defined(pl, &fs) >= 0 && fs == H5D_FILL_VALUE_USER_DEFINED);
        assert_true(H5Pget_fill_value(pl, H5T_NATIVE_DOUBLE, &fv) >= 0 && isnan(fv));
        fv = 0.0;
        assert_int_equal(lc_h5_attr_double(ds, "_FillValue", &fv), LC_OK);
        assert_true(isnan(fv));
        H5Pclose(pl);
        H5Dclose(ds);
    }
    for (int a = 0; a < 3; a++)
        H5Dclose(sc[a]);
    /* summary */
    hid_t g = H5Gopen2(f, "summary/sub_profit", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_int_equal(lc_h5_attr_double(g, "min", &x), LC_OK);
    assert_true(x == r->red[0].min);
    assert_int_equal(lc_h5_attr_u64(g, "count_finite", &u), LC_OK);
    assert_true(u == r->red[0].count_finite);
    assert_int_equal(lc_h5_attr_string(g, "argmax", buf, sizeof buf), LC_OK);
    assert_non_null(strstr(buf, "params="));
    H5Gclose(g);
    g = H5Gopen2(f, "summary/cond0", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_int_equal(lc_h5_attr_string(g, "condition", buf, sizeof buf), LC_OK);
    assert_string_equal(buf, "sub_profit > 0");
    assert_int_equal(lc_h5_attr_u64(g, "count", &u), LC_OK);
    assert_true(u == r->cond[0].count);
    H5Gclose(g);
    H5Fclose(f);
    free(r);
}

static void test_reader_refuses(void **state)
{
    (void)state;
    hid_t f;
    lc_diag d;
    FILE *t = fopen(path("text.h5"), "w");
    fputs("not hdf5\n", t);
    fclose(t);
    assert_int_equal(lc_h5_open_sweep(path("text.h5"), &f, &d), LC_EFORMAT);
    assert_non_null(strstr(d.msg, "not an HDF5 file"));
    hid_t o = H5Fcreate(path("other.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(o);
    assert_int_equal(lc_h5_open_sweep(path("other.h5"), &f, &d), LC_EFORMAT);
    assert_non_null(strstr(d.msg, "not an llmcost sweep file"));
    /* a missing file is the user's path to fix (exit 2), checked with stat()
     * before any open (issue 10: a FIFO there would block the open) */
    assert_int_equal(lc_h5_open_sweep(path("missing.h5"), &f, &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "cannot open"));
}

/* The engine's encoded chunk equals HDF5's own shuffle+deflate output. */
static void test_codec_matches_hdf5(void **state)
{
    (void)state;
    enum { N = 3000 };
    double v[N];
    for (int i = 0; i < N; i++)
        v[i] = 1e6 * sin(i * 0.01) + (i % 7);
    hsize_t dims[1] = {N}, chunk[1] = {N};
    hid_t f = H5Fcreate(path("z.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t sp = H5Screate_simple(1, dims, NULL), pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, 1, chunk);
    H5Pset_shuffle(pl);
    H5Pset_deflate(pl, 3);
    hid_t ds = H5Dcreate2(f, "x", H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    assert_true(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dflush(ds);
    hsize_t off[1] = {0}, nbytes;
    assert_true(H5Dget_chunk_storage_size(ds, off, &nbytes) >= 0);
    unsigned char *lib = malloc(nbytes), *mine = malloc(lc_chunk_encode_bound(LC_CODEC_SHUFFLE_DEFLATE, sizeof v));
    unsigned char *tmp = malloc(sizeof v);
    uint32_t mask = 0;
    assert_true(H5Dread_chunk(ds, H5P_DEFAULT, off, &mask, lib) >= 0);
    size_t len;
    assert_int_equal(lc_chunk_encode(LC_CODEC_SHUFFLE_DEFLATE, 3, 8, v, sizeof v, tmp, mine,
                                     lc_chunk_encode_bound(LC_CODEC_SHUFFLE_DEFLATE, sizeof v),
                                     &len, NULL), LC_OK);
    assert_true(len == nbytes);
    assert_memory_equal(lib, mine, len);
    free(lib);
    free(mine);
    free(tmp);
    H5Dclose(ds);
    H5Pclose(pl);
    H5Sclose(sp);
    H5Fclose(f);
}

static int setup(void **state)
{
    (void)state;
    lc_h5_quiet();
    snprintf(dir, sizeof dir, "%s/test_h5.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    return lc_catalog_load(&cat, NULL, NULL) == LC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    lc_catalog_free(&cat);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_reader_refuses),
        cmocka_unit_test(test_codec_matches_hdf5),
    };
    return cmocka_run_group_tests_name("h5", tests, setup, teardown);
}
