/*
 * api_internal.h - what the public API's source files share (private).
 */
#ifndef LLMCOST_API_INTERNAL_H
#define LLMCOST_API_INTERNAL_H

#include "llmcost/llmcost.h"
#include "catalog/catalog.h"
#include "model/model.h"
#include "util/status.h"

/* Fill err from a status and diagnostic (d may be NULL); returns st. */
llmcost_status lc_api_fail(llmcost_error *err, lc_status st, const lc_diag *d);
/* Clear err; returns LLMCOST_OK. */
llmcost_status lc_api_ok(llmcost_error *err);
/* The point's inputs with the derived-input rules applied. */
void lc_api_point_inputs(const llmcost_point *p, double in[LC_IN_COUNT]);
/* The built-in catalogue, loaded once (thread-safe) and kept for the life
 * of the process; *c = NULL and the load's error when it does not load. */
llmcost_status lc_api_catalog(const lc_catalog **c, llmcost_error *err);

#endif
