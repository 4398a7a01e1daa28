/*
 * cmd_sweep.c - 'llmcost sweep SPEC': parse the spec, apply the command
 * line over it, run the engine (sweep.h), show progress on a terminal and
 * print the reductions, condition counts and rates at the end.
 *
 * SIGINT/SIGTERM set a flag the engine polls between batches: it stops,
 * closes the .partial file and leaves it; the exit code is 130/143.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_common.h"
#include "cli/cli_env.h"
#include "util/path.h"
#include "cli/commands.h"
#include "cluster/cluster_shard.h"
#include "par/par_mpi.h"
#include "cluster/cluster_sweep.h"
#include "h5/h5_codec.h"
#include "kernel/kernel.h"
#include "util/number.h"
#include "h5/h5_bands.h"
#include "sensitivity/sensitivity.h"
#include "spec/spec.h"
#include "engine/sweep.h"
#include "cli/sweep_report.h"

#define CMD "sweep"

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_flag = 1;
    stop_signal = sig;
}

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: llmcost sweep SPEC [-o FILE] [--threads N] [--isa NAME] [--force]\n"
        "                     [--quiet] [--broadcast] [--float32] [--chunk-kib N]\n"
        "                     [--exhaustive] [--netcdf-classic] [--json]\n"
        "                     [--compression C] [--catalog FILE] [--catalog-add FILE]\n"
        "                     [--price-date D] [--price-kind K]\n"
        "                     [--shard K/N] [--resume]\n\n"
        "Evaluate every stored output of the spec's grid into an HDF5 file (written\n"
        "to FILE.partial, renamed when complete) and reduce the spec's outputs over\n"
        "the full grid without storing it.  Each output is stored over only the axes\n"
        "it depends on (xarray broadcasts it back) unless --broadcast.\n\n"
        "Options:\n"
        "  -o, --output FILE    output file (default: the spec's output =)\n"
        "  --threads N          worker threads (default: spec, then all cores)\n"
        "  --isa NAME           kernel path: scalar, avx2, avx512 (default: best;\n"
        "                       env LLMCOST_ISA does the same)\n"
        "  --force              overwrite FILE / FILE.partial; skip the free-space check\n"
        "  --resume             continue FILE.partial of a killed run: compute only the\n"
        "                       chunks its journal (FILE.partial.journal) does not list;\n"
        "                       refused if the spec or options changed (says what)\n"
        "  --shard K/N          write only shard K of N (0 <= K < N) into\n"
        "                       FILE-without-.h5.shardK-of-N.h5; K defaults to\n"
        "                       SLURM_ARRAY_TASK_ID (--shard N); join with 'llmcost merge'\n"
        "  --quiet              no progress and no summary (errors still printed)\n"
        "  --json               print the summary (reductions, counts, constrained\n"
        "                       reductions, top-k, Pareto fronts, frontiers) as one\n"
        "                       JSON object instead of text\n"
        "  --exhaustive         reduce by scanning every point, even where an output is\n"
        "                       proven monotone along the row (same results, slower;\n"
        "                       see doc/performance.md)\n"
        "  --broadcast          store every output over all axes\n"
        "  --float32            store float32 instead of float64\n"
        "  --netcdf-classic     write the netCDF-4 classic model (char text, no uint64,\n"
        "                       no groups: nccopy -k nc7 accepts it; spec: netcdf = classic)\n"
        "  --chunk-kib N        HDF5 chunk size target in KiB (default: spec, 1024)\n"
        "  --compression C      none | deflate[:N] | shuffle+deflate[:N] | lz4 | blosc\n"
        "                       | blosc-zstd\n"
        "  --catalog FILE       GPU catalogue (default: the built-in copy)\n"
        "  --catalog-add FILE   add or override catalogue entries and price records\n"
        "  --price-date D       price GPUs and APIs by their records at or before D\n"
        "                       (YYYY-MM[-DD] or latest; overrides the spec's price_date)\n"
        "  --price-kind K       GPU price kind (on-demand, reserved-1y, reserved-3y, spot)\n"
        "  --price-provider C   GPU provider class (hyperscaler, gpu-cloud)\n"
        "  -h, --help           this text\n\n"
        "Exit status: 0 ok, 1 failure, 2 usage or input error (also: output exists,\n"
        "or would not fit on the disk), 130/143 interrupted (FILE.partial left;\n"
        "'llmcost sweep SPEC --resume' continues it).  The MPI build (make MPI=1) run\n"
        "under mpirun/srun splits the chunks across ranks and writes one file.\n\n"
        "Uncertainty bands: with [uncertainty] (samples = 1000, percentiles = 5, 50, 95,\n"
        "outputs = ..., seed, store_samples) and [distribution.NAME] sections for inputs\n"
        "that are not axes (and an optional [correlation]), every cell of the chosen\n"
        "outputs also gets NAME_pct (axes..., percentile), NAME_mean, NAME_sd and\n"
        "NAME_nan_share over the samples (the same samples at every cell), added to\n"
        "FILE after the sweep (one process; not with --shard); the stored outputs are\n"
        "then evaluated at each distribution's base (median).\n");
}

static int parse_codec(const char *t, lc_codec *c, int *level)
{
    const char *colon = strchr(t, ':');
    size_t n = colon ? (size_t)(colon - t) : strlen(t);
    int lv = 1;
    if (colon) {
        char *end;
        long v = strtol(colon + 1, &end, 10);
        /* one digit exactly: strtol would also take " 5" and "+5" */
        if (colon[1] < '1' || colon[1] > '9' || end != colon + 2 || *end != '\0' || v < 1 ||
            v > 9)
            return 0;
        lv = (int)v;
    }
    if (n == 4 && strncmp(t, "none", 4) == 0 && !colon)
        *c = LC_CODEC_NONE;
    else if (n == 7 && strncmp(t, "deflate", 7) == 0)
        *c = LC_CODEC_DEFLATE;
    else if (n == 15 && strncmp(t, "shuffle+deflate", 15) == 0)
        *c = LC_CODEC_SHUFFLE_DEFLATE;
    else if (n == 3 && strncmp(t, "lz4", 3) == 0 && !colon)
        *c = LC_CODEC_LZ4;
    else if (n == 5 && strncmp(t, "blosc", 5) == 0 && !colon)
        *c = LC_CODEC_BLOSC;
    else if (n == 10 && strncmp(t, "blosc-zstd", 10) == 0 && !colon)
        *c = LC_CODEC_BLOSC_ZSTD;
    else
        return 0;
    *level = lv;
    return 1;
}

typedef struct {
    double last;
    int shown;
} prog_state;

static void fmt_count(double x, char *buf, size_t n)
{
    if (x >= 1e12) snprintf(buf, n, "%.2fT", x / 1e12);
    else if (x >= 1e9) snprintf(buf, n, "%.2fG", x / 1e9);
    else if (x >= 1e6) snprintf(buf, n, "%.2fM", x / 1e6);
    else if (x >= 1e3) snprintf(buf, n, "%.1fk", x / 1e3);
    else snprintf(buf, n, "%.0f", x);
}

static void on_progress(void *user, const lc_sweep_progress *p)
{
    prog_state *ps = user;
    if (p->seconds - ps->last < 0.25 && p->points_done < p->points_total)
        return;
    ps->last = p->seconds;
    char done[32], tot[32], rate[32];
    double r = p->seconds > 0 ? (double)p->points_done / p->seconds : 0;
    fmt_count((double)p->points_done, done, sizeof done);
    fmt_count((double)p->points_total, tot, sizeof tot);
    fmt_count(r, rate, sizeof rate);
    double eta = r > 0 && p->points_total > p->points_done
                     ? (double)(p->points_total - p->points_done) / r : 0;
    fprintf(stderr, "\r  %s / %s points evaluated (%3.0f%%), %s points/s, ETA %.0f s   ",
            done, tot, p->points_total ? 100.0 * (double)p->points_done / (double)p->points_total : 100.0,
            rate, eta);
    ps->shown = 1;
}

static void print_value(double v, const char *unit)
{
    if (isnan(v))
        printf("NaN");
    else
        printf("%.6g", v);
    if (unit && strcmp(unit, "1") != 0)
        printf(" %s", unit);
}

static void print_coords(const lc_spec *s, const uint64_t *c)
{
    for (int a = 0; a < s->n_axes; a++) {
        const lc_axis *ax = &s->axes[a];
        if (ax->labels)
            printf("%s%s=%s", a ? ", " : "", ax->name, ax->labels[c[a]]);
        else
            printf("%s%s=%.6g", a ? ", " : "", ax->name, ax->values[c[a]]);
    }
}

static void print_result(const lc_spec *s, const lc_sweep_result *r)
{
    char g[32], e[32];
    printf("sweep: %s\n", r->file[0] ? r->file : "(no file)");
    printf("  grid        %llu points (", (unsigned long long)r->grid_points);
    for (int a = 0; a < s->n_axes; a++)
        printf("%s%s %zu", a ? " x " : "", s->axes[a].name, s->axes[a].n);
    printf(")\n");
    if (s->prices_used[0]) {
        /* the catalogue records priced, one per line (also in the "prices" attribute) */
        printf("  prices%s%s\n", s->price_query.day ? " as of " : "",
               s->price_query.day ? s->price_query.date : "");
        for (const char *p = s->prices_used; *p;) {
            const char *nl = strchr(p, '\n');
            int n = nl ? (int)(nl - p) : (int)strlen(p);
            if (strncmp(p, "query:", 6) != 0)
                printf("    %.*s\n", n, p);
            p += n + (nl ? 1 : 0);
        }
    }
    if (s->n_store > 0) {
        printf("  stored      ");
        for (int i = 0; i < s->n_store; i++)
            printf("%s%s", i ? ", " : "", lc_formulas_output_info(&s->formulas, s->store[i])->name);
        printf("\n              %llu values, %.3g MB raw, %.3g MB to HDF5 (%s, %s, %s layout)\n",
               (unsigned long long)r->stored_points, (double)r->stored_bytes_raw / 1e6,
               (double)r->stored_bytes_file / 1e6, s->float32 ? "float32" : "float64",
               lc_codec_name(s->codec), s->layout == LC_LAYOUT_BROADCAST ? "broadcast" : "compact");
    }
    if (r->n_red > 0)
        printf("reductions over the full grid:\n");
    for (int i = 0; i < r->n_red; i++) {
        const lc_reduction *rd = &r->red[i];
        const lc_output_info *oi = lc_formulas_output_info(&s->formulas, rd->output);
        const char *u = oi->unit;
        printf("  %s\n    min  ", oi->name);
        print_value(rd->min, u);
        printf("  at ");
        print_coords(s, rd->argmin);
        printf("\n    max  ");
        print_value(rd->max, u);
        printf("  at ");
        print_coords(s, rd->argmax);
        printf("\n    mean ");
        print_value(rd->mean, u);
        printf("   finite %llu, NaN (no finite value) %llu",
               (unsigned long long)rd->count_finite, (unsigned long long)rd->count_nan);
        if (rd->count_inf)
            printf(", +-inf (overflow) %llu", (unsigned long long)rd->count_inf);
        printf("\n");
    }
    if (r->n_cond > 0)
        printf("conditions:\n");
    for (int i = 0; i < r->n_cond; i++)
        printf("  %-32s %llu points (%.4g%%)\n", s->conds[i].text,
               (unsigned long long)r->cond[i].count, 100.0 * r->cond[i].share);
    fmt_count(r->seconds > 0 ? (double)r->grid_points / r->seconds : 0, g, sizeof g);
    fmt_count(r->seconds > 0 ? (double)r->evaluated_points / r->seconds : 0, e, sizeof e);
    lc_report_questions(stdout, s, r);
    printf("time %.3f s (%d threads, %s kernel): %s grid points/s, %s evaluated points/s",
           r->seconds, r->threads, r->isa, g, e);
    if (r->stored_bytes_raw > 0 && r->seconds_store > 0)
        printf(", stored %.3g GB/s raw", (double)r->stored_bytes_raw / r->seconds_store / 1e9);
    printf("\n");
    if (r->red_chunks > 0) {
        printf("reduced chunks: %llu, %llu of them from their monotone rows%s",
               (unsigned long long)r->red_chunks, (unsigned long long)r->red_chunks_mono,
               r->red_chunks_mono ? "" : " (--exhaustive, or no proof)");
        if (r->red_chunks_ranged > 0)
            printf(", %llu counted from their proven range without evaluation",
                   (unsigned long long)r->red_chunks_ranged);
        printf("\n");
    }
}

int lc_cmd_sweep(int argc, char **argv)
{
    lc_cli_args a;
    const char *spec_path = NULL, *out = NULL, *isa = NULL;
    lc_cli_prices pr;
    memset(&pr, 0, sizeof pr);
    const char *codec_text = NULL;
    const char *shard_text = NULL;
    int resume = 0;
    int json = 0;
    int threads = 0, force = 0, quiet = 0, broadcast = 0, f32 = 0, exhaustive = 0, nc_classic = 0;
    double chunk_kib = 0, num;
    lc_status st = LC_OK;
    int r;

    lc_cli_args_init(&a, CMD, argc, argv);
    while ((r = lc_cli_next(&a)) != 0) {
        if (r < 0) {
            if (spec_path) {
                lc_cli_error(CMD, "more than one spec ('%s' and '%s')", spec_path, a.arg);
                return 2;
            }
            spec_path = a.arg;
            continue;
        }
        if (lc_cli_is_help(&a)) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a.arg, "-o") == 0 || lc_cli_is(&a, "output"))
            st = lc_cli_value(&a, &out);
        else if (lc_cli_is(&a, "threads")) {
            if ((st = lc_cli_number(&a, &num)) == LC_OK && (num < 1 || num > 4096 || num != (int)num)) {
                lc_cli_error(CMD, "--threads: expected a whole number from 1 to 4096");
                st = LC_EINVAL;
            }
            threads = (int)num;
        } else if (lc_cli_is(&a, "isa"))
            st = lc_cli_value(&a, &isa);
        else if (lc_cli_price_option(&a, &pr, &st))
            ;
        else if (lc_cli_is(&a, "compression"))
            st = lc_cli_value(&a, &codec_text);
        else if (lc_cli_is(&a, "chunk_kib")) {
            if ((st = lc_cli_number(&a, &num)) == LC_OK && (num < 1 || num > 1048576)) {
                lc_cli_error(CMD, "--chunk-kib: expected 1 to 1048576");
                st = LC_EINVAL;
            }
            chunk_kib = num;
        } else if (lc_cli_is(&a, "force"))
            st = lc_cli_flag(&a), force = 1;
        else if (lc_cli_is(&a, "resume"))
            st = lc_cli_flag(&a), resume = 1;
        else if (lc_cli_is(&a, "shard"))
            st = lc_cli_value(&a, &shard_text);
        else if (lc_cli_is(&a, "json"))
            st = lc_cli_flag(&a), json = 1;
        else if (lc_cli_is(&a, "quiet") || strcmp(a.arg, "-q") == 0)
            st = lc_cli_flag(&a), quiet = 1;
        else if (lc_cli_is(&a, "broadcast"))
            st = lc_cli_flag(&a), broadcast = 1;
        else if (lc_cli_is(&a, "float32"))
            st = lc_cli_flag(&a), f32 = 1;
        else if (lc_cli_is(&a, "netcdf_classic"))
            st = lc_cli_flag(&a), nc_classic = 1;
        else if (lc_cli_is(&a, "exhaustive"))
            st = lc_cli_flag(&a), exhaustive = 1;
        else
            st = lc_cli_unknown(&a);
        if (st != LC_OK)
            return 2;
    }
    if (spec_path == NULL) {
        lc_cli_error(CMD, "missing SPEC (try 'llmcost sweep --help')");
        return 2;
    }
    lc_cluster_opts co = {0, 0, resume, 0};
    int rank0 = lc_par_rank() == 0; /* MPI: one rank talks */
    if (shard_text) {
        lc_diag sd = {0};
        /* the same refusal on every rank: said once, not interleaved */
        if ((st = lc_cluster_shard_parse(shard_text, getenv("SLURM_ARRAY_TASK_ID"),
                                         &co.shard_k, &co.shard_n, &sd)) != LC_OK)
            return lc_exit_code(rank0 ? lc_cli_report(CMD, st, &sd) : st);
    }
    lc_codec codec = LC_CODEC_NONE;
    int level = 1;
    if (codec_text && !parse_codec(codec_text, &codec, &level)) {
        lc_cli_error(CMD, "--compression: '%s' is not none, deflate[:1-9], "
                          "shuffle+deflate[:1-9], lz4, blosc or blosc-zstd", codec_text);
        return 2;
    }
    if (isa) {
        const lc_kernel *k;
        lc_diag d = {0};
        if ((st = lc_kernel_select(isa, &k, &d)) != LC_OK)
            return lc_exit_code(lc_cli_report(CMD, st, &d) == LC_ENOTFOUND ? LC_EINVAL : st);
    }

    lc_catalog cat;
    if ((st = lc_cli_catalog_open(CMD, &pr, &cat)) != LC_OK)
        return lc_exit_code(st);
    lc_spec s;
    lc_diag d = {0};
    lc_spec_init(&s);
    st = lc_spec_parse_file(&s, spec_path, &cat, &d);
    if (st != LC_OK) {
        lc_catalog_free(&cat);
        return lc_exit_code(lc_cli_report(CMD, st, &d));
    }
    /* [uncertainty]: the band problem, checked before the sweep runs */
    lc_sens_problem *bands = NULL;
    if (lc_sens_bands_wanted(&s)) {
        bands = malloc(sizeof *bands);
        if (!bands)
            st = lc_diag_set(&d, LC_ENOMEM, NULL, 0, "out of memory");
        else
            st = lc_sens_bands_from_spec(bands, &s, &cat, &d);
        if (st == LC_OK && shard_text)
            st = lc_diag_set(&d, LC_EINVAL, NULL, 0,
                             "[uncertainty] bands are computed by an unsharded run "
                             "(drop --shard, or the [uncertainty] section)");
        /* the classic model has no uint64: the seed is stored as a double,
         * which is exact up to 2^53 only (doc/file-format.md) */
        if (st == LC_OK && (s.nc_classic || nc_classic) && bands->seed > ((uint64_t)1 << 53)) {
            int line = 0;
            for (int i = 0; i < s.n_extra; i++)
                if (!strcmp(s.extra[i].section, "uncertainty") && !strcmp(s.extra[i].key, "seed"))
                    line = s.extra[i].line;
            st = lc_diag_set(&d, LC_ERANGE, s.path, line,
                             "[uncertainty]: seed %llu is above 2^53 = 9007199254740992: the "
                             "netCDF-4 classic model has no uint64 and its double would hold "
                             "another seed; choose a seed up to 2^53 or drop --netcdf-classic / "
                             "netcdf = classic", (unsigned long long)bands->seed);
        }
        if (st == LC_OK && threads > 0)
            bands->threads = threads;
        if (st == LC_OK)   /* the stored outputs: at the distributions' bases */
            lc_sens_bands_fix_spec(bands, &s);
        if (st != LC_OK) {
            free(bands);
            lc_catalog_free(&cat);
            lc_spec_free(&s);
            return lc_exit_code(lc_cli_report(CMD, st, &d));
        }
    }
    lc_catalog_free(&cat);
    if (codec_text) {
        s.codec = codec;
        s.codec_level = level;
    }
    if (broadcast)
        s.layout = LC_LAYOUT_BROADCAST;
    if (f32)
        s.float32 = 1;
    if (nc_classic)
        s.nc_classic = 1;
    if (s.nc_classic && s.n_questions > 0) {
        lc_diag_set(&d, LC_EINVAL, s.path, s.questions[0].line,
                    "the questions of [outputs] (top, pareto, frontier, conditions with "
                    "where/and/or) are not written in the netCDF-4 classic model (their "
                    "tables are groups): drop --netcdf-classic / netcdf = classic");
        free(bands);
        lc_spec_free(&s);
        return lc_exit_code(lc_cli_report(CMD, LC_EINVAL, &d));
    }
    if (bands && (st = lc_sens_bands_check_names(bands, &s, &d)) != LC_OK) {
        free(bands);
        lc_spec_free(&s);
        return lc_exit_code(lc_cli_report(CMD, st, &d));
    }
    if (chunk_kib > 0)
        s.chunk_bytes = (size_t)chunk_kib * 1024;
    /* more threads than cores only costs memory and time: capped, said so */
    if (threads > 0)
        threads = lc_cli_cap_threads(CMD, threads, "--threads", quiet);
    else if (s.threads > 0)
        s.threads = lc_cli_cap_threads(CMD, s.threads, "the spec's 'threads ='", quiet);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    lc_sweep_opts o;
    lc_sweep_result *res = calloc(1, sizeof *res);
    prog_state ps = {0, 0};
    if (res == NULL) {
        lc_cli_error(CMD, "out of memory");
        free(bands);
        lc_spec_free(&s);
        return 1;
    }
    if (lc_cli_output_is_catalog(CMD, &pr, out ? out : s.output)) {
        free(res);
        free(bands);
        lc_spec_free(&s);
        return 2;
    }
    lc_sweep_opts_init(&o);
    o.output = out;
    o.threads = threads;
    o.isa = isa;
    o.force = force;
    o.exhaustive = exhaustive;
    o.cancel = &stop_flag;
    if (!quiet && rank0 && isatty(2)) {
        o.on_progress = on_progress;
        o.user = &ps;
    }
    lc_cluster_report rep;
    st = lc_cluster_sweep(&s, &o, &co, res, &rep, &d);
    if (rank0 && !quiet && rep.note[0])
        fprintf(stderr, "llmcost sweep: %s\n", rep.note);
    if (ps.shown)
        fprintf(stderr, "\n");
    int code;
    if (st == LC_EINTR) {
        /* the same command line (it fixes the options) plus --resume */
        /* each argument shell-quoted: a path with blanks pastes back whole */
        char again[4096] = "llmcost sweep";
        size_t n = strlen(again);
        for (int i = 1; i < argc && n + 2 < sizeof again; i++) {
            if (strcmp(argv[i], "--resume") == 0 || strcmp(argv[i], "--force") == 0)
                continue;
            again[n++] = ' ';
            int w = lc_shell_quote(argv[i], again + n, sizeof again - n);
            if (w < 0) { /* too long to print whole: say so, never a cut command */
                snprintf(again, sizeof again, "the same command line");
                break;
            }
            n += (size_t)w;
        }
        if (rank0)
            lc_cli_error(CMD, "interrupted: %s.partial left incomplete; resume with: "
                              "%s --resume", rep.output, again);
        code = stop_signal == SIGTERM ? 143 : 130;
    } else if (st != LC_OK) {
        /* MPI: an input error is the same on every rank (said once); a
         * failure of one rank's own disk or memory is said by that rank */
        if (rank0 || lc_exit_code(st) == 1)
            lc_cli_report(CMD, st, &d);
        code = st == LC_ERANGE || st == LC_EEXIST ? 2 : lc_exit_code(st);
    } else {
        if (json && rank0 && !rep.already_complete)
            lc_report_json(stdout, &s, res);
        else if (!quiet && rank0 && !rep.already_complete) /* else the note said so */
            print_result(&s, res);
        code = 0;
        if (bands && rank0) {
            lc_sens_bands_stats bs;
            st = lc_sens_bands_write(bands, &s, rep.output, &bs, &d);
            if (st == LC_EEXIST && rep.already_complete) {
                if (!quiet)
                    printf("uncertainty: %s already holds its bands\n", rep.output);
            } else if (st != LC_OK) {
                lc_cli_report(CMD, st, &d);
                code = lc_exit_code(st);
            } else if (!quiet) {
                char e[32];
                fmt_count(bs.seconds > 0 ? (double)bs.evaluations / bs.seconds : 0, e, sizeof e);
                printf("uncertainty: %d output%s, %llu cells x %zu samples (common to every "
                       "cell%s) = %llu evaluations in %.3f s: %s evaluated points/s\n",
                       bands->n_outs, bands->n_outs == 1 ? "" : "s",
                       (unsigned long long)bs.cells, bands->samples,
                       bands->correlated ? ", correlated" : "",
                       (unsigned long long)bs.evaluations, bs.seconds, e);
            }
        }
    }
    free(bands);
    lc_sweep_result_free(res);
    free(res);
    lc_spec_free(&s);
    return code;
}
