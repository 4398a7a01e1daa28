/*
 * spec_query.h - the questions of a spec's [outputs] (spec_query.c):
 * counts of combined conditions (`count = sub_profit > 0 and gpus <= 16000`),
 * constrained reductions (`reduce = pretrain_cost where train_days <= 90`),
 * top-k (`top = 20 pretrain_cost where ...`, `-x` for the largest), Pareto
 * fronts (`pareto = pretrain_cost, train_days [where ...]`) and frontiers
 * (`frontier = sub_profit = 0 along users`), parsed into lc_question
 * (spec.h) with conditions compiled by the expression language
 * (model/expr.h).  Internal to the spec layer: spec_parse.c calls it.
 */
#ifndef LLMCOST_SPEC_QUERY_H
#define LLMCOST_SPEC_QUERY_H

#include "spec/spec.h"
#include "util/status.h"

/* Split text in place at the commas outside parentheses, trimming blanks.
 * Returns the number of items (at most max), -1 for an empty item, -2 for
 * more than max items. */
int lc_query_split(char *text, char **items, int max);

/* 1 when a count item needs the expression language (and, or, not,
 * parentheses, == / !=, an input as operand or more than NAME OP NUMBER);
 * 0 when it is the classic "OUTPUT OP NUMBER" condition. */
int lc_query_is_combined(const lc_spec *s, const char *item);

/* 1 when a reduce item carries a condition ("NAME where COND"). */
int lc_query_has_where(const char *item);

/* Parse one question of kind `kind` from text (count, reduce and top: one
 * list item; pareto: the whole value; frontier: one item) and append it to
 * s->questions.  Errors name file:line and what was expected. */
lc_status lc_query_add(lc_spec *s, lc_qkind kind, const char *text, const char *file,
                       int line, lc_diag *d);

/* Free the questions' compiled conditions (lc_spec_free calls it). */
void lc_query_free(lc_spec *s);

/* Name and unit of an operand id (an output's, a formula's or an input's). */
const char *lc_query_operand_name(const lc_spec *s, int id);
const char *lc_query_operand_unit(const lc_spec *s, int id);

#endif
