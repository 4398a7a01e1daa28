/*
 * par_mpi.h - the MPI collectives the engine, sensitivity and cluster layers
 * use (par_mpi.c): rank 0 of 1 in the serial build, MPI in the MPI build
 * (make MPI=1).  No MPI type appears here.
 */
#ifndef LLMCOST_PAR_MPI_H
#define LLMCOST_PAR_MPI_H

#include <stddef.h>
#include <stdint.h>

/* ---- MPI (rank 0 of 1 in the serial build; collective in the MPI build) -- */
/* Start MPI (MPI_THREAD_FUNNELED: only the main thread calls MPI; OpenMP
 * workers compute, they never communicate); 0 ok, -1 failed.  A no-op
 * returning 0 in the serial build.  lc_par_finalize ends it. */
int lc_par_init(int *argc, char ***argv);
void lc_par_finalize(void);
int lc_par_rank(void);
int lc_par_size(void);
void lc_par_barrier(void);
/* 1 on every rank when flag is set on any rank (collective). */
int lc_par_any(int flag);
/* Minimum of v over the ranks (collective): agree on a status. */
int lc_par_min_int(int v);
/* v[i] := minimum over the ranks of v[i] (collective). */
void lc_par_min_u8(uint8_t *v, size_t n);
/* v[i] := sum over the ranks of v[i] (collective). */
void lc_par_sum_u64(uint64_t *v, int n);
/* Broadcast bytes from rank 0 (collective). */
void lc_par_bcast(void *buf, size_t bytes);
/* Gather every rank's bytes (bytes[r] from rank r, in rank order) into all,
 * on every rank (collective). */
void lc_par_allgather(const void *mine, size_t my_bytes, void *all, const size_t *bytes);

#endif
