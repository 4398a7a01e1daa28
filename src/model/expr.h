/*
 * expr.h - the expression language of user formulas and conditions
 * (`margin = subscription - tokens_per_user / 1000 * serve_cost_per_1k`,
 * `sub_profit > 0 and breakeven_users < 2M and not (gpus > 16000)`).
 *
 * Text is parsed once (lc_expr_parse: syntax only, the names it uses are
 * listed so a caller can order formulas and find cycles, lc_expr_order),
 * then bound (lc_expr_bind: every name resolved through the caller's
 * resolver, types checked, constants folded) into a flat register program
 * that lc_expr_eval runs over ARRAYS of points: one vector loop per
 * instruction over tiles of LC_EXPR_TILE points, never one interpretation
 * per point.
 *
 * Language (doc/formulas.md): numbers as number.h reads them (2M, 1.5e-3,
 * 40%), names, + - * / and unary -, < <= > >= == !=, and or not,
 * parentheses, functions min(a,b,...) max(a,b,...) abs log exp pow(a,b)
 * sqrt ceil floor and if(cond, a, b).  Precedence, lowest first: or, and,
 * not, comparisons (not chained), + -, * /, unary -.  Two types: numbers
 * and conditions (booleans, stored as 1.0 / 0.0); arithmetic on a
 * condition or `and` on a number is a type error.
 *
 * Bits: every instruction is one IEEE operation (or one libm call: log,
 * exp, pow) per point in a fixed order, and the project is compiled with
 * -ffp-contract=off, so the result does not depend on the vector width,
 * the tile, the thread count or whether a value was folded at compile
 * time.  NaN propagates through arithmetic, min and max; a comparison
 * with NaN is false (IEEE); log of a negative number is NaN, x / 0 is
 * +-inf or NaN as IEEE says.
 *
 * Errors are lc_diag messages "column N: what" (N counts from the col0
 * given to lc_expr_parse), file and line left empty for the caller (the
 * spec parser) to fill in.
 */
#ifndef LLMCOST_EXPR_H
#define LLMCOST_EXPR_H

#include <stddef.h>

#include "util/status.h"

typedef enum { LC_EXPR_NUMBER = 0, LC_EXPR_BOOL = 1 } lc_expr_type;

/* Points per tile of lc_expr_eval and the most registers (temporaries and
 * distinct constants) a program may use: the tile lives on the stack
 * (LC_EXPR_SLOTS * LC_EXPR_TILE doubles = 64 KiB). */
#define LC_EXPR_TILE 256
#define LC_EXPR_SLOTS 32
/* Longest expression text accepted, in bytes, and the most distinct
 * names (dependencies) one expression may use. */
#define LC_EXPR_MAX_TEXT 4096
#define LC_EXPR_MAX_DEPS 64

typedef struct lc_expr lc_expr;

/* Parse text (syntax only).  col0 is the column of text[0] in the
 * caller's line (1 when the text stands alone), so messages point into
 * the caller's line.  LC_ESYNTAX with "column N: ..." in d. */
lc_status lc_expr_parse(const char *text, int col0, lc_expr **out, lc_diag *d);

/* The distinct names the text uses, in order of first use, and the
 * column of that first use. */
int lc_expr_n_names(const lc_expr *e);
const char *lc_expr_name(const lc_expr *e, int i);
int lc_expr_name_col(const lc_expr *e, int i);

/* A resolver maps a name to the caller's id (>= 0) of the value it
 * denotes and its type; it returns -1 for a name it does not know. */
typedef int (*lc_expr_resolver)(void *ctx, const char *name, lc_expr_type *type);

/* Resolve every name, check types, fold constants and compile.
 * LC_ENOTFOUND "column N: unknown name 'x'", LC_EINVAL for a type error
 * ("column N: '+' needs numbers, not a condition"), LC_ERANGE for a
 * program over LC_EXPR_SLOTS registers.  `want` >= 0 requires the result
 * to have that type (a condition where one is expected); -1 accepts
 * either.  Binding twice is refused (LC_EINTERNAL). */
lc_status lc_expr_bind(lc_expr *e, lc_expr_resolver resolve, void *ctx, int want,
                       lc_diag *d);

/* parse + bind in one call. */
lc_status lc_expr_compile(const char *text, int col0, lc_expr_resolver resolve, void *ctx,
                          int want, lc_expr **out, lc_diag *d);

/* After bind: the result type, and the dependencies: the resolver ids the
 * program reads (each once, in order of first use; a name whose value a
 * constant condition of if() discarded is not one).  lc_expr_eval reads
 * operand k from operands[k], the values of dependency lc_expr_dep(e, k). */
lc_expr_type lc_expr_result_type(const lc_expr *e);
int lc_expr_n_deps(const lc_expr *e);
int lc_expr_dep(const lc_expr *e, int k);
/* The text as given. */
const char *lc_expr_text(const lc_expr *e);
/* Instructions of the program (0 when it is a constant or one name). */
int lc_expr_n_instr(const lc_expr *e);

/* Evaluate at n points: out[j] = f(operands[0][j], operands[1][j], ...).
 * No allocation, no failure, thread-safe (the program is read-only);
 * out may be one of the operand arrays only if it is exactly that array.
 * The bits do not depend on n or on how the points are split into calls. */
void lc_expr_eval(const lc_expr *e, const double *const *operands, size_t n, double *out);

/* One point: operand k is x[k]. */
double lc_expr_eval1(const lc_expr *e, const double *x);

void lc_expr_free(lc_expr *e);

/* Order n named expressions (parsed, not necessarily bound) so that each
 * comes after every other one whose name it uses; names of anything else
 * are ignored.  order[0..n) receives indices into exprs.  A cycle gives
 * LC_EINVAL "formulas form a cycle: a -> b -> a" and *at = the index of
 * the first formula of the cycle (in definition order). */
lc_status lc_expr_order(int n, lc_expr *const *exprs, const char *const *names, int *order,
                        int *at, lc_diag *d);

#endif
