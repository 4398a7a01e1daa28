/*
 * h5_points.h - HDF5 tables of `eval --points` (h5_points.c): the results
 * (--format h5: one extendible 1-D float64 dataset per column, appended
 * batch by batch, in FILE.partial renamed to FILE when closed with ok), and
 * a design given as HDF5 columns.
 */
#ifndef LLMCOST_H5_POINTS_H
#define LLMCOST_H5_POINTS_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "util/status.h"

#define LC_H5_POINTS_MAX_COLS 128

typedef struct lc_h5_points lc_h5_points;

/* An existing path is refused (LC_EEXIST) unless force.  units and
 * formulas (NULL entries allowed) become the columns' attributes; source
 * is the points file's name (root attribute). */
lc_status lc_h5_points_create(lc_h5_points **w, const char *path, int force, int ncols,
                              const char *const *names, const char *const *units,
                              const char *const *formulas, const char *source, lc_diag *d);
lc_status lc_h5_points_append(lc_h5_points *w, const double *const *cols, size_t n,
                              lc_diag *d);
/* ok = 0: discard (the .partial is removed). */
lc_status lc_h5_points_close(lc_h5_points *w, int ok, lc_diag *d);

/* A design in HDF5 (h5py, netCDF-4, a file of --format h5): every root
 * 1-D dataset named after an input is a column (all of one length; other
 * datasets are ignored), read in batches, each value range-checked
 * (errors name the row, from 1); "arch" and "gpu" datasets of strings
 * (variable or fixed length) are columns of names looked up in cat
 * (points.h: their values are catalogue indices). */
typedef struct lc_h5_table lc_h5_table;
int lc_h5_is_hdf5(const char *path);
lc_status lc_h5_table_open(lc_h5_table **t, const char *path, const lc_catalog *cat,
                           lc_diag *d);
/* The input (or LC_POINTS_COL_*) of each column; returns the number of
 * columns. */
int lc_h5_table_columns(const lc_h5_table *t, int *col_input);
lc_status lc_h5_table_read(lc_h5_table *t, double *const *cols, size_t max, size_t *n,
                           lc_diag *d);
void lc_h5_table_close(lc_h5_table *t);

#endif
