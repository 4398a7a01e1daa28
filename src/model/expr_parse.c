/*
 * expr_parse.c - parse, type-check, fold and compile expressions (see
 * expr.h): a recursive-descent parser into a tree of nodes, name
 * resolution through the caller's resolver, type checking with columns,
 * constant folding with the very operations the loops run, and register
 * allocation into the flat program of expr_prog.h.  Also the ordering of a
 * set of named formulas (lc_expr_order) with cycle detection.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/number.h"
#include "model/expr_prog.h"

#define MAX_NEST 64 /* parentheses and operators nested deeper are refused */

/* ---- tokens -------------------------------------------------------------- */
enum {
    T_END, T_NUM, T_NAME, T_LP, T_RP, T_COMMA, T_PLUS, T_MINUS, T_STAR, T_SLASH,
    T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE, T_AND, T_OR, T_NOT
};

typedef struct {
    lc_expr *e;
    const char *s;
    size_t pos;     /* next character */
    int tok;        /* current token */
    size_t tstart;  /* its start offset */
    size_t tlen;
    double num;
    int nest;
    lc_diag *d;
    lc_status err;
} parser;

static int col_of(const parser *p, size_t off)
{
    return p->e->col0 + (int)off;
}

static int is_ident(int c)
{
    return isalnum(c) || c == '_';
}

static lc_status perr(parser *p, lc_status st, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static lc_status perr(parser *p, lc_status st, size_t off, const char *fmt, ...)
{
    if (p->err)
        return p->err;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->err = lc_diag_set(p->d, st, NULL, 0, "column %d: %s", col_of(p, off), msg);
    return p->err;
}

/* The current token's text, quoted for messages (at most 40 characters). */
static const char *tok_text(const parser *p, char *buf, size_t size)
{
    if (p->tok == T_END)
        snprintf(buf, size, "the end of the expression");
    else
        snprintf(buf, size, "'%.*s'", (int)(p->tlen > 40 ? 40 : p->tlen), p->s + p->tstart);
    return buf;
}

static const struct {
    const char *word;
    int tok;
} keywords[] = {{"and", T_AND}, {"or", T_OR}, {"not", T_NOT}};

static void next(parser *p)
{
    const char *s = p->s;
    while (s[p->pos] == ' ' || s[p->pos] == '\t')
        p->pos++;
    size_t i = p->pos;
    p->tstart = i;
    p->tlen = 1;
    int c = (unsigned char)s[i];
    if (c == '\0') {
        p->tok = T_END;
        p->tlen = 0;
        return;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
        size_t j = i;
        while (isdigit((unsigned char)s[j]))
            j++;
        if (s[j] == '.') {
            j++;
            while (isdigit((unsigned char)s[j]))
                j++;
        }
        if ((s[j] == 'e' || s[j] == 'E') &&
            (isdigit((unsigned char)s[j + 1]) ||
             ((s[j + 1] == '+' || s[j + 1] == '-') && isdigit((unsigned char)s[j + 2])))) {
            j += 2;
            while (isdigit((unsigned char)s[j]))
                j++;
        }
        if (strchr("kKMBGTP%", s[j]) && s[j] != '\0')
            j++;
        size_t k = j;
        while (is_ident((unsigned char)s[k]) || s[k] == '.')
            k++;
        p->tlen = k - i;
        if (k != j) {
            char num[48];
            snprintf(num, sizeof num, "%.*s", (int)(p->tlen > 40 ? 40 : p->tlen), s + i);
            p->err = lc_diag_set(p->d, LC_ESYNTAX, NULL, 0,
                                 "column %d: '%s' is not a number (a number may end in one of "
                                 "k M B G T P %%, then an operator or a blank)",
                                 col_of(p, i), num);
            p->tok = T_END;
            return;
        }
        char buf[128];
        if (j - i >= sizeof buf) {
            perr(p, LC_ESYNTAX, i, "number too long");
            p->tok = T_END;
            return;
        }
        memcpy(buf, s + i, j - i);
        buf[j - i] = '\0';
        lc_diag nd;
        if (lc_parse_number(buf, &p->num, &nd) != LC_OK) {
            perr(p, LC_ESYNTAX, i, "%.800s", nd.msg);
            p->tok = T_END;
            return;
        }
        p->tok = T_NUM;
        p->pos = j;
        return;
    }
    if (isalpha(c) || c == '_') {
        size_t j = i;
        while (is_ident((unsigned char)s[j]))
            j++;
        p->tlen = j - i;
        p->pos = j;
        p->tok = T_NAME;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == p->tlen &&
                memcmp(keywords[k].word, s + i, p->tlen) == 0)
                p->tok = keywords[k].tok;
        return;
    }
    p->pos = i + 1;
    char two[3] = {s[i], s[i + 1], '\0'};
    if (strcmp(two, "<=") == 0 || strcmp(two, ">=") == 0 || strcmp(two, "==") == 0 ||
        strcmp(two, "!=") == 0) {
        p->tok = two[0] == '<' ? T_LE : two[0] == '>' ? T_GE : two[0] == '=' ? T_EQ : T_NE;
        p->tlen = 2;
        p->pos = i + 2;
        return;
    }
    switch (c) {
    case '(': p->tok = T_LP; return;
    case ')': p->tok = T_RP; return;
    case ',': p->tok = T_COMMA; return;
    case '+': p->tok = T_PLUS; return;
    case '-': p->tok = T_MINUS; return;
    case '*':
        if (s[i + 1] == '*') {
            perr(p, LC_ESYNTAX, i, "'**' is not an operator: write pow(a, b)");
            p->tok = T_END;
            return;
        }
        p->tok = T_STAR;
        return;
    case '/': p->tok = T_SLASH; return;
    case '<': p->tok = T_LT; return;
    case '>': p->tok = T_GT; return;
    default: break;
    }
    const char *hint = "";
    if (strcmp(two, "&&") == 0 || c == '&')
        hint = ": write 'and'";
    else if (strcmp(two, "||") == 0 || c == '|')
        hint = ": write 'or'";
    else if (c == '!')
        hint = ": write 'not' (or '!=')";
    else if (c == '=')
        hint = ": write '==' to compare";
    else if (c == '^')
        hint = ": write pow(a, b)";
    char ch[8];
    if (c >= 0x20 && c < 0x7f)
        snprintf(ch, sizeof ch, "'%c'", c);
    else
        snprintf(ch, sizeof ch, "0x%02x", (unsigned)c);
    perr(p, LC_ESYNTAX, i, "unexpected character %s%s", ch, hint);
    p->tok = T_END;
}

/* ---- tree ---------------------------------------------------------------- */
static int new_node(parser *p, int op, int col, int start)
{
    lc_expr *e = p->e;
    if (e->n_node == e->cap_node) {
        int cap = e->cap_node ? e->cap_node * 2 : 32;
        lc_expr_node *nn = realloc(e->node, (size_t)cap * sizeof *nn);
        if (!nn) {
            p->err = lc_diag_set(p->d, LC_ENOMEM, NULL, 0, "out of memory parsing an expression");
            return -1;
        }
        e->node = nn;
        e->cap_node = cap;
    }
    lc_expr_node *n = &e->node[e->n_node];
    memset(n, 0, sizeof *n);
    n->op = (unsigned char)op;
    n->col = col;
    n->start = start;
    n->name = -1;
    return e->n_node++;
}

static int node1(parser *p, int op, int col, int start, int a, int b, int c, int nk)
{
    if (a < 0 || (nk > 1 && b < 0) || (nk > 2 && c < 0))
        return -1;
    int id = new_node(p, op, col, start);
    if (id < 0)
        return -1;
    lc_expr_node *n = &p->e->node[id];
    n->nk = (unsigned char)nk;
    n->kid[0] = a;
    n->kid[1] = b;
    n->kid[2] = c;
    return id;
}

static int add_name(parser *p, const char *s, size_t len, int col)
{
    lc_expr *e = p->e;
    for (int i = 0; i < e->n_names; i++)
        if (strlen(e->names[i]) == len && memcmp(e->names[i], s, len) == 0)
            return i;
    if (e->n_names == LC_EXPR_MAX_DEPS) {
        p->err = lc_diag_set(p->d, LC_ERANGE, NULL, 0,
                             "column %d: more than %d different names in one expression",
                             col, LC_EXPR_MAX_DEPS);
        return -1;
    }
    if (e->n_names == e->cap_names) {
        int cap = e->cap_names ? e->cap_names * 2 : 8;
        char **nn = realloc(e->names, (size_t)cap * sizeof *nn);
        int *nc = nn ? realloc(e->name_col, (size_t)cap * sizeof *nc) : NULL;
        if (nn)
            e->names = nn;
        if (!nn || !nc) {
            p->err = lc_diag_set(p->d, LC_ENOMEM, NULL, 0, "out of memory parsing an expression");
            return -1;
        }
        e->name_col = nc;
        e->cap_names = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        p->err = lc_diag_set(p->d, LC_ENOMEM, NULL, 0, "out of memory parsing an expression");
        return -1;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    e->names[e->n_names] = copy;
    e->name_col[e->n_names] = col;
    return e->n_names++;
}

static const struct {
    const char *name;
    int op;
    int nargs; /* -2: two or more */
} functions[] = {
    {"min", LC_XOP_MIN, -2}, {"max", LC_XOP_MAX, -2}, {"abs", LC_XOP_ABS, 1},
    {"log", LC_XOP_LOG, 1},  {"exp", LC_XOP_EXP, 1},  {"pow", LC_XOP_POW, 2},
    {"sqrt", LC_XOP_SQRT, 1}, {"ceil", LC_XOP_CEIL, 1}, {"floor", LC_XOP_FLOOR, 1},
    {"if", LC_XOP_IF, 3},
};
#define N_FUNCTIONS ((int)(sizeof functions / sizeof functions[0]))

static int find_function(const char *s, size_t len)
{
    for (int i = 0; i < N_FUNCTIONS; i++)
        if (strlen(functions[i].name) == len && memcmp(functions[i].name, s, len) == 0)
            return i;
    return -1;
}

static int parse_or(parser *p);

static int expect_operand_error(parser *p)
{
    char buf[64];
    const char *what = tok_text(p, buf, sizeof buf);
    perr(p, LC_ESYNTAX, p->tstart, "expected a number, a name or '(', found %s", what);
    return -1;
}

static int enter(parser *p)
{
    if (++p->nest > MAX_NEST) {
        perr(p, LC_ESYNTAX, p->tstart, "expression nested too deeply (more than 64 levels)");
        return 0;
    }
    return 1;
}

static int parse_call(parser *p, int f, size_t at)
{
    int col = col_of(p, at);
    size_t lp = p->tstart;
    next(p); /* past '(' */
    int args[3] = {-1, -1, -1}, na = 0, acc = -1;
    int maxa = functions[f].nargs < 0 ? 1 << 20 : functions[f].nargs;
    if (p->tok == T_RP) {
        perr(p, LC_ESYNTAX, p->tstart, "%s() needs arguments", functions[f].name);
        return -1;
    }
    for (;;) {
        int a = parse_or(p);
        if (a < 0)
            return -1;
        if (functions[f].nargs < 0) {
            acc = na == 0 ? a : node1(p, functions[f].op, col, col, acc, a, -1, 2);
            if (acc < 0)
                return -1;
        } else if (na < 3) {
            args[na] = a;
        }
        na++;
        if (p->tok == T_COMMA) {
            next(p);
            continue;
        }
        if (p->tok != T_RP) {
            char buf[64];
            if (p->tok == T_END)
                p->err = lc_diag_set(p->d, LC_ESYNTAX, NULL, 0,
                                     "column %d: missing ')' of the %s( at column %d",
                                     col_of(p, p->tstart), functions[f].name, col_of(p, lp));
            else
                perr(p, LC_ESYNTAX, p->tstart, "expected ',' or ')' in %s(), found %s",
                     functions[f].name, tok_text(p, buf, sizeof buf));
            return -1;
        }
        next(p);
        break;
    }
    if ((functions[f].nargs < 0 && na < 2) || (functions[f].nargs > 0 && na != maxa)) {
        char want[32];
        if (functions[f].nargs < 0)
            snprintf(want, sizeof want, "2 or more arguments");
        else
            snprintf(want, sizeof want, "%d argument%s", maxa, maxa == 1 ? "" : "s");
        p->err = lc_diag_set(p->d, LC_ESYNTAX, NULL, 0, "column %d: %s() takes %s, not %d",
                             col, functions[f].name, want, na);
        return -1;
    }
    if (functions[f].nargs < 0)
        return acc;
    return node1(p, functions[f].op, col, col, args[0], args[1], args[2], maxa);
}

static int parse_primary(parser *p)
{
    if (p->err)
        return -1;
    size_t at = p->tstart;
    int col = col_of(p, at);
    switch (p->tok) {
    case T_NUM: {
        int id = new_node(p, LC_XOP_CONST, col, col);
        if (id < 0)
            return -1;
        p->e->node[id].val = p->num;
        next(p);
        return id;
    }
    case T_NAME: {
        const char *nm = p->s + at;
        size_t len = p->tlen;
        next(p);
        int f = find_function(nm, len);
        if (p->tok == T_LP) {
            if (f < 0) {
                char name[48];
                snprintf(name, sizeof name, "%.*s", (int)(len > 40 ? 40 : len), nm);
                p->err = lc_diag_set(p->d, LC_ESYNTAX, NULL, 0,
                                     "column %d: unknown function '%s' (functions: min max abs "
                                     "log exp pow sqrt ceil floor if)",
                                     col, name);
                return -1;
            }
            if (!enter(p))
                return -1;
            int r = parse_call(p, f, at);
            p->nest--;
            return r;
        }
        if (f >= 0) {
            p->err = lc_diag_set(p->d, LC_ESYNTAX, NULL, 0,
                                 "column %d: '%s' is a function: write %s(...)", col,
                                 functions[f].name, functions[f].name);
            return -1;
        }
        int ni = add_name(p, nm, len, col);
        if (ni < 0)
            return -1;
        int id = new_node(p, LC_XOP_NAME, col, col);
        if (id < 0)
            return -1;
        p->e->node[id].name = ni;
        return id;
    }
    case T_LP: {
        if (!enter(p))
            return -1;
        next(p);
        int r = parse_or(p);
        if (r < 0)
            return -1;
        if (p->tok != T_RP) {
            char buf[64];
            if (p->tok == T_END)
                p->err = lc_diag_set(p->d, LC_ESYNTAX, NULL, 0,
                                     "column %d: missing ')' for the '(' at column %d",
                                     col_of(p, p->tstart), col);
            else
                perr(p, LC_ESYNTAX, p->tstart, "expected ')' or an operator, found %s",
                     tok_text(p, buf, sizeof buf));
            return -1;
        }
        next(p);
        p->nest--;
        p->e->node[r].start = col;
        return r;
    }
    default:
        return expect_operand_error(p);
    }
}

/* A prefix operator (unary '-', 'not') applied to what self parses. */
static int parse_prefix(parser *p, int (*self)(parser *), int op)
{
    size_t at = p->tstart;
    if (!enter(p))
        return -1;
    next(p);
    int a = self(p);
    p->nest--;
    return node1(p, op, col_of(p, at), col_of(p, at), a, -1, -1, 1);
}

static int parse_unary(parser *p)
{
    if (p->tok == T_MINUS)
        return parse_prefix(p, parse_unary, LC_XOP_NEG);
    if (p->tok == T_PLUS) {
        perr(p, LC_ESYNTAX, p->tstart, "unary '+' is not accepted: drop it");
        return -1;
    }
    return parse_primary(p);
}

/* A left-associative level: sub { tok sub }, where tok is t1 (operation
 * o1) or t2 (o2; -1 for none). */
static int parse_left(parser *p, int (*sub)(parser *), int t1, int o1, int t2, int o2)
{
    int a = sub(p);
    while (a >= 0 && (p->tok == t1 || p->tok == t2)) {
        int op = p->tok == t1 ? o1 : o2;
        int col = col_of(p, p->tstart);
        next(p);
        int b = sub(p);
        a = node1(p, op, col, p->e->node[a].start, a, b, -1, 2);
    }
    return a;
}

static int parse_mul(parser *p)
{
    return parse_left(p, parse_unary, T_STAR, LC_XOP_MUL, T_SLASH, LC_XOP_DIV);
}

static int parse_add(parser *p)
{
    return parse_left(p, parse_mul, T_PLUS, LC_XOP_ADD, T_MINUS, LC_XOP_SUB);
}

static int cmp_op(int tok)
{
    switch (tok) {
    case T_LT: return LC_XOP_LT;
    case T_LE: return LC_XOP_LE;
    case T_GT: return LC_XOP_GT;
    case T_GE: return LC_XOP_GE;
    case T_EQ: return LC_XOP_EQ;
    case T_NE: return LC_XOP_NE;
    default: return -1;
    }
}

static int parse_cmp(parser *p)
{
    int a = parse_add(p);
    int op = cmp_op(p->tok);
    if (a < 0 || op < 0)
        return a;
    int col = col_of(p, p->tstart);
    next(p);
    int b = parse_add(p);
    int r = node1(p, op, col, p->e->node[a].start, a, b, -1, 2);
    if (r >= 0 && cmp_op(p->tok) >= 0) {
        perr(p, LC_ESYNTAX, p->tstart,
             "comparisons do not chain: write 'a < b and b < c'");
        return -1;
    }
    return r;
}

static int parse_not(parser *p)
{
    if (p->tok == T_NOT)
        return parse_prefix(p, parse_not, LC_XOP_NOT);
    return parse_cmp(p);
}

static int parse_and(parser *p)
{
    return parse_left(p, parse_not, T_AND, LC_XOP_AND, -1, -1);
}

static int parse_or(parser *p)
{
    if (p->err)
        return -1;
    return parse_left(p, parse_and, T_OR, LC_XOP_OR, -1, -1);
}

void lc_expr_free(lc_expr *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n_names; i++)
        free(e->names[i]);
    free(e->names);
    free(e->name_col);
    free(e->name_id);
    free(e->name_type);
    free(e->node);
    free(e->deps);
    free(e->ins);
    free(e->text);
    free(e);
}

lc_status lc_expr_parse(const char *text, int col0, lc_expr **out, lc_diag *d)
{
    *out = NULL;
    size_t len = strlen(text);
    if (len > LC_EXPR_MAX_TEXT)
        return lc_diag_set(d, LC_ERANGE, NULL, 0,
                           "column %d: expression longer than %d characters", col0,
                           LC_EXPR_MAX_TEXT);
    lc_expr *e = calloc(1, sizeof *e);
    if (!e || !(e->text = malloc(len + 1))) {
        free(e);
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory parsing an expression");
    }
    memcpy(e->text, text, len + 1);
    e->col0 = col0;
    e->root = -1;
    parser p = {.e = e, .s = e->text, .d = d};
    next(&p);
    if (!p.err && p.tok == T_END) {
        p.err = lc_diag_set(d, LC_ESYNTAX, NULL, 0, "column %d: empty expression", col0);
    }
    int r = p.err ? -1 : parse_or(&p);
    if (!p.err && p.tok != T_END) {
        char buf[64];
        const char *what = tok_text(&p, buf, sizeof buf);
        if (p.tok == T_RP)
            perr(&p, LC_ESYNTAX, p.tstart, "')' without a matching '('");
        else if (p.tok == T_NAME || p.tok == T_NUM || p.tok == T_LP)
            perr(&p, LC_ESYNTAX, p.tstart, "expected an operator before %s", what);
        else
            perr(&p, LC_ESYNTAX, p.tstart, "unexpected %s", what);
    }
    if (p.err || r < 0) {
        lc_status st = p.err ? p.err : LC_ESYNTAX;
        lc_expr_free(e);
        return st;
    }
    e->root = r;
    *out = e;
    return LC_OK;
}

int lc_expr_n_names(const lc_expr *e)
{
    return e->n_names;
}

const char *lc_expr_name(const lc_expr *e, int i)
{
    return e->names[i];
}

int lc_expr_name_col(const lc_expr *e, int i)
{
    return e->name_col[i];
}

/* ---- types ----------------------------------------------------------------- */
static const char *op_name(int op)
{
    static const char *const names[LC_XOP_COUNT] = {
        [LC_XOP_ADD] = "'+'", [LC_XOP_SUB] = "'-'", [LC_XOP_MUL] = "'*'",
        [LC_XOP_DIV] = "'/'", [LC_XOP_NEG] = "unary '-'", [LC_XOP_MIN] = "min()",
        [LC_XOP_MAX] = "max()", [LC_XOP_ABS] = "abs()", [LC_XOP_LOG] = "log()",
        [LC_XOP_EXP] = "exp()", [LC_XOP_POW] = "pow()", [LC_XOP_SQRT] = "sqrt()",
        [LC_XOP_CEIL] = "ceil()", [LC_XOP_FLOOR] = "floor()", [LC_XOP_LT] = "'<'",
        [LC_XOP_LE] = "'<='", [LC_XOP_GT] = "'>'", [LC_XOP_GE] = "'>='",
        [LC_XOP_EQ] = "'=='", [LC_XOP_NE] = "'!='", [LC_XOP_AND] = "'and'",
        [LC_XOP_OR] = "'or'", [LC_XOP_NOT] = "'not'", [LC_XOP_IF] = "if()",
    };
    return op >= 0 && op < LC_XOP_COUNT && names[op] ? names[op] : "?";
}

static const char *type_word(int t)
{
    return t == LC_EXPR_BOOL ? "a condition" : "a number";
}

/* Type of node id (kids first); LC_OK or a type error in d. */
static lc_status check_types(lc_expr *e, int id, lc_diag *d)
{
    lc_expr_node *n = &e->node[id];
    for (int k = 0; k < n->nk; k++) {
        lc_status st = check_types(e, n->kid[k], d);
        if (st)
            return st;
    }
    n = &e->node[id]; /* (no reallocation happens here, but keep it tidy) */
    const lc_expr_node *kid[3] = {NULL, NULL, NULL};
    for (int k = 0; k < n->nk; k++)
        kid[k] = &e->node[n->kid[k]];
    switch (n->op) {
    case LC_XOP_CONST: n->type = LC_EXPR_NUMBER; return LC_OK;
    case LC_XOP_NAME: n->type = (unsigned char)e->name_type[n->name]; return LC_OK;
    case LC_XOP_EQ:
    case LC_XOP_NE:
        if (kid[0]->type != kid[1]->type)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "column %d: %s compares %s (column %d) with %s (column %d)",
                               n->col, op_name(n->op), type_word(kid[0]->type), kid[0]->start,
                               type_word(kid[1]->type), kid[1]->start);
        n->type = LC_EXPR_BOOL;
        return LC_OK;
    case LC_XOP_AND:
    case LC_XOP_OR:
    case LC_XOP_NOT:
        for (int k = 0; k < n->nk; k++)
            if (kid[k]->type != LC_EXPR_BOOL)
                return lc_diag_set(d, LC_EINVAL, NULL, 0,
                                   "column %d: %s needs conditions, but the operand at column "
                                   "%d is a number (write 'x != 0' to test a number)",
                                   n->col, op_name(n->op), kid[k]->start);
        n->type = LC_EXPR_BOOL;
        return LC_OK;
    case LC_XOP_IF:
        if (kid[0]->type != LC_EXPR_BOOL)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "column %d: the first argument of if() (column %d) must be a "
                               "condition, not a number (write 'x != 0' to test a number)",
                               n->col, kid[0]->start);
        if (kid[1]->type != kid[2]->type)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "column %d: if() chooses between %s (column %d) and %s (column "
                               "%d): both must be numbers or both conditions",
                               n->col, type_word(kid[1]->type), kid[1]->start,
                               type_word(kid[2]->type), kid[2]->start);
        n->type = kid[1]->type;
        return LC_OK;
    default:
        for (int k = 0; k < n->nk; k++)
            if (kid[k]->type != LC_EXPR_NUMBER)
                return lc_diag_set(d, LC_EINVAL, NULL, 0,
                                   "column %d: %s needs numbers, but the operand at column %d "
                                   "is a condition (write if(c, 1, 0) for a number)",
                                   n->col, op_name(n->op), kid[k]->start);
        n->type = (n->op >= LC_XOP_LT && n->op <= LC_XOP_GE) ? LC_EXPR_BOOL : LC_EXPR_NUMBER;
        return LC_OK;
    }
}

/* Fold constant sub-trees in place (an if() with a constant condition
 * becomes the branch it chooses). */
static void fold(lc_expr *e, int id)
{
    lc_expr_node *n = &e->node[id];
    int all = n->nk > 0;
    for (int k = 0; k < n->nk; k++) {
        fold(e, n->kid[k]);
        all &= e->node[n->kid[k]].op == LC_XOP_CONST;
    }
    n = &e->node[id];
    if (n->op == LC_XOP_IF && e->node[n->kid[0]].op == LC_XOP_CONST) {
        int pick = e->node[n->kid[0]].val != 0.0 ? n->kid[1] : n->kid[2];
        int start = n->start;
        *n = e->node[pick];
        n->start = start;
        return;
    }
    if (!all)
        return;
    double v[3] = {0.0, 0.0, 0.0};
    for (int k = 0; k < n->nk; k++)
        v[k] = e->node[n->kid[k]].val;
    n->val = lc_expr_apply(n->op, v[0], v[1], v[2]);
    n->op = LC_XOP_CONST;
    n->nk = 0;
}

/* ---- code generation --------------------------------------------------------- */
typedef struct {
    lc_expr *e;
    int cap_ins;
    int max_tmp;
    lc_diag *d;
    lc_status err;
} gen;

/* An operand reference: kind LC_XK_VAR (dependency index), LC_XK_REG
 * (temporary), or -1 - c for constant c (fixed up after allocation). */
typedef struct {
    int kind, idx;
} ref;

static int const_slot(gen *g, double v)
{
    lc_expr *e = g->e;
    for (int k = 0; k < e->n_const; k++)
        if (memcmp(&e->konst[k], &v, sizeof v) == 0)
            return k;
    if (e->n_const == LC_EXPR_SLOTS) {
        g->err = lc_diag_set(g->d, LC_ERANGE, NULL, 0,
                             "column %d: more than %d different constants in one expression: "
                             "split it into formulas",
                             e->col0, LC_EXPR_SLOTS);
        return 0;
    }
    e->konst[e->n_const] = v;
    return e->n_const++;
}

static int dep_slot(gen *g, int name)
{
    lc_expr *e = g->e;
    int id = e->name_id[name];
    for (int k = 0; k < e->n_deps; k++)
        if (e->deps[k] == id)
            return k;
    e->deps[e->n_deps] = id;
    return e->n_deps++;
}

static ref emit(gen *g, int id, int depth)
{
    lc_expr *e = g->e;
    const lc_expr_node n = e->node[id];
    ref r = {LC_XK_REG, depth};
    if (g->err)
        return r;
    if (n.op == LC_XOP_CONST) {
        r.kind = -1;
        r.idx = const_slot(g, n.val);
        return r;
    }
    if (n.op == LC_XOP_NAME) {
        r.kind = LC_XK_VAR;
        r.idx = dep_slot(g, n.name);
        return r;
    }
    ref a[3] = {{LC_XK_REG, 0}, {LC_XK_REG, 0}, {LC_XK_REG, 0}};
    for (int k = 0; k < n.nk; k++)
        a[k] = emit(g, n.kid[k], depth + k);
    if (g->err)
        return r;
    if (depth + 1 > g->max_tmp)
        g->max_tmp = depth + 1;
    if (e->n_ins == g->cap_ins) {
        int cap = g->cap_ins ? g->cap_ins * 2 : 16;
        lc_expr_ins *ni = realloc(e->ins, (size_t)cap * sizeof *ni);
        if (!ni) {
            g->err = lc_diag_set(g->d, LC_ENOMEM, NULL, 0, "out of memory compiling an expression");
            return r;
        }
        e->ins = ni;
        g->cap_ins = cap;
    }
    lc_expr_ins *in = &e->ins[e->n_ins++];
    memset(in, 0, sizeof *in);
    in->op = n.op;
    in->dk = LC_XK_REG;
    in->dst = (short)depth;
    for (int k = 0; k < 3; k++) {
        ref x = k < n.nk ? a[k] : a[0];
        /* constants: kind -1 now, their register once n_tmp is known */
        in->k[k] = (unsigned char)(x.kind < 0 ? 0xff : x.kind);
        in->a[k] = (short)x.idx;
    }
    return r;
}

lc_status lc_expr_bind(lc_expr *e, lc_expr_resolver resolve, void *ctx, int want, lc_diag *d)
{
    if (e->bound)
        return lc_diag_set(d, LC_EINTERNAL, NULL, 0, "expression bound twice");
    int nn = e->n_names > 0 ? e->n_names : 1;
    e->name_id = malloc((size_t)nn * sizeof *e->name_id);
    e->name_type = malloc((size_t)nn * sizeof *e->name_type);
    e->deps = malloc((size_t)nn * sizeof *e->deps);
    if (!e->name_id || !e->name_type || !e->deps)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory compiling an expression");
    for (int i = 0; i < e->n_names; i++) {
        lc_expr_type t = LC_EXPR_NUMBER;
        int id = resolve(ctx, e->names[i], &t);
        if (id < 0)
            return lc_diag_set(d, LC_ENOTFOUND, NULL, 0, "column %d: unknown name '%s'",
                               e->name_col[i], e->names[i]);
        e->name_id[i] = id;
        e->name_type[i] = t == LC_EXPR_BOOL ? LC_EXPR_BOOL : LC_EXPR_NUMBER;
    }
    lc_status st = check_types(e, e->root, d);
    if (st)
        return st;
    e->type = e->node[e->root].type;
    if (want >= 0 && (int)e->type != want)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           want == LC_EXPR_BOOL
                               ? "column %d: expected a condition (such as 'x > 0'), found a "
                                 "number"
                               : "column %d: expected a number, found a condition (write "
                                 "if(c, 1, 0) for a number)",
                           e->col0);
    fold(e, e->root);
    gen g = {.e = e, .d = d};
    ref r = emit(&g, e->root, 0);
    if (g.err)
        return g.err;
    if (g.max_tmp + e->n_const > LC_EXPR_SLOTS)
        return lc_diag_set(d, LC_ERANGE, NULL, 0,
                           "column %d: the expression needs %d registers (at most %d): split "
                           "it into formulas",
                           e->col0, g.max_tmp + e->n_const, LC_EXPR_SLOTS);
    e->n_tmp = g.max_tmp;
    for (int i = 0; i < e->n_ins; i++)
        for (int k = 0; k < 3; k++)
            if (e->ins[i].k[k] == 0xff) {
                e->ins[i].k[k] = LC_XK_REG;
                e->ins[i].a[k] = (short)(e->n_tmp + e->ins[i].a[k]);
            }
    e->res_var = -1;
    if (e->n_ins > 0)
        e->ins[e->n_ins - 1].dk = LC_XK_OUT;
    else if (r.kind == LC_XK_VAR)
        e->res_var = r.idx;
    else
        e->res_val = e->konst[r.idx];
    e->bound = 1;
    return LC_OK;
}

lc_status lc_expr_compile(const char *text, int col0, lc_expr_resolver resolve, void *ctx,
                          int want, lc_expr **out, lc_diag *d)
{
    lc_expr *e;
    *out = NULL;
    lc_status st = lc_expr_parse(text, col0, &e, d);
    if (st)
        return st;
    st = lc_expr_bind(e, resolve, ctx, want, d);
    if (st) {
        lc_expr_free(e);
        *out = NULL;
        return st;
    }
    *out = e;
    return LC_OK;
}

lc_expr_type lc_expr_result_type(const lc_expr *e)
{
    return e->type;
}

int lc_expr_n_deps(const lc_expr *e)
{
    return e->n_deps;
}

int lc_expr_dep(const lc_expr *e, int k)
{
    return e->deps[k];
}

const char *lc_expr_text(const lc_expr *e)
{
    return e->text;
}

int lc_expr_n_instr(const lc_expr *e)
{
    return e->n_ins;
}

/* ---- ordering of named formulas ---------------------------------------------- */
typedef struct {
    int n;
    lc_expr *const *ex;
    const char *const *names;
    int *state; /* 0 new, 1 on the path, 2 done */
    int *path;
    int depth;
    int *order;
    int n_order;
    int *at;
    lc_diag *d;
} orderer;

static int formula_index(const orderer *o, const char *name)
{
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->names[i], name) == 0)
            return i;
    return -1;
}

static lc_status visit(orderer *o, int i)
{
    if (o->state[i] == 2)
        return LC_OK;
    if (o->state[i] == 1) {
        int from = o->depth - 1;
        while (from > 0 && o->path[from] != i)
            from--;
        char msg[900];
        size_t len = 0;
        int first = i;
        msg[0] = '\0';
        for (int k = from; k < o->depth; k++) {
            len += (size_t)snprintf(msg + len, len < sizeof msg ? sizeof msg - len : 0,
                                    "%s -> ", o->names[o->path[k]]);
            if (o->path[k] < first)
                first = o->path[k];
            if (len >= sizeof msg)
                len = sizeof msg - 1;
        }
        snprintf(msg + len, len < sizeof msg ? sizeof msg - len : 0, "%s", o->names[i]);
        *o->at = first;
        return lc_diag_set(o->d, LC_EINVAL, NULL, 0, "formulas form a cycle: %s", msg);
    }
    o->state[i] = 1;
    o->path[o->depth++] = i;
    const lc_expr *e = o->ex[i];
    for (int k = 0; k < e->n_names; k++) {
        int j = formula_index(o, e->names[k]);
        if (j >= 0) {
            lc_status st = visit(o, j);
            if (st)
                return st;
        }
    }
    o->depth--;
    o->state[i] = 2;
    o->order[o->n_order++] = i;
    return LC_OK;
}

lc_status lc_expr_order(int n, lc_expr *const *exprs, const char *const *names, int *order,
                        int *at, lc_diag *d)
{
    int dummy = -1;
    if (!at)
        at = &dummy;
    *at = -1;
    if (n <= 0)
        return LC_OK;
    int *state = calloc((size_t)n, sizeof *state);
    int *path = malloc((size_t)n * sizeof *path);
    if (!state || !path) {
        free(state);
        free(path);
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory ordering formulas");
    }
    orderer o = {n, exprs, names, state, path, 0, order, 0, at, d};
    lc_status st = LC_OK;
    for (int i = 0; i < n && !st; i++)
        st = visit(&o, i);
    free(state);
    free(path);
    return st;
}
