/*
 * slice_write.h - write a slice read by slice_read.c in a form gnuplot reads
 * (slice_write.c).
 */
#ifndef LLMCOST_SLICE_WRITE_H
#define LLMCOST_SLICE_WRITE_H

#include <stdio.h>

#include "h5/slice_read.h"
#include "util/status.h"

/* Text: a '#' header (file, output, axes with units, fixed values), then
 * one line per point: 0-D "z"; 1-D "x z" (plus the quoted name when x is a
 * string axis); 2-D "x y z" with a blank line after each scan of x
 * (gnuplot's splot `using 1:2:3`).  NaN is written as "NaN". */
lc_status lc_slice_write_text(const lc_slice *s, FILE *f, lc_diag *d);

/* Binary: native float64 records, x fastest: 1-D (x, z), 2-D (x, y, z) -
 * gnuplot `binary record=(NX,NY) format='%3float64' using 1:2:3`; 0-D z. */
lc_status lc_slice_write_binary(const lc_slice *s, FILE *f, lc_diag *d);


#endif
