/* cmd_eval.c - 'llmcost eval' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost eval: not implemented yet\n");
    return 1;
}
