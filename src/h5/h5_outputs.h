/*
 * h5_outputs.h - a finished sweep file as a table of stored outputs
 * (h5_outputs.c).
 */
#ifndef LLMCOST_H5_OUTPUTS_H
#define LLMCOST_H5_OUTPUTS_H

#include <stdint.h>

#include "util/status.h"

/* ---- a finished file as a table of stored outputs (h5_outputs.c) ------- */
#define LC_H5_OUT_MAX_RANK 16
typedef struct {
    int rank;                                 /* 0: a scalar */
    uint64_t dims[LC_H5_OUT_MAX_RANK];
    char dim_name[LC_H5_OUT_MAX_RANK][64];    /* the attached scale's name */
} lc_h5_out_shape;
typedef struct lc_h5_outputs lc_h5_outputs;
/* Open (lc_h5_open_sweep) and list the stored outputs with their shapes. */
lc_status lc_h5_outputs_open(lc_h5_outputs **f, const char *path, lc_diag *d);
void lc_h5_outputs_close(lc_h5_outputs *f);
int lc_h5_outputs_count(const lc_h5_outputs *f);
const char *lc_h5_outputs_name(const lc_h5_outputs *f, int i);
/* NULL (and d set, LC_ENOTFOUND) when the output is not stored. */
const lc_h5_out_shape *lc_h5_outputs_shape(const lc_h5_outputs *f, const char *output,
                                           lc_diag *d);
/* All values as doubles, row-major; n must be the product of the dims. */
lc_status lc_h5_outputs_read(const lc_h5_outputs *f, const char *output, double *values,
                             uint64_t n, lc_diag *d);

#endif
