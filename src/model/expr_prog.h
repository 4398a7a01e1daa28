/*
 * expr_prog.h - the compiled form of an expression (internal to the
 * expression module and to the code that runs it: expr_eval.c, and any
 * ISA path that includes expr_body.h).
 *
 * A program is a list of instructions, each one operation applied point by
 * point: dst[j] = op(a[j], b[j], c[j]).  An operand is a register (a tile
 * of LC_EXPR_TILE doubles: temporaries first, then the broadcast
 * constants) or an operand array of the caller; the last instruction
 * writes the caller's output.  The per-point operations are the inline
 * functions below, used both by the vector loops and by constant folding,
 * so a folded value has the bits the loop would have given.
 */
#ifndef LLMCOST_EXPR_PROG_H
#define LLMCOST_EXPR_PROG_H

#include <math.h>

#include "model/expr.h"

enum {
    LC_XOP_CONST, LC_XOP_NAME, /* leaves (parse tree only) */
    LC_XOP_ADD, LC_XOP_SUB, LC_XOP_MUL, LC_XOP_DIV, LC_XOP_NEG,
    LC_XOP_MIN, LC_XOP_MAX, LC_XOP_ABS, LC_XOP_LOG, LC_XOP_EXP, LC_XOP_POW,
    LC_XOP_SQRT, LC_XOP_CEIL, LC_XOP_FLOOR,
    LC_XOP_LT, LC_XOP_LE, LC_XOP_GT, LC_XOP_GE, LC_XOP_EQ, LC_XOP_NE,
    LC_XOP_AND, LC_XOP_OR, LC_XOP_NOT, LC_XOP_IF,
    LC_XOP_COUNT
};

/* Operand kinds of an instruction. */
enum { LC_XK_REG, LC_XK_VAR, LC_XK_OUT };

typedef struct {
    unsigned char op;
    unsigned char dk;    /* LC_XK_REG or LC_XK_OUT */
    unsigned char k[3];  /* LC_XK_REG or LC_XK_VAR */
    short dst;
    short a[3];
} lc_expr_ins;

typedef struct {
    unsigned char op, type, nk;
    int col;    /* column of the operator, function or leaf */
    int start;  /* column where the sub-expression's text starts */
    int kid[3];
    int name;   /* LC_XOP_NAME: index into names */
    double val; /* LC_XOP_CONST */
} lc_expr_node;

struct lc_expr {
    char *text;
    int col0;
    /* parse tree */
    lc_expr_node *node;
    int n_node, cap_node, root;
    char **names;
    int *name_col;
    int n_names, cap_names;
    /* bound program */
    int bound;
    lc_expr_type type;
    int *name_id;      /* resolver id of each name */
    int *name_type;
    int n_deps;
    int *deps;         /* resolver ids, in order of first use */
    int n_ins;
    lc_expr_ins *ins;
    int n_tmp, n_const;
    double konst[LC_EXPR_SLOTS];
    int res_var;       /* n_ins == 0: operand index, or -1 for constant res_val */
    double res_val;
};

static inline double lc_xmin(double a, double b)
{
    double r = a < b ? a : b;
    return a != a ? a : r;
}

static inline double lc_xmax(double a, double b)
{
    double r = a > b ? a : b;
    return a != a ? a : r;
}

static inline double lc_xb(int c)
{
    return c ? 1.0 : 0.0;
}

/* One point of one operation (constant folding; the loops in expr_body.h
 * spell the same calls). */
static inline double lc_expr_apply(int op, double a, double b, double c)
{
    switch (op) {
    case LC_XOP_ADD: return a + b;
    case LC_XOP_SUB: return a - b;
    case LC_XOP_MUL: return a * b;
    case LC_XOP_DIV: return a / b;
    case LC_XOP_NEG: return -a;
    case LC_XOP_MIN: return lc_xmin(a, b);
    case LC_XOP_MAX: return lc_xmax(a, b);
    case LC_XOP_ABS: return fabs(a);
    case LC_XOP_LOG: return log(a);
    case LC_XOP_EXP: return exp(a);
    case LC_XOP_POW: return pow(a, b);
    case LC_XOP_SQRT: return sqrt(a);
    case LC_XOP_CEIL: return ceil(a);
    case LC_XOP_FLOOR: return floor(a);
    case LC_XOP_LT: return lc_xb(a < b);
    case LC_XOP_LE: return lc_xb(a <= b);
    case LC_XOP_GT: return lc_xb(a > b);
    case LC_XOP_GE: return lc_xb(a >= b);
    case LC_XOP_EQ: return lc_xb(a == b);
    case LC_XOP_NE: return lc_xb(a != b);
    case LC_XOP_AND: return lc_xb((a != 0.0) & (b != 0.0));
    case LC_XOP_OR: return lc_xb((a != 0.0) | (b != 0.0));
    case LC_XOP_NOT: return lc_xb(a == 0.0);
    case LC_XOP_IF: return a != 0.0 ? b : c;
    default: return NAN;
    }
}

#endif
