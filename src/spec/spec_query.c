/*
 * spec_query.c - parse the questions of [outputs] (spec_query.h) into
 * lc_question: the operand names (outputs and inputs), the `where`
 * condition compiled once by the expression language (model/expr.h), k of
 * a top-k, the objectives of a Pareto front (`-x` maximises), the axis and
 * threshold of a frontier.  Every error names file:line, the item and what
 * was expected; a condition's errors add the column inside the condition.
 */
#include "spec/spec_query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr.h"
#include "model/formula.h"
#include "model/model.h"
#include "util/number.h"

int lc_query_split(char *text, char **items, int max)
{
    int n = 0, depth = 0;
    char *p = text, *start = text;
    for (;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            int end = *p == '\0';
            *p = '\0';
            while (isspace((unsigned char)*start))
                start++;
            size_t l = strlen(start);
            while (l && isspace((unsigned char)start[l - 1]))
                start[--l] = '\0';
            if (l == 0)
                return -1;
            if (n == max)
                return -2;
            items[n++] = start;
            if (end)
                break;
            start = p + 1;
        }
    }
    return n;
}

/* The word w at p, standing alone (blanks or the text's ends around it). */
static int word_at(const char *text, const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncmp(p, w, n) == 0 && (p == text || isspace((unsigned char)p[-1])) &&
           (p[n] == '\0' || isspace((unsigned char)p[n]));
}

/* The first occurrence of the word w outside parentheses, or NULL. */
static const char *find_word(const char *text, const char *w)
{
    int depth = 0;
    for (const char *p = text; *p; p++) {
        depth += *p == '(';
        depth -= *p == ')' && depth > 0;
        if (depth == 0 && word_at(text, p, w))
            return p;
    }
    return NULL;
}

int lc_query_has_where(const char *item)
{
    return find_word(item, "where") != NULL;
}

int lc_query_is_combined(const lc_spec *s, const char *item)
{
    if (strchr(item, '(') || strstr(item, "==") || strstr(item, "!=") ||
        find_word(item, "and") || find_word(item, "or") || find_word(item, "not"))
        return 1;
    /* NAME OP NUMBER with NAME an output is the classic condition */
    const char *p = item;
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    char name[LC_NAME_MAX];
    if (n == 0 || n >= sizeof name)
        return 0;
    memcpy(name, p, n);
    name[n] = '\0';
    return lc_formulas_output_find(&s->formulas, name) < 0 && lc_input_find(name) >= 0;
}

const char *lc_query_operand_name(const lc_spec *s, int id)
{
    if (id >= 0 && id < LC_OUT_MAX) {
        const lc_output_info *o = lc_formulas_output_info(&s->formulas, id);
        return o ? o->name : "?";
    }
    if (id >= LC_OUT_MAX && id < LC_OUT_MAX + LC_IN_COUNT)
        return lc_inputs[id - LC_OUT_MAX].name;
    return "?";
}

const char *lc_query_operand_unit(const lc_spec *s, int id)
{
    if (id >= 0 && id < LC_OUT_MAX) {
        const lc_output_info *o = lc_formulas_output_info(&s->formulas, id);
        return o ? o->unit : "";
    }
    if (id >= LC_OUT_MAX && id < LC_OUT_MAX + LC_IN_COUNT)
        return lc_inputs[id - LC_OUT_MAX].unit;
    return "";
}

static int resolve(void *ctx, const char *name, lc_expr_type *type)
{
    const lc_spec *s = ctx;
    *type = LC_EXPR_NUMBER;
    int o = lc_formulas_output_find(&s->formulas, name);
    if (o >= 0)
        return o;
    int i = lc_input_find(name);
    return i >= 0 ? LC_Q_INPUT(i) : -1;
}

static const char *const key_of[] = {"count", "reduce", "top", "pareto", "frontier"};

/* An operand written NAME or -NAME. */
static lc_status operand(const lc_spec *s, const char *text, int allow_minus, int *id, int *neg, const char *file,
                         int line, const char *what, const char *item, lc_diag *d)
{
    while (isspace((unsigned char)*text))
        text++;
    *neg = 0;
    if (allow_minus && *text == '-') {
        *neg = 1;
        text++;
        while (isspace((unsigned char)*text))
            text++;
    }
    char name[LC_NAME_MAX];
    size_t n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    if (n == 0 || n >= sizeof name)
        return lc_diag_set(d, LC_ESYNTAX, file, line, "%s '%s': expected an output name%s",
                           what, item, allow_minus ? " (or -NAME to maximise)" : "");
    memcpy(name, text, n);
    name[n] = '\0';
    lc_expr_type t;
    *id = resolve((void *)s, name, &t);
    if (*id < 0)
        return lc_diag_set(d, LC_ENOTFOUND, file, line,
                           "%s '%s': unknown output or input '%s' (the names are listed by "
                           "'llmcost eval --help')", what, item, name);
    return LC_OK;
}

static lc_status condition(const lc_spec *s, const char *item, const char *cond, const char *file, int line,
                           const char *what, lc_expr **out, lc_diag *d)
{
    lc_diag sub;
    memset(&sub, 0, sizeof sub);
    lc_status st = lc_expr_compile(cond, 1, resolve, (void *)s, LC_EXPR_BOOL, out, &sub);
    if (st != LC_OK)
        return lc_diag_set(d, st, file, line, "%s '%s': condition '%s': %s", what, item, cond,
                           sub.msg);
    return LC_OK;
}

lc_status lc_query_add(lc_spec *s, lc_qkind kind, const char *text, const char *file,
                       int line, lc_diag *d)
{
    const char *what = key_of[kind];
    if (s->n_questions >= LC_MAX_QUESTIONS)
        return lc_diag_set(d, LC_ERANGE, file, line,
                           "%s '%s': too many questions (at most %d counts of combined "
                           "conditions, constrained reductions, top-k, Pareto fronts and "
                           "frontiers in all)", what, text, LC_MAX_QUESTIONS);
    if (strlen(text) >= sizeof s->questions[0].text)
        return lc_diag_set(d, LC_ESYNTAX, file, line, "%s '%.40s...' is too long", what, text);
    lc_question *q = &s->questions[s->n_questions];
    memset(q, 0, sizeof *q);
    q->kind = kind;
    q->line = line;
    q->axis = -1;
    snprintf(q->text, sizeof q->text, "%s", text);
    char head[sizeof q->text];
    snprintf(head, sizeof head, "%s", text);
    /* "... where COND": the condition */
    const char *w = kind == LC_Q_FRONTIER ? NULL : find_word(text, "where");
    lc_status st = LC_OK;
    if (kind == LC_Q_COUNT) {
        st = condition(s, text, text, file, line, what, &q->where, d);
    } else if (w != NULL) {
        head[w - text] = '\0';
        const char *cond = w + 5;
        while (isspace((unsigned char)*cond))
            cond++;
        if (*cond == '\0')
            return lc_diag_set(d, LC_ESYNTAX, file, line,
                               "%s '%s': expected a condition after 'where'", what, text);
        st = condition(s, text, cond, file, line, what, &q->where, d);
    }
    if (st != LC_OK)
        return st;
    char *h = head;
    while (isspace((unsigned char)*h))
        h++;
    if (kind == LC_Q_REDUCE) {
        q->n_obj = 1;
        st = operand(s, h, 0, &q->obj[0], &q->maximise[0], file, line, what, text, d);
    } else if (kind == LC_Q_TOP) {
        /* K [-]NAME */
        char *sp = h;
        while (*sp && !isspace((unsigned char)*sp))
            sp++;
        char kbuf[32];
        size_t kl = (size_t)(sp - h);
        double kv = 0;
        lc_diag sub;
        if (kl == 0 || kl >= sizeof kbuf || *sp == '\0')
            st = lc_diag_set(d, LC_ESYNTAX, file, line,
                             "top '%s': expected K [-]OUTPUT [where CONDITION] (e.g. 'top = 20 "
                             "pretrain_cost where train_days <= 90')", text);
        if (st == LC_OK) {
            memcpy(kbuf, h, kl);
            kbuf[kl] = '\0';
            if (lc_parse_number(kbuf, &kv, &sub) != LC_OK || kv != (double)(int)kv || kv < 1 ||
                kv > LC_Q_MAX_TOP)
                st = lc_diag_set(d, LC_ERANGE, file, line,
                                 "top '%s': K must be a whole number from 1 to %d, not '%s'",
                                 text, LC_Q_MAX_TOP, kbuf);
        }
        if (st == LC_OK) {
            q->k = (int)kv;
            q->n_obj = 1;
            st = operand(s, sp, 1, &q->obj[0], &q->maximise[0], file, line, what, text, d);
        }
    } else if (kind == LC_Q_PARETO) {
        char *items[LC_Q_MAX_OBJ + 1];
        int n = lc_query_split(h, items, LC_Q_MAX_OBJ + 1);
        if (n < 2 || n > LC_Q_MAX_OBJ)
            st = lc_diag_set(d, LC_ESYNTAX, file, line,
                             "pareto '%s': expected 2 to %d objectives, OBJ, OBJ, ... [where "
                             "CONDITION] (-OBJ to maximise)", text, LC_Q_MAX_OBJ);
        for (int i = 0; i < n && st == LC_OK && n <= LC_Q_MAX_OBJ; i++) {
            st = operand(s, items[i], 1, &q->obj[i], &q->maximise[i], file, line, what, text, d);
            for (int j = 0; j < i && st == LC_OK; j++)
                if (q->obj[j] == q->obj[i])
                    st = lc_diag_set(d, LC_EINVAL, file, line,
                                     "pareto '%s': objective '%s' is given twice", text,
                                     lc_query_operand_name(s, q->obj[i]));
            q->n_obj = i + 1;
        }
    } else if (kind == LC_Q_FRONTIER) {
        /* OUTPUT = NUMBER along AXIS */
        const char *eq = strchr(h, '=');
        const char *al = find_word(h, "along");
        if (eq == NULL || al == NULL || al < eq)
            return lc_diag_set(d, LC_ESYNTAX, file, line,
                               "frontier '%s': expected OUTPUT = NUMBER along AXIS (e.g. "
                               "'frontier = sub_profit = 0 along users')", text);
        char name[sizeof q->text], num[sizeof q->text];
        snprintf(name, sizeof name, "%.*s", (int)(eq - h), h);
        snprintf(num, sizeof num, "%.*s", (int)(al - eq - 1), eq + 1);
        const char *ax = al + 5;
        while (isspace((unsigned char)*ax))
            ax++;
        q->n_obj = 1;
        st = operand(s, name, 0, &q->obj[0], &q->maximise[0], file, line, what, text, d);
        if (st == LC_OK && q->obj[0] >= LC_OUT_MAX)
            st = lc_diag_set(d, LC_EINVAL, file, line,
                             "frontier '%s': '%s' is an input, not an output", text,
                             lc_query_operand_name(s, q->obj[0]));
        char *np = num;
        while (isspace((unsigned char)*np))
            np++;
        size_t nl = strlen(np);
        while (nl && isspace((unsigned char)np[nl - 1]))
            np[--nl] = '\0';
        lc_diag sub;
        if (st == LC_OK && lc_parse_number(np, &q->threshold, &sub) != LC_OK)
            st = lc_diag_set(d, LC_ESYNTAX, file, line, "frontier '%s': threshold: %s", text,
                             sub.msg);
        for (int a = 0; st == LC_OK && a < s->n_axes; a++)
            if (strcmp(s->axes[a].name, ax) == 0)
                q->axis = a;
        if (st == LC_OK && q->axis < 0)
            st = lc_diag_set(d, LC_ENOTFOUND, file, line,
                             "frontier '%s': '%s' is not an axis of this spec", text, ax);
        if (st == LC_OK && s->axes[q->axis].labels != NULL)
            st = lc_diag_set(d, LC_EINVAL, file, line,
                             "frontier '%s': axis '%s' holds names, not numbers (a crossing "
                             "needs a numeric axis)", text, ax);
    }
    if (st != LC_OK) {
        lc_expr_free(q->where);
        q->where = NULL;
        return st;
    }
    s->n_questions++;
    return LC_OK;
}

void lc_query_free(lc_spec *s)
{
    for (int i = 0; i < s->n_questions && i < LC_MAX_QUESTIONS; i++) {
        lc_expr_free(s->questions[i].where);
        s->questions[i].where = NULL;
    }
    s->n_questions = 0;
}
