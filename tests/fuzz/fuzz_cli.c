/*
 * fuzz_cli.c - libFuzzer harness for the argument handling of the `eval`,
 * `task` and `catalog` subcommands (src/cli/cmd_*.c, declared in
 * src/cli/commands.h).  The input is argv, one argument per line; the first
 * line names the subcommand.  Invariant: the command returns an exit code
 * in {0, 1, 2} and never crashes, leaks or reads out of bounds.
 *
 * The commands print: run this harness with -close_fd_mask=3 (run_fuzz.sh
 * does), which sends stdout/stderr to /dev/null while libFuzzer and the
 * sanitizers keep reporting on a private copy of stderr.  It works in a
 * private temporary directory so a relative path in argv cannot touch the
 * source tree, and stdin is /dev/null so no command waits for input.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/lcfuzzcliXXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0)
        abort();
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0)
        abort();
    close(fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    char *p = buf;
    while (argc < MAX_ARGS) {
        argv[argc++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    argv[argc] = NULL;
    int (*cmd)(int, char **) = NULL;
    if (strcmp(argv[0], "eval") == 0)
        cmd = lc_cmd_eval;
    else if (strcmp(argv[0], "task") == 0)
        cmd = lc_cmd_task;
    else if (strcmp(argv[0], "catalog") == 0)
        cmd = lc_cmd_catalog;
    if (cmd) {
        optind = 0; /* glibc: a full getopt reset between runs */
        opterr = 1;
        int rc = cmd(argc, argv);
        fflush(stdout);
        if (rc < 0 || rc > 2)
            abort();
    }
    free(buf);
    return 0;
}
