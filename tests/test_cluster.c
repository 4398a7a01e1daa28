/*
 * test_cluster.c - the cluster module: chunk partition over ranks/shards,
 * --shard parsing, reduction partial folding (order of ranks must not
 * matter), identity diffs, and the resume journal including a torn tail
 * and a changed spec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/cluster_shard.h"
#include "cluster/cluster_identity.h"
#include "grid/grid.h"
#include "grid/reduce.h"
#include "cluster/cluster_journal.h"


static void shard_parse_accepts_k_slash_n_and_slurm_task_id(void **state)
{
    (void)state;
    int k = -1, n = -1;
    lc_diag d;
    assert_int_equal(lc_cluster_shard_parse("3/16", NULL, &k, &n, &d), LC_OK);
    assert_int_equal(k, 3);
    assert_int_equal(n, 16);
    assert_int_equal(lc_cluster_shard_parse("4", "2", &k, &n, &d), LC_OK);
    assert_int_equal(k, 2);
    assert_int_equal(n, 4);
    assert_int_equal(lc_cluster_shard_parse("/4", "3", &k, &n, &d), LC_OK);
    assert_int_equal(k, 3);
}

static void shard_parse_rejects_bad_values_with_a_message(void **state)
{
    (void)state;
    int k, n;
    lc_diag d;
    assert_int_equal(lc_cluster_shard_parse("4/4", NULL, &k, &n, &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "0..3"));
    assert_int_equal(lc_cluster_shard_parse("4", NULL, &k, &n, &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "SLURM_ARRAY_TASK_ID"));
    assert_int_equal(lc_cluster_shard_parse("4", "x", &k, &n, &d), LC_EINVAL);
    assert_int_equal(lc_cluster_shard_parse("-1/4", NULL, &k, &n, &d), LC_EINVAL);
    assert_int_equal(lc_cluster_shard_parse("1/0", NULL, &k, &n, &d), LC_EINVAL);
    assert_int_equal(lc_cluster_shard_parse("a/b", NULL, &k, &n, &d), LC_EINVAL);
    assert_int_equal(lc_cluster_shard_parse("", NULL, &k, &n, &d), LC_EINVAL);
}

static void shard_path_keeps_h5_last(void **state)
{
    (void)state;
    char b[256];
    lc_cluster_shard_path("runs/frontier.h5", 3, 16, b, sizeof b);
    assert_string_equal(b, "runs/frontier.shard3-of-16.h5");
    lc_cluster_shard_path("out.hdf5", 0, 2, b, sizeof b);
    assert_string_equal(b, "out.hdf5.shard0-of-2.h5");
    lc_cluster_shard_path(".h5", 1, 2, b, sizeof b);
    assert_string_equal(b, ".h5.shard1-of-2.h5");
}

/* Partial of values v[first..last) at flat indices first.. */
static lc_red_partial partial_of(const double *v, uint64_t first, uint64_t last)
{
    lc_red_partial p;
    lc_red_partial_init(&p);
    for (uint64_t i = first; i < last; i++) {
        p.n++;
        if (isnan(v[i])) {
            p.nnan++;
            continue;
        }
        if (p.imin == UINT64_MAX || v[i] < p.min) p.min = v[i], p.imin = i;
        if (p.imax == UINT64_MAX || v[i] > p.max) p.max = v[i], p.imax = i;
        p.sum += v[i];
    }
    return p;
}

static void fold_of_chunk_partials_is_the_same_for_any_rank_count(void **state)
{
    (void)state;
    enum { N = 1000, CH = 37 };
    double v[N];
    srand(7);
    for (int i = 0; i < N; i++)
        v[i] = (i % 97 == 5) ? NAN : (double)(rand() % 50) * 0.1 - 2.0;
    uint64_t nch = (N + CH - 1) / CH;
    lc_red_partial ref;
    lc_red_partial_init(&ref);
    for (uint64_t c = 0; c < nch; c++) {
        lc_red_partial p = partial_of(v, c * CH, (c + 1) * CH < N ? (c + 1) * CH : N);
        lc_red_partial_fold(&ref, &p, 0);
    }
    /* the plain partial over everything agrees on everything but the sum's
     * rounding; ties go to the first index */
    lc_red_partial all = partial_of(v, 0, N);
    assert_int_equal(ref.imin, all.imin);
    assert_int_equal(ref.imax, all.imax);
    assert_int_equal(ref.n, N);
    assert_int_equal(ref.nnan, 11);
    assert_true(fabs(ref.sum - all.sum) < 1e-9);
    for (int ranks = 1; ranks <= 5; ranks++) {
        /* each rank keeps its chunks' partials; rank 0 folds them in order */
        lc_red_partial acc;
        lc_red_partial_init(&acc);
        for (int r = 0; r < ranks; r++) {
            uint64_t a, b;
            lc_partition(nch, (uint64_t)ranks, (uint64_t)r, &a, &b);
            for (uint64_t c = a; c < b; c++) {
                lc_red_partial p = partial_of(v, c * CH, (c + 1) * CH < N ? (c + 1) * CH : N);
                lc_red_partial_fold(&acc, &p, 0);
            }
        }
        assert_memory_equal(&acc, &ref, sizeof acc);
    }
}

static void fold_with_empty_or_all_nan_partials_keeps_no_argmin(void **state)
{
    (void)state;
    lc_red_partial a, b;
    lc_red_partial_init(&a);
    lc_red_partial_init(&b);
    b.nnan = b.n = 4;
    b.cnt[0] = 1;
    lc_red_partial_fold(&a, &b, 1);
    assert_int_equal(a.imin, UINT64_MAX);
    assert_int_equal(a.nnan, 4);
    assert_int_equal(a.cnt[0], 1);
    b.min = b.max = 2.5;
    b.imin = b.imax = 9;
    b.n = 1;
    b.nnan = 0;
    b.sum = 2.5;
    lc_red_partial_fold(&a, &b, 1);
    assert_int_equal(a.imin, 9);
    assert_true(a.min == 2.5);
    assert_int_equal(a.cnt[0], 2);
    lc_red_partial c = b;
    c.imin = c.imax = 12; /* same value later: first index stays */
    lc_red_partial_fold(&a, &c, 0);
    assert_int_equal(a.imin, 9);
    assert_int_equal(a.imax, 9);
    assert_int_equal(a.cnt[0], 2); /* n_conds = 0: counts untouched */
}

static const char spec_a[] = "[sweep]\nname = x ; comment\nchunk_kib = 64\n"
                             "[axes]\ntokens = log 1e11 2e13 64\nparams = 7B, 70B\n";
static const char spec_b[] = "[sweep]\nname = x\n\n[axes]\n"
                             "tokens = log 1e11 2e13 65\nparams = 7B, 70B\nutil = lin 0.3 0.6 4\n";

static void identity_diff_names_changed_added_and_removed_keys(void **state)
{
    (void)state;
    char buf[1024];
    int n = lc_cluster_identity_diff(spec_a, strlen(spec_a), spec_b, strlen(spec_b),
                                     buf, sizeof buf);
    assert_int_equal(n, 3);
    assert_non_null(strstr(buf, "[axes] tokens: 'log 1e11 2e13 64' -> 'log 1e11 2e13 65' (line 5)"));
    assert_non_null(strstr(buf, "[sweep] chunk_kib = '64' removed"));
    assert_non_null(strstr(buf, "[axes] util = 'lin 0.3 0.6 4' added (line 7)"));
    /* comments and blank lines are not changes */
    const char spec_c[] = "[sweep]\nname = x\nchunk_kib = 64 ; kib\n\n[axes]\n"
                          "tokens = log 1e11 2e13 64\nparams = 7B, 70B\n";
    assert_int_equal(lc_cluster_identity_diff(spec_a, strlen(spec_a), spec_c,
                                              strlen(spec_c), buf, sizeof buf), 0);
}

#define PB ((uint32_t)sizeof(lc_red_partial))

static lc_journal_info info_of(const char *text, uint64_t nch)
{
    lc_journal_info in = {text, strlen(text), nch, PB};
    return in;
}

static void journal_round_trip_restores_done_chunks_and_payloads(void **state)
{
    (void)state;
    char path[] = "/tmp/lc_test_journal_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lc_journal_info in = info_of(spec_a, 10);
    lc_journal *j;
    lc_diag d;
    assert_int_equal(lc_journal_create(&j, path, &in, &d), LC_OK);
    lc_red_partial p[3];
    for (int i = 0; i < 3; i++) {
        lc_red_partial_init(&p[i]);
        p[i].sum = 1.5 * i;
        p[i].n = (uint64_t)i + 100;
    }
    assert_int_equal(lc_journal_append(j, 7, &p[0], &d), LC_OK);
    assert_int_equal(lc_journal_append(j, 2, &p[1], &d), LC_OK);
    assert_int_equal(lc_journal_sync(j, &d), LC_OK);
    assert_int_equal(lc_journal_append(j, 9, &p[2], &d), LC_OK);
    assert_int_equal(lc_journal_append(j, 10, &p[2], &d), LC_EINTERNAL);
    assert_int_equal(lc_journal_close(j, &d), LC_OK);

    uint8_t done[10] = {0};
    lc_red_partial back[10];
    uint64_t n_done = 0;
    assert_int_equal(lc_journal_resume(&j, path, &in, done, back, &n_done, &d), LC_OK);
    assert_int_equal(n_done, 3);
    const uint8_t want[10] = {0, 0, 1, 0, 0, 0, 0, 1, 0, 1};
    assert_memory_equal(done, want, 10);
    assert_memory_equal(&back[7], &p[0], sizeof p[0]);
    assert_memory_equal(&back[2], &p[1], sizeof p[1]);
    assert_memory_equal(&back[9], &p[2], sizeof p[2]);
    /* resumed journals keep appending after the last record */
    assert_int_equal(lc_journal_append(j, 0, &p[1], &d), LC_OK);
    assert_int_equal(lc_journal_close(j, &d), LC_OK);
    memset(done, 0, sizeof done);
    assert_int_equal(lc_journal_resume(&j, path, &in, done, NULL, &n_done, &d), LC_OK);
    assert_int_equal(n_done, 4);
    assert_int_equal(done[0], 1);
    lc_journal_close(j, &d);
    unlink(path);
}

static void journal_drops_a_torn_last_record(void **state)
{
    (void)state;
    char path[] = "/tmp/lc_test_journal_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lc_journal_info in = info_of(spec_a, 4);
    lc_journal *j;
    lc_diag d;
    lc_red_partial p;
    lc_red_partial_init(&p);
    assert_int_equal(lc_journal_create(&j, path, &in, &d), LC_OK);
    lc_journal_append(j, 1, &p, &d);
    lc_journal_append(j, 3, &p, &d);
    assert_int_equal(lc_journal_close(j, &d), LC_OK);
    /* a kill in the middle of the second record: cut 5 bytes off */
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fclose(f);
    assert_int_equal(truncate(path, len - 5), 0);
    uint8_t done[4] = {0};
    uint64_t n_done;
    assert_int_equal(lc_journal_resume(&j, path, &in, done, NULL, &n_done, &d), LC_OK);
    assert_int_equal(n_done, 1);
    assert_int_equal(done[1], 1);
    assert_int_equal(done[3], 0);
    /* a new record after the cut is read back */
    lc_journal_append(j, 3, &p, &d);
    lc_journal_close(j, &d);
    memset(done, 0, sizeof done);
    assert_int_equal(lc_journal_resume(&j, path, &in, done, NULL, &n_done, &d), LC_OK);
    assert_int_equal(n_done, 2);
    lc_journal_close(j, &d);
    /* read only, OR'ed into done: chunk 0 from elsewhere stays, nothing new */
    memset(done, 0, sizeof done);
    done[0] = 1;
    assert_int_equal(lc_journal_resume(NULL, path, &in, done, NULL, &n_done, &d), LC_OK);
    assert_int_equal(n_done, 2);
    assert_int_equal(done[0] + done[1] + done[2] + done[3], 3);
    /* a flipped payload byte is detected too: the record is dropped */
    f = fopen(path, "r+b");
    fseek(f, -(long)(PB + 8 + 8) + 10, SEEK_END);
    fputc(0x5a ^ 0xff, f);
    fclose(f);
    memset(done, 0, sizeof done);
    assert_int_equal(lc_journal_resume(&j, path, &in, done, NULL, &n_done, &d), LC_OK);
    assert_int_equal(n_done, 1);
    lc_journal_close(j, &d);
    unlink(path);
}

static void journal_refuses_a_changed_spec_and_says_what_changed(void **state)
{
    (void)state;
    char path[] = "/tmp/lc_test_journal_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lc_journal_info a = info_of(spec_a, 4), b = info_of(spec_b, 4);
    lc_journal *j;
    lc_diag d;
    assert_int_equal(lc_journal_create(&j, path, &a, &d), LC_OK);
    lc_journal_close(j, &d);
    uint8_t done[4];
    uint64_t n_done;
    assert_int_equal(lc_journal_resume(&j, path, &b, done, NULL, &n_done, &d), LC_EINVAL);
    assert_null(j);
    assert_non_null(strstr(d.msg, "spec changed"));
    assert_non_null(strstr(d.msg, "'log 1e11 2e13 64' -> 'log 1e11 2e13 65'"));
    /* same text, other chunk count: a format mismatch, not a spec change */
    lc_journal_info c = info_of(spec_a, 5);
    assert_int_equal(lc_journal_resume(&j, path, &c, done, NULL, &n_done, &d), LC_EFORMAT);
    /* not a journal */
    FILE *f = fopen(path, "wb");
    fputs("hello, this is not a journal at all, really not", f);
    fclose(f);
    assert_int_equal(lc_journal_resume(&j, path, &a, done, NULL, &n_done, &d), LC_EFORMAT);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shard_parse_accepts_k_slash_n_and_slurm_task_id),
        cmocka_unit_test(shard_parse_rejects_bad_values_with_a_message),
        cmocka_unit_test(shard_path_keeps_h5_last),
        cmocka_unit_test(fold_of_chunk_partials_is_the_same_for_any_rank_count),
        cmocka_unit_test(fold_with_empty_or_all_nan_partials_keeps_no_argmin),
        cmocka_unit_test(identity_diff_names_changed_added_and_removed_keys),
        cmocka_unit_test(journal_round_trip_restores_done_chunks_and_payloads),
        cmocka_unit_test(journal_drops_a_torn_last_record),
        cmocka_unit_test(journal_refuses_a_changed_spec_and_says_what_changed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
