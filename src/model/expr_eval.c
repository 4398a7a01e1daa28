/*
 * expr_eval.c - the generic lc_expr_eval (expr_body.h compiled with
 * `#pragma omp simd` at the build's baseline width) and the one-point
 * convenience lc_expr_eval1.
 */
#include "model/expr.h"

#define LC_EXPR_EVAL_FN lc_expr_eval
#define LC_SIMD _Pragma("omp simd")
#include "model/expr_body.h"

double lc_expr_eval1(const lc_expr *e, const double *x)
{
    const double *p[LC_EXPR_MAX_DEPS];
    for (int k = 0; k < e->n_deps; k++)
        p[k] = &x[k];
    double o = NAN;
    lc_expr_eval(e, p, 1, &o);
    return o;
}
