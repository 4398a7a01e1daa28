/*
 * h5_sweep.c - the sweep engine (sweep.h): reductions over the full grid
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "grid/sweep_plan.h"
#include "llmcost/h5file.h"
#include "llmcost/kernel.h"
#include "llmcost/sweep.h"

#define BATCH_PER_THREAD 2
#define RED_BATCH 64

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

lc_status lc_sweep_count_chunks(const lc_spec *s, uint64_t *n, lc_diag *d)
{
    lc_plan p;
    stored_ds ds[LC_OUT_COUNT];
    int nds;
    uint64_t bytes;
    lc_status st = lc_plan_init(&p, s, d);
    if (st == LC_OK)
        st = plan_stored(s, &p, ds, &nds, n, &bytes, d);
    lc_plan_free(&p);
    return st;
}

lc_status lc_sweep_stored_bytes(const lc_spec *s, uint64_t *bytes, lc_diag *d)
{
    lc_plan p;
    stored_ds ds[LC_OUT_COUNT];
    int nds;
    uint64_t n;
    lc_status st = lc_plan_init(&p, s, d);
    if (st == LC_OK)
        st = plan_stored(s, &p, ds, &nds, &n, bytes, d);
    lc_plan_free(&p);
    return st;
}

/* ---- reductions ------------------------------------------------------------ */
typedef struct {
    double min, max, sum;
    uint64_t imin, imax; /* flat sub-grid index of the first min / max */
    uint64_t nnan, n;
    uint64_t cnt[LC_MAX_CONDS];
} partial;

static void partial_init(partial *q)
{
    memset(q, 0, sizeof *q);
    q->min = INFINITY;
    q->max = -INFINITY;
    q->imin = q->imax = UINT64_MAX;
}

static uint64_t count_cond(const double *restrict v, uint64_t n, lc_cmp op, double c)
{
    uint64_t k = 0;
    switch (op) {
    case LC_CMP_LT:
#pragma omp simd reduction(+ : k)
        for (uint64_t j = 0; j < n; j++) k += v[j] < c;
        break;
    case LC_CMP_LE:
#pragma omp simd reduction(+ : k)
        for (uint64_t j = 0; j < n; j++) k += v[j] <= c;
        break;
    case LC_CMP_GT:
#pragma omp simd reduction(+ : k)
        for (uint64_t j = 0; j < n; j++) k += v[j] > c;
        break;
    case LC_CMP_GE:
#pragma omp simd reduction(+ : k)
        for (uint64_t j = 0; j < n; j++) k += v[j] >= c;
        break;
    }
    return k;
}

/* Reduce the valid part of one evaluated chunk into q. */
static void reduce_chunk(const lc_subgrid *g, const lc_tiling *t, const uint64_t *origin,
                         const uint64_t *extent, const double *buf, int want_stats,
                         const int *conds, int n_conds, const lc_spec *s, partial *q)
{
    int r = g->rank;
    uint64_t rowlen = r ? extent[r - 1] : 1, nrows = 1, local[LC_MAX_AXES] = {0};
    for (int j = 0; j < r - 1; j++)
        nrows *= extent[j];
    double cmin = INFINITY, cmax = -INFINITY;
    uint64_t pmin = UINT64_MAX, pmax = UINT64_MAX; /* row*rowlen + j of first hit */
    uint64_t lmin[LC_MAX_AXES] = {0}, lmax[LC_MAX_AXES] = {0};
    for (uint64_t row = 0; row < nrows; row++) {
        uint64_t off = 0;
        for (int j = 0; j < r - 1; j++)
            off = off * t->chunk[j] + local[j];
        const double *restrict v = buf + (r ? off * t->chunk[r - 1] : 0);
        for (int c = 0; c < n_conds; c++)
            q->cnt[c] += count_cond(v, rowlen, s->conds[conds[c]].op, s->conds[conds[c]].value);
        if (want_stats) {
            double mn = INFINITY, mx = -INFINITY, sum = 0.0;
            uint64_t nn = 0;
#pragma omp simd reduction(min : mn) reduction(max : mx) reduction(+ : nn)
            for (uint64_t j = 0; j < rowlen; j++) {
                double x = v[j];
                int isn = x != x;
                nn += (uint64_t)isn;
                mn = (!isn && x < mn) ? x : mn;
                mx = (!isn && x > mx) ? x : mx;
            }
            /* sequential sum: the same order in every build and thread count */
            for (uint64_t j = 0; j < rowlen; j++)
                sum += v[j] != v[j] ? 0.0 : v[j];
            q->sum += sum;
            q->nnan += nn;
            q->n += rowlen;
            if (mn < cmin) {
                cmin = mn;
                for (uint64_t j = 0; j < rowlen; j++)
                    if (v[j] == mn) { pmin = j; break; }
                memcpy(lmin, local, sizeof lmin);
            }
            if (mx > cmax) {
                cmax = mx;
                for (uint64_t j = 0; j < rowlen; j++)
                    if (v[j] == mx) { pmax = j; break; }
                memcpy(lmax, local, sizeof lmax);
            }
        }
        for (int j = r - 2; j >= 0; j--) {
            if (++local[j] < extent[j])
                break;
            local[j] = 0;
        }
    }
    if (!want_stats)
        return;
    uint64_t co[LC_MAX_AXES];
    if (pmin != UINT64_MAX) {
        for (int j = 0; j < r - 1; j++)
            co[j] = origin[j] + lmin[j];
        if (r)
            co[r - 1] = origin[r - 1] + pmin;
        uint64_t f = lc_grid_flat(g->dims, r, co);
        if (cmin < q->min || (cmin == q->min && f < q->imin)) {
            q->min = cmin;
            q->imin = f;
        }
    }
    if (pmax != UINT64_MAX) {
        for (int j = 0; j < r - 1; j++)
            co[j] = origin[j] + lmax[j];
        if (r)
            co[r - 1] = origin[r - 1] + pmax;
        uint64_t f = lc_grid_flat(g->dims, r, co);
        if (cmax > q->max || (cmax == q->max && f < q->imax)) {
            q->max = cmax;
            q->imax = f;
        }
    }
}

static void partial_fold(partial *a, const partial *b, int n_conds)
{
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
    a->n += b->n;
    for (int c = 0; c < n_conds; c++)
        a->cnt[c] += b->cnt[c];
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

static lc_status run_reductions(run_ctx *c, const lc_plan *p, const lc_kernel *k, int nt,
                                double *bufs, size_t buf_pts, lc_diag *d)
{
    const lc_spec *s = c->s;
    lc_sweep_result *r = c->r;
    int outs[LC_OUT_COUNT], n_outs = 0;
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
    partial *slots = malloc(RED_BATCH * sizeof *slots);
    if (slots == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
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
            free(slots);
            return st;
        }
        partial tot;
        partial_init(&tot);
        for (uint64_t b0 = 0; b0 < t.n_chunks; b0 += RED_BATCH) {
            uint64_t nb = t.n_chunks - b0 < RED_BATCH ? t.n_chunks - b0 : RED_BATCH;
#pragma omp parallel for num_threads(nt) schedule(static)
            for (uint64_t i = 0; i < nb; i++) {
                uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES];
                double *buf = bufs + (size_t)omp_get_thread_num() * buf_pts;
                lc_tiling_chunk(&t, b0 + i, origin, extent);
                lc_plan_eval_chunk(p, k, out, &g, origin, extent, t.chunk, buf);
                partial_init(&slots[i]);
                reduce_chunk(&g, &t, origin, extent, buf, want, conds, nc, s, &slots[i]);
            }
            uint64_t pts = 0;
            for (uint64_t i = 0; i < nb; i++) {
                partial_fold(&tot, &slots[i], nc);
                uint64_t origin[LC_MAX_AXES], extent[LC_MAX_AXES], q = 1;
                lc_tiling_chunk(&t, b0 + i, origin, extent);
                for (int j = 0; j < g.rank; j++)
                    q *= extent[j];
                pts += q;
            }
            r->evaluated_points += pts;
            c->prog.points_done += pts;
            progress(c);
            if (cancelled(c)) {
                free(slots);
                return lc_diag_set(d, LC_EINTR, NULL, 0, "interrupted");
            }
        }
        uint64_t other = p->grid_points / t.points;
        if (want) {
            lc_reduction *rd = &r->red[r->n_red++];
            rd->output = out;
            rd->count_nan = tot.nnan * other;
            rd->count_finite = (t.points - tot.nnan) * other;
            rd->valid = tot.imin != UINT64_MAX;
            rd->min = rd->valid ? tot.min : NAN;
            rd->max = rd->valid ? tot.max : NAN;
            rd->mean = t.points > tot.nnan ? tot.sum / (double)(t.points - tot.nnan) : NAN;
            to_full(&g, rd->valid ? tot.imin : 0, s->n_axes, rd->argmin);
            to_full(&g, rd->valid ? tot.imax : 0, s->n_axes, rd->argmax);
        }
        for (int i = 0; i < nc; i++) {
            r->cond[conds[i]].count = tot.cnt[i] * other;
            r->cond[conds[i]].share = (double)r->cond[conds[i]].count / (double)p->grid_points;
        }
    }
    r->n_cond = s->n_conds;
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

static lc_status run_store(run_ctx *c, const lc_plan *p, const lc_kernel *k, int nt,
                           stored_ds *ds, int nds, lc_h5w *w, const int *ds_index,
                           uint64_t first, uint64_t last, lc_diag *d)
{
    const lc_spec *s = c->s;
    lc_sweep_result *r = c->r;
    size_t es = s->float32 ? 4 : 8;
    uint64_t maxpts = 1;
    int nslots = nt * BATCH_PER_THREAD;
    lc_status st = LC_OK;
    for (int i = 0; i < nds; i++)
        if (ds[i].t.chunk_points > maxpts)
            maxpts = ds[i].t.chunk_points;
    size_t rawb = (size_t)maxpts * 8, encb = lc_chunk_encode_bound(s->codec, (size_t)maxpts * es);
    slot *sl = calloc((size_t)nslots, sizeof *sl);
    if (sl == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < nslots; i++) {
        sl[i].raw = amalloc(rawb);
        sl[i].tmp = s->codec == LC_CODEC_SHUFFLE_DEFLATE ? amalloc(rawb) : NULL;
        sl[i].enc = lc_codec_precompressed(s->codec) && s->codec != LC_CODEC_NONE ? amalloc(encb) : NULL;
        if (sl[i].raw == NULL ||
            (s->codec == LC_CODEC_SHUFFLE_DEFLATE && sl[i].tmp == NULL) ||
            (lc_codec_precompressed(s->codec) && s->codec != LC_CODEC_NONE && sl[i].enc == NULL)) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory for chunk buffers");
            goto out;
        }
    }
    for (int di = 0; di < nds && st == LC_OK; di++) {
        stored_ds *x = &ds[di];
        uint64_t lo = x->first > first ? x->first : first;
        uint64_t hi = x->first + x->t.n_chunks < last ? x->first + x->t.n_chunks : last;
        size_t cbytes = (size_t)x->t.chunk_points * es;
        for (uint64_t b0 = lo; b0 < hi && st == LC_OK; b0 += (uint64_t)nslots) {
            uint64_t nb = hi - b0 < (uint64_t)nslots ? hi - b0 : (uint64_t)nslots;
#pragma omp parallel for num_threads(nt) schedule(static)
            for (uint64_t i = 0; i < nb; i++) {
                slot *q = &sl[i];
                uint64_t pts = 1;
                lc_tiling_chunk(&x->t, b0 + i - x->first, q->origin, q->extent);
                for (int j = 0; j < x->g.rank; j++)
                    pts *= q->extent[j];
                /* edge chunk: defined bytes in the padding */
                if (pts != x->t.chunk_points)
                    memset(q->raw, 0, (size_t)x->t.chunk_points * 8);
                lc_plan_eval_chunk(p, k, x->output, &x->g, q->origin, q->extent, x->t.chunk,
                                   q->raw);
                if (es == 4) {
                    float *f = (float *)q->raw;
                    for (uint64_t j = 0; j < x->t.chunk_points; j++)
                        f[j] = (float)q->raw[j];
                }
                q->st = lc_chunk_encode(s->codec, s->codec_level, es, q->raw, cbytes, q->tmp,
                                        q->enc, encb, &q->len, &q->d);
                q->data = s->codec == LC_CODEC_NONE || !lc_codec_precompressed(s->codec)
                              ? (const void *)q->raw : (const void *)q->enc;
                if (!lc_codec_precompressed(s->codec))
                    q->len = cbytes;
            }
            for (uint64_t i = 0; i < nb && st == LC_OK; i++) {
                slot *q = &sl[i];
                uint64_t pts = 1;
                for (int j = 0; j < x->g.rank; j++)
                    pts *= q->extent[j];
                if (q->st != LC_OK) {
                    *d = q->d;
                    st = q->st;
                    break;
                }
                if (w != NULL &&
                    (st = lc_h5w_chunk(w, ds_index[di], q->origin, q->extent, q->data, q->len,
                                       d)) != LC_OK)
                    break;
                r->stored_points += pts;
                r->evaluated_points += pts;
                r->stored_bytes_raw += pts * es;
                r->stored_bytes_file += q->len;
                r->chunks++;
                c->prog.chunks_done++;
                c->prog.points_done += pts;
            }
            progress(c);
            if (st == LC_OK && cancelled(c))
                st = lc_diag_set(d, LC_EINTR, NULL, 0, "interrupted");
        }
    }
out:
    for (int i = 0; i < nslots; i++) {
        free(sl[i].raw);
        free(sl[i].tmp);
        free(sl[i].enc);
    }
    free(sl);
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
    stored_ds ds[LC_OUT_COUNT];
    int nds = 0, ds_index[LC_OUT_COUNT];
    uint64_t n_chunks = 0, bytes = 0;
    lc_h5w *w = NULL;
    double *bufs = NULL;
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
        snprintf(partial_path, sizeof partial_path, "%s.partial", path);
        if (!o->force && path_exists(path)) {
            st = lc_diag_set(d, LC_EEXIST, path, 0, "exists (use --force to overwrite)");
            goto out;
        }
        if (!o->force && path_exists(partial_path)) {
            st = lc_diag_set(d, LC_EEXIST, partial_path, 0,
                             "exists: an interrupted or running sweep (use --force to "
                             "overwrite)");
            goto out;
        }
        if (!o->force && (st = check_space(path, bytes, d)) != LC_OK)
            goto out;
        lc_h5_prov prov = {k->isa, nt, p.grid_points};
        if ((st = lc_h5w_create(&w, partial_path, s, &prov, d)) != LC_OK)
            goto out;
        for (int i = 0; i < nds; i++)
            if ((st = lc_h5w_dataset(w, ds[i].output, ds[i].g.rank, ds[i].g.axis, ds[i].g.dims,
                                     ds[i].t.chunk, &ds_index[i], d)) != LC_OK)
                goto out;
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
        lc_subgrid g;
        for (int i = 0; i < s->n_reduce; i++) {
            lc_plan_subgrid(&p, p.out_axes[s->reduce[i]], &g);
            uint64_t q;
            lc_grid_points(g.dims, g.rank, &q, NULL);
            c.prog.points_total += q;
        }
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
        if ((st = run_reductions(&c, &p, k, nt, bufs, buf_pts, d)) != LC_OK)
            goto out;
    }
    double t2 = now_s();
    r->seconds_reduce = t2 - t1;
    if ((st = run_store(&c, &p, k, nt, ds, nds, w, ds_index, first, last, d)) != LC_OK)
        goto out;
    r->seconds_store = now_s() - t2;
    if (w != NULL && !o->skip_reductions && (st = lc_h5w_summary(w, r, d)) != LC_OK)
        goto out;
    if (w != NULL) {
        st = lc_h5w_close(w, d);
        w = NULL;
        if (st != LC_OK)
            goto out;
        if (rename(partial_path, path) != 0) {
            st = lc_diag_set(d, LC_EIO, path, 0, "rename from %s failed: %s", partial_path,
                             strerror(errno));
            goto out;
        }
        snprintf(r->file, sizeof r->file, "%s", path);
    }
out:
    if (w != NULL) {
        lc_diag ignore;
        lc_h5w_close(w, &ignore); /* leaves the .partial */
    }
    free(bufs);
    lc_plan_free(&p);
    r->seconds = now_s() - c.t0;
    progress(&c);
    return st;
}
