/*
 * test_api_gpu.c - the C API's catalogue GPUs (llmcost_point_set_gpu), as
 * `llmcost eval --gpu` treats them: every catalogue GPU sets its inputs, and
 * one that states no price (Gaudi3) or no board power (the TPUs) is usable
 * once the caller gives that input, before or after set_gpu; until then
 * llmcost_point_eval refuses it (never a default price or power), with the
 * same message as the command line, saying how to give it in the API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "llmcost/llmcost.h"

static void every_catalogue_gpu_sets_its_inputs_or_owes_one(void **state)
{
    (void)state;
    assert_true(llmcost_gpu_count() >= 14);
    for (int i = 0; i < llmcost_gpu_count(); i++) {
        const char *name = llmcost_gpu_name(i);
        llmcost_point *p = llmcost_point_new();
        llmcost_error err;
        assert_int_equal(llmcost_point_set_gpu(p, name, &err), LLMCOST_OK);
        double v = NAN;
        llmcost_status st = llmcost_point_eval(p, "serve_cost_per_1k", &v, &err);
        int owes = !strcmp(name, "Gaudi3") || !strncmp(name, "TPU-", 4);
        if (owes) {
            assert_int_equal(st, LLMCOST_EINVAL);
            assert_non_null(strstr(err.message, name));
            assert_non_null(strstr(err.message, "after set_gpu"));
            assert_null(strstr(err.message, "--price-hour"));
        } else {
            assert_int_equal(st, LLMCOST_OK);
            assert_true(isfinite(v) && v > 0.0);
        }
        llmcost_point_free(p);
    }
}

static void gaudi3_needs_a_price_given_before_or_after(void **state)
{
    (void)state;
    llmcost_error err;
    double v = 0.0, ph = 0.0;
    llmcost_point *p = llmcost_point_new();
    assert_int_equal(llmcost_point_set_gpu(p, "Gaudi3", &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "pretrain_cost", &v, &err), LLMCOST_EINVAL);
    assert_string_equal(err.message,
                        "GPU 'Gaudi3' has no price record: give price_hour "
                        "(llmcost_point_set(p, \"price_hour\", USD) after set_gpu), a cost is "
                        "never priced at a default rate");
    /* an unrelated input does not pay what is owed */
    assert_int_equal(llmcost_point_set(p, "util", 0.5, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "pretrain_cost", &v, &err), LLMCOST_EINVAL);
    assert_int_equal(llmcost_point_set(p, "price_hour", 3.0, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "pretrain_cost", &v, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_get_input(p, "price_hour", &ph, &err), LLMCOST_OK);
    assert_true(ph == 3.0 && isfinite(v) && v > 0.0);
    llmcost_point_free(p);

    /* given first: set_gpu leaves it (the GPU does not state it), nothing owed */
    double v2 = 0.0;
    p = llmcost_point_new();
    assert_int_equal(llmcost_point_set(p, "util", 0.5, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_set(p, "price_hour", 3.0, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_set_gpu(p, "Gaudi3", &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "pretrain_cost", &v2, &err), LLMCOST_OK);
    assert_true(v2 == v);
    /* a GPU that states everything clears what was owed */
    llmcost_point_free(p);
    p = llmcost_point_new();
    assert_int_equal(llmcost_point_set_gpu(p, "TPU-v5e", &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "carbon_t", &v, &err), LLMCOST_EINVAL);
    assert_non_null(strstr(err.message, "does not state its board power: give power_w "
                                        "(llmcost_point_set(p, \"power_w\", W) after set_gpu)"));
    assert_int_equal(llmcost_point_set_gpu(p, "H100", &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "carbon_t", &v, &err), LLMCOST_OK);
    llmcost_point_free(p);
}

static void tpu_with_power_equals_the_eval_numbers(void **state)
{
    (void)state;
    /* llmcost eval --gpu TPU-v5p --power-w 500: carbon_t = energy_mwh * 0.481
     * with energy from 500 W; the same as H100's formula at 500 W and TPU's flops */
    llmcost_error err;
    double c1 = 0.0, c2 = 0.0, fl = 0.0;
    llmcost_point *p = llmcost_point_new();
    assert_int_equal(llmcost_point_set_gpu(p, "TPU-v5p", &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_set(p, "power_w", 500.0, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(p, "carbon_t", &c1, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_get_input(p, "flops", &fl, &err), LLMCOST_OK);
    llmcost_point *q = llmcost_point_new();
    assert_int_equal(llmcost_point_set(q, "flops", fl, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_set(q, "power_w", 500.0, &err), LLMCOST_OK);
    assert_int_equal(llmcost_point_eval(q, "carbon_t", &c2, &err), LLMCOST_OK);
    assert_true(c1 == c2 && c1 > 0.0);
    llmcost_point_free(p);
    llmcost_point_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_catalogue_gpu_sets_its_inputs_or_owes_one),
        cmocka_unit_test(gaudi3_needs_a_price_given_before_or_after),
        cmocka_unit_test(tpu_with_power_equals_the_eval_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
