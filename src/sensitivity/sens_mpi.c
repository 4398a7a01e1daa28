/*
 * sens_mpi.c - how the sensitivity methods split their work across MPI
 * ranks (issue 6) and put it back together.
 *
 * Work is cut into fixed units (the evaluation blocks of sens_eval.c, one
 * bootstrap resample) that do not depend on the rank count; rank r of R
 * computes the contiguous unit range lc_partition(units, R, r), and a
 * gather puts every rank's values into the same slots of the same array on
 * every rank.  Each value is a pure function of its index, so the arrays -
 * and every statistic computed from them afterwards, in index order on every
 * rank - are bit-identical to the serial run's for any R.
 *
 * Uses only the lc_par_* wrappers (no-ops in the serial build), so this
 * file needs no #ifdef.  A problem with p->mpi == 0 is always one rank.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "grid/grid.h"
#include "par/par_mpi.h"
#include "sensitivity/sens_internal.h"

int lc_sens_ranks(const lc_sens_problem *p)
{
    return p->mpi ? lc_par_size() : 1;
}

int lc_sens_rank(const lc_sens_problem *p)
{
    return p->mpi ? lc_par_rank() : 0;
}

int lc_sens_any(const lc_sens_problem *p, int flag)
{
    return p->mpi ? lc_par_any(flag) : flag != 0;
}

void lc_sens_part(size_t n, size_t unit, int r, int nr, size_t *first, size_t *last)
{
    uint64_t units = (n + unit - 1) / unit, u0, u1;
    lc_partition(units, (uint64_t)nr, (uint64_t)r, &u0, &u1);
    *first = u0 * unit < n ? (size_t)(u0 * unit) : n;
    *last = u1 * unit < n ? (size_t)(u1 * unit) : n;
}

/* A round moves at most this many bytes in all: lc_par_allgather
 * counts bytes in MPI ints, so any n works, in as many rounds as it takes;
 * and Open MPI's shared-memory transport pays a first-use cost that grows
 * with the message (measured here: a first 16 MiB allgather 0.29 s, the
 * next ones 5 ms), so rounds of 4 MiB made a 2-rank Sobol run with
 * N = 2^18 faster (2.3 s against 3.1 s, medians of 5).  (A build with
 * -DLC_SENS_ROUND_BYTES=4096 runs the many-round path on small problems.) */
#ifdef LC_SENS_ROUND_BYTES
#define ROUND_BYTES ((size_t)LC_SENS_ROUND_BYTES)
#else
#define ROUND_BYTES ((size_t)4 << 20)
#endif

lc_status lc_sens_gather_rows(const lc_sens_problem *p, double *const *rows, size_t n_rows,
                              size_t n, size_t unit, lc_diag *d)
{
    int nr = lc_sens_ranks(p), me = lc_sens_rank(p);
    if (nr <= 1 || n_rows == 0)
        return LC_OK;
    size_t budget = (ROUND_BYTES < (size_t)INT_MAX ? ROUND_BYTES : (size_t)INT_MAX) /
                    sizeof(double);
    /* cap: items per row and rank in one round */
    size_t cap = budget / (size_t)nr / n_rows, max_part = 0, a, b;
    if (cap == 0)
        cap = 1;
    for (int r = 0; r < nr; r++) {
        lc_sens_part(n, unit, r, nr, &a, &b);
        max_part = b - a > max_part ? b - a : max_part;
    }
    size_t per_row = cap < max_part ? cap : max_part;
    double *send = malloc(sizeof(double) * (per_row * n_rows + 1));
    double *recv = malloc(sizeof(double) * (per_row * n_rows * (size_t)nr + 1));
    size_t *bytes = malloc(sizeof(size_t) * (size_t)nr);
    if (lc_sens_any(p, !send || !recv || !bytes)) {   /* every rank gives up together */
        free(send);
        free(recv);
        free(bytes);
        return lc_diag_set(d, LC_ENOMEM, NULL, 0, "sensitivity: out of memory (MPI gather)");
    }
    /* round: items [off, off + cap) of every rank's share of every row, sent
     * row after row; received rank after rank, each rank's rows in order */
    for (size_t off = 0; off < max_part; off += cap) {
        for (int r = 0; r < nr; r++) {
            lc_sens_part(n, unit, r, nr, &a, &b);
            size_t c = b - a > off ? b - a - off : 0;
            bytes[r] = (c < cap ? c : cap) * n_rows * sizeof(double);
        }
        size_t mine = bytes[me] / sizeof(double) / n_rows;
        lc_sens_part(n, unit, me, nr, &a, &b);
        for (size_t i = 0; i < n_rows && mine; i++)
            memcpy(send + i * mine, rows[i] + a + off, mine * sizeof(double));
        lc_par_allgather(send, bytes[me], recv, bytes);
        size_t pos = 0;
        for (int r = 0; r < nr; r++) {
            size_t c = bytes[r] / sizeof(double) / n_rows;
            lc_sens_part(n, unit, r, nr, &a, &b);
            for (size_t i = 0; i < n_rows && c; i++, pos += c)
                if (r != me)
                    memcpy(rows[i] + a + off, recv + pos, c * sizeof(double));
        }
    }
    free(send);
    free(recv);
    free(bytes);
    return LC_OK;
}
