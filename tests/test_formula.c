/*
 * test_formula.c - user formulas (formula.h): units in brackets, names that
 * are refused, ordering across definition order, the inputs a formula
 * depends on through outputs and other formulas, output ids and infos, and
 * the messages (file, line, column) of every refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/formula.h"

static void add_ok(lc_formulas *fs, const char *name, const char *value, int line)
{
    lc_diag d = {{0}, 0, {0}};
    if (lc_formulas_add(fs, name, value, line, 10, &d) != LC_OK)
        fail_msg("%s = %s refused: %s", name, value, d.msg);
}

static void test_units_order_and_depends(void **state)
{
    (void)state;
    lc_formulas fs;
    lc_formulas_init(&fs);
    snprintf(fs.file, sizeof fs.file, "x.ini");
    /* b uses a, defined after it */
    add_ok(&fs, "b", "a * 2 [USD / user]", 3);
    add_ok(&fs, "a", "  subscription - tokens_per_user / 1000 * infer_cost_per_1k  ", 4);
    add_ok(&fs, "c", "b > 0 and gpus < 16k []", 5);
    assert_string_equal(fs.f[0].unit, "USD / user");
    assert_string_equal(fs.f[0].text, "a * 2");
    assert_string_equal(fs.f[1].unit, "");
    assert_string_equal(fs.f[1].text, "subscription - tokens_per_user / 1000 * infer_cost_per_1k");
    assert_string_equal(fs.f[2].unit, "");
    lc_diag d;
    assert_int_equal(lc_formulas_bind(&fs, &d), LC_OK);
    assert_int_equal(fs.order[0], 1);
    assert_int_equal(fs.order[1], 0);
    assert_int_equal(fs.order[2], 2);
    lc_inmask a_dep = LC_BIT(LC_IN_SUBSCRIPTION) | LC_BIT(LC_IN_TOKENS_PER_USER) |
                      lc_output_depends(LC_OUT_INFER_COST_1K);
    assert_true(fs.f[1].depends == a_dep);
    assert_true(fs.f[0].depends == a_dep);
    assert_true(fs.f[2].depends == (a_dep | LC_BIT(LC_IN_GPUS)));
    assert_int_equal(lc_expr_result_type(fs.f[2].expr), LC_EXPR_BOOL);
    /* output ids and infos */
    assert_int_equal(lc_formulas_output_find(&fs, "pretrain_cost"), LC_OUT_PRETRAIN_COST);
    assert_int_equal(lc_formulas_output_find(&fs, "a"), LC_OUT_COUNT + 1);
    assert_int_equal(lc_formulas_output_find(&fs, "zz"), -1);
    assert_int_equal(lc_formulas_output_find(NULL, "a"), -1);
    const lc_output_info *oi = lc_formulas_output_info(&fs, LC_OUT_COUNT);
    assert_string_equal(oi->name, "b");
    assert_string_equal(oi->unit, "USD / user");
    assert_string_equal(oi->formula, "a * 2");
    assert_string_equal(oi->long_name, "user formula");
    assert_true(lc_formulas_output_depends(&fs, LC_OUT_COUNT + 2) == fs.f[2].depends);
    assert_true(lc_formulas_output_depends(&fs, LC_OUT_SUB_PROFIT) ==
                lc_output_depends(LC_OUT_SUB_PROFIT));
    assert_ptr_equal(lc_formulas_output_info(&fs, LC_OUT_SUB_PROFIT), &lc_outputs[LC_OUT_SUB_PROFIT]);
    assert_null(lc_formulas_output_info(&fs, LC_OUT_COUNT + 3));
    /* evaluation over arrays in order: values by value id */
    double in[LC_IN_COUNT], out[LC_OUT_COUNT], fv[3];
    lc_inputs_default(in);
    lc_model_eval(in, out);
    const double *val[LC_VALUE_COUNT] = {0};
    for (int i = 0; i < LC_IN_COUNT; i++)
        val[i] = &in[i];
    for (int o = 0; o < LC_OUT_COUNT; o++)
        val[LC_VALUE_OF_OUTPUT(o)] = &out[o];
    for (int q = 0; q < fs.n; q++) {
        int f = fs.order[q];
        lc_formula_eval(&fs, f, val, 1, &fv[f]);
        val[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)] = &fv[f];
    }
    double a = in[LC_IN_SUBSCRIPTION] - in[LC_IN_TOKENS_PER_USER] / 1000 * out[LC_OUT_INFER_COST_1K];
    assert_true(fv[1] == a);
    assert_true(fv[0] == a * 2);
    assert_true(fv[2] == (a * 2 > 0 && in[LC_IN_GPUS] < 16000 ? 1.0 : 0.0));
    lc_formulas_free(&fs);
}

static void refused(const char *name, const char *value, lc_status want, const char *msg)
{
    lc_formulas fs;
    lc_formulas_init(&fs);
    snprintf(fs.file, sizeof fs.file, "s.ini");
    add_ok(&fs, "first", "params * 2", 7);
    lc_diag d = {{0}, 0, {0}};
    lc_status st = lc_formulas_add(&fs, name, value, 9, 10, &d);
    if (st == LC_OK)
        st = lc_formulas_bind(&fs, &d);
    assert_int_equal(st, want);
    assert_string_equal(d.file, "s.ini");
    assert_int_equal(d.line, 9);
    assert_string_equal(d.msg, msg);
    lc_formulas_free(&fs);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("params", "1", LC_EINVAL, "formula 'params': 'params' is already an input; choose another name");
    refused("sub_profit", "1", LC_EINVAL,
            "formula 'sub_profit': 'sub_profit' is already an output; choose another name");
    refused("gpu", "1", LC_EINVAL, "formula 'gpu': 'gpu' is a reserved word; choose another name");
    refused("max", "1", LC_EINVAL, "formula 'max': 'max' is a reserved word; choose another name");
    refused("2x", "1", LC_ESYNTAX,
            "formula name '2x' is not a name (letters, digits and '_', at most 63 characters, "
            "not starting with a digit)");
    refused("first", "1", LC_EINVAL, "formula 'first' is defined twice (first at line 7)");
    refused("m", "a + ", LC_ESYNTAX,
            "formula 'm': column 13: expected a number, a name or '(', found the end of the "
            "expression");
    refused("m", "pretrain_cost + nope", LC_ENOTFOUND, "formula 'm': column 26: unknown name 'nope'");
    refused("m", "first + (gpus > 1)", LC_EINVAL,
            "formula 'm': column 16: '+' needs numbers, but the operand at column 18 is a "
            "condition (write if(c, 1, 0) for a number)");
    refused("m", "params ]", LC_ESYNTAX,
            "formula 'm': column 17: ']' without '[' (a unit is written at the end in brackets: "
            "EXPR [USD])");
    refused("m", "", LC_ESYNTAX, "formula 'm': column 10: empty expression");
    refused("m", "[USD]", LC_ESYNTAX, "formula 'm': column 10: empty expression");
    refused("m", "m * 2", LC_EINVAL, "formulas form a cycle: m -> m");
}

static void test_cycle_line_and_command_line(void **state)
{
    (void)state;
    lc_formulas fs;
    lc_formulas_init(&fs);
    add_ok(&fs, "x", "params", 3);
    add_ok(&fs, "p", "q + 1", 4);
    add_ok(&fs, "q", "p * 2", 5);
    lc_diag d;
    assert_int_equal(lc_formulas_bind(&fs, &d), LC_EINVAL);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.msg, "formulas form a cycle: p -> q -> p");
    lc_formulas_free(&fs);

    lc_formulas_init(&fs);
    assert_int_equal(lc_formulas_add_assignment(&fs, " m = params / 2 [1]", &d), LC_OK);
    assert_int_equal(lc_formulas_add_assignment(&fs, "k=m+zz", &d), LC_OK);
    assert_int_equal(lc_formulas_bind(&fs, &d), LC_ENOTFOUND);
    assert_string_equal(d.msg, "formula 'k': column 5: unknown name 'zz'");
    assert_int_equal(lc_formulas_add_assignment(&fs, "nothing", &d), LC_ESYNTAX);
    assert_string_equal(d.msg, "--formula 'nothing': expected NAME=EXPRESSION [UNIT]");
    assert_int_equal(lc_formulas_add_assignment(&fs, "a==b", &d), LC_ESYNTAX);
    lc_formulas_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units_order_and_depends),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_cycle_line_and_command_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
