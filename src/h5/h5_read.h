/*
 * h5_read.h - reading llmcost sweep files (h5_read.c): open one, check its
 * structure and extents, read attributes.
 */
#ifndef LLMCOST_H5_READ_H
#define LLMCOST_H5_READ_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* ---- reader helpers ------------------------------------------------------ */
/* Open an llmcost sweep file read-only: LC_EINVAL when it is not a regular
 * file (a FIFO would block), LC_EFORMAT when it is not HDF5 or its format
 * attribute is not "llmcost-sweep/1" (message says which). */
lc_status lc_h5_open_sweep(const char *path, hid_t *file, lc_diag *d);

/* Before reading a dataset whole: LC_EFORMAT (naming PATH and NAME) when
 * the points it declares need more bytes than the file really holds for it
 * (storage size; about 1000:1 when filtered), so that a small forged file
 * cannot make a reader allocate gigabytes. */
lc_status lc_h5_check_extent(hid_t ds, const char *path, const char *name, lc_diag *d);

/* The structure info and slice rely on, beyond the format attribute: AXES
 * (the root "axes" attribute, NULL when missing) names 1-D datasets whose
 * lengths the file really holds, and every output (a dataset with a
 * "formula") has an axis attached to each dimension, of that dimension's
 * length.  0 with MSG saying what is wrong, else 1.  Used by info and by
 * merge's shard check. */
int lc_h5_valid_sweep(hid_t f, const char *axes, char *msg, size_t size);

/* An axis dataset's points: its length when 1-D, or the first dimension of
 * a netCDF-4 classic model text axis (a char array (n, L) of zero-padded
 * names, doc/cluster.md); -1 for anything else. */
hssize_t lc_h5_axis_points(hid_t ds);
/* 1 when ds is such a char-array text axis. */
int lc_h5_axis_is_chars(hid_t ds);
/* Its n names as heap strings (free each and the array), NULL on failure. */
char **lc_h5_axis_chars(hid_t ds, size_t *n);

/* A string attribute (variable- or fixed-length) into buf; LC_ENOTFOUND. */
lc_status lc_h5_attr_string(hid_t obj, const char *name, char *buf, size_t size);
/* Heap copy of a string attribute (free it), NULL when absent. */
char *lc_h5_attr_string_dup(hid_t obj, const char *name);
lc_status lc_h5_attr_double(hid_t obj, const char *name, double *v);
lc_status lc_h5_attr_u64(hid_t obj, const char *name, uint64_t *v);
/* Write a scalar UTF-8 variable-length string attribute; 1 ok, 0 failed
 * (h5_write.c, next to the writer that uses it most). */
int lc_h5_attr_write_string(hid_t obj, const char *name, const char *value);
/* A 1-D UTF-8 variable-length string dataset holding v[0..n-1], left open
 * (close it), or -1; dcpl: its creation properties (H5P_DEFAULT) (h5_write.c). */
hid_t lc_h5_strings_create(hid_t loc, const char *name, const char *const *v, size_t n,
                           hid_t dcpl);

/* The name of the axis (the dimension scale's dataset) attached to
 * dimension DIM of dataset DS: 1, or 0 with NAME "" when none is attached
 * or its name is longer than LC_H5_SCALE_NAME - 1. */
#define LC_H5_SCALE_NAME 64
int lc_h5_dim_scale(hid_t ds, unsigned dim, char name[LC_H5_SCALE_NAME]);

#endif
