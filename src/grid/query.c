/*
 * query.c - partials of the questions over the grid (query.h): constrained
 * reductions, top-k lists and Pareto fronts, built from rows of values and
 * condition masks and folded exactly.
 *
 * A Pareto front is reduced by sorting its candidates lexicographically by
 * (objective keys, index): equal vectors are then adjacent (the first has
 * the smallest index and takes the others' multiplicities), and a point can
 * only be dominated by one before it; with two objectives one sweep keeping
 * the smallest second key decides, with more each point is checked against
 * the kept ones.  The result is the non-dominated set itself, so folding
 * per-chunk fronts in any grouping gives the same front.
 */
#include "grid/query.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- constrained reduction ------------------------------------------------ */
void lc_qred_init(lc_qred *q)
{
    memset(q, 0, sizeof *q);
    q->min = INFINITY;
    q->max = -INFINITY;
    q->imin = q->imax = UINT64_MAX;
}

void lc_qred_row(lc_qred *q, const double *v, const double *c, size_t n, uint64_t idx0)
{
    for (size_t i = 0; i < n; i++) {
        if (c != NULL && c[i] == 0.0)
            continue;
        double x = v[i];
        q->count++;
        if (x != x) {
            q->nnan++;
            continue;
        }
        if (isinf(x))
            q->ninf++;
        else {
            q->sum += x;
            q->n++;
        }
        if (x < q->min || q->imin == UINT64_MAX) {
            q->min = x;
            q->imin = idx0 + i;
        }
        if (x > q->max || q->imax == UINT64_MAX) {
            q->max = x;
            q->imax = idx0 + i;
        }
    }
}

void lc_qred_fold(lc_qred *a, const lc_qred *b)
{
    if (b->imin != UINT64_MAX &&
        (a->imin == UINT64_MAX || b->min < a->min || (b->min == a->min && b->imin < a->imin))) {
        a->min = b->min;
        a->imin = b->imin;
    }
    if (b->imax != UINT64_MAX &&
        (a->imax == UINT64_MAX || b->max > a->max || (b->max == a->max && b->imax < a->imax))) {
        a->max = b->max;
        a->imax = b->imax;
    }
    a->sum += b->sum;
    a->count += b->count;
    a->n += b->n;
    a->nnan += b->nnan;
    a->ninf += b->ninf;
}

/* ---- top-k ------------------------------------------------------------------ */
int lc_qtop_init(lc_qtop *t, int k)
{
    t->k = k;
    t->n = 0;
    t->e = malloc((size_t)(k > 0 ? k : 1) * sizeof *t->e);
    return t->e != NULL;
}

void lc_qtop_free(lc_qtop *t)
{
    free(t->e);
    t->e = NULL;
    t->n = 0;
}

static int before(double ka, uint64_t ia, double kb, uint64_t ib)
{
    return ka < kb || (ka == kb && ia < ib);
}

void lc_qtop_add(lc_qtop *t, double key, uint64_t idx)
{
    if (t->n == t->k && !before(key, idx, t->e[t->n - 1].key, t->e[t->n - 1].idx))
        return;
    int j = t->n < t->k ? t->n++ : t->n - 1;
    while (j > 0 && before(key, idx, t->e[j - 1].key, t->e[j - 1].idx)) {
        t->e[j] = t->e[j - 1];
        j--;
    }
    t->e[j].key = key;
    t->e[j].idx = idx;
}

void lc_qtop_row(lc_qtop *t, const double *v, const double *c, size_t n, uint64_t idx0,
                 int maximise)
{
    for (size_t i = 0; i < n; i++) {
        if ((c != NULL && c[i] == 0.0) || v[i] != v[i])
            continue;
        double key = maximise ? -v[i] : v[i];
        /* the common case, rejected at once: no better than the k-th */
        if (t->n == t->k && key > t->e[t->n - 1].key)
            continue;
        lc_qtop_add(t, key, idx0 + i);
    }
}

void lc_qtop_fold(lc_qtop *acc, const lc_qtop *b)
{
    for (int i = 0; i < b->n; i++)
        lc_qtop_add(acc, b->e[i].key, b->e[i].idx);
}

/* ---- Pareto fronts ---------------------------------------------------------- */
void lc_front_init(lc_front *f, int m)
{
    memset(f, 0, sizeof *f);
    f->m = m;
}

void lc_front_free(lc_front *f)
{
    free(f->key);
    free(f->idx);
    free(f->mult);
    lc_front_init(f, f->m);
}

static int reserve(lc_front *f, size_t n)
{
    if (n <= f->cap)
        return 1;
    size_t cap = f->cap ? f->cap : 64;
    while (cap < n)
        cap *= 2;
    double *k = realloc(f->key, cap * (size_t)f->m * sizeof *k);
    if (k == NULL)
        return 0;
    f->key = k;
    uint64_t *i = realloc(f->idx, cap * sizeof *i);
    if (i == NULL)
        return 0;
    f->idx = i;
    uint64_t *u = realloc(f->mult, cap * sizeof *u);
    if (u == NULL)
        return 0;
    f->mult = u;
    f->cap = cap;
    return 1;
}

int lc_front_push(lc_front *f, const double *key, uint64_t idx, uint64_t mult)
{
    if (!reserve(f, f->n + 1))
        return 0;
    memcpy(f->key + f->n * (size_t)f->m, key, (size_t)f->m * sizeof *key);
    f->idx[f->n] = idx;
    f->mult[f->n] = mult;
    f->n++;
    return 1;
}

/* -1, 0, 1: candidate a before, equal to, after b in (keys, idx) order */
static int cmp_lex(const lc_front *f, size_t a, size_t b)
{
    const double *x = f->key + a * (size_t)f->m, *y = f->key + b * (size_t)f->m;
    for (int j = 0; j < f->m; j++) {
        if (x[j] < y[j])
            return -1;
        if (x[j] > y[j])
            return 1;
    }
    return f->idx[a] < f->idx[b] ? -1 : f->idx[a] > f->idx[b];
}

static int same_keys(const lc_front *f, size_t a, size_t b)
{
    const double *x = f->key + a * (size_t)f->m, *y = f->key + b * (size_t)f->m;
    for (int j = 0; j < f->m; j++)
        if (!(x[j] == y[j]))
            return 0;
    return 1;
}

/* 1 when kept point a dominates b (a <= b in every key; the vectors differ) */
static int dominates(const lc_front *f, size_t a, size_t b)
{
    const double *x = f->key + a * (size_t)f->m, *y = f->key + b * (size_t)f->m;
    for (int j = 0; j < f->m; j++)
        if (x[j] > y[j])
            return 0;
    return 1;
}

/* stable merge sort of the permutation p by cmp_lex */
static void sort_perm(const lc_front *f, size_t *p, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_perm(f, p, tmp, h);
    sort_perm(f, p + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_lex(f, p[j], p[i]) < 0 ? p[j++] : p[i++];
    while (i < h)
        tmp[k++] = p[i++];
    while (j < n)
        tmp[k++] = p[j++];
    memcpy(p, tmp, n * sizeof *p);
}

/* Replace f's rows by the n_kept rows of (key, idx, mult), arrays of
 * capacity cap it takes over. */
static void adopt(lc_front *f, double *key, uint64_t *idx, uint64_t *mult, size_t n_kept,
                  size_t cap)
{
    free(f->key);
    free(f->idx);
    free(f->mult);
    f->key = key;
    f->idx = idx;
    f->mult = mult;
    f->n = f->n_front = n_kept;
    f->cap = cap;
}

int lc_front_reduce(lc_front *f)
{
    if (f->n < 2) {
        f->n_front = f->n;
        return 1;
    }
    size_t n = f->n, m = (size_t)f->m;
    size_t *p = malloc(n * sizeof *p), *tmp = malloc(n * sizeof *tmp);
    double *key = malloc(n * m * sizeof *key);
    uint64_t *idx = malloc(n * sizeof *idx), *mult = malloc(n * sizeof *mult);
    if (!p || !tmp || !key || !idx || !mult) {
        free(p);
        free(tmp);
        free(key);
        free(idx);
        free(mult);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = i;
    sort_perm(f, p, tmp, n);
    /* kept points are written to the new arrays; `tmp` lists their old rows */
    size_t kept = 0;
    double best1 = INFINITY;
    int any = 0;
    for (size_t r = 0; r < n; r++) {
        size_t i = p[r];
        if (kept > 0 && same_keys(f, tmp[kept - 1], i)) {
            mult[kept - 1] += f->mult[i]; /* equal vector: the first keeps its index */
            continue;
        }
        int dom = 0;
        if (m == 2) {
            double k1 = f->key[i * m + 1];
            dom = any && !(k1 < best1);
            if (!dom) {
                best1 = k1;
                any = 1;
            }
        } else {
            for (size_t q = 0; q < kept && !dom; q++)
                dom = dominates(f, tmp[q], i);
        }
        /* a dominated point whose vector equals a later one: later copies
         * are dominated too (same keys), so skipping here is exact */
        if (dom)
            continue;
        tmp[kept] = i;
        memcpy(key + kept * m, f->key + i * m, m * sizeof *key);
        idx[kept] = f->idx[i];
        mult[kept] = f->mult[i];
        kept++;
    }
    free(p);
    free(tmp);
    adopt(f, key, idx, mult, kept, n);
    return 1;
}

int lc_front_offer(lc_front *f, const double *key, uint64_t idx)
{
    size_t m = (size_t)f->m, nf = f->n_front;
    size_t step = nf > 16 ? nf / 16 : 1;
    for (size_t j = 0; j < nf; j += step) {
        const double *x = f->key + j * m;
        int le = 1, lt = 0;
        for (size_t o = 0; o < m && le; o++) {
            le = x[o] <= key[o];
            lt |= x[o] < key[o];
        }
        if (le && lt)
            return 1; /* dominated by a front point: never on the front */
    }
    if (!lc_front_push(f, key, idx, 1))
        return 0;
    return f->n - f->n_front < 4096 + f->n_front || lc_front_reduce(f);
}

/* -1, 0, 1: row i of f before, equal to, after row j of g in (keys, idx) order */
static int cmp_rows(const lc_front *f, size_t i, const lc_front *g, size_t j)
{
    const double *x = f->key + i * (size_t)f->m, *y = g->key + j * (size_t)g->m;
    for (int o = 0; o < f->m; o++) {
        if (x[o] < y[o])
            return -1;
        if (x[o] > y[o])
            return 1;
    }
    return f->idx[i] < g->idx[j] ? -1 : f->idx[i] > g->idx[j];
}

/* Two fronts (each reduced: sorted, no dominated row, no equal vectors) are
 * merged in (keys, idx) order.  A row can only be dominated by an earlier
 * row of the OTHER front (a front's rows do not dominate each other, and
 * domination is transitive), so with more than two objectives each row is
 * checked against the kept rows of the other front only: |acc| x |b|, not
 * (|acc| + |b|)^2.  Equal vectors from both become one row (the first, with
 * the smaller index, keeps it; multiplicities add up). */
int lc_front_fold(lc_front *acc, const lc_front *b)
{
    if (b->n == 0)
        return 1;
    size_t na = acc->n, nb = b->n, n = na + nb, m = (size_t)acc->m;
    double *key = malloc(n * m * sizeof *key);
    uint64_t *idx = malloc(n * sizeof *idx), *mult = malloc(n * sizeof *mult);
    unsigned char *src = malloc(n);
    size_t *kept_pos[2];
    kept_pos[0] = malloc(n * sizeof(size_t));
    kept_pos[1] = malloc(n * sizeof(size_t));
    if (!key || !idx || !mult || !src || !kept_pos[0] || !kept_pos[1]) {
        free(key);
        free(idx);
        free(mult);
        free(src);
        free(kept_pos[0]);
        free(kept_pos[1]);
        return 0;
    }
    size_t nk[2] = {0, 0}, out = 0, i = 0, j = 0;
    double best1 = INFINITY;
    while (i < na || j < nb) {
        int from_b = i == na || (j < nb && cmp_rows(b, j, acc, i) < 0);
        const lc_front *f = from_b ? b : acc;
        size_t r = from_b ? j++ : i++;
        const double *x = f->key + r * m;
        if (out > 0) {
            const double *y = key + (out - 1) * m;
            int same = 1;
            for (size_t o = 0; o < m && same; o++)
                same = x[o] == y[o];
            if (same) {
                mult[out - 1] += f->mult[r];
                continue;
            }
        }
        int dom = 0;
        if (m == 2) {
            dom = out > 0 && !(x[1] < best1);
        } else {
            int other = !from_b;
            for (size_t q = 0; q < nk[other] && !dom; q++) {
                const double *y = key + kept_pos[other][q] * m;
                int le = 1;
                for (size_t o = 0; o < m && le; o++)
                    le = y[o] <= x[o];
                dom = le;
            }
        }
        if (dom)
            continue;
        if (m == 2)
            best1 = x[1];
        memcpy(key + out * m, x, m * sizeof *key);
        idx[out] = f->idx[r];
        mult[out] = f->mult[r];
        src[out] = (unsigned char)from_b;
        kept_pos[from_b][nk[from_b]++] = out;
        out++;
    }
    free(src);
    free(kept_pos[0]);
    free(kept_pos[1]);
    adopt(acc, key, idx, mult, out, n);
    return 1;
}

void lc_qresult_free(lc_qresult *r)
{
    free(r->top_coord);
    free(r->top_value);
    free(r->top_stored);
    free(r->front_coord);
    free(r->front_value);
    free(r->front_mult);
    free(r->frontier);
    memset(r, 0, sizeof *r);
}
