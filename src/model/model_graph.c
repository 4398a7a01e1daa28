/*
 * model_graph.c - the argument lists of the model's evaluation graph,
 * expanded from LC_GRAPH (model_graph.h), and the closure of a node: the
 * one source of the dependency masks (lc_output_depends) and of what the
 * kernel evaluates for an output; pick nodes (LC_PICK_LIST) prune the
 * branches that input ranges rule out (lc_node_closure_in).
 */
#include "model/model.h"

const lc_node_def lc_node_defs[N_COUNT] = {
#define LC_X(id, fn, ...) [N_##id] = {LC_NARGS(__VA_ARGS__), {__VA_ARGS__}},
    LC_GRAPH(LC_X)
#undef LC_X
};

unsigned lc_node_live_args(int id, const double *lo, const double *hi)
{
    const lc_node_def *nd = &lc_node_defs[id];
    unsigned all = (1u << nd->nargs) - 1u, plo, phi;
    if (lo == NULL || hi == NULL || id < LC_IN_COUNT)
        return all;
    int sel = nd->args[0];
    if (sel >= LC_IN_COUNT) /* a pick chooses by an input (lo, hi hold inputs only) */
        return all;
    switch (id) {
#define LC_X(node, pick)                                                                     \
    case N_##node:                                                                           \
        plo = pick(lo[sel]);                                                                 \
        phi = pick(hi[sel]);                                                                 \
        break;
        LC_PICK_LIST(LC_X)
#undef LC_X
    default:
        return all;
    }
    /* a range with NaN, or one across the threshold: every branch */
    if (plo != phi || lo[sel] != lo[sel] || hi[sel] != hi[sel])
        return all;
    return (plo | 1u) & all;
}

lc_nodeset lc_node_closure_in(int node, const double *lo, const double *hi)
{
    lc_nodeset need;
    lc_ns_clear(&need);
    lc_ns_add(&need, node);
    for (int id = node; id >= LC_IN_COUNT; id--) {
        if (!lc_ns_has(&need, id))
            continue;
        unsigned live = lc_node_live_args(id, lo, hi);
        for (int a = 0; a < lc_node_defs[id].nargs; a++)
            if (live >> a & 1)
                lc_ns_add(&need, lc_node_defs[id].args[a]);
    }
    return need;
}

lc_nodeset lc_node_closure(int node)
{
    return lc_node_closure_in(node, NULL, NULL);
}
