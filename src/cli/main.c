/* main.c - the llmcost command: dispatch to a subcommand (commands.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli_env.h"
#include "cli/commands.h"
#include "h5/h5_write.h"
#include "par/par_mpi.h"
#include "util/version.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    {"eval", lc_cmd_eval, "evaluate every cost formula at one point"},
    {"task", lc_cmd_task, "API cost of one task (input and output tokens)"},
    {"catalog", lc_cmd_catalog, "list the GPU and API price catalogues"},
    {"sweep", lc_cmd_sweep, "evaluate a grid from a spec into HDF5"},
    {"info", lc_cmd_info, "describe a sweep file"},
    {"slice", lc_cmd_slice, "export a 1-D/2-D slice of a sweep for gnuplot"},
    {"sensitivity", lc_cmd_sensitivity, "uncertainty and sensitivity analysis"},
    {"merge", lc_cmd_merge, "merge shard files of a sweep"},
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: llmcost COMMAND [OPTIONS]\n\n"
               "Cost formulas of large-language-model applications, from one point\n"
               "to design spaces of billions of points.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'llmcost COMMAND --help' describes a command.\n"
               "Options: --help, --version\n"
               "Exit status: 0 ok, 1 failure, 2 usage or input error.\n");
}

/* The MPI build (make MPI=1) initialises MPI around every command, so the
 * same binary runs as a singleton or under mpirun/srun.  FUNNELED: only the
 * main thread calls MPI (OpenMP workers compute, they never communicate). */
static int run_command(int argc, char **argv);

int main(int argc, char **argv)
{
    lc_h5_init(); /* before every other HDF5 call (h5_write.h says why) */
    if (lc_par_init(&argc, &argv) != 0) {
        fprintf(stderr, "llmcost: MPI_Init failed\n");
        return 1;
    }
    /* sweep and sensitivity split their work across ranks; any other
     * command under mpirun runs on rank 0 alone (the others would write
     * the same files). */
    int rc = 0;
    if (lc_par_size() == 1 || lc_par_rank() == 0 ||
        (argc > 1 && (strcmp(argv[1], "sweep") == 0 || strcmp(argv[1], "sensitivity") == 0)))
        rc = run_command(argc, argv);
    lc_par_finalize();
    return rc;
}

static int run_command(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("llmcost %s (commit %s)\n", LC_VERSION, lc_build_commit());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            /* the environment is input: checked before the command runs */
            int quiet = 0;
            for (int j = 2; j < argc; j++)
                quiet |= strcmp(argv[j], "--quiet") == 0 || strcmp(argv[j], "-q") == 0;
            if (lc_cli_check_env(argv[1], quiet) != 0)
                return 2;
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "llmcost: unknown command '%s' (try 'llmcost --help')\n", argv[1]);
    return 2;
}
