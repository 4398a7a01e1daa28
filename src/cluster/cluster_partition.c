/*
 * cluster_partition.c - who computes which chunks (ranks, shards) and how
 * per-chunk reduction partials fold (see cluster.h).  Pure index arithmetic:
 * the same n, part and n_parts give the same range on every machine.
 */
#include "llmcost/cluster.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void lc_cluster_range(uint64_t n, int part, int n_parts, uint64_t *first,
                      uint64_t *last)
{
    /* n * part / n_parts without overflow: split n = q * n_parts + r. */
    uint64_t p = (uint64_t)n_parts, q = n / p, r = n % p;
    uint64_t a = (uint64_t)part, b = (uint64_t)part + 1;
    *first = q * a + (r * a) / p;
    *last = q * b + (r * b) / p;
}

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

void lc_red_partial_init(lc_red_partial *p)
{
    p->min = INFINITY;
    p->max = -INFINITY;
    p->sum = 0.0;
    p->argmin = p->argmax = UINT64_MAX;
    p->n_finite = p->n_nan = 0;
}

void lc_red_partial_fold(lc_red_partial *acc, const lc_red_partial *p)
{
    /* p covers later points: on equal values acc's (smaller) index stays,
     * unless acc has none yet. */
    if (p->argmin != UINT64_MAX &&
        (acc->argmin == UINT64_MAX || p->min < acc->min ||
         (p->min == acc->min && p->argmin < acc->argmin))) {
        acc->min = p->min;
        acc->argmin = p->argmin;
    }
    if (p->argmax != UINT64_MAX &&
        (acc->argmax == UINT64_MAX || p->max > acc->max ||
         (p->max == acc->max && p->argmax < acc->argmax))) {
        acc->max = p->max;
        acc->argmax = p->argmax;
    }
    acc->sum += p->sum;
    acc->n_finite += p->n_finite;
    acc->n_nan += p->n_nan;
}
