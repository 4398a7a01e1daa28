/*
 * sweep.c - the sweep engine (sweep.h): reductions over the full grid
 * from each output's sub-grid, then the stored datasets chunk by chunk.
 *
 * Work is done in batches of a fixed number of chunks (independent of the
 * thread count): an OpenMP loop evaluates (and encodes) the batch's chunks
 * into per-slot buffers, then the calling thread alone writes them in
 * order and folds the reduction partials in order.  So the file and every
 * reduction are bit-identical for any thread count, and memory is
 * slots x chunk size, whatever the grid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "grid/sweep_plan.h"
#include "kernel/kernel_isa.h"
#include "par/par_mpi.h"
#include "h5/h5_write.h"
#include "h5/h5_codec.h"
#include "kernel/kernel.h"
#include "engine/sweep.h"
#include "engine/sweep_query.h"
#include "util/path.h"

#define BATCH_PER_THREAD 1 /* chunk slots per thread and set: few, so they stay in cache */
#define RED_BATCH 1024 /* chunks per parallel loop: few barriers, ~0.2 MB of partials */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void lc_sweep_opts_init(lc_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sink = LC_SINK_FILE;
}

typedef struct {
    int output;
    lc_subgrid g;
    lc_tiling t;
    uint64_t first; /* global number of its first chunk */
} stored_ds;

static lc_status plan_stored(const lc_spec *s, const lc_plan *p, stored_ds *ds, int *n,
                             uint64_t *chunks, uint64_t *bytes, lc_diag *d)
{
    uint32_t all = s->n_axes ? (uint32_t)((1ull << s->n_axes) - 1) : 0;
    size_t es = s->float32 ? 4 : 8;
    uint64_t c = 0, b = 0;
    lc_status st;
    size_t target = s->chunk_bytes ? s->chunk_bytes : (size_t)1 << 20;
    *n = 0;
    for (int k = 0; k < s->n_store; k++) {
        stored_ds *x = &ds[*n];
        x->output = s->store[k];
        lc_plan_subgrid(p, s->layout == LC_LAYOUT_BROADCAST ? all : p->out_axes[x->output],
                        &x->g);
        if ((st = lc_tiling_init(&x->t, x->g.rank, x->g.dims, es, target, d)) != LC_OK)
            return st;
        x->first = c;
        uint64_t nb;
        if (!lc_mul_ok(x->t.points, es, &nb) || b + nb < b || c + x->t.n_chunks < c)
            return lc_diag_set(d, LC_ERANGE, s->path, 0, "the stored output is too large");
        b += nb;
        c += x->t.n_chunks;
        (*n)++;
    }
    *chunks = c;
    *bytes = b;
    return LC_OK;
}

/* Plans the sweep only to total its stored chunks and bytes; both public
   counters below are this one plan, so they can never disagree. */
static lc_status plan_totals(const lc_spec *s, uint64_t *chunks, uint64_t *bytes, lc_diag *d)
{
    lc_plan p;
    stored_ds ds[LC_OUT_MAX];
    int nds;
    lc_status st = lc_plan_init(&p, s, d);
    if (st == LC_OK)
        st = plan_stored(s, &p, ds, &nds, chunks, bytes, d);
    lc_plan_free(&p);
    return st;
}

lc_status lc_sweep_count_chunks(const lc_spec *s, uint64_t *n, lc_diag *d)
{
    uint64_t bytes;
    return plan_totals(s, n, &bytes, d);
}

lc_status lc_sweep_stored_bytes(const lc_spec *s, uint64_t *bytes, lc_diag *d)
{
    uint64_t n;
    return plan_totals(s, &n, bytes, d);
}

/* ---- reductions ------------------------------------------------------------ */

/* Reduce the valid part of one evaluated chunk into q: one scan per
 * contiguous run of the chunk buffer (trailing dimensions merged), in the
 * kernel's ISA path (whose results do not depend on the ISA). */
/* The rare chunk whose scan met +-inf (an overflowing output), read again
 * in plain C: min/max over every non-NaN value including +-inf (first
 * index on ties), the sum of the finite values only, and the count of
 * infinities.  Rows are walked exactly as in reduce_chunk.  A chunk
 * without infinities never comes here, so the engine's speed is unchanged. */
static void rescan_inf(const double *buf, uint64_t nrows, uint64_t rowlen, int ro,
                       const uint64_t *extent, const lc_tiling *t, uint64_t row_stride,
                       lc_scan *sc, uint64_t *ninf)
{
    uint64_t local[LC_MAX_AXES] = {0};
    double mn = 0, mx = 0, sum = 0;
    uint64_t imn = UINT64_MAX, imx = UINT64_MAX, nn = 0, ni = 0;
    for (uint64_t row = 0; row < nrows; row++) {
        uint64_t off = 0;
        for (int j = 0; j < ro; j++)
            off = off * t->chunk[j] + local[j];
        const double *v = buf + off * row_stride;
        for (uint64_t i = 0; i < rowlen; i++) {
            double x = v[i];
            uint64_t at = row * rowlen + i;
            if (x != x) {
                nn++;
                continue;
            }
            if (isinf(x))
                ni++;
            else
                sum += x;
            if (imn == UINT64_MAX || x < mn)
                mn = x, imn = at;
            if (imx == UINT64_MAX || x > mx)
                mx = x, imx = at;
        }
        for (int j = ro - 1; j >= 0; j--) {
            if (++local[j] < extent[j])
                break;
            local[j] = 0;
        }
    }
    sc->min = imn == UINT64_MAX ? INFINITY : mn;
    sc->max = imx == UINT64_MAX ? -INFINITY : mx;
    sc->imin = imn;
    sc->imax = imx;
    for (int k = 0; k < 8; k++)
        sc->lane[k] = k ? 0.0 : sum;
    sc->nnan = nn;
    *ninf = ni;
}

static void reduce_chunk(const lc_kernel_impl *ki, const lc_subgrid *g, const lc_tiling *t,
                         const uint64_t *origin, const uint64_t *extent, const double *buf,
                         const int *conds, int n_conds, const lc_spec *s, lc_red_partial *q)
{
    int r = g->rank;
    uint64_t rowlen = 1, nrows = 1, local[LC_MAX_AXES] = {0}, row_stride = 1;
    int ro = r ? r - lc_chunk_row_dims(r, extent, t->chunk, UINT64_MAX, UINT64_MAX, &rowlen) : 0;
    for (int j = 0; j < ro; j++)
        nrows *= extent[j];
    for (int j = ro; j < r; j++)
        row_stride *= t->chunk[j];
    lc_scan sc;
    uint64_t npts = nrows * rowlen;
    /* conditions as "v < c" or "v <= c" (> and >= are their complements
     * among the non-NaN points), LC_SCAN_CONDS per pass */
    for (int c0 = 0; c0 == 0 || c0 < n_conds; c0 += LC_SCAN_CONDS) {
        int nc = n_conds - c0 < LC_SCAN_CONDS ? n_conds - c0 : LC_SCAN_CONDS;
        memset(&sc, 0, sizeof sc);
        sc.min = INFINITY;
        sc.max = -INFINITY;
        sc.imin = sc.imax = UINT64_MAX;
        sc.nc = nc > 0 ? nc : 0;
        for (int c = 0; c < nc; c++) {
            lc_cmp op = s->conds[conds[c0 + c]].op;
            double x = s->conds[conds[c0 + c]].value;
            sc.c[c] = x;
            sc.incl[c] = op == LC_CMP_LE || op == LC_CMP_GT;
            /* v <= x is v < (the next double above x) for every non-NaN v
             * when x is finite: one compare per point in the scan */
            if (sc.incl[c] && isfinite(x)) {
                sc.c[c] = nextafter(x, INFINITY);
                sc.incl[c] = 0;
            }
        }
        memset(local, 0, sizeof local);
        for (uint64_t row = 0; row < nrows; row++) {
            uint64_t off = 0;
            for (int j = 0; j < ro; j++)
                off = off * t->chunk[j] + local[j];
            ki->scan(buf + off * row_stride, (size_t)rowlen, row * rowlen, &sc);
            for (int j = ro - 1; j >= 0; j--) {
                if (++local[j] < extent[j])
                    break;
                local[j] = 0;
            }
        }
        for (int c = 0; c < nc; c++) {
            lc_cmp op = s->conds[conds[c0 + c]].op;
            q->cnt[c0 + c] +=
                op == LC_CMP_LT || op == LC_CMP_LE ? sc.cnt[c] : npts - sc.nnan - sc.cnt[c];
        }
    }
    double sum = 0.0;
    for (int k = 0; k < 8; k++) /* fixed order */
        sum += sc.lane[k];
    if (sc.min == -INFINITY || sc.max == INFINITY) {
        /* an infinity in this chunk: counted apart, kept out of the sum */
        uint64_t ninf = 0;
        rescan_inf(buf, nrows, rowlen, ro, extent, t, row_stride, &sc, &ninf);
        sum = sc.lane[0];
        q->ninf += ninf;
    }
    q->sum += sum;
    q->nnan += sc.nnan;
    q->n += npts;
    uint64_t co[LC_MAX_AXES];
    for (int w = 0; w < 2; w++) {
        uint64_t at = w ? sc.imax : sc.imin;
        if (at == UINT64_MAX)
            continue;
        uint64_t row = at / rowlen, pos = at % rowlen;
        for (int j = ro - 1; j >= 0; j--) { /* row number -> leading coordinates */
            co[j] = origin[j] + row % extent[j];
            row /= extent[j];
        }
        for (int j = r - 1; j >= ro; j--) { /* position in the (merged) row */
            co[j] = origin[j] + pos % extent[j];
            pos /= extent[j];
        }
        uint64_t f = lc_grid_flat(g->dims, r, co);
        if (w == 0 && (sc.min < q->min || (sc.min == q->min && f < q->imin))) {
            q->min = sc.min;
            q->imin = f;
        }
        if (w == 1 && (sc.max > q->max || (sc.max == q->max && f < q->imax))) {
            q->max = sc.max;
            q->imax = f;
        }
    }
}

/* first j in [0, n) with pred(v[j]) true, for a predicate false then true
 * along v (n if never true); branch-free halving (cmov), n >= 1 */
#define FIRST_TRUE(res, n, pred)                                             \
    do {                                                                     \
        uint64_t base_ = 0, len_ = (n);                                      \
        while (len_ > 1) {                                                   \
            uint64_t half_ = len_ / 2;                                       \
            double x = v[base_ + half_ - 1];                                 \
            base_ = (pred) ? base_ : base_ + half_;                          \
            len_ -= half_;                                                   \
        }                                                                    \
        double x = v[base_];                                                 \
        (res) = base_ + !(pred);                                             \
    } while (0)

/* rows at least this long count conditions by bisection (lc_sweep_opts
 * mono_bisect_min overrides it: tests exercise both ways) */
#define MONO_BISECT_MIN 512

/* Exact structured reductions of a chunk whose output is proven finite and
 * monotone in direction dir along the last dimension
 * (lc_plan_chunk_monotone): the sums and NaN count over the same merged
 * rows and lanes as reduce_chunk (so the same bits), and per row of the
 * last dimension (or per piece of one, in order) the min and max from its
 * ends (the first index of a repeated extreme by bisection) and each
 * count by bisection on the threshold.  Same results as reduce_chunk. */
/* The sums pass's state for conditions c0.. (none when counted by
 * bisection), as reduce_chunk sets its scan up. */
static int mono_scan_init(lc_scan *sc, int bisect, int c0, int n_conds, const int *conds,
                          const lc_spec *s)
{
    int nc = bisect ? 0 : n_conds - c0 < LC_SCAN_CONDS ? n_conds - c0 : LC_SCAN_CONDS;
    memset(sc, 0, sizeof *sc);
    sc->nc = nc;
    for (int c = 0; c < nc; c++) {
        lc_cmp op = s->conds[conds[c0 + c]].op;
        double x = s->conds[conds[c0 + c]].value;
        sc->c[c] = x;
        sc->incl[c] = op == LC_CMP_LE || op == LC_CMP_GT;
        if (sc->incl[c] && isfinite(x)) {
            sc->c[c] = nextafter(x, INFINITY);
            sc->incl[c] = 0;
        }
    }
    return nc;
}

/* The min/max and bisection counts of a monotone chunk, fed piece by piece
 * (mono_piece) in buffer order. */
typedef struct {
    int dir, bisect, n_conds;
    const int *conds;
    const lc_spec *s;
    int have;
    double vmin, vmax;
    uint64_t rmin, jmin, rmax, jmax; /* row of the last dimension, position */
    uint64_t below[LC_MAX_CONDS];    /* points with v < c (v <= c for <= and >) */
} mono_rows;

static void mono_rows_init(mono_rows *m, int dir, int bisect, const int *conds, int n_conds,
                           const lc_spec *s)
{
    memset(m, 0, sizeof *m);
    m->dir = dir;
    m->bisect = bisect;
    m->conds = conds;
    m->n_conds = n_conds;
    m->s = s;
    m->vmin = INFINITY;
    m->vmax = -INFINITY;
}

/* v[0, len): positions j0 .. j0+len-1 of row `row` of the last dimension.
 * Pieces of a row come in order, so an extreme repeated across pieces
 * keeps its first (earlier) index, as in a row taken whole. */
static void mono_piece(mono_rows *mr, const double *v, uint64_t len, uint64_t row, uint64_t j0)
{
    int dir = mr->dir;
    /* the extreme at the far end: its first index (ties: a plateau) */
    double m = v[len - 1];
    uint64_t iend = len - 1, imin, imax;
    if (len > 1 && v[len - 2] == m) /* rare: rows are usually strict */
        FIRST_TRUE(iend, len - 1, dir > 0 ? x >= m : x <= m);
    imin = dir > 0 ? 0 : iend;
    imax = dir > 0 ? iend : 0;
    if (!mr->have || v[imin] < mr->vmin) {
        mr->vmin = v[imin];
        mr->rmin = row;
        mr->jmin = j0 + imin;
    }
    if (!mr->have || v[imax] > mr->vmax) {
        mr->vmax = v[imax];
        mr->rmax = row;
        mr->jmax = j0 + imax;
    }
    mr->have = 1;
    for (int c = 0; mr->bisect && c < mr->n_conds; c++) {
        lc_cmp op = mr->s->conds[mr->conds[c]].op;
        double cv = mr->s->conds[mr->conds[c]].value;
        uint64_t k;
        int incl = op == LC_CMP_LE || op == LC_CMP_GT;
        double a = v[0], z = v[len - 1];
        int pa = a < cv || (incl && a == cv), pz = z < cv || (incl && z == cv);
        if (pa == pz) { /* the whole piece on one side of the threshold */
            mr->below[c] += pa ? len : 0;
            continue;
        }
        if (dir > 0) {
            FIRST_TRUE(k, len, !(x < cv || (incl && x == cv)));
        } else {
            FIRST_TRUE(k, len, x < cv || (incl && x == cv));
            k = len - k;
        }
        mr->below[c] += k;
    }
}

/* Fold the chunk's monotone min/max (with coordinates) and bisection
 * counts into q. */
static void mono_rows_finish(const mono_rows *mr, const lc_subgrid *g, const uint64_t *origin,
                             const uint64_t *extent, uint64_t npts, uint64_t nnan, lc_red_partial *q)
{
    int r = g->rank;
    for (int c = 0; mr->bisect && c < mr->n_conds; c++) {
        lc_cmp op = mr->s->conds[mr->conds[c]].op;
        q->cnt[c] += op == LC_CMP_LT || op == LC_CMP_LE ? mr->below[c]
                                                        : npts - nnan - mr->below[c];
    }
    uint64_t co[LC_MAX_AXES];
    for (int w = 0; mr->have && w < 2; w++) {
        uint64_t row = w ? mr->rmax : mr->rmin;
        co[r - 1] = origin[r - 1] + (w ? mr->jmax : mr->jmin);
        for (int j = r - 2; j >= 0; j--) { /* row number -> leading coordinates */
            co[j] = origin[j] + row % extent[j];
            row /= extent[j];
        }
        uint64_t f = lc_grid_flat(g->dims, r, co);
        if (w == 0 && (mr->vmin < q->min || (mr->vmin == q->min && f < q->imin))) {
            q->min = mr->vmin;
            q->imin = f;
        }
        if (w == 1 && (mr->vmax > q->max || (mr->vmax == q->max && f < q->imax))) {
            q->max = mr->vmax;
            q->imax = f;
        }
    }
}

/* The sums, NaN count and vector-pass counts of a scan into q. */
static void mono_fold_scan(const lc_scan *sc, int c0, int nc, const int *conds, const lc_spec *s,
                           uint64_t npts, lc_red_partial *q)
{
    for (int c = 0; c < nc; c++) {
        lc_cmp op = s->conds[conds[c0 + c]].op;
        q->cnt[c0 + c] +=
            op == LC_CMP_LT || op == LC_CMP_LE ? sc->cnt[c] : npts - sc->nnan - sc->cnt[c];
    }
}

/* The monotone reduction fused with the evaluation: a sink of
 * lc_plan_eval_chunk_sink (no chunk buffer).  The chunk is one merged row
 * in the reduction's layout (mono_fusable), so element e = row * rowlen + j
 * of the evaluation belongs in lane e % 8 (the kernel sums it into sc as
 * it computes it: lc_rows_sink.acc) and in row e / len of the last
 * dimension (mono_piece here, on the same tile).  Another per-point
 * consumer (a mask, constrained reductions) chains here the same way: it
 * sees every tile once, in order. */
typedef struct {
    lc_scan sc;
    mono_rows m;
    uint64_t rowlen; /* evaluation row (lc_chunk_row_dims with LC_ROW_SHORT) */
    uint64_t len;    /* the last dimension's extent */
} mono_fuse;

static void mono_fuse_sink(void *user, const double *v, size_t q0, size_t nq, size_t j0,
                           size_t n)
{
    mono_fuse *f = user;
    uint64_t e0 = (uint64_t)q0 * f->rowlen + j0, e1 = e0 + (uint64_t)nq * n, len = f->len;
    uint64_t row = e0 / len, at = row * len;
    for (uint64_t e = e0; e < e1; row++, at += len) {
        uint64_t end = at + len < e1 ? at + len : e1;
        mono_piece(&f->m, v + (e - e0), end - e, row, e - at);
        e = end;
    }
}

/* 1 when the chunk's reduction scan is one merged row (the whole chunk) and
 * its conditions fit one pass: then the reduction can be fused. */
static int mono_fusable(const lc_subgrid *g, const lc_tiling *t, const uint64_t *extent,
                        uint64_t bisect_min, int n_conds)
{
    uint64_t rowlen;
    int r = g->rank;
    if (r == 0)
        return 0;
    int ro = r - lc_chunk_row_dims(r, extent, t->chunk, UINT64_MAX, UINT64_MAX, &rowlen);
    uint64_t nrows = 1;
    for (int j = 0; j < ro; j++)
        nrows *= extent[j];
    return nrows == 1 && (extent[r - 1] >= bisect_min || n_conds <= LC_SCAN_CONDS);
}

/* Counts of an output that is only counted (not reduced), proven finite
 * over the chunk with every value in [lo, hi] (lc_plan_chunk_range): when
 * every threshold lies outside that range, each condition holds at every
 * point or at none, and the chunk needs no evaluation at all.  Returns 1
 * with q filled, or 0 (evaluate). */
static int counts_from_range(double lo, double hi, const int *conds, int n_conds,
                             const lc_spec *s, uint64_t npts, lc_red_partial *q)
{
    uint64_t below[LC_MAX_CONDS];
    for (int c = 0; c < n_conds; c++) {
        lc_cmp op = s->conds[conds[c]].op;
        double x = s->conds[conds[c]].value;
        int incl = op == LC_CMP_LE || op == LC_CMP_GT; /* "below": v <= x, else v < x */
        if (incl ? hi <= x : hi < x)
            below[c] = npts;
        else if (incl ? lo > x : lo >= x)
            below[c] = 0;
        else
            return 0;
    }
    for (int c = 0; c < n_conds; c++) {
        lc_cmp op = s->conds[conds[c]].op;
        q->cnt[c] += op == LC_CMP_LT || op == LC_CMP_LE ? below[c] : npts - below[c];
    }
    q->n += npts;
    return 1;
}

/* Evaluate and reduce a fusable monotone chunk in one pass.  want = 0: the
 * output is only counted, so no sums (every count by bisection on the
 * tiles). */
static void reduce_chunk_fused(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int out,
                               int want, int dir, uint64_t bisect_min, const lc_subgrid *g,
                               const lc_tiling *t, const uint64_t *origin, const uint64_t *extent,
                               const int *conds, int n_conds, const lc_spec *s, lc_red_partial *q)
{
    int r = g->rank;
    uint64_t len = extent[r - 1], npts = 1;
    for (int j = 0; j < r; j++)
        npts *= extent[j];
    int bisect = !want || len >= bisect_min;
    mono_fuse f;
    f.len = len;
    lc_chunk_row_dims(r, extent, t->chunk, LC_ROW_SHORT, LC_ROW_MAX, &f.rowlen);
    int nc = mono_scan_init(&f.sc, bisect, 0, n_conds, conds, s);
    f.sc.finite = 1; /* the proof: finite everywhere in the chunk */
    mono_rows_init(&f.m, dir, bisect, conds, n_conds, s);
    lc_rows_sink sink = {mono_fuse_sink, &f, want ? &f.sc : NULL, 0};
    lc_plan_eval_chunk_sink(p, k, ws, out, g, origin, extent, t->chunk, &sink);
    mono_fold_scan(&f.sc, 0, nc, conds, s, npts, q);
    double sum = 0.0;
    for (int j = 0; j < 8; j++) /* fixed order */
        sum += f.sc.lane[j];
    q->sum += sum;
    q->nnan += f.sc.nnan;
    q->n += npts;
    mono_rows_finish(&f.m, g, origin, extent, npts, f.sc.nnan, q);
}

/* The same from an evaluated chunk buffer (any chunk shape). */
static void reduce_chunk_mono(const lc_kernel_impl *ki, int dir, uint64_t bisect_min,
                              const lc_subgrid *g, const lc_tiling *t, const uint64_t *origin,
                              const uint64_t *extent, const double *buf, const int *conds,
                              int n_conds, const lc_spec *s, lc_red_partial *q)
{
    int r = g->rank;
    uint64_t rowlen = 1, nrows = 1, local[LC_MAX_AXES] = {0}, row_stride = 1;
    int ro = r - lc_chunk_row_dims(r, extent, t->chunk, UINT64_MAX, UINT64_MAX, &rowlen);
    for (int j = 0; j < ro; j++)
        nrows *= extent[j];
    for (int j = ro; j < r; j++)
        row_stride *= t->chunk[j];
    /* Counts: by bisection along long rows; along short ones a vector pass
     * is cheaper than log2(len) dependent loads, so they are counted with
     * the sums, as reduce_chunk does (the same integers either way). */
    uint64_t len = extent[r - 1], npts = nrows * rowlen, nr = npts / len;
    int bisect = len >= bisect_min;
    lc_scan sc;
    for (int c0 = 0; c0 == 0 || (!bisect && c0 < n_conds); c0 += LC_SCAN_CONDS) {
        int nc = mono_scan_init(&sc, bisect, c0, n_conds, conds, s);
        sc.finite = 1; /* the proof: finite everywhere in the chunk */
        memset(local, 0, sizeof local);
        for (uint64_t row = 0; row < nrows; row++) {
            uint64_t off = 0;
            for (int j = 0; j < ro; j++)
                off = off * t->chunk[j] + local[j];
            ki->sum(buf + off * row_stride, (size_t)rowlen, &sc);
            for (int j = ro - 1; j >= 0; j--) {
                if (++local[j] < extent[j])
                    break;
                local[j] = 0;
            }
        }
        mono_fold_scan(&sc, c0, nc, conds, s, npts, q);
    }
    double sum = 0.0;
    for (int k = 0; k < 8; k++) /* fixed order */
        sum += sc.lane[k];
    q->sum += sum;
    q->nnan += sc.nnan;
    q->n += npts;

    /* rows of the last dimension, in buffer order (so earlier rows win ties) */
    mono_rows mr;
    mono_rows_init(&mr, dir, bisect, conds, n_conds, s);
    memset(local, 0, sizeof local);
    for (uint64_t row = 0; row < nr; row++) {
        uint64_t off = 0;
        for (int j = 0; j < r - 1; j++)
            off = off * t->chunk[j] + local[j];
        mono_piece(&mr, buf + off * t->chunk[r - 1], len, row, 0);
        for (int j = r - 2; j >= 0; j--) {
            if (++local[j] < extent[j])
                break;
            local[j] = 0;
        }
    }
    mono_rows_finish(&mr, g, origin, extent, npts, sc.nnan, q);
}
#undef FIRST_TRUE


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
    const lc_spec *s;
    const lc_sweep_opts *o;
    lc_sweep_result *r;
    double t0;
    lc_sweep_progress prog;
} run_ctx;

static void progress(run_ctx *c)
{
    if (c->o->on_progress) {
        c->prog.seconds = now_s() - c->t0;
        c->o->on_progress(c->o->user, &c->prog);
    }
}

static int cancelled(const run_ctx *c)
{
    return c->o->cancel != NULL && *c->o->cancel;
}

/* the question scan's progress (sweep_query.h) */
static void question_progress(void *user, uint64_t points)
{
    run_ctx *c = user;
    c->r->evaluated_points += points;
    c->prog.points_done += points;
    progress(c);
}

static lc_status run_reductions(run_ctx *c, const lc_plan *p, const lc_kernel *k, int nt,
                                lc_plan_ws **ws, double *bufs, size_t buf_pts, lc_diag *d)
{
    const lc_spec *s = c->s;
    lc_sweep_result *r = c->r;
    int outs[LC_OUT_MAX + LC_MAX_CONDS], n_outs = 0;
    /* every output to reduce or count, each once */
    for (int i = 0; i < s->n_reduce; i++)
        outs[n_outs++] = s->reduce[i];
    for (int i = 0; i < s->n_conds; i++) {
        int seen = 0;
        for (int j = 0; j < n_outs; j++)
            seen |= outs[j] == s->conds[i].output;
        if (!seen)
            outs[n_outs++] = s->conds[i].output;
    }
    const lc_kernel_impl *ki = lc_kernel_impl_of(k);
    int nranks = lc_par_size(), me = lc_par_rank();
    /* MPI: RED_BATCH chunks per rank per batch, so every rank has work */
    uint64_t batch = (uint64_t)RED_BATCH * (uint64_t)nranks;
    lc_red_partial *slots = malloc((size_t)batch * sizeof *slots);
    lc_red_partial *gathered = malloc((size_t)batch * sizeof *gathered);
    size_t *sizes = malloc((size_t)nranks * sizeof *sizes);
    if (slots == NULL || gathered == NULL || sizes == NULL) {
        free(slots);
        free(gathered);
        free(sizes);
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    }
    for (int oi = 0; oi < n_outs; oi++) {
        int out = outs[oi];
        int want = oi < s->n_reduce;
        int conds[LC_MAX_CONDS], nc = 0;
        for (int i = 0; i < s->n_conds; i++)
            if (s->conds[i].output == out)
                conds[nc++] = i;
        lc_subgrid g;
        lc_tiling t;
        lc_status st;
        lc_plan_subgrid(p, p->out_axes[out], &g);
        if ((st = lc_tiling_init(&t, g.rank, g.dims, 8, buf_pts * 8, d)) != LC_OK) {
            free(sizes);
            free(gathered);
            free(slots);
            return st;
        }
        lc_red_partial tot;
        lc_red_partial_init(&tot);
        for (uint64_t b0 = 0; b0 < t.n_chunks; b0 += batch) {
            uint64_t nb = t.n_chunks - b0 < batch ? t.n_chunks - b0 : batch;
            /* MPI: each rank reduces its share of the batch, then every rank
             * gets every chunk's partial and folds them all in chunk order, so
             * min/max (with coordinates), sums and counts equal the serial ones */
            uint64_t ra = 0, rb = nb;
            if (nranks > 1)
                lc_partition(nb, (uint64_t)nranks, (uint64_t)me, &ra, &rb);
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
            for (uint64_t i = ra; i < rb; i++) {
                uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES];
                int th = omp_get_thread_num();
                double *buf = bufs + (size_t)th * buf_pts;
                lc_tiling_chunk(&t, b0 + i, origin, extent);
                uint64_t bmin = c->o->mono_bisect_min ? c->o->mono_bisect_min : MONO_BISECT_MIN;
                double lo = 0, hi = 0;
                int dir = c->o->exhaustive ? 0
                                           : lc_plan_chunk_range(p, out, &g, origin, extent, &lo, &hi);
                lc_red_partial_init(&slots[i]);
                if (dir != 0 && !want) {
                    uint64_t npts = 1;
                    for (int j = 0; j < g.rank; j++)
                        npts *= extent[j];
                    if (counts_from_range(lo, hi, conds, nc, s, npts, &slots[i])) {
                        slots[i].mono = 3; /* not evaluated */
                        continue;
                    }
                }
                if (dir != 0 && mono_fusable(&g, &t, extent, want ? bmin : 1, nc)) {
                    /* evaluated and reduced in one pass, no chunk buffer */
                    reduce_chunk_fused(p, k, ws[th], out, want, dir, bmin, &g, &t, origin, extent,
                                       conds, nc, s, &slots[i]);
                    slots[i].mono = 2;
                    continue;
                }
                lc_plan_eval_chunk(p, k, ws[th], out, &g, origin, extent, t.chunk, buf);
                if (dir != 0) {
                    reduce_chunk_mono(ki, dir, bmin, &g, &t, origin, extent, buf, conds, nc, s,
                                      &slots[i]);
                    slots[i].mono = 1;
                } else {
                    reduce_chunk(ki, &g, &t, origin, extent, buf, conds, nc, s, &slots[i]);
                }
            }
            if (nranks > 1) {
                for (int q = 0; q < nranks; q++) {
                    uint64_t qa, qb;
                    lc_partition(nb, (uint64_t)nranks, (uint64_t)q, &qa, &qb);
                    sizes[q] = (size_t)(qb - qa) * sizeof *slots;
                }
                lc_par_allgather(slots + ra, (size_t)(rb - ra) * sizeof *slots, gathered,
                                     sizes);
                memcpy(slots, gathered, (size_t)nb * sizeof *slots);
            }
            uint64_t pts = 0, skipped = 0;
            for (uint64_t i = 0; i < nb; i++) { /* every rank's chunks (MPI: gathered) */
                lc_red_partial_fold(&tot, &slots[i], nc);
                r->red_chunks_mono += slots[i].mono != 0;
                r->red_chunks_fused += slots[i].mono == 2;
                r->red_chunks_ranged += slots[i].mono == 3;
                uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES], q = 1;
                lc_tiling_chunk(&t, b0 + i, origin, extent);
                for (int j = 0; j < g.rank; j++)
                    q *= extent[j];
                pts += q;
                skipped += slots[i].mono == 3 ? q : 0;
            }
            r->evaluated_points += pts - skipped;
            r->red_chunks += nb;
            c->prog.points_done += pts;
            progress(c);
            if (lc_par_any(cancelled(c))) {
                free(sizes);
                free(gathered);
                free(slots);
                return lc_diag_set(d, LC_EINTR, NULL, 0, "interrupted");
            }
        }
        uint64_t other = p->grid_points / t.points;
        if (want) {
            lc_reduction *rd = &r->red[r->n_red++];
            rd->output = out;
            rd->count_nan = tot.nnan * other;
            rd->count_inf = tot.ninf * other;
            rd->count_finite = (t.points - tot.nnan - tot.ninf) * other;
            rd->valid = tot.imin != UINT64_MAX;
            rd->min = rd->valid ? tot.min : NAN;
            rd->max = rd->valid ? tot.max : NAN;
            rd->mean = t.points > tot.nnan + tot.ninf
                           ? tot.sum / (double)(t.points - tot.nnan - tot.ninf) : NAN;
            to_full(&g, rd->valid ? tot.imin : 0, s->n_axes, rd->argmin);
            to_full(&g, rd->valid ? tot.imax : 0, s->n_axes, rd->argmax);
        }
        for (int i = 0; i < nc; i++) {
            r->cond[conds[i]].count = tot.cnt[i] * other;
            r->cond[conds[i]].share = (double)r->cond[conds[i]].count / (double)p->grid_points;
        }
    }
    r->n_cond = s->n_conds;
    free(sizes);
    free(gathered);
    free(slots);
    return LC_OK;
}

/* ---- stored datasets ------------------------------------------------------- */
typedef struct {
    double *raw;        /* chunk_points doubles (float32 converted in place) */
    unsigned char *tmp; /* shuffle scratch */
    unsigned char *enc; /* encoded chunk */
    const void *data;
    size_t len;
    unsigned mask;      /* HDF5 filter mask of data (skipped optional filters) */
    uint64_t sum;       /* opts->chunk_sum of data, when asked */
    uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES];
    lc_status st;
    lc_diag d;
} slot;

static void *amalloc(size_t n)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, n ? n : 64) != 0)
        return NULL;
    return p;
}

/* A batch of stored chunks: the next nslots x ranks chunks of one dataset
 * not yet in the file (skip: resume), split among MPI ranks by index
 * arithmetic (this rank computes list[m0 .. m0 + nb)); every rank makes
 * `rounds` (collective) writes, empty ones where its share is shorter. */
typedef struct {
    int di;
    uint64_t *list;
    uint64_t nall, m0, nb, rounds;
    slot *sl;
} batch;

typedef struct {
    int di;
    uint64_t next;
} cursor;

static int next_batch(run_ctx *c, stored_ds *ds, int nds, uint64_t first, uint64_t last,
                      uint64_t gslots, cursor *cur, batch *b)
{
    int nranks = lc_par_size(), me = lc_par_rank();
    while (cur->di < nds) {
        stored_ds *x = &ds[cur->di];
        uint64_t lo = x->first > first ? x->first : first;
        uint64_t hi = x->first + x->t.n_chunks < last ? x->first + x->t.n_chunks : last;
        if (cur->next < lo)
            cur->next = lo;
        b->nall = 0;
        while (cur->next < hi && b->nall < gslots) {
            if (c->o->skip == NULL || !c->o->skip[cur->next])
                b->list[b->nall++] = cur->next;
            cur->next++;
        }
        if (b->nall > 0) {
            b->di = cur->di;
            lc_partition(b->nall, (uint64_t)nranks, (uint64_t)me, &b->m0, &b->nb);
            b->nb -= b->m0;
            b->rounds = (b->nall + (uint64_t)nranks - 1) / (uint64_t)nranks;
            return 1;
        }
        cur->di++;
        cur->next = 0;
    }
    return 0;
}

/* Evaluate, convert and encode slot i of batch b (any worker thread). */
static void compute_slot(const run_ctx *c, const lc_plan *p, const lc_kernel *k,
                         lc_plan_ws *ws, const stored_ds *ds, const batch *b, uint64_t i,
                         size_t encb)
{
    const lc_spec *s = c->s;
    const stored_ds *x = &ds[b->di];
    size_t es = s->float32 ? 4 : 8;
    size_t cbytes = (size_t)x->t.chunk_points * es;
    slot *q = &b->sl[i];
    uint64_t pts = 1;
    lc_tiling_chunk(&x->t, b->list[b->m0 + i] - x->first, q->origin, q->extent);
    for (int j = 0; j < x->g.rank; j++)
        pts *= q->extent[j];
    /* edge chunk: defined bytes in the padding */
    if (pts != x->t.chunk_points)
        memset(q->raw, 0, (size_t)x->t.chunk_points * 8);
    lc_plan_eval_chunk(p, k, ws, x->output, &x->g, q->origin, q->extent, x->t.chunk, q->raw);
    if (es == 4) {
        float *f = (float *)q->raw;
        for (uint64_t j = 0; j < x->t.chunk_points; j++)
            f[j] = (float)q->raw[j];
    }
    q->mask = 0;
    if (!lc_codec_precompressed(s->codec) || x->g.rank == 0) {
        /* HDF5 filters it (or a scalar, never filtered): raw values */
        q->st = LC_OK;
        q->data = q->raw;
        q->len = cbytes;
    } else {
        q->st = lc_chunk_encode_mask(s->codec, s->codec_level, es, q->raw, cbytes, q->tmp,
                                     q->enc, encb, &q->len, &q->mask, &q->d);
        q->data = s->codec == LC_CODEC_NONE ? (const void *)q->raw : (const void *)q->enc;
    }
    /* the journal's checksum, here in the worker rather than in the writer */
    if (q->st == LC_OK && c->o->chunk_sum != NULL)
        q->sum = c->o->chunk_sum(q->data, q->len);
}

/* Tell the cluster hooks that slot q's chunk `id` is in the file. */
static void report_written(const run_ctx *c, uint64_t id, const slot *q)
{
    if (c->o->on_chunk_summed != NULL && c->o->chunk_sum != NULL)
        c->o->on_chunk_summed(c->o->cluster, id, q->sum, q->len);
    else if (c->o->on_chunk_written != NULL)
        c->o->on_chunk_written(c->o->cluster, id, q->data, q->len);
}

/* Count one stored chunk of `pts` points (`len` bytes in the file) in the
 * result and the progress. */
static void count_stored(run_ctx *c, uint64_t pts, size_t es, uint64_t len)
{
    lc_sweep_result *r = c->r;
    r->stored_points += pts;
    r->evaluated_points += pts;
    r->stored_bytes_raw += pts * es;
    r->stored_bytes_file += len;
    r->chunks++;
    c->prog.chunks_done++;
    c->prog.points_done += pts;
}

/* Write batch b in chunk order (the one HDF5 thread). */
static lc_status write_batch(run_ctx *c, const stored_ds *ds, lc_h5w *w, const int *ds_index,
                             const batch *b, lc_diag *d)
{
    const stored_ds *x = &ds[b->di];
    size_t es = c->s->float32 ? 4 : 8;
    int nranks = lc_par_size();
    lc_status st = LC_OK;
    for (uint64_t i = 0; i < b->rounds && st == LC_OK; i++) {
        if (i >= b->nb) { /* this rank's share is done: an empty collective write */
            if (w != NULL && nranks > 1)
                st = lc_h5w_chunk(w, ds_index[b->di], NULL, NULL, NULL, 0, d);
            continue;
        }
        const slot *q = &b->sl[i];
        uint64_t pts = 1;
        for (int j = 0; j < x->g.rank; j++)
            pts *= q->extent[j];
        if (q->st != LC_OK) {
            *d = q->d;
            return q->st;
        }
        if (w != NULL && (st = lc_h5w_chunk_mask(w, ds_index[b->di], q->origin, q->extent,
                                                 q->data, q->len, q->mask, d)) != LC_OK)
            break;
        if (w != NULL)
            report_written(c, b->list[b->m0 + i], q);
        count_stored(c, pts, es, q->len);
    }
    return st;
}

/* One process (no MPI ranks): a stream without barriers.  Threads claim
 * chunks in order from an atomic counter and compute each into ring slot
 * (item % slots); the calling thread (thread 0) also writes every finished
 * chunk, in order, as soon as it is ready, and frees its slot.  A thread
 * never waits at a barrier for a thread the OS has preempted (the batches
 * above do, which costs a time slice per batch on a shared machine).  When
 * the ring is full a worker sleeps on a condition variable until thread 0
 * frees a slot, and thread 0, with nothing ready to write, sleeps until a
 * worker finishes the next chunk: no spinning (sched_yield cost a whole
 * core of system time on long stored sweeps), and memory stays the ring's
 * 2 x threads slots.  Chunk bytes do not depend on which thread computed
 * them and the writes are in order, so the file is the same for any thread
 * count. */
typedef struct {
    run_ctx *c;
    const stored_ds *ds;
    int nds;
    lc_h5w *w;
    const int *ds_index;
    uint64_t *ids;           /* global chunk number of each item */
    uint64_t n_items;
    slot *sl;
    int nslots;
    _Atomic uint64_t *done;  /* per slot: item + 1 once computed */
    _Atomic uint64_t written, next;
    _Atomic int abort;
    pthread_mutex_t mu;      /* guards only the waits below */
    pthread_cond_t freed;    /* thread 0 advanced `written` (or aborted) */
    pthread_cond_t computed; /* a worker finished an item (or aborted) */
    lc_status st;
    lc_diag *d;
    double last_flush;
} stream;

/* Make what was written durable, then tell the caller (the resume journal
 * records chunks only after the file holding them is flushed). */
static lc_status flush_and_record(const run_ctx *c, lc_h5w *w, lc_diag *d)
{
    lc_status st = lc_h5w_flush(w, d);
    if (st == LC_OK && c->o->on_flushed)
        st = c->o->on_flushed(c->o->cluster, d);
    return st;
}

/* At the end of a store pass, also when interrupted: flush what was written. */
static lc_status final_flush(const run_ctx *c, lc_h5w *w, lc_status st, lc_diag *d)
{
    if ((st == LC_OK || st == LC_EINTR) && w != NULL && c->o->flush_seconds > 0) {
        lc_status fs = flush_and_record(c, w, d);
        if (fs != LC_OK)
            return fs;
    }
    return st;
}

/* Wake the sleepers of cv after its predicate's atomics changed: taking the
 * mutex orders this after a waiter's check, so no wakeup is lost. */
static void stream_wake(stream *m, pthread_cond_t *cv)
{
    pthread_mutex_lock(&m->mu);
    pthread_cond_broadcast(cv);
    pthread_mutex_unlock(&m->mu);
}

static void stream_abort(stream *m)
{
    atomic_store(&m->abort, 1);
    stream_wake(m, &m->freed);
    stream_wake(m, &m->computed);
}

/* Item `written` is computed (thread 0 may write it) or the stream aborted. */
static int stream_next_ready(stream *m)
{
    uint64_t i = atomic_load_explicit(&m->written, memory_order_acquire);
    return atomic_load_explicit(&m->abort, memory_order_relaxed) || i >= m->n_items ||
           atomic_load_explicit(&m->done[i % (uint64_t)m->nslots], memory_order_acquire) == i + 1;
}

/* Slot of item i is free (i < written + slots) or the stream aborted. */
static int stream_slot_free(stream *m, uint64_t i)
{
    return atomic_load_explicit(&m->abort, memory_order_relaxed) ||
           i < atomic_load_explicit(&m->written, memory_order_acquire) + (uint64_t)m->nslots;
}

static void stream_wait_ready(stream *m)
{
    pthread_mutex_lock(&m->mu);
    while (!stream_next_ready(m))
        pthread_cond_wait(&m->computed, &m->mu);
    pthread_mutex_unlock(&m->mu);
}

static void stream_wait_free(stream *m, uint64_t i)
{
    pthread_mutex_lock(&m->mu);
    while (!stream_slot_free(m, i))
        pthread_cond_wait(&m->freed, &m->mu);
    pthread_mutex_unlock(&m->mu);
}

static int ds_of(const stream *m, uint64_t id)
{
    int di = 0;
    while (di + 1 < m->nds && id >= m->ds[di + 1].first)
        di++;
    return di;
}

/* Thread 0: write every consecutive finished item; returns how many. */
static uint64_t stream_write_ready(stream *m)
{
    run_ctx *c = m->c;
    size_t es = c->s->float32 ? 4 : 8;
    uint64_t n = 0;
    while (!atomic_load_explicit(&m->abort, memory_order_relaxed)) {
        uint64_t i = atomic_load_explicit(&m->written, memory_order_relaxed);
        if (i >= m->n_items)
            break;
        if (atomic_load_explicit(&m->done[i % (uint64_t)m->nslots], memory_order_acquire) != i + 1)
            break;
        slot *q = &m->sl[i % (uint64_t)m->nslots];
        int di = ds_of(m, m->ids[i]);
        lc_status st = q->st;
        if (st != LC_OK)
            *m->d = q->d;
        else if (m->w != NULL)
            st = lc_h5w_chunk_mask(m->w, m->ds_index[di], q->origin, q->extent, q->data, q->len,
                                   q->mask, m->d);
        if (st == LC_OK && m->w != NULL)
            report_written(c, m->ids[i], q);
        if (st == LC_OK) {
            uint64_t pts = 1;
            for (int j = 0; j < m->ds[di].g.rank; j++)
                pts *= q->extent[j];
            count_stored(c, pts, es, q->len);
            /* progress, flush and cancel between chunks, not per chunk */
            double t = now_s();
            if (t - c->t0 - c->prog.seconds >= 0.1 || i + 1 == m->n_items)
                progress(c);
            if (m->w != NULL && c->o->flush_seconds > 0 && t - m->last_flush >= c->o->flush_seconds) {
                st = flush_and_record(c, m->w, m->d);
                m->last_flush = now_s();
            }
            if (st == LC_OK && cancelled(c))
                st = lc_diag_set(m->d, LC_EINTR, NULL, 0, "interrupted");
        }
        if (st != LC_OK) {
            m->st = st;
            stream_abort(m);
            break;
        }
        atomic_store_explicit(&m->written, i + 1, memory_order_release);
        if (m->nslots > 2) /* other threads: one may sleep on this slot */
            stream_wake(m, &m->freed);
        n++;
    }
    return n;
}

static lc_status run_store_stream(run_ctx *c, const lc_plan *p, const lc_kernel *k, int nt,
                                  lc_plan_ws **ws, stored_ds *ds, int nds, lc_h5w *w,
                                  const int *ds_index, uint64_t first, uint64_t last,
                                  lc_diag *d)
{
    const lc_spec *s = c->s;
    size_t es = s->float32 ? 4 : 8;
    uint64_t maxpts = 1;
    stream m;
    if (nds == 0 || last <= first)
        return LC_OK; /* nothing stored (reductions only): no buffers */
    memset(&m, 0, sizeof m);
    m.c = c;
    m.ds = ds;
    m.nds = nds;
    m.w = w;
    m.ds_index = ds_index;
    m.d = d;
    m.st = LC_OK;
    m.nslots = 2 * nt;
    m.last_flush = now_s();
    atomic_init(&m.written, 0);
    atomic_init(&m.next, 0);
    atomic_init(&m.abort, 0);
    pthread_mutex_init(&m.mu, NULL);
    pthread_cond_init(&m.freed, NULL);
    pthread_cond_init(&m.computed, NULL);
    lc_status st = LC_OK;
    for (int i = 0; i < nds; i++)
        if (ds[i].t.chunk_points > maxpts)
            maxpts = ds[i].t.chunk_points;
    size_t rawb = (size_t)maxpts * 8, encb = lc_chunk_encode_bound(s->codec, (size_t)maxpts * es);
    int enc = lc_codec_precompressed(s->codec) && s->codec != LC_CODEC_NONE;
    m.ids = malloc((last > first ? last - first : 1) * sizeof *m.ids);
    m.sl = calloc((size_t)m.nslots, sizeof *m.sl);
    m.done = calloc((size_t)m.nslots, sizeof *m.done);
    if (m.ids == NULL || m.sl == NULL || m.done == NULL) {
        st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (int i = 0; i < m.nslots; i++) {
        slot *q = &m.sl[i];
        atomic_init(&m.done[i], 0);
        q->raw = amalloc(rawb);
        q->tmp = lc_codec_scratch(s->codec) ? amalloc(rawb) : NULL;
        q->enc = enc ? amalloc(encb) : NULL;
        if (q->raw == NULL || (lc_codec_scratch(s->codec) && q->tmp == NULL) ||
            (enc && q->enc == NULL)) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory for chunk buffers");
            goto out;
        }
    }
    for (uint64_t id = first; id < last; id++)
        if (c->o->skip == NULL || !c->o->skip[id])
            m.ids[m.n_items++] = id;
#pragma omp parallel num_threads(nt)
    {
        int me = omp_get_thread_num();
        for (;;) {
            if (atomic_load_explicit(&m.abort, memory_order_relaxed))
                break;
            uint64_t i = atomic_fetch_add(&m.next, 1);
            if (i >= m.n_items)
                break;
            /* the ring is full until item i - nslots is written */
            while (!stream_slot_free(&m, i)) {
                if (me != 0) {
                    stream_wait_free(&m, i);
                } else if (stream_write_ready(&m) == 0) {
                    stream_wait_ready(&m); /* the next item is still computed */
                }
            }
            if (atomic_load_explicit(&m.abort, memory_order_relaxed))
                break;
            batch one; /* compute_slot's view of a single item */
            int di = ds_of(&m, m.ids[i]);
            one.di = di;
            one.list = &m.ids[i];
            one.m0 = 0;
            one.sl = &m.sl[i % (uint64_t)m.nslots];
            compute_slot(c, p, k, ws[me], ds, &one, 0, encb);
            atomic_store_explicit(&m.done[i % (uint64_t)m.nslots], i + 1, memory_order_release);
            if (me == 0)
                stream_write_ready(&m);
            else
                stream_wake(&m, &m.computed);
        }
        if (me == 0) /* drain: the others finish their last items */
            while (!atomic_load_explicit(&m.abort, memory_order_relaxed) &&
                   atomic_load_explicit(&m.written, memory_order_acquire) < m.n_items)
                if (stream_write_ready(&m) == 0)
                    stream_wait_ready(&m);
    }
    st = m.st;
    progress(c);
    /* what was written is in the file and reported, also when interrupted */
    st = final_flush(c, w, st, d);
out:
    for (int i = 0; m.sl != NULL && i < m.nslots; i++) {
        free(m.sl[i].raw);
        free(m.sl[i].tmp);
        free(m.sl[i].enc);
    }
    free(m.sl);
    free((void *)m.done);
    free(m.ids);
    pthread_cond_destroy(&m.computed);
    pthread_cond_destroy(&m.freed);
    pthread_mutex_destroy(&m.mu);
    return st;
}

/* The stored datasets, pipelined: while the calling thread writes batch
 * k, the other threads (and then it) compute batch k + 1 into the other
 * set of slots.  Which thread computes a chunk does not change its bytes,
 * and chunks are written in order, so the file is the same for any thread
 * count. */
static lc_status run_store(run_ctx *c, const lc_plan *p, const lc_kernel *k, int nt,
                           lc_plan_ws **ws, stored_ds *ds, int nds, lc_h5w *w, const int *ds_index,
                           uint64_t first, uint64_t last, lc_diag *d)
{
    if (lc_par_size() == 1)
        return run_store_stream(c, p, k, nt, ws, ds, nds, w, ds_index, first, last, d);
    const lc_spec *s = c->s;
    size_t es = s->float32 ? 4 : 8;
    uint64_t maxpts = 1;
    int nslots = nt * BATCH_PER_THREAD;
    lc_status st = LC_OK;
    int nranks = lc_par_size();
    uint64_t gslots = (uint64_t)nslots * (uint64_t)nranks;
    batch bt[2];
    memset(bt, 0, sizeof bt);
    for (int i = 0; i < nds; i++)
        if (ds[i].t.chunk_points > maxpts)
            maxpts = ds[i].t.chunk_points;
    size_t rawb = (size_t)maxpts * 8, encb = lc_chunk_encode_bound(s->codec, (size_t)maxpts * es);
    int enc = lc_codec_precompressed(s->codec) && s->codec != LC_CODEC_NONE;
    for (int h = 0; h < 2; h++) {
        bt[h].sl = calloc((size_t)nslots, sizeof *bt[h].sl);
        bt[h].list = malloc(gslots * sizeof *bt[h].list);
        if (bt[h].sl == NULL || bt[h].list == NULL) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        for (int i = 0; i < nslots; i++) {
            slot *q = &bt[h].sl[i];
            q->raw = amalloc(rawb);
            q->tmp = lc_codec_scratch(s->codec) ? amalloc(rawb) : NULL;
            q->enc = enc ? amalloc(encb) : NULL;
            if (q->raw == NULL || (lc_codec_scratch(s->codec) && q->tmp == NULL) ||
                (enc && q->enc == NULL)) {
                st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory for chunk buffers");
                goto out;
            }
        }
    }
    double last_flush = now_s();
    cursor cur = {0, 0};
    int h = 0;
    int have = next_batch(c, ds, nds, first, last, gslots, &cur, &bt[0]);
    if (have) {
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
        for (uint64_t i = 0; i < bt[0].nb; i++)
            compute_slot(c, p, k, ws[omp_get_thread_num()], ds, &bt[0], i, encb);
    }
    while (have && st == LC_OK) {
        int have_next = next_batch(c, ds, nds, first, last, gslots, &cur, &bt[h ^ 1]);
        lc_status wst = LC_OK;
#pragma omp parallel num_threads(nt)
        {
#pragma omp master
            wst = write_batch(c, ds, w, ds_index, &bt[h], d);
            if (have_next) {
#pragma omp for schedule(dynamic, 1)
                for (uint64_t i = 0; i < bt[h ^ 1].nb; i++)
                    compute_slot(c, p, k, ws[omp_get_thread_num()], ds, &bt[h ^ 1], i, encb);
            }
        }
        st = wst;
        if (nranks > 1) { /* every rank takes the same branch below */
            int agreed = lc_par_min_int((int)st);
            if (st == LC_OK && agreed != LC_OK)
                st = lc_diag_set(d, (lc_status)agreed, NULL, 0, "another MPI rank failed");
        }
        progress(c);
        if (st == LC_OK && w != NULL && c->o->flush_seconds > 0 &&
            lc_par_any(now_s() - last_flush >= c->o->flush_seconds)) {
            st = flush_and_record(c, w, d);
            last_flush = now_s();
        }
        if (st == LC_OK && lc_par_any(cancelled(c)))
            st = lc_diag_set(d, LC_EINTR, NULL, 0, "interrupted");
        h ^= 1;
        have = have_next;
    }
    /* what was written is in the file and reported, also when interrupted */
    st = final_flush(c, w, st, d);
out:
    for (int hh = 0; hh < 2; hh++) {
        for (int i = 0; bt[hh].sl != NULL && i < nslots; i++) {
            free(bt[hh].sl[i].raw);
            free(bt[hh].sl[i].tmp);
            free(bt[hh].sl[i].enc);
        }
        free(bt[hh].sl);
        free(bt[hh].list);
    }
    return st;
}

static int path_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static lc_status check_space(const char *path, uint64_t bytes, lc_diag *d)
{
    char dir[1024];
    struct statvfs vf;
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (statvfs(dir, &vf) != 0)
        return LC_OK; /* cannot tell: let the write report it */
    uint64_t avail = (uint64_t)vf.f_bavail * (uint64_t)vf.f_frsize;
    if (bytes > avail)
        return lc_diag_set(d, LC_ERANGE, path, 0,
                           "the stored outputs need about %.3g GB uncompressed but %s has "
                           "%.3g GB free (use a compact layout, float32, compression, "
                           "or --force)",
                           (double)bytes / 1e9, dir, (double)avail / 1e9);
    return LC_OK;
}

lc_status lc_sweep_run(const lc_spec *s, const lc_sweep_opts *o, lc_sweep_result *r,
                       lc_diag *d)
{
    lc_plan p;
    const lc_kernel *k;
    stored_ds ds[LC_OUT_MAX];
    int nds = 0, ds_index[LC_OUT_MAX];
    uint64_t n_chunks = 0, bytes = 0;
    lc_h5w *w = NULL;
    double *bufs = NULL;
    lc_plan_ws **ws = NULL;
    char partial_path[1100];
    lc_status st;
    run_ctx c;

    memset(r, 0, sizeof *r);
    memset(&c, 0, sizeof c);
    c.s = s;
    c.o = o;
    c.r = r;
    c.t0 = now_s();
    lc_h5_quiet();
    if ((st = lc_kernel_select(o->isa, &k, d)) != LC_OK)
        return st;
    if ((st = lc_plan_init(&p, s, d)) != LC_OK)
        return st;
    int nt = o->threads > 0 ? o->threads : s->threads > 0 ? s->threads : omp_get_max_threads();
    r->threads = nt;
    snprintf(r->isa, sizeof r->isa, "%s", k->isa);
    r->grid_points = p.grid_points;
    if ((st = plan_stored(s, &p, ds, &nds, &n_chunks, &bytes, d)) != LC_OK)
        goto out;
    uint64_t first = o->chunk_first, last = o->chunk_last ? o->chunk_last : n_chunks;
    if (last > n_chunks)
        last = n_chunks;
    if (first > last)
        first = last;
    const char *path = o->output ? o->output : s->output;
    int to_file = o->sink == LC_SINK_FILE;
    if (to_file && (path == NULL || *path == '\0')) {
        st = lc_diag_set(d, LC_EINVAL, s->path, 0, "no output file (give -o FILE or output =)");
        goto out;
    }
    if (!lc_h5_codec_available(s->codec)) {
        st = lc_diag_set(d, LC_EINVAL, s->path, 0,
                         "compression '%s' is not available here (HDF5 filter plugin "
                         "missing: install hdf5-filter-plugin)", lc_codec_name(s->codec));
        goto out;
    }
    if (to_file) {
        /* a name cut short is another file; a directory fails only at the end */
        if ((st = lc_path_check_output(path, d)) != LC_OK ||
            (st = lc_path_fmt(partial_path, sizeof partial_path, d, "%s.partial", path)) != LC_OK)
            goto out;
        /* not even --force replaces the spec the sweep was read from */
        if (s->path[0] && lc_path_same_file(s->path, path))
            st = lc_diag_set(d, LC_EINVAL, path, 0,
                             "is the spec file itself: give another output file");
        else if (!o->force && path_exists(path))
            st = lc_diag_set(d, LC_EEXIST, path, 0, "exists (use --force to overwrite)");
        else if (!o->force && !o->reopen && path_exists(partial_path))
            st = lc_diag_set(d, LC_EEXIST, partial_path, 0,
                             "exists: an interrupted or running sweep (use --force to "
                             "overwrite)");
        else if (!o->force)
            st = check_space(path, bytes, d);
        if (lc_par_size() > 1) { /* all ranks check before rank 0 creates */
            int agreed = lc_par_min_int((int)st);
            if (st == LC_OK && agreed != LC_OK)
                st = lc_diag_set(d, (lc_status)agreed, path, 0, "refused on another MPI rank");
        }
        /* --force overwrites a stale .partial by removing it (a symbolic
         * link there is removed, not followed); lc_h5w_create then creates
         * with O_EXCL, so nothing that appears meanwhile is truncated. */
        if (st == LC_OK && o->force && !o->reopen && lc_par_rank() == 0 &&
            unlink(partial_path) != 0 && errno != ENOENT)
            st = lc_diag_set(d, LC_EIO, partial_path, 0, "cannot remove: %s", strerror(errno));
        if (st != LC_OK)
            goto out;
        lc_h5_prov prov = {k->isa, nt, p.grid_points, o->extra_attrs};
        if (lc_par_size() > 1) {
            /* MPI: rank 0 creates the file alone (parallel HDF5 cannot write
             * the gpu axis' variable-length strings), then every rank opens
             * it with MPI-IO; the ranks agree on failures, so none waits in
             * a collective call the others never make. */
            if (!o->reopen && lc_par_rank() == 0) {
                st = lc_h5w_create(&w, partial_path, s, &prov, d);
                for (int i = 0; i < nds && st == LC_OK; i++)
                    st = lc_h5w_dataset(w, ds[i].output, ds[i].g.rank, ds[i].g.axis,
                                        ds[i].g.dims, ds[i].t.chunk, &ds_index[i], d);
                if (w != NULL) {
                    lc_status cs = lc_h5w_close(w, d);
                    w = NULL;
                    if (st == LC_OK)
                        st = cs;
                }
            }
            int agreed = lc_par_min_int((int)st);
            if (st == LC_OK && agreed != LC_OK)
                st = lc_diag_set(d, (lc_status)agreed, partial_path, 0,
                                 "MPI rank 0 could not create the file");
            if (st != LC_OK)
                goto out;
            st = lc_h5w_reopen(&w, partial_path, s, d);
            for (int i = 0; i < nds && st == LC_OK; i++)
                st = lc_h5w_dataset(w, ds[i].output, ds[i].g.rank, ds[i].g.axis, ds[i].g.dims,
                                    ds[i].t.chunk, &ds_index[i], d);
            agreed = lc_par_min_int((int)st);
            if (st == LC_OK && agreed != LC_OK)
                st = lc_diag_set(d, (lc_status)agreed, partial_path, 0,
                                 "another MPI rank could not open the file");
            if (st != LC_OK)
                goto out;
        } else {
            if ((st = o->reopen ? lc_h5w_reopen(&w, partial_path, s, d)
                                : lc_h5w_create(&w, partial_path, s, &prov, d)) != LC_OK)
                goto out;
            for (int i = 0; i < nds; i++)
                if ((st = lc_h5w_dataset(w, ds[i].output, ds[i].g.rank, ds[i].g.axis,
                                         ds[i].g.dims, ds[i].t.chunk, &ds_index[i], d)) != LC_OK)
                    goto out;
        }
    }
    c.prog.chunks_total = last - first;
    for (int i = 0; i < nds; i++) {
        uint64_t lo = ds[i].first > first ? ds[i].first : first;
        uint64_t hi = ds[i].first + ds[i].t.n_chunks < last ? ds[i].first + ds[i].t.n_chunks : last;
        for (uint64_t ch = lo; ch < hi; ch++) {
            /* points of a chunk range: whole chunks plus clipped edges */
            uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES], q = 1;
            if (hi - lo > 4096) { /* estimate for huge ranges */
                c.prog.points_total += (hi - lo) * ds[i].t.chunk_points;
                break;
            }
            lc_tiling_chunk(&ds[i].t, ch - ds[i].first, origin, extent);
            for (int j = 0; j < ds[i].g.rank; j++)
                q *= extent[j];
            c.prog.points_total += q;
        }
    }
    if (!o->skip_reductions) {
        /* every output reduced or counted is evaluated once, on its sub-grid */
        int seen[LC_OUT_MAX] = {0};
        for (int i = 0; i < s->n_reduce + s->n_conds; i++) {
            int out = i < s->n_reduce ? s->reduce[i] : s->conds[i - s->n_reduce].output;
            if (seen[out]++)
                continue;
            lc_subgrid g;
            uint64_t q;
            lc_plan_subgrid(&p, p.out_axes[out], &g);
            lc_grid_points(g.dims, g.rank, &q, NULL);
            c.prog.points_total += q;
        }
        c.prog.points_total += lc_sweep_questions_points(s, &p);
    }
    ws = calloc((size_t)nt, sizeof *ws);
    if (ws == NULL) {
        st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (int i = 0; i < nt; i++)
        if ((ws[i] = lc_plan_ws_new()) == NULL) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
    size_t chunk_target = s->chunk_bytes ? s->chunk_bytes : (size_t)1 << 20;
    size_t buf_pts = chunk_target / 8 ? chunk_target / 8 : 1;
    double t1 = now_s();
    if (!o->skip_reductions && (s->n_reduce > 0 || s->n_conds > 0)) {
        bufs = amalloc((size_t)nt * buf_pts * sizeof *bufs);
        if (bufs == NULL) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        if ((st = run_reductions(&c, &p, k, nt, ws, bufs, buf_pts, d)) != LC_OK)
            goto out;
    }
    for (int i = 0; i < nt; i++) /* a formula's chunk buffers could not be had */
        if (lc_plan_ws_failed(ws[i])) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory (formula buffers)");
            goto out;
        }
    if (!o->skip_reductions && s->n_questions > 0) {
        double tq = now_s();
        lc_qscan qs = {s, &p, k, nt, ws, buf_pts, o->cancel, question_progress, &c};
        if ((st = lc_sweep_questions(&qs, r, d)) != LC_OK)
            goto out;
        r->seconds_questions = now_s() - tq;
    }
    double t2 = now_s();
    r->seconds_reduce = t2 - t1;
    if ((st = run_store(&c, &p, k, nt, ws, ds, nds, w, ds_index, first, last, d)) != LC_OK)
        goto out;
    for (int i = 0; i < nt; i++)
        if (lc_plan_ws_failed(ws[i])) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory (formula buffers)");
            goto out;
        }
    r->seconds_store = now_s() - t2;
    if (w != NULL) {
        /* MPI: close on every rank (collective), then rank 0 alone adds the
         * /summary (variable-length strings) and renames; serial: the same
         * steps on the one process. */
        lc_status fs = LC_OK;
        if (lc_par_size() > 1) {
            fs = lc_h5w_close(w, d);
            w = NULL;
            int agreed = lc_par_min_int((int)fs);
            if (fs == LC_OK && agreed != LC_OK)
                fs = lc_diag_set(d, (lc_status)agreed, partial_path, 0, "another MPI rank failed");
            if (fs == LC_OK && lc_par_rank() == 0)
                fs = lc_h5w_reopen_local(&w, partial_path, s, d);
        }
        if (fs == LC_OK && w != NULL && !o->skip_reductions)
            fs = lc_h5w_summary(w, r, d);
        if (w != NULL) {
            lc_status cs = lc_h5w_close(w, d);
            w = NULL;
            if (fs == LC_OK)
                fs = cs;
        }
        if (fs == LC_OK && lc_par_rank() == 0 && rename(partial_path, path) != 0)
            fs = lc_diag_set(d, LC_EIO, path, 0, "rename from %s failed: %s", partial_path,
                             strerror(errno));
        int agreed = lc_par_min_int((int)fs);
        if (fs == LC_OK && agreed != LC_OK)
            fs = lc_diag_set(d, (lc_status)agreed, path, 0, "MPI rank 0 could not finish the file");
        if ((st = fs) != LC_OK)
            goto out;
        snprintf(r->file, sizeof r->file, "%s", path);
    }
out:
    if (w != NULL) {
        lc_diag ignore;
        /* a write failed: the .partial stays as the last flush (and the
         * journal) left it, instead of the half of newer metadata that the
         * close would manage to write on a full disk */
        if (st == LC_EIO || st == LC_EHDF5)
            lc_h5w_freeze(w);
        lc_h5w_close(w, &ignore); /* leaves the .lc_red_partial */
    }
    free(bufs);
    if (ws != NULL)
        for (int i = 0; i < r->threads; i++)
            lc_plan_ws_free(ws[i]);
    free(ws);
    lc_plan_free(&p);
    r->seconds = now_s() - c.t0;
    progress(&c);
    return st;
}
