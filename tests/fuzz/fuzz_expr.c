/*
 * fuzz_expr.c - libFuzzer harness for the expression language (expr.h).
 * The input (NUL-terminated) is compiled against a resolver that knows
 * the names a, b (numbers) and f (a condition).  Invariants: a refusal
 * carries a "column N: " message; an accepted program evaluates at 300
 * points (more than a tile) with the same bits as point by point, and its
 * dependencies are distinct ids the resolver gave.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int resolve(void *ctx, const char *name, lc_expr_type *type)
{
    (void)ctx;
    if (strcmp(name, "a") == 0 || strcmp(name, "b") == 0) {
        *type = LC_EXPR_NUMBER;
        return name[0] == 'a' ? 0 : 1;
    }
    if (strcmp(name, "f") == 0) {
        *type = LC_EXPR_BOOL;
        return 2;
    }
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    lc_expr *e = NULL;
    lc_diag d;
    memset(&d, 0, sizeof d);
    lc_status st = lc_expr_compile(text, 1, resolve, NULL, -1, &e, &d);
    if (st != LC_OK) {
        if (e != NULL || strncmp(d.msg, "column ", 7) != 0)
            abort();
        free(text);
        return 0;
    }
    enum { N = 300 };
    static double v[3][N], out[N];
    for (int j = 0; j < N; j++) {
        v[0][j] = (double)j - 150.0;
        v[1][j] = (double)j * 0.37;
        v[2][j] = (double)(j % 2);
    }
    int nd = lc_expr_n_deps(e);
    const double *ops[LC_EXPR_MAX_DEPS];
    for (int k = 0; k < nd; k++) {
        int id = lc_expr_dep(e, k);
        if (id < 0 || id > 2)
            abort();
        for (int q = 0; q < k; q++)
            if (lc_expr_dep(e, q) == id)
                abort();
        ops[k] = v[id];
    }
    lc_expr_eval(e, ops, N, out);
    for (int j = 0; j < N; j += 37) {
        double x[LC_EXPR_MAX_DEPS];
        for (int k = 0; k < nd; k++)
            x[k] = ops[k][j];
        double y = lc_expr_eval1(e, x);
        if (memcmp(&y, &out[j], sizeof y) != 0)
            abort();
    }
    lc_expr_free(e);
    free(text);
    return 0;
}
