/*
 * test_number.c - numbers as users write them (number.h): SI suffixes,
 * blanks, and every kind of string that must be refused (NaN, infinities,
 * hex floats, overflow, stray characters).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "util/number.h"

static double parse_ok(const char *s)
{
    double x = -12345.0;
    lc_diag d = {{0}, 0, {0}};
    lc_status st = lc_parse_number(s, &x, &d);
    if (st != LC_OK)
        fail_msg("'%s' refused: %s", s, d.msg);
    return x;
}

static void test_plain_numbers(void **state)
{
    (void)state;
    assert_true(parse_ok("0") == 0.0);
    assert_true(parse_ok("42") == 42.0);
    assert_true(parse_ok("1e9") == 1e9);
    assert_true(parse_ok("2.2659") == 2.2659);
    assert_true(parse_ok("-5") == -5.0);  /* sign is the range check's business */
    assert_true(parse_ok("+.5") == 0.5);
    assert_true(parse_ok("5.") == 5.0);
    assert_true(parse_ok("1.776e12") == 1.776e12);
    assert_true(parse_ok("  12\t") == 12.0);
}

static void test_si_suffixes(void **state)
{
    (void)state;
    assert_true(parse_ok("175B") == 175e9);
    assert_true(parse_ok("13T") == 13e12);
    assert_true(parse_ok("1.8M") == 1.8e6);
    assert_true(parse_ok("2k") == 2e3);
    assert_true(parse_ok("2K") == 2e3);
    assert_true(parse_ok("1.5G") == 1.5e9);
    assert_true(parse_ok("3P") == 3e15);
    assert_true(parse_ok("40%") == 0.4);
    assert_true(parse_ok("1776B") == 1.776e12);
    assert_true(parse_ok(" 2k ") == 2e3);
}

static void refused(const char *s)
{
    double x = 7.0;
    lc_diag d = {{0}, 0, {0}};
    lc_status st = lc_parse_number(s, &x, &d);
    if (st != LC_ESYNTAX)
        fail_msg("'%s' accepted as %g (status %d)", s, x, (int)st);
    if (x != 7.0)
        fail_msg("'%s' refused but the output was written", s);
    if (!d.msg[0] || !strstr(d.msg, s))
        fail_msg("message for '%s' does not quote it: '%s'", s, d.msg);
}

static void test_bad_strings_are_refused_with_a_message(void **state)
{
    (void)state;
    refused("");
    refused("   ");
    refused("abc");
    refused("nan");
    refused("NaN");
    refused("inf");
    refused("-inf");
    refused("infinity");
    refused("0x10");
    refused("0X1p3");
    refused("1e999");
    refused("1e308k"); /* finite before the suffix, infinite after */
    refused("12kk");
    refused("1 k");
    refused("1,000");
    refused("5e");
    refused("B");
    refused("1.8m"); /* lower-case m could be read as milli: refused */
    refused("2 3");
    refused("1..2");
    refused("--1");
}

static void test_format_si(void **state)
{
    (void)state;
    char b[32];
    lc_format_si(1.776e12, b, sizeof b);
    assert_string_equal(b, "1.776T");
    lc_format_si(175e9, b, sizeof b);
    assert_string_equal(b, "175B");
    lc_format_si(-2500, b, sizeof b);
    assert_string_equal(b, "-2.5k");
    lc_format_si(999, b, sizeof b);
    assert_string_equal(b, "999");
    lc_format_si(0.0071656667, b, sizeof b);
    assert_string_equal(b, "0.00716567");
    /* what it prints reads back (within its 4 digits) */
    double x;
    lc_format_si(1.85e12, b, sizeof b);
    assert_int_equal(lc_parse_number(b, &x, NULL), LC_OK);
    assert_true(x == 1.85e12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_numbers),
        cmocka_unit_test(test_si_suffixes),
        cmocka_unit_test(test_bad_strings_are_refused_with_a_message),
        cmocka_unit_test(test_format_si),
    };
    return cmocka_run_group_tests_name("number", tests, NULL, NULL);
}
