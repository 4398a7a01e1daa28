/*
 * cluster_merge.c - `llmcost merge`: stitch the files of a job array's
 * shards into one sweep file (cluster_merge.h).
 *
 * A shard file is a complete sweep file whose datasets are fully created
 * but hold only the shard's chunks (global chunk numbering of the engine:
 * the chunks of the first stored output in row-major chunk order, then the
 * second ...; shard k of n owns lc_partition(n_chunks, n, k)).  Shard 0
 * also computed the reductions over the full grid.  So the merge copies
 * shard 0's file byte for byte, (uint64_t)k, then copies the other shards' chunks as
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
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/path.h"

#include "grid/grid.h"
#include "h5/h5_write.h"
#include "h5/h5_read.h"
#include "model/model.h"
#include "spec/spec.h"

static lc_status h5err(lc_diag *d, const char *path, const char *what)
{
    return lc_diag_set(d, LC_EHDF5, path, 0, "HDF5: %s failed", what);
}

/* Heap copy of a string attribute of the root group, NULL when absent. */
static char *attr_dup(hid_t f, const char *name)
{
    char *out = NULL;
    if (H5Aexists(f, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(f, name, H5P_DEFAULT), t = -1, mt = -1;
    if (a < 0)
        return NULL;
    t = H5Aget_type(a);
    if (t < 0 || H5Tget_class(t) != H5T_STRING)
        goto done;
    if (H5Tis_variable_str(t) > 0) {
        char *v = NULL;
        mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(t));
        if (H5Aread(a, mt, &v) >= 0 && v) {
            out = strdup(v);
            H5free_memory(v);
        }
    } else {
        size_t n = H5Tget_size(t);
        out = calloc(1, n + 1);
        if (out && H5Aread(a, t, out) < 0) {
            free(out);
            out = NULL;
        }
    }
done:
    if (mt >= 0)
        H5Tclose(mt);
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    return out;
}

typedef struct {
    const char *path;
    hid_t file;
    int k, n;
    char *fp, *identity;
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

/* Whether PATH starts with the HDF5 format signature: a file that has it but
 * that HDF5 cannot open was cut short (a copy or a transfer that stopped),
 * which is a different fix for the user than a file of another kind. */
static int has_hdf5_signature(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return got == sizeof head && memcmp(head, sig, sizeof sig) == 0;
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
        lc_status rst = lc_path_regular(paths[i], "shard (an HDF5 file)", d);
        if (rst != LC_OK)
            return rst;
        s->file = H5Fopen(paths[i], H5F_ACC_RDONLY, H5P_DEFAULT);
        if (s->file < 0) {
            if (has_hdf5_signature(paths[i]))
                return lc_diag_set(d, LC_EFORMAT, paths[i], 0,
                                   "truncated or damaged HDF5 file (cannot be opened)");
            return lc_diag_set(d, LC_EFORMAT, paths[i], 0, "not an HDF5 file");
        }
        char *fmt = attr_dup(s->file, "format");
        if (fmt && strcmp(fmt, LC_H5_FORMAT) != 0) {
            lc_status fst = lc_diag_set(d, LC_EFORMAT, paths[i], 0,
                                        "format \"%.40s\" is not one this llmcost reads (it "
                                        "reads \"" LC_H5_FORMAT "\" only)", fmt);
            free(fmt);
            return fst;
        }
        free(fmt);
        char *tag = attr_dup(s->file, "shard");
        s->fp = attr_dup(s->file, "identity_fingerprint");
        s->identity = attr_dup(s->file, "identity");
        if (!tag || !s->fp) {
            free(tag);
            return lc_diag_set(d, LC_EINVAL, paths[i], 0,
                               "not a shard of an llmcost sweep (no 'shard' attribute K/N: "
                               "was it written with 'llmcost sweep --shard'?)");
        }
        /* K/N exactly as 'sweep --shard' writes it, N within what it accepts:
         * N sizes an allocation below, so a forged 0/268435456 is refused */
        lc_diag td;
        if (lc_cluster_shard_parse(tag, NULL, &s->k, &s->n, &td) != LC_OK ||
            strchr(tag, '/') == NULL) {
            lc_status tst = lc_diag_set(d, LC_EFORMAT, paths[i], 0,
                                        "its 'shard' attribute '%.40s' is not K/N with "
                                        "0 <= K < N <= 1000000 (%s)", tag, td.msg);
            free(tag);
            return tst;
        }
        free(tag);
        /* the structure info and slice rely on: a shard that fails it would
         * make a merged file that fails it (axes of forged lengths, outputs
         * without their axes) */
        char *axes = attr_dup(s->file, "axes"), why[512];
        int valid = lc_h5_valid_sweep(s->file, axes, why, sizeof why);
        free(axes);
        if (!valid)
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

/* Copy shard s's chunks [first, last) into out. */
static lc_status copy_chunks(hid_t out, const char *out_path, const shard *s,
                             const lc_cluster_dslist *l, uint64_t first, uint64_t last,
                             lc_merge_stats *stats, lc_diag *d)
{
    lc_status st = LC_OK;
    void *buf = NULL;
    size_t cap = 0;
    for (int i = 0; i < l->n && st == LC_OK; i++) {
        const lc_cluster_ds *di = &l->ds[i];
        uint64_t a = first > di->base ? first - di->base : 0;
        uint64_t b = last - di->base < di->t.n_chunks ? last - di->base : di->t.n_chunks;
        if (last <= di->base || a >= b)
            continue;
        hid_t src = H5Dopen2(s->file, di->name, H5P_DEFAULT);
        hid_t dst = H5Dopen2(out, di->name, H5P_DEFAULT);
        if (src < 0 || dst < 0) {
            st = lc_diag_set(d, LC_EFORMAT, src < 0 ? s->path : out_path, 0,
                             "dataset '%s' missing", di->name);
            goto next;
        }
        {
            /* the dataset must have the first shard's shape and chunks:
             * another tiling would fail in H5Dread_chunk (exit 1) or copy
             * chunks into the wrong places (issue 7) */
            hid_t sp = H5Dget_space(src), pl = H5Dget_create_plist(src);
            hsize_t dims[LC_GRID_MAX_RANK], ch[LC_GRID_MAX_RANK];
            int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
            int same = rank == di->t.rank &&
                       (rank == 0 || (H5Sget_simple_extent_dims(sp, dims, NULL) >= 0 &&
                                      pl >= 0 && H5Pget_chunk(pl, rank, ch) == rank));
            for (int j = 0; same && j < rank; j++)
                same = dims[j] == di->t.dims[j] && ch[j] == di->t.chunk[j];
            if (pl >= 0) H5Pclose(pl);
            if (sp >= 0) H5Sclose(sp);
            if (!same) {
                st = lc_diag_set(d, LC_EFORMAT, s->path, 0,
                                 "dataset '%s' has another shape or chunking than in the "
                                 "other shards: not a shard of the same sweep", di->name);
                goto next;
            }
        }
        if (di->t.rank == 0) { /* a scalar output: one value, no chunk */
            double v;
            if (H5Dread(src, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0 ||
                H5Dwrite(dst, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
                st = h5err(d, s->path, "copying a scalar output");
            stats->chunks++;
            goto next;
        }
        for (uint64_t c = a; c < b && st == LC_OK; c++) {
            uint64_t origin[LC_GRID_MAX_RANK], extent[LC_GRID_MAX_RANK];
            hsize_t off[LC_GRID_MAX_RANK], size = 0;
            uint32_t mask = 0;
            lc_tiling_chunk(&di->t, c, origin, extent);
            for (int j = 0; j < di->t.rank; j++)
                off[j] = origin[j];
            if (H5Dget_chunk_storage_size(src, off, &size) < 0 || size == 0) {
                st = lc_diag_set(d, LC_EINVAL, s->path, 0,
                                 "shard %d/%d is incomplete: chunk %llu of '%s' was never "
                                 "written (rerun that shard)", s->k, s->n,
                                 (unsigned long long)c, di->name);
                break;
            }
            /* a chunk's stored size comes from the shard's index: never
             * more than the shard file itself (a forged index would size
             * the buffer below) */
            hsize_t fsize = 0;
            if (H5Fget_filesize(s->file, &fsize) < 0 || size > fsize) {
                st = lc_diag_set(d, LC_EFORMAT, s->path, 0,
                                 "chunk %llu of '%s' claims %llu bytes, more than the file's "
                                 "%llu: damaged", (unsigned long long)c, di->name,
                                 (unsigned long long)size, (unsigned long long)fsize);
                break;
            }
            if (size > cap) {
                void *nb = realloc(buf, (size_t)size);
                if (!nb) {
                    st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
                    break;
                }
                buf = nb;
                cap = (size_t)size;
            }
            if (H5Dread_chunk(src, H5P_DEFAULT, off, &mask, buf) < 0) {
                st = h5err(d, s->path, "H5Dread_chunk");
                break;
            }
            if (H5Dwrite_chunk(dst, H5P_DEFAULT, mask, off, (size_t)size, buf) < 0) {
                st = h5err(d, out_path, "H5Dwrite_chunk");
                break;
            }
            stats->chunks++;
            stats->bytes += size;
        }
    next:
        if (src >= 0) H5Dclose(src);
        if (dst >= 0) H5Dclose(dst);
    }
    free(buf);
    return st;
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
    if (!force && stat(out, &sb) == 0)
        return lc_diag_set(d, LC_EEXIST, out, 0, "exists (use --force to overwrite)");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    shard *sh = calloc((size_t)n, sizeof *sh);
    if (!sh)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < n; i++)
        sh[i].file = -1;
    hid_t of = -1;
    lc_cluster_dslist l;
    uint64_t total = 0;
    lc_status st = open_shards(sh, paths, n, d);
    if (st != LC_OK)
        goto out;
    qsort(sh, (size_t)n, sizeof *sh, by_k);
    stats->shards = n;
    /* shard 0 carries the reductions over the full grid: without them the
     * merged file's /summary would be missing or wrong */
    if (H5Lexists(sh[0].file, "summary", H5P_DEFAULT) <= 0 &&
        H5Aexists(sh[0].file, "summary") <= 0 /* netCDF-4 classic model */) {
        st = lc_diag_set(d, LC_EFORMAT, sh[0].path, 0,
                         "shard 0 has no /summary group (the reductions over the full "
                         "grid that only shard 0 computes): it was edited or not written "
                         "by 'llmcost sweep --shard 0/N'; run shard 0 again");
        goto out;
    }
    if ((st = lc_cluster_list_outputs(sh[0].file, sh[0].path, &l, &total, d)) != LC_OK)
        goto out;
    if ((st = copy_file(sh[0].path, tmp, d)) != LC_OK)
        goto out;
    if ((of = H5Fopen(tmp, H5F_ACC_RDWR, H5P_DEFAULT)) < 0) {
        st = h5err(d, tmp, "opening the merged file");
        goto out;
    }
    for (int i = 1; i < n && st == LC_OK; i++) {
        uint64_t a, b;
        lc_partition(total, (uint64_t)sh[i].n, (uint64_t)sh[i].k, &a, &b);
        st = copy_chunks(of, tmp, &sh[i], &l, a, b, stats, d);
    }
    if (st != LC_OK)
        goto out;
    /* now it is no longer a shard */
    if (H5Aexists(of, "shard") > 0 && H5Adelete(of, "shard") < 0) {
        st = h5err(d, tmp, "removing the shard attribute");
        goto out;
    }
    if (H5Fclose(of) < 0) {
        of = -1;
        st = h5err(d, tmp, "closing the merged file");
        goto out;
    }
    of = -1;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        st = lc_diag_set(d, LC_EIO, tmp, 0, "fsync failed: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
    if (st == LC_OK && rename(tmp, out) != 0)
        st = lc_diag_set(d, LC_EIO, out, 0, "rename failed: %s", strerror(errno));
out:
    if (of >= 0)
        H5Fclose(of);
    if (st != LC_OK)
        unlink(tmp);
    for (int i = 0; i < n; i++) {
        if (sh[i].file >= 0)
            H5Fclose(sh[i].file);
        free(sh[i].fp);
        free(sh[i].identity);
    }
    free(sh);
    stats->seconds = now_s() - t0;
    return st;
}
