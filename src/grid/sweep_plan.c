/*
 * sweep_plan.c - resolve a spec into per-input axis values and evaluate
 * chunks of an output's sub-grid with the point-list kernel (see
 * sweep_plan.h).
 */
#include "grid/sweep_plan.h"

#include "kernel/kernel_isa.h"
#include "kernel/kernel_mono.h"

#include <stdlib.h>
#include <string.h>

/* A gpu axis point's value of `input`, NaN when a GPU does not set it. */
static double gpu_value(const lc_gpu_values *g, int input)
{
    for (int k = 0; k < LC_GPU_INPUTS; k++)
        if (lc_gpu_inputs[k] == input)
            return g->v[k];
    return NAN;
}

void lc_plan_free(lc_plan *p)
{
    for (int i = 0; i < LC_IN_COUNT; i++) {
        free(p->input_vals[i]);
        p->input_vals[i] = NULL;
    }
}

/* Input i set by the price_date axis `a` (its cross table over axis b):
 * input_axis / input_axis2 = the earlier / later of the two in grid order,
 * input_vals[i][k1 * n2 + k2]. */
static lc_status table_input(lc_plan *p, const lc_spec *s, int i, int a, int b, lc_diag *d)
{
    const lc_axis *ax = &s->axes[a];
    if (b >= s->n_axes || !ax->cross[i] || ax->cross_axis[i] != b)
        return lc_diag_set(d, LC_EINTERNAL, s->path, ax->line, "input %s: no table over axes "
                           "%d and %d", lc_inputs[i].name, a, b);
    size_t na = ax->n, nb = s->axes[b].n;
    double *v = malloc(na * nb * sizeof *v);
    if (v == NULL)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    int first = a < b ? a : b;
    p->input_axis[i] = first;
    p->input_axis2[i] = a < b ? b : a;
    for (size_t k = 0; k < na; k++)
        for (size_t c = 0; c < nb; c++)
            v[first == a ? k * nb + c : c * na + k] = ax->cross[i][k * nb + c];
    p->input_vals[i] = v;
    return LC_OK;
}

lc_status lc_plan_init(lc_plan *p, const lc_spec *s, lc_diag *d)
{
    lc_status st;
    memset(p, 0, sizeof *p);
    p->spec = s;
    if (s->n_axes < 0 || s->n_axes > LC_MAX_AXES)
        return lc_diag_set(d, LC_EINVAL, s->path, 0, "%d axes (at most %d)", s->n_axes,
                           LC_MAX_AXES);
    for (int a = 0; a < s->n_axes; a++) {
        if (s->axes[a].n == 0)
            return lc_diag_set(d, LC_EINVAL, s->path, s->axes[a].line,
                               "axis '%s' has no points", s->axes[a].name);
        p->axis_n[a] = s->axes[a].n;
    }
    if ((st = lc_grid_points(p->axis_n, s->n_axes, &p->grid_points, d)) != LC_OK)
        return st;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        p->fixed[i] = s->fixed[i];
        p->input_axis[i] = s->axis_of_input[i];
        p->input_axis2[i] = -1;
    }
    /* Rules (tokens = 20 * params, util_infer = util): the target is on its
     * source's axis, its values the rule's of the source's (below). */
    unsigned rules = lc_spec_rules(s);
    int is_target[LC_IN_COUNT] = {0};
    for (int r = 0; r < LC_RULE_COUNT; r++)
        if (rules & LC_RULE(r)) {
            p->input_axis[lc_rules[r].target] = p->input_axis[lc_rules[r].source];
            is_target[lc_rules[r].target] = 1;
        }
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = p->input_axis[i];
        if (a < 0 || is_target[i])
            continue;
        int b = s->axis_of_input[i] == a ? s->axis2_of_input[i] : -1;
        if (b >= 0) { /* a table over two axes (price_date x gpu or api) */
            if ((st = table_input(p, s, i, a, b, d)) != LC_OK) {
                lc_plan_free(p);
                return st;
            }
            continue;
        }
        if (a >= s->n_axes)
            return lc_diag_set(d, LC_EINTERNAL, s->path, 0, "input %s on axis %d of %d",
                               lc_inputs[i].name, a, s->n_axes);
        const lc_axis *ax = &s->axes[a];
        double *v = malloc(ax->n * sizeof *v);
        if (v == NULL) {
            lc_plan_free(p);
            return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        }
        p->input_vals[i] = v;
        for (size_t k = 0; k < ax->n; k++) {
            if (ax->gpu != NULL && ax->input < 0)
                v[k] = gpu_value(&ax->gpu[k], i);
            else if (ax->set_vals != NULL && ax->input < 0)
                v[k] = ax->set_vals[k * LC_IN_COUNT + (size_t)i];
            else
                v[k] = ax->values[k];
        }
        if (ax->gpu != NULL && ax->input < 0 && isnan(gpu_value(&ax->gpu[0], i))) {
            lc_plan_free(p);
            return lc_diag_set(d, LC_EINTERNAL, s->path, ax->line,
                               "input %s mapped to the gpu axis", lc_inputs[i].name);
        }
    }
    for (int r = 0; r < LC_RULE_COUNT; r++) {
        int t = lc_rules[r].target, src = lc_rules[r].source;
        if (!(rules & LC_RULE(r)))
            continue;
        if (p->input_axis[t] < 0) {
            p->fixed[t] = lc_rule_value((lc_rule)r, p->fixed[src]);
            continue;
        }
        size_t n = s->axes[p->input_axis[t]].n;
        double *v = malloc(n * sizeof *v);
        if (v == NULL) {
            lc_plan_free(p);
            return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        }
        for (size_t k = 0; k < n; k++)
            v[k] = lc_rule_value((lc_rule)r, p->input_vals[src][k]);
        p->input_vals[t] = v;
    }
    lc_spec_input_ranges(s, p->in_lo, p->in_hi);
    for (int o = 0; o < LC_OUT_COUNT + s->formulas.n; o++) {
        uint32_t m = 0;
        lc_inmask dep = lc_formulas_output_depends_in(&s->formulas, o, p->in_lo, p->in_hi);
        for (int i = 0; i < LC_IN_COUNT; i++) {
            if ((dep & LC_BIT(i)) && p->input_axis[i] >= 0)
                m |= (uint32_t)1 << p->input_axis[i];
            if ((dep & LC_BIT(i)) && p->input_axis2[i] >= 0)
                m |= (uint32_t)1 << p->input_axis2[i];
        }
        p->out_axes[o] = m;
    }
    return LC_OK;
}

void lc_plan_subgrid(const lc_plan *p, uint32_t mask, lc_subgrid *g)
{
    g->rank = 0;
    for (int a = 0; a < p->spec->n_axes; a++)
        if (mask >> a & 1) {
            g->axis[g->rank] = a;
            g->dims[g->rank] = p->axis_n[a];
            g->rank++;
        }
}

/* An outer input's value at the row's coordinates (j2 >= 0: a table over
 * two dims). */
static inline double outer_value(const lc_plan *p, int i, int j, int j2, const uint64_t *origin,
                                 const uint64_t *local)
{
    if (j2 < 0)
        return p->input_vals[i][origin[j] + local[j]];
    return p->input_vals[i][(origin[j] + local[j]) * p->axis_n[p->input_axis2[i]] + origin[j2] +
                            local[j2]];
}

/* A two-axis input along the row dims (ro..r-1, row-major): its values at
 * the row's outer coordinates `outer` (dims < ro; NULL when both of its
 * dims are in the row) into dst. */
static void fill_row2(const lc_plan *p, int i, int j1, int j2, int ro, int r,
                      const uint64_t *origin, const uint64_t *extent, const uint64_t *outer,
                      uint64_t rowlen, double *dst)
{
    uint64_t n2 = p->axis_n[p->input_axis2[i]], c[LC_MAX_AXES] = {0};
    for (uint64_t q = 0; q < rowlen; q++) {
        uint64_t k1 = origin[j1] + (j1 < ro ? outer[j1] : c[j1]);
        dst[q] = p->input_vals[i][k1 * n2 + origin[j2] + c[j2]];
        for (int j = r - 1; j >= ro; j--) {
            if (++c[j] < extent[j])
                break;
            c[j] = 0;
        }
    }
}

#define ROW_GROUP 1024

struct lc_plan_ws {
    double rowin[LC_IN_COUNT][ROW_GROUP];
    double rv[N_COUNT][ROW_GROUP];
    size_t row_off[ROW_GROUP];
    double inner[LC_IN_COUNT][LC_ROW_MAX];
    _Alignas(64) double scratch[LC_ROWS_SCRATCH];
    /* formula outputs: a chunk of each value they use (by value id) */
    double *vbuf[LC_VALUE_COUNT];
    size_t vcap[LC_VALUE_COUNT];
    int failed;
};

lc_plan_ws *lc_plan_ws_new(void)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, sizeof(lc_plan_ws)) != 0)
        return NULL;
    lc_plan_ws *w = p;
    memset(w->vbuf, 0, sizeof w->vbuf);
    memset(w->vcap, 0, sizeof w->vcap);
    w->failed = 0;
    return w;
}

void lc_plan_ws_free(lc_plan_ws *w)
{
    if (!w)
        return;
    for (int v = 0; v < LC_VALUE_COUNT; v++)
        free(w->vbuf[v]);
    free(w);
}

int lc_plan_ws_failed(const lc_plan_ws *w)
{
    return w->failed;
}

int lc_chunk_row_dims(int rank, const uint64_t *extent, const uint64_t *cshape,
                      uint64_t short_len, uint64_t max_len, uint64_t *rowlen)
{
    int k = 1;
    uint64_t len = rank ? extent[rank - 1] : 1;
    /* Merge the next dimension in while the row is short, the dimensions
     * already in it fill their chunk extent (so the buffer stays
     * contiguous) and the merged row fits the workspace. */
    while (k < rank && extent[rank - k] == cshape[rank - k] && len < short_len &&
           len * extent[rank - k - 1] <= max_len) {
        len *= extent[rank - k - 1];
        k++;
    }
    *rowlen = len;
    return k;
}

/* Input i over the chunk (origin, extent) of sub-grid g, laid out in
 * cshape; points outside extent are left untouched. */
static void fill_input(const lc_plan *p, int i, const lc_subgrid *g, const uint64_t *origin,
                       const uint64_t *extent, const uint64_t *cshape, double *buf)
{
    int r = g->rank, a = p->input_axis[i], j = -1, j2 = -1;
    for (int m = 0; m < r; m++) {
        if (g->axis[m] == a)
            j = m;
        if (p->input_axis2[i] >= 0 && g->axis[m] == p->input_axis2[i])
            j2 = m;
    }
    if (r == 0) {
        buf[0] = a < 0 ? p->fixed[i] : p->input_vals[i][0];
        return;
    }
    uint64_t local[LC_MAX_AXES] = {0}, nrows = 1;
    for (int m = 0; m < r - 1; m++)
        nrows *= extent[m];
    for (uint64_t q = 0; q < nrows; q++) {
        uint64_t off = 0;
        for (int m = 0; m < r - 1; m++)
            off = off * cshape[m] + local[m];
        double *row = buf + off * cshape[r - 1];
        if (j >= 0 && j2 >= 0) { /* a table over two axes (price_date x gpu or api) */
            uint64_t c[LC_MAX_AXES];
            memcpy(c, local, sizeof c);
            for (uint64_t e = 0; e < extent[r - 1]; e++) {
                c[r - 1] = e;
                row[e] = p->input_vals[i][(origin[j] + c[j]) * p->axis_n[p->input_axis2[i]] +
                                          origin[j2] + c[j2]];
            }
        } else if (j == r - 1) {
            memcpy(row, p->input_vals[i] + origin[j], extent[j] * sizeof *row);
        } else {
            double x = a < 0 ? p->fixed[i] : p->input_vals[i][j < 0 ? 0 : origin[j] + local[j]];
            for (uint64_t e = 0; e < extent[r - 1]; e++)
                row[e] = x;
        }
        for (int m = r - 2; m >= 0; m--) {
            if (++local[m] < extent[m])
                break;
            local[m] = 0;
        }
    }
}

/* A chunk-sized buffer for value v; NULL (ws->failed set) when out of
 * memory. */
static double *value_buf(lc_plan_ws *ws, int v, size_t points)
{
    if (ws->vcap[v] < points) {
        free(ws->vbuf[v]);
        ws->vbuf[v] = malloc(points * sizeof(double));
        ws->vcap[v] = ws->vbuf[v] ? points : 0;
        if (!ws->vbuf[v]) {
            ws->failed = 1;
            return NULL;
        }
    }
    return ws->vbuf[v];
}

/* Formula output: every value the formula needs (inputs and built-in
 * outputs through the staged kernel, other formulas in their order) over
 * the same chunk, then each formula's vector program along the chunk's
 * rows, the asked one into buf. */
static void eval_formula_chunk(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                               const lc_subgrid *g, const uint64_t *origin,
                               const uint64_t *extent, const uint64_t *cshape, double *buf)
{
    const lc_formulas *fs = &p->spec->formulas;
    int r = g->rank, need[LC_VALUE_COUNT] = {0};
    size_t points = 1;
    for (int m = 0; m < r; m++)
        points *= (size_t)cshape[m];
    need[LC_VALUE_OF_OUTPUT(output)] = 1;
    for (int q = fs->n - 1; q >= 0; q--) { /* what the needed formulas use */
        int f = fs->order[q];
        if (!need[LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f)])
            continue;
        for (int d = 0; d < lc_expr_n_deps(fs->f[f].expr); d++)
            need[lc_expr_dep(fs->f[f].expr, d)] = 1;
    }
    const double *val[LC_VALUE_COUNT] = {0};
    for (int v = 0; v < LC_VALUE_OF_OUTPUT(LC_OUT_COUNT); v++) {
        if (!need[v])
            continue;
        double *b = value_buf(ws, v, points);
        if (!b)
            goto oom;
        if (v < LC_IN_COUNT)
            fill_input(p, v, g, origin, extent, cshape, b);
        else
            lc_plan_eval_chunk(p, k, ws, v - LC_IN_COUNT, g, origin, extent, cshape, b);
        val[v] = b;
    }
    /* rows: trailing dimensions merged while the chunk's extent fills them */
    uint64_t rowlen = 1;
    int nk = r ? lc_chunk_row_dims(r, extent, cshape, UINT64_MAX / 4, UINT64_MAX / 4, &rowlen) : 0;
    int ro = r - nk;
    uint64_t row_stride = 1, nrows = 1, local[LC_MAX_AXES] = {0};
    for (int m = ro; m < r; m++)
        row_stride *= cshape[m];
    for (int m = 0; m < ro; m++)
        nrows *= extent[m];
    for (int q = 0; q < fs->n; q++) {
        int f = fs->order[q], v = LC_VALUE_OF_OUTPUT(LC_OUT_COUNT + f);
        if (!need[v])
            continue;
        double *dst = v == LC_VALUE_OF_OUTPUT(output) ? buf : value_buf(ws, v, points);
        if (!dst)
            goto oom;
        const lc_expr *e = fs->f[f].expr;
        const double *ops[LC_EXPR_MAX_DEPS];
        memset(local, 0, sizeof local);
        for (uint64_t row = 0; row < nrows; row++) {
            uint64_t off = 0;
            for (int m = 0; m < ro; m++)
                off = off * cshape[m] + local[m];
            off *= row_stride;
            for (int d = 0; d < lc_expr_n_deps(e); d++)
                ops[d] = val[lc_expr_dep(e, d)] + off;
            lc_expr_eval(e, ops, (size_t)rowlen, dst + off);
            for (int m = ro - 1; m >= 0; m--) {
                if (++local[m] < extent[m])
                    break;
                local[m] = 0;
            }
        }
        val[v] = dst;
        if (dst == buf)
            return;
    }
    return;
oom:
    for (size_t j = 0; j < points; j++)
        buf[j] = NAN;
}
static void eval_chunk(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                       const lc_subgrid *g, const uint64_t *origin, const uint64_t *extent,
                       const uint64_t *cshape, double *buf, const lc_rows_sink *sink);

void lc_plan_eval_chunk(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                        const lc_subgrid *g, const uint64_t *origin,
                        const uint64_t *extent, const uint64_t *cshape, double *buf)
{
    eval_chunk(p, k, ws, output, g, origin, extent, cshape, buf, NULL);
}

void lc_plan_eval_chunk_sink(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                             const lc_subgrid *g, const uint64_t *origin,
                             const uint64_t *extent, const uint64_t *cshape,
                             const lc_rows_sink *sink)
{
    eval_chunk(p, k, ws, output, g, origin, extent, cshape, NULL, sink);
}

/* The kernel numbers rows within its call (one group of rows): the sink
 * gets them numbered in the chunk. */
typedef struct {
    const lc_rows_sink *to;
    size_t r0;
} group_sink;

static void group_sink_fn(void *user, const double *v, size_t q0, size_t nq, size_t j0,
                          size_t len)
{
    const group_sink *gs = user;
    gs->to->fn(gs->to->user, v, gs->r0 + q0, nq, j0, len);
}

static void eval_chunk(const lc_plan *p, const lc_kernel *k, lc_plan_ws *ws, int output,
                       const lc_subgrid *g, const uint64_t *origin, const uint64_t *extent,
                       const uint64_t *cshape, double *buf, const lc_rows_sink *sink)
{
    const lc_kernel_impl *ki = lc_kernel_impl_of(k);
    int r = g->rank;
    int dim_of_axis[LC_MAX_AXES];
    const double *in[LC_IN_COUNT], *inner[LC_IN_COUNT];
    size_t stride[LC_IN_COUNT];
    int outer_in[LC_IN_COUNT], n_outer = 0, outer_dim[LC_IN_COUNT], outer_dim2[LC_IN_COUNT];
    /* two-axis inputs whose values along the row change from row to row */
    int row2_in[LC_IN_COUNT], n_row2 = 0;
    uint64_t inner_mask = 0, rowlen;
    uint64_t local[LC_MAX_AXES] = {0};

    if (output >= LC_OUT_COUNT) { /* a formula */
        double *dst = buf;
        if (!dst) { /* a sink (formulas are never proven monotone, so unused): a buffer */
            size_t pts = 1;
            for (int j = 0; j < r; j++)
                pts *= (size_t)cshape[j];
            if (!(dst = value_buf(ws, LC_VALUE_OF_OUTPUT(output), pts)))
                return;
        }
        eval_formula_chunk(p, k, ws, output, g, origin, extent, cshape, dst);
        if (sink) { /* each row of the last dimension, in order */
            uint64_t nq = 1;
            for (int j = 0; j + 1 < r; j++)
                nq *= extent[j];
            for (uint64_t q = 0; q < nq; q++) {
                uint64_t off = 0, rest = q;
                for (int j = r - 2; j >= 0; j--) {
                    local[j] = rest % extent[j];
                    rest /= extent[j];
                }
                for (int j = 0; j + 1 < r; j++)
                    off = off * cshape[j] + local[j];
                off *= r ? cshape[r - 1] : 1;
                sink->fn(sink->user, dst + off, (size_t)q, 1, 0, r ? (size_t)extent[r - 1] : 1);
            }
        }
        return;
    }
    if (r == 0) {
        lc_block_in bi;
        int outs[1] = {output};
        double one, *o[1] = {sink ? &one : buf};
        for (int i = 0; i < LC_IN_COUNT; i++) {
            int a = p->input_axis[i];
            bi.in[i] = a < 0 ? &p->fixed[i] : &p->input_vals[i][0];
            bi.stride[i] = 0;
        }
        k->points(&bi, 1, outs, 1, o);
        if (sink && sink->acc) { /* one point, element `base`: in lane base % 8 */
            lc_scan *a = sink->acc;
            size_t lane = (size_t)(sink->base % 8);
            double l0 = a->lane[0];
            a->lane[0] = a->lane[lane];
            ki->sum(o[0], 1, a);
            double l = a->lane[0];
            a->lane[0] = l0;
            a->lane[lane] = l;
        }
        if (sink && sink->fn)
            sink->fn(sink->user, o[0], 0, 1, 0, 1);
        return;
    }
    int nk = lc_chunk_row_dims(r, extent, cshape, LC_ROW_SHORT, LC_ROW_MAX, &rowlen);
    int ro = r - nk; /* dimensions before the row */
    uint64_t row_stride = 1;
    for (int j = ro; j < r; j++)
        row_stride *= cshape[j];
    for (int a = 0; a < LC_MAX_AXES; a++)
        dim_of_axis[a] = -1;
    for (int j = 0; j < r; j++)
        dim_of_axis[g->axis[j]] = j;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = p->input_axis[i];
        int j = a < 0 ? -1 : dim_of_axis[a];
        stride[i] = 0;
        inner[i] = NULL;
        if (a >= 0 && p->input_axis2[i] >= 0) {
            int j2 = dim_of_axis[p->input_axis2[i]];
            in[i] = &p->input_vals[i][0];
            if (j < 0 || j2 < 0) /* an input this output ignores */
                continue;
            if (j2 < ro) { /* constant along the row: per row, like the others */
                in[i] = ws->rowin[i];
                stride[i] = 1;
                outer_in[n_outer] = i;
                outer_dim[n_outer] = j;
                outer_dim2[n_outer++] = j2;
                continue;
            }
            inner_mask |= (uint64_t)1 << i;
            if (j >= ro) { /* both in the (merged) row: one pattern per chunk */
                fill_row2(p, i, j, j2, ro, r, origin, extent, NULL, rowlen, ws->inner[i]);
                inner[i] = ws->inner[i];
            } else {
                row2_in[n_row2++] = i; /* refilled for each row below */
            }
            continue;
        }
        if (a < 0)
            in[i] = &p->fixed[i];
        else if (j < 0) /* an axis this output ignores: any point will do */
            in[i] = &p->input_vals[i][0];
        else if (j >= ro) {
            in[i] = &p->input_vals[i][origin[j]]; /* unused by row values */
            inner_mask |= (uint64_t)1 << i;
            if (nk == 1) {
                inner[i] = p->input_vals[i] + origin[j];
            } else {
                /* the input along the merged row: once per chunk */
                uint64_t rep = 1;
                for (int m = j + 1; m < r; m++)
                    rep *= extent[m];
                double *dst = ws->inner[i];
                const double *src = p->input_vals[i] + origin[j];
                uint64_t q = 0;
                while (q < rowlen) /* each value rep times, the cycle repeated */
                    for (uint64_t e = 0; e < extent[j]; e++)
                        for (uint64_t m = 0; m < rep; m++)
                            dst[q++] = src[e];
                inner[i] = dst;
            }
        } else {
            in[i] = ws->rowin[i];
            stride[i] = 1;
            outer_in[n_outer] = i;
            outer_dim2[n_outer] = -1;
            outer_dim[n_outer++] = j;
        }
    }
    lc_rowprog prog;
    lc_rowprog_build(&prog, lc_outputs[output].node, inner_mask, p->in_lo, p->in_hi);
    const double *rv[N_COUNT];
    size_t rv_stride[N_COUNT];
    int nodes[N_COUNT], n_nodes = 0;
    double *node_out[N_COUNT];
    for (int q = 0; q < prog.n_rowvals; q++) {
        int nd = prog.rowval_node[q];
        if (nd < LC_IN_COUNT) {
            rv[q] = in[nd];
            rv_stride[q] = stride[nd];
        } else {
            rv[q] = ws->rv[q];
            rv_stride[q] = 1;
            nodes[n_nodes] = nd;
            node_out[n_nodes++] = ws->rv[q];
        }
    }
    uint64_t nrows = 1;
    for (int j = 0; j < ro; j++)
        nrows *= extent[j];
    /* rows per step of each dimension before the row: an outer input whose
     * dimension does not move within a group of rows has one value over
     * the group and goes to the kernels at stride 0, so every node of it
     * alone is computed once for the group, not once per row (the same
     * operation on the same values: the same bits) */
    uint64_t per[LC_MAX_AXES];
    for (int j = ro - 1; j >= 0; j--)
        per[j] = j == ro - 1 ? 1 : per[j + 1] * extent[j + 1];
    uint64_t off = 0; /* offset of the row in cshape (local is all zero) */
    /* a two-axis input changing along the row and from row to row: one row
     * at a time, its values along the row refilled for each */
    uint64_t group = n_row2 ? 1 : ROW_GROUP;
    for (uint64_t r0 = 0; r0 < nrows; r0 += group) {
        size_t ng = nrows - r0 < group ? (size_t)(nrows - r0) : (size_t)group;
        size_t gstride[LC_IN_COUNT], grv_stride[N_COUNT];
        int moving[LC_IN_COUNT], n_moving = 0;
        memcpy(gstride, stride, sizeof gstride);
        for (int m = 0; m < n_row2; m++) {
            int i = row2_in[m], j = dim_of_axis[p->input_axis[i]];
            int j2 = dim_of_axis[p->input_axis2[i]];
            if (nk == 1) /* the row is the later axis: contiguous in the table */
                inner[i] = p->input_vals[i] +
                           (origin[j] + local[j]) * p->axis_n[p->input_axis2[i]] + origin[j2];
            else {
                fill_row2(p, i, j, j2, ro, r, origin, extent, local, rowlen, ws->inner[i]);
                inner[i] = ws->inner[i];
            }
        }
        for (int m = 0; m < n_outer; m++) {
            int i = outer_in[m], j = outer_dim[m], j2 = outer_dim2[m];
            if (r0 / per[j] == (r0 + ng - 1) / per[j] &&
                (j2 < 0 || r0 / per[j2] == (r0 + ng - 1) / per[j2])) {
                gstride[i] = 0;
                ws->rowin[i][0] = outer_value(p, i, j, j2, origin, local);
            } else {
                moving[n_moving++] = m;
            }
        }
        for (size_t q = 0; q < ng; q++) {
            if (sink == NULL)
                ws->row_off[q] = (size_t)(off * row_stride);
            for (int w = 0; w < n_moving; w++) {
                int m = moving[w];
                ws->rowin[outer_in[m]][q] =
                    outer_value(p, outer_in[m], outer_dim[m], outer_dim2[m], origin, local);
            }
            /* odometer over the dimensions before the row */
            int j = ro - 1;
            for (; j >= 0; j--) {
                if (++local[j] < extent[j])
                    break;
                local[j] = 0;
            }
            if (j == ro - 1) {
                off++;
            } else {
                off = 0;
                for (int d = 0; d < ro; d++)
                    off = off * cshape[d] + local[d];
            }
        }
        for (int q = 0; q < prog.n_rowvals; q++) {
            int nd = prog.rowval_node[q];
            grv_stride[q] = nd < LC_IN_COUNT ? gstride[nd] : rv_stride[q];
        }
        if (n_nodes > 0)
            ki->nodes(in, gstride, ng, nodes, n_nodes, node_out);
        group_sink gs = {sink, (size_t)r0};
        lc_rows_sink ks = {sink && sink->fn ? group_sink_fn : NULL, &gs, sink ? sink->acc : NULL,
                           sink ? sink->base + r0 * rowlen : 0};
        ki->rows(&prog, ng, (size_t)rowlen, inner, rv, grv_stride, buf, ws->row_off, ws->scratch,
                 sink ? &ks : NULL);
    }
}

int lc_plan_chunk_monotone(const lc_plan *p, int output, const lc_subgrid *g,
                           const uint64_t *origin, const uint64_t *extent)
{
    double olo, ohi;
    return lc_plan_chunk_range(p, output, g, origin, extent, &olo, &ohi);
}

int lc_plan_chunk_range(const lc_plan *p, int output, const lc_subgrid *g,
                        const uint64_t *origin, const uint64_t *extent, double *olo, double *ohi)
{
    double lo[LC_IN_COUNT], hi[LC_IN_COUNT];
    signed char dir[LC_IN_COUNT];
    int r = g->rank;
    if (output >= LC_OUT_COUNT) /* a formula: no monotonicity proof */
        return 0;
    lc_nodeset need = lc_node_closure_in(lc_outputs[output].node, p->in_lo, p->in_hi);
    if (r == 0)
        return 0;
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = p->input_axis[i], j = -1;
        dir[i] = 0;
        if (a < 0 || !lc_ns_has(&need, i)) { /* fixed, or not read by the output */
            lo[i] = hi[i] = p->fixed[i];
            continue;
        }
        if (p->input_axis2[i] >= 0)
            return 0; /* a table over two axes: not proven (every point is scanned) */
        for (int m = 0; m < r; m++)
            if (g->axis[m] == a)
                j = m;
        /* an axis off the sub-grid: the output does not read the input */
        uint64_t from = j < 0 ? 0 : origin[j], n = j < 0 ? p->axis_n[a] : extent[j];
        const double *v = p->input_vals[i] + from;
        int up = 1, down = 1;
        lo[i] = hi[i] = v[0];
        for (uint64_t k = 0; k < n; k++) {
            if (v[k] != v[k]) /* NaN: the proof fails on it (if the output reads it) */
                lo[i] = hi[i] = v[k];
            if (lo[i] != lo[i])
                break;
            lo[i] = v[k] < lo[i] ? v[k] : lo[i];
            hi[i] = v[k] > hi[i] ? v[k] : hi[i];
            if (k > 0) {
                up &= v[k] >= v[k - 1];
                down &= v[k] <= v[k - 1];
            }
        }
        if (j == r - 1 && n > 1) { /* the row axis: sorted, or no proof */
            if (!up && !down)
                return 0;
            dir[i] = (signed char)(up && down ? 0 : up ? 1 : -1);
        }
    }
    return lc_mono_prove(lc_outputs[output].node, lo, hi, dir, olo, ohi);
}
