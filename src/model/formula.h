/*
 * formula.h - user formulas: named expressions (expr.h) over the model's
 * inputs, its outputs and other formulas, which then behave as outputs
 * (stored, reduced, counted, evaluated at points).
 *
 * A formula's output id is LC_OUT_COUNT + its index (definition order), so
 * lists of outputs hold built-in outputs and formulas alike (capacity
 * LC_OUT_MAX).  Inside an expression a name denotes a value id: input i is
 * i, output o (built-in or formula) is LC_VALUE_OF_OUTPUT(o).  A formula
 * may use formulas defined after it; the set is evaluated in `order`
 * (each formula after every one it uses) and a cycle is an error.
 *
 * Text form: `EXPR` or `EXPR [UNIT]`, e.g.
 *   margin_per_user = subscription - tokens_per_user / 1000 * infer_cost_per_1k [USD/user/month]
 * (doc/formulas.md).
 */
#ifndef LLMCOST_FORMULA_H
#define LLMCOST_FORMULA_H

#include <stddef.h>

#include "model/expr.h"
#include "model/model.h"
#include "util/status.h"

#define LC_MAX_FORMULAS 32
#define LC_OUT_MAX (LC_OUT_COUNT + LC_MAX_FORMULAS)
#define LC_FORMULA_NAME_MAX 64
#define LC_FORMULA_UNIT_MAX 48
#define LC_VALUE_OF_OUTPUT(o) (LC_IN_COUNT + (o))
#define LC_VALUE_COUNT (LC_IN_COUNT + LC_OUT_MAX)

typedef struct {
    char name[LC_FORMULA_NAME_MAX];
    char unit[LC_FORMULA_UNIT_MAX]; /* "" when not given */
    char *text;                     /* the expression (owned), without the unit */
    int line;                       /* spec line, 0 on the command line */
    lc_expr *expr;                  /* parsed; bound by lc_formulas_bind */
    lc_inmask depends;              /* inputs it depends on, through everything it uses */
} lc_formula;

typedef struct {
    lc_formula f[LC_MAX_FORMULAS];
    int n;
    int order[LC_MAX_FORMULAS];     /* evaluation order (after bind) */
    int bound;
    lc_output_info info[LC_MAX_FORMULAS]; /* each formula as an output (after bind) */
    char file[512];                 /* for messages ("" on the command line) */
} lc_formulas;

void lc_formulas_init(lc_formulas *fs);
void lc_formulas_free(lc_formulas *fs);

/* Add formula `name` = value ("EXPR" or "EXPR [UNIT]"), parsed (not yet
 * bound).  line and col0 (the column of value[0] in that line) place the
 * messages.  Refuses a bad or taken name (an input, an output, another
 * formula, a function, gpu/api/price_date), an empty expression, a syntax
 * error, more than LC_MAX_FORMULAS. */
lc_status lc_formulas_add(lc_formulas *fs, const char *name, const char *value, int line,
                          int col0, lc_diag *d);

/* The command line's "NAME=EXPR [UNIT]". */
lc_status lc_formulas_add_assignment(lc_formulas *fs, const char *arg, lc_diag *d);

/* Order (cycle check), resolve every name, check types, compile.  A
 * message carries the file and the line of the formula it is about. */
lc_status lc_formulas_bind(lc_formulas *fs, lc_diag *d);

/* Output id of a name: a built-in output, a formula (LC_OUT_COUNT + f), or
 * -1.  fs may be NULL (built-in outputs only). */
int lc_formulas_output_find(const lc_formulas *fs, const char *name);

/* Name, unit, long name ("user formula") and formula text of any output id
 * (built-in or formula; after bind for formulas; a formula's node is -1);
 * NULL when out of range. */
const lc_output_info *lc_formulas_output_info(const lc_formulas *fs, int output);
/* The inputs any output id depends on; _in: when the inputs stay within
 * [lo, hi] (lc_output_depends_in: a switch such as serving = compute
 * reads only one side). */
lc_inmask lc_formulas_output_depends(const lc_formulas *fs, int output);
lc_inmask lc_formulas_output_depends_in(const lc_formulas *fs, int output, const double *lo,
                                        const double *hi);

/* Evaluate formula f at n points; values[v] is the array (n points) of
 * value id v, needed for every value the formula uses (its dependencies
 * lc_expr_dep(fs->f[f].expr, k)). */
void lc_formula_eval(const lc_formulas *fs, int f, const double *const *values, size_t n,
                     double *out);

/* Every formula at one point, in evaluation order: v[0..LC_VALUE_COUNT)
 * holds the inputs and the built-in outputs by value id; each formula f's
 * value is written at v[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)].  The bits
 * of lc_formula_eval over any array holding the point.  fs may be NULL. */
void lc_formulas_eval_point(const lc_formulas *fs, double *v);

#endif
