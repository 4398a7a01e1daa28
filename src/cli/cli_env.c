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
#include <unistd.h>

#include "cli/cli_common.h"
#include "par/par_mpi.h"
#include "kernel/kernel.h"

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

int lc_cli_check_env(const char *cmd, int quiet)
{
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
    e = getenv("LLMCOST_FLUSH_SECONDS");
    if (e && *e) {
        char *end;
        errno = 0;
        double v = strtod(e, &end);
        if (end == e || *end != '\0' || errno || !(v >= 0.001 && v <= 3600)) {
            ENV_ERROR(cmd, "LLMCOST_FLUSH_SECONDS='%.40s' is not a number of seconds from "
                              "0.001 to 3600: fix or unset it", e);
            return 2;
        }
    }
    e = getenv("SLURM_ARRAY_TASK_ID");
    /* read only by 'sweep --shard N', which says what is wrong with it; a
     * malformed value elsewhere is not this command's business */
    (void)e;
    return 0;
}
