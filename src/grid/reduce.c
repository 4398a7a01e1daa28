/*
 * reduce.c - how per-chunk reduction partials fold, in chunk order (see
 * reduce.h).  Pure arithmetic: the same partials give the same fold on
 * every machine, whoever computed them.
 */
#include "grid/reduce.h"

#include <math.h>

void lc_red_partial_init(lc_red_partial *p)
{
    p->min = INFINITY;
    p->max = -INFINITY;
    p->sum = 0.0;
    p->argmin = p->argmax = UINT64_MAX;
    p->n_finite = p->n_nan = 0;
}

void lc_red_partial_fold(lc_red_partial *acc, const lc_red_partial *p)
{
    /* p covers later points: on equal values acc's (smaller) index stays,
     * unless acc has none yet. */
    if (p->argmin != UINT64_MAX &&
        (acc->argmin == UINT64_MAX || p->min < acc->min ||
         (p->min == acc->min && p->argmin < acc->argmin))) {
        acc->min = p->min;
        acc->argmin = p->argmin;
    }
    if (p->argmax != UINT64_MAX &&
        (acc->argmax == UINT64_MAX || p->max > acc->max ||
         (p->max == acc->max && p->argmax < acc->argmax))) {
        acc->max = p->max;
        acc->argmax = p->argmax;
    }
    acc->sum += p->sum;
    acc->n_finite += p->n_finite;
    acc->n_nan += p->n_nan;
}
