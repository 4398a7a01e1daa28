/*
 * cmd_eval_points.h - the points mode of `llmcost eval` (cmd_eval.c reads
 * the options and fixes the inputs; cmd_eval_points.c runs the file).
 */
#ifndef LLMCOST_CMD_EVAL_POINTS_H
#define LLMCOST_CMD_EVAL_POINTS_H

#include "catalog/catalog.h"
#include "model/formula.h"

typedef struct {
    const char *path;      /* --points FILE ("-": stdin) */
    const char *outputs;   /* --outputs a,b (NULL: every output and formula) */
    const char *format;    /* csv (default), jsonl, h5 */
    const char *output;    /* --output FILE (NULL: stdout) */
    const char *isa;
    int force, threads, quiet;
    const lc_formulas *fs;
    double fixed[LC_IN_COUNT]; /* every input without a column */
    int given[LC_IN_COUNT];    /* set by an explicit option (beats an arch / gpu column) */
    const char *arch, *gpu;    /* --arch / --gpu (their presets are in fixed) */
    const lc_catalog *cat;     /* what arch / gpu columns name */
    int util_infer_given;  /* util_infer fixed by an option (else it follows util) */
    int chinchilla;
} lc_eval_points_opts;

int lc_eval_points_run(const lc_eval_points_opts *o);

#endif
