/*
 * api_file.c - the public API's reader of sweep files (llmcost.h:
 * llmcost_file_*), a shell over the io layer's table of stored outputs
 * (h5/h5_outputs.h: lc_h5_outputs_*), which holds every HDF5 call.
 */
#include "llmcost/llmcost.h"

#include <stdlib.h>

#include "api/api_internal.h"
#include "h5/h5_outputs.h"

struct llmcost_file {
    lc_h5_outputs *t;
};

llmcost_status llmcost_file_open(llmcost_file **out, const char *path, llmcost_error *err)
{
    *out = NULL;
    lc_diag d = {0};
    if (!path)
        return lc_api_fail(err, LC_EINVAL, NULL);
    llmcost_file *f = calloc(1, sizeof *f);
    if (!f)
        return lc_api_fail(err, LC_ENOMEM, NULL);
    lc_status st = lc_h5_outputs_open(&f->t, path, &d);
    if (st != LC_OK) {
        free(f);
        return lc_api_fail(err, st, &d);
    }
    *out = f;
    return lc_api_ok(err);
}

void llmcost_file_close(llmcost_file *f)
{
    if (f) {
        lc_h5_outputs_close(f->t);
        free(f);
    }
}

int llmcost_file_output_count(const llmcost_file *f) { return lc_h5_outputs_count(f->t); }

const char *llmcost_file_output_name(const llmcost_file *f, int i)
{
    return lc_h5_outputs_name(f->t, i);
}

llmcost_status llmcost_file_output_shape(const llmcost_file *f, const char *output, int *rank,
                                         uint64_t dims[16], const char *dim_names[16],
                                         llmcost_error *err)
{
    lc_diag d = {0};
    const lc_h5_out_shape *s = lc_h5_outputs_shape(f->t, output, &d);
    if (!s)
        return lc_api_fail(err, LC_ENOTFOUND, &d);
    *rank = s->rank;
    for (int k = 0; k < s->rank; k++) {
        dims[k] = s->dims[k];
        if (dim_names)
            dim_names[k] = s->dim_name[k];
    }
    return lc_api_ok(err);
}

llmcost_status llmcost_file_read(const llmcost_file *f, const char *output, double *values,
                                 uint64_t n, llmcost_error *err)
{
    lc_diag d = {0};
    lc_status st = lc_h5_outputs_read(f->t, output, values, n, &d);
    return st == LC_OK ? lc_api_ok(err) : lc_api_fail(err, st, &d);
}
