/*
 * cluster_merge.c - `llmcost merge`: stitch the files of a job array's
 * shards into one sweep file (cluster_merge.h).
 *
 * A shard file is a complete sweep file whose datasets are fully created
 * but hold only the shard's chunks (global chunk numbering of the engine:
 * the chunks of the first stored output in row-major chunk order, then the
 * second ...; shard k of n owns lc_partition(n_chunks, n, k)).  Shard 0
 * also computed the reductions over the full grid.  So the merge copies
 * shard 0's file byte for byte, then copies the other shards' chunks as
 * stored: H5Dread_chunk/H5Dwrite_chunk move compressed bytes without
 * decoding them, at disk speed, and the values are the shards' values bit
 * for bit.  (HDF5 virtual datasets were the alternative: no copy, but the
 * shards must stay beside the result forever, a shard's chunks form one
 * mapping per run of chunks, and every reader pays the indirection; see
 * doc/cluster.md for the measurement.)
 *
 * Shard identity lives in root attributes written by `llmcost sweep
 * --shard`: "shard" = "K/N", "identity_fingerprint", "identity" (spec text
 * and options, for the message that says what differs).
 */
#include "cluster/cluster_shard.h"
#include "cluster/cluster_identity.h"
#include "cluster/cluster_merge.h"
#include "h5/h5_shards.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/path.h"

#include "grid/grid.h"
#include "model/model.h"
#include "spec/spec.h"

typedef struct {
    const char *path;
    lc_h5_shard *h;
    int k, n;
    const char *fp, *identity;
} shard;

static lc_status copy_file(const char *from, const char *to, lc_diag *d)
{
    lc_status st = LC_OK;
    int in = open(from, O_RDONLY | O_CLOEXEC);
    /* TO is the merge's scratch .partial: remove a stale one (or a planted
     * symbolic link) and create it exclusively, never through a link. */
    if (unlink(to) != 0 && errno != ENOENT) {
        if (in >= 0)
            close(in);
        return lc_diag_set(d, LC_EIO, to, 0, "cannot remove: %s", strerror(errno));
    }
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    char *buf = malloc(1 << 20);
    if (in < 0 || out < 0 || !buf) {
        st = lc_diag_set(d, LC_EIO, in < 0 ? from : to, 0, "cannot open: %s", strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t r = read(in, buf, 1 << 20);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            st = lc_diag_set(d, LC_EIO, from, 0, "read failed: %s", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        for (ssize_t o = 0; o < r;) {
            ssize_t w = write(out, buf + o, (size_t)(r - o));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                st = lc_diag_set(d, LC_EIO, to, 0, "write failed: %s", strerror(errno));
                goto out;
            }
            o += w;
        }
    }
out:
    free(buf);
    if (in >= 0) close(in);
    if (out >= 0 && close(out) != 0 && st == LC_OK)
        st = lc_diag_set(d, LC_EIO, to, 0, "close failed: %s", strerror(errno));
    return st;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static lc_status open_shards(shard *sh, const char *const *paths, int n, lc_diag *d)
{
    for (int i = 0; i < n; i++) {
        shard *s = &sh[i];
        s->path = paths[i];
        if (ends_with(paths[i], ".partial"))
            return lc_diag_set(d, LC_EINVAL, paths[i], 0,
                               "this shard is incomplete (a .partial file): finish it with "
                               "'llmcost sweep SPEC --shard K/N --resume' first");
        /* a FIFO or a device would block the open (or never end) */
        struct stat sb;
        if (stat(paths[i], &sb) != 0)
            return lc_diag_set(d, LC_EINVAL, paths[i], 0, "no such shard file");
        lc_status ost = lc_h5_shard_open(&s->h, paths[i], d);
        if (ost != LC_OK)
            return ost;
        const char *tag = lc_h5_shard_tag(s->h);
        s->fp = lc_h5_shard_fingerprint(s->h);
        s->identity = lc_h5_shard_identity(s->h);
        if (!tag || !s->fp)
            return lc_diag_set(d, LC_EINVAL, paths[i], 0,
                               "not a shard of an llmcost sweep (no 'shard' attribute K/N: "
                               "was it written with 'llmcost sweep --shard'?)");
        /* K/N exactly as 'sweep --shard' writes it, N within what it accepts:
         * N sizes an allocation below, so a forged 0/268435456 is refused */
        lc_diag td;
        if (lc_cluster_shard_parse(tag, NULL, &s->k, &s->n, &td) != LC_OK ||
            strchr(tag, '/') == NULL)
            return lc_diag_set(d, LC_EFORMAT, paths[i], 0,
                               "its 'shard' attribute '%.40s' is not K/N with "
                               "0 <= K < N <= 1000000 (%s)", tag, td.msg);
        /* the structure info and slice rely on: a shard that fails it would
         * make a merged file that fails it (axes of forged lengths, outputs
         * without their axes) */
        char why[512];
        if (!lc_h5_shard_valid(s->h, why, sizeof why))
            return lc_diag_set(d, LC_EFORMAT, paths[i], 0,
                               "not a valid llmcost sweep file: %s", why);
    }
    for (int i = 1; i < n; i++) {
        if (strcmp(sh[i].fp, sh[0].fp) != 0) {
            char what[700] = "";
            if (sh[0].identity && sh[i].identity)
                lc_cluster_identity_diff(sh[0].identity, strlen(sh[0].identity),
                                         sh[i].identity, strlen(sh[i].identity), what,
                                         sizeof what);
            return lc_diag_set(d, LC_EINVAL, sh[i].path, 0,
                               "shard of a different sweep than %s, refusing to merge: %s",
                               sh[0].path, what[0] ? what : "the spec or options differ");
        }
        if (sh[i].n != sh[0].n)
            return lc_diag_set(d, LC_EINVAL, sh[i].path, 0,
                               "shard %d/%d, but %s is shard %d/%d: all shards must come "
                               "from one --shard K/N split", sh[i].k, sh[i].n, sh[0].path,
                               sh[0].k, sh[0].n);
    }
    int N = sh[0].n;
    if (n > N)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "%d files given for %d shards", n, N);
    int *who = malloc((size_t)N * sizeof *who);
    if (!who)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    for (int k = 0; k < N; k++)
        who[k] = -1;
    for (int i = 0; i < n; i++) {
        if (who[sh[i].k] >= 0) {
            lc_status st = lc_diag_set(d, LC_EINVAL, sh[i].path, 0,
                                       "shard %d/%d given twice (also %s)", sh[i].k, N,
                                       sh[who[sh[i].k]].path);
            free(who);
            return st;
        }
        who[sh[i].k] = i;
    }
    char missing[600] = "";
    int n_missing = 0;
    size_t used = 0;
    for (int k = 0; k < N; k++)
        if (who[k] < 0) {
            n_missing++;
            if (used + 32 < sizeof missing) {
                char p[16];
                snprintf(p, sizeof p, "%s%d", used ? ", " : "", k);
                used += (size_t)snprintf(missing + used, sizeof missing - used, "%s", p);
            }
        }
    free(who);
    if (n_missing)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "%d of %d shards missing (shard %s): run them "
                           "('llmcost sweep SPEC --shard K/%d', or resubmit those array "
                           "tasks) and merge again", n_missing, N, missing, N);
    return LC_OK;
}

static int by_k(const void *a, const void *b)
{
    return ((const shard *)a)->k - ((const shard *)b)->k;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

lc_status lc_cluster_merge(const char *out, const char *const *paths, int n, int force,
                           lc_merge_stats *stats, lc_diag *d)
{
    lc_merge_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    double t0 = now_s();
    struct stat sb;
    char tmp[1100];
    lc_status pst;
    if ((pst = lc_path_check_output(out, d)) != LC_OK ||
        (pst = lc_path_fmt(tmp, sizeof tmp, d, "%s.partial", out)) != LC_OK)
        return pst;
    if (lc_path_is_special(tmp) && (pst = lc_path_check_output(tmp, d)) != LC_OK)
        return pst;
    if (n < 1)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "no shard files given");
    /* not even --force writes the result over one of the shards it reads */
    for (int i = 0; i < n; i++)
        if (lc_path_same_file(paths[i], out))
            return lc_diag_set(d, LC_EINVAL, out, 0,
                               "is shard %s itself: give another output file", paths[i]);
    if (!force && stat(out, &sb) == 0)
        return lc_diag_set(d, LC_EEXIST, out, 0, "exists (use --force to overwrite)");
    shard *sh = calloc((size_t)n, sizeof *sh);
    if (!sh)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    lc_h5_merge *m = NULL;
    uint64_t total = 0;
    lc_status st = open_shards(sh, paths, n, d);
    if (st != LC_OK)
        goto out;
    qsort(sh, (size_t)n, sizeof *sh, by_k);
    stats->shards = n;
    /* shard 0 carries the reductions over the full grid: without them the
     * merged file's /summary would be missing or wrong */
    if (!lc_h5_shard_has_summary(sh[0].h)) {
        st = lc_diag_set(d, LC_EFORMAT, sh[0].path, 0,
                         "shard 0 has no /summary group (the reductions over the full "
                         "grid that only shard 0 computes): it was edited or not written "
                         "by 'llmcost sweep --shard 0/N'; run shard 0 again");
        goto out;
    }
    if ((st = copy_file(sh[0].path, tmp, d)) != LC_OK ||
        (st = lc_h5_merge_open(&m, tmp, sh[0].h, &total, d)) != LC_OK)
        goto out;
    for (int i = 1; i < n && st == LC_OK; i++) {
        uint64_t a, b;
        lc_partition(total, (uint64_t)sh[i].n, (uint64_t)sh[i].k, &a, &b);
        st = lc_h5_merge_copy(m, sh[i].h, sh[i].k, sh[i].n, a, b, &stats->chunks, &stats->bytes, d);
    }
    /* drops the "shard" attribute: no longer a shard */
    lc_status cst = lc_h5_merge_close(m, st == LC_OK, d);
    m = NULL;
    if (st == LC_OK)
        st = cst;
    if (st != LC_OK)
        goto out;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        st = lc_diag_set(d, LC_EIO, tmp, 0, "fsync failed: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
    if (st == LC_OK && rename(tmp, out) != 0)
        st = lc_diag_set(d, LC_EIO, out, 0, "rename failed: %s", strerror(errno));
out:
    if (m)
        lc_h5_merge_close(m, 0, NULL);
    if (st != LC_OK)
        unlink(tmp);
    for (int i = 0; i < n; i++)
        lc_h5_shard_close(sh[i].h);
    free(sh);
    stats->seconds = now_s() - t0;
    return st;
}
