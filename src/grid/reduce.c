/*
 * reduce.c - how per-chunk reduction partials fold, in chunk order (see
 * reduce.h).  Pure arithmetic: the same partials give the same fold on
 * every machine, whoever computed them.
 */
#include "grid/reduce.h"

#include <math.h>
#include <string.h>

void lc_red_partial_init(lc_red_partial *p)
{
    memset(p, 0, sizeof *p);
    p->min = INFINITY;
    p->max = -INFINITY;
    p->imin = p->imax = UINT64_MAX;
}

void lc_red_partial_fold(lc_red_partial *a, const lc_red_partial *b, int n_conds)
{
    /* b covers later points: on equal values a's (smaller) index stays,
     * unless a has none yet (UINT64_MAX) */
    if (b->min < a->min || (b->min == a->min && b->imin < a->imin)) {
        a->min = b->min;
        a->imin = b->imin;
    }
    if (b->max > a->max || (b->max == a->max && b->imax < a->imax)) {
        a->max = b->max;
        a->imax = b->imax;
    }
    a->sum += b->sum;
    a->nnan += b->nnan;
    a->ninf += b->ninf;
    a->n += b->n;
    for (int c = 0; c < n_conds; c++)
        a->cnt[c] += b->cnt[c];
}
