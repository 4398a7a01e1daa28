/*
 * catalog.h - the GPU and API price catalogues.
 *
 * The data lives in sweeps/catalog.ini (a copy is compiled into the binary
 * as the default); `--catalog FILE` replaces it.  Loading validates every
 * entry (all fields present, values in range) and reports file:line.
 */
#ifndef LLMCOST_CATALOG_H
#define LLMCOST_CATALOG_H

#include "llmcost/status.h"

typedef struct {
    char name[64];
    double flops;      /* peak dense BF16 FLOP/s */
    double hbm_bw;     /* byte/s */
    double power_w;    /* W */
    double price_hour; /* USD per GPU-hour */
    char price_source[200];
    char price_date[32];
    int line;          /* line of the section header */
} lc_gpu;

typedef struct {
    char name[64];
    double price_in, price_out; /* USD per 1K tokens */
    char source[200];
    char date[32];
    int line;
} lc_api;

typedef struct {
    lc_gpu *gpus;
    int n_gpus;
    lc_api *apis;
    int n_apis;
    char origin[512]; /* file it came from, or "built-in" */
} lc_catalog;

/* Load from path, or the built-in copy when path is NULL.  On error the
 * catalogue is left empty (safe to free). */
lc_status lc_catalog_load(lc_catalog *c, const char *path, lc_diag *d);
void lc_catalog_free(lc_catalog *c);

/* Look up by name, case-insensitively; NULL when absent. */
const lc_gpu *lc_catalog_gpu(const lc_catalog *c, const char *name);
const lc_api *lc_catalog_api(const lc_catalog *c, const char *name);

/* The built-in catalogue text (generated from sweeps/catalog.ini). */
extern const char lc_catalog_builtin_text[];

#endif
