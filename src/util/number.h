/*
 * number.h - numbers as users write them: "175B", "13T", "1.8M", "2k",
 * "1e9", "40%".  Suffixes (case-sensitive except k/K): k K = 1e3, M = 1e6,
 * B G = 1e9, T = 1e12, P = 1e15, % = 1e-2.  NaN and infinities are rejected.
 */
#ifndef LLMCOST_NUMBER_H
#define LLMCOST_NUMBER_H

#include <stdint.h>

#include "util/status.h"

/* Parse the whole string (surrounding blanks allowed) into *out.
 * LC_ESYNTAX with a message in d when it is not a finite number. */
lc_status lc_parse_number(const char *s, double *out, lc_diag *d);

/* A whole number 0 .. 2^64-1 written in decimal digits (surrounding
 * blanks allowed; no sign, exponent, suffix or fraction), exact over the
 * whole range (a double would merge seeds above 2^53).  LC_ESYNTAX or
 * LC_ERANGE with a message; *out untouched then. */
lc_status lc_parse_u64(const char *s, uint64_t *out, lc_diag *d);

/* Format x compactly with an SI suffix ("1.776T"), for tables. */
void lc_format_si(double x, char *buf, int size);

#endif
