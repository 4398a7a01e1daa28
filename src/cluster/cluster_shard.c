/*
 * cluster_shard.c - who computes which chunks (ranks, shards) and the
 * --shard K/N argument (see cluster_shard.h).  Pure index arithmetic:
 * the same n, part and n_parts give the same range on every machine.
 */
#include "cluster/cluster_shard.h"
#include "util/path.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int parse_int(const char *s, size_t len, long *v)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] < '0' || buf[i] > '9')
            return -1;
    errno = 0;
    *v = strtol(buf, NULL, 10);
    return errno ? -1 : 0;
}

lc_status lc_cluster_shard_parse(const char *arg, const char *task_id, int *k,
                                 int *n, lc_diag *d)
{
    const char *slash = arg ? strchr(arg, '/') : NULL;
    long kv = -1, nv = -1;
    if (!arg || !*arg)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "--shard needs K/N (e.g. 3/16)");
    if (slash) {
        if (parse_int(slash + 1, strlen(slash + 1), &nv) != 0)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "--shard '%s': N must be a positive integer", arg);
        if (slash > arg && parse_int(arg, (size_t)(slash - arg), &kv) != 0)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "--shard '%s': K must be an integer >= 0", arg);
    } else if (parse_int(arg, strlen(arg), &nv) != 0) {
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "--shard '%s': expected K/N (e.g. 3/16) or N", arg);
    }
    if (nv < 1 || nv > 1000000)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "--shard '%s': N must be between 1 and 1000000", arg);
    if (kv < 0) {
        if (!task_id || !*task_id)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "--shard %s: K not given and SLURM_ARRAY_TASK_ID is not set "
                               "(use --shard K/%ld)", arg, nv);
        if (parse_int(task_id, strlen(task_id), &kv) != 0)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "SLURM_ARRAY_TASK_ID='%s' is not an integer", task_id);
    }
    if (kv >= nv)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "--shard: shard %ld does not exist (shards are 0..%ld; "
                           "submit the array as --array=0-%ld)", kv, nv - 1, nv - 1);
    *k = (int)kv;
    *n = (int)nv;
    return LC_OK;
}

int lc_cluster_shard_path(const char *output, int k, int n, char *buf, size_t size)
{
    size_t len = strlen(output);
    lc_status st;
    if (len > 3 && strcmp(output + len - 3, ".h5") == 0)
        st = lc_path_fmt(buf, size, NULL, "%.*s.shard%d-of-%d.h5", (int)(len - 3), output, k, n);
    else
        st = lc_path_fmt(buf, size, NULL, "%s.shard%d-of-%d.h5", output, k, n);
    return st == LC_OK ? 0 : -1;
}
