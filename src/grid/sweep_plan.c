/*
 * sweep_plan.c - resolve a spec into per-input axis values and evaluate
 * chunks of an output's sub-grid with the point-list kernel (see
 * sweep_plan.h).
 */
#include "grid/sweep_plan.h"

#include <stdlib.h>
#include <string.h>

static double gpu_value(const lc_gpu_values *g, int input)
{
    switch (input) {
    case LC_IN_FLOPS: return g->flops;
    case LC_IN_HBM_BW: return g->hbm_bw;
    case LC_IN_POWER_W: return g->power_w;
    case LC_IN_PRICE_HOUR: return g->price_hour;
    default: return NAN;
    }
}

void lc_plan_free(lc_plan *p)
{
    for (int i = 0; i < LC_IN_COUNT; i++) {
        free(p->input_vals[i]);
        p->input_vals[i] = NULL;
    }
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
    }
    /* Rules: tokens = 20 * params follows params; util_infer follows util. */
    if (s->tokens_chinchilla)
        p->input_axis[LC_IN_TOKENS] = p->input_axis[LC_IN_PARAMS];
    if (s->util_infer_follows_util)
        p->input_axis[LC_IN_UTIL_INFER] = p->input_axis[LC_IN_UTIL];
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = p->input_axis[i];
        if (a < 0)
            continue;
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
            else if (i == LC_IN_TOKENS && s->tokens_chinchilla && ax->input == LC_IN_PARAMS)
                v[k] = lc_chinchilla_tokens(ax->values[k]);
            else
                v[k] = ax->values[k];
        }
        if (ax->gpu != NULL && ax->input < 0 && isnan(gpu_value(&ax->gpu[0], i))) {
            lc_plan_free(p);
            return lc_diag_set(d, LC_EINTERNAL, s->path, ax->line,
                               "input %s mapped to the gpu axis", lc_inputs[i].name);
        }
    }
    if (s->tokens_chinchilla && p->input_axis[LC_IN_TOKENS] < 0)
        p->fixed[LC_IN_TOKENS] = lc_chinchilla_tokens(p->fixed[LC_IN_PARAMS]);
    if (s->util_infer_follows_util && p->input_axis[LC_IN_UTIL_INFER] < 0)
        p->fixed[LC_IN_UTIL_INFER] = p->fixed[LC_IN_UTIL];
    for (int o = 0; o < LC_OUT_COUNT; o++) {
        uint32_t m = 0;
        for (int i = 0; i < LC_IN_COUNT; i++)
            if ((lc_outputs[o].depends & LC_BIT(i)) && p->input_axis[i] >= 0)
                m |= (uint32_t)1 << p->input_axis[i];
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

void lc_plan_point_inputs(const lc_plan *p, const uint64_t *coord, double in[LC_IN_COUNT])
{
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = p->input_axis[i];
        in[i] = a < 0 ? p->fixed[i] : p->input_vals[i][coord[a]];
    }
}

void lc_plan_eval_chunk(const lc_plan *p, const lc_kernel *k, int output,
                        const lc_subgrid *g, const uint64_t *origin,
                        const uint64_t *extent, const uint64_t *cshape, double *buf)
{
    int r = g->rank;
    int dim_of_axis[LC_MAX_AXES];
    lc_block_in in;
    uint64_t local[LC_MAX_AXES] = {0};
    int outs[1] = {output};

    for (int a = 0; a < LC_MAX_AXES; a++)
        dim_of_axis[a] = -1;
    for (int j = 0; j < r; j++)
        dim_of_axis[g->axis[j]] = j;
    /* Inputs off the sub-grid (fixed, or on an axis this output ignores)
     * are constant for the whole chunk. */
    for (int i = 0; i < LC_IN_COUNT; i++) {
        int a = p->input_axis[i];
        in.stride[i] = 0;
        if (a < 0)
            in.in[i] = &p->fixed[i];
        else if (dim_of_axis[a] < 0)
            in.in[i] = &p->input_vals[i][0];
    }
    if (r == 0) {
        double *o[1] = {buf};
        k->points(&in, 1, outs, 1, o);
        return;
    }
    uint64_t rowlen = extent[r - 1];
    uint64_t nrows = 1;
    for (int j = 0; j < r - 1; j++)
        nrows *= extent[j];
    for (uint64_t row = 0; row < nrows; row++) {
        uint64_t off = 0;
        for (int j = 0; j < r - 1; j++)
            off = off * cshape[j] + local[j];
        off *= cshape[r - 1];
        for (int i = 0; i < LC_IN_COUNT; i++) {
            int a = p->input_axis[i];
            if (a < 0 || dim_of_axis[a] < 0)
                continue;
            int j = dim_of_axis[a];
            if (j == r - 1) {
                in.in[i] = p->input_vals[i] + origin[j];
                in.stride[i] = 1;
            } else {
                in.in[i] = &p->input_vals[i][origin[j] + local[j]];
            }
        }
        double *o[1] = {buf + off};
        k->points(&in, (size_t)rowlen, outs, 1, o);
        /* odometer over the row dimensions */
        for (int j = r - 2; j >= 0; j--) {
            if (++local[j] < extent[j])
                break;
            local[j] = 0;
        }
    }
}
