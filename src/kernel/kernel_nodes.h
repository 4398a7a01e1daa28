/*
 * kernel_nodes.h - the evaluation graph of the cost model, shared by every
 * ISA path of the point-list kernel (internal to src/kernel).
 *
 * Nodes 0..LC_IN_COUNT-1 are the inputs; the rest are intermediates and
 * outputs, each one call of a model.h function on earlier nodes, wired in
 * exactly the order lc_model_eval uses so every path gives its bits.  The
 * kernel evaluates a node once per call when none of its inputs vary
 * (stride 0) and as a vector loop otherwise: this is how the sweep hoists
 * every sub-expression to the axes it depends on without a second copy of
 * any formula.
 */
#ifndef LLMCOST_KERNEL_NODES_H
#define LLMCOST_KERNEL_NODES_H

#include <stdint.h>

#include "llmcost/model.h"

enum {
    N_GS = LC_IN_COUNT, /* pretraining GPU-seconds */
    N_PRE,              /* pretraining cost */
    N_MWH,              /* energy MWh */
    N_SPT,              /* compute-bound GPU-seconds per token */
    N_INF,              /* inference cost per 1K */
    N_SPTBW,            /* bandwidth-aware seconds per token */
    N_FIXED,            /* fixed monthly */
    N_MONTHLY,          /* monthly cost */
    N_AVG,              /* average price per 1K */
    N_TREV,             /* token revenue */
    N_SREV,             /* subscription revenue */
    N_SCOST,            /* subscription cost */
    N_SMALL,            /* small model's inference cost per 1K */
    N_ROUTE,            /* routed cost per 1K */
    N_FLOP,             /* the remaining outputs */
    N_GPUH,
    N_DAYS,
    N_ECOST,
    N_INFBW,
    N_TPROFIT,
    N_TMARGIN,
    N_BETOK,
    N_SPROFIT,
    N_BEUSERS,
    N_RSAVE,
    N_RSHARE,
    N_COUNT
};

#define LC_NODE_MAX_ARGS 6

typedef struct {
    int nargs;
    int args[LC_NODE_MAX_ARGS];
} lc_node_def;

/* Arguments of every computed node (inputs have nargs 0). */
extern const lc_node_def lc_node_defs[N_COUNT];
/* The node that holds each output. */
extern const int lc_output_node[LC_OUT_COUNT];

#endif
