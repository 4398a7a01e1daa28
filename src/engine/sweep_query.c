/*
 * sweep_query.c - the question scan (sweep_query.h).
 *
 * Questions whose operands depend on the same axes share one scan of that
 * sub-grid: each chunk evaluates every operand once (outputs by the
 * vectorized kernel, inputs from the axis values), each condition once by
 * the expression program over the whole chunk, then every question folds
 * its rows into a per-chunk partial (query.h).  Chunks are scanned in
 * batches by OpenMP threads (and split among MPI ranks); the partials are
 * serialised, gathered and folded in chunk order by one thread, so the
 * answer is the same for any thread or rank count.  Memory: threads x
 * operands x chunk, plus the fronts and top-k lists themselves.
 *
 * The answers are over the FULL grid: a sub-grid point stands for every
 * full-grid point that differs only on the other axes.  Counts are scaled,
 * min/max coordinates and front representatives put the other axes at 0
 * (the smallest full-grid index), a front's multiplicity counts every
 * full-grid point with its objective vector, and a top-k list is expanded to
 * the k best full-grid points (ties by full-grid index).
 *
 * Frontiers scan the output's sub-grid with chunks holding the whole axis
 * and take, on every line along it, the first crossing of the threshold:
 * a grid point equal to it, or the linear interpolation between the two
 * neighbouring points whose values lie on either side.
 */
#include "engine/sweep_query.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr.h"
#include "model/formula.h"
#include "par/par_mpi.h"

#define Q_BATCH 256 /* chunks per parallel loop and rank */
#define Q_MAX_OPS 64
#define FRONTIER_MAX_POINTS ((uint64_t)1 << 27)

static uint32_t operand_mask(const lc_plan *p, int id)
{
    if (id < LC_OUT_MAX)
        return p->out_axes[id];
    int i = id - LC_OUT_MAX, a = p->input_axis[i], a2 = p->input_axis2[i];
    return (a < 0 ? 0 : (uint32_t)1 << a) | (a2 < 0 ? 0 : (uint32_t)1 << a2);
}

/* Input i at full-grid coordinates c (one axis, or two: input_axis2). */
static double point_input(const lc_plan *p, int i, const uint64_t *c)
{
    int a = p->input_axis[i], a2 = p->input_axis2[i];
    if (a < 0)
        return p->fixed[i];
    if (a2 >= 0)
        return p->input_vals[i][c[a] * p->axis_n[a2] + c[a2]];
    return p->input_vals[i][c[a]];
}

static uint32_t question_mask(const lc_plan *p, const lc_question *q)
{
    uint32_t m = 0;
    for (int i = 0; i < q->n_obj; i++)
        m |= operand_mask(p, q->obj[i]);
    if (q->where != NULL)
        for (int k = 0; k < lc_expr_n_deps(q->where); k++)
            m |= operand_mask(p, lc_expr_dep(q->where, k));
    if (q->kind == LC_Q_FRONTIER)
        m |= (uint32_t)1 << q->axis;
    return m;
}

/* ---- byte blobs of per-chunk partials -------------------------------------- */
typedef struct {
    unsigned char *p;
    size_t n, cap;
    int oom;
} blob;

static void put(blob *b, const void *x, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (q == NULL) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
}

static const unsigned char *get(const unsigned char *p, void *x, size_t n)
{
    memcpy(x, p, n);
    return p + n;
}

/* ---- one group: the questions sharing a sub-grid ------------------------------ */
typedef struct {
    const lc_qscan *qs;
    lc_subgrid g;
    lc_tiling t;
    int nq, qi[LC_MAX_QUESTIONS];   /* question indices */
    int nops, ops[Q_MAX_OPS];       /* operand ids */
    int obj_op[LC_MAX_QUESTIONS][LC_Q_MAX_OBJ]; /* operand slot of each objective */
} group;

typedef struct {
    double *op[Q_MAX_OPS]; /* chunk buffers of the operands */
    double *cond;
    lc_front cand[LC_MAX_QUESTIONS]; /* Pareto candidates of the chunk, per question */
    lc_qtop top;
} tbuf;

static int op_slot(group *gr, int id)
{
    for (int i = 0; i < gr->nops; i++)
        if (gr->ops[i] == id)
            return i;
    if (gr->nops == Q_MAX_OPS)
        return -1;
    gr->ops[gr->nops] = id;
    return gr->nops++;
}

/* An input's values over the chunk, in the buffer layout (cshape). */
static void fill_input(const lc_plan *p, const lc_subgrid *g, int input, const uint64_t *origin,
                       const uint64_t *extent, const uint64_t *cshape, double *buf)
{
    int a = p->input_axis[input], j = -1, r = g->rank;
    for (int m = 0; m < r; m++)
        if (g->axis[m] == a)
            j = m;
    uint64_t n = 1;
    for (int m = 0; m < r; m++)
        n *= cshape[m];
    if (a >= 0 && p->input_axis2[input] >= 0) {
        /* a value over two axes: point by point over the extent */
        uint64_t local[LC_MAX_AXES] = {0}, full[LC_MAX_AXES] = {0}, np = 1;
        for (int m = 0; m < r; m++)
            np *= extent[m];
        for (uint64_t q = 0; q < np; q++) {
            uint64_t off = 0;
            for (int m = 0; m < r; m++) {
                full[g->axis[m]] = origin[m] + local[m];
                off = off * cshape[m] + local[m];
            }
            buf[off] = point_input(p, input, full);
            for (int m = r - 1; m >= 0; m--) {
                if (++local[m] < extent[m])
                    break;
                local[m] = 0;
            }
        }
        return;
    }
    if (a < 0 || j < 0) {
        double v = a < 0 ? p->fixed[input] : p->input_vals[input][0];
        for (uint64_t i = 0; i < n; i++)
            buf[i] = v;
        return;
    }
    /* the value of buffer point i depends on its coordinate along j only:
     * outer blocks of cshape[j] runs of `inner` equal values */
    uint64_t inner = 1, outer = n / cshape[j];
    for (int m = j + 1; m < r; m++)
        inner *= cshape[m];
    outer /= inner;
    const double *src = p->input_vals[input] + origin[j];
    double *q = buf;
    for (uint64_t o = 0; o < outer; o++)
        for (uint64_t c = 0; c < cshape[j]; c++) {
            double v = c < extent[j] ? src[c] : src[0];
            for (uint64_t i = 0; i < inner; i++)
                *q++ = v;
        }
}

/* The rows of a chunk: buffer offset, sub-grid flat index, length. */
typedef void (*row_fn)(void *u, size_t off, uint64_t idx, size_t len);

static void for_rows(const lc_subgrid *g, const uint64_t *origin, const uint64_t *extent,
                     const uint64_t *cshape, row_fn fn, void *u)
{
    int r = g->rank;
    if (r == 0) {
        fn(u, 0, 0, 1);
        return;
    }
    uint64_t local[LC_MAX_AXES] = {0}, gstride[LC_MAX_AXES], cstride[LC_MAX_AXES];
    gstride[r - 1] = cstride[r - 1] = 1;
    for (int j = r - 2; j >= 0; j--) {
        gstride[j] = gstride[j + 1] * g->dims[j + 1];
        cstride[j] = cstride[j + 1] * cshape[j + 1];
    }
    uint64_t nrows = 1;
    for (int j = 0; j < r - 1; j++)
        nrows *= extent[j];
    for (uint64_t q = 0; q < nrows; q++) {
        uint64_t off = 0, idx = origin[r - 1];
        for (int j = 0; j < r - 1; j++) {
            off += local[j] * cstride[j];
            idx += (origin[j] + local[j]) * gstride[j];
        }
        fn(u, (size_t)off, idx, (size_t)extent[r - 1]);
        for (int j = r - 2; j >= 0; j--) {
            if (++local[j] < extent[j])
                break;
            local[j] = 0;
        }
    }
}

typedef struct {
    const lc_question *q;
    const double *v[LC_Q_MAX_OBJ];
    const double *c;
    uint64_t count;
    lc_qred red;
    lc_qtop *top;
    lc_front *front;
    int oom;
} row_ctx;

static void row_question(void *u, size_t off, uint64_t idx, size_t len)
{
    row_ctx *x = u;
    const double *c = x->c ? x->c + off : NULL;
    if (c == NULL)
        x->count += len;
    else
        for (size_t i = 0; i < len; i++)
            x->count += c[i] != 0.0;
    switch (x->q->kind) {
    case LC_Q_REDUCE:
        lc_qred_row(&x->red, x->v[0] + off, c, len, idx);
        break;
    case LC_Q_TOP:
        lc_qtop_row(x->top, x->v[0] + off, c, len, idx, x->q->maximise[0]);
        break;
    case LC_Q_PARETO: {
        int m = x->q->n_obj;
        for (size_t i = 0; i < len; i++) {
            if (c != NULL && c[i] == 0.0)
                continue;
            double key[LC_Q_MAX_OBJ];
            int nan = 0;
            for (int o = 0; o < m; o++) {
                double v = x->v[o][off + i];
                nan |= v != v;
                key[o] = x->q->maximise[o] ? -v : v;
            }
            if (!nan && !lc_front_offer(x->front, key, idx + i))
                x->oom = 1;
        }
        break;
    }
    default:
        break;
    }
}

/* Evaluate chunk ch of the group and serialise every question's partial. */
static void scan_chunk(const group *gr, tbuf *tb, lc_plan_ws *ws, uint64_t ch, blob *out)
{
    const lc_qscan *qs = gr->qs;
    const lc_spec *s = qs->s;
    uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES];
    lc_tiling_chunk(&gr->t, ch, origin, extent);
    for (int i = 0; i < gr->nops; i++) {
        int id = gr->ops[i];
        if (id < LC_OUT_MAX)
            lc_plan_eval_chunk(qs->p, qs->k, ws, id, &gr->g, origin, extent, gr->t.chunk,
                               tb->op[i]);
        else
            fill_input(qs->p, &gr->g, id - LC_OUT_MAX, origin, extent, gr->t.chunk, tb->op[i]);
    }
    size_t npts = (size_t)gr->t.chunk_points;
    for (int k = 0; k < gr->nq; k++) {
        const lc_question *q = &s->questions[gr->qi[k]];
        row_ctx x;
        memset(&x, 0, sizeof x);
        x.q = q;
        if (q->where != NULL) {
            const double *ops[LC_EXPR_MAX_DEPS];
            for (int j = 0; j < lc_expr_n_deps(q->where); j++) {
                int id = lc_expr_dep(q->where, j);
                for (int i = 0; i < gr->nops; i++)
                    if (gr->ops[i] == id)
                        ops[j] = tb->op[i];
            }
            lc_expr_eval(q->where, ops, npts, tb->cond);
            x.c = tb->cond;
        }
        for (int o = 0; o < q->n_obj; o++)
            x.v[o] = tb->op[gr->obj_op[k][o]];
        lc_qred_init(&x.red);
        tb->top.n = 0;
        tb->top.k = q->k;
        x.top = &tb->top;
        lc_front *cand = &tb->cand[k];
        cand->n = cand->n_front = 0;
        x.front = cand;
        for_rows(&gr->g, origin, extent, gr->t.chunk, row_question, &x);
        put(out, &x.count, sizeof x.count);
        if (q->kind == LC_Q_REDUCE) {
            put(out, &x.red, sizeof x.red);
        } else if (q->kind == LC_Q_TOP) {
            int32_t n = tb->top.n;
            put(out, &n, sizeof n);
            put(out, tb->top.e, (size_t)n * sizeof *tb->top.e);
        } else if (q->kind == LC_Q_PARETO) {
            if (!x.oom && !lc_front_reduce(cand))
                x.oom = 1;
            uint64_t n = x.oom ? UINT64_MAX : cand->n;
            put(out, &n, sizeof n);
            if (!x.oom) {
                put(out, cand->key, (size_t)n * (size_t)q->n_obj * sizeof(double));
                put(out, cand->idx, (size_t)n * sizeof(uint64_t));
                put(out, cand->mult, (size_t)n * sizeof(uint64_t));
            }
            cand->n = cand->n_front = 0; /* keep the arrays for the next chunk, drop the points */
        }
    }
}

/* Fold one chunk's blob into the totals; 0 on a failed allocation. */
typedef struct {
    uint64_t count;
    lc_qred red;
    lc_qtop top;
    lc_front front;
} total;

static int fold_blob(const group *gr, const unsigned char *p, total *tot)
{
    const lc_spec *s = gr->qs->s;
    for (int k = 0; k < gr->nq; k++) {
        const lc_question *q = &s->questions[gr->qi[k]];
        uint64_t cnt;
        p = get(p, &cnt, sizeof cnt);
        tot[k].count += cnt;
        if (q->kind == LC_Q_REDUCE) {
            lc_qred b;
            p = get(p, &b, sizeof b);
            lc_qred_fold(&tot[k].red, &b);
        } else if (q->kind == LC_Q_TOP) {
            int32_t n;
            p = get(p, &n, sizeof n);
            for (int32_t i = 0; i < n; i++) {
                lc_qtop_ent e;
                p = get(p, &e, sizeof e);
                lc_qtop_add(&tot[k].top, e.key, e.idx);
            }
        } else if (q->kind == LC_Q_PARETO) {
            uint64_t n;
            p = get(p, &n, sizeof n);
            if (n == UINT64_MAX)
                return 0;
            lc_front b;
            lc_front_init(&b, q->n_obj);
            b.n = b.cap = (size_t)n;
            size_t m = (size_t)q->n_obj;
            b.key = malloc((n ? n : 1) * m * sizeof *b.key);
            b.idx = malloc((n ? n : 1) * sizeof *b.idx);
            b.mult = malloc((n ? n : 1) * sizeof *b.mult);
            int ok = b.key && b.idx && b.mult;
            if (ok) {
                p = get(p, b.key, n * m * sizeof *b.key);
                p = get(p, b.idx, n * sizeof *b.idx);
                p = get(p, b.mult, n * sizeof *b.mult);
                ok = lc_front_fold(&tot[k].front, &b);
            }
            lc_front_free(&b);
            if (!ok)
                return 0;
        }
    }
    return 1;
}

static void to_full(const lc_subgrid *g, uint64_t flat, int n_axes, uint64_t *full)
{
    uint64_t co[LC_MAX_AXES];
    lc_grid_unflat(g->dims, g->rank, flat, co);
    for (int a = 0; a < n_axes; a++)
        full[a] = 0;
    for (int j = 0; j < g->rank; j++)
        full[g->axis[j]] = co[j];
}

typedef struct {
    double key;
    uint64_t full;
    uint64_t coord[LC_MAX_AXES];
} top_row;

static int cmp_top(const void *a, const void *b)
{
    const top_row *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->full < y->full ? -1 : x->full > y->full;
}

/* The k best full-grid points from the sub-grid's k best (each stands for
 * its copies along the other axes, in full-grid index order). */
static lc_status finish_top(const lc_qscan *qs, const lc_question *q, const lc_subgrid *g,
                            const lc_qtop *t, lc_qresult *res, lc_diag *d)
{
    const lc_spec *s = qs->s;
    const lc_plan *p = qs->p;
    int na = s->n_axes, in_g[LC_MAX_AXES] = {0};
    for (int j = 0; j < g->rank; j++)
        in_g[g->axis[j]] = 1;
    size_t cap = (size_t)t->n * (size_t)q->k + 1;
    top_row *rows = malloc(cap * sizeof *rows);
    if (rows == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    size_t n = 0;
    for (int i = 0; i < t->n; i++) {
        uint64_t c[LC_MAX_AXES];
        to_full(g, t->e[i].idx, na, c);
        for (int copies = 0; copies < q->k; copies++) {
            rows[n].key = t->e[i].key;
            memcpy(rows[n].coord, c, sizeof c);
            rows[n].full = lc_grid_flat(p->axis_n, na, c);
            n++;
            /* next copy: odometer over the other axes, the last fastest */
            int a = na - 1;
            for (; a >= 0; a--) {
                if (in_g[a])
                    continue;
                if (++c[a] < p->axis_n[a])
                    break;
                c[a] = 0;
            }
            if (a < 0)
                break; /* every copy listed */
        }
    }
    qsort(rows, n, sizeof *rows, cmp_top);
    res->n_top = n < (size_t)q->k ? (int)n : q->k;
    size_t nt = (size_t)res->n_top, ns = (size_t)s->n_store;
    res->top_coord = malloc((nt * (size_t)na + 1) * sizeof *res->top_coord);
    res->top_value = malloc((nt + 1) * sizeof *res->top_value);
    res->top_stored = malloc((nt * ns + 1) * sizeof *res->top_stored);
    if (!res->top_coord || !res->top_value || !res->top_stored) {
        free(rows);
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < nt; i++) {
        memcpy(res->top_coord + i * (size_t)na, rows[i].coord, (size_t)na * sizeof(uint64_t));
        res->top_value[i] = q->maximise[0] ? -rows[i].key : rows[i].key;
        /* every value at the point: inputs, built-in outputs, formulas in order */
        double v[LC_VALUE_COUNT];
        for (int j = 0; j < LC_VALUE_COUNT; j++)
            v[j] = NAN;
        for (int j = 0; j < LC_IN_COUNT; j++)
            v[j] = point_input(p, j, rows[i].coord);
        lc_model_eval(v, v + LC_VALUE_OF_OUTPUT(0));
        lc_formulas_eval_point(&s->formulas, v);
        for (size_t j = 0; j < ns; j++)
            res->top_stored[i * ns + j] = v[LC_VALUE_OF_OUTPUT(s->store[j])];
    }
    free(rows);
    return LC_OK;
}

static void finish(const lc_qscan *qs, const group *gr, total *tot, lc_sweep_result *r)
{
    const lc_spec *s = qs->s;
    uint64_t other = qs->p->grid_points / gr->t.points;
    for (int k = 0; k < gr->nq; k++) {
        const lc_question *q = &s->questions[gr->qi[k]];
        lc_qresult *res = &r->q[gr->qi[k]];
        res->count = tot[k].count * other;
        res->share = (double)res->count / (double)qs->p->grid_points;
        if (q->kind == LC_Q_REDUCE) {
            const lc_qred *red = &tot[k].red;
            res->red = *red;
            res->valid = red->imin != UINT64_MAX;
            res->min = res->valid ? red->min : NAN;
            res->max = res->valid ? red->max : NAN;
            res->mean = red->n > 0 ? red->sum / (double)red->n : NAN;
            res->count_nan = red->nnan * other;
            res->count_inf = red->ninf * other;
            to_full(&gr->g, res->valid ? red->imin : 0, s->n_axes, res->argmin);
            to_full(&gr->g, res->valid ? red->imax : 0, s->n_axes, res->argmax);
        }
    }
}

static lc_status finish_front(const lc_qscan *qs, const group *gr, const lc_question *q,
                              const lc_front *f, lc_qresult *res, lc_diag *d)
{
    int na = qs->s->n_axes, m = q->n_obj;
    uint64_t other = qs->p->grid_points / gr->t.points;
    res->n_front = f->n;
    res->front_coord = malloc((f->n * (size_t)na + 1) * sizeof *res->front_coord);
    res->front_value = malloc((f->n * (size_t)m + 1) * sizeof *res->front_value);
    res->front_mult = malloc((f->n + 1) * sizeof *res->front_mult);
    if (!res->front_coord || !res->front_value || !res->front_mult)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        to_full(&gr->g, f->idx[i], na, res->front_coord + i * (size_t)na);
        for (int o = 0; o < m; o++) {
            double key = f->key[i * (size_t)m + (size_t)o];
            res->front_value[i * (size_t)m + (size_t)o] = q->maximise[o] ? -key : key;
        }
        res->front_mult[i] = f->mult[i] * other;
    }
    return LC_OK;
}

static int is_cancelled(const lc_qscan *qs)
{
    return qs->cancel != NULL && *qs->cancel;
}

static lc_status scan_group(group *gr, lc_sweep_result *r, lc_diag *d)
{
    const lc_qscan *qs = gr->qs;
    const lc_spec *s = qs->s;
    lc_status st = LC_OK;
    int nt = qs->nt;
    size_t npts = (size_t)gr->t.chunk_points;
    tbuf *tb = calloc((size_t)nt, sizeof *tb);
    total *tot = calloc((size_t)gr->nq, sizeof *tot);
    int nranks = lc_par_size(), me = lc_par_rank();
    uint64_t batch = (uint64_t)Q_BATCH * (uint64_t)nranks;
    blob *blobs = calloc((size_t)batch, sizeof *blobs);
    int kmax = 1;
    for (int k = 0; k < gr->nq; k++)
        if (s->questions[gr->qi[k]].k > kmax)
            kmax = s->questions[gr->qi[k]].k;
    int ok = tb != NULL && tot != NULL && blobs != NULL;
    for (int i = 0; ok && i < nt; i++) {
        for (int j = 0; ok && j < gr->nops; j++)
            ok = (tb[i].op[j] = calloc(npts, sizeof(double))) != NULL;
        ok = ok && (tb[i].cond = calloc(npts, sizeof(double))) != NULL &&
             lc_qtop_init(&tb[i].top, kmax);
        for (int k = 0; k < gr->nq; k++)
            lc_front_init(&tb[i].cand[k], s->questions[gr->qi[k]].n_obj > 0
                                              ? s->questions[gr->qi[k]].n_obj : 1);
    }
    for (int k = 0; ok && k < gr->nq; k++) {
        const lc_question *q = &s->questions[gr->qi[k]];
        lc_qred_init(&tot[k].red);
        ok = lc_qtop_init(&tot[k].top, q->k > 0 ? q->k : 1);
        lc_front_init(&tot[k].front, q->n_obj > 0 ? q->n_obj : 1);
    }
    if (!ok) {
        st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (uint64_t b0 = 0; b0 < gr->t.n_chunks; b0 += batch) {
        uint64_t nb = gr->t.n_chunks - b0 < batch ? gr->t.n_chunks - b0 : batch;
        uint64_t ra = 0, rb = nb;
        if (nranks > 1)
            lc_partition(nb, (uint64_t)nranks, (uint64_t)me, &ra, &rb);
        for (uint64_t i = 0; i < nb; i++)
            blobs[i].n = 0;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
        for (uint64_t i = ra; i < rb; i++) {
            int th = omp_get_thread_num();
            scan_chunk(gr, &tb[th], qs->ws[th], b0 + i, &blobs[i]);
        }
        int oom = 0;
        for (uint64_t i = ra; i < rb; i++)
            oom |= blobs[i].oom;
        if (nranks > 1) {
            /* every rank gets every chunk's blob: sizes first, then bytes */
            uint64_t *sz = malloc((size_t)nb * sizeof *sz), mine = 0;
            size_t *bytes = malloc((size_t)nranks * sizeof *bytes);
            unsigned char *all = NULL, *my = NULL;
            ok = sz != NULL && bytes != NULL;
            if (ok) {
                uint64_t mysz[Q_BATCH];
                for (uint64_t i = ra; i < rb; i++) {
                    mysz[i - ra] = blobs[i].n;
                    mine += blobs[i].n;
                }
                for (int q = 0; q < nranks; q++) {
                    uint64_t qa, qb;
                    lc_partition(nb, (uint64_t)nranks, (uint64_t)q, &qa, &qb);
                    bytes[q] = (size_t)(qb - qa) * sizeof *sz;
                }
                lc_par_allgather(mysz, (size_t)(rb - ra) * sizeof *sz, sz, bytes);
                size_t total_bytes = 0;
                for (int q = 0; q < nranks; q++) {
                    uint64_t qa, qb;
                    lc_partition(nb, (uint64_t)nranks, (uint64_t)q, &qa, &qb);
                    bytes[q] = 0;
                    for (uint64_t i = qa; i < qb; i++)
                        bytes[q] += (size_t)sz[i];
                    total_bytes += bytes[q];
                }
                my = malloc(mine ? (size_t)mine : 1);
                all = malloc(total_bytes ? total_bytes : 1);
                ok = my != NULL && all != NULL;
                if (ok) {
                    size_t o = 0;
                    for (uint64_t i = ra; i < rb; i++) {
                        memcpy(my + o, blobs[i].p, blobs[i].n);
                        o += blobs[i].n;
                    }
                    lc_par_allgather(my, (size_t)mine, all, bytes);
                    o = 0;
                    for (uint64_t i = 0; i < nb && ok; i++) {
                        blob tmp = {0};
                        put(&tmp, all + o, (size_t)sz[i]);
                        o += (size_t)sz[i];
                        free(blobs[i].p);
                        blobs[i] = tmp;
                        ok = !tmp.oom;
                    }
                }
            }
            free(sz);
            free(bytes);
            free(my);
            free(all);
            oom |= !ok;
        }
        for (uint64_t i = 0; i < nb && !oom; i++)
            oom = !fold_blob(gr, blobs[i].p, tot);
        if (lc_par_any(oom)) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0,
                             "out of memory (a Pareto front or the partials do not fit)");
            goto out;
        }
        r->q_chunks += nb;
        if (qs->progress) {
            uint64_t pts = 0;
            for (uint64_t i = 0; i < nb; i++) {
                uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES], q = 1;
                lc_tiling_chunk(&gr->t, b0 + i, origin, extent);
                for (int j = 0; j < gr->g.rank; j++)
                    q *= extent[j];
                pts += q;
            }
            qs->progress(qs->user, pts);
        }
        if (lc_par_any(is_cancelled(qs))) {
            st = lc_diag_set(d, LC_EINTR, NULL, 0, "interrupted");
            goto out;
        }
    }
    finish(qs, gr, tot, r);
    for (int k = 0; k < gr->nq && st == LC_OK; k++) {
        const lc_question *q = &s->questions[gr->qi[k]];
        if (q->kind == LC_Q_TOP)
            st = finish_top(qs, q, &gr->g, &tot[k].top, &r->q[gr->qi[k]], d);
        else if (q->kind == LC_Q_PARETO)
            st = finish_front(qs, gr, q, &tot[k].front, &r->q[gr->qi[k]], d);
    }
out:
    for (int i = 0; tb != NULL && i < nt; i++) {
        for (int j = 0; j < gr->nops; j++)
            free(tb[i].op[j]);
        free(tb[i].cond);
        lc_qtop_free(&tb[i].top);
        for (int k = 0; k < gr->nq; k++)
            lc_front_free(&tb[i].cand[k]);
    }
    for (int k = 0; tot != NULL && k < gr->nq; k++) {
        lc_qtop_free(&tot[k].top);
        lc_front_free(&tot[k].front);
    }
    for (uint64_t i = 0; blobs != NULL && i < batch; i++)
        free(blobs[i].p);
    free(blobs);
    free(tot);
    free(tb);
    return st;
}

/* ---- frontiers -------------------------------------------------------------- */
static double crossing(const double *v, size_t stride, const double *x, uint64_t n, double thr)
{
    for (uint64_t k = 0; k < n; k++) {
        double f = v[k * stride];
        if (f == thr)
            return x[k];
        if (k > 0) {
            double f0 = v[(k - 1) * stride];
            if (f0 == f0 && f == f && ((f0 < thr && f > thr) || (f0 > thr && f < thr)))
                return x[k - 1] + (thr - f0) * (x[k] - x[k - 1]) / (f - f0);
        }
    }
    return NAN;
}

static lc_status run_frontier(const lc_qscan *qs, const lc_question *q, lc_qresult *res,
                              lc_diag *d)
{
    const lc_plan *p = qs->p;
    const lc_spec *s = qs->s;
    lc_subgrid g;
    lc_plan_subgrid(p, question_mask(p, q), &g);
    int r = g.rank, j = -1;
    for (int m = 0; m < r; m++)
        if (g.axis[m] == q->axis)
            j = m;
    /* the result: every dimension but j */
    res->fr_rank = 0;
    res->fr_points = 1;
    for (int m = 0; m < r; m++)
        if (m != j) {
            res->fr_axis[res->fr_rank] = g.axis[m];
            res->fr_dims[res->fr_rank++] = g.dims[m];
            res->fr_points *= g.dims[m];
        }
    if (res->fr_points > FRONTIER_MAX_POINTS)
        return lc_diag_set(d, LC_ERANGE, s->path, q->line,
                           "frontier '%s': %llu points over the other axes (at most %llu are "
                           "held in memory)", q->text, (unsigned long long)res->fr_points,
                           (unsigned long long)FRONTIER_MAX_POINTS);
    res->frontier = malloc((size_t)res->fr_points * sizeof *res->frontier);
    if (res->frontier == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    /* chunks: the whole axis j, the dimensions after it whole while they fit,
     * the ones before it one at a time */
    lc_tiling t;
    memset(&t, 0, sizeof t);
    t.rank = r;
    uint64_t cp = g.dims[j];
    for (int m = 0; m < r; m++) {
        t.dims[m] = g.dims[m];
        t.chunk[m] = m == j ? g.dims[m] : 1;
    }
    for (int m = r - 1; m > j; m--) {
        uint64_t take = g.dims[m];
        if (cp * take > qs->buf_pts)
            take = qs->buf_pts / cp > 0 ? qs->buf_pts / cp : 1;
        t.chunk[m] = take;
        cp *= take;
        if (take < g.dims[m])
            break;
    }
    t.n_chunks = 1;
    t.points = 1;
    t.chunk_points = 1;
    for (int m = 0; m < r; m++) {
        t.nchunk[m] = (t.dims[m] + t.chunk[m] - 1) / t.chunk[m];
        t.n_chunks *= t.nchunk[m];
        t.points *= t.dims[m];
        t.chunk_points *= t.chunk[m];
    }
    const double *xv = s->axes[q->axis].values; /* the crossing in the axis' own values */
    double **bufs = calloc((size_t)qs->nt, sizeof *bufs);
    int ok = bufs != NULL;
    for (int i = 0; ok && i < qs->nt; i++)
        ok = (bufs[i] = malloc((size_t)t.chunk_points * sizeof(double))) != NULL;
    if (!ok) {
        for (int i = 0; bufs != NULL && i < qs->nt; i++)
            free(bufs[i]);
        free(bufs);
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    }
    uint64_t crossed = 0;
    /* every rank computes every line (the frontier is one output's sub-grid) */
#pragma omp parallel for num_threads(qs->nt) schedule(dynamic, 1) reduction(+ : crossed)
    for (uint64_t ch = 0; ch < t.n_chunks; ch++) {
        int th = omp_get_thread_num();
        uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES];
        lc_tiling_chunk(&t, ch, origin, extent);
        double *buf = bufs[th];
        lc_plan_eval_chunk(p, qs->k, qs->ws[th], q->obj[0], &g, origin, extent, t.chunk, buf);
        uint64_t cstride[LC_MAX_AXES];
        cstride[r - 1] = 1;
        for (int m = r - 2; m >= 0; m--)
            cstride[m] = cstride[m + 1] * t.chunk[m + 1];
        /* every line: odometer over the dimensions but j */
        uint64_t local[LC_MAX_AXES] = {0};
        for (;;) {
            uint64_t off = 0, flat = 0;
            for (int m = 0; m < r; m++) {
                if (m == j)
                    continue;
                off += local[m] * cstride[m];
                flat = flat * g.dims[m] + origin[m] + local[m];
            }
            double x = crossing(buf + off, (size_t)cstride[j], xv, g.dims[j], q->threshold);
            res->frontier[flat] = x;
            crossed += x == x;
            int m = r - 1;
            for (; m >= 0; m--) {
                if (m == j)
                    continue;
                if (++local[m] < extent[m])
                    break;
                local[m] = 0;
            }
            if (m < 0)
                break;
        }
    }
    res->fr_crossed = crossed;
    for (int i = 0; i < qs->nt; i++)
        free(bufs[i]);
    free(bufs);
    if (qs->progress)
        qs->progress(qs->user, t.points);
    return LC_OK;
}

uint64_t lc_sweep_questions_points(const lc_spec *s, const lc_plan *p)
{
    uint64_t tot = 0;
    uint32_t seen[LC_MAX_QUESTIONS];
    int ns = 0;
    for (int i = 0; i < s->n_questions; i++) {
        uint32_t m = question_mask(p, &s->questions[i]);
        int dup = 0;
        for (int j = 0; j < ns && s->questions[i].kind != LC_Q_FRONTIER; j++)
            dup |= seen[j] == m;
        if (dup)
            continue;
        if (s->questions[i].kind != LC_Q_FRONTIER)
            seen[ns++] = m;
        lc_subgrid g;
        uint64_t q = 1;
        lc_plan_subgrid(p, m, &g);
        for (int j = 0; j < g.rank; j++)
            q *= g.dims[j];
        tot += q;
    }
    return tot;
}

lc_status lc_sweep_questions(const lc_qscan *qs, lc_sweep_result *r, lc_diag *d)
{
    const lc_spec *s = qs->s;
    const lc_plan *p = qs->p;
    int done[LC_MAX_QUESTIONS] = {0};
    lc_status st = LC_OK;
    r->n_q = s->n_questions;
    for (int i = 0; i < s->n_questions && st == LC_OK; i++) {
        if (done[i])
            continue;
        const lc_question *q = &s->questions[i];
        if (q->kind == LC_Q_FRONTIER) {
            done[i] = 1;
            st = run_frontier(qs, q, &r->q[i], d);
            continue;
        }
        group *gr = calloc(1, sizeof *gr);
        if (gr == NULL)
            return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        gr->qs = qs;
        uint32_t mask = question_mask(p, q);
        for (int j = i; j < s->n_questions; j++) {
            const lc_question *qj = &s->questions[j];
            if (done[j] || qj->kind == LC_Q_FRONTIER || question_mask(p, qj) != mask)
                continue;
            done[j] = 1;
            int k = gr->nq++;
            gr->qi[k] = j;
            for (int o = 0; o < qj->n_obj; o++)
                gr->obj_op[k][o] = op_slot(gr, qj->obj[o]);
            if (qj->where != NULL)
                for (int m = 0; m < lc_expr_n_deps(qj->where); m++)
                    op_slot(gr, lc_expr_dep(qj->where, m));
        }
        for (int k = 0; k < gr->nq; k++)
            for (int o = 0; o < s->questions[gr->qi[k]].n_obj; o++)
                if (gr->obj_op[k][o] < 0 || gr->nops == Q_MAX_OPS)
                    st = lc_diag_set(d, LC_ERANGE, s->path, q->line,
                                     "the questions use more than %d distinct outputs and "
                                     "inputs", Q_MAX_OPS - 1);
        lc_plan_subgrid(p, mask, &gr->g);
        if (st == LC_OK)
            st = lc_tiling_init(&gr->t, gr->g.rank, gr->g.dims, 8, qs->buf_pts * 8, d);
        if (st == LC_OK)
            st = scan_group(gr, r, d);
        free(gr);
    }
    return st;
}
