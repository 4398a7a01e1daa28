/*
 * cli_env.h - the environment is input too (issue 10): every variable
 * llmcost or its OpenMP runtime reads is checked before a command runs, and
 * a thread count above the cores is capped (with a note), so that neither a
 * typo nor OMP_NUM_THREADS=100000 can crash a sweep or exhaust memory.
 */
#ifndef LLMCOST_CLI_ENV_H
#define LLMCOST_CLI_ENV_H

/* Cores this process may run on (sched affinity, else online CPUs), >= 1. */
int lc_cli_cores(void);

/* Check OMP_NUM_THREADS, OMP_THREAD_LIMIT (set but empty is refused too),
 * the OpenMP variables libgomp would ignore with a warning (OMP_DYNAMIC,
 * OMP_NESTED, OMP_CANCELLATION, OMP_DISPLAY_ENV, OMP_WAIT_POLICY,
 * OMP_PROC_BIND, OMP_SCHEDULE, OMP_MAX_ACTIVE_LEVELS, OMP_STACKSIZE),
 * LLMCOST_ISA and LLMCOST_FLUSH_SECONDS (lc_cluster_flush_env), when set.
 * A malformed value: message on stderr, returns 2.  OMP_NUM_THREADS above the cores is
 * capped with omp_set_num_threads and said so on stderr (unless quiet).
 * Returns 0 when the command may run. */
int lc_cli_check_env(const char *cmd, int quiet);

/* A thread count asked for (--threads, a spec's threads =): above the
 * cores it is capped and said so (unless quiet); 0 stays 0 ("all"). */
int lc_cli_cap_threads(const char *cmd, int threads, const char *what, int quiet);

#endif
