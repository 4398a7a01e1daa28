/*
 * kernel_nodes.c - row programs over the evaluation graph (see
 * kernel_nodes.h); the graph's argument lists are in src/model/model_graph.c,
 * the arithmetic in kernel_body.h, which calls only model.h functions.
 */
#include "kernel/kernel_nodes.h"

void lc_rowprog_build(lc_rowprog *p, int out_node, uint64_t inner, const double *lo,
                      const double *hi)
{
    lc_nodeset need = lc_node_closure_in(out_node, lo, hi), vary;
    lc_ns_clear(&vary);
    for (int i = 0; i < LC_IN_COUNT; i++)
        if ((inner >> i & 1) && lc_ns_has(&need, i))
            lc_ns_add(&vary, i);
    int rv_of[N_COUNT], step_of[N_COUNT];
    p->n_steps = 0;
    p->n_rowvals = 0;
    p->out_rowval = -1;
    for (int i = 0; i < N_COUNT; i++)
        rv_of[i] = -1;
    for (int id = LC_IN_COUNT; id <= out_node; id++) {
        if (!lc_ns_has(&need, id))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        for (int a = 0; a < nd->nargs; a++)
            if (lc_ns_has(&vary, nd->args[a]))
                lc_ns_add(&vary, id);
    }
    if (!lc_ns_has(&vary, out_node)) {
        p->rowval_node[0] = out_node;
        p->n_rowvals = 1;
        p->out_rowval = 0;
        return;
    }
    for (int id = LC_IN_COUNT; id <= out_node; id++) {
        if (!lc_ns_has(&need, id) || !lc_ns_has(&vary, id))
            continue;
        const lc_node_def *nd = &lc_node_defs[id];
        int s = p->n_steps++;
        unsigned live = lc_node_live_args(id, lo, hi);
        p->id[s] = id;
        step_of[id] = s;
        for (int a = 0; a < LC_NODE_MAX_ARGS; a++) {
            int arg = a < nd->nargs && (live >> a & 1) ? nd->args[a] : nd->args[0];
            if (lc_ns_has(&vary, arg)) {
                p->kind[s][a] = arg < LC_IN_COUNT ? LC_ARG_INNER : LC_ARG_NODE;
                p->ref[s][a] = arg < LC_IN_COUNT ? arg : step_of[arg];
            } else {
                if (rv_of[arg] < 0) {
                    rv_of[arg] = p->n_rowvals;
                    p->rowval_node[p->n_rowvals++] = arg;
                }
                p->kind[s][a] = LC_ARG_ROWVAL;
                p->ref[s][a] = rv_of[arg];
            }
        }
    }
}
