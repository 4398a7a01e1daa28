/*
 * kernel_avx512.c - the point-list kernel built with the AVX-512 flags of
 * the Makefile (*_avx512.c); same source and bits as the scalar path.
 */
#include "kernel/kernel_isa.h"

#define LC_KERNEL_FN lc_kernel_points_avx512
#define LC_NODES_FN lc_kernel_nodes_avx512
#define LC_ROWS_FN lc_kernel_rows_avx512
#define LC_SCAN_FN lc_kernel_scan_avx512
#define LC_SUM_FN lc_kernel_sum_avx512
#define LC_SIMD _Pragma("omp simd")
#define LC_VECTOR_EXT 64 /* bytes per native vector: zmm */
#include "kernel/kernel_body.h"
