/*
 * model_graph.c - the argument lists of the model's evaluation graph,
 * expanded from LC_GRAPH (model_graph.h), and the closure of a node: the
 * one source of the dependency masks (lc_output_depends) and of what the
 * kernel evaluates for an output.
 */
#include "model/model.h"

const lc_node_def lc_node_defs[N_COUNT] = {
#define LC_X(id, fn, ...) [N_##id] = {LC_NARGS(__VA_ARGS__), {__VA_ARGS__}},
    LC_GRAPH(LC_X)
#undef LC_X
};

lc_nodeset lc_node_closure(int node)
{
    lc_nodeset need;
    lc_ns_clear(&need);
    lc_ns_add(&need, node);
    for (int id = node; id >= LC_IN_COUNT; id--)
        if (lc_ns_has(&need, id))
            for (int a = 0; a < lc_node_defs[id].nargs; a++)
                lc_ns_add(&need, lc_node_defs[id].args[a]);
    return need;
}
