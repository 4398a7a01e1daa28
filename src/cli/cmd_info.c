/* cmd_info.c - 'llmcost info' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_info(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost info: not implemented yet\n");
    return 1;
}
