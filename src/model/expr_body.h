/*
 * expr_body.h - the evaluation loop of expression programs, written once
 * and compiled by each file that includes it after defining
 * LC_EXPR_EVAL_FN (the function's name) and LC_SIMD (the loop pragma):
 * expr_eval.c for the generic lc_expr_eval, and any ISA path that wants
 * its own vector width.  Every loop applies one IEEE operation per point,
 * so the bits do not depend on the width.
 */
#include <stddef.h>
#include <string.h>

#include "model/expr_prog.h"

#define LC_XLOOP(EXPR)                                                                    \
    do {                                                                                  \
        LC_SIMD for (size_t j = 0; j < m; j++) o[j] = (EXPR);                              \
    } while (0)
/* libm calls: no vector variants without -ffast-math, so a plain loop
 * (a simd pragma would only warn that it could not be honoured) */
#define LC_XCALL(EXPR)                                                                    \
    do {                                                                                  \
        for (size_t j = 0; j < m; j++) o[j] = (EXPR);                                      \
    } while (0)

static void lc_expr_run(int op, const double *a, const double *b, const double *c, double *o,
                        size_t m)
{
    switch (op) {
    case LC_XOP_ADD: LC_XLOOP(a[j] + b[j]); break;
    case LC_XOP_SUB: LC_XLOOP(a[j] - b[j]); break;
    case LC_XOP_MUL: LC_XLOOP(a[j] * b[j]); break;
    case LC_XOP_DIV: LC_XLOOP(a[j] / b[j]); break;
    case LC_XOP_NEG: LC_XLOOP(-a[j]); break;
    case LC_XOP_MIN: LC_XLOOP(lc_xmin(a[j], b[j])); break;
    case LC_XOP_MAX: LC_XLOOP(lc_xmax(a[j], b[j])); break;
    case LC_XOP_ABS: LC_XLOOP(fabs(a[j])); break;
    case LC_XOP_LOG: LC_XCALL(log(a[j])); break;
    case LC_XOP_EXP: LC_XCALL(exp(a[j])); break;
    case LC_XOP_POW: LC_XCALL(pow(a[j], b[j])); break;
    case LC_XOP_SQRT: LC_XLOOP(sqrt(a[j])); break;
    case LC_XOP_CEIL: LC_XCALL(ceil(a[j])); break;
    case LC_XOP_FLOOR: LC_XCALL(floor(a[j])); break;
    case LC_XOP_LT: LC_XLOOP(a[j] < b[j] ? 1.0 : 0.0); break;
    case LC_XOP_LE: LC_XLOOP(a[j] <= b[j] ? 1.0 : 0.0); break;
    case LC_XOP_GT: LC_XLOOP(a[j] > b[j] ? 1.0 : 0.0); break;
    case LC_XOP_GE: LC_XLOOP(a[j] >= b[j] ? 1.0 : 0.0); break;
    case LC_XOP_EQ: LC_XLOOP(a[j] == b[j] ? 1.0 : 0.0); break;
    case LC_XOP_NE: LC_XLOOP(a[j] != b[j] ? 1.0 : 0.0); break;
    case LC_XOP_AND: LC_XLOOP(((a[j] != 0.0) & (b[j] != 0.0)) ? 1.0 : 0.0); break;
    case LC_XOP_OR: LC_XLOOP(((a[j] != 0.0) | (b[j] != 0.0)) ? 1.0 : 0.0); break;
    case LC_XOP_NOT: LC_XLOOP(a[j] == 0.0 ? 1.0 : 0.0); break;
    case LC_XOP_IF: LC_XLOOP(a[j] != 0.0 ? b[j] : c[j]); break;
    default: break;
    }
}
#undef LC_XLOOP
#undef LC_XCALL

void LC_EXPR_EVAL_FN(const lc_expr *e, const double *const *x, size_t n, double *out)
{
    if (n == 0)
        return;
    if (e->n_ins == 0) {
        if (e->res_var >= 0) {
            if (out != x[e->res_var])
                memmove(out, x[e->res_var], n * sizeof *out);
        } else {
            double v = e->res_val;
            LC_SIMD for (size_t j = 0; j < n; j++)
                out[j] = v;
        }
        return;
    }
    _Alignas(64) double reg[LC_EXPR_SLOTS][LC_EXPR_TILE];
    size_t fill = n < LC_EXPR_TILE ? n : LC_EXPR_TILE;
    for (int k = 0; k < e->n_const; k++) {
        double v = e->konst[k], *r = reg[e->n_tmp + k];
        LC_SIMD for (size_t j = 0; j < fill; j++)
            r[j] = v;
    }
    for (size_t t = 0; t < n; t += LC_EXPR_TILE) {
        size_t m = n - t < LC_EXPR_TILE ? n - t : LC_EXPR_TILE;
        for (int i = 0; i < e->n_ins; i++) {
            const lc_expr_ins *in = &e->ins[i];
            const double *p[3];
            for (int k = 0; k < 3; k++)
                p[k] = in->k[k] == LC_XK_VAR ? x[in->a[k]] + t : reg[in->a[k]];
            double *o = in->dk == LC_XK_OUT ? out + t : reg[in->dst];
            lc_expr_run(in->op, p[0], p[1], p[2], o, m);
        }
    }
}
