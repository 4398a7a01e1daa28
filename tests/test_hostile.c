/*
 * test_hostile.c - hostile and broken input to the library's readers (issue
 * 7): INI lines longer than inih's buffer, broken section headers, section
 * names inih would truncate, text that is not UTF-8 or is empty, catalogues
 * with a missing, repeated, NaN or infinite field, specs with NaN/Inf,
 * duplicate sections, zero / a trillion points and grids whose point count
 * overflows 64 bits; every input that once crashed a fuzzer
 * (tests/regress/); and numerical edge cases: SI-suffixed numbers rounded
 * once, formulas over 1e3..1e15 parameters against long double.
 *
 * Every rejection asserts the status, the line a person must fix, a phrase
 * of the message and exit code 2.  Run from the source tree (make check).
 */
#include <dirent.h>
#include <float.h>
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

#include "catalog/catalog.h"
#include "util/ini.h"
#include "model/model.h"
#include "util/number.h"
#include "spec/spec.h"
#include "cluster/cluster_shard.h"
#include "cluster/cluster_journal.h"
#include "sensitivity/sensitivity.h"
#include "util/path.h"
#include "model/formula.h"
#include "cluster/cluster_sweep.h"
#include <sys/stat.h>

/* ---- helpers ------------------------------------------------------------ */

static lc_catalog cat; /* built-in, for the spec tests */

static int setup(void **state)
{
    (void)state;
    lc_diag d;
    return lc_catalog_load(&cat, NULL, &d) == LC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    lc_catalog_free(&cat);
    return 0;
}

static void expect_diag(lc_status got, const lc_diag *d, lc_status want, int line,
                        const char *phrase)
{
    if (got != want || d->line != line || !strstr(d->msg, phrase))
        print_error("got status %d at line %d: '%s' (want %d at line %d: '%s')\n", got,
                    d->line, d->msg, want, line, phrase);
    assert_int_equal(got, want);
    assert_int_equal(d->line, line);
    assert_non_null(strstr(d->msg, phrase));
    assert_int_equal(lc_exit_code(got), 2);
}

/* Keys seen by the INI handler, to check nothing after a bad line is read. */
typedef struct {
    int keys;
    int last_line;
    char last_section[256];
    char last_value[256];
} ini_seen;

static lc_status ini_record(void *user, const char *section, const char *key,
                            const char *value, int line, lc_diag *d)
{
    (void)key;
    (void)d;
    ini_seen *s = user;
    s->keys++;
    s->last_line = line;
    snprintf(s->last_section, sizeof s->last_section, "%s", section);
    snprintf(s->last_value, sizeof s->last_value, "%s", value);
    return LC_OK;
}

static lc_status ini_parse(const char *text, size_t len, ini_seen *s, lc_diag *d)
{
    memset(s, 0, sizeof *s);
    memset(d, 0, sizeof *d);
    return lc_ini_parse_text(text, len, "t.ini", ini_record, s, d);
}

/* A line "k = xxx..." of exactly `chars` characters between two keys. */
static size_t long_line_text(char *buf, size_t size, int chars)
{
    int n = snprintf(buf, size, "[s]\na = 1\nk = %.*s\nb = 2\n", chars - 4,
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    return (size_t)n;
}

/* Write text to a private temporary file; returns its path (static). */
static const char *temp_file(const char *text, size_t len)
{
    static char path[512];
    const char *dir = getenv("BUILD");
    snprintf(path, sizeof path, "%s/hostile.XXXXXX", dir ? dir : ".");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

static lc_status catalog_text(const char *text, lc_catalog *c, lc_diag *d)
{
    const char *path = temp_file(text, strlen(text));
    memset(d, 0, sizeof *d);
    lc_status st = lc_catalog_load(c, path, d);
    unlink(path);
    return st;
}

static void expect_catalog_error(const char *text, lc_status want, int line,
                                 const char *phrase)
{
    lc_catalog c;
    lc_diag d;
    lc_status st = catalog_text(text, &c, &d);
    expect_diag(st, &d, want, line, phrase);
    assert_int_equal(c.n_gpus + c.n_apis, 0);
    assert_null(c.gpus);
    assert_null(c.apis);
}

static void expect_spec_error(const char *text, lc_status want, int line, const char *phrase)
{
    lc_spec s;
    lc_diag d;
    memset(&d, 0, sizeof d);
    lc_status st = lc_spec_parse_text(&s, text, strlen(text), "h.ini", &cat, &d);
    expect_diag(st, &d, want, line, phrase);
    assert_int_equal(s.n_axes, 0);
    lc_spec_free(&s);
}

#define GPU_OK "flops = 1e15\nhbm_bw = 3T\npower_w = 700\nprice_hour = 2\n" \
               "price_source = quote\nprice_date = 2025-01\n"

/* ---- INI reader ----------------------------------------------------------- */

static void test_ini_line_of_199_chars_is_read_whole(void **state)
{
    (void)state;
    char buf[1024];
    ini_seen s;
    lc_diag d;
    size_t n = long_line_text(buf, sizeof buf, 199);
    assert_int_equal(ini_parse(buf, n, &s, &d), LC_OK);
    assert_int_equal(s.keys, 3); /* nothing split off, nothing swallowed */
    assert_string_equal(s.last_value, "2");
    assert_int_equal(s.last_line, 4);
}

static void test_ini_line_of_200_chars_is_refused_at_its_line(void **state)
{
    (void)state;
    char buf[1024];
    ini_seen s;
    lc_diag d;
    size_t n = long_line_text(buf, sizeof buf, 200);
    expect_diag(ini_parse(buf, n, &s, &d), &d, LC_ESYNTAX, 3, "200 characters long");
    assert_int_equal(s.keys, 1);
    char big[6000];
    int m = snprintf(big, sizeof big, "[s]\nk = ");
    memset(big + m, '7', 5000);
    memcpy(big + m + 5000, "\n", 2);
    expect_diag(ini_parse(big, strlen(big), &s, &d), &d, LC_ESYNTAX, 2,
                "5004 characters long");
}

static void test_ini_broken_header_stops_at_its_line(void **state)
{
    (void)state;
    /* inih notes the error but would hand "y" to the handler as a key of
     * [a]: the reader must stop at line 3 before that */
    const char *t = "[a]\nx = 1\n[b\ny = 2\n";
    ini_seen s;
    lc_diag d;
    expect_diag(ini_parse(t, strlen(t), &s, &d), &d, LC_ESYNTAX, 3, "closing ']'");
    assert_int_equal(s.keys, 1);
    t = "[a]\nx = 1\njust words\ny = 2\n";
    expect_diag(ini_parse(t, strlen(t), &s, &d), &d, LC_ESYNTAX, 3, "expected");
    assert_int_equal(s.keys, 1);
    t = "[a ; comment]\nx = 1\n"; /* inih: the ';' comment eats the ']' */
    expect_diag(ini_parse(t, strlen(t), &s, &d), &d, LC_ESYNTAX, 1, "closing ']'");
}

static void test_ini_section_name_inih_would_truncate_is_refused(void **state)
{
    (void)state;
    char t[256];
    ini_seen s;
    lc_diag d;
    snprintf(t, sizeof t, "[distribution.%.36s]\nk = 1\n",
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop"); /* 49 characters */
    assert_int_equal(ini_parse(t, strlen(t), &s, &d), LC_OK);
    assert_int_equal(strlen(s.last_section), 49);
    snprintf(t, sizeof t, "[distribution.%.37s]\nk = 1\n",
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop"); /* 50 */
    expect_diag(ini_parse(t, strlen(t), &s, &d), &d, LC_ESYNTAX, 1, "50 characters long");
    assert_int_equal(s.keys, 0);
}

static void test_ini_not_utf8_empty_nul_are_refused(void **state)
{
    (void)state;
    ini_seen s;
    lc_diag d;
    static const char *bad[] = {"\x80", "\xc0\xaf", "\xe2\x82", "\xf5\x80\x80\x80",
                                "\xff", "caf\xe9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char t[64];
        snprintf(t, sizeof t, "[s]\nk = 1\nv = %s\n", bad[i]);
        expect_diag(ini_parse(t, strlen(t), &s, &d), &d, LC_ESYNTAX, 3, "UTF-8");
    }
    expect_diag(ini_parse("", 0, &s, &d), &d, LC_ESYNTAX, 0, "empty");
    expect_diag(ini_parse(" \r\n\t\n", 5, &s, &d), &d, LC_ESYNTAX, 0, "empty");
    static const char nul[] = "[s]\nk = a\0b\n";
    expect_diag(ini_parse(nul, sizeof nul - 1, &s, &d), &d, LC_ESYNTAX, 2, "NUL");
    /* valid UTF-8, a BOM and CRLF line ends are fine */
    const char *good = "\xef\xbb\xbf[s]\r\nk = caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\r\n";
    assert_int_equal(ini_parse(good, strlen(good), &s, &d), LC_OK);
    assert_string_equal(s.last_section, "s");
    assert_string_equal(s.last_value, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

/* ---- catalogue ------------------------------------------------------------ */

static void test_catalog_missing_field_named_at_its_section(void **state)
{
    (void)state;
    expect_catalog_error("; c\n[gpu X]\nflops = 1e15\npower_w = 700\nprice_hour = 2\n"
                         "price_source = q\nprice_date = 2025\n",
                         LC_ESYNTAX, 2, "missing field 'hbm_bw'");
    expect_catalog_error("[api Y]\nprice_in = 0.01\nsource = s\ndate = d\n", LC_ESYNTAX, 1,
                         "missing field 'price_out'");
    expect_catalog_error("[gpu X]\n" GPU_OK "[gpu Z]\n", LC_ESYNTAX, 8, "missing field");
}

static void test_catalog_nan_inf_negative_and_repeats_are_refused(void **state)
{
    (void)state;
    static const char *bad[] = {"nan", "NaN", "inf", "-inf", "infinity", "1e999", "0x1p50"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char t[512];
        snprintf(t, sizeof t, "[gpu X]\nflops = %s\nhbm_bw = 3T\npower_w = 700\n"
                              "price_hour = 2\nprice_source = q\nprice_date = d\n", bad[i]);
        expect_catalog_error(t, LC_ESYNTAX, 2, "flops");
    }
    expect_catalog_error("[api Y]\nprice_in = -0.01\nprice_out = 1\nsource = s\ndate = d\n",
                         LC_ERANGE, 2, "price_in");
    expect_catalog_error("[gpu X]\nflops = 0\nhbm_bw = 3T\npower_w = 700\nprice_hour = 2\n"
                         "price_source = q\nprice_date = d\n", LC_ERANGE, 2, "flops");
    expect_catalog_error("[gpu X]\nflops = 1e15\nflops = 2e15\n", LC_ESYNTAX, 3, "given twice");
    expect_catalog_error("[gpu X]\n" GPU_OK "[gpu x]\n" GPU_OK, LC_ESYNTAX, 8, "duplicate");
    expect_catalog_error("[gpu X]\n" GPU_OK "colour = red\n", LC_ESYNTAX, 8, "unknown field");
}

static void test_catalog_key_before_any_section_is_refused(void **state)
{
    (void)state;
    /* crashed lc_catalog_load (write through apis[-1]) before the fix */
    expect_catalog_error("price_in = 1\n[api x]\nprice_in = 1\nprice_out = 1\n"
                         "source = s\ndate = d\n", LC_ESYNTAX, 1, "outside");
}

/* ---- spec ------------------------------------------------------------------ */

static void test_spec_nan_and_inf_are_refused_everywhere(void **state)
{
    (void)state;
    expect_spec_error("[inputs]\ndiscount = nan\n", LC_ESYNTAX, 2, "not a number");
    expect_spec_error("[inputs]\nusers = inf\n", LC_ESYNTAX, 2, "not a number");
    expect_spec_error("[inputs]\nusers = 1e999\n", LC_ESYNTAX, 2, "too large");
    expect_spec_error("[axes]\nparams = 7B, NaN\n", LC_ESYNTAX, 2, "not a number");
    expect_spec_error("[axes]\nparams = log 1e9 inf 4\n", LC_ESYNTAX, 2, "not a number");
    expect_spec_error("[axes]\nutil = lin 0.1 nan 4\n", LC_ESYNTAX, 2, "not a number");
    expect_spec_error("[axes]\nparams = 7B\n[outputs]\ncount = sub_profit > nan\n",
                      LC_ESYNTAX, 4, "");
}

static void test_spec_duplicate_sections_and_keys(void **state)
{
    (void)state;
    expect_spec_error("[sweep]\nthreads = 1\n[axes]\nparams = 7B\n[sweep]\nthreads = 2\n",
                      LC_EINVAL, 6, "threads");
    expect_spec_error("[axes]\nparams = 7B\n[axes]\nparams = 70B\n", LC_EINVAL, 4, "params");
}

static void test_spec_zero_trillion_and_overflowing_points(void **state)
{
    (void)state;
    expect_spec_error("[axes]\ntokens = log 1e11 2e13 0\n", LC_ERANGE, 2, "COUNT");
    expect_spec_error("[axes]\ntokens = log 1e11 2e13 1e12\n", LC_ERANGE, 2, "COUNT");
    expect_spec_error("[axes]\nutil = lin 0.1 0.9 -5\n", LC_ERANGE, 2, "COUNT");
    expect_spec_error("[axes]\nparams = \n", LC_ESYNTAX, 2, "no points");
    /* 70000^4 = 2.4e19 points > 2^64 = 1.8e19: refused, never wrapped */
    expect_spec_error("[axes]\nparams = log 1e3 1e15 70000\ntokens = log 1e9 1e13 70000\n"
                      "users = lin 1 1e6 70000\nutil = lin 0.1 0.9 70000\n",
                      LC_ERANGE, 5, "2^64");
    /* 65536^4 = 2^64 exactly: one more than fits */
    expect_spec_error("[axes]\nparams = log 1e3 1e15 65536\ntokens = log 1e9 1e13 65536\n"
                      "users = lin 1 1e6 65536\nutil = lin 0.1 0.9 65536\n",
                      LC_ERANGE, 5, "2^64");
    /* 65535 * 65536^3 = 2^64 - 2^48 fits */
    lc_spec s;
    lc_diag d;
    const char *t = "[axes]\nparams = log 1e3 1e15 65535\ntokens = log 1e9 1e13 65536\n"
                    "users = lin 1 1e6 65536\nutil = lin 0.1 0.9 65536\n";
    lc_status st = lc_spec_parse_text(&s, t, strlen(t), "h.ini", &cat, &d);
    if (st != LC_OK)
        print_error("%s:%d: %s\n", d.file, d.line, d.msg);
    assert_int_equal(st, LC_OK);
    uint64_t pts = 0;
    assert_int_equal(lc_spec_points(&s, &pts, &d), LC_OK);
    assert_true(pts == UINT64_MAX - ((uint64_t)1 << 48) + 1);
    lc_spec_free(&s);
}

static void test_spec_long_line_not_utf8_empty(void **state)
{
    (void)state;
    char t[512];
    snprintf(t, sizeof t, "[sweep]\nname = %0210d\n", 7);
    expect_spec_error(t, LC_ESYNTAX, 2, "characters long");
    expect_spec_error("[sweep]\nname = caf\xe9\n", LC_ESYNTAX, 2, "UTF-8");
    expect_spec_error("", LC_ESYNTAX, 0, "empty");
    expect_spec_error("\n\n  \n", LC_ESYNTAX, 0, "empty");
}

/* ---- regressions: every input that once crashed a fuzzer ----------------- */

/* Replay tests/regress/<harness>-* through the API that harness drives: no
 * crash (ASan/valgrind watch in check-full), and a refusal carries a
 * message and exit code 2. */
static void test_regress_inputs_replay_cleanly(void **state)
{
    (void)state;
    DIR *dir = opendir("tests/regress");
    assert_non_null(dir);
    struct dirent *e;
    int replayed = 0;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[600];
        snprintf(path, sizeof path, "tests/regress/%s", e->d_name);
        char *text = NULL;
        size_t len = 0;
        lc_diag d;
        memset(&d, 0, sizeof d);
        assert_int_equal(lc_read_file(path, &text, &len, &d), LC_OK);
        lc_status st = LC_OK;
        if (strncmp(e->d_name, "catalog-", 8) == 0) {
            lc_catalog c;
            st = lc_catalog_load(&c, path, &d);
            if (st == LC_OK)
                lc_catalog_free(&c);
        } else if (strncmp(e->d_name, "spec-", 5) == 0) {
            lc_spec s;
            st = lc_spec_parse_text(&s, text, len, path, &cat, &d);
            lc_spec_free(&s);
        } else if (strncmp(e->d_name, "ini-", 4) == 0) {
            ini_seen s;
            st = ini_parse(text, len, &s, &d);
        } else if (strncmp(e->d_name, "number-", 7) == 0) {
            double x;
            st = lc_parse_number(text, &x, &d);
        } else {
            free(text);
            continue; /* cli-*: replayed by tests/cli_hostile.sh */
        }
        if (st != LC_OK) {
            if (d.msg[0] == '\0' || lc_exit_code(st) != 2)
                print_error("%s: status %d, message '%s'\n", path, st, d.msg);
            assert_true(d.msg[0] != '\0');
            assert_int_equal(lc_exit_code(st), 2);
        }
        free(text);
        replayed++;
    }
    closedir(dir);
    assert_true(replayed >= 2);
}

/* ---- numbers ----------------------------------------------------------------- */

static void test_number_nan_inf_hex_and_overflow_are_refused(void **state)
{
    (void)state;
    static const char *bad[] = {"nan", "NAN", "-nan", "inf", "+Inf", "infinity", "1e309",
                                "-1e309", "1e308k", "0x10", "0X1p3", "", " ", "k", "1kk",
                                "1 k", "1e", "--1", "1,5", "1.5.2", "%", "1e5e5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double x = 42.0;
        lc_diag d;
        memset(&d, 0, sizeof d);
        lc_status st = lc_parse_number(bad[i], &x, &d);
        if (st != LC_ESYNTAX)
            print_error("'%s' was accepted as %.17g\n", bad[i], x);
        assert_int_equal(st, LC_ESYNTAX);
        assert_true(d.msg[0] != '\0');
        assert_true(x == 42.0);
    }
}

/* A suffix is an exponent: "2.039M" is the double nearest 2039000, the same
 * as strtod("2.039e6"), not 2.039 * 1e6 rounded twice.  The reference is
 * built here from the digits, independently of the parser's code path. */
static void test_number_suffixes_round_once(void **state)
{
    (void)state;
    static const char *mant[] = {"1.8", "175", "1.1", "0.3", "2.2659", "70", "2.039", "0.7",
                                 "3.35", "0.03", "12.5", "1.234567890123456", "9.99", "0.1"};
    static const struct { const char *sfx; int e; } sfx[] = {
        {"k", 3}, {"K", 3}, {"M", 6}, {"B", 9}, {"G", 9}, {"T", 12}, {"P", 15}, {"%", -2}};
    for (size_t i = 0; i < sizeof mant / sizeof mant[0]; i++)
        for (size_t j = 0; j < sizeof sfx / sizeof sfx[0]; j++) {
            char in[64], ref[64];
            snprintf(in, sizeof in, "%s%s", mant[i], sfx[j].sfx);
            snprintf(ref, sizeof ref, "%se%d", mant[i], sfx[j].e);
            double x = 0, want = strtod(ref, NULL);
            lc_diag d;
            assert_int_equal(lc_parse_number(in, &x, &d), LC_OK);
            if (x != want)
                print_error("%s gave %.17g, want %.17g\n", in, x, want);
            assert_true(x == want);
        }
    double x;
    lc_diag d;
    assert_int_equal(lc_parse_number("70%", &x, &d), LC_OK);
    assert_true(x == 0.7);
    assert_int_equal(lc_parse_number("1.5e3k", &x, &d), LC_OK);
    assert_true(x == 1.5e6);
    assert_int_equal(lc_parse_number(" -3.35T ", &x, &d), LC_OK);
    assert_true(x == -3.35e12);
}

/* ---- formulas over 1e3..1e15 parameters: full double precision ------------- */

static double rel_err(double got, long double want)
{
    return (double)fabsl(((long double)got - want) / want);
}

static void test_formulas_keep_double_precision_from_1e3_to_1e15_params(void **state)
{
    (void)state;
    /* Each formula is a few IEEE operations, each rounded once (the project
     * compiles with -ffp-contract=off): the result must lie within
     * (operations) * 2^-53 of the exact value, here taken in 64-bit long
     * double, whose own rounding (2^-64) is far below that bound. */
    const double eps = DBL_EPSILON / 2;
    const double flops = 989e12, util = 0.4, price = 2.99, discount = 0.5;
    for (int e = 3; e <= 15; e++)
        for (int k = 0; k < 3; k++) {
            static const double m[] = {1.0, 1.234567890123457, 7.77};
            double n = m[k] * pow(10.0, e);
            double d = lc_chinchilla_tokens(n);
            long double ln = n, ld = 20.0L * ln;
            assert_true(rel_err(d, ld) <= 1 * eps);
            double fl = lc_pretrain_flop(n, d);
            long double lfl = 6.0L * ln * (long double)d;
            assert_true(rel_err(fl, lfl) <= 2 * eps);
            double gs = lc_pretrain_gpu_seconds(n, d, flops, util);
            long double lgs = lfl / ((long double)flops * (long double)util);
            assert_true(rel_err(gs, lgs) <= 4.01 * eps);
            double cost = lc_pretrain_cost(gs, price, discount);
            long double lcost = lgs * ((long double)price / 3600.0L) * (long double)discount;
            assert_true(rel_err(cost, lcost) <= 7.01 * eps);
            double spt = lc_infer_seconds_per_token(n, flops, util);
            long double lspt = 2.0L * ln / ((long double)flops * (long double)util);
            assert_true(rel_err(spt, lspt) <= 3.01 * eps);
            /* nothing overflows or underflows into a denormal on the way */
            assert_true(isnormal(fl) && isnormal(gs) && isnormal(cost) && isnormal(spt));
        }
    /* the extremes of the range, parsed as a user writes them */
    double n;
    lc_diag dg;
    assert_int_equal(lc_parse_number("1P", &n, &dg), LC_OK);
    assert_true(n == 1e15);
    assert_true(lc_pretrain_flop(n, lc_chinchilla_tokens(n)) == 1.2e32);
    assert_int_equal(lc_parse_number("1k", &n, &dg), LC_OK);
    assert_true(lc_pretrain_flop(n, lc_chinchilla_tokens(n)) == 1.2e8);
}

/* No break-even: NaN, never a negative or infinite "answer". */
static void test_no_breakeven_is_nan_with_status(void **state)
{
    (void)state;
    double out = 1.0;
    assert_int_equal(lc_model_breakeven_tokens(1e6, 0.01, 0.02, &out), LC_ENOBREAKEVEN);
    assert_true(isnan(out));
    out = 1.0;
    assert_int_equal(lc_model_breakeven_tokens(1e6, 0.02, 0.02, &out), LC_ENOBREAKEVEN);
    assert_true(isnan(out));
    assert_int_equal(lc_model_breakeven_users(1e6, 20, 1e6, 0.02, &out), LC_ENOBREAKEVEN);
    assert_true(isnan(out)); /* margin 20 - 1000 * 0.02 = 0 */
    assert_true(isnan(lc_margin(5.0, 0.0)));
    assert_int_equal(lc_model_breakeven_tokens(1e6, 0.03, 0.01, &out), LC_OK);
    assert_true(fabs(out - 5e10) <= 5e10 * 4 * DBL_EPSILON);
}

/* ---- issue 10: second round ------------------------------------------------ */

/* A lin/log range over continuation lines: the whole value is read (no
 * fixed buffer cuts COUNT or drops a token), and what is not consumed is
 * an error at the key's line. */
static void test_spec_range_over_continuation_lines(void **state)
{
    (void)state;
    char a[200], b[80], text[600];
    memset(a, '0', sizeof a);
    memcpy(a, "1.", 2);
    a[182] = '\0'; /* "1.000...": 182 characters */
    memset(b, '0', sizeof b);
    memcpy(b, "100.", 4);
    b[65] = '\0';
    /* "lin A B 50" is 255 characters: a 256-byte copy kept "lin A B 5" */
    snprintf(text, sizeof text, "[axes]\nusers = lin %s\n  %s 50\n", a, b);
    lc_spec s;
    lc_diag d;
    assert_int_equal(lc_spec_parse_text(&s, text, strlen(text), "h.ini", &cat, &d), LC_OK);
    assert_int_equal(s.n_axes, 1);
    assert_int_equal(s.axes[0].n, 50);
    assert_true(s.axes[0].values[0] == 1.0 && s.axes[0].values[49] == 100.0);
    lc_spec_free(&s);
    /* one token more after COUNT, at the 256-byte boundary and anywhere */
    snprintf(text, sizeof text, "[axes]\nusers = lin %s\n  %s 5 7\n", a, b);
    expect_spec_error(text, LC_ESYNTAX, 2, "'7' after COUNT is not consumed");
    expect_spec_error("[axes]\nusers = log 1e5 1e8\n   64 9\n", LC_ESYNTAX, 2,
                      "'9' after COUNT is not consumed");
    expect_spec_error("[axes]\nusers = lin 1 100 5\n  , 7\n", LC_ESYNTAX, 2,
                      "expected 'lin START STOP COUNT'");
    /* "key =" then an indented range: a range, not the list "lin 1 100 5" */
    const char *t2 = "[axes]\nusers =\n    lin 1 100 5\n";
    assert_int_equal(lc_spec_parse_text(&s, t2, strlen(t2), "h.ini", &cat, &d), LC_OK);
    assert_int_equal(s.axes[0].n, 5);
    assert_true(s.axes[0].values[1] == 25.75);
    lc_spec_free(&s);
    /* scalar keys: nothing after the value, nothing on a continuation */
    expect_spec_error("[sweep]\noutput = a.h5\n   b.h5\n[axes]\nusers = 1\n", LC_ESYNTAX, 2,
                      "output: a file name on one line");
    expect_spec_error("[sweep]\ncompression = deflate: 5\n[axes]\nusers = 1\n", LC_EINVAL, 2,
                      "compression 'deflate: 5'");
    expect_spec_error("[sweep]\ncompression = deflate:+5\n[axes]\nusers = 1\n", LC_EINVAL, 2,
                      "compression 'deflate:+5'");
    expect_spec_error("[sweep]\nthreads = 1\n   2\n[axes]\nusers = 1\n", LC_ESYNTAX, 2,
                      "'1 2' is not a number");
    expect_spec_error("[inputs]\nusers = 1\n   2\n", LC_ESYNTAX, 2, "'1 2' is not a number");
    expect_spec_error("[outputs]\nstore = sub_profit\n   pretrain_cost\n", LC_ENOTFOUND, 2,
                      "unknown output 'sub_profit pretrain_cost'");
    expect_spec_error("[outputs]\ncount = sub_profit > 0 5\n", LC_ESYNTAX, 2,
                      "expected OUTPUT <|<=|>|>= NUMBER");
}

/* Whole numbers for seeds: exact over 0 .. 2^64-1, nothing else accepted. */
static void test_u64_exact_and_strict(void **state)
{
    (void)state;
    uint64_t v = 7;
    lc_diag d;
    assert_int_equal(lc_parse_u64("9007199254740993", &v, &d), LC_OK);
    assert_true(v == 9007199254740993ULL); /* 2^53 + 1: a double would give 2^53 */
    assert_int_equal(lc_parse_u64(" 18446744073709551615 ", &v, &d), LC_OK);
    assert_true(v == UINT64_MAX);
    v = 7;
    assert_int_equal(lc_parse_u64("18446744073709551616", &v, &d), LC_ERANGE);
    assert_non_null(strstr(d.msg, "too large"));
    const char *bad[] = {"", " ", "-1", "+1", "1e3", "1.0", "0x10", "12k", "1 2", "inf", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(lc_parse_u64(bad[i], &v, &d), LC_ESYNTAX);
        assert_true(v == 7); /* untouched */
    }
}

/* Paths: built whole or refused; outputs that are directories or special
 * files refused; FIFOs never opened. */
static void test_paths_built_whole_or_refused(void **state)
{
    (void)state;
    char buf[16];
    lc_diag d;
    assert_int_equal(lc_path_fmt(buf, sizeof buf, &d, "%s.partial", "abcdef"), LC_OK);
    assert_string_equal(buf, "abcdef.partial");
    assert_int_equal(lc_path_fmt(buf, sizeof buf, &d, "%s.partial", "abcdefgh"), LC_EINVAL);
    assert_string_equal(buf, ""); /* never a name cut short */
    assert_non_null(strstr(d.msg, "would be 16 characters long"));
    char name[64];
    assert_int_equal(lc_journal_path("abcdefgh", name, 17), -1);
    assert_int_equal(lc_journal_path("a", name, 19), 0);
    assert_string_equal(name, "a.partial.journal");
    assert_int_equal(lc_cluster_shard_path("run.h5", 3, 16, name, 19), -1);
    assert_int_equal(lc_cluster_shard_path("run.h5", 3, 16, name, 20), 0);
    assert_string_equal(name, "run.shard3-of-16.h5");
    char longp[1200];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    assert_int_equal(lc_path_check_output(longp, &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "at most 960"));
    assert_int_equal(lc_path_check_output(".", &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "is a directory"));
    assert_int_equal(lc_path_check_output("/dev/null", &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "is a device"));
    assert_int_equal(lc_path_check_output("no/such/dir/x.h5", &d), LC_OK);
    char fifo[] = "/tmp/lc_hostile_fifo_XXXXXX";
    int fd = mkstemp(fifo);
    assert_true(fd >= 0);
    close(fd);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(lc_path_regular(fifo, "journal", &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "is a FIFO (named pipe), not a regular file"));
    assert_int_equal(lc_path_check_output(fifo, &d), LC_EINVAL);
    /* a journal at a FIFO: refused, not opened (an open would block) */
    lc_journal *j = NULL;
    lc_journal_info info = {"id", 2, 4, 0};
    assert_int_equal(lc_journal_create(&j, fifo, &info, &d), LC_EINVAL);
    assert_null(j);
    uint8_t done[4] = {0};
    uint64_t nd = 0;
    assert_int_equal(lc_journal_resume(&j, fifo, &info, done, NULL, &nd, &d), LC_EINVAL);
    assert_non_null(strstr(d.msg, "FIFO"));
    unlink(fifo);
}

/* The resume command: every argument pastes back into sh as it was. */
static void test_shell_quote(void **state)
{
    (void)state;
    char b[64];
    assert_int_equal(lc_shell_quote("out.h5", b, sizeof b), 6);
    assert_string_equal(b, "out.h5");
    lc_shell_quote("out put.h5", b, sizeof b);
    assert_string_equal(b, "'out put.h5'");
    lc_shell_quote("it's", b, sizeof b);
    assert_string_equal(b, "'it'\\''s'");
    lc_shell_quote("", b, sizeof b);
    assert_string_equal(b, "''");
    lc_shell_quote("$(rm -rf x)", b, sizeof b);
    assert_string_equal(b, "'$(rm -rf x)'");
    assert_int_equal(lc_shell_quote("a b c d e f", b, 8), -1);
}

/* Choice weights that overflow when summed, and catalogue names with blanks
 * inside the brackets. */
static void test_weights_and_catalogue_names(void **state)
{
    (void)state;
    const char *t = "[inputs]\ngpu = A100\n[distribution.util]\ntype = choice\n"
                    "values = 0.3, 0.6, 0.9\nweights = 1e308, 1e308, 5e307\n";
    lc_spec s;
    lc_diag d;
    assert_int_equal(lc_spec_parse_text(&s, t, strlen(t), "w.ini", &cat, &d), LC_OK);
    lc_sens_problem *p = malloc(sizeof *p);
    assert_non_null(p);
    lc_sens_problem_init(p);
    assert_int_equal(lc_sens_problem_from_spec(p, &s, &cat, &d), LC_OK);
    assert_int_equal(p->k, 1);
    /* 1 : 1 : 0.5 exactly as 2 : 2 : 1 */
    assert_true(p->factors[0].cum[0] == 0.4);
    assert_true(p->factors[0].cum[1] == 0.8);
    assert_true(p->factors[0].cum[2] == 1.0);
    free(p);
    lc_spec_free(&s);
    lc_catalog c;
    assert_int_equal(catalog_text("[gpu  My GPU ]\n" GPU_OK "[ api\tY\t]\nprice_in = 1\n"
                                  "price_out = 2\nsource = s\ndate = 2024-01\n", &c, &d), LC_OK);
    assert_non_null(lc_catalog_gpu(&c, "My GPU"));
    assert_non_null(lc_catalog_api(&c, "Y"));
    lc_catalog_free(&c);
}


/* ---- third round (h18): the newest surfaces -------------------------------- */

/* strtod rounds below 4.9e-324 to 0 without a word: that was a silent 0
 * wherever a number is read (options, specs, catalogues, CSV, formulas). */
static void test_number_underflow_is_refused_not_zero(void **state)
{
    (void)state;
    static const char *bad[] = {"1e-400", "-1e-400", "2.4e-324", "1e-330k", "1e-322%",
                                "0.0000001e-320"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double x = 42.0;
        lc_diag d;
        memset(&d, 0, sizeof d);
        assert_int_equal(lc_parse_number(bad[i], &x, &d), LC_ESYNTAX);
        assert_non_null(strstr(d.msg, "is too small: it rounds to 0"));
        assert_true(x == 42.0);
    }
    /* zero itself, and the smallest subnormal, are numbers */
    static const char *good[] = {"0", "0.0", "0e-999", "-0", "0k", "2.5e-324", "1e-320k"};
    static const double want[] = {0.0, 0.0, 0.0, -0.0, 0.0, 4.9406564584124654e-324,
                                  1e-317};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double x = 42.0;
        lc_diag d;
        assert_int_equal(lc_parse_number(good[i], &x, &d), LC_OK);
        assert_true(x == want[i]);
    }
}

/* A formula that reads no value and is not finite is refused at its line. */
static void test_formula_constant_not_finite_is_refused(void **state)
{
    (void)state;
    static const struct {
        const char *expr, *what;
    } bad[] = {{"1/0", "is +inf at every point"},     {"0 - 1/0", "is -inf at every point"},
               {"log(0 - 1)", "is NaN at every point"}, {"exp(1000)", "is +inf"},
               {"0/0", "is NaN"},                     {"1e308 * 10", "is +inf"},
               {"sqrt(0-4) + 1", "is NaN"},           {"pow(0, 0-1)", "is +inf"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_formulas fs;
        lc_formulas_init(&fs);
        snprintf(fs.file, sizeof fs.file, "f.ini");
        lc_diag d;
        memset(&d, 0, sizeof d);
        assert_int_equal(lc_formulas_add(&fs, "m", bad[i].expr, 7, 5, &d), LC_OK);
        expect_diag(lc_formulas_bind(&fs, &d), &d, LC_EINVAL, 7, bad[i].what);
        lc_formulas_free(&fs);
    }
    /* finite constants, and non-finite values that depend on an input, are kept */
    static const char *good[] = {"1e308 / 10", "if(1 > 2, 1/0, 3)", "min(1/0, 5)",
                                 "log(0 - params)"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        lc_formulas fs;
        lc_formulas_init(&fs);
        lc_diag d;
        assert_int_equal(lc_formulas_add(&fs, "m", good[i], 7, 5, &d), LC_OK);
        assert_int_equal(lc_formulas_bind(&fs, &d), LC_OK);
        lc_formulas_free(&fs);
    }
}

#define ARCH_OK "params = 7B\nlayers = 32\nd_model = 4096\nheads = 32\nkv_heads = 8\n" \
                "context = 4096\nsource = s\ndate = 2024-01-01\n"

/* One file may not define an entry twice (--catalog, and --catalog-add,
 * which may override the catalogue's entries but not its own); headers
 * that are not an entry are named at their own line. */
static void test_catalog_duplicates_and_bad_headers_at_their_line(void **state)
{
    (void)state;
    expect_catalog_error("[gpu X]\n" GPU_OK "[gpu  x ]\n" GPU_OK, LC_ESYNTAX, 8,
                         "duplicate entry (first at line 1 of this file)");
    expect_catalog_error("[arch a]\n" ARCH_OK "[arch A]\n" ARCH_OK, LC_ESYNTAX, 10,
                         "[arch A]: duplicate entry (first at line 1");
    expect_catalog_error("[tpu X]\nflops = 1\n", LC_ESYNTAX, 1, "unknown section '[tpu X]'");
    expect_catalog_error("[gpu X]\n" GPU_OK "\n[gpu ]\nflops = 1\n", LC_ESYNTAX, 9,
                         "unknown section '[gpu]'");
    /* --catalog-add: the same, while overriding a built-in entry is allowed */
    lc_catalog c;
    lc_diag d;
    assert_int_equal(lc_catalog_load(&c, NULL, &d), LC_OK);
    const char *one = "[gpu A100]\nprice_hour = 1\nprice_source = q\nprice_date = 2026-01\n";
    const char *p1 = temp_file(one, strlen(one));
    char keep[512];
    snprintf(keep, sizeof keep, "%s", p1);
    assert_int_equal(lc_catalog_add(&c, keep, &d), LC_OK);
    unlink(keep);
    const char *two = "[arch x]\n" ARCH_OK "[arch x]\n" ARCH_OK;
    const char *p2 = temp_file(two, strlen(two));
    snprintf(keep, sizeof keep, "%s", p2);
    expect_diag(lc_catalog_add(&c, keep, &d), &d, LC_ESYNTAX, 10, "duplicate entry");
    unlink(keep);
    lc_catalog_free(&c);
    /* a head_dim that d_model / heads cannot give, and counts too large */
    expect_catalog_error("[arch x]\nparams = 7B\nlayers = 32\nd_model = 4000\nheads = 33\n"
                         "kv_heads = 3\ncontext = 4096\nsource = s\ndate = 2024\n",
                         LC_ERANGE, 1, "d_model 4000 is not a multiple of heads 33");
    expect_catalog_error("[arch x]\nparams = 7B\nlayers = 2e15\nd_model = 4096\nheads = 32\n"
                         "kv_heads = 8\ncontext = 4096\nsource = s\ndate = 2024\n",
                         LC_ERANGE, 3, "must be a whole number up to 1e15");
}

/* The helpers behind eval --points' output rules. */
static void test_same_file_and_exclusive_create(void **state)
{
    (void)state;
    const char *p = temp_file("x\n", 2);
    char a[512], link[600];
    snprintf(a, sizeof a, "%s", p);
    snprintf(link, sizeof link, "%s.link", a);
    const char *base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
    assert_int_equal(symlink(base, link), 0); /* relative to the link's folder */
    assert_int_equal(lc_path_same_file(a, link), 1);
    assert_int_equal(lc_path_same_file(a, "no/such/file"), 0);
    FILE *f = NULL;
    lc_diag d;
    /* an existing file or link is never truncated nor followed */
    assert_int_equal(lc_path_create_excl(link, 0, &f, &d), LC_EEXIST);
    assert_null(f);
    unlink(a); /* now a dangling link: still refused, and nothing is created */
    assert_int_equal(lc_path_create_excl(link, 0, &f, &d), LC_EEXIST);
    assert_int_equal(access(a, F_OK), -1);
    /* replace: the link goes, a new file is made where it was */
    assert_int_equal(lc_path_create_excl(link, 1, &f, &d), LC_OK);
    assert_non_null(f);
    fclose(f);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(access(a, F_OK), -1);
    unlink(link);
}

/* lc_spec_parse_text takes a length: a text that ends inside a key line,
 * without NUL or newline, is never read past its end (the fuzzer found
 * the value-column scan of on_key reading one byte beyond; make check
 * SAN=1 and valgrind see it, this test runs the path). */
static void test_spec_text_without_nul_is_read_within_its_length(void **state)
{
    (void)state;
    static const char *texts[] = {"[inputs]\nutil =", "[inputs]\nutil", "[inputs]\n  util =",
                                  "[sweep]\nname = t\n[axes]\nparams = 7B,\n "};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i]);
        char *t = malloc(n); /* exactly the text, no NUL after it */
        assert_non_null(t);
        memcpy(t, texts[i], n);
        lc_spec sp;
        lc_diag d;
        memset(&d, 0, sizeof d);
        lc_status st = lc_spec_parse_text(&sp, t, n, "t.ini", &cat, &d);
        assert_int_not_equal(st, LC_OK);
        assert_int_equal(lc_exit_code(st), 2);
        assert_true(d.msg[0] != '\0');
        lc_spec_free(&sp);
        free(t);
    }
}

/* LLMCOST_FLUSH_SECONDS is one parser for the CLI and the library. */
static void test_flush_seconds_environment(void **state)
{
    (void)state;
    double v = -1;
    lc_diag d;
    static const char *bad[] = {"0x10", "inf", "nan", "0", "1e-400", "3601", "fast", "1 s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("LLMCOST_FLUSH_SECONDS", bad[i], 1);
        memset(&d, 0, sizeof d);
        assert_int_equal(lc_cluster_flush_env(&v, &d), LC_EINVAL);
        assert_non_null(strstr(d.msg, "is not a number of seconds from 0.001 to 3600"));
    }
    setenv("LLMCOST_FLUSH_SECONDS", "250m", 1); /* not a suffix: m is not milli */
    assert_int_equal(lc_cluster_flush_env(&v, &d), LC_EINVAL);
    setenv("LLMCOST_FLUSH_SECONDS", "2.5", 1);
    assert_int_equal(lc_cluster_flush_env(&v, &d), LC_OK);
    assert_true(v == 2.5);
    setenv("LLMCOST_FLUSH_SECONDS", "", 1);
    assert_int_equal(lc_cluster_flush_env(&v, &d), LC_OK);
    assert_true(v == 0);
    unsetenv("LLMCOST_FLUSH_SECONDS");
    assert_int_equal(lc_cluster_flush_env(&v, &d), LC_OK);
    assert_true(v == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ini_line_of_199_chars_is_read_whole),
        cmocka_unit_test(test_ini_line_of_200_chars_is_refused_at_its_line),
        cmocka_unit_test(test_ini_broken_header_stops_at_its_line),
        cmocka_unit_test(test_ini_section_name_inih_would_truncate_is_refused),
        cmocka_unit_test(test_ini_not_utf8_empty_nul_are_refused),
        cmocka_unit_test(test_catalog_missing_field_named_at_its_section),
        cmocka_unit_test(test_catalog_nan_inf_negative_and_repeats_are_refused),
        cmocka_unit_test(test_catalog_key_before_any_section_is_refused),
        cmocka_unit_test(test_spec_nan_and_inf_are_refused_everywhere),
        cmocka_unit_test(test_spec_duplicate_sections_and_keys),
        cmocka_unit_test(test_spec_zero_trillion_and_overflowing_points),
        cmocka_unit_test(test_spec_long_line_not_utf8_empty),
        cmocka_unit_test(test_regress_inputs_replay_cleanly),
        cmocka_unit_test(test_number_nan_inf_hex_and_overflow_are_refused),
        cmocka_unit_test(test_number_suffixes_round_once),
        cmocka_unit_test(test_formulas_keep_double_precision_from_1e3_to_1e15_params),
        cmocka_unit_test(test_no_breakeven_is_nan_with_status),
        cmocka_unit_test(test_spec_range_over_continuation_lines),
        cmocka_unit_test(test_u64_exact_and_strict),
        cmocka_unit_test(test_paths_built_whole_or_refused),
        cmocka_unit_test(test_shell_quote),
        cmocka_unit_test(test_weights_and_catalogue_names),
        cmocka_unit_test(test_number_underflow_is_refused_not_zero),
        cmocka_unit_test(test_formula_constant_not_finite_is_refused),
        cmocka_unit_test(test_catalog_duplicates_and_bad_headers_at_their_line),
        cmocka_unit_test(test_same_file_and_exclusive_create),
        cmocka_unit_test(test_flush_seconds_environment),
        cmocka_unit_test(test_spec_text_without_nul_is_read_within_its_length),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
