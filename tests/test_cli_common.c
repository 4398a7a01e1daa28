/*
 * test_cli_common.c - the shared CLI helpers (src/cli/cli_common.h): option
 * cursor ("--a-b V", "--a_b=V", flags, missing values), SI numbers from the
 * command line, and JSON escaping and number round trips.
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

#include "cli/cli_common.h"

static void test_options_with_dash_underscore_and_equals(void **state)
{
    (void)state;
    char *argv[] = {"eval", "--util-infer", "0.5", "--price_hour=2k", "--json", "-h",
                    "stray", "--x=", NULL};
    lc_cli_args a;
    lc_cli_args_init(&a, "eval", 8, argv);
    double x;
    const char *v;
    assert_int_equal(lc_cli_next(&a), 1);
    assert_true(lc_cli_is(&a, "util_infer") && lc_cli_is(&a, "util-infer"));
    assert_false(lc_cli_is(&a, "util"));
    assert_int_equal(lc_cli_number(&a, &x), LC_OK);
    assert_true(x == 0.5);
    assert_int_equal(lc_cli_next(&a), 1);
    assert_true(lc_cli_is(&a, "price-hour"));
    assert_int_equal(lc_cli_number(&a, &x), LC_OK);
    assert_true(x == 2000.0);
    assert_int_equal(lc_cli_next(&a), 1);
    assert_true(lc_cli_is(&a, "json"));
    assert_int_equal(lc_cli_flag(&a), LC_OK);
    assert_int_equal(lc_cli_next(&a), 1);
    assert_true(lc_cli_is_help(&a));
    assert_int_equal(lc_cli_next(&a), -1);
    assert_string_equal(a.arg, "stray");
    assert_int_equal(lc_cli_next(&a), 1);
    assert_int_equal(lc_cli_value(&a, &v), LC_OK);
    assert_string_equal(v, ""); /* "--x=" gives an empty value, not the next arg */
    assert_int_equal(lc_cli_next(&a), 0);
}

static void test_missing_and_bad_values_are_errors(void **state)
{
    (void)state;
    char *argv[] = {"eval", "--json=yes", "--params", "12q", "--tokens", NULL};
    lc_cli_args a;
    lc_cli_args_init(&a, "eval", 5, argv);
    double x = 3.0;
    assert_int_equal(lc_cli_next(&a), 1);
    assert_int_equal(lc_cli_flag(&a), LC_EINVAL);
    assert_int_equal(lc_cli_next(&a), 1);
    assert_int_equal(lc_cli_number(&a, &x), LC_ESYNTAX);
    assert_true(x == 3.0);
    assert_int_equal(lc_cli_next(&a), 1);
    assert_int_equal(lc_cli_number(&a, &x), LC_EINVAL); /* no value left */
    assert_int_equal(lc_exit_code(LC_EINVAL), 2);
    assert_int_equal(lc_exit_code(LC_ESYNTAX), 2);
}

static void test_negative_number_is_taken_as_a_value(void **state)
{
    (void)state;
    char *argv[] = {"eval", "--tokens", "-5", NULL};
    lc_cli_args a;
    lc_cli_args_init(&a, "eval", 3, argv);
    double x;
    assert_int_equal(lc_cli_next(&a), 1);
    assert_int_equal(lc_cli_number(&a, &x), LC_OK);
    assert_true(x == -5.0); /* the range check refuses it later, with its name */
}

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fn(f, arg);
    fclose(f);
    return buf;
}

static void put_string(FILE *f, const void *s) { lc_json_string(f, s); }
static void put_number(FILE *f, const void *x) { lc_json_number(f, *(const double *)x); }

static void test_json_string_escapes(void **state)
{
    (void)state;
    char *s = capture(put_string, "a\"b\\c\nd\te\x01 \xe2\x89\xa5");
    assert_string_equal(s, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xe2\x89\xa5\"");
    free(s);
    s = capture(put_string, "");
    assert_string_equal(s, "\"\"");
    free(s);
}

static void test_json_numbers_round_trip_and_nan_is_null(void **state)
{
    (void)state;
    const double xs[] = {0.03, 0.0071656666666666666667, 1.882970158169493e12, 1e-300,
                         -2.5, 139730500.0, 0.1 + 0.2};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        char *s = capture(put_number, &xs[i]);
        assert_true(strtod(s, NULL) == xs[i]);
        free(s);
    }
    char *s = capture(put_number, &xs[0]);
    assert_string_equal(s, "0.03"); /* shortest form */
    free(s);
    double bad[] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; i++) {
        s = capture(put_number, &bad[i]);
        assert_string_equal(s, "null");
        free(s);
    }
}

static void test_catalog_load_through_the_cli_helper(void **state)
{
    (void)state;
    lc_catalog c;
    assert_int_equal(lc_cli_catalog_load("test", NULL, &c), LC_OK);
    assert_non_null(lc_catalog_gpu(&c, "H100"));
    assert_int_equal(lc_cli_unknown_gpu("test", &c, "nope"), LC_ENOTFOUND);
    assert_int_equal(lc_exit_code(LC_ENOTFOUND), 2);
    lc_catalog_free(&c);
    assert_int_not_equal(lc_cli_catalog_load("test", "/nonexistent.ini", &c), LC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_with_dash_underscore_and_equals),
        cmocka_unit_test(test_missing_and_bad_values_are_errors),
        cmocka_unit_test(test_negative_number_is_taken_as_a_value),
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_json_numbers_round_trip_and_nan_is_null),
        cmocka_unit_test(test_catalog_load_through_the_cli_helper),
    };
    return cmocka_run_group_tests_name("cli_common", tests, NULL, NULL);
}
