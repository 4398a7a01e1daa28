/*
 * test_grid.c - grid index math: sizes and overflow, chunk tiling with axis
 * lengths that are not multiples of the chunk (every point covered exactly
 * once, extents clipped at the edges), flat/unflat round trips, partitions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grid/grid.h"

static void test_points_overflow(void **state)
{
    (void)state;
    uint64_t p;
    uint64_t ok[] = {1ull << 32, 1ull << 31};
    uint64_t bad[] = {1ull << 32, 1ull << 32};
    uint64_t ten[] = {100, 100, 100, 100, 100};
    assert_int_equal(lc_grid_points(ok, 2, &p, NULL), LC_OK);
    assert_true(p == 1ull << 63);
    assert_int_equal(lc_grid_points(bad, 2, &p, NULL), LC_ERANGE);
    assert_int_equal(lc_grid_points(ten, 5, &p, NULL), LC_OK);
    assert_true(p == 10000000000ull);
    assert_int_equal(lc_grid_points(ten, 0, &p, NULL), LC_OK);
    assert_true(p == 1);
}

/* Tile, then visit every chunk and count how often each point is covered. */
static void check_tiling(int rank, const uint64_t *dims, size_t es, size_t target)
{
    lc_tiling t;
    assert_int_equal(lc_tiling_init(&t, rank, dims, es, target, NULL), LC_OK);
    uint64_t n = t.points;
    unsigned char *hit = calloc(n ? n : 1, 1);
    uint64_t total = 0, cp = 1;
    for (int j = 0; j < rank; j++) {
        assert_true(t.chunk[j] >= 1 && t.chunk[j] <= dims[j]);
        cp *= t.chunk[j];
    }
    assert_true(cp == t.chunk_points);
    /* a chunk is never larger than the target unless one element is */
    assert_true(t.chunk_points * es <= (target > es ? target : es));
    for (uint64_t c = 0; c < t.n_chunks; c++) {
        uint64_t o[LC_GRID_MAX_RANK], e[LC_GRID_MAX_RANK], co[LC_GRID_MAX_RANK];
        lc_tiling_chunk(&t, c, o, e);
        uint64_t pts = 1;
        for (int j = 0; j < rank; j++) {
            assert_true(e[j] >= 1 && e[j] <= t.chunk[j]);
            assert_true(o[j] % t.chunk[j] == 0);
            assert_true(o[j] + e[j] <= dims[j]);
            pts *= e[j];
        }
        total += pts;
        /* visit the chunk's points */
        for (uint64_t q = 0; q < pts; q++) {
            uint64_t r = q;
            for (int j = rank - 1; j >= 0; j--) {
                co[j] = o[j] + r % e[j];
                r /= e[j];
            }
            uint64_t f = lc_grid_flat(dims, rank, co);
            assert_true(f < n);
            hit[f]++;
        }
    }
    assert_true(total == n);
    for (uint64_t f = 0; f < n; f++)
        assert_int_equal(hit[f], 1);
    free(hit);
}

static void test_tiling_edges(void **state)
{
    (void)state;
    static const uint64_t sizes[] = {1, 7, 9, 63, 65};
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++)
            for (int c = 0; c < 5; c++) {
                uint64_t dims[3] = {sizes[a], sizes[b], sizes[c]};
                check_tiling(3, dims, 8, 8 * 50);   /* chunks cut every axis */
                check_tiling(3, dims, 8, 8 * 4);
                check_tiling(3, dims, 4, 1 << 20);  /* one chunk */
                check_tiling(3, dims, 8, 1);        /* target below one element */
            }
    uint64_t d1[1] = {1000};
    check_tiling(1, d1, 8, 8 * 64);
    check_tiling(0, d1, 8, 1024);
    uint64_t d5[5] = {3, 5, 2, 17, 11};
    check_tiling(5, d5, 8, 8 * 30);
    lc_tiling t;
    uint64_t zero[2] = {3, 0};
    assert_int_equal(lc_tiling_init(&t, 2, zero, 8, 1024, NULL), LC_EINVAL);
}

static void test_tiling_whole_rows(void **state)
{
    (void)state;
    lc_tiling t;
    uint64_t dims[3] = {10, 20, 300};
    assert_int_equal(lc_tiling_init(&t, 3, dims, 8, 8 * 300 * 7, NULL), LC_OK);
    assert_true(t.chunk[2] == 300 && t.chunk[1] == 7 && t.chunk[0] == 1);
    assert_true(t.nchunk[1] == 3 && t.n_chunks == 30);
    uint64_t o[3], e[3];
    lc_tiling_chunk(&t, 2, o, e); /* third chunk: the edge of axis 1 */
    assert_true(o[0] == 0 && o[1] == 14 && e[1] == 6 && e[2] == 300);
}

static void test_flat_roundtrip(void **state)
{
    (void)state;
    uint64_t dims[4] = {3, 1, 7, 9}, c[4], back[4];
    for (uint64_t f = 0; f < 3 * 7 * 9; f++) {
        lc_grid_unflat(dims, 4, f, c);
        assert_true(c[1] == 0 && c[0] < 3 && c[2] < 7 && c[3] < 9);
        assert_true(lc_grid_flat(dims, 4, c) == f);
        memcpy(back, c, sizeof c);
        assert_true(back[3] == f % 9);
    }
}

static void test_partition(void **state)
{
    (void)state;
    static const uint64_t ns[] = {0, 1, 7, 9, 63, 65, 1000};
    for (int i = 0; i < 7; i++)
        for (uint64_t parts = 1; parts <= 9; parts++) {
            uint64_t next = 0, mn = UINT64_MAX, mx = 0;
            for (uint64_t k = 0; k < parts; k++) {
                uint64_t a, b;
                lc_partition(ns[i], parts, k, &a, &b);
                assert_true(a == next && b >= a);
                next = b;
                if (b - a < mn) mn = b - a;
                if (b - a > mx) mx = b - a;
            }
            assert_true(next == ns[i]);
            assert_true(mx - mn <= 1);
        }
    uint64_t r;
    assert_int_equal(lc_mul_ok(UINT64_MAX, 2, &r), 0);
    assert_int_equal(lc_mul_ok(1ull << 32, 1ull << 31, &r), 1);
}

static void test_partition_no_overflow(void **state)
{
    (void)state;
    uint64_t n = UINT64_MAX - 3, a, b;
    lc_partition(n, 1000, 999, &a, &b);
    assert_int_equal(b, n);
    lc_partition(n, 3, 1, &a, &b);
    assert_int_equal(a, n / 3);
    assert_int_equal(b, 2 * (n / 3) + (2 * (n % 3)) / 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_overflow),
        cmocka_unit_test(test_tiling_edges),
        cmocka_unit_test(test_tiling_whole_rows),
        cmocka_unit_test(test_flat_roundtrip),
        cmocka_unit_test(test_partition),
        cmocka_unit_test(test_partition_no_overflow),
    };
    return cmocka_run_group_tests_name("grid", tests, NULL, NULL);
}
