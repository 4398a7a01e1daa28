/*
 * slice_read.h - read a 0-, 1- or 2-D slice of one output of a sweep file and
 * write it in a form gnuplot reads (`llmcost slice`, plots/).
 *
 * A sweep file (format "llmcost-sweep/1", see doc/file-format.md) stores each
 * output over the axes it depends on, each dimension attached to an axis'
 * dimension scale.  lc_slice_read discovers the dimensions generically from
 * those scales, fixes every axis that is not x or y at one index (from a
 * value, the nearest value, a GPU name or "#INDEX"), and reads only that
 * hyperslab from the file, never the whole dataset.  An axis of the grid the
 * output does not depend on (compact layout) may still be x or y: the values
 * are then repeated along it (a note says so), which is what the full grid
 * holds.
 *
 * A file a sweep never writes is refused with LC_EFORMAT (exit 2) rather
 * than read into wrong numbers: an output that is not float32/float64 (an
 * integer one would be converted silently and could not hold the NaN that
 * means "no finite value"), an axis with a NaN or Inf value, an output
 * dimension whose length differs from its axis'.
 *
 * The library never prints: remarks a user should see (nearest value used,
 * --at ignored, ...) are collected in lc_slice.notes, one per line.
 * Not thread-safe (HDF5's error stack is switched off during the calls).
 */
#ifndef LLMCOST_SLICE_READ_H
#define LLMCOST_SLICE_READ_H

#include <stddef.h>
#include <stdio.h>

#include "util/status.h"

#define LC_SLICE_MAX_AXES 16
#define LC_SLICE_NAME 64

/* One axis of the slice (x or y) or of the file. */
typedef struct {
    char name[LC_SLICE_NAME];
    char units[64];
    char long_name[256];
    size_t n;
    double *values;  /* n numbers; a string axis (gpu): 0, 1, ..., n-1 */
    char **labels;   /* string axis: the n names; NULL for numeric axes */
    int broadcast;   /* 1: the output does not depend on this axis */
} lc_slice_axis;

/* An axis held fixed. */
typedef struct {
    char name[LC_SLICE_NAME];
    size_t index;
    double value;                 /* the axis value at index */
    char label[LC_SLICE_NAME];    /* string axis: the name, else "" */
    int used;                     /* 0: the output does not depend on it */
} lc_slice_fixed;

/* --at AXIS=VALUE: VALUE is a number with SI suffix ("1.8T"), a name on a
 * string axis ("H100", case-insensitive) or "#INDEX" (0-based). */
typedef struct {
    const char *axis;
    const char *value;
} lc_slice_at;

typedef struct {
    const char *path;     /* the sweep file */
    const char *output;   /* dataset name, e.g. "pretrain_cost" */
    const char *x;        /* NULL: a single value (every axis fixed) */
    const char *y;        /* NULL: 1-D */
    const lc_slice_at *at;
    int n_at;
    int exact;            /* 1: a value not on its axis is an error */
} lc_slice_request;

typedef struct {
    char path[512];
    char output[LC_SLICE_NAME];
    char units[64];
    char long_name[256];
    char format[64];       /* root attribute "format" */
    char spec_name[128];   /* root attribute "spec_name", may be "" */
    char inputs[2048];     /* "name=value, ..." of the root input.* attributes */
    int dims;              /* 0, 1 or 2 */
    lc_slice_axis x, y;    /* valid when dims >= 1 / dims == 2 */
    lc_slice_fixed fixed[LC_SLICE_MAX_AXES];
    int n_fixed;
    size_t nx, ny;         /* 1 when the dimension is absent */
    double *z;             /* nx * ny values, x fastest; NaN = no finite value */
    int has_nan;           /* 1 when some z is NaN */
    char notes[4096];      /* remarks for the user, one per line */
} lc_slice;

/* Read the slice described by r into s (zeroed first; free with
 * lc_slice_free even on error).  Status: LC_EFORMAT (not HDF5, not an
 * llmcost sweep file), LC_ENOTFOUND (unknown output, axis or name: the
 * message lists what exists), LC_EINVAL (bad request: x == y, an axis of the
 * output left unfixed, value not on the axis under exact), LC_ERANGE (index
 * out of range), LC_EHDF5, LC_ENOMEM. */
lc_status lc_slice_read(lc_slice *s, const lc_slice_request *r, lc_diag *d);
void lc_slice_free(lc_slice *s);

#endif
