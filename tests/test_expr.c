/*
 * test_expr.c - the expression language (expr.h): values of every operator
 * and function, precedence, numbers with suffixes, the dependencies a
 * program reports, constant folding, bit-identity of array evaluation with
 * the same operations written in C (any n, any split into calls), and the
 * exact text of every kind of error with its column; the ordering of
 * named formulas and the cycles it refuses.
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

#include "model/expr.h"

/* The test's names: ids are their index; "flag" and "ok" are conditions. */
static const char *const names[] = {"a",           "b",   "c",        "subscription",
                                    "tokens_per_user", "serve_cost_per_1k", "sub_profit",
                                    "breakeven_users", "gpus", "flag", "ok"};
#define N_NAMES ((int)(sizeof names / sizeof names[0]))
enum { A, B, C, SUBS, TPU, SERVE, SPROFIT, BEUSERS, GPUS, FLAG, OK };

static int resolve(void *ctx, const char *name, lc_expr_type *type)
{
    (void)ctx;
    for (int i = 0; i < N_NAMES; i++)
        if (strcmp(names[i], name) == 0) {
            *type = i == FLAG || i == OK ? LC_EXPR_BOOL : LC_EXPR_NUMBER;
            return i;
        }
    return -1;
}

static lc_expr *compile_ok(const char *text)
{
    lc_expr *e = NULL;
    lc_diag d = {{0}, 0, {0}};
    if (lc_expr_compile(text, 1, resolve, NULL, -1, &e, &d) != LC_OK)
        fail_msg("'%s' refused: %s", text, d.msg);
    return e;
}

/* Value at one point where name i has value vals[i]. */
static double value(const char *text, const double *vals)
{
    lc_expr *e = compile_ok(text);
    double x[LC_EXPR_MAX_DEPS];
    for (int k = 0; k < lc_expr_n_deps(e); k++)
        x[k] = vals[lc_expr_dep(e, k)];
    double v = lc_expr_eval1(e, x);
    lc_expr_free(e);
    return v;
}

static double constant(const char *text)
{
    lc_expr *e = compile_ok(text);
    assert_int_equal(lc_expr_n_deps(e), 0);
    assert_int_equal(lc_expr_n_instr(e), 0); /* folded */
    double v = lc_expr_eval1(e, NULL);
    lc_expr_free(e);
    return v;
}

static int same_bits(double x, double y)
{
    return memcmp(&x, &y, sizeof x) == 0;
}

static void test_arithmetic_and_precedence(void **state)
{
    (void)state;
    assert_true(constant("1 + 2 * 3") == 7.0);
    assert_true(constant("(1 + 2) * 3") == 9.0);
    assert_true(constant("7 - 2 - 1") == 4.0);
    assert_true(constant("8 / 2 / 2") == 2.0);
    assert_true(constant("-2 * 3") == -6.0);
    assert_true(constant("2 - -3") == 5.0);
    assert_true(constant("- - 4") == 4.0);
    assert_true(constant("10 / 4") == 2.5);
    assert_true(constant("2M") == 2e6);
    assert_true(constant("1.5e-3") == 1.5e-3);
    assert_true(constant("2.039T") == 2.039e12); /* exact, as number.c scales */
    assert_true(constant("40%") == 0.4);
    assert_true(constant("175B / 1k") == 175e6);
    assert_true(constant(".5 + 5.") == 5.5);
    assert_true(same_bits(constant("0.1 + 0.2"), 0.1 + 0.2));
    assert_true(isinf(constant("1 / 0")));
    assert_true(isnan(constant("0 / 0")));
}

static void test_functions(void **state)
{
    (void)state;
    assert_true(constant("min(3, 1, 2)") == 1.0);
    assert_true(constant("max(3, 1, 2)") == 3.0);
    assert_true(constant("abs(-2.5)") == 2.5);
    assert_true(same_bits(constant("log(2.5)"), log(2.5)));
    assert_true(same_bits(constant("exp(1.25)"), exp(1.25)));
    assert_true(constant("pow(2, 10)") == 1024.0);
    assert_true(same_bits(constant("pow(1.1, 0.37)"), pow(1.1, 0.37)));
    assert_true(same_bits(constant("sqrt(2)"), sqrt(2.0)));
    assert_true(constant("ceil(1.2)") == 2.0);
    assert_true(constant("floor(-1.2)") == -2.0);
    assert_true(constant("if(1 < 2, 10, 20)") == 10.0);
    assert_true(constant("if(1 > 2, 10, 20)") == 20.0);
    assert_true(isnan(constant("log(-1)")));
    /* NaN propagates through min and max from either side */
    double v[N_NAMES] = {0};
    v[A] = NAN;
    v[B] = 1.0;
    assert_true(isnan(value("min(a, b)", v)));
    assert_true(isnan(value("min(b, a)", v)));
    assert_true(isnan(value("max(a, b)", v)));
    assert_true(isnan(value("max(b, a)", v)));
    assert_true(isnan(value("a + b", v)));
}

static void test_conditions(void **state)
{
    (void)state;
    assert_true(constant("1 < 2") == 1.0);
    assert_true(constant("2 <= 2") == 1.0);
    assert_true(constant("2 > 2") == 0.0);
    assert_true(constant("2 >= 3") == 0.0);
    assert_true(constant("2 == 2") == 1.0);
    assert_true(constant("2 != 2") == 0.0);
    assert_true(constant("1 < 2 and 3 < 2") == 0.0);
    assert_true(constant("1 < 2 or 3 < 2") == 1.0);
    assert_true(constant("not 1 < 2") == 0.0); /* not binds looser than < */
    assert_true(constant("not (1 > 2) and 1 > 0") == 1.0);
    /* and binds tighter than or: 1 or (0 and 0) */
    assert_true(constant("1 > 0 or 1 < 0 and 1 < 0") == 1.0);
    assert_true(constant("(1 < 2) == (3 < 4)") == 1.0);
    double v[N_NAMES] = {0};
    v[A] = NAN;
    assert_true(value("a > 0", v) == 0.0); /* IEEE: comparisons with NaN are false */
    assert_true(value("a != a", v) == 1.0);
    v[FLAG] = 1.0;
    v[B] = -3.0;
    assert_true(value("flag and b < 0", v) == 1.0);
    assert_true(value("not flag", v) == 0.0);
    assert_true(value("if(flag, b, 2)", v) == -3.0);
    assert_true(value("if(b > 0, flag, not flag)", v) == 0.0);
    lc_expr *e = compile_ok("if(b > 0, flag, not flag)");
    assert_int_equal(lc_expr_result_type(e), LC_EXPR_BOOL);
    lc_expr_free(e);
    e = compile_ok("a + 1");
    assert_int_equal(lc_expr_result_type(e), LC_EXPR_NUMBER);
    lc_expr_free(e);
}

static void test_dependencies_and_folding(void **state)
{
    (void)state;
    lc_expr *e = compile_ok("b + a * b");
    assert_int_equal(lc_expr_n_deps(e), 2);
    assert_int_equal(lc_expr_dep(e, 0), B);
    assert_int_equal(lc_expr_dep(e, 1), A);
    assert_int_equal(lc_expr_n_names(e), 2);
    assert_string_equal(lc_expr_name(e, 0), "b");
    assert_int_equal(lc_expr_name_col(e, 0), 1);
    assert_string_equal(lc_expr_name(e, 1), "a");
    assert_int_equal(lc_expr_name_col(e, 1), 5);
    assert_string_equal(lc_expr_text(e), "b + a * b");
    lc_expr_free(e);
    /* constant sub-trees fold; (a * 2) * 3 is not re-associated */
    e = compile_ok("2 * 3 + a");
    assert_int_equal(lc_expr_n_instr(e), 1);
    lc_expr_free(e);
    e = compile_ok("a * 2 * 3");
    assert_int_equal(lc_expr_n_instr(e), 2);
    lc_expr_free(e);
    /* a constant condition keeps only the branch it chooses */
    e = compile_ok("if(1 > 2, a, c)");
    assert_int_equal(lc_expr_n_deps(e), 1);
    assert_int_equal(lc_expr_dep(e, 0), C);
    assert_int_equal(lc_expr_n_instr(e), 0);
    assert_int_equal(lc_expr_n_names(e), 2); /* both names are still used */
    double x = 4.5;
    assert_true(lc_expr_eval1(e, &x) == 4.5);
    lc_expr_free(e);
    /* one name alone: a copy */
    e = compile_ok("gpus");
    double in[3] = {1, 2, 3}, out[3] = {0};
    const double *ops[1] = {in};
    lc_expr_eval(e, ops, 3, out);
    assert_true(out[0] == 1 && out[1] == 2 && out[2] == 3);
    lc_expr_free(e);
}

/* The brief's formula and condition over arrays longer than a tile, against
 * the same operations written in C (this file is built with
 * -ffp-contract=off too), in one call and split into calls of every size. */
static void test_arrays_bit_identical(void **state)
{
    (void)state;
    enum { N = 1000 };
    double *s = malloc(N * sizeof *s), *t = malloc(N * sizeof *t), *c = malloc(N * sizeof *c);
    double *o = malloc(N * sizeof *o), *o2 = malloc(N * sizeof *o2);
    assert_non_null(s && t && c && o && o2);
    uint64_t r = 88172645463325252u;
    for (int j = 0; j < N; j++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        s[j] = 5.0 + (double)(r % 3000) / 100.0;
        t[j] = 1e5 + (double)(r % 7919) * 977.0;
        c[j] = 0.0001 + (double)(r % 101) * 1.3e-4;
    }
    lc_expr *e = compile_ok("subscription - tokens_per_user / 1000 * serve_cost_per_1k");
    assert_int_equal(lc_expr_n_deps(e), 3);
    const double *ops[3] = {s, t, c};
    lc_expr_eval(e, ops, N, o);
    for (int j = 0; j < N; j++)
        if (!same_bits(o[j], s[j] - t[j] / 1000.0 * c[j]))
            fail_msg("point %d: %.17g vs %.17g", j, o[j], s[j] - t[j] / 1000.0 * c[j]);
    /* the same bits whatever the split into calls */
    static const size_t splits[] = {1, 7, 255, 256, 257, 999};
    for (size_t q = 0; q < sizeof splits / sizeof splits[0]; q++) {
        for (size_t j0 = 0; j0 < N; j0 += splits[q]) {
            size_t m = N - j0 < splits[q] ? N - j0 : splits[q];
            const double *p[3] = {s + j0, t + j0, c + j0};
            lc_expr_eval(e, p, m, o2 + j0);
        }
        assert_memory_equal(o, o2, N * sizeof *o);
    }
    lc_expr_free(e);

    /* a condition over outputs and an input */
    e = compile_ok("sub_profit > 0 and breakeven_users < 2M and not (gpus > 16000)");
    assert_int_equal(lc_expr_n_deps(e), 3);
    assert_int_equal(lc_expr_dep(e, 0), SPROFIT);
    assert_int_equal(lc_expr_dep(e, 1), BEUSERS);
    assert_int_equal(lc_expr_dep(e, 2), GPUS);
    for (int j = 0; j < N; j++) {
        s[j] = (double)j - 400.0;        /* sub_profit */
        t[j] = 1e6 + 2e3 * (double)j;    /* breakeven_users */
        c[j] = j % 3 == 0 ? 20000 : 8000; /* gpus */
    }
    lc_expr_eval(e, ops, N, o);
    int count = 0;
    for (int j = 0; j < N; j++) {
        double want = s[j] > 0 && t[j] < 2e6 && !(c[j] > 16000) ? 1.0 : 0.0;
        assert_true(same_bits(o[j], want));
        count += o[j] == 1.0;
    }
    /* j in 401..499 with j % 3 != 0: 99 values, 33 multiples of 3 */
    assert_int_equal(count, 66);
    lc_expr_free(e);

    /* every function over arrays equals libm called point by point */
    e = compile_ok("if(a > 0.5, log(a) * exp(-b), pow(a, b) - sqrt(b)) + min(a, b, 0.7) - "
                   "max(ceil(a * 10), floor(b * 10)) / abs(a - 2)");
    assert_int_equal(lc_expr_n_deps(e), 2);
    for (int j = 0; j < N; j++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        s[j] = (double)(r % 100000) / 99999.0;
        t[j] = (double)(r % 77777) / 7777.0;
    }
    const double *ab[2] = {s, t};
    lc_expr_eval(e, ab, N, o);
    for (int j = 0; j < N; j++) {
        double a = s[j], b = t[j];
        double m = fmin(fmin(a, b), 0.7); /* no NaN here: fmin is min */
        double mx = fmax(ceil(a * 10), floor(b * 10));
        double want = (a > 0.5 ? log(a) * exp(-b) : pow(a, b) - sqrt(b)) + m - mx / fabs(a - 2);
        if (!same_bits(o[j], want))
            fail_msg("point %d: %.17g vs %.17g", j, o[j], want);
        assert_true(same_bits(lc_expr_eval1(e, (double[]){a, b}), want));
    }
    /* in place: out is the first operand */
    memcpy(o2, s, N * sizeof *s);
    const double *inplace[2] = {o2, t};
    lc_expr_eval(e, inplace, N, o2);
    assert_memory_equal(o, o2, N * sizeof *o);
    lc_expr_free(e);
    free(s), free(t), free(c), free(o), free(o2);
}

/* The message of a refused text, and its status. */
static lc_status refuse(const char *text, int col0, int want, char *msg)
{
    lc_expr *e = (lc_expr *)1;
    lc_diag d = {{0}, 0, {0}};
    lc_status st = lc_expr_compile(text, col0, resolve, NULL, want, &e, &d);
    if (st == LC_OK)
        fail_msg("'%s' accepted", text);
    assert_null(e);
    assert_string_equal(d.file, "");
    assert_int_equal(d.line, 0);
    strcpy(msg, d.msg);
    return st;
}

#define REFUSED(text, st, want_msg)                                                  \
    do {                                                                             \
        char m_[1024];                                                               \
        assert_int_equal(refuse(text, 1, -1, m_), st);                               \
        assert_string_equal(m_, want_msg);                                           \
    } while (0)

static void test_errors_with_columns(void **state)
{
    (void)state;
    REFUSED("", LC_ESYNTAX, "column 1: empty expression");
    REFUSED("a + ", LC_ESYNTAX,
            "column 5: expected a number, a name or '(', found the end of the expression");
    REFUSED("a + zz", LC_ENOTFOUND, "column 5: unknown name 'zz'");
    REFUSED("a + (b > c)", LC_EINVAL,
            "column 3: '+' needs numbers, but the operand at column 5 is a condition "
            "(write if(c, 1, 0) for a number)");
    REFUSED("-(a < b)", LC_EINVAL,
            "column 1: unary '-' needs numbers, but the operand at column 2 is a condition "
            "(write if(c, 1, 0) for a number)");
    REFUSED("flag + 1", LC_EINVAL,
            "column 6: '+' needs numbers, but the operand at column 1 is a condition "
            "(write if(c, 1, 0) for a number)");
    REFUSED("a and b > 0", LC_EINVAL,
            "column 3: 'and' needs conditions, but the operand at column 1 is a number "
            "(write 'x != 0' to test a number)");
    REFUSED("not a", LC_EINVAL,
            "column 1: 'not' needs conditions, but the operand at column 5 is a number "
            "(write 'x != 0' to test a number)");
    REFUSED("flag == a", LC_EINVAL,
            "column 6: '==' compares a condition (column 1) with a number (column 9)");
    REFUSED("if(a, 1, 2)", LC_EINVAL,
            "column 1: the first argument of if() (column 4) must be a condition, not a "
            "number (write 'x != 0' to test a number)");
    REFUSED("if(a > 0, 1, a > 1)", LC_EINVAL,
            "column 1: if() chooses between a number (column 11) and a condition (column "
            "14): both must be numbers or both conditions");
    REFUSED("(a + b", LC_ESYNTAX, "column 7: missing ')' for the '(' at column 1");
    REFUSED("a + b)", LC_ESYNTAX, "column 6: ')' without a matching '('");
    REFUSED("min(a, b", LC_ESYNTAX, "column 9: missing ')' of the min( at column 4");
    REFUSED("a < b < c", LC_ESYNTAX,
            "column 7: comparisons do not chain: write 'a < b and b < c'");
    REFUSED("foo(a)", LC_ESYNTAX,
            "column 1: unknown function 'foo' (functions: min max abs log exp pow sqrt "
            "ceil floor if)");
    REFUSED("pow(a)", LC_ESYNTAX, "column 1: pow() takes 2 arguments, not 1");
    REFUSED("min(a)", LC_ESYNTAX, "column 1: min() takes 2 or more arguments, not 1");
    REFUSED("sqrt()", LC_ESYNTAX, "column 6: sqrt() needs arguments");
    REFUSED("b * min", LC_ESYNTAX, "column 5: 'min' is a function: write min(...)");
    REFUSED("a && b", LC_ESYNTAX, "column 3: unexpected character '&': write 'and'");
    REFUSED("a || b", LC_ESYNTAX, "column 3: unexpected character '|': write 'or'");
    REFUSED("a = b", LC_ESYNTAX, "column 3: unexpected character '=': write '==' to compare");
    REFUSED("a ^ 2", LC_ESYNTAX, "column 3: unexpected character '^': write pow(a, b)");
    REFUSED("a ** 2", LC_ESYNTAX, "column 3: '**' is not an operator: write pow(a, b)");
    REFUSED("!a", LC_ESYNTAX, "column 1: unexpected character '!': write 'not' (or '!=')");
    REFUSED("+a", LC_ESYNTAX, "column 1: unary '+' is not accepted: drop it");
    REFUSED("2Mx + a", LC_ESYNTAX,
            "column 1: '2Mx' is not a number (a number may end in one of k M B G T P %, "
            "then an operator or a blank)");
    REFUSED("1.2.3", LC_ESYNTAX,
            "column 1: '1.2.3' is not a number (a number may end in one of k M B G T P %, "
            "then an operator or a blank)");
    REFUSED("1e999", LC_ESYNTAX, "column 1: '1e999' is too large");
    REFUSED("a b", LC_ESYNTAX, "column 3: expected an operator before 'b'");
    REFUSED("a , b", LC_ESYNTAX, "column 3: unexpected ','");
    REFUSED("a + *", LC_ESYNTAX, "column 5: expected a number, a name or '(', found '*'");
    REFUSED("(a + b c)", LC_ESYNTAX, "column 8: expected ')' or an operator, found 'c'");
    /* col0: the column of the text in the caller's line */
    char m[1024];
    assert_int_equal(refuse("a + zz", 10, -1, m), LC_ENOTFOUND);
    assert_string_equal(m, "column 14: unknown name 'zz'");
    /* the wanted type */
    assert_int_equal(refuse("a + 1", 3, LC_EXPR_BOOL, m), LC_EINVAL);
    assert_string_equal(m, "column 3: expected a condition (such as 'x > 0'), found a number");
    assert_int_equal(refuse("a > 1", 1, LC_EXPR_NUMBER, m), LC_EINVAL);
    assert_string_equal(m,
                        "column 1: expected a number, found a condition (write if(c, 1, 0) "
                        "for a number)");
}

static void test_limits(void **state)
{
    (void)state;
    char text[LC_EXPR_MAX_TEXT + 16], m[1024];
    /* 70 nested parentheses */
    size_t n = 0;
    for (int i = 0; i < 70; i++)
        text[n++] = '(';
    text[n++] = 'a';
    for (int i = 0; i < 70; i++)
        text[n++] = ')';
    text[n] = '\0';
    assert_int_equal(refuse(text, 1, -1, m), LC_ESYNTAX);
    assert_string_equal(m, "column 65: expression nested too deeply (more than 64 levels)");
    /* 33 temporaries: a+(a+(a+...)) */
    n = 0;
    for (int i = 0; i < 33; i++)
        n += (size_t)sprintf(text + n, "a*(");
    n += (size_t)sprintf(text + n, "a+b");
    for (int i = 0; i < 33; i++)
        text[n++] = ')';
    text[n] = '\0';
    assert_int_equal(refuse(text, 1, -1, m), LC_ERANGE);
    assert_string_equal(m, "column 1: the expression needs 34 registers (at most 32): split "
                           "it into formulas");
    /* 32 nested levels fit */
    lc_expr *e = compile_ok("a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*"
                            "(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a*(a+b)))))))))))))))))))))))))))"
                            "))))");
    double x[2] = {1.0, 2.0};
    assert_true(lc_expr_eval1(e, x) == 3.0);
    lc_expr_free(e);
    /* too long */
    memset(text, 'a', LC_EXPR_MAX_TEXT + 1);
    text[LC_EXPR_MAX_TEXT + 1] = '\0';
    assert_int_equal(refuse(text, 1, -1, m), LC_ERANGE);
    assert_string_equal(m, "column 1: expression longer than 4096 characters");
}

static lc_expr *parsed(const char *text)
{
    lc_expr *e = NULL;
    lc_diag d;
    if (lc_expr_parse(text, 1, &e, &d) != LC_OK)
        fail_msg("'%s': %s", text, d.msg);
    return e;
}

static void test_formula_order_and_cycles(void **state)
{
    (void)state;
    const char *nm[3] = {"x", "y", "z"};
    lc_expr *ex[3] = {parsed("y + 1"), parsed("a * 2"), parsed("x + y")};
    int order[3], at = 7;
    lc_diag d;
    assert_int_equal(lc_expr_order(3, ex, nm, order, &at, &d), LC_OK);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 2);
    assert_int_equal(at, -1);
    for (int i = 0; i < 3; i++)
        lc_expr_free(ex[i]);

    const char *cn[4] = {"ok_first", "p", "q", "r"};
    lc_expr *cy[4] = {parsed("a"), parsed("q + 1"), parsed("r * 2"), parsed("if(p > 0, 1, 2)")};
    assert_int_equal(lc_expr_order(4, cy, cn, order, &at, &d), LC_EINVAL);
    assert_string_equal(d.msg, "formulas form a cycle: p -> q -> r -> p");
    assert_int_equal(at, 1);
    for (int i = 0; i < 4; i++)
        lc_expr_free(cy[i]);

    const char *sn[1] = {"s"};
    lc_expr *self[1] = {parsed("s + 1")};
    assert_int_equal(lc_expr_order(1, self, sn, order, &at, &d), LC_EINVAL);
    assert_string_equal(d.msg, "formulas form a cycle: s -> s");
    assert_int_equal(at, 0);
    lc_expr_free(self[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic_and_precedence),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_dependencies_and_folding),
        cmocka_unit_test(test_arrays_bit_identical),
        cmocka_unit_test(test_errors_with_columns),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_formula_order_and_cycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
