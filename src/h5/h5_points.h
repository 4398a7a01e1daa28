/*
 * h5_points.h - HDF5 columns for `eval --points --format h5` (h5_points.c):
 * one extendible 1-D float64 dataset per column, appended batch by batch,
 * in FILE.partial renamed to FILE when closed with ok.
 */
#ifndef LLMCOST_H5_POINTS_H
#define LLMCOST_H5_POINTS_H

#include <stddef.h>

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

#endif
