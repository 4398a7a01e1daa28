/*
 * cli_env.c - environment variables checked at start-up (cli_env.h).
 * Everything here runs once per command, before any computation: nothing
 * of it touches the sweep engine's loops.
 */
#define _GNU_SOURCE 1 /* sched_getaffinity, CPU_COUNT */
#include "cli/cli_env.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli_common.h"
#include "par/par_mpi.h"
#include "kernel/kernel.h"
#include "cluster/cluster_sweep.h"

/* under mpirun every rank checks, rank 0 alone speaks */
#define ENV_ERROR(...) (lc_par_rank() == 0 ? lc_cli_error(__VA_ARGS__) : (void)0)

int lc_cli_cores(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 1 << 20 ? (int)n : 1;
}

/* A whole number 1..2^31-1 written in digits only (no sign, blank or
 * suffix); -1 when it is not one. */
static long whole(const char *s, size_t len)
{
    if (len == 0 || len > 10)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= 2147483647L ? v : -1;
}

int lc_cli_cap_threads(const char *cmd, int threads, const char *what, int quiet)
{
    int cores = lc_cli_cores();
    if (threads <= cores)
        return threads;
    if (!quiet && lc_par_rank() == 0)
        fprintf(stderr, "llmcost %s: note: %s asks for %d threads but this machine has %d "
                        "cores for it: using %d\n", cmd, what, threads, cores, cores);
    return cores;
}

/* The OpenMP runtime's own variables that libgomp, given a value it does
 * not know, ignores with "libgomp: Invalid value for environment variable"
 * and runs on with its default: a typo there would change the run without
 * stopping it.  Words are matched as libgomp does (case-insensitively,
 * blanks around allowed); `list`: a comma-separated list of those words. */
static const struct {
    const char *name;
    const char *words; /* '|'-separated; NULL: see `kind` */
    int list;
    int kind;          /* 1: whole number >= 0; 2: a size N[BKMG]; 3: WORD[,N] */
} omp_vars[] = {
    {"OMP_DYNAMIC", "true|false", 0, 0},
    {"OMP_NESTED", "true|false", 0, 0},
    {"OMP_CANCELLATION", "true|false", 0, 0},
    {"OMP_DISPLAY_ENV", "true|false|verbose", 0, 0},
    {"OMP_WAIT_POLICY", "active|passive", 0, 0},
    {"OMP_PROC_BIND", "true|false|master|primary|close|spread", 1, 0},
    {"OMP_SCHEDULE", "static|dynamic|guided|auto|monotonic:static|monotonic:dynamic|"
                     "monotonic:guided|monotonic:auto|nonmonotonic:dynamic|nonmonotonic:guided",
     0, 3},
    {"OMP_MAX_ACTIVE_LEVELS", NULL, 0, 1},
    {"OMP_STACKSIZE", NULL, 0, 2},
};

static int word_in(const char *w, size_t n, const char *words)
{
    while (n > 0 && (*w == ' ' || *w == '\t'))
        w++, n--;
    while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == '\t'))
        n--;
    for (const char *p = words; *p;) {
        size_t m = strcspn(p, "|");
        if (m == n && strncasecmp(p, w, n) == 0)
            return 1;
        p += m + (p[m] == '|');
    }
    return 0;
}

static int omp_value_ok(int i, const char *e)
{
    size_t n = strlen(e);
    switch (omp_vars[i].kind) {
    case 1: return strcmp(e, "0") == 0 || whole(e, n) > 0;
    case 2: {
        size_t k = 0;
        while (k < n && e[k] >= '0' && e[k] <= '9')
            k++;
        return k > 0 && (k == n || (k + 1 == n && strchr("bBkKmMgG", e[k])));
    }
    case 3: {
        const char *comma = strchr(e, ',');
        size_t m = comma ? (size_t)(comma - e) : n;
        return word_in(e, m, omp_vars[i].words) &&
               (!comma || whole(comma + 1, strlen(comma + 1)) > 0);
    }
    default:
        for (const char *p = e;;) {
            size_t m = strcspn(p, ",");
            if (!word_in(p, m, omp_vars[i].words))
                return 0;
            if (!p[m])
                return 1;
            if (!omp_vars[i].list)
                return 0;
            p += m + 1;
        }
    }
}

int lc_cli_check_env(const char *cmd, int quiet)
{
    /* set but empty: libgomp ignores it with a warning; say so instead */
    static const char *const need_value[] = {"OMP_NUM_THREADS", "OMP_THREAD_LIMIT"};
    for (size_t i = 0; i < sizeof need_value / sizeof need_value[0]; i++) {
        const char *v = getenv(need_value[i]);
        if (v && !*v) {
            ENV_ERROR(cmd, "%s is set but empty: give a whole number from 1 or unset it",
                      need_value[i]);
            return 2;
        }
    }
    for (size_t i = 0; i < sizeof omp_vars / sizeof omp_vars[0]; i++) {
        const char *v = getenv(omp_vars[i].name);
        if (v && !omp_value_ok((int)i, v)) {
            if (omp_vars[i].words)
                ENV_ERROR(cmd, "%s='%.40s': expected %s%s (OpenMP would ignore it): fix or "
                               "unset it", omp_vars[i].name, v,
                          omp_vars[i].kind == 3 ? "a schedule " : "one of ", omp_vars[i].words);
            else
                ENV_ERROR(cmd, "%s='%.40s': expected %s (OpenMP would ignore it): fix or "
                               "unset it", omp_vars[i].name, v,
                          omp_vars[i].kind == 1 ? "a whole number from 0"
                                                : "a size N, NB, NK, NM or NG");
            return 2;
        }
    }
    const char *e = getenv("OMP_NUM_THREADS");
    if (e && *e) {
        /* libgomp's syntax: N or a nesting list N,M,... of whole numbers */
        long first = -1;
        for (const char *p = e;;) {
            size_t n = strcspn(p, ",");
            long v = whole(p, n);
            if (v < 0) {
                ENV_ERROR(cmd, "OMP_NUM_THREADS='%.40s' is not a whole number of threads "
                                  "from 1 (or a list like 4,2): fix or unset it", e);
                return 2;
            }
            if (first < 0)
                first = v;
            if (p[n] == '\0')
                break;
            p += n + 1;
        }
        int cores = lc_cli_cores();
        if (first > cores) {
            if (!quiet && lc_par_rank() == 0)
                fprintf(stderr, "llmcost %s: note: OMP_NUM_THREADS=%ld is more than the %d "
                                "cores here: using %d threads\n", cmd, first, cores, cores);
            omp_set_num_threads(cores);
        }
    }
    e = getenv("OMP_THREAD_LIMIT");
    if (e && *e && whole(e, strlen(e)) < 0) {
        ENV_ERROR(cmd, "OMP_THREAD_LIMIT='%.40s' is not a whole number from 1: fix or "
                          "unset it", e);
        return 2;
    }
    e = getenv("LLMCOST_ISA");
    if (e && *e) {
        const lc_kernel *k;
        lc_diag d = {0};
        if (lc_kernel_select(e, &k, &d) != LC_OK) {
            ENV_ERROR(cmd, "environment LLMCOST_ISA='%.40s': %s", e, d.msg);
            return 2;
        }
    }
    double flush;
    lc_diag fd = {0};
    if (lc_cluster_flush_env(&flush, &fd) != LC_OK) {
        ENV_ERROR(cmd, "%s", fd.msg);
        return 2;
    }
    e = getenv("SLURM_ARRAY_TASK_ID");
    /* read only by 'sweep --shard N', which says what is wrong with it; a
     * malformed value elsewhere is not this command's business */
    (void)e;
    return 0;
}
