/*
 * test_catalog.c - the GPU / API catalogues (catalog.h): the built-in copy
 * holds the article's figures and dense (not 2:4-sparse) FLOP/s; a file
 * given with --catalog replaces it; every broken entry is reported with the
 * file and the line of the entry.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "model/model.h"

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
                    (b.gpus[i].price_hour == f.gpus[i].price_hour ||
                     (isnan(b.gpus[i].price_hour) && isnan(f.gpus[i].price_hour))));
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
    /* an unknown kind of section is named at its header (h18) */
    assert_int_equal(load_text("[tpu A]\nflops = 1e15\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 1);
    assert_non_null(strstr(d.msg, "unknown section '[tpu A]'"));
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

/* ---- price records (doc/prices.md) ---------------------------------------- */

/* Every field of every section parses to exactly the value written. */
static void test_every_field_is_read(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    const char *text =
        "[gpu G]\nflops = 1e15\nhbm_bw = 3e12\npower_w = 700\ngpu_mem = 80e9\n"
        "flops_fp8 = 2e15\nspec_source = sheet\nspec_date = 2024-03\nprice_hour = 2.5\n"
        "price_source = quote\nprice_date = 2025-01\nprice_kind = reserved-1y\n"
        "price_provider = hyperscaler\n"
        "[price gpu G]\nkind = spot\nprovider = gpu-cloud\nprice_hour = 1.25\n"
        "date = 2025-02-03\nsource = spot page\n"
        "[api m]\nprovider = P\ncontext_window = 200000\nprice_in = 0.003\nprice_out = 0.015\n"
        "cached_in = 0.0003\ncache_write = 0.00375\nbatch_discount = 0.5\n"
        "long_threshold = 200000\nlong_in = 0.006\nlong_out = 0.0225\nlong_cached_in = 0.0006\n"
        "long_cache_write = 0.0075\nsource = s1\ndate = 2025-05-22\n"
        "[price api m]\nprice_in = 0.002\nprice_out = 0.01\nsource = s2\ndate = 2024\n";
    assert_int_equal(load_text(text, &c, &d), LC_OK);
    const lc_gpu *g = lc_catalog_gpu(&c, "G");
    assert_non_null(g);
    assert_true(g->flops == 1e15 && g->hbm_bw == 3e12 && g->power_w == 700);
    assert_true(g->gpu_mem == 80e9 && g->flops_fp8 == 2e15);
    assert_string_equal(g->spec_source, "sheet");
    assert_string_equal(g->spec_date, "2024-03");
    assert_int_equal(g->n_prices, 2);
    assert_int_equal(g->ref, 0);
    const lc_gpu_price *r0 = &g->prices[0], *r1 = &g->prices[1];
    assert_true(r0->price_hour == 2.5 && r0->kind == LC_KIND_RESERVED_1Y &&
                r0->provider == LC_PROV_HYPERSCALER && r0->day == 20250101);
    assert_string_equal(r0->source, "quote");
    assert_true(r1->price_hour == 1.25 && r1->kind == LC_KIND_SPOT &&
                r1->provider == LC_PROV_GPU_CLOUD && r1->day == 20250203);
    assert_string_equal(r1->source, "spot page");
    /* no date, no kind: the reference record */
    assert_int_equal(g->sel, 0);
    assert_true(g->price_hour == 2.5);
    const lc_api *a = lc_catalog_api(&c, "m");
    assert_non_null(a);
    assert_string_equal(a->provider, "P");
    assert_true(a->context_window == 200000);
    assert_int_equal(a->n_prices, 2);
    const lc_api_price *p = &a->prices[0];
    assert_true(p->price_in == 0.003 && p->price_out == 0.015 && p->cached_in == 0.0003 &&
                p->cache_write == 0.00375 && p->batch_discount == 0.5 &&
                p->long_threshold == 200000 && p->long_in == 0.006 && p->long_out == 0.0225 &&
                p->long_cached_in == 0.0006 && p->long_cache_write == 0.0075);
    assert_string_equal(p->source, "s1");
    assert_string_equal(p->date, "2025-05-22");
    const lc_api_price *q = &a->prices[1];
    assert_true(q->price_in == 0.002 && q->day == 20240101);
    /* optional prices not given are "not offered" (< 0), never 0 */
    assert_true(q->cached_in < 0 && q->cache_write < 0 && q->batch_discount < 0);
    assert_true(q->long_threshold == 0);
    assert_int_equal(a->sel, 0); /* the reference: 2025-05-22 */
    assert_true(a->price_in == 0.003);
    lc_catalog_free(&c);
}

/* A record without a source (or with an empty one) is refused, naming the
 * section's line and the missing field. */
static void test_records_without_a_source_are_refused(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("[gpu G]\nflops = 1\nhbm_bw = 1\npower_w = 1\nprice_hour = 1\n"
                               "price_date = 2024-01\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 1);
    assert_non_null(strstr(d.msg, "missing field 'price_source'"));
    assert_int_equal(load_text(GPU_OK("G") "\n[price gpu G]\nkind = spot\nprovider = gpu-cloud\n"
                               "price_hour = 1\ndate = 2025-02\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 9);
    assert_non_null(strstr(d.msg, "missing field 'source'"));
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\ndate = 2024\n", &c, &d),
                     LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "missing field 'source'"));
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\nsource =\ndate = 2024\n",
                               &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 4);
    assert_non_null(strstr(d.msg, "empty"));
    /* a price section needs its entry above */
    assert_int_equal(load_text("[price api z]\nprice_in = 1\nprice_out = 1\nsource = s\n"
                               "date = 2024\n" API_OK("z"), &c, &d), LC_ENOTFOUND);
    assert_int_equal(d.line, 1);
    assert_non_null(strstr(d.msg, "defined above"));
    /* the long-context tier needs its threshold and both prices */
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\nlong_in = 2\nsource = s\n"
                               "date = 2024\n", &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "long_threshold"));
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\nlong_threshold = 1000\n"
                               "long_in = 2\nsource = s\ndate = 2024\n", &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "long_out"));
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\nbatch_discount = 1\n"
                               "source = s\ndate = 2024\n", &c, &d), LC_ERANGE);
    assert_int_equal(d.line, 4);
    assert_int_equal(load_text(GPU_OK("G") "price_kind = weekly\n", &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "reserved-3y"));
}

/* Two records of one series with the same date, and records of the price
 * sections listed out of date order, are refused at the record's line. */
static void test_duplicate_records_and_dates_out_of_order(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
#define PAPI(date) "[price api a]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = " date "\n"
    /* API_OK is dated 2025-01: the same date again is a duplicate */
    assert_int_equal(load_text(API_OK("a") PAPI("2025-01"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 6);
    assert_non_null(strstr(d.msg, "duplicate price record"));
    assert_int_equal(load_text(API_OK("a") PAPI("2024-06") PAPI("2024-06"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 11);
    assert_non_null(strstr(d.msg, "duplicate"));
    assert_int_equal(load_text(API_OK("a") PAPI("2024-06") PAPI("2024-01"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 11);
    assert_non_null(strstr(d.msg, "dates out of order"));
    /* the reference record may be newer than the history that follows it */
    assert_int_equal(load_text(API_OK("a") PAPI("2023-01") PAPI("2024-01"), &c, &d), LC_OK);
    lc_catalog_free(&c);
#define PGPU(kind, date) "[price gpu G]\nkind = " kind "\nprovider = gpu-cloud\nprice_hour = 1\n" \
                         "source = s\ndate = " date "\n"
    assert_int_equal(load_text(GPU_OK("G") PGPU("on-demand", "2025-01"), &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "duplicate price record: on-demand gpu-cloud 2025-01"));
    /* another kind on the same date is another series: fine */
    assert_int_equal(load_text(GPU_OK("G") PGPU("spot", "2025-01") PGPU("spot", "2025-03"),
                               &c, &d), LC_OK);
    lc_catalog_free(&c);
    assert_int_equal(load_text(GPU_OK("G") PGPU("spot", "2025-03") PGPU("spot", "2025-01"),
                               &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 14);
    assert_non_null(strstr(d.msg, "dates out of order"));
    /* malformed dates name the line of the date */
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = 2024-13\n",
                               &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 5);
    assert_non_null(strstr(d.msg, "YYYY-MM"));
    assert_int_equal(load_text("[api a]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = June\n",
                               &c, &d), LC_ESYNTAX);
}

static void query_at(lc_price_query *q, const char *date)
{
    lc_price_query_init(q);
    if (date) {
        assert_int_equal(lc_price_date_parse(date, &q->day, NULL), LC_OK);
        snprintf(q->date, sizeof q->date, "%s", date);
    }
}

/* The latest record at or before the date: exactly at a record, between
 * two, a month counted as its first day, after the last, before the first;
 * no date: the reference record; "latest": the newest. */
static void test_date_selection_at_and_between_records(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("[api a]\nprice_in = 3\nprice_out = 3\nsource = s\ndate = 2024-06-15\n"
                               "[price api a]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = 2023-01\n"
                               "[price api a]\nprice_in = 2\nprice_out = 2\nsource = s\ndate = 2024-01\n",
                               &c, &d), LC_OK);
    const lc_api *a = lc_catalog_api_entry(&c, "a");
    static const struct { const char *date; double price; } want[] = {
        {"2023-01", 1}, {"2023-12-31", 1}, {"2024-01", 2}, {"2024-01-01", 2}, {"2024-02", 2},
        {"2024-06", 2}, {"2024-06-14", 2}, {"2024-06-15", 3}, {"2030", 3}, {"latest", 3},
        {NULL, 3}};
    lc_price_query q;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        query_at(&q, want[i].date);
        int r = lc_api_pick(a, &q, NULL, 0);
        assert_true(r >= 0);
        if (a->prices[r].price_in != want[i].price)
            fail_msg("at %s: %g, want %g", want[i].date ? want[i].date : "(latest)",
                     a->prices[r].price_in, want[i].price);
    }
    char why[256];
    query_at(&q, "2022-12");
    assert_int_equal(lc_api_pick(a, &q, why, sizeof why), -1);
    assert_non_null(strstr(why, "at or before 2022-12 (the first is 2023-01)"));
    /* lc_catalog_select: the entry keeps its reason, the lookup misses */
    lc_catalog_select(&c, &q);
    assert_null(lc_catalog_api(&c, "a"));
    assert_non_null(strstr(lc_catalog_api_entry(&c, "a")->select_error, "2023-01"));
    query_at(&q, "2024-03");
    lc_catalog_select(&c, &q);
    assert_true(lc_catalog_api(&c, "a")->price_in == 2);
    assert_string_equal(lc_catalog_api(&c, "a")->date, "2024-01");
    lc_catalog_free(&c);
    /* a reference older than the newest record: no date gives the reference,
     * 'latest' the newest */
    assert_int_equal(load_text("[api b]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = 2023\n"
                               "[price api b]\nprice_in = 2\nprice_out = 2\nsource = s\ndate = 2025\n",
                               &c, &d), LC_OK);
    assert_true(lc_catalog_api(&c, "b")->price_in == 1);
    query_at(&q, "latest");
    lc_catalog_select(&c, &q);
    assert_true(lc_catalog_api(&c, "b")->price_in == 2);
    lc_catalog_free(&c);
}

/* GPU series: the reference's kind and class by default; --price-kind picks
 * another kind (any class, the reference's class winning a tie). */
static void test_gpu_kinds_and_provider_classes(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text(GPU_OK("G")
        "[price gpu G]\nkind = on-demand\nprovider = gpu-cloud\nprice_hour = 2\nsource = s\ndate = 2025-06\n"
        "[price gpu G]\nkind = on-demand\nprovider = hyperscaler\nprice_hour = 9\nsource = s\ndate = 2025-09\n"
        "[price gpu G]\nkind = spot\nprovider = hyperscaler\nprice_hour = 1\nsource = s\ndate = 2025-03\n"
        "[price gpu G]\nkind = spot\nprovider = gpu-cloud\nprice_hour = 0.5\nsource = s\ndate = 2025-03\n",
        &c, &d), LC_OK);
    const lc_gpu *g = lc_catalog_gpu_entry(&c, "G");
    lc_price_query q;
    query_at(&q, NULL);
    assert_true(g->prices[lc_gpu_pick(g, &q, NULL, 0)].price_hour == 2.5); /* the reference */
    query_at(&q, "latest");
    assert_true(g->prices[lc_gpu_pick(g, &q, NULL, 0)].price_hour == 2); /* its series' newest */
    query_at(&q, "2025-05");
    assert_true(g->prices[lc_gpu_pick(g, &q, NULL, 0)].price_hour == 2.5);
    q.provider = LC_PROV_HYPERSCALER;
    char why[256];
    assert_int_equal(lc_gpu_pick(g, &q, why, sizeof why), -1);
    assert_non_null(strstr(why, "on-demand hyperscaler price record at or before 2025-05 (the first is 2025-09)"));
    query_at(&q, NULL);
    q.kind = LC_KIND_SPOT;
    assert_true(g->prices[lc_gpu_pick(g, &q, NULL, 0)].price_hour == 0.5); /* tie: gpu-cloud */
    q.provider = LC_PROV_HYPERSCALER;
    assert_true(g->prices[lc_gpu_pick(g, &q, NULL, 0)].price_hour == 1);
    q.kind = LC_KIND_RESERVED_3Y;
    q.provider = -1;
    assert_int_equal(lc_gpu_pick(g, &q, why, sizeof why), -1);
    assert_non_null(strstr(why, "has no reserved-3y price record"));
    lc_catalog_free(&c);
}

/* --catalog-add: new entries, overrides (the given price becomes the
 * reference and is used), extra records; a bad file changes nothing. */
static void test_catalog_add_overrides_and_adds(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    int n_gpus = c.n_gpus, n_apis = c.n_apis;
    const char *add = "[gpu H100]\nprice_hour = 1.85\nprice_source = our contract\n"
                      "price_date = 2026-03\nprice_kind = reserved-1y\nprice_provider = gpu-cloud\n"
                      "[gpu X9]\nflops = 1e15\nhbm_bw = 1e12\npower_w = 500\nprice_hour = 3\n"
                      "price_source = q\nprice_date = 2026-01\n"
                      "[price api gpt-4o]\nprice_in = 0.002\nprice_out = 0.008\nsource = deal\n"
                      "date = 2026-02\n";
    const char *path = write_tmp(add);
    assert_int_equal(lc_catalog_add(&c, path, &d), LC_OK);
    unlink(tmp_path);
    assert_int_equal(c.n_gpus, n_gpus + 1);
    assert_int_equal(c.n_apis, n_apis);
    assert_non_null(strstr(c.origin, "built-in + "));
    const lc_gpu *h = lc_catalog_gpu(&c, "H100");
    assert_true(h->flops == 989e12); /* kept */
    assert_true(h->price_hour == 1.85);
    assert_string_equal(h->price_source, "our contract");
    assert_int_equal(h->sel, h->ref);
    assert_true(lc_catalog_gpu(&c, "X9")->price_hour == 3);
    /* a [price ...] record is history, not the default: by date or 'latest' */
    assert_true(lc_catalog_api(&c, "gpt-4o")->price_in == 0.0025);
    lc_price_query q;
    query_at(&q, "latest");
    lc_catalog_select(&c, &q);
    assert_true(lc_catalog_api(&c, "gpt-4o")->price_in == 0.002);
    query_at(&q, NULL);
    lc_catalog_select(&c, &q);
    assert_true(lc_catalog_gpu(&c, "A100")->price_hour == 2.2659);
    /* a broken add file: error with its line, the catalogue unchanged */
    path = write_tmp("[gpu New]\nflops = 1e15\n");
    assert_int_equal(lc_catalog_add(&c, path, &d), LC_ESYNTAX);
    unlink(tmp_path);
    assert_int_equal(d.line, 1);
    assert_non_null(strstr(d.msg, "hbm_bw"));
    assert_int_equal(c.n_gpus, n_gpus + 1);
    assert_true(lc_catalog_gpu(&c, "H100")->price_hour == 1.85);
    lc_catalog_free(&c);
}

/* The built-in catalogue: every record has a source and a date, at least 40
 * API models of at least 6 providers, the article's A100 record selected by
 * default, and the GPT-4 -> GPT-4 Turbo -> GPT-4o history. */
static void test_builtin_provenance_and_history(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    assert_true(c.n_apis >= 40);
    const char *providers[16];
    int n_prov = 0;
    for (int i = 0; i < c.n_apis; i++) {
        const lc_api *a = &c.apis[i];
        if (!a->provider[0])
            fail_msg("API %s has no provider", a->name);
        int seen = 0;
        for (int k = 0; k < n_prov; k++)
            seen |= strcmp(providers[k], a->provider) == 0;
        if (!seen && n_prov < 16)
            providers[n_prov++] = a->provider;
        for (int k = 0; k < a->n_prices; k++)
            if (!a->prices[k].source[0] || !a->prices[k].day)
                fail_msg("API %s record %d without source or date", a->name, k);
    }
    assert_true(n_prov >= 6);
    for (int i = 0; i < c.n_gpus; i++) {
        const lc_gpu *g = &c.gpus[i];
        /* Gaudi 3 alone has no price record (none public), and says so */
        assert_true(g->n_prices >= 1 || strcmp(g->name, "Gaudi3") == 0);
        if (!g->spec_source[0] || !g->spec_date[0])
            fail_msg("GPU %s without spec_source or spec_date", g->name);
        for (int k = 0; k < g->n_prices; k++)
            if (!g->prices[k].source[0] || !g->prices[k].day)
                fail_msg("GPU %s record %d without source or date", g->name, k);
        if ((g->gpu_mem > 0 || g->flops_fp8 > 0) && !g->spec_source[0])
            fail_msg("GPU %s: gpu_mem/flops_fp8 without spec_source", g->name);
    }
    const lc_gpu *a100 = lc_catalog_gpu(&c, "A100");
    assert_int_equal(a100->sel, a100->ref);
    assert_true(a100->price_hour == 2.2659);
    assert_int_equal(a100->price_kind, LC_KIND_RESERVED_3Y);
    assert_int_equal(a100->price_provider, LC_PROV_HYPERSCALER);
    static const struct { const char *api, *date; double in, out; } hist[] = {
        {"gpt-4", "2023-06", 0.03, 0.06},      {"gpt-4-turbo", "2023-12", 0.01, 0.03},
        {"gpt-4o", "2024-06", 0.005, 0.015},   {"gpt-4o", "2024-09", 0.0025, 0.01},
        {"gpt-3.5-turbo", "2023-04", 0.002, 0.002}, {"gpt-3.5-turbo", "2023-07", 0.0015, 0.002},
        {"gpt-3.5-turbo", "2024-03", 0.0005, 0.0015}, {"o3", "2025-05", 0.01, 0.04},
        {"o3", "2025-07", 0.002, 0.008}};
    for (size_t i = 0; i < sizeof hist / sizeof hist[0]; i++) {
        lc_price_query q;
        query_at(&q, hist[i].date);
        const lc_api *a = lc_catalog_api_entry(&c, hist[i].api);
        assert_non_null(a);
        int r = lc_api_pick(a, &q, NULL, 0);
        assert_true(r >= 0);
        if (a->prices[r].price_in != hist[i].in || a->prices[r].price_out != hist[i].out)
            fail_msg("%s at %s: %g / %g, want %g / %g", hist[i].api, hist[i].date,
                     a->prices[r].price_in, a->prices[r].price_out, hist[i].in, hist[i].out);
    }
    lc_price_query q;
    query_at(&q, "2023-10");
    char why[256];
    assert_int_equal(lc_api_pick(lc_catalog_api_entry(&c, "gpt-4-turbo"), &q, why, sizeof why), -1);
    assert_non_null(strstr(why, "the first is 2023-11-06"));
    lc_catalog_free(&c);
}

#define ARCH_OK(name)                                                                        \
    "[arch " name "]\nparams = 70B\nlayers = 80\nd_model = 8192\nheads = 64\nkv_heads = 8\n" \
    "context = 4096\nsource = cfg\ndate = 2023-07\n"

/* An architecture entry: every field read, the defaults left at 0, the
 * lookup by name, and the built-in presets with their sources. */
static void test_arch_entries_are_read(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("[arch M]\nparams = 46.7B\nparams_active = 12.9B\nlayers = 32\n"
                               "d_model = 4096\nheads = 32\nkv_heads = 8\nhead_dim = 128\n"
                               "kv_dim = 576\ncontext = 32768\ntrain_seq_len = 4096\n"
                               "source = the config\ndate = 2023-12-11\n" ARCH_OK("dense"),
                               &c, &d),
                     LC_OK);
    assert_int_equal(c.n_archs, 2);
    const lc_arch *m = lc_catalog_arch(&c, "m");
    assert_non_null(m);
    assert_true(m->params == 46.7e9 && m->params_active == 12.9e9);
    assert_true(m->layers == 32 && m->d_model == 4096 && m->heads == 32 && m->kv_heads == 8);
    assert_true(m->head_dim == 128 && m->kv_dim == 576 && m->context == 32768);
    assert_true(m->train_seq_len == 4096 && !m->rumoured);
    assert_string_equal(m->source, "the config");
    assert_string_equal(m->date, "2023-12-11");
    const lc_arch *dn = lc_catalog_arch(&c, "DENSE");
    assert_non_null(dn);
    assert_true(dn->params_active == 0 && dn->head_dim == 0 && dn->kv_dim == 0 &&
                dn->train_seq_len == 0);
    assert_null(lc_catalog_arch(&c, "other"));
    /* a catalogue of architectures only is a catalogue */
    assert_int_equal(c.n_gpus + c.n_apis, 0);
    lc_catalog_free(&c);

    /* the built-in presets: at least the list, each with a source and
     * a date; the rumoured ones marked */
    static const char *const want[] = {"llama-2-7b", "llama-2-13b", "llama-2-70b",
        "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b", "mixtral-8x7b",
        "mixtral-8x22b", "qwen2.5-72b", "deepseek-v3", "gpt-3-175b", "bloom-176b", "opt-175b",
        "gpt-4", "gpt-4-turbo"};
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    assert_true(c.n_archs >= 17);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const lc_arch *a = lc_catalog_arch(&c, want[i]);
        if (!a)
            fail_msg("architecture %s missing from the built-in catalogue", want[i]);
        assert_true(a->params > 0 && a->source[0] && a->date[0]);
        assert_int_equal(a->rumoured, strncmp(want[i], "gpt-4", 5) == 0);
    }
    const lc_arch *l = lc_catalog_arch(&c, "llama-2-70b");
    assert_true(l->layers == 80 && l->d_model == 8192 && l->heads == 64 && l->kv_heads == 8);
    assert_true(l->context == 4096 && l->train_seq_len == 4096);
    const lc_arch *ds = lc_catalog_arch(&c, "deepseek-v3");
    assert_true(ds->params == 671e9 && ds->params_active == 37e9 && ds->kv_dim == 576);
    assert_true(lc_catalog_arch(&c, "gpt-4-turbo")->params == 1776e9); /* the article */
    lc_catalog_free(&c);
}

/* Broken architecture entries: file:line and what was expected. */
static void test_arch_errors_have_their_line(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    /* no params: reported at the section's line */
    assert_int_equal(load_text(API_OK("a") "[arch X]\nlayers = 2\nsource = s\ndate = 2024\n",
                               &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 6);
    assert_non_null(strstr(d.msg, "missing field 'params'"));
    /* no source */
    assert_int_equal(load_text("[arch X]\nparams = 1B\nrumoured = yes\ndate = 2024\n", &c, &d),
                     LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "'source'"));
    /* a published config gives its shape; a rumoured one may not */
    assert_int_equal(load_text("[arch X]\nparams = 1B\nsource = s\ndate = 2024\n", &c, &d),
                     LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "rumoured = yes"));
    assert_int_equal(load_text("[arch X]\nparams = 1B\nrumoured = yes\nsource = s\ndate = 2024\n",
                               &c, &d), LC_OK);
    assert_true(c.archs[0].rumoured && c.archs[0].layers == 0);
    lc_catalog_free(&c);
    assert_int_equal(load_text("[arch X]\nparams = 1B\nrumoured = maybe\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 3);
    /* values: positive, whole counts, consistent */
    assert_int_equal(load_text("[arch X]\nparams = 1B\nlayers = 0\n", &c, &d), LC_ERANGE);
    assert_int_equal(d.line, 3);
    assert_int_equal(load_text("[arch X]\nparams = 1B\nlayers = 2.5\n", &c, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "whole number"));
    assert_int_equal(load_text("[arch X]\nparams = many\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(load_text(ARCH_OK("X") "params_active = 80B\n", &c, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "params_active"));
    assert_int_equal(load_text(ARCH_OK("X") "kv_heads_typo = 8\n", &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "unknown field 'kv_heads_typo'"));
    assert_int_equal(load_text("[arch X]\nparams = 1B\nlayers = 2\nd_model = 64\nheads = 8\n"
                               "kv_heads = 3\ncontext = 9\nsource = s\ndate = 2024\n", &c, &d),
                     LC_ERANGE);
    assert_non_null(strstr(d.msg, "kv_heads 3 must divide heads 8"));
    assert_int_equal(load_text(ARCH_OK("X") ARCH_OK("x"), &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 10);
    assert_non_null(strstr(d.msg, "duplicate entry"));
    assert_int_equal(load_text("[arch X]\nparams = 1B\nrumoured = yes\nsource = s\n"
                               "date = last year\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 5);
    assert_int_equal(load_text(ARCH_OK("X") "layers = 4\n", &c, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "given twice"));
    /* an empty section is reported at its header */
    assert_int_equal(load_text(API_OK("a") "[arch E]\n\n", &c, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 6);
    assert_non_null(strstr(d.msg, "missing field 'params'"));
}

/* --catalog-add: a new architecture, or some fields of a built-in one. */
static void test_arch_add_overrides(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    int n = c.n_archs;
    const char *path = write_tmp("[arch llama-2-70b]\ncontext = 8192\n\n" ARCH_OK("mine"));
    lc_status st = lc_catalog_add(&c, path, &d);
    unlink(tmp_path);
    assert_int_equal(st, LC_OK);
    assert_int_equal(c.n_archs, n + 1);
    const lc_arch *l = lc_catalog_arch(&c, "llama-2-70b");
    assert_true(l->context == 8192 && l->layers == 80); /* the rest kept */
    assert_non_null(lc_catalog_arch(&c, "mine"));
    /* an override that breaks the shape is refused, the catalogue unchanged */
    path = write_tmp("[arch llama-2-70b]\nkv_heads = 7\n");
    st = lc_catalog_add(&c, path, &d);
    unlink(tmp_path);
    assert_int_equal(st, LC_ERANGE);
    assert_true(lc_catalog_arch(&c, "llama-2-70b")->kv_heads == 8);
    /* a copy is deep */
    lc_catalog k;
    assert_int_equal(lc_catalog_copy(&k, &c), LC_OK);
    assert_int_equal(k.n_archs, c.n_archs);
    assert_true(k.archs != c.archs && k.archs[0].params == c.archs[0].params);
    lc_catalog_free(&k);
    lc_catalog_free(&c);
}

/* power_w is optional (a vendor that publishes none, as Google for its
 * TPUs): the entry loads, lc_gpu_input gives NaN for it (not stated), and
 * every consumer then refuses the GPU unless power_w is given (tested in
 * cli_prices.sh); an explicit 0 is refused, absent is how to say it. */
static void test_power_is_optional_and_unstated_is_nan(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("[gpu T]\nflops = 197e12\nhbm_bw = 819e9\nprice_hour = 1.2\n"
                               "price_source = s\nprice_date = 2024-01\n", &c, &d), LC_OK);
    const lc_gpu *g = lc_catalog_gpu(&c, "T");
    assert_non_null(g);
    assert_true(lc_gpu_inputs[LC_GPU_POWER_K] == LC_IN_POWER_W);
    assert_true(isnan(lc_gpu_input(g, LC_GPU_POWER_K)));
    assert_true(lc_gpu_input(g, 0) == 197e12);
    lc_catalog_free(&c);
    assert_int_equal(load_text("[gpu T]\nflops = 1\nhbm_bw = 1\npower_w = 0\nprice_hour = 1\n"
                               "price_source = s\nprice_date = 2024-01\n", &c, &d), LC_ERANGE);
    assert_int_equal(d.line, 4);
    assert_non_null(strstr(d.msg, "power_w: 0 must be > 0"));
    /* every built-in GPU states its power but Google's TPUs (none published) */
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    for (int i = 0; i < c.n_gpus; i++)
        assert_true(strncmp(c.gpus[i].name, "TPU-", 4) == 0
                        ? isnan(lc_gpu_input(&c.gpus[i], LC_GPU_POWER_K))
                        : lc_gpu_input(&c.gpus[i], LC_GPU_POWER_K) > 0);
    lc_catalog_free(&c);
}

/* A GPU with hardware figures and no price record (an accelerator with no
 * public rental price, as Gaudi 3) loads; its price is NaN (not stated),
 * the lookup finds it, lc_gpu_missing names the price until price_hour is
 * given, and a --price-date selection leaves it as it is. */
static void test_price_is_optional_and_unstated_is_nan(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(load_text("[gpu G]\nflops = 1e15\nhbm_bw = 3e12\npower_w = 900\n", &c, &d),
                     LC_OK);
    const lc_gpu *g = lc_catalog_gpu(&c, "g");
    assert_non_null(g);
    assert_int_equal(g->n_prices, 0);
    assert_null(lc_gpu_record(g));
    assert_true(lc_gpu_inputs[LC_GPU_PRICE_K] == LC_IN_PRICE_HOUR);
    assert_true(isnan(lc_gpu_input(g, LC_GPU_PRICE_K)));
    assert_true(lc_gpu_input(g, LC_GPU_POWER_K) == 900);
    assert_int_equal(lc_gpu_missing(g, NULL), LC_GPU_PRICE_K);
    int given[LC_IN_COUNT] = {0};
    given[LC_IN_PRICE_HOUR] = 1;
    assert_int_equal(lc_gpu_missing(g, given), -1);
    char buf[320];
    assert_non_null(strstr(lc_gpu_missing_text(LC_GPU_PRICE_K, g->name, buf, sizeof buf),
                           "GPU 'G' has no price record: give price_hour"));
    lc_price_query q;
    lc_price_query_init(&q);
    assert_int_equal(lc_price_date_parse("2025-01", &q.day, &d), LC_OK);
    lc_catalog_select(&c, &q);
    assert_non_null(lc_catalog_gpu(&c, "G"));
    assert_true(isnan(lc_gpu_input(lc_catalog_gpu(&c, "G"), LC_GPU_PRICE_K)));
    lc_catalog_free(&c);
    /* every built-in GPU has a price record but Gaudi 3 (none public) */
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    for (int i = 0; i < c.n_gpus; i++)
        assert_true(strcmp(c.gpus[i].name, "Gaudi3") == 0 ? c.gpus[i].n_prices == 0
                                                           : c.gpus[i].n_prices > 0 &&
                                                                 c.gpus[i].price_hour > 0);
    assert_non_null(lc_catalog_gpu(&c, "Gaudi3"));
    assert_true(lc_catalog_gpu(&c, "TPU-v5p")->price_hour == 4.20);
    assert_true(lc_catalog_gpu(&c, "TPU-v5e")->price_hour == 1.20);
    lc_catalog_free(&c);
}

/* lc_catalog_unknown: the one message of every consumer, naming the known
 * entries in order, with file:line and the hint; a GPU that exists but has
 * no record for the selection gets its reason instead. */
static void test_unknown_name_lists_the_known_ones(void **state)
{
    (void)state;
    lc_catalog c;
    lc_diag d;
    assert_int_equal(lc_catalog_load(&c, NULL, NULL), LC_OK);
    assert_int_equal(lc_catalog_unknown(&c, LC_CAT_ARCH, "llama-9", "HINT", "f.csv", 7, &d),
                     LC_ENOTFOUND);
    assert_string_equal(d.file, "f.csv");
    assert_int_equal(d.line, 7);
    assert_non_null(strstr(d.msg, "unknown architecture 'llama-9' (known: llama-2-7b, llama-2-13b, "));
    assert_non_null(strstr(d.msg, ", gpt-4-turbo; HINT)"));
    assert_int_equal(lc_catalog_unknown(&c, LC_CAT_GPU, "X1", NULL, NULL, 0, &d), LC_ENOTFOUND);
    assert_non_null(strstr(d.msg, "unknown GPU 'X1' (known: A100, H100, "));
    assert_null(strstr(d.msg, ";"));
    lc_price_query q;
    query_at(&q, "2010");
    lc_catalog_select(&c, &q);
    assert_null(lc_catalog_gpu(&c, "H100"));
    lc_catalog_unknown(&c, LC_CAT_GPU, "H100", "HINT", NULL, 0, &d);
    assert_string_equal(d.msg, lc_catalog_gpu_entry(&c, "H100")->select_error);
    lc_catalog_free(&c);
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
        cmocka_unit_test(test_every_field_is_read),
        cmocka_unit_test(test_records_without_a_source_are_refused),
        cmocka_unit_test(test_power_is_optional_and_unstated_is_nan),
        cmocka_unit_test(test_price_is_optional_and_unstated_is_nan),
        cmocka_unit_test(test_duplicate_records_and_dates_out_of_order),
        cmocka_unit_test(test_date_selection_at_and_between_records),
        cmocka_unit_test(test_gpu_kinds_and_provider_classes),
        cmocka_unit_test(test_catalog_add_overrides_and_adds),
        cmocka_unit_test(test_builtin_provenance_and_history),
        cmocka_unit_test(test_arch_entries_are_read),
        cmocka_unit_test(test_arch_errors_have_their_line),
        cmocka_unit_test(test_arch_add_overrides),
        cmocka_unit_test(test_unknown_name_lists_the_known_ones),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
