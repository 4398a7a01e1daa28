/*
 * cluster_journal.c - the resume journal OUTPUT.partial.journal (cluster_journal.h).
 *
 * Layout (native byte order; a journal is only read back on the machine
 * type that wrote it):
 *   header:  "LCJRNL02" | u64 fingerprint | u64 n_chunks | u32 payload_bytes
 *            | u32 identity_len | identity text | u64 FNV of all of the above
 *   records: u64 chunk | payload_bytes bytes | u64 FNV(chunk, payload) seeded
 *            with the fingerprint
 * Records are appended with write() and made durable with fsync() in
 * lc_journal_sync: the caller syncs only after the chunks' data reached the
 * .partial (H5Fflush), so a record never claims a chunk that is not there.
 * A kill mid-write leaves at most one torn record at the end; its checksum
 * fails and resume drops it (and truncates the file there).
 *
 * Versions.  The magic names the format and the chunk checksum the records'
 * payloads hold (lc_journal_chunk_sum): "LCJRNL01" journals (llmcost before
 * issue 14) hold byte-wise FNV-1a sums of each chunk, "LCJRNL02" the
 * word-wise sum below.  A journal of another version is recognised by its
 * magic and refused with LC_EFORMAT (resume then starts over, saying why):
 * its sums are never compared with sums of the other kind.
 */
#include "cluster/cluster_identity.h"
#include "cluster/cluster_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/path.h"

#include "util/ini.h"

#define MAGIC "LCJRNL02"
#define MAGIC_V1 "LCJRNL01" /* byte-wise FNV-1a chunk sums: refused */

/* ---- chunk checksum ------------------------------------------------------ */
/* Four independent lanes over 64-bit words (32 bytes a step), so the
 * multiplies pipeline: ~4 bytes per cycle where byte-wise FNV-1a managed
 * ~1 byte per 4 cycles (the multiply latency per byte).  Each lane: add the
 * word times an odd constant, rotate, multiply (a bijection of the lane for
 * a fixed word, so a changed word always changes the lane); the tail words
 * and bytes go through lane 0; the lanes and the length are then mixed
 * with a 64-bit finaliser (xor-shift-multiply) so every input bit reaches
 * every output bit.  A checksum against torn or stale chunks, not a
 * cryptographic hash. */
#define K1 0x9e3779b185ebca87ULL
#define K2 0xc2b2ae3d27d4eb4fULL
#define K3 0x165667b19e3779f9ULL

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t lane_step(uint64_t acc, uint64_t w)
{
    return rotl64(acc + w * K2, 31) * K1;
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t lc_journal_chunk_sum(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t a = LC_FNV_INIT + K1 + K2, b = LC_FNV_INIT + K2, c = LC_FNV_INIT,
             e = LC_FNV_INIT - K1;
    size_t n = len;
    while (n >= 32) {
        a = lane_step(a, load64(p));
        b = lane_step(b, load64(p + 8));
        c = lane_step(c, load64(p + 16));
        e = lane_step(e, load64(p + 24));
        p += 32;
        n -= 32;
    }
    while (n >= 8) {
        a = lane_step(a, load64(p));
        p += 8;
        n -= 8;
    }
    while (n > 0) { /* last 1-7 bytes */
        a = lane_step(a, (uint64_t)*p * K3);
        p++;
        n--;
    }
    uint64_t h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(e, 18);
    h ^= (uint64_t)len * K3;
    return fmix64(h);
}

struct lc_journal {
    int fd;
    char path[1024];
    uint64_t fp;
    uint64_t n_chunks;
    uint32_t payload_bytes;
    unsigned char *buf; /* pending records */
    size_t len, cap;
    uint64_t synced;    /* records on disk (after the header) */
};

int lc_journal_path(const char *output, char *buf, size_t size)
{
    return lc_path_fmt(buf, size, NULL, "%s.partial.journal", output) == LC_OK ? 0 : -1;
}

static uint64_t identity_fp(const lc_journal_info *info)
{
    return lc_fnv1a(info->identity, info->identity_len, LC_FNV_INIT);
}

static lc_status write_all(int fd, const void *p, size_t n, const char *path, lc_diag *d)
{
    const unsigned char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return lc_diag_set(d, LC_EIO, path, 0, "journal write failed: %s",
                               strerror(errno));
        c += w;
        n -= (size_t)w;
    }
    return LC_OK;
}

static lc_status journal_new(lc_journal **out, const char *path, const lc_journal_info *info,
                             int fd, lc_diag *d)
{
    /* one writer per journal: a second run on the same output (a requeued
     * job while the first still runs) must not interleave with it */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return lc_diag_set(d, LC_EINVAL, path, 0,
                           "another llmcost run is writing this sweep right now (its "
                           "journal is locked)");
    }
    lc_journal *j = calloc(1, sizeof *j);
    if (!j) {
        close(fd);
        return lc_diag_set(d, LC_ENOMEM, path, 0, "out of memory");
    }
    j->fd = fd;
    snprintf(j->path, sizeof j->path, "%s", path);
    j->fp = identity_fp(info);
    j->n_chunks = info->n_chunks;
    j->payload_bytes = info->payload_bytes;
    *out = j;
    return LC_OK;
}

static int fsync_dir(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = 0;
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

lc_status lc_journal_create(lc_journal **j, const char *path,
                            const lc_journal_info *info, lc_diag *d)
{
    *j = NULL;
    if (info->identity_len > UINT32_MAX)
        return lc_diag_set(d, LC_EINVAL, path, 0, "spec too long for the journal");
    /* O_NOFOLLOW: a symbolic link planted at the journal's path must not make
     * the ftruncate below clobber the file it points to */
    struct stat sb;
    if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode))
        return lc_path_regular(path, "resume journal", d); /* a FIFO would block */
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        close(fd); /* replaced by a special file between lstat and open */
        return lc_path_regular(path, "resume journal", d);
    }
    if (fd < 0 && errno == ELOOP)
        return lc_diag_set(d, LC_EEXIST, path, 0,
                           "is a symbolic link: refusing to write the resume journal through it");
    if (fd < 0)
        return lc_diag_set(d, LC_EIO, path, 0, "cannot create the resume journal: %s",
                           strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) { /* truncate only what we own */
        close(fd);
        return lc_diag_set(d, LC_EINVAL, path, 0,
                           "another llmcost run is writing this sweep right now (its "
                           "journal is locked)");
    }
    if (ftruncate(fd, 0) != 0) {
        close(fd);
        return lc_diag_set(d, LC_EIO, path, 0, "cannot truncate the resume journal: %s",
                           strerror(errno));
    }
    size_t hlen = 8 + 8 + 8 + 4 + 4 + info->identity_len + 8;
    unsigned char *h = malloc(hlen);
    if (!h) {
        close(fd);
        return lc_diag_set(d, LC_ENOMEM, path, 0, "out of memory");
    }
    uint64_t fp = identity_fp(info);
    uint32_t il = (uint32_t)info->identity_len;
    size_t o = 0;
    memcpy(h + o, MAGIC, 8), o += 8;
    memcpy(h + o, &fp, 8), o += 8;
    memcpy(h + o, &info->n_chunks, 8), o += 8;
    memcpy(h + o, &info->payload_bytes, 4), o += 4;
    memcpy(h + o, &il, 4), o += 4;
    if (il)
        memcpy(h + o, info->identity, il), o += il;
    uint64_t sum = lc_fnv1a(h, o, LC_FNV_INIT);
    memcpy(h + o, &sum, 8), o += 8;
    lc_status st = write_all(fd, h, o, path, d);
    free(h);
    if (st == LC_OK && fsync(fd) != 0)
        st = lc_diag_set(d, LC_EIO, path, 0, "fsync failed: %s", strerror(errno));
    if (st != LC_OK) {
        /* a header cut short on a full disk helps no resume: it was
         * truncated by us (we hold its lock), so it is ours to remove */
        unlink(path);
        close(fd);
        return st;
    }
    fsync_dir(path); /* the journal's name must survive too */
    return journal_new(j, path, info, fd, d);
}

lc_status lc_journal_resume(lc_journal **j, const char *path,
                            const lc_journal_info *info, uint8_t *done,
                            void *payloads, uint64_t *n_done, lc_diag *d)
{
    if (j)
        *j = NULL;
    *n_done = 0;
    char *text = NULL;
    size_t len = 0;
    lc_status st = lc_path_regular(path, "resume journal", d); /* a FIFO would block */
    if (st != LC_OK)
        return st;
    st = lc_read_file(path, &text, &len, d);
    if (st != LC_OK)
        return st;
    const unsigned char *t = (const unsigned char *)text;
    uint64_t fp, nch, sum;
    uint32_t pb, il;
    if (len >= 8 && memcmp(t, MAGIC_V1, 8) == 0) {
        free(text);
        return lc_diag_set(d, LC_EFORMAT, path, 0,
                           "resume journal of an older llmcost (format 1: byte-wise chunk "
                           "checksums this version does not compute)");
    }
    if (len < 40 || memcmp(t, MAGIC, 8) != 0) {
        free(text);
        return lc_diag_set(d, LC_EFORMAT, path, 0, "not an llmcost resume journal");
    }
    memcpy(&fp, t + 8, 8);
    memcpy(&nch, t + 16, 8);
    memcpy(&pb, t + 24, 4);
    memcpy(&il, t + 28, 4);
    size_t hend = 32 + (size_t)il;
    if (len < hend + 8) {
        free(text);
        return lc_diag_set(d, LC_EFORMAT, path, 0, "resume journal header is truncated");
    }
    memcpy(&sum, t + hend, 8);
    if (sum != lc_fnv1a(t, hend, LC_FNV_INIT)) {
        free(text);
        return lc_diag_set(d, LC_EFORMAT, path, 0, "resume journal header is damaged");
    }
    if (fp != identity_fp(info)) {
        char what[900];
        int nd = lc_cluster_identity_diff(text + 32, il, info->identity,
                                          info->identity_len, what, sizeof what);
        free(text);
        return lc_diag_set(d, LC_EINVAL, path, 0,
                           "spec changed since the interrupted run, refusing to resume: %s "
                           "(run without --resume, with --force, to start over)",
                           nd ? what : "the text differs");
    }
    if (nch != info->n_chunks || pb != info->payload_bytes) {
        free(text);
        return lc_diag_set(d, LC_EFORMAT, path, 0,
                           "resume journal has %llu chunks of %u-byte records, this "
                           "sweep %llu of %u (written by another llmcost version?)",
                           (unsigned long long)nch, pb,
                           (unsigned long long)info->n_chunks, info->payload_bytes);
    }
    size_t rec = 16 + (size_t)pb, off = hend + 8;
    while (off + rec <= len) {
        uint64_t c, rs;
        memcpy(&c, t + off, 8);
        memcpy(&rs, t + off + 8 + pb, 8);
        if (rs != lc_fnv1a(t + off, 8 + (size_t)pb, fp) || c >= nch)
            break; /* torn or foreign tail: everything after it is unusable */
        if (!done[c])
            (*n_done)++;
        done[c] = 1;
        if (payloads && pb)
            memcpy((unsigned char *)payloads + c * pb, t + off + 8, pb);
        off += rec;
    }
    free(text);
    if (!j)
        return LC_OK; /* read only: another rank's journal */
    uint64_t kept = (off - (hend + 8)) / rec;
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        close(fd);
        return lc_path_regular(path, "resume journal", d);
    }
    if (fd < 0)
        return lc_diag_set(d, LC_EIO, path, 0, "cannot reopen the resume journal: %s",
                           strerror(errno));
    /* cut a torn tail so that new records follow the last good one */
    if (ftruncate(fd, (off_t)off) != 0 || lseek(fd, 0, SEEK_END) < 0 || fsync(fd) != 0) {
        close(fd);
        return lc_diag_set(d, LC_EIO, path, 0, "cannot truncate the resume journal: %s",
                           strerror(errno));
    }
    lc_status jst = journal_new(j, path, info, fd, d);
    if (jst == LC_OK)
        (*j)->synced = kept;
    return jst;
}

uint64_t lc_journal_synced(const lc_journal *j)
{
    return j ? j->synced : 0;
}

void lc_journal_drop_pending(lc_journal *j)
{
    if (j)
        j->len = 0;
}

lc_status lc_journal_append(lc_journal *j, uint64_t chunk, const void *payload,
                            lc_diag *d)
{
    size_t rec = 16 + (size_t)j->payload_bytes;
    if (chunk >= j->n_chunks)
        return lc_diag_set(d, LC_EINTERNAL, j->path, 0, "journal: chunk %llu out of range",
                           (unsigned long long)chunk);
    if (j->len + rec > j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 64 * rec;
        while (cap < j->len + rec)
            cap *= 2;
        unsigned char *b = realloc(j->buf, cap);
        if (!b)
            return lc_diag_set(d, LC_ENOMEM, j->path, 0, "out of memory");
        j->buf = b;
        j->cap = cap;
    }
    unsigned char *r = j->buf + j->len;
    memcpy(r, &chunk, 8);
    if (j->payload_bytes)
        memcpy(r + 8, payload, j->payload_bytes);
    uint64_t s = lc_fnv1a(r, 8 + (size_t)j->payload_bytes, j->fp);
    memcpy(r + 8 + j->payload_bytes, &s, 8);
    j->len += rec;
    return LC_OK;
}

lc_status lc_journal_sync(lc_journal *j, lc_diag *d)
{
    if (!j || j->len == 0)
        return LC_OK;
    lc_status st = write_all(j->fd, j->buf, j->len, j->path, d);
    if (st != LC_OK)
        return st;
    j->synced += j->len / (16 + (size_t)j->payload_bytes);
    j->len = 0;
    if (fsync(j->fd) != 0)
        return lc_diag_set(d, LC_EIO, j->path, 0, "fsync failed: %s", strerror(errno));
    return LC_OK;
}

lc_status lc_journal_close(lc_journal *j, lc_diag *d)
{
    if (!j)
        return LC_OK;
    lc_status st = lc_journal_sync(j, d);
    if (close(j->fd) != 0 && st == LC_OK)
        st = lc_diag_set(d, LC_EIO, j->path, 0, "close failed: %s", strerror(errno));
    free(j->buf);
    free(j);
    return st;
}
