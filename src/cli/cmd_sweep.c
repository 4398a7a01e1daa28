/* cmd_sweep.c - 'llmcost sweep' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_sweep(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost sweep: not implemented yet\n");
    return 1;
}
