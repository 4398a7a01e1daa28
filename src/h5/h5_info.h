/*
 * h5_info.h - what a sweep file holds, for `llmcost info` (h5_info.c):
 * the axes (length, ends or names, units), the stored outputs (dimensions,
 * dtype, chunks, filters, bytes on disk, formula), the /summary reductions
 * and the root attributes, read with every HDF5 call checked.  Nothing is
 * printed here; what cannot be read is flagged, never shown as a 0.
 */
#ifndef LLMCOST_H5_INFO_H
#define LLMCOST_H5_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define LC_H5_INFO_RANK 32

typedef enum {
    LC_H5_AXIS_MISSING,  /* named in "axes" but no such dataset */
    LC_H5_AXIS_NUMBERS,  /* first .. last */
    LC_H5_AXIS_NAMES,    /* names: at most 32 of them, ", ..." after */
    LC_H5_AXIS_OTHER,    /* neither numbers nor names */
    LC_H5_AXIS_EMPTY
} lc_h5_axis_kind;

typedef struct {
    char name[64];
    lc_h5_axis_kind kind;
    uint64_t n;
    int readable;        /* 0: the values or names could not be read */
    double first, last;  /* NUMBERS */
    char names[1024];    /* NAMES, joined by ", " */
    char units[64], long_name[256];
} lc_h5_axis_desc;

typedef struct {
    char name[256], units[64], long_name[256];
    char *formula;       /* heap, NULL when absent */
    int rank;
    uint64_t dims[LC_H5_INFO_RANK];
    char dim_name[LC_H5_INFO_RANK][64]; /* "?" when no scale is attached */
    char type_class;     /* 'f' float, 'i' integer, 's' string, 'o' other, '?' unreadable */
    int type_unsigned;
    size_t type_size;
    int chunked, chunk_rank;
    uint64_t chunk[LC_H5_INFO_RANK];
    char filters[256];   /* "shuffle+deflate:4", "none" */
    uint64_t storage_bytes;
} lc_h5_output_desc;

/* One group of /summary: a condition or an output's reduction.  *_ok is 0
 * when that attribute is missing or unreadable. */
typedef struct {
    char name[128];
    int is_condition;
    char condition[256], units[64];
    uint64_t count; int count_ok;
    double share; int share_ok;
    double min, max, mean; int min_ok, max_ok, mean_ok;
    char argmin[256], argmax[256];  /* "?" when missing */
    uint64_t count_finite, count_nan, count_inf;
    int count_finite_ok, count_nan_ok, has_count_inf, count_inf_ok;
} lc_h5_summary_desc;

typedef struct lc_h5_info lc_h5_info;

/* Open PATH (lc_h5_open_sweep), check its structure (lc_h5_valid_sweep:
 * LC_EFORMAT naming what is wrong) and read everything above. */
lc_status lc_h5_info_open(lc_h5_info **fi, const char *path, lc_diag *d);
void lc_h5_info_close(lc_h5_info *fi);

int lc_h5_info_n_axes(const lc_h5_info *fi);
const lc_h5_axis_desc *lc_h5_info_axis(const lc_h5_info *fi, int i);
int lc_h5_info_n_outputs(const lc_h5_info *fi);
const lc_h5_output_desc *lc_h5_info_output(const lc_h5_info *fi, int i);
/* -1: no /summary group */
int lc_h5_info_n_summary(const lc_h5_info *fi);
const lc_h5_summary_desc *lc_h5_info_summary(const lc_h5_info *fi, int i);

/* Root attributes in creation order: their count and names. */
int lc_h5_info_n_attrs(const lc_h5_info *fi);
const char *lc_h5_info_attr_name(const lc_h5_info *fi, int i);
/* A root attribute as text (a string as it is, a number as %.6g, an
 * integer as %llu) into buf; LC_ENOTFOUND when absent, LC_EFORMAT when it
 * cannot be read as either. */
lc_status lc_h5_info_attr(const lc_h5_info *fi, const char *name, char *buf, size_t size);
/* A root attribute that must be a number (threads, grid_points):
 * LC_ENOTFOUND when absent or not a number. */
lc_status lc_h5_info_attr_u64(const lc_h5_info *fi, const char *name, uint64_t *v);
/* The same as a heap string (free it), NULL when absent or unreadable. */
char *lc_h5_info_attr_dup(const lc_h5_info *fi, const char *name);

#endif
