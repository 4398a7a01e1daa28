/*
 * kernel_isa.h - the per-ISA entry points of the point-list kernel (internal
 * to src/kernel; kernel.c chooses one at run time).
 */
#ifndef LLMCOST_KERNEL_ISA_H
#define LLMCOST_KERNEL_ISA_H

#include "llmcost/kernel.h"

void lc_kernel_points_scalar(const lc_block_in *in, size_t n, const int *outs,
                             int n_outs, double *const *out);
void lc_kernel_points_avx2(const lc_block_in *in, size_t n, const int *outs,
                           int n_outs, double *const *out);
void lc_kernel_points_avx512(const lc_block_in *in, size_t n, const int *outs,
                             int n_outs, double *const *out);

#endif
