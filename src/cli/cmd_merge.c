/*
 * cmd_merge.c - 'llmcost merge OUT SHARD...': stitch the shard files of a
 * job-array sweep (llmcost sweep --shard K/N) into one file that reads
 * like a serial run's.  The work is lc_cluster_merge (cluster_merge.h); this file
 * parses the arguments (cli_common.h, like every command), prints one
 * summary line and maps the status.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cluster/cluster_merge.h"

#define CMD "merge"

static void usage(FILE *f)
{
    fputs("Usage: llmcost merge OUTPUT SHARD... [--force] [--quiet]\n"
          "\n"
          "Merge the files written by 'llmcost sweep SPEC --shard K/N' (one per shard,\n"
          "named OUTPUT-without-.h5.shardK-of-N.h5, given in any order) into OUTPUT.\n"
          "The result has the same datasets, attributes and values as the file of a\n"
          "serial 'llmcost sweep SPEC'.  Chunks are copied as stored (no decompression).\n"
          "\n"
          "Refused (exit 2) with a message: a file that is not a shard, shards of\n"
          "different specs or options (the message says what differs), a shard given\n"
          "twice, a missing shard (named), an incomplete shard (.partial).\n"
          "\n"
          "  --force    overwrite OUTPUT if it exists\n"
          "  --quiet    no summary line\n"
          "  --help     this text\n"
          "\n"
          "Example (a Slurm job array of 16 tasks):\n"
          "  llmcost merge frontier.h5 frontier.shard*-of-16.h5\n"
          "\n"
          "Exit status: 0 ok, 1 failure, 2 usage or input error.\n",
          f);
}

int lc_cmd_merge(int argc, char **argv)
{
    const char *out = NULL;
    const char **shards = calloc((size_t)argc + 1, sizeof *shards);
    int n = 0, force = 0, quiet = 0, r, rc;
    if (!shards) {
        lc_cli_error(CMD, "out of memory");
        return 1;
    }
    lc_cli_args a;
    lc_cli_args_init(&a, CMD, argc, argv);
    while ((r = lc_cli_next(&a)) != 0) {
        if (r < 0) { /* OUTPUT first, then the shards */
            if (!out)
                out = a.arg;
            else
                shards[n++] = a.arg;
            continue;
        }
        if (lc_cli_is_help(&a)) {
            usage(stdout);
            free(shards);
            return 0;
        }
        int *flag = lc_cli_is(&a, "force") ? &force
                  : lc_cli_is(&a, "quiet") || lc_cli_is(&a, "q") ? &quiet : NULL;
        if (!flag || lc_cli_flag(&a) != LC_OK) {
            if (!flag)
                lc_cli_unknown(&a);
            free(shards);
            return 2;
        }
        *flag = 1;
    }
    if (!out || n == 0) {
        usage(stderr);
        free(shards);
        return 2;
    }
    lc_merge_stats stats;
    lc_diag d = {0};
    lc_status st = lc_cluster_merge(out, shards, n, force, &stats, &d);
    if (st != LC_OK) {
        lc_cli_report(CMD, st, &d);
        rc = lc_exit_code(st);
    } else {
        if (!quiet)
            fprintf(stderr, "llmcost merge: %s from %d shards (%llu chunks, %.1f MB copied) "
                            "in %.2f s\n", out, stats.shards,
                    (unsigned long long)stats.chunks, (double)stats.bytes / 1e6,
                    stats.seconds);
        rc = 0;
    }
    free(shards);
    return rc;
}
