/* cmd_slice.c - 'llmcost slice' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_slice(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost slice: not implemented yet\n");
    return 1;
}
