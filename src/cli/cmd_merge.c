/* cmd_merge.c - 'llmcost merge' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_merge(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost merge: not implemented yet\n");
    return 1;
}
