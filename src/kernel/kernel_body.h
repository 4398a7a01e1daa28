/*
 * kernel_body.h - the point-list kernel, compiled once per ISA path
 * (kernel_scalar.c, kernel_avx2.c, kernel_avx512.c include it after
 * defining LC_KERNEL_FN and LC_SIMD).
 *
 * One call evaluates the requested outputs at n points.  Every node of the
 * graph in kernel_nodes.h whose inputs all have stride 0 is computed once,
 * as a scalar; the others run as branch-free vector loops over tiles of
 * LC_TILE points, constant arguments broadcast into a tile buffer once per
 * call.  A scalar node is the same loop run with n = 1, so hoisting never
 * changes a bit.  No allocation: the scratch lives on the stack (~108 KiB).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/kernel_nodes.h"
#include "kernel/kernel.h"

#define LC_TILE 256

/* Evaluate node `id` at m points: o[j] = f(a[0][j], a[1][j], ...), one case
 * per LC_GRAPH entry (model_graph.h) calling its model.h formula. */
static void node_run(int id, const double *const *a, double *restrict o, size_t m)
{
    const double *restrict a0 = a[0], *restrict a1 = a[1], *restrict a2 = a[2];
    const double *restrict a3 = a[3], *restrict a4 = a[4], *restrict a5 = a[5];
    const double *restrict a6 = a[6], *restrict a7 = a[7];
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7;
    switch (id) {
#define LC_AJ(k, arg) a##k[j]
#define LC_X(nid, fn, ...)                                                                   \
    case N_##nid:                                                                            \
        LC_SIMD for (size_t j = 0; j < m; j++)                                               \
            o[j] = fn(LC_MAP(LC_AJ, __VA_ARGS__));                                           \
        break;
        LC_GRAPH(LC_X)
#undef LC_X
#undef LC_AJ
    default:
        break;
    }
}

/* The fused reductions' accumulation (defined below with the scans). */
struct lc_scan;
static void acc_tile(lc_scan *s, const double *v, size_t n, uint64_t e0);
static void acc_step(lc_scan *s, int id, const double *const *a, double *o, size_t m,
                     uint64_t e0);

void LC_NODES_FN(const double *const *in, const size_t *stride, size_t n,
                 const int *nodes, int n_nodes, double *const *out)
{
    _Alignas(64) double arena[N_COUNT][LC_TILE];
    double sval[N_COUNT];
    static const double unused = 0.0;
    lc_nodeset need, vary, filled;
    int first_out[N_COUNT]; /* requested index holding each node, -1 */

    if (n == 0 || n_nodes <= 0)
        return;
    lc_ns_clear(&need);
    lc_ns_clear(&vary);
    lc_ns_clear(&filled);
    for (int i = 0; i < N_COUNT; i++)
        first_out[i] = -1;
    /* a pick node whose first input is constant over the call evaluates
     * only the branch it picks */
    double ilo[LC_IN_COUNT], ihi[LC_IN_COUNT];
    for (int i = 0; i < LC_IN_COUNT; i++) {
        ilo[i] = -INFINITY;
        ihi[i] = INFINITY;
    }
    for (int id = LC_IN_COUNT; id < N_COUNT; id++) {
        int sel = lc_node_defs[id].args[0];
        if (sel < LC_IN_COUNT && stride[sel] == 0 && in[sel] != NULL)
            ilo[sel] = ihi[sel] = in[sel][0];
    }
    for (int k = 0; k < n_nodes; k++) {
        int nd = nodes[k];
        lc_nodeset c = lc_node_closure_in(nd, ilo, ihi);
        lc_ns_or(&need, &c);
        if (first_out[nd] < 0 && nd >= LC_IN_COUNT)
            first_out[nd] = k;
    }
    for (int i = 0; i < LC_IN_COUNT; i++) {
        if (!lc_ns_has(&need, i))
            continue;
        if (stride[i])
            lc_ns_add(&vary, i);
        else
            sval[i] = in[i][0];
    }
    for (int id = LC_IN_COUNT; id < N_COUNT; id++) {
        if (!lc_ns_has(&need, id))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        int v = 0;
        for (int a = 0; a < nd->nargs; a++)
            v |= lc_ns_has(&vary, nd->args[a]);
        if (v) {
            lc_ns_add(&vary, id);
            continue;
        }
        /* Hoisted: every argument is constant over the call. */
        const double *args[LC_NODE_MAX_ARGS];
        for (int a = 0; a < LC_NODE_MAX_ARGS; a++)
            args[a] = &unused;
        unsigned live = lc_node_live_args(id, ilo, ihi); /* a dead branch: unused */
        for (int a = 0; a < nd->nargs; a++)
            if (live >> a & 1)
                args[a] = &sval[nd->args[a]];
        node_run(id, args, &sval[id], 1);
    }

    size_t fill = n < LC_TILE ? n : LC_TILE;
    for (size_t t = 0; t < n; t += LC_TILE) {
        size_t m = n - t < LC_TILE ? n - t : LC_TILE;
        for (int id = LC_IN_COUNT; id < N_COUNT; id++) {
            if (!lc_ns_has(&vary, id) || !lc_ns_has(&need, id))
                continue;
            const lc_node_def *nd = &lc_node_defs[id];
            const double *args[LC_NODE_MAX_ARGS];
            unsigned live = lc_node_live_args(id, ilo, ihi); /* a dead branch reads arg 0 */
            for (int a = 0; a < LC_NODE_MAX_ARGS; a++) {
                int s = nd->args[a < nd->nargs && (live >> a & 1) ? a : 0];
                if (lc_ns_has(&vary, s)) {
                    if (s < LC_IN_COUNT)
                        args[a] = in[s] + t;
                    else if (first_out[s] >= 0)
                        args[a] = out[first_out[s]] + t;
                    else
                        args[a] = arena[s];
                } else {
                    /* Constant argument of a varying node: broadcast once. */
                    if (!lc_ns_has(&filled, s)) {
                        double x = sval[s];
                        LC_SIMD for (size_t j = 0; j < fill; j++)
                            arena[s][j] = x;
                        lc_ns_add(&filled, s);
                    }
                    args[a] = arena[s];
                }
            }
            double *o = first_out[id] >= 0 ? out[first_out[id]] + t : arena[id];
            node_run(id, args, o, m);
        }
        for (int k = 0; k < n_nodes; k++) {
            int nd = nodes[k];
            double *o = out[k] + t;
            if (nd < LC_IN_COUNT) {
                LC_SIMD for (size_t j = 0; j < m; j++)
                    o[j] = stride[nd] ? in[nd][t + j] : in[nd][0];
            } else if (!lc_ns_has(&vary, nd)) {
                double x = sval[nd];
                LC_SIMD for (size_t j = 0; j < m; j++)
                    o[j] = x;
            } else if (first_out[nd] != k) {
                memcpy(o, out[first_out[nd]] + t, m * sizeof *o);
            }
        }
    }
}

void LC_KERNEL_FN(const lc_block_in *in, size_t n, const int *outs, int n_outs,
                  double *const *out)
{
    int nodes[LC_OUT_COUNT * 2];
    if (n_outs > LC_OUT_COUNT * 2) { /* more than any sensible request: split */
        LC_KERNEL_FN(in, n, outs, LC_OUT_COUNT * 2, out);
        LC_KERNEL_FN(in, n, outs + LC_OUT_COUNT * 2, n_outs - LC_OUT_COUNT * 2,
                     out + LC_OUT_COUNT * 2);
        return;
    }
    for (int k = 0; k < n_outs; k++)
        nodes[k] = lc_outputs[outs[k]].node;
    LC_NODES_FN(in->in, in->stride, n, nodes, n_outs, out);
}

void LC_ROWS_FN(const lc_rowprog *p, size_t nrows, size_t rowlen,
                const double *const *inner, const double *const *rv,
                const size_t *rv_stride, double *out, const size_t *row_off,
                double *scratch, const lc_rows_sink *sink)
{
    /* scratch: step results, broadcast row values, inner inputs tiled */
    double(*arena)[LC_BLOCK_PITCH] = (double(*)[LC_BLOCK_PITCH])scratch;
    double(*bc)[LC_BLOCK_PITCH] = arena + (N_COUNT - LC_IN_COUNT);
    double(*tiled)[LC_BLOCK_PITCH] = bc + N_COUNT;
    const double *args[N_COUNT - LC_IN_COUNT][LC_NODE_MAX_ARGS];
    double last[N_COUNT];
    int last_step = p->n_steps - 1;

    if (p->out_rowval >= 0) { /* constant along the row */
        size_t span = rowlen < LC_BLOCK ? rowlen : LC_BLOCK;
        for (size_t q = 0; q < nrows; q++) {
            double x = rv[p->out_rowval][q * rv_stride[p->out_rowval]];
            if (sink == NULL) {
                double *o = out + row_off[q];
                LC_SIMD for (size_t j = 0; j < rowlen; j++)
                    o[j] = x;
                continue;
            }
            double *o = arena[0];
            LC_SIMD for (size_t j = 0; j < span; j++)
                o[j] = x;
            for (size_t t = 0; t < rowlen; t += LC_BLOCK) {
                size_t m = rowlen - t < LC_BLOCK ? rowlen - t : LC_BLOCK;
                if (sink->acc)
                    acc_tile(sink->acc, o, m, sink->base + q * rowlen + t);
                if (sink->fn)
                    sink->fn(sink->user, o, q, 1, t, m);
            }
        }
        return;
    }
    if (nrows == 0 || rowlen == 0)
        return;
    size_t rows_per = rowlen >= LC_BLOCK ? 1 : LC_BLOCK / rowlen;
    size_t span = rows_per == 1 ? (rowlen < LC_BLOCK ? rowlen : LC_BLOCK) : rows_per * rowlen;
    uint64_t tiled_done = 0;
    for (int s = 0; s < p->n_steps; s++)
        for (int a = 0; a < LC_NODE_MAX_ARGS; a++) {
            int r = p->ref[s][a];
            switch (p->kind[s][a]) {
            case LC_ARG_INNER:
                if (rows_per > 1) {
                    /* the row axis' values repeated for a block of rows */
                    if (!(tiled_done >> r & 1)) {
                        for (size_t q = 0; q < rows_per; q++)
                            memcpy(tiled[r] + q * rowlen, inner[r], rowlen * sizeof(double));
                        tiled_done |= (uint64_t)1 << r;
                    }
                    args[s][a] = tiled[r];
                } else {
                    args[s][a] = inner[r];
                }
                break;
            case LC_ARG_NODE: args[s][a] = arena[r]; break;
            default: args[s][a] = bc[r]; break;
            }
        }
    for (int k = 0; k < p->n_rowvals; k++) {
        last[k] = NAN;
        if (rv_stride[k] == 0) { /* the same for every row: fill once */
            double x = rv[k][0];
            LC_SIMD for (size_t j = 0; j < span; j++)
                bc[k][j] = x;
        }
    }
    if (rows_per == 1) { /* long rows: tiles along each row */
        for (size_t q = 0; q < nrows; q++) {
            for (int k = 0; k < p->n_rowvals; k++) {
                double x = rv[k][q * rv_stride[k]];
                if (rv_stride[k] && memcmp(&x, &last[k], sizeof x) != 0) {
                    LC_SIMD for (size_t j = 0; j < span; j++)
                        bc[k][j] = x;
                    last[k] = x;
                }
            }
            double *orow = sink ? NULL : out + row_off[q];
            for (size_t t = 0; t < rowlen; t += LC_BLOCK) {
                size_t m = rowlen - t < LC_BLOCK ? rowlen - t : LC_BLOCK;
                for (int s = 0; s < p->n_steps; s++) {
                    const double *a2[LC_NODE_MAX_ARGS];
                    for (int a = 0; a < LC_NODE_MAX_ARGS; a++)
                        a2[a] = p->kind[s][a] == LC_ARG_INNER ? args[s][a] + t : args[s][a];
                    if (s == last_step && sink && sink->acc)
                        acc_step(sink->acc, p->id[s], a2, arena[s], m, sink->base + q * rowlen + t);
                    else
                        node_run(p->id[s], a2, s == last_step && orow ? orow + t : arena[s], m);
                }
                if (sink && sink->fn)
                    sink->fn(sink->user, arena[last_step], q, 1, t, m);
            }
        }
        return;
    }
    /* short rows: blocks of rows_per rows, one vector loop per step.  A row
     * value that is one value over the block, the one its tile already
     * holds from the previous block, is not broadcast again, and a step
     * none of whose arguments changed since the previous block keeps its
     * tile: the same operations on the same values, so the same bits.
     * (Row values of the outer dimensions stay put for many blocks.) */
    unsigned char held[N_COUNT], rv_new[N_COUNT], step_new[N_COUNT];
    double hval[N_COUNT];
    for (int k = 0; k < p->n_rowvals; k++)
        held[k] = 0;
    for (size_t q0 = 0; q0 < nrows; q0 += rows_per) {
        size_t nb = nrows - q0 < rows_per ? nrows - q0 : rows_per;
        size_t len = nb * rowlen;
        int contiguous = sink == NULL;
        for (size_t q = 1; contiguous && q < nb; q++)
            contiguous &= row_off[q0 + q] == row_off[q0] + q * rowlen;
        for (int k = 0; k < p->n_rowvals; k++) {
            rv_new[k] = q0 == 0;
            if (rv_stride[k] == 0)
                continue;
            const double *x = &rv[k][q0];
            int same = 1;
            for (size_t q = 1; q < nb; q++)
                same &= memcmp(&x[q], x, sizeof *x) == 0;
            if (same && held[k] && memcmp(&hval[k], x, sizeof *x) == 0)
                continue;
            rv_new[k] = 1;
            held[k] = (unsigned char)same;
            hval[k] = x[0];
            for (size_t q = 0; q < nb; q++) {
                double xq = x[q];
                double *dst = bc[k] + q * rowlen;
                LC_SIMD for (size_t j = 0; j < rowlen; j++)
                    dst[j] = xq;
            }
        }
        double *o = contiguous ? out + row_off[q0] : arena[last_step];
        for (int s = 0; s < p->n_steps; s++) {
            int changed = q0 == 0;
            for (int a = 0; a < LC_NODE_MAX_ARGS; a++) {
                int r = p->ref[s][a];
                if (p->kind[s][a] == LC_ARG_ROWVAL)
                    changed |= rv_new[r];
                else if (p->kind[s][a] == LC_ARG_NODE)
                    changed |= step_new[r];
            }
            step_new[s] = (unsigned char)changed;
            if (s == last_step && sink && sink->acc) {
                uint64_t e0 = sink->base + q0 * rowlen;
                if (changed)
                    acc_step(sink->acc, p->id[s], args[s], arena[s], len, e0);
                else
                    acc_tile(sink->acc, arena[s], len, e0);
            } else if (changed || (s == last_step && sink == NULL)) {
                node_run(p->id[s], args[s], s == last_step ? o : arena[s], len);
            }
        }
        if (sink && sink->fn)
            sink->fn(sink->user, arena[last_step], q0, nb, 0, rowlen);
        else if (!contiguous)
            for (size_t q = 0; q < nb; q++)
                memcpy(out + row_off[q0 + q], arena[last_step] + q * rowlen,
                       rowlen * sizeof(double));
    }
}

/* Reduction scan of one row v[0..n) whose first point has index `base`:
 * minimum and maximum over non-NaN values with the index of their first
 * occurrence (each of 8 lanes keeps its first strict improvement; ties
 * between lanes go to the smaller index; earlier calls win ties), NaN
 * count, sums of the non-NaN values in 8 fixed lanes (element j of the row
 * in lane j % 8, so the rounding is the same in every ISA path and for any
 * thread count), and the conditions' counts (v < c, or v <= c when incl). */
#ifdef LC_VECTOR_EXT
/* The 8 lanes as LC_NV native vectors of LC_VECTOR_EXT bytes (two 32-byte
 * halves under AVX2, one 64-byte vector under AVX-512): a type wider than
 * the target's registers would be lowered through the stack (GCC 12: ~20x
 * slower; -Wvector-operation-performance reports it and is an error under
 * WERROR=1).  Half h holds lanes LC_VL*h .. LC_VL*h+LC_VL-1 and runs the
 * same per-lane operations as the plain loop below, so the bits are the
 * same in every path. */
#define LC_VL (LC_VECTOR_EXT / 8) /* doubles per native vector */
#define LC_NV (8 / LC_VL)         /* native vectors per 8 lanes */
typedef double lc_vd __attribute__((vector_size(LC_VECTOR_EXT)));
typedef long long lc_vl __attribute__((vector_size(LC_VECTOR_EXT)));
#define LC_EACH _Pragma("GCC unroll 8") for (int h = 0; h < LC_NV; h++)

/* For each lane that improved in a block (blk >= 0), the index of the
 * lane's first point equal to its extreme in that block. */
static inline void lc_scan_resolve(const double *restrict v, const lc_vd *ext,
                                   const lc_vl *blk, lc_vl *idx)
{
    double e[8];
    long long b[8], ix[8];
    memcpy(e, ext, sizeof e);
    memcpy(b, blk, sizeof b);
    memcpy(ix, idx, sizeof ix);
    for (int k = 0; k < 8; k++) {
        if (b[k] < 0)
            continue;
        for (int t = 0; t < 8; t++)
            if (v[b[k] + 8 * t + k] == e[k]) {
                ix[k] = b[k] + 8 * t + k;
                break;
            }
    }
    memcpy(idx, ix, sizeof ix);
}
#endif

void LC_SUM_FN(const double *restrict v, size_t n, lc_scan *restrict s);

#ifdef LC_VECTOR_EXT
/* node_run fused with a reduction (the last step of a fused row program):
 * o[j] as node_run computes it and, for j below m rounded down to 8, each
 * value added into lane j % 8 of s->lane and counted into s->cnt[q] when
 * below s->c[q] (nc <= 3 conditions "v < c"), as LC_SUM_FN does.  The
 * values must be finite (s->finite: no NaN test).  The 8 values of a block
 * are computed into t (one vector), then summed and counted in registers
 * beside the formula instead of in a second pass over o.  Returns the
 * number of points summed (o is complete either way). */
static size_t node_run_acc(int id, const double *const *a, double *restrict o, size_t m,
                           lc_scan *restrict s)
{
    const double *restrict a0 = a[0], *restrict a1 = a[1], *restrict a2 = a[2];
    const double *restrict a3 = a[3], *restrict a4 = a[4], *restrict a5 = a[5];
    const double *restrict a6 = a[6], *restrict a7 = a[7];
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7;
    const lc_vd zero = {0};
    const lc_vl izero = {0};
    lc_vd vsm[LC_NV], k0[LC_NV], k1[LC_NV], k2[LC_NV];
    lc_vl n0[LC_NV], n1[LC_NV], n2[LC_NV];
    int nc = s->nc;
    size_t j = 0;
    memcpy(vsm, s->lane, sizeof vsm);
    LC_EACH {
        k0[h] = zero + (nc > 0 ? s->c[0] : 0.0);
        k1[h] = zero + (nc > 1 ? s->c[1] : 0.0);
        k2[h] = zero + (nc > 2 ? s->c[2] : 0.0);
        n0[h] = n1[h] = n2[h] = izero;
    }
#define LC_AJK(k, arg) a##k[j + (size_t)q]
#define LC_ACC_LOOP(fn, CONDS, ...)                                                          \
    for (; j + 8 <= m; j += 8) {                                                             \
        double t[8];                                                                         \
        _Pragma("GCC unroll 8") for (int q = 0; q < 8; q++)                                  \
            t[q] = fn(LC_MAP(LC_AJK, __VA_ARGS__));                                          \
        LC_EACH {                                                                            \
            lc_vd x;                                                                         \
            memcpy(&x, t + LC_VL * h, sizeof x);                                             \
            memcpy(o + j + LC_VL * h, &x, sizeof x);                                         \
            vsm[h] += x;                                                                     \
            CONDS;                                                                           \
        }                                                                                    \
    }
#define LC_X(nid, fn, ...)                                                                   \
    case N_##nid:                                                                            \
        if (nc == 0) {                                                                       \
            LC_ACC_LOOP(fn, (void)0, __VA_ARGS__)                                            \
        } else if (nc == 1) {                                                                \
            LC_ACC_LOOP(fn, n0[h] -= x < k0[h], __VA_ARGS__)                                 \
        } else if (nc == 2) {                                                                \
            LC_ACC_LOOP(fn, n0[h] -= x < k0[h]; n1[h] -= x < k1[h], __VA_ARGS__)             \
        } else {                                                                             \
            LC_ACC_LOOP(fn, n0[h] -= x < k0[h]; n1[h] -= x < k1[h]; n2[h] -= x < k2[h],      \
                        __VA_ARGS__)                                                         \
        }                                                                                    \
        for (size_t r = j; r < m; r++) {                                                     \
            size_t q = r - j;                                                                \
            o[r] = fn(LC_MAP(LC_AJK, __VA_ARGS__));                                          \
        }                                                                                    \
        break;
    switch (id) {
        LC_GRAPH(LC_X)
    default:
        break;
    }
#undef LC_X
#undef LC_ACC_LOOP
#undef LC_AJK
    memcpy(s->lane, vsm, sizeof vsm);
    long long c[3][8];
    memcpy(c[0], n0, sizeof n0);
    memcpy(c[1], n1, sizeof n1);
    memcpy(c[2], n2, sizeof n2);
    for (int q = 0; q < nc; q++)
        for (int k = 0; k < 8; k++)
            s->cnt[q] += (uint64_t)c[q][k];
    return j;
}
#endif

/* lane k of s seen from element e0 on: the lanes rotated by e0 % 8 so
 * that element e0 + j goes into rotated lane j % 8 (into = 1), and back
 * (into = 0 with the same e0). */
static void acc_rotate(lc_scan *s, uint64_t e0, int into)
{
    double l[8];
    size_t r = (size_t)(e0 % 8);
    if (r == 0)
        return;
    for (size_t k = 0; k < 8; k++) {
        if (into)
            l[k] = s->lane[(r + k) % 8];
        else
            l[(r + k) % 8] = s->lane[k];
    }
    memcpy(s->lane, l, sizeof l);
}

/* Values v[0, n) of elements e0 .. e0+n-1 into the reduction s. */
static void acc_tile(lc_scan *s, const double *v, size_t n, uint64_t e0)
{
    acc_rotate(s, e0, 1);
    LC_SUM_FN(v, n, s);
    acc_rotate(s, e0, 0);
}

/* The last step of a fused row program: o = step(args) and o into s as
 * acc_tile does it, in one pass where s allows (vector paths, finite
 * values, at most 3 conditions, all "v < c"). */
static void acc_step(lc_scan *s, int id, const double *const *a, double *o, size_t m,
                     uint64_t e0)
{
#ifdef LC_VECTOR_EXT
    int fuse = s->finite && s->nc <= 3;
    for (int q = 0; q < s->nc; q++)
        fuse &= s->incl[q] == 0;
    if (fuse) {
        acc_rotate(s, e0, 1);
        size_t j = node_run_acc(id, a, o, m, s);
        if (j < m) /* the tail: lanes 0.. of the rotated frame */
            LC_SUM_FN(o + j, m - j, s);
        acc_rotate(s, e0, 0);
        return;
    }
#endif
    node_run(id, a, o, m);
    acc_tile(s, o, m, e0);
}

void LC_SCAN_FN(const double *restrict v, size_t n, uint64_t base, lc_scan *restrict s)
{
    double mn[8], mx[8], sm[8];
    uint64_t imn[8], imx[8], nn[8], cn[LC_SCAN_CONDS][8];
    int nc = s->nc;
    for (int k = 0; k < 8; k++) {
        mn[k] = INFINITY;
        mx[k] = -INFINITY;
        imn[k] = imx[k] = UINT64_MAX;
        sm[k] = s->lane[k];
        nn[k] = 0;
        for (int q = 0; q < LC_SCAN_CONDS; q++)
            cn[q][k] = 0;
    }
    size_t j = 0;
#ifdef LC_VECTOR_EXT
    {
        const lc_vd zero = {0}; /* splats from a constant (x - x is NaN for inf) */
        const lc_vl izero = {0};
        lc_vd vmn[LC_NV], vmx[LC_NV], vsm[LC_NV], vc[LC_SCAN_CONDS][LC_NV];
        lc_vl vimn[LC_NV], vimx[LC_NV], vnn[LC_NV], at[LC_NV], vinc[LC_SCAN_CONDS][LC_NV],
            vcn[LC_SCAN_CONDS][LC_NV], vbmn[LC_NV], vbmx[LC_NV];
        memcpy(vmn, mn, sizeof vmn);
        memcpy(vmx, mx, sizeof vmx);
        memcpy(vsm, sm, sizeof vsm);
        memcpy(vimn, imn, sizeof vimn);
        memcpy(vimx, imx, sizeof vimx);
        LC_EACH {
            vbmn[h] = vimn[h]; /* block of the last improvement, or none */
            vbmx[h] = vimx[h];
            vnn[h] = izero;
            for (int k = 0; k < LC_VL; k++)
                at[h][k] = LC_VL * h + k;
        }
        for (int q = 0; q < LC_SCAN_CONDS; q++)
            LC_EACH {
                vc[q][h] = zero + (q < nc ? s->c[q] : 0.0);
                vinc[q][h] = izero - (long long)(q < nc && s->incl[q]); /* all ones: incl */
                vcn[q][h] = izero;
            }
#define LC_SCAN_STEP(CONDS)                                                \
    LC_EACH {                                                              \
        lc_vd x;                                                           \
        memcpy(&x, v + j + LC_VL * h, sizeof x);                           \
        lc_vl isn = x != x, lt = x < vmn[h], gt = x > vmx[h];              \
        vmn[h] = (lc_vd)(((lc_vl)x & lt) | ((lc_vl)vmn[h] & ~lt));         \
        vimn[h] = (at[h] & lt) | (vimn[h] & ~lt);                          \
        vmx[h] = (lc_vd)(((lc_vl)x & gt) | ((lc_vl)vmx[h] & ~gt));         \
        vimx[h] = (at[h] & gt) | (vimx[h] & ~gt);                          \
        vsm[h] += (lc_vd)((lc_vl)x & ~isn);                                \
        vnn[h] -= isn;                                                     \
        at[h] += 8;                                                        \
        CONDS;                                                             \
    }
#define LC_SCAN_COND(a, c, i) a[h] -= (x < c[h]) | (i[h] & (x == c[h]))
#define LC_SCAN_LT(a, c) a[h] -= (x < c[h])
/* Blocks of 64 points: per-lane min/max of the block without indices,
 * then per block one compare against the running values, remembering the
 * block where each lane last improved (strictly: its first occurrence is
 * in that block).  Fewer operations per point than tracking indices. */
#define LC_SCAN_BLOCKS(CONDS)                                              \
    for (; j + 64 <= n; j += 64) {                                         \
        LC_EACH {                                                          \
            lc_vd bm = zero + INFINITY, bx = zero - INFINITY;              \
            for (int t = 0; t < 8; t++) {                                  \
                lc_vd x;                                                   \
                memcpy(&x, v + j + 8 * (size_t)t + LC_VL * h, sizeof x);   \
                lc_vl isn = x != x, lt = x < bm, gt = x > bx;              \
                bm = (lc_vd)(((lc_vl)x & lt) | ((lc_vl)bm & ~lt));         \
                bx = (lc_vd)(((lc_vl)x & gt) | ((lc_vl)bx & ~gt));         \
                vsm[h] += (lc_vd)((lc_vl)x & ~isn);                        \
                vnn[h] -= isn;                                             \
                CONDS;                                                     \
            }                                                              \
            lc_vl blt = bm < vmn[h], bgt = bx > vmx[h], jj = izero + (long long)j; \
            vmn[h] = (lc_vd)(((lc_vl)bm & blt) | ((lc_vl)vmn[h] & ~blt));  \
            vbmn[h] = (jj & blt) | (vbmn[h] & ~blt);                       \
            vmx[h] = (lc_vd)(((lc_vl)bx & bgt) | ((lc_vl)vmx[h] & ~bgt));  \
            vbmx[h] = (jj & bgt) | (vbmx[h] & ~bgt);                       \
        }                                                                  \
    }                                                                      \
    lc_scan_resolve(v, vmn, vbmn, vimn);                                   \
    lc_scan_resolve(v, vmx, vbmx, vimx);                                   \
    LC_EACH for (int k = 0; k < LC_VL; k++) at[h][k] = (long long)j + LC_VL * h + k
        int strict = 1; /* every condition "v < c" (the caller's usual form) */
        for (int q = 0; q < nc; q++)
            strict &= s->incl[q] == 0;
        /* the common condition counts unrolled, so the counters stay in
         * registers */
        if (!strict || nc > 3) {
            for (; j + 8 <= n; j += 8) {
                LC_SCAN_STEP(for (int q = 0; q < nc; q++) LC_SCAN_COND(vcn[q], vc[q], vinc[q]));
            }
        } else if (nc == 0) {
            LC_SCAN_BLOCKS((void)0);
            for (; j + 8 <= n; j += 8) {
                LC_SCAN_STEP((void)0);
            }
        } else if (nc == 1) {
            lc_vl a0[LC_NV];
            lc_vd c0[LC_NV];
            memcpy(a0, vcn[0], sizeof a0);
            memcpy(c0, vc[0], sizeof c0);
            LC_SCAN_BLOCKS(LC_SCAN_LT(a0, c0));
            for (; j + 8 <= n; j += 8) {
                LC_SCAN_STEP(LC_SCAN_LT(a0, c0));
            }
            memcpy(vcn[0], a0, sizeof a0);
        } else if (nc == 2) {
            lc_vl a0[LC_NV], a1[LC_NV];
            lc_vd c0[LC_NV], c1[LC_NV];
            memcpy(a0, vcn[0], sizeof a0);
            memcpy(a1, vcn[1], sizeof a1);
            memcpy(c0, vc[0], sizeof c0);
            memcpy(c1, vc[1], sizeof c1);
            LC_SCAN_BLOCKS(LC_SCAN_LT(a0, c0); LC_SCAN_LT(a1, c1));
            for (; j + 8 <= n; j += 8) {
                LC_SCAN_STEP(LC_SCAN_LT(a0, c0); LC_SCAN_LT(a1, c1));
            }
            memcpy(vcn[0], a0, sizeof a0);
            memcpy(vcn[1], a1, sizeof a1);
        } else {
            lc_vl a0[LC_NV], a1[LC_NV], a2[LC_NV];
            lc_vd c0[LC_NV], c1[LC_NV], c2[LC_NV];
            memcpy(a0, vcn[0], sizeof a0);
            memcpy(a1, vcn[1], sizeof a1);
            memcpy(a2, vcn[2], sizeof a2);
            memcpy(c0, vc[0], sizeof c0);
            memcpy(c1, vc[1], sizeof c1);
            memcpy(c2, vc[2], sizeof c2);
            LC_SCAN_BLOCKS(LC_SCAN_LT(a0, c0); LC_SCAN_LT(a1, c1); LC_SCAN_LT(a2, c2));
            for (; j + 8 <= n; j += 8) {
                LC_SCAN_STEP(LC_SCAN_LT(a0, c0); LC_SCAN_LT(a1, c1); LC_SCAN_LT(a2, c2));
            }
            memcpy(vcn[0], a0, sizeof a0);
            memcpy(vcn[1], a1, sizeof a1);
            memcpy(vcn[2], a2, sizeof a2);
        }
#undef LC_SCAN_STEP
#undef LC_SCAN_COND
#undef LC_SCAN_LT
#undef LC_SCAN_BLOCKS
        memcpy(mn, vmn, sizeof vmn);
        memcpy(mx, vmx, sizeof vmx);
        memcpy(sm, vsm, sizeof vsm);
        memcpy(imn, vimn, sizeof vimn);
        memcpy(imx, vimx, sizeof vimx);
        memcpy(nn, vnn, sizeof vnn);
        for (int q = 0; q < nc; q++)
            memcpy(cn[q], vcn[q], sizeof vcn[q]);
    }
#else
    for (; j + 8 <= n; j += 8) {
        for (int k = 0; k < 8; k++) {
            double x = v[j + k];
            uint64_t at = (uint64_t)(j + (size_t)k);
            int isn = x != x, lt = x < mn[k], gt = x > mx[k];
            mn[k] = lt ? x : mn[k];
            imn[k] = lt ? at : imn[k];
            mx[k] = gt ? x : mx[k];
            imx[k] = gt ? at : imx[k];
            sm[k] += isn ? 0.0 : x;
            nn[k] += (uint64_t)isn;
        }
        for (int q = 0; q < nc; q++) {
            double c = s->c[q];
            int inc = s->incl[q];
            for (int k = 0; k < 8; k++) {
                double x = v[j + k];
                cn[q][k] += (uint64_t)((x < c) | (inc & (x == c)));
            }
        }
    }
#endif
    for (int k = 0; j + (size_t)k < n; k++) {
        double x = v[j + (size_t)k];
        uint64_t at = (uint64_t)(j + (size_t)k);
        int isn = x != x;
        if (x < mn[k]) {
            mn[k] = x;
            imn[k] = at;
        }
        if (x > mx[k]) {
            mx[k] = x;
            imx[k] = at;
        }
        sm[k] += isn ? 0.0 : x;
        nn[k] += (uint64_t)isn;
        for (int q = 0; q < nc; q++)
            cn[q][k] += (uint64_t)((x < s->c[q]) | (s->incl[q] & (x == s->c[q])));
    }
    double rmin = INFINITY, rmax = -INFINITY;
    uint64_t pmin = UINT64_MAX, pmax = UINT64_MAX;
    for (int k = 0; k < 8; k++) {
        if (mn[k] < rmin || (mn[k] == rmin && imn[k] < pmin)) {
            rmin = mn[k];
            pmin = imn[k];
        }
        if (mx[k] > rmax || (mx[k] == rmax && imx[k] < pmax)) {
            rmax = mx[k];
            pmax = imx[k];
        }
        s->lane[k] = sm[k];
        s->nnan += nn[k];
        for (int q = 0; q < nc; q++)
            s->cnt[q] += cn[q][k];
    }
    if (pmin != UINT64_MAX && rmin < s->min) {
        s->min = rmin;
        s->imin = base + pmin;
    }
    if (pmax != UINT64_MAX && rmax > s->max) {
        s->max = rmax;
        s->imax = base + pmax;
    }
}

/* The scan without its min and max: lane sums, NaN count and condition
 * counts of one row, exactly as LC_SCAN_FN computes them (element j of the
 * row into lane j % 8, NaN skipped; s->min, max and their indices are left
 * alone).  For reductions whose min and max come from the structure of the
 * output (doc/performance.md). */
void LC_SUM_FN(const double *restrict v, size_t n, lc_scan *restrict s)
{
    double sm[8];
    uint64_t nn[8] = {0}, cn[LC_SCAN_CONDS][8];
    int nc = s->nc;
    memcpy(sm, s->lane, sizeof sm);
    memset(cn, 0, sizeof cn);
    size_t j = 0;
#ifdef LC_VECTOR_EXT
    {
        const lc_vd zero = {0};
        const lc_vl izero = {0};
        lc_vd vsm[LC_NV], vc[LC_SCAN_CONDS][LC_NV];
        lc_vl vnn[LC_NV], vinc[LC_SCAN_CONDS][LC_NV], vcn[LC_SCAN_CONDS][LC_NV];
        memcpy(vsm, sm, sizeof vsm);
        LC_EACH vnn[h] = izero;
        for (int q = 0; q < LC_SCAN_CONDS; q++)
            LC_EACH {
                vc[q][h] = zero + (q < nc ? s->c[q] : 0.0);
                vinc[q][h] = izero - (long long)(q < nc && s->incl[q]);
                vcn[q][h] = izero;
            }
#define LC_SUM_STEP(CONDS)                                                 \
    LC_EACH {                                                              \
        lc_vd x;                                                           \
        memcpy(&x, v + j + LC_VL * h, sizeof x);                           \
        lc_vl isn = x != x;                                                \
        vsm[h] += (lc_vd)((lc_vl)x & ~isn);                                \
        vnn[h] -= isn;                                                     \
        CONDS;                                                             \
    }
/* values proven finite (s->finite): no NaN to skip, the same sums */
#define LC_SUM_STEP_F(CONDS)                                               \
    LC_EACH {                                                              \
        lc_vd x;                                                           \
        memcpy(&x, v + j + LC_VL * h, sizeof x);                           \
        vsm[h] += x;                                                       \
        CONDS;                                                             \
    }
#define LC_SUM_LOOP(CONDS)                                                 \
    if (s->finite) {                                                       \
        for (; j + 8 <= n; j += 8) {                                       \
            LC_SUM_STEP_F(CONDS)                                           \
        }                                                                  \
    } else {                                                               \
        for (; j + 8 <= n; j += 8) {                                       \
            LC_SUM_STEP(CONDS)                                             \
        }                                                                  \
    }
#define LC_SUM_COND(q) vcn[q][h] -= (x < vc[q][h]) | (vinc[q][h] & (x == vc[q][h]))
        /* up to 3 conditions "v < c" (the caller's usual form) with their
         * counters in small local arrays, so they stay in registers (the
         * big arrays above would go through the stack on every update) */
        int strict = 1;
        for (int q = 0; q < nc; q++)
            strict &= s->incl[q] == 0;
#define LC_SUM_LT(a, c) a[h] -= (x < c[h])
        if (nc == 0) {
            LC_SUM_LOOP((void)0)
        } else if (strict && nc <= 3) {
            lc_vl a0[LC_NV], a1[LC_NV], a2[LC_NV];
            lc_vd c0[LC_NV], c1[LC_NV], c2[LC_NV];
            memcpy(a0, vcn[0], sizeof a0);
            memcpy(a1, vcn[1], sizeof a1);
            memcpy(a2, vcn[2], sizeof a2);
            memcpy(c0, vc[0], sizeof c0);
            memcpy(c1, vc[1], sizeof c1);
            memcpy(c2, vc[2], sizeof c2);
            if (nc == 1) {
                LC_SUM_LOOP(LC_SUM_LT(a0, c0))
            } else if (nc == 2) {
                LC_SUM_LOOP(LC_SUM_LT(a0, c0); LC_SUM_LT(a1, c1))
            } else {
                LC_SUM_LOOP(LC_SUM_LT(a0, c0); LC_SUM_LT(a1, c1); LC_SUM_LT(a2, c2))
            }
            memcpy(vcn[0], a0, sizeof a0);
            memcpy(vcn[1], a1, sizeof a1);
            memcpy(vcn[2], a2, sizeof a2);
        } else {
            for (; j + 8 <= n; j += 8) {
                LC_SUM_STEP(for (int q = 0; q < nc; q++) LC_SUM_COND(q))
            }
        }
#undef LC_SUM_LT
#undef LC_SUM_STEP
#undef LC_SUM_STEP_F
#undef LC_SUM_LOOP
#undef LC_SUM_COND
        memcpy(sm, vsm, sizeof vsm);
        memcpy(nn, vnn, sizeof vnn);
        for (int q = 0; q < nc; q++)
            memcpy(cn[q], vcn[q], sizeof vcn[q]);
    }
#endif
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; k++) {
            double x = v[j + (size_t)k];
            int isn = x != x;
            sm[k] += isn ? 0.0 : x;
            nn[k] += (uint64_t)isn;
            for (int q = 0; q < nc; q++)
                cn[q][k] += (uint64_t)((x < s->c[q]) | (s->incl[q] & (x == s->c[q])));
        }
    for (int k = 0; j + (size_t)k < n; k++) {
        double x = v[j + (size_t)k];
        int isn = x != x;
        sm[k] += isn ? 0.0 : x;
        nn[k] += (uint64_t)isn;
        for (int q = 0; q < nc; q++)
            cn[q][k] += (uint64_t)((x < s->c[q]) | (s->incl[q] & (x == s->c[q])));
    }
    memcpy(s->lane, sm, sizeof sm);
    for (int k = 0; k < 8; k++) {
        s->nnan += nn[k];
        for (int q = 0; q < nc; q++)
            s->cnt[q] += cn[q][k];
    }
}

#ifdef LC_NODE1_FN
/* One node at one point from its argument values (the monotonicity proofs
 * of kernel_mono.c evaluate nodes at the corners of argument ranges). */
double LC_NODE1_FN(int id, const double *args)
{
    const double *a[LC_NODE_MAX_ARGS];
    double o = NAN;
    for (int k = 0; k < LC_NODE_MAX_ARGS; k++)
        a[k] = &args[k];
    node_run(id, a, &o, 1);
    return o;
}
#endif
