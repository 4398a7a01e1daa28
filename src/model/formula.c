/*
 * formula.c - user formulas (formula.h): names and units, ordering with
 * cycle detection, name resolution over inputs, outputs and formulas, the
 * inputs each formula depends on, and evaluation over arrays.
 */
#include "model/formula.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lc_formulas_init(lc_formulas *fs)
{
    memset(fs, 0, sizeof *fs);
}

void lc_formulas_free(lc_formulas *fs)
{
    if (!fs)
        return;
    for (int i = 0; i < fs->n; i++) {
        lc_expr_free(fs->f[i].expr);
        free(fs->f[i].text);
    }
    lc_formulas_init(fs);
}

static lc_status ferr(const lc_formulas *fs, lc_diag *d, lc_status st, int line,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static lc_status ferr(const lc_formulas *fs, lc_diag *d, lc_status st, int line,
                      const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lc_diag_set(d, st, fs->file, line, "%s", msg);
}

static const char *const reserved[] = {"gpu", "api", "price_date", "and", "or", "not", "if",
                                       "min", "max", "abs", "log", "exp", "pow", "sqrt",
                                       "ceil", "floor", NULL};

int lc_formulas_output_find(const lc_formulas *fs, const char *name)
{
    int o = lc_output_find(name);
    if (o >= 0 || !fs)
        return o;
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return LC_OUT_COUNT + i;
    return -1;
}

lc_status lc_formulas_add(lc_formulas *fs, const char *name, const char *value, int line,
                          int col0, lc_diag *d)
{
    size_t nl = strlen(name);
    int ok = nl > 0 && nl < LC_FORMULA_NAME_MAX && (isalpha((unsigned char)name[0]) || name[0] == '_');
    for (size_t i = 0; ok && i < nl; i++)
        ok = isalnum((unsigned char)name[i]) || name[i] == '_';
    if (!ok)
        return ferr(fs, d, LC_ESYNTAX, line,
                    "formula name '%.64s' is not a name (letters, digits and '_', at most "
                    "%d characters, not starting with a digit)",
                    name, LC_FORMULA_NAME_MAX - 1);
    if (lc_input_find(name) >= 0)
        return ferr(fs, d, LC_EINVAL, line,
                    "formula '%s': '%s' is already an input; choose another name", name, name);
    if (lc_output_find(name) >= 0)
        return ferr(fs, d, LC_EINVAL, line,
                    "formula '%s': '%s' is already an output; choose another name", name, name);
    for (int i = 0; reserved[i]; i++)
        if (strcmp(name, reserved[i]) == 0)
            return ferr(fs, d, LC_EINVAL, line,
                        "formula '%s': '%s' is a reserved word; choose another name", name,
                        name);
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return ferr(fs, d, LC_EINVAL, line,
                        "formula '%s' is defined twice (first at line %d)", name, fs->f[i].line);
    if (fs->n == LC_MAX_FORMULAS)
        return ferr(fs, d, LC_ERANGE, line, "too many formulas (at most %d)", LC_MAX_FORMULAS);
    if (fs->bound)
        return ferr(fs, d, LC_EINTERNAL, line, "formula added after binding");

    /* "EXPR [UNIT]": the unit is the last bracket pair, at the end */
    while (*value == ' ' || *value == '\t') {
        value++;
        col0++;
    }
    size_t vl = strlen(value);
    while (vl > 0 && isspace((unsigned char)value[vl - 1]))
        vl--;
    char unit[LC_FORMULA_UNIT_MAX] = "";
    size_t el = vl;
    if (vl > 0 && value[vl - 1] == ']') {
        const char *lb = NULL;
        for (size_t i = vl - 1; i-- > 0;)
            if (value[i] == '[') {
                lb = value + i;
                break;
            }
        if (!lb)
            return ferr(fs, d, LC_ESYNTAX, line,
                        "formula '%s': column %d: ']' without '[' (a unit is written at the "
                        "end in brackets: EXPR [USD])",
                        name, col0 + (int)vl - 1);
        const char *u = lb + 1, *ue = value + vl - 1;
        while (u < ue && isspace((unsigned char)*u))
            u++;
        while (ue > u && isspace((unsigned char)ue[-1]))
            ue--;
        if ((size_t)(ue - u) >= sizeof unit)
            return ferr(fs, d, LC_ERANGE, line,
                        "formula '%s': the unit is longer than %d characters", name,
                        (int)sizeof unit - 1);
        for (const char *q = u; q < ue; q++)
            if (!isprint((unsigned char)*q) || *q == '[' || *q == '"')
                return ferr(fs, d, LC_ESYNTAX, line,
                            "formula '%s': column %d: a unit may not contain '%c'", name,
                            col0 + (int)(q - value), *q);
        memcpy(unit, u, (size_t)(ue - u));
        unit[ue - u] = '\0';
        el = (size_t)(lb - value);
        while (el > 0 && isspace((unsigned char)value[el - 1]))
            el--;
    }
    char *text = malloc(el + 1);
    if (!text)
        return ferr(fs, d, LC_ENOMEM, line, "out of memory");
    memcpy(text, value, el);
    text[el] = '\0';
    lc_expr *e = NULL;
    lc_diag sub;
    lc_status st = lc_expr_parse(text, col0, &e, &sub);
    if (st != LC_OK) {
        free(text);
        return ferr(fs, d, st, line, "formula '%s': %s", name, sub.msg);
    }
    lc_formula *f = &fs->f[fs->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->unit, sizeof f->unit, "%s", unit);
    f->text = text;
    f->line = line;
    f->expr = e;
    return LC_OK;
}

lc_status lc_formulas_add_assignment(lc_formulas *fs, const char *arg, lc_diag *d)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || eq[1] == '=')
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0,
                           "--formula '%.60s': expected NAME=EXPRESSION [UNIT]", arg);
    char name[LC_FORMULA_NAME_MAX + 1];
    const char *a = arg, *b = eq;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if ((size_t)(b - a) >= sizeof name)
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "--formula: the name is too long");
    memcpy(name, a, (size_t)(b - a));
    name[b - a] = '\0';
    return lc_formulas_add(fs, name, eq + 1, 0, (int)(eq + 1 - arg) + 1, d);
}

typedef struct {
    const lc_formulas *fs;
    const int *done; /* formulas already bound */
} resolve_ctx;

static int resolve(void *user, const char *name, lc_expr_type *type)
{
    const resolve_ctx *rc = user;
    *type = LC_EXPR_NUMBER;
    int i = lc_input_find(name);
    if (i >= 0)
        return i;
    int o = lc_output_find(name);
    if (o >= 0)
        return LC_VALUE_OF_OUTPUT(o);
    for (int f = 0; f < rc->fs->n; f++)
        if (strcmp(rc->fs->f[f].name, name) == 0 && rc->done[f]) {
            *type = lc_expr_result_type(rc->fs->f[f].expr);
            return LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f);
        }
    return -1;
}

lc_status lc_formulas_bind(lc_formulas *fs, lc_diag *d)
{
    if (fs->bound || fs->n == 0) {
        fs->bound = 1;
        return LC_OK;
    }
    lc_expr *ex[LC_MAX_FORMULAS];
    const char *names[LC_MAX_FORMULAS];
    for (int i = 0; i < fs->n; i++) {
        ex[i] = fs->f[i].expr;
        names[i] = fs->f[i].name;
    }
    int at = -1;
    lc_diag sub;
    lc_status st = lc_expr_order(fs->n, ex, names, fs->order, &at, &sub);
    if (st != LC_OK)
        return ferr(fs, d, st, at >= 0 ? fs->f[at].line : 0, "%s", sub.msg);
    int done[LC_MAX_FORMULAS] = {0};
    resolve_ctx rc = {fs, done};
    for (int k = 0; k < fs->n; k++) {
        int i = fs->order[k];
        lc_formula *f = &fs->f[i];
        st = lc_expr_bind(f->expr, resolve, &rc, -1, &sub);
        if (st != LC_OK)
            return ferr(fs, d, st, f->line, "formula '%s': %s", f->name, sub.msg);
        lc_inmask dep = 0;
        for (int q = 0; q < lc_expr_n_deps(f->expr); q++) {
            int v = lc_expr_dep(f->expr, q);
            if (v < LC_IN_COUNT)
                dep |= LC_BIT(v);
            else if (v - LC_IN_COUNT < LC_OUT_COUNT)
                dep |= lc_output_depends((lc_output)(v - LC_IN_COUNT));
            else
                dep |= fs->f[v - LC_IN_COUNT - LC_OUT_COUNT].depends;
        }
        f->depends = dep;
        done[i] = 1;
        lc_output_info *oi = &fs->info[i];
        oi->name = f->name;
        oi->unit = f->unit;
        oi->long_name = "user formula";
        oi->formula = f->text;
        oi->node = -1;
        oi->money = 0;
    }
    fs->bound = 1;
    return LC_OK;
}

const lc_output_info *lc_formulas_output_info(const lc_formulas *fs, int output)
{
    if (output >= 0 && output < LC_OUT_COUNT)
        return &lc_outputs[output];
    if (fs && output >= LC_OUT_COUNT && output < LC_OUT_COUNT + fs->n && fs->bound)
        return &fs->info[output - LC_OUT_COUNT];
    return NULL;
}

lc_inmask lc_formulas_output_depends(const lc_formulas *fs, int output)
{
    if (output >= 0 && output < LC_OUT_COUNT)
        return lc_output_depends((lc_output)output);
    if (fs && output >= LC_OUT_COUNT && output < LC_OUT_COUNT + fs->n)
        return fs->f[output - LC_OUT_COUNT].depends;
    return 0;
}

lc_inmask lc_formulas_output_depends_in(const lc_formulas *fs, int output, const double *lo,
                                        const double *hi)
{
    if (output >= 0 && output < LC_OUT_COUNT)
        return lc_output_depends_in((lc_output)output, lo, hi);
    if (!fs || output < LC_OUT_COUNT || output >= LC_OUT_COUNT + fs->n || !fs->bound)
        return 0;
    const lc_expr *e = fs->f[output - LC_OUT_COUNT].expr;
    lc_inmask dep = 0;
    for (int q = 0; q < lc_expr_n_deps(e); q++) {
        int v = lc_expr_dep(e, q);
        dep |= v < LC_IN_COUNT ? LC_BIT(v)
                               : lc_formulas_output_depends_in(fs, v - LC_IN_COUNT, lo, hi);
    }
    return dep;
}

void lc_formula_eval(const lc_formulas *fs, int f, const double *const *values, size_t n,
                     double *out)
{
    const lc_expr *e = fs->f[f].expr;
    const double *ops[LC_EXPR_MAX_DEPS];
    for (int k = 0; k < lc_expr_n_deps(e); k++)
        ops[k] = values[lc_expr_dep(e, k)];
    lc_expr_eval(e, ops, n, out);
}

void lc_formulas_eval_point(const lc_formulas *fs, double *v)
{
    if (!fs)
        return;
    const double *vp[LC_VALUE_COUNT];
    for (int j = 0; j < LC_VALUE_COUNT; j++)
        vp[j] = &v[j];
    for (int k = 0; k < fs->n; k++) {
        int f = fs->order[k];
        lc_formula_eval(fs, f, vp, 1, &v[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)]);
    }
}
