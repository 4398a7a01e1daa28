/* cmd_task.c - 'llmcost task' (not yet implemented). */
#include <stdio.h>

#include "cli/commands.h"

int lc_cmd_task(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "llmcost task: not implemented yet\n");
    return 1;
}
