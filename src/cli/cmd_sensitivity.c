/* cmd_sensitivity.c - 'llmcost sensitivity' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_sensitivity(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost sensitivity: not implemented yet\n");
    return 1;
}
