/*
 * h5_bands.h - write the uncertainty bands of a sweep into its file
 * (h5_bands.c); the bands are computed by src/sensitivity/.
 */
#ifndef LLMCOST_H5_BANDS_H
#define LLMCOST_H5_BANDS_H

#include "sensitivity/sensitivity.h"
#include "spec/spec.h"
#include "util/status.h"

/* Compute the bands of every chosen output and add them to the sweep file
 * `path` (an existing llmcost sweep file with the spec's axes): for output
 * NAME, NAME_pct (axes..., percentile), NAME_mean, NAME_sd and
 * NAME_nan_share (axes...), dimension scales attached, plus the
 * "percentile" scale; with store_samples the samples under /uncertainty
 * (a netCDF-4 classic model file: as root datasets uncertainty_<input>
 * over a "sample" dimension, h5_bands.c).
 * Memory is bounded: the cells go in tiles of about 1 MiB of results. */
lc_status lc_sens_bands_write(const lc_sens_problem *p, const lc_spec *s, const char *path,
                              lc_sens_bands_stats *stats, lc_diag *d);

/* Before the sweep: LC_EINVAL with the formula's file:line when a stored
 * [formulas] output takes a name the bands of p add to the file (the
 * netCDF-4 classic model's when s->nc_classic). */
lc_status lc_sens_bands_check_names(const lc_sens_problem *p, const lc_spec *s, lc_diag *d);

#endif
