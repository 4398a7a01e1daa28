/*
 * api_sweep.c - the public API's sweeps (llmcost.h: llmcost_spec_*,
 * llmcost_sweep_to_file, llmcost_sweep_each).
 *
 * llmcost_sweep_to_file is the engine of `llmcost sweep` (sweep.h) with its
 * defaults.  llmcost_sweep_each evaluates one output over the full grid
 * with the staged kernel of the engine (sweep_plan.h): the grid is cut into
 * ~1 MiB chunks; a batch of one chunk per thread is evaluated in parallel,
 * then handed to the callback in grid order from the calling thread, so the
 * callback needs no locking and memory stays threads x 1 MiB.
 */
#include "llmcost/llmcost.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "grid/sweep_plan.h"
#include "catalog/catalog.h"
#include "grid/grid.h"
#include "kernel/kernel.h"
#include "spec/spec.h"
#include "engine/sweep.h"

struct llmcost_spec {
    lc_spec s;
    uint64_t points;
};

static llmcost_status spec_finish(llmcost_spec **out, llmcost_spec *h, lc_status st, lc_diag *d,
                                  llmcost_error *err)
{
    if (st == LC_OK)
        st = lc_spec_points(&h->s, &h->points, d);
    if (st != LC_OK) {
        lc_spec_free(&h->s);
        free(h);
        return lc_api_fail(err, st, d);
    }
    *out = h;
    return lc_api_ok(err);
}

static llmcost_status spec_new(llmcost_spec **out, const char *path, const char *text,
                               size_t len, const char *name, llmcost_error *err)
{
    *out = NULL;
    lc_diag d = {0};
    llmcost_spec *h = calloc(1, sizeof *h);
    if (!h)
        return lc_api_fail(err, LC_ENOMEM, NULL);
    lc_catalog cat;
    lc_status st = lc_catalog_load(&cat, NULL, &d);
    if (st != LC_OK) {
        free(h);
        return lc_api_fail(err, st, &d);
    }
    lc_spec_init(&h->s);
    st = path ? lc_spec_parse_file(&h->s, path, &cat, &d)
              : lc_spec_parse_text(&h->s, text, len, name ? name : "(text)", &cat, &d);
    lc_catalog_free(&cat);
    return spec_finish(out, h, st, &d, err);
}

llmcost_status llmcost_spec_load(llmcost_spec **s, const char *path, llmcost_error *err)
{
    if (!path)
        return lc_api_fail(err, LC_EINVAL, NULL);
    return spec_new(s, path, NULL, 0, NULL, err);
}

llmcost_status llmcost_spec_parse(llmcost_spec **s, const char *text, size_t len,
                                  const char *name, llmcost_error *err)
{
    if (!text)
        return lc_api_fail(err, LC_EINVAL, NULL);
    return spec_new(s, NULL, text, len, name, err);
}

void llmcost_spec_free(llmcost_spec *s)
{
    if (s) {
        lc_spec_free(&s->s);
        free(s);
    }
}

uint64_t llmcost_spec_points(const llmcost_spec *s) { return s->points; }
int llmcost_spec_axis_count(const llmcost_spec *s) { return s->s.n_axes; }

static const lc_axis *axis_at(const llmcost_spec *s, int a)
{
    return a >= 0 && a < s->s.n_axes ? &s->s.axes[a] : NULL;
}

const char *llmcost_spec_axis_name(const llmcost_spec *s, int a)
{
    const lc_axis *x = axis_at(s, a);
    return x ? x->name : NULL;
}

uint64_t llmcost_spec_axis_length(const llmcost_spec *s, int a)
{
    const lc_axis *x = axis_at(s, a);
    return x ? x->n : 0;
}

double llmcost_spec_axis_value(const llmcost_spec *s, int a, uint64_t i)
{
    const lc_axis *x = axis_at(s, a);
    return x && i < x->n ? x->values[i] : 0.0 / 0.0;
}

const char *llmcost_spec_axis_label(const llmcost_spec *s, int a, uint64_t i)
{
    const lc_axis *x = axis_at(s, a);
    return x && x->labels && i < x->n ? x->labels[i] : NULL;
}

llmcost_status llmcost_sweep_to_file(const llmcost_spec *s, const char *path, int threads,
                                     int force, llmcost_error *err)
{
    lc_sweep_opts o;
    lc_sweep_opts_init(&o);
    o.output = path;
    o.threads = threads;
    o.force = force;
    lc_sweep_result *r = calloc(1, sizeof *r);
    if (!r)
        return lc_api_fail(err, LC_ENOMEM, NULL);
    lc_diag d = {0};
    lc_status st = lc_sweep_run(&s->s, &o, r, &d);
    free(r);
    return st == LC_OK ? lc_api_ok(err) : lc_api_fail(err, st, &d);
}

/* Copy a chunk laid out in the chunk shape cshape into extent layout. */
static void compact(int rank, const uint64_t *extent, const uint64_t *cshape, const double *src,
                    double *dst)
{
    if (rank == 0) {
        dst[0] = src[0];
        return;
    }
    uint64_t rows = 1, idx[LC_GRID_MAX_RANK] = {0};
    for (int k = 0; k < rank - 1; k++)
        rows *= extent[k];
    uint64_t len = extent[rank - 1];
    for (uint64_t r = 0; r < rows; r++) {
        uint64_t off = 0;
        for (int k = 0; k < rank - 1; k++)
            off = off * cshape[k] + idx[k];
        memcpy(dst + r * len, src + off * cshape[rank - 1], len * sizeof *dst);
        for (int k = rank - 2; k >= 0; k--) {
            if (++idx[k] < extent[k])
                break;
            idx[k] = 0;
        }
    }
}

llmcost_status llmcost_sweep_each(const llmcost_spec *s, const char *output, int threads,
                                  llmcost_block_fn fn, void *user, llmcost_error *err)
{
    int out = output ? lc_formulas_output_find(&s->s.formulas, output) : -1; /* formulas too */
    lc_diag d = {0};
    if (out < 0) {
        lc_diag_set(&d, LC_ENOTFOUND, NULL, 0, "unknown output '%s'", output ? output : "(null)");
        return lc_api_fail(err, LC_ENOTFOUND, &d);
    }
    if (!fn)
        return lc_api_fail(err, LC_EINVAL, NULL);
    const lc_kernel *k;
    lc_status st = lc_kernel_select(NULL, &k, &d);
    if (st != LC_OK)
        return lc_api_fail(err, st, &d);
    lc_plan p;
    if ((st = lc_plan_init(&p, &s->s, &d)) != LC_OK)
        return lc_api_fail(err, st, &d);
    lc_subgrid g;
    lc_plan_subgrid(&p, (uint32_t)((1ull << s->s.n_axes) - 1), &g);
    lc_tiling t;
    if ((st = lc_tiling_init(&t, g.rank, g.dims, sizeof(double), 1u << 20, &d)) != LC_OK) {
        lc_plan_free(&p);
        return lc_api_fail(err, st, &d);
    }
    int nt = threads > 0 ? threads : s->s.threads > 0 ? s->s.threads : omp_get_max_threads();
    if (nt < 1)
        nt = 1;
    if ((uint64_t)nt > t.n_chunks)
        nt = (int)t.n_chunks;
    lc_plan_ws **ws = calloc((size_t)nt, sizeof *ws);
    double **buf = calloc((size_t)nt, sizeof *buf);
    double *packed = malloc(t.chunk_points * sizeof *packed);
    uint64_t(*org)[LC_GRID_MAX_RANK] = calloc((size_t)nt, sizeof *org);
    uint64_t(*ext)[LC_GRID_MAX_RANK] = calloc((size_t)nt, sizeof *ext);
    st = ws && buf && packed && org && ext ? LC_OK : LC_ENOMEM;
    for (int i = 0; st == LC_OK && i < nt; i++) {
        ws[i] = lc_plan_ws_new();
        buf[i] = malloc(t.chunk_points * sizeof **buf);
        if (!ws[i] || !buf[i])
            st = LC_ENOMEM;
    }
    for (uint64_t c0 = 0; st == LC_OK && c0 < t.n_chunks; c0 += (uint64_t)nt) {
        int nb = (int)(t.n_chunks - c0 < (uint64_t)nt ? t.n_chunks - c0 : (uint64_t)nt);
#pragma omp parallel for num_threads(nb) schedule(static, 1)
        for (int b = 0; b < nb; b++) {
            lc_tiling_chunk(&t, c0 + (uint64_t)b, org[b], ext[b]);
            lc_plan_eval_chunk(&p, k, ws[b], out, &g, org[b], ext[b], t.chunk, buf[b]);
        }
        for (int b = 0; b < nb && st == LC_OK; b++) {
            compact(g.rank, ext[b], t.chunk, buf[b], packed);
            if (fn(user, g.rank, org[b], ext[b], packed) != 0)
                st = LC_EINTR;
        }
    }
    for (int i = 0; ws && buf && i < nt; i++) {
        lc_plan_ws_free(ws[i]);
        free(buf[i]);
    }
    free(ws);
    free(buf);
    free(packed);
    free(org);
    free(ext);
    lc_plan_free(&p);
    if (st == LC_EINTR) {
        lc_diag_set(&d, LC_EINTR, NULL, 0, "stopped by the callback");
        return lc_api_fail(err, st, &d);
    }
    return st == LC_OK ? lc_api_ok(err) : lc_api_fail(err, st, NULL);
}
