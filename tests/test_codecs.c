/*
 * test_codecs.c - the engine's chunk encoders (h5_codec.c) against HDF5's
 * own filter pipeline with the installed plugins: for every codec, both
 * element sizes and data that compresses well, not at all (random bytes)
 * or trivially (constant), a chunk written through H5Dwrite (HDF5 runs the
 * shuffle / deflate / LZ4 plugin / Blosc plugin with lz4 or zstd inside) and the engine's encoding
 * of the same values must be the same stored bytes with the same filter
 * mask; the engine's bytes stored with H5Dwrite_chunk must read back (via
 * the plugins) as the input values.  The pipelines below are the ones
 * h5_write.c sets (written again here on purpose: a change there that
 * alters the stored format must fail this test).  The plugins are required
 * (.ci/debian-packages installs them): a missing one fails, it is not
 * skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>

#include "h5/h5_write.h"
#include "h5/h5_codec.h"

static char dir[256];

enum { D0 = 37, D1 = 300 }; /* chunk 37 x 300: 88,800 bytes as float64 */

static void set_pipeline(hid_t pl, lc_codec c)
{
    static const unsigned blosc_cd[7] = {0, 0, 0, 0, 5, 1, 1}; /* lz4 inside */
    static const unsigned zstd_cd[7] = {0, 0, 0, 0, 5, 1, 5};  /* zstd inside */
    switch (c) {
    case LC_CODEC_DEFLATE:
        assert_true(H5Pset_deflate(pl, 3) >= 0);
        break;
    case LC_CODEC_SHUFFLE_DEFLATE:
        assert_true(H5Pset_shuffle(pl) >= 0 && H5Pset_deflate(pl, 3) >= 0);
        break;
    case LC_CODEC_LZ4:
        assert_true(H5Pset_shuffle(pl) >= 0 &&
                    H5Pset_filter(pl, LC_H5_FILTER_LZ4, H5Z_FLAG_OPTIONAL, 0, NULL) >= 0);
        break;
    case LC_CODEC_BLOSC:
        assert_true(H5Pset_filter(pl, LC_H5_FILTER_BLOSC, H5Z_FLAG_OPTIONAL, 7, blosc_cd) >= 0);
        break;
    case LC_CODEC_BLOSC_ZSTD:
        assert_true(H5Pset_filter(pl, LC_H5_FILTER_BLOSC, H5Z_FLAG_OPTIONAL, 7, zstd_cd) >= 0);
        break;
    case LC_CODEC_NONE:
        break;
    }
}

static void fill(unsigned char *v, size_t n, size_t es, int kind)
{
    size_t pts = n / es;
    uint64_t x = 0x12345678abcdefULL;
    for (size_t i = 0; i < pts; i++) {
        double d = kind == 0 ? 1e6 * sin((double)i * 0.01) + (double)(i % 7)
                 : kind == 1 ? 42.5 : 0.0;
        if (es == 8) {
            memcpy(v + i * 8, &d, 8);
        } else {
            float f = (float)d;
            memcpy(v + i * 4, &f, 4);
        }
    }
    if (kind == 2) /* random bytes: incompressible */
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v[i] = (unsigned char)(x >> 24);
        }
}

static void one_case_d1(lc_codec c, size_t es, int kind, size_t d1, int *masked)
{
    char path[400];
    size_t n = (size_t)D0 * d1 * es;
    hsize_t dims[2] = {D0, d1}, chunk[2] = {D0, d1}, off[2] = {0, 0};
    hid_t ft = es == 8 ? H5T_IEEE_F64LE : H5T_IEEE_F32LE;
    hid_t mt = es == 8 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_FLOAT;
    unsigned char *v = malloc(n), *back = malloc(n), *tmp = malloc(n);
    size_t cap = lc_chunk_encode_bound(c, n);
    unsigned char *mine = malloc(cap), *lib = malloc(cap + n);
    assert_non_null(v);
    assert_non_null(back);
    assert_non_null(tmp);
    assert_non_null(mine);
    assert_non_null(lib);
    fill(v, n, es, kind);
    snprintf(path, sizeof path, "%s/c%d_%zu_%d_%zu.h5", dir, (int)c, es, kind, d1);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t sp = H5Screate_simple(2, dims, NULL), pl = H5Pcreate(H5P_DATASET_CREATE);
    assert_true(f >= 0 && sp >= 0 && pl >= 0);
    assert_true(H5Pset_chunk(pl, 2, chunk) >= 0);
    set_pipeline(pl, c);
    hid_t a = H5Dcreate2(f, "hdf5", ft, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    hid_t b = H5Dcreate2(f, "engine", ft, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    assert_true(a >= 0 && b >= 0);
    assert_true(H5Dwrite(a, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    assert_true(H5Dflush(a) >= 0);
    hsize_t libn = 0;
    uint32_t libmask = 0;
    assert_true(H5Dget_chunk_storage_size(a, off, &libn) >= 0);
    assert_true(libn <= cap + n);
    assert_true(H5Dread_chunk(a, H5P_DEFAULT, off, &libmask, lib) >= 0);

    size_t len = 0;
    unsigned mask = 99;
    assert_int_equal(lc_chunk_encode_mask(c, 3, es, v, n, tmp, mine, cap, &len, &mask, NULL),
                     LC_OK);
    if (len != libn || mask != libmask || memcmp(lib, mine, len) != 0)
        fail_msg("%s, %zu-byte values, data kind %d, %zu points: engine %zu bytes mask %u, HDF5 "
                 "%llu bytes mask %u", lc_codec_name(c), es, kind, (size_t)D0 * d1, len, mask,
                 (unsigned long long)libn, libmask);
    *masked |= mask != 0;
    /* the engine's bytes read back through the plugin as the values (after
     * a reopen: HDF5 1.10.8 keeps the filter mask of a single-chunk
     * dataset's H5Dwrite_chunk only in the file until it is reopened, an
     * H5Dread before that runs the skipped filter; sweeps reopen anyway) */
    assert_true(H5Dwrite_chunk(b, H5P_DEFAULT, mask, off, len, mine) >= 0);
    H5Dclose(a);
    H5Dclose(b);
    H5Pclose(pl);
    H5Sclose(sp);
    H5Fclose(f);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    b = f >= 0 ? H5Dopen2(f, "engine", H5P_DEFAULT) : -1;
    assert_true(b >= 0);
    if (H5Dread(b, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) < 0)
        fail_msg("%s, %zu-byte values, data kind %d: the engine's chunk (mask %u) does not "
                 "read back", lc_codec_name(c), es, kind, mask);
    assert_memory_equal(v, back, n);
    H5Dclose(b);
    H5Fclose(f);
    unlink(path);
    free(v);
    free(back);
    free(tmp);
    free(mine);
    free(lib);
}

static void one_case(lc_codec c, size_t es, int kind, int *masked)
{
    one_case_d1(c, es, kind, D1, masked);
}

static void run_codec(lc_codec c)
{
    int masked = 0;
    if (!lc_h5_codec_available(c))
        fail_msg("the HDF5 filter plugin for %s is not installed (hdf5-filter-plugin, "
                 "hdf5-filter-plugin-blosc-serial)", lc_codec_name(c));
    for (size_t es = 4; es <= 8; es += 4)
        for (int kind = 0; kind < 4; kind++)
            one_case(c, es, kind, &masked);
    /* 37 and 111 points: the shuffle's 8-element blocks and its tail */
    for (size_t d1 = 1; d1 <= 3; d1 += 2)
        for (size_t es = 4; es <= 8; es += 4)
            one_case_d1(c, es, 0, d1, &masked);
    /* random bytes do not shrink: Blosc's filter fails and HDF5 skips it */
    if (c == LC_CODEC_BLOSC || c == LC_CODEC_BLOSC_ZSTD)
        assert_true(masked);
}

static void test_lz4(void **state)
{
    (void)state;
    run_codec(LC_CODEC_LZ4);
}

static void test_blosc(void **state)
{
    (void)state;
    run_codec(LC_CODEC_BLOSC);
}

static void test_blosc_zstd(void **state)
{
    (void)state;
    run_codec(LC_CODEC_BLOSC_ZSTD);
}

static void test_deflate(void **state)
{
    (void)state;
    /* HDF5's deflate filter fails on data that grows (a mandatory filter):
     * only the compressible kinds */
    for (int k = 0; k < 2; k++) {
        int masked = 0;
        one_case(LC_CODEC_DEFLATE, 8, k, &masked);
        one_case(LC_CODEC_SHUFFLE_DEFLATE, 4, k, &masked);
        assert_false(masked);
    }
}

static void test_bounds(void **state)
{
    (void)state;
    /* one element (shuffle is the identity) and odd sizes */
    for (lc_codec c = LC_CODEC_DEFLATE; c <= LC_CODEC_BLOSC_ZSTD; c++)
        for (size_t n = 8; n <= 8 * 1000; n = n * 3 + 8) {
            unsigned char *v = calloc(1, n), *t = malloc(n), *o = malloc(lc_chunk_encode_bound(c, n));
            size_t len;
            unsigned mask;
            assert_non_null(v);
            assert_non_null(t);
            assert_non_null(o);
            assert_int_equal(lc_chunk_encode_mask(c, 1, 8, v, n, t, o, lc_chunk_encode_bound(c, n),
                                                  &len, &mask, NULL), LC_OK);
            assert_true(len <= lc_chunk_encode_bound(c, n));
            free(v);
            free(t);
            free(o);
        }
}

static int setup(void **state)
{
    (void)state;
    lc_h5_quiet();
    snprintf(dir, sizeof dir, "%s/test_codecs.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lz4),
        cmocka_unit_test(test_blosc),
        cmocka_unit_test(test_blosc_zstd),
        cmocka_unit_test(test_deflate),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests_name("codecs", tests, setup, teardown);
}
