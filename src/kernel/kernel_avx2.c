/*
 * kernel_avx2.c - the point-list kernel built with -mavx2 -mfma (the
 * Makefile adds them for *_avx2.c); FMA contraction stays off
 * (-ffp-contract=off), so it returns the scalar path's bits.
 */
#include "kernel/kernel_isa.h"

#define LC_KERNEL_FN lc_kernel_points_avx2
#define LC_NODES_FN lc_kernel_nodes_avx2
#define LC_ROWS_FN lc_kernel_rows_avx2
#define LC_SCAN_FN lc_kernel_scan_avx2
#define LC_SUM_FN lc_kernel_sum_avx2
#define LC_SIMD _Pragma("omp simd")
#define LC_VECTOR_EXT 32 /* bytes per native vector: ymm */
#include "kernel/kernel_body.h"
