/*
 * test_catalog.c - the GPU / API catalogues (catalog.h): the built-in copy
 * holds the article's figures and dense (not 2:4-sparse) FLOP/s; a file
 * given with --catalog replaces it; every broken entry is reported with the
 * file and the line of the entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llmcost/catalog.h"

static char tmp_path[64];

static const char *write_tmp(const char *text)
{
    snprintf(tmp_path, sizeof tmp_path, "/tmp/llmcost_test_cat_XXXXXX");
    int fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    return tmp_path;
}

/* Load `text` from a file; returns the status, fills d. */
static lc_status load_text(const char *text, lc_catalog *c, lc_diag *d)
{
    memset(d, 0, sizeof *d);
    lc_status st = lc_catalog_load(c, write_tmp(text), d);
    unlink(tmp_path);
    return st;
}

#define GPU_OK(name)                                                                         \
    "[gpu " name "]\nflops = 1e15\nhbm_bw = 3T\npower_w = 700\nprice_hour = 2.5\n"          \
    "price_source = test\nprice_date = 2025-01\n"
#define API_OK(name) "[api " name "]\nprice_in = 0.001\nprice_out = 0.002\nsource = t\ndate = 2025-01\n"

static void test_builtin_has_the_article_figures(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    assert_string_equal(c.origin, "built-in");
    const lc_gpu *a100 = lc_catalog_gpu(&c, "A100");
    assert_non_null(a100);
    assert_true(a100->flops == 312e12);
    assert_true(a100->price_hour == 2.2659);
    assert_true(a100->hbm_bw > 0 && a100->power_w > 0);
    assert_non_null(strstr(a100->price_source, "Azure"));
    const lc_api *t = lc_catalog_api(&c, "gpt-4-turbo");
    assert_non_null(t);
    assert_true(t->price_in == 0.01 && t->price_out == 0.03);
    lc_catalog_free(&c);
}

static void test_builtin_flops_are_dense_bf16(void **state)
{
    (void)state;
    /* dense BF16 peaks; the data sheets' headline 2:4-sparse figures are twice
     * these (H100 SXM 1979e12, B200 4500e12, MI300X 2615e12) */
    static const struct { const char *name; double flops; } want[] = {
        {"A100", 312e12}, {"H100", 989e12}, {"H200", 989e12}, {"B200", 2250e12},
        {"MI300X", 1307e12}};
    lc_catalog c;
    assert_int_equal(lc_catalog_load(&c, NULL, NULL), LC_OK);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const lc_gpu *g = lc_catalog_gpu(&c, want[i].name);
        if (!g)
            fail_msg("GPU %s missing from the built-in catalogue", want[i].name);
        if (g->flops != want[i].flops)
            fail_msg("%s: flops %g, want dense %g", g->name, g->flops, want[i].flops);
        assert_true(g->price_source[0] && g->price_date[0]);
    }
    lc_catalog_free(&c);
}

static void test_lookup_ignores_case_and_misses_give_null(void **state)
{
    (void)state;
    lc_catalog c;
    assert_int_equal(lc_catalog_load(&c, NULL, NULL), LC_OK);
    assert_ptr_equal(lc_catalog_gpu(&c, "a100"), lc_catalog_gpu(&c, "A100"));
    assert_ptr_equal(lc_catalog_api(&c, "GPT-4-Turbo"), lc_catalog_api(&c, "gpt-4-turbo"));
    assert_null(lc_catalog_gpu(&c, "X100"));
    assert_null(lc_catalog_api(&c, "A100"));
    lc_catalog_free(&c);
}

static void test_repository_file_matches_the_builtin_copy(void **state)
{
    (void)state;
    if (access("sweeps/catalog.ini", R_OK) != 0)
        skip(); /* run from elsewhere than the source tree */
    lc_catalog b, f;
    assert_int_equal(lc_catalog_load(&b, NULL, NULL), LC_OK);
    assert_int_equal(lc_catalog_load(&f, "sweeps/catalog.ini", NULL), LC_OK);
    assert_int_equal(b.n_gpus, f.n_gpus);
    assert_int_equal(b.n_apis, f.n_apis);
    for (int i = 0; i < b.n_gpus; i++)
        assert_true(b.gpus[i].flops == f.gpus[i].flops &&
                    b.gpus[i].price_hour == f.gpus[i].price_hour);
    lc_catalog_free(&b);
    lc_catalog_free(&f);
}

static void test_catalog_file_replaces_the_builtin_one(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("; mine\n" GPU_OK("X1") "\n" API_OK("my-llm"), &c, &d), LC_OK);
    assert_int_equal(c.n_gpus, 1);
    assert_int_equal(c.n_apis, 1);
    assert_null(lc_catalog_gpu(&c, "A100"));
    const lc_gpu *g = lc_catalog_gpu(&c, "x1");
    assert_non_null(g);
    assert_true(g->flops == 1e15 && g->hbm_bw == 3e12 && g->price_hour == 2.5);
    assert_int_equal(g->line, 2);
    assert_string_equal(c.origin, tmp_path);
    assert_true(lc_catalog_api(&c, "my-llm")->price_out == 0.002);
    lc_catalog_free(&c);
}

static void test_missing_field_names_file_and_entry_line(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    const char *text = API_OK("a1")          /* lines 1-5 */
        "\n"                                 /* 6 */
        "[gpu G1]\n"                         /* 7 */
        "; comment before the first field\n" /* 8 */
        "\n"                                 /* 9 */
        "flops = 1e15\nhbm_bw = 1e12\npower_w = 100\nprice_hour = 1\nprice_source = x\n"
        "[api a2]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = 2025-01\n";
    assert_int_equal(load_text(text, &c, &d), LC_ESYNTAX);
    assert_string_equal(d.file, tmp_path);
    assert_int_equal(d.line, 7);
    assert_non_null(strstr(d.msg, "price_date"));
    assert_int_equal(c.n_gpus + c.n_apis, 0); /* left empty on error */
    lc_catalog_free(&c);
}

static void test_missing_field_in_last_entry(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text(GPU_OK("ok") "[api b]\nprice_in = 1\nsource = s\ndate = 2025-01\n",
                               &c, &d),
                     LC_ESYNTAX);
    assert_int_equal(d.line, 8);
    assert_non_null(strstr(d.msg, "price_out"));
}

static void test_entry_without_any_field_is_reported(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text(GPU_OK("A") "[gpu Empty]\n\n" API_OK("b"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 8);
    assert_non_null(strstr(d.msg, "Empty"));
}

static void test_duplicate_entries_are_reported(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    /* apart */
    assert_int_equal(load_text(GPU_OK("A") API_OK("b") GPU_OK("a"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 13);
    assert_non_null(strstr(d.msg, "duplicate"));
    /* back to back: inih sees one section, the loader sees two headers */
    assert_int_equal(load_text(GPU_OK("A") GPU_OK("A"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 8);
    assert_non_null(strstr(d.msg, "duplicate"));
    /* a field given twice */
    assert_int_equal(load_text(GPU_OK("A") "flops = 2e15\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 8);
    assert_non_null(strstr(d.msg, "twice"));
}

static void test_bad_values_and_fields_have_their_line(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("[gpu A]\nflops = lots\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "flops"));
    assert_int_equal(load_text("[gpu A]\nflops = 1e15\nhbm_bw = 0\n", &c, &d), LC_ERANGE);
    assert_int_equal(d.line, 3);
    assert_int_equal(load_text("[api A]\nprice_in = -1\n", &c, &d), LC_ERANGE);
    assert_int_equal(d.line, 2);
    assert_int_equal(load_text("[gpu A]\nflops = 1e15\ncolour = green\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "colour"));
    assert_int_equal(load_text("flops = 1e15\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 1);
    assert_int_equal(load_text("[tpu A]\nflops = 1e15\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 2);
}

static void test_empty_or_missing_file_is_an_error(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("", &c, &d), LC_ESYNTAX);
    assert_int_equal(load_text("; only a comment\n", &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "no [gpu"));
    memset(&d, 0, sizeof d);
    assert_int_not_equal(lc_catalog_load(&c, "/nonexistent/catalog.ini", &d), LC_OK);
    assert_string_equal(d.file, "/nonexistent/catalog.ini");
    lc_catalog_free(&c); /* safe after a failed load */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_has_the_article_figures),
        cmocka_unit_test(test_builtin_flops_are_dense_bf16),
        cmocka_unit_test(test_lookup_ignores_case_and_misses_give_null),
        cmocka_unit_test(test_repository_file_matches_the_builtin_copy),
        cmocka_unit_test(test_catalog_file_replaces_the_builtin_one),
        cmocka_unit_test(test_missing_field_names_file_and_entry_line),
        cmocka_unit_test(test_missing_field_in_last_entry),
        cmocka_unit_test(test_entry_without_any_field_is_reported),
        cmocka_unit_test(test_duplicate_entries_are_reported),
        cmocka_unit_test(test_bad_values_and_fields_have_their_line),
        cmocka_unit_test(test_empty_or_missing_file_is_an_error),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
