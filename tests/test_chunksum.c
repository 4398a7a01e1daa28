/*
 * test_chunksum.c - the resume journal's chunk checksum and its version
 * (issue 14): golden values lock lc_journal_chunk_sum (a change of the sum
 * must come with a new journal magic); every single-bit flip, word swap and
 * length change of a chunk changes it; the sum does not depend on the
 * buffer's alignment; a journal of format 1 (byte-wise FNV-1a sums,
 * "LCJRNL01") is refused as such on resume, never read as format 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cluster/cluster_journal.h"

static unsigned char *pattern(size_t n)
{
    unsigned char *b = malloc(n + 8);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(i * 131u + 7u);
    return b;
}

static void golden(void **state)
{
    (void)state;
    unsigned char *b = pattern(1000003);
    assert_true(lc_journal_chunk_sum("", 0) == 0xbc1109fb1e126ff4ULL);
    assert_true(lc_journal_chunk_sum("abc", 3) == 0x3117a15586946e75ULL);
    assert_true(lc_journal_chunk_sum(b, 37) == 0xfee5b68eb0d20a01ULL);
    assert_true(lc_journal_chunk_sum(b, 1000003) == 0xf3b631ecd2dbd241ULL);
    free(b);
}

static void detects_changes(void **state)
{
    (void)state;
    enum { N = 1000 };
    unsigned char *b = pattern(N + 1);
    uint64_t s0 = lc_journal_chunk_sum(b, N);
    for (size_t i = 0; i < N; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (unsigned char)(1u << bit);
            if (lc_journal_chunk_sum(b, N) == s0)
                fail_msg("flip of bit %d of byte %zu not seen", bit, i);
            b[i] ^= (unsigned char)(1u << bit);
        }
    /* swapping two words of one lane, and of two lanes */
    unsigned char w[8];
    for (size_t o = 8; o <= 32; o += 24) {
        memcpy(w, b, 8);
        memcpy(b, b + o, 8);
        memcpy(b + o, w, 8);
        assert_true(lc_journal_chunk_sum(b, N) != s0);
        memcpy(b + o, b, 8);
        memcpy(b, w, 8);
    }
    assert_true(lc_journal_chunk_sum(b, N) == s0);
    /* a zero byte more, or one less */
    b[N] = 0;
    assert_true(lc_journal_chunk_sum(b, N + 1) != s0);
    assert_true(lc_journal_chunk_sum(b, N - 1) != s0);
    /* any alignment: the same bytes give the same sum */
    unsigned char *c = malloc(N + 3);
    assert_non_null(c);
    memcpy(c + 3, b, N);
    assert_true(lc_journal_chunk_sum(c + 3, N) == s0);
    free(c);
    free(b);
}

static void old_journal_refused(void **state)
{
    (void)state;
    char path[] = "/tmp/lc_test_chunksum_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *spec = "[sweep]\nname = x\n";
    uint64_t payload[2] = {1, 2};
    lc_journal_info in = {spec, strlen(spec), 4, sizeof payload};
    lc_journal *j;
    lc_diag d;
    assert_int_equal(lc_journal_create(&j, path, &in, &d), LC_OK);
    assert_int_equal(lc_journal_append(j, 1, payload, &d), LC_OK);
    assert_int_equal(lc_journal_close(j, &d), LC_OK);
    uint8_t done[4] = {0};
    uint64_t n = 0;
    assert_int_equal(lc_journal_resume(NULL, path, &in, done, NULL, &n, &d), LC_OK);
    assert_int_equal(n, 1);
    /* the same journal with the format-1 magic: refused, saying why */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fwrite("LCJRNL01", 1, 8, f), 8);
    fclose(f);
    memset(done, 0, sizeof done);
    assert_int_equal(lc_journal_resume(NULL, path, &in, done, NULL, &n, &d), LC_EFORMAT);
    assert_non_null(strstr(d.msg, "older llmcost"));
    assert_int_equal(n, 0);
    assert_int_equal(done[1], 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden),
        cmocka_unit_test(detects_changes),
        cmocka_unit_test(old_journal_refused),
    };
    return cmocka_run_group_tests_name("chunksum", tests, NULL, NULL);
}
