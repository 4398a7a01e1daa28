/*
 * api_point.c - the public API's names and one-point evaluation
 * (llmcost.h: llmcost_version, llmcost_input_*, llmcost_output_*,
 * llmcost_point_*).
 *
 * A thin shell over the model tables (model.h) and lc_model_eval: the same
 * range checks as the CLI, the same two derived-input rules as `llmcost eval`
 * (util_infer follows util until set; --chinchilla tokens follow params), so
 * a program gets exactly the numbers the command prints.
 */
#include "llmcost/llmcost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "catalog/catalog.h"
#include "model/model.h"
#include "util/version.h"

_Static_assert(LLMCOST_EINVAL == (int)LC_EINVAL && LLMCOST_EFORMAT == (int)LC_EFORMAT &&
                   LLMCOST_EINTERNAL == (int)LC_EINTERNAL && LLMCOST_EINTR == (int)LC_EINTR,
               "llmcost_status mirrors lc_status");

struct llmcost_point {
    double in[LC_IN_COUNT];
    int util_infer_set;
    int chinchilla;
    int given[LC_IN_COUNT]; /* set by llmcost_point_set */
    /* the GPU of the last set_gpu (in the process-wide catalogue, NULL:
     * none): eval refuses while it leaves out an input it needs (power_w,
     * price_hour) that llmcost_point_set has not given (lc_gpu_missing) */
    const lc_gpu *gpu;
};

llmcost_status lc_api_fail(llmcost_error *err, lc_status st, const lc_diag *d)
{
    if (err) {
        err->status = (llmcost_status)st;
        if (d && (d->msg[0] || d->file[0]))
            lc_diag_format(d, err->message, sizeof err->message);
        else
            snprintf(err->message, sizeof err->message, "%s", lc_strerror(st));
    }
    return (llmcost_status)st;
}

llmcost_status lc_api_ok(llmcost_error *err)
{
    if (err) {
        err->status = LLMCOST_OK;
        err->message[0] = '\0';
    }
    return LLMCOST_OK;
}

const char *llmcost_version(void) { return LC_VERSION; }
int llmcost_api_version(void) { return LLMCOST_API_VERSION; }

int llmcost_input_count(void) { return LC_IN_COUNT; }
const char *llmcost_input_name(int i) { return i >= 0 && i < LC_IN_COUNT ? lc_inputs[i].name : NULL; }
const char *llmcost_input_unit(int i) { return i >= 0 && i < LC_IN_COUNT ? lc_inputs[i].unit : NULL; }
double llmcost_input_default(int i) { return i >= 0 && i < LC_IN_COUNT ? lc_inputs[i].def : 0.0 / 0.0; }
int llmcost_output_count(void) { return LC_OUT_COUNT; }
const char *llmcost_output_name(int i) { return i >= 0 && i < LC_OUT_COUNT ? lc_outputs[i].name : NULL; }
const char *llmcost_output_unit(int i) { return i >= 0 && i < LC_OUT_COUNT ? lc_outputs[i].unit : NULL; }
const char *llmcost_output_description(int i)
{
    return i >= 0 && i < LC_OUT_COUNT ? lc_outputs[i].long_name : NULL;
}

llmcost_point *llmcost_point_new(void)
{
    llmcost_point *p = calloc(1, sizeof *p);
    if (p)
        lc_inputs_default(p->in);
    return p;
}

void llmcost_point_free(llmcost_point *p) { free(p); }

static int find_input(const char *name, llmcost_error *err)
{
    int i = name ? lc_input_find(name) : -1;
    if (i < 0) {
        lc_diag d = {0};
        lc_diag_set(&d, LC_ENOTFOUND, NULL, 0, "unknown input '%s'", name ? name : "(null)");
        lc_api_fail(err, LC_ENOTFOUND, &d);
    }
    return i;
}

llmcost_status llmcost_point_set(llmcost_point *p, const char *input, double value,
                                 llmcost_error *err)
{
    int i = find_input(input, err);
    if (i < 0)
        return LLMCOST_ENOTFOUND;
    lc_diag d = {0};
    lc_status st = lc_input_check((lc_input)i, value, &d);
    if (st != LC_OK)
        return lc_api_fail(err, st, &d);
    p->in[i] = value;
    p->given[i] = 1;
    if (i == LC_IN_UTIL_INFER)
        p->util_infer_set = 1;
    return lc_api_ok(err);
}

llmcost_status llmcost_point_get_input(const llmcost_point *p, const char *input,
                                       double *value, llmcost_error *err)
{
    int i = find_input(input, err);
    if (i < 0)
        return LLMCOST_ENOTFOUND;
    double v[LC_IN_COUNT];
    lc_api_point_inputs(p, v);
    *value = v[i];
    return lc_api_ok(err);
}

/* An unknown catalogue name: the catalogue's one message, which lists
 * the names it knows. */
static llmcost_status unknown(const lc_catalog *cat, lc_cat_kind kind, const char *name,
                              llmcost_error *err)
{
    lc_diag d = {0};
    lc_status st = lc_catalog_unknown(cat, kind, name ? name : "(null)",
                                      kind == LC_CAT_GPU ? "llmcost_gpu_name lists them"
                                                         : "llmcost_arch_name lists them",
                                      NULL, 0, &d);
    return lc_api_fail(err, st, &d);
}

llmcost_status llmcost_point_set_gpu(llmcost_point *p, const char *gpu, llmcost_error *err)
{
    const lc_catalog *cat;
    llmcost_status st = lc_api_catalog(&cat, err);
    if (st != LLMCOST_OK)
        return st;
    const lc_gpu *g = gpu ? lc_catalog_gpu(cat, gpu) : NULL;
    if (!g)
        return unknown(cat, LC_CAT_GPU, gpu, err);
    for (int k = 0; k < LC_GPU_INPUTS; k++)
        if (!isnan(lc_gpu_input(g, k))) /* NaN: the GPU does not state it */
            p->in[lc_gpu_inputs[k]] = lc_gpu_input(g, k);
    /* a needed input it leaves out: llmcost_point_eval refuses until
     * llmcost_point_set gives it (as eval --gpu is refused without
     * --price-hour / --power-w) */
    p->gpu = g;
    return lc_api_ok(err);
}

llmcost_status llmcost_point_set_arch(llmcost_point *p, const char *arch, llmcost_error *err)
{
    const lc_catalog *cat;
    llmcost_status st = lc_api_catalog(&cat, err);
    if (st != LLMCOST_OK)
        return st;
    const lc_arch *a = arch ? lc_catalog_arch(cat, arch) : NULL;
    if (!a)
        return unknown(cat, LC_CAT_ARCH, arch, err);
    lc_arch_apply(a, p->in, NULL, 0); /* fields it does not give: unchanged */
    return lc_api_ok(err);
}

void llmcost_point_set_chinchilla(llmcost_point *p, int on) { p->chinchilla = on != 0; }

void lc_api_point_inputs(const llmcost_point *p, double in[LC_IN_COUNT])
{
    memcpy(in, p->in, sizeof p->in);
    lc_rules_apply((p->util_infer_set ? 0 : LC_RULE(LC_RULE_UTIL_INFER)) |
                       (p->chinchilla ? LC_RULE(LC_RULE_CHINCHILLA) : 0),
                   in);
}

llmcost_status llmcost_point_eval(const llmcost_point *p, const char *output, double *value,
                                  llmcost_error *err)
{
    int o = output ? lc_output_find(output) : -1;
    if (o < 0) {
        lc_diag d = {0};
        lc_diag_set(&d, LC_ENOTFOUND, NULL, 0, "unknown output '%s'", output ? output : "(null)");
        return lc_api_fail(err, LC_ENOTFOUND, &d);
    }
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_diag d = {0};
    int owed = p->gpu ? lc_gpu_missing(p->gpu, p->given) : -1;
    if (owed >= 0) {
        char why[320];
        const char *how = owed == LC_GPU_PRICE_K
                              ? "llmcost_point_set(p, \"price_hour\", USD) after set_gpu"
                              : "llmcost_point_set(p, \"power_w\", W) after set_gpu";
        lc_diag_set(&d, LC_EINVAL, NULL, 0, "%s",
                    lc_gpu_missing_text_how(owed, p->gpu->name, how, why, sizeof why));
        return lc_api_fail(err, LC_EINVAL, &d);
    }
    lc_api_point_inputs(p, in);
    lc_status st = lc_inputs_check(in, &d);
    if (st != LC_OK)
        return lc_api_fail(err, st, &d);
    lc_model_eval(in, out);
    *value = out[o];
    return lc_api_ok(err);
}
