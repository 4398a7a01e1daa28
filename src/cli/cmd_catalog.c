/* cmd_catalog.c - 'llmcost catalog' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_catalog(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost catalog: not implemented yet\n");
    return 1;
}
