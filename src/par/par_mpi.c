/*
 * par_mpi.c - the few MPI calls the rest of llmcost needs, behind
 * functions that also exist in the serial build (rank 0 of 1), so callers
 * need no #ifdef.  The MPI build (make MPI=1) defines LC_MPI; main.c
 * calls lc_par_init before any command runs.
 */
#include "par/par_mpi.h"

#include <stdlib.h>
#include <string.h>

#ifdef LC_MPI
#include <mpi.h>

static int mpi_up(void)
{
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}
#endif

int lc_par_init(int *argc, char ***argv)
{
#ifdef LC_MPI
    int provided = 0;
    return MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS ? 0 : -1;
#else
    (void)argc;
    (void)argv;
    return 0;
#endif
}

void lc_par_finalize(void)
{
#ifdef LC_MPI
    if (mpi_up())
        MPI_Finalize();
#endif
}

int lc_par_rank(void)
{
#ifdef LC_MPI
    int r = 0;
    if (mpi_up())
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
#else
    return 0;
#endif
}

int lc_par_size(void)
{
#ifdef LC_MPI
    int n = 1;
    if (mpi_up())
        MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
#else
    return 1;
#endif
}

void lc_par_barrier(void)
{
#ifdef LC_MPI
    if (lc_par_size() > 1)
        MPI_Barrier(MPI_COMM_WORLD);
#endif
}

int lc_par_any(int flag)
{
#ifdef LC_MPI
    if (lc_par_size() > 1) {
        int in = flag != 0, out = 0;
        MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return out;
    }
#endif
    return flag != 0;
}

int lc_par_min_int(int v)
{
#ifdef LC_MPI
    if (lc_par_size() > 1) {
        int out = v;
        MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        return out;
    }
#endif
    return v;
}

void lc_par_bcast(void *buf, size_t bytes)
{
#ifdef LC_MPI
    if (lc_par_size() > 1 && bytes > 0)
        MPI_Bcast(buf, (int)bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
#else
    (void)buf;
    (void)bytes;
#endif
}

void lc_par_allgather(const void *mine, size_t my_bytes, void *all, const size_t *bytes)
{
#ifdef LC_MPI
    int n = lc_par_size();
    if (n > 1) {
        int *c = malloc(2 * (size_t)n * sizeof *c), *dp = c + n;
        if (c == NULL)
            MPI_Abort(MPI_COMM_WORLD, 1);
        int off = 0;
        for (int r = 0; r < n; r++) {
            c[r] = (int)bytes[r];
            dp[r] = off;
            off += c[r];
        }
        MPI_Allgatherv(mine, (int)my_bytes, MPI_BYTE, all, c, dp, MPI_BYTE, MPI_COMM_WORLD);
        free(c);
        return;
    }
#endif
    (void)bytes;
    memcpy(all, mine, my_bytes);
}

void lc_par_sum_u64(uint64_t *v, int n)
{
#ifdef LC_MPI
    if (lc_par_size() > 1 && n > 0)
        MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
#else
    (void)v;
    (void)n;
#endif
}

void lc_par_min_u8(uint8_t *v, size_t n)
{
#ifdef LC_MPI
    if (lc_par_size() > 1)
        for (size_t o = 0; o < n; o += (size_t)1 << 30) {
            size_t k = n - o < ((size_t)1 << 30) ? n - o : (size_t)1 << 30;
            MPI_Allreduce(MPI_IN_PLACE, v + o, (int)k, MPI_UNSIGNED_CHAR, MPI_MIN,
                          MPI_COMM_WORLD);
        }
#else
    (void)v;
    (void)n;
#endif
}
