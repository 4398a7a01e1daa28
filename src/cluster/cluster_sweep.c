/*
 * cluster_sweep.c - lc_cluster_sweep (cluster_sweep.h): the sweep engine run as a
 * shard, as one of several MPI ranks, and resumable after a kill.
 *
 * Durability protocol.  While the engine writes OUTPUT.partial, each
 * chunk's checksum (lc_journal_chunk_sum of the bytes handed to HDF5,
 * computed by the worker that made them) is queued; every
 * flush interval the engine H5Fflush'es the file and only then are the
 * queued records appended to OUTPUT.partial.journal and fsync'ed.  So a
 * journal record never names a chunk that HDF5 had not been told to write
 * out.  HDF5 1.10 itself promises nothing about a file whose writer was
 * killed (dirty metadata may be half written), therefore resume trusts
 * nothing it cannot check: the .partial must open, and every chunk the
 * journal claims is read back and compared with its checksum; what does
 * not match is computed again.  A .partial that does not open means a
 * restart from scratch, with a message - never a wrong value.
 *
 * MPI: every rank journals its own chunks (OUTPUT.partial.journal.rankR);
 * resume reads all of them, so a run killed on K ranks resumes on any
 * number of ranks (or serially).  Rank 0 decides what to resume and
 * broadcasts the decision and the done-chunk map.
 */
#include "cluster/cluster_shard.h"
#include "cluster/cluster_identity.h"
#include "cluster/cluster_journal.h"
#include "grid/grid.h"
#include "par/par_mpi.h"
#include "cluster/cluster_sweep.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/path.h"

#include "h5/h5_shards.h"
#include "h5/h5_codec.h"
#include "util/version.h"

/* Journal payload of one chunk. */
typedef struct {
    uint64_t fnv;     /* lc_journal_chunk_sum of the chunk's bytes */
    uint32_t nbytes;  /* their count */
    uint32_t mode;    /* MODE_STORED or MODE_VALUES */
} chunk_sum;

enum {
    MODE_STORED = 1, /* the bytes as stored (engine-encoded): H5Dread_chunk */
    MODE_VALUES = 2  /* the values in the full chunk shape, zero padded:
                      * HDF5 filtered them (plugin codecs, MPI) */
};

typedef struct {
    lc_journal *j;
    int mode;
    lc_status st;   /* first journal error, reported at the next flush */
    lc_diag d;
} journal_ctx;

/* The numbers the spec resolved to: every input off the grid and every
 * axis's values (a catalogue GPU's figures, an architecture's shape, an api
 * axis's prices), so that a catalogue that changed under the same spec
 * text (another binary, another --catalog-add file) changes the identity. */
static uint64_t resolved_fingerprint(const lc_spec *s)
{
    uint64_t h = lc_fnv1a_doubles(s->fixed, LC_IN_COUNT, LC_FNV_INIT);
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        h = lc_fnv1a(ax->name, strlen(ax->name) + 1, h);
        if (ax->values)
            h = lc_fnv1a_doubles(ax->values, ax->n, h);
        if (ax->set_vals)
            h = lc_fnv1a_doubles(ax->set_vals, ax->n * (size_t)LC_IN_COUNT, h);
        for (size_t k = 0; ax->gpu && k < ax->n; k++)
            h = lc_fnv1a_doubles(ax->gpu[k].v, LC_GPU_INPUTS, h);
    }
    return h;
}

char *lc_cluster_identity(const lc_spec *s, size_t *len)
{
    const char *text = s->text ? s->text : "";
    size_t tl = s->text ? s->text_len : 0, cap = tl + 768;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    memcpy(out, text, tl);
    /* the catalogue records priced (a --price-date or --catalog-add on the
     * command line changes them without changing the spec text) */
    uint64_t pfp = lc_fnv1a(s->prices_used, strlen(s->prices_used), LC_FNV_INIT);
    int n = snprintf(out + tl, cap - tl,
                     "\n[llmcost]\nversion = %s\nlayout = %s\ndtype = %s\nchunk_bytes = %zu\n"
                     "compression = %s:%d\nprice_date = %s\nprices = fnv1a64:%016llx\n"
                     "model = fnv1a64:%016llx\nvalues = fnv1a64:%016llx\n",
                     LC_VERSION, s->layout == LC_LAYOUT_BROADCAST ? "broadcast" : "compact",
                     s->float32 ? "float32" : "float64", s->chunk_bytes,
                     lc_codec_name(s->codec), s->codec_level,
                     s->price_query.day ? s->price_query.date : "-", (unsigned long long)pfp,
                     (unsigned long long)lc_model_fingerprint(),
                     (unsigned long long)resolved_fingerprint(s));
    /* only when set, so that the identity of every other file is unchanged */
    if (n > 0 && s->nc_classic && (size_t)n < cap - tl)
        n += snprintf(out + tl + n, cap - tl - (size_t)n, "netcdf = classic\n");
    *len = tl + (size_t)(n > 0 ? n : 0);
    return out;
}

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static lc_status journal_file(const char *output, int rank, char *buf, size_t size,
                              lc_diag *d)
{
    char base[1100];
    if (lc_journal_path(output, base, sizeof base) != 0)
        return lc_path_fmt(buf, size, d, "%s.partial.journal", output);
    return rank == 0 ? lc_path_fmt(buf, size, d, "%s", base)
                     : lc_path_fmt(buf, size, d, "%s.rank%d", base, rank);
}

/* Every journal of OUTPUT (all ranks of any earlier run). */
static int journals(const char *output, glob_t *g)
{
    char base[1100], pat[1200];
    lc_journal_path(output, base, sizeof base);
    /* glob metacharacters in the output name would change the pattern */
    if (strpbrk(base, "*?[")) {
        memset(g, 0, sizeof *g);
        return exists(base) ? -1 : 0;
    }
    memset(g, 0, sizeof *g);
    snprintf(pat, sizeof pat, "%s", base);
    int r1 = glob(pat, 0, NULL, g);
    snprintf(pat, sizeof pat, "%s.rank*", base);
    int r2 = glob(pat, r1 == 0 ? GLOB_APPEND : 0, NULL, g);
    if (r1 != 0 && r2 != 0)
        return 0;
    return (int)g->gl_pathc;
}

static void remove_journals(const char *output)
{
    glob_t g;
    char base[1100];
    if (journals(output, &g) < 0) {
        lc_journal_path(output, base, sizeof base);
        unlink(base);
        return;
    }
    for (size_t i = 0; i < g.gl_pathc; i++)
        unlink(g.gl_pathv[i]);
    if (g.gl_pathc)
        globfree(&g);
}

/* 1 when a running llmcost holds the lock of one of OUTPUT's journals. */
static int journals_busy(const char *output)
{
    glob_t g;
    int busy = 0, n = journals(output, &g);
    for (int i = 0; i < n && !busy; i++) {
        /* O_NONBLOCK: a FIFO there must not block (lc_cluster_sweep refuses it) */
        int fd = open(g.gl_pathv[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0)
            busy = 1;
        close(fd);
    }
    if (n > 0)
        globfree(&g);
    return busy;
}

/* FILE.partial and the journals must be regular files (or absent): a FIFO
 * there would block the first open() forever, a directory would fail only
 * after the sweep computed everything.  A symbolic link is handled by the
 * engine and the journal (removed or refused, never followed). */
static lc_status check_not_special(const char *output, const char *partial, lc_diag *d)
{
    struct stat sb;
    if (lstat(partial, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode))
        return lc_path_regular(partial, "sweep's .partial file", d);
    glob_t g;
    char base[1100];
    int n = journals(output, &g);
    lc_status st = LC_OK;
    if (n < 0 && lc_journal_path(output, base, sizeof base) == 0 && lstat(base, &sb) == 0 &&
        !S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode))
        st = lc_path_regular(base, "resume journal", d);
    for (int i = 0; i < n && st == LC_OK; i++)
        if (lstat(g.gl_pathv[i], &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode))
            st = lc_path_regular(g.gl_pathv[i], "resume journal", d);
    if (n > 0)
        globfree(&g);
    return st;
}

/* The sum was computed by the worker thread (lc_journal_chunk_sum). */
static void on_chunk_summed(void *user, uint64_t chunk, uint64_t sum, size_t nbytes)
{
    journal_ctx *c = user;
    chunk_sum cs = {sum, (uint32_t)nbytes, (uint32_t)c->mode};
    if (c->st == LC_OK)
        c->st = lc_journal_append(c->j, chunk, &cs, &c->d);
}

static lc_status on_flushed(void *user, lc_diag *d)
{
    journal_ctx *c = user;
    if (c->st != LC_OK) {
        *d = c->d;
        return c->st;
    }
    return lc_journal_sync(c->j, d);
}

/* Read chunk g back from the open .partial and compare with its record. */
static int chunk_intact(const lc_h5_chunks *f, uint64_t g, const chunk_sum *cs, void **buf,
                        size_t *cap)
{
    return lc_h5_chunks_read(f, g, cs->mode == MODE_STORED, cs->nbytes, buf, cap) &&
           lc_journal_chunk_sum(*buf, cs->nbytes) == cs->fnv;
}

/* What resume found, decided on rank 0 and broadcast. */
typedef struct {
    int32_t status;        /* lc_status */
    int32_t action;        /* 0 fresh run, 1 resume, 2 already complete */
    uint64_t resumed, rejected;
    char msg[1100];        /* diag message when status != OK, or the note */
} decision;

/* Check the chunks [first, last) that done[] lists against their journal
 * checksums in the .partial; clear done[] of those that fail. */
static void verify_range(const char *partial, uint64_t n_chunks, uint8_t *done,
                         const chunk_sum *sums, uint64_t first, uint64_t last,
                         uint64_t *resumed, uint64_t *rejected)
{
    lc_diag d = {0};
    void *buf = NULL;
    size_t cap = 0;
    lc_h5_chunks *f = NULL;
    int usable = lc_h5_chunks_open(&f, partial, &d) == LC_OK && lc_h5_chunks_total(f) == n_chunks;
    for (uint64_t c = first; c < last; c++) {
        if (!done[c])
            continue;
        if (usable && chunk_intact(f, c, &sums[c], &buf, &cap)) {
            (*resumed)++;
        } else {
            done[c] = 0;
            (*rejected)++;
        }
    }
    free(buf);
    lc_h5_chunks_close(f);
}

/* Rank 0: what is there to resume (journals loaded into done and sums; the
 * .partial must open).  The chunks are checked afterwards by every rank. */
static void decide_resume(const char *output, const char *partial, const lc_journal_info *info,
                          uint8_t *done, chunk_sum *sums, decision *dc)
{
    glob_t g;
    int nj;
    memset(done, 0, (size_t)info->n_chunks);
    if (exists(output)) {
        dc->action = 2;
        snprintf(dc->msg, sizeof dc->msg, "%.900s is complete: nothing to resume", output);
        return;
    }
    if (!exists(partial)) {
        snprintf(dc->msg, sizeof dc->msg, "no %.900s to resume: starting a fresh run", partial);
        return;
    }
    nj = journals(output, &g);
    if (nj <= 0) {
        snprintf(dc->msg, sizeof dc->msg,
                 "%.900s has no resume journal (killed before its first flush?): "
                 "starting over", partial);
        return;
    }
    for (int i = 0; i < nj; i++) {
        lc_diag d = {0};
        uint64_t n = 0;
        lc_status st = lc_journal_resume(NULL, g.gl_pathv[i], info, done, sums, &n, &d);
        if (st == LC_EINVAL) { /* another spec or options: refuse, say what */
            dc->status = st;
            lc_diag_format(&d, dc->msg, sizeof dc->msg);
            goto out;
        }
        if (st != LC_OK) {
            char m[1100];
            lc_diag_format(&d, m, sizeof m);
            memset(done, 0, (size_t)info->n_chunks);
            snprintf(dc->msg, sizeof dc->msg, "%.900s: starting over", m);
            goto out;
        }
    }
    uint64_t listed = 0;
    for (uint64_t c = 0; c < info->n_chunks; c++)
        listed += done[c];
    if (listed == 0) {
        snprintf(dc->msg, sizeof dc->msg,
                 "the journal of %.900s lists no finished chunk yet: starting over", partial);
        goto out;
    }
    lc_h5_chunks *f = NULL;
    lc_diag d = {0};
    if (lc_h5_chunks_open(&f, partial, &d) != LC_OK || lc_h5_chunks_total(f) != info->n_chunks) {
        lc_h5_chunks_close(f);
        memset(done, 0, (size_t)info->n_chunks);
        snprintf(dc->msg, sizeof dc->msg,
                 "%.900s is damaged (HDF5 cannot read it after the kill): starting over "
                 "from scratch", partial);
        goto out;
    }
    lc_h5_chunks_close(f);
    dc->action = 1;
out:
    if (nj > 0)
        globfree(&g);
}

/* The write-failure message of the engine says "the .partial is kept";
 * say what precisely is kept now that the journal is closed. */
static void retell_failure(lc_diag *d, uint64_t kept, uint64_t total)
{
    char *p = d ? strstr(d->msg, " (the .partial is kept") : NULL;
    if (!p)
        return;
    *p = '\0';
    size_t n = strlen(d->msg);
    if (kept)
        snprintf(d->msg + n, sizeof d->msg - n,
                 " (the .partial is kept with %llu of %llu chunks, those flushed before the "
                 "failure: free space and run again with --resume)",
                 (unsigned long long)kept, (unsigned long long)total);
    else
        snprintf(d->msg + n, sizeof d->msg - n,
                 " (no chunk had been flushed yet, so no .partial and no journal are kept: "
                 "free space and run the sweep again)");
}

static double flush_interval(const lc_cluster_opts *c)
{
    const char *e = getenv("LLMCOST_FLUSH_SECONDS");
    if (e && *e) {
        char *end;
        double v = strtod(e, &end);
        if (*end == 0 && v >= 0.001 && v <= 3600) /* the CLI refuses other values */
            return v;
    }
    return c && c->flush_seconds > 0 ? c->flush_seconds : 0.5;
}

lc_status lc_cluster_sweep(const lc_spec *s, const lc_sweep_opts *o,
                           const lc_cluster_opts *c, lc_sweep_result *r,
                           lc_cluster_report *rep, lc_diag *d)
{
    lc_cluster_opts none = {0, 0, 0, 0};
    lc_sweep_opts so = *o;
    lc_status st;
    char *identity = NULL, fptext[LC_FINGERPRINT_LEN], shardtag[32], partial[1100], jpath[1200];
    size_t idlen = 0;
    uint8_t *done = NULL;
    journal_ctx jc;
    int rank = lc_par_rank(), size = lc_par_size();
    const char *attrs[8];
    int na = 0;
    lc_diag ignore;

    if (!c)
        c = &none;
    memset(rep, 0, sizeof *rep);
    memset(&jc, 0, sizeof jc);
    if (c->shard_n > 0 && size > 1)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "--shard splits a sweep into independent jobs; under MPI the "
                           "ranks already split it (drop --shard or run without mpirun)");
    if (o->sink != LC_SINK_FILE)
        return lc_sweep_run(s, o, r, d);
    if ((st = lc_sweep_count_chunks(s, &rep->n_chunks, d)) != LC_OK)
        return st;
    const char *base = o->output ? o->output : s->output;
    if (!base || !*base)
        return lc_sweep_run(s, o, r, d); /* the engine reports it */
    /* every name derived from base fits, and none is a directory or a
     * special file: checked before anything is computed or touched */
    if ((st = lc_path_check_output(base, d)) != LC_OK)
        return st;
    if (c->shard_n > 0) {
        if (lc_cluster_shard_path(base, c->shard_k, c->shard_n, rep->output,
                                  sizeof rep->output) != 0)
            return lc_path_fmt(rep->output, sizeof rep->output, d, "%s.shard%d-of-%d.h5",
                               base, c->shard_k, c->shard_n);
        lc_partition(rep->n_chunks, (uint64_t)c->shard_n, (uint64_t)c->shard_k, &rep->chunk_first,
                         &rep->chunk_last);
        so.chunk_first = rep->chunk_first;
        so.chunk_last = rep->chunk_last;
        /* chunk_last == 0 means "all" to the engine: an empty share is [n, n) */
        if (so.chunk_last == 0)
            so.chunk_first = so.chunk_last = rep->n_chunks;
        so.skip_reductions = c->shard_k != 0; /* shard 0 reduces the full grid */
    } else {
        if ((st = lc_path_fmt(rep->output, sizeof rep->output, d, "%s", base)) != LC_OK)
            return st;
        rep->chunk_first = 0;
        rep->chunk_last = rep->n_chunks;
    }
    so.output = rep->output;
    if ((st = lc_path_fmt(partial, sizeof partial, d, "%s.partial", rep->output)) != LC_OK ||
        (st = journal_file(rep->output, rank, jpath, sizeof jpath, d)) != LC_OK ||
        (st = lc_path_check_output(rep->output, d)) != LC_OK ||
        (st = check_not_special(rep->output, partial, d)) != LC_OK)
        return st;

    identity = lc_cluster_identity(s, &idlen);
    if (!identity)
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
    lc_cluster_fingerprint_text(lc_fnv1a(identity, idlen, LC_FNV_INIT), fptext);
    attrs[na++] = "identity_fingerprint";
    attrs[na++] = fptext;
    attrs[na++] = "identity";
    attrs[na++] = identity;
    if (c->shard_n > 0) {
        snprintf(shardtag, sizeof shardtag, "%d/%d", c->shard_k, c->shard_n);
        attrs[na++] = "shard";
        attrs[na++] = shardtag;
    }
    attrs[na] = NULL;
    so.extra_attrs = attrs;

    lc_journal_info info = {identity, idlen, rep->n_chunks, (uint32_t)sizeof(chunk_sum)};
    done = calloc(rep->n_chunks ? (size_t)rep->n_chunks : 1, 1);
    if (!done) {
        st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }

    decision dc;
    memset(&dc, 0, sizeof dc);
    /* a requeued job while the first still runs: touch nothing of it */
    int busy = rank == 0 ? journals_busy(rep->output) : 0;
    lc_par_bcast(&busy, sizeof busy);
    if (busy) {
        st = lc_diag_set(d, LC_EINVAL, partial, 0,
                         "another llmcost run is writing this sweep right now (its journal "
                         "is locked): wait for it or stop it first");
        goto out;
    }
    if (c->resume) {
        chunk_sum *sums = calloc(rep->n_chunks ? (size_t)rep->n_chunks : 1, sizeof *sums);
        if (!sums) {
            st = lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        if (rank == 0)
            decide_resume(rep->output, partial, &info, done, sums, &dc);
        lc_par_bcast(&dc, sizeof dc);
        lc_par_bcast(done, (size_t)rep->n_chunks);
        if (dc.status == LC_OK && dc.action == 1) {
            /* every rank checks its share of the listed chunks */
            uint64_t a, b, cnt[2] = {0, 0};
            lc_par_bcast(sums, (size_t)rep->n_chunks * sizeof *sums);
            lc_partition(rep->n_chunks, (uint64_t)size, (uint64_t)rank, &a, &b);
            verify_range(partial, rep->n_chunks, done, sums, a, b, &cnt[0], &cnt[1]);
            lc_par_min_u8(done, (size_t)rep->n_chunks);
            lc_par_sum_u64(cnt, 2);
            dc.resumed = cnt[0];
            dc.rejected = cnt[1];
            snprintf(dc.msg, sizeof dc.msg, "resuming %.900s: %llu of %llu chunks already done",
                     partial, (unsigned long long)dc.resumed,
                     (unsigned long long)rep->n_chunks);
            if (dc.rejected) {
                char tail[128];
                snprintf(tail, sizeof tail, ", %llu listed in the journal failed their checksum "
                         "and are computed again", (unsigned long long)dc.rejected);
                strncat(dc.msg, tail, sizeof dc.msg - strlen(dc.msg) - 1);
            }
        }
        free(sums);
        if (dc.status != LC_OK) {
            st = lc_diag_set(d, (lc_status)dc.status, NULL, 0, "%s", dc.msg);
            goto out;
        }
        snprintf(rep->note, sizeof rep->note, "%s", dc.msg);
        rep->resumed = dc.resumed;
        rep->rejected = dc.rejected;
        if (dc.action == 2) {
            rep->already_complete = 1;
            st = LC_OK;
            goto out;
        }
        rep->restarted = dc.action == 0;
    } else if (!o->force && exists(partial)) {
        st = lc_diag_set(d, LC_EEXIST, partial, 0,
                         "exists: an interrupted sweep (resume it with --resume, or start "
                         "over with --force)");
        goto out;
    }

    /* a fresh file: journals of an older run would vouch for chunks the new
     * file does not have */
    if (dc.action != 1) {
        if (!o->force && exists(rep->output)) {
            st = lc_diag_set(d, LC_EEXIST, rep->output, 0, "exists (use --force to overwrite)");
            goto out;
        }
        if (rank == 0)
            remove_journals(rep->output);
        lc_par_barrier();
        if (c->resume && exists(partial))
            so.force = 1; /* starting over: replace the unusable .partial */
    }
    if (dc.action == 1 && exists(jpath)) {
        uint8_t *mine = calloc(rep->n_chunks ? (size_t)rep->n_chunks : 1, 1);
        uint64_t n = 0;
        st = mine ? lc_journal_resume(&jc.j, jpath, &info, mine, NULL, &n, d)
                  : lc_diag_set(d, LC_ENOMEM, NULL, 0, "out of memory");
        free(mine);
    } else {
        st = lc_journal_create(&jc.j, jpath, &info, d);
    }
    if (lc_par_min_int((int)st) != LC_OK) {
        if (st == LC_OK)
            st = lc_diag_set(d, LC_EIO, jpath, 0, "another MPI rank could not open its journal");
        goto out;
    }
    jc.mode = size == 1 && lc_codec_precompressed(s->codec) ? MODE_STORED : MODE_VALUES;
    so.skip = dc.action == 1 ? done : NULL;
    so.reopen = dc.action == 1;
    so.chunk_sum = lc_journal_chunk_sum;
    so.on_chunk_summed = on_chunk_summed;
    so.on_flushed = on_flushed;
    so.flush_seconds = flush_interval(c);
    so.cluster = &jc;

    st = lc_sweep_run(s, &so, r, d);
    if (size > 1 && (st == LC_OK || st == LC_EINTR)) {
        /* each rank counted its own chunks: report the job's */
        uint64_t v[4] = {r->stored_points, r->stored_bytes_raw, r->stored_bytes_file, r->chunks};
        lc_par_sum_u64(v, 4);
        r->stored_points = v[0];
        r->stored_bytes_raw = v[1];
        r->stored_bytes_file = v[2];
        r->chunks = v[3];
    }

    /* a failed write: only chunks a successful HDF5 flush covered may stay
     * journaled (the engine froze the .partial at that flush) */
    if (st != LC_OK && st != LC_EINTR)
        lc_journal_drop_pending(jc.j);
    uint64_t kept = lc_journal_synced(jc.j);
    lc_journal_close(jc.j, st == LC_OK || st == LC_EINTR ? d : &ignore);
    jc.j = NULL;
    if (st == LC_OK) {
        lc_par_barrier();
        if (rank == 0)
            remove_journals(rep->output);
    } else if (!exists(partial)) {
        unlink(jpath); /* nothing to resume */
    } else if (st != LC_EINTR && size == 1) {
        if (kept == 0) { /* nothing usable: leave nothing behind */
            unlink(partial);
            unlink(jpath);
        }
        retell_failure(d, kept, rep->chunk_last - rep->chunk_first);
    }
out:
    if (jc.j)
        lc_journal_close(jc.j, &ignore);
    free(done);
    free(identity);
    return st;
}
