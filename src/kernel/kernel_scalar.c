/*
 * kernel_scalar.c - the portable path of the point-list kernel: one point
 * at a time (auto-vectorization off), the reference the SIMD paths are
 * tested against, and the path valgrind can run.
 */
/* (the Makefile compiles this file with -fno-tree-vectorize
 * -fno-tree-slp-vectorize, which gcc and clang both take) */
#include "kernel/kernel_isa.h"

#define LC_KERNEL_FN lc_kernel_points_scalar
#define LC_NODES_FN lc_kernel_nodes_scalar
#define LC_ROWS_FN lc_kernel_rows_scalar
#define LC_SCAN_FN lc_kernel_scan_scalar
#define LC_SUM_FN lc_kernel_sum_scalar
#define LC_NODE1_FN lc_kernel_node1_scalar
#define LC_SIMD
#include "kernel/kernel_body.h"
