/*
 * cmd_merge.c - 'llmcost merge OUT SHARD...': stitch the shard files of a
 * job-array sweep (llmcost sweep --shard K/N) into one file that reads
 * like a serial run's.  The work is lc_cluster_merge (cluster_merge.h); this file
 * parses the arguments, prints one summary line and maps the status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cluster/cluster_merge.h"

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
    int n = 0, force = 0, quiet = 0, rc;
    if (!shards) {
        fprintf(stderr, "llmcost merge: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(shards);
            return 0;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "llmcost merge: unknown option '%s' (try 'llmcost merge --help')\n", a);
            free(shards);
            return 2;
        } else if (!out) {
            out = a;
        } else {
            shards[n++] = a;
        }
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
        char msg[1700];
        lc_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "llmcost merge: %s\n", msg);
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
