/*
 * kernel_isa.h - the per-ISA entry points of the kernel (internal to the
 * engine; kernel.c chooses one set at run time).
 */
#ifndef LLMCOST_KERNEL_ISA_H
#define LLMCOST_KERNEL_ISA_H

#include "kernel/kernel_nodes.h"
#include "kernel/kernel.h"

#define LC_ISA_DECL(sfx)                                                              \
    void lc_kernel_points_##sfx(const lc_block_in *in, size_t n, const int *outs,     \
                                int n_outs, double *const *out);                      \
    void lc_kernel_nodes_##sfx(const double *const *in, const size_t *stride, size_t n, \
                               const int *nodes, int n_nodes, double *const *out);    \
    void lc_kernel_rows_##sfx(const lc_rowprog *p, size_t nrows, size_t rowlen,       \
                              const double *const *inner, const double *const *rv,    \
                              const size_t *rv_stride, double *out, const size_t *row_off, \
                              double *scratch, const lc_rows_sink *sink);             \
    void lc_kernel_scan_##sfx(const double *v, size_t n, uint64_t base, lc_scan *s); \
    void lc_kernel_sum_##sfx(const double *v, size_t n, lc_scan *s);
LC_ISA_DECL(scalar)
LC_ISA_DECL(avx2)
LC_ISA_DECL(avx512)
#undef LC_ISA_DECL

/* One node at one point from its argument values (scalar path). */
double lc_kernel_node1_scalar(int id, const double *args);

/* lc_scan_fn without min and max: lane sums, NaN count and condition
 * counts of a row, exactly as lc_scan_fn has them. */
typedef void (*lc_sum_fn)(const double *v, size_t n, lc_scan *s);

/* The engine's view of a kernel: node-level and row-program entry points. */
typedef struct {
    const char *isa;
    lc_nodes_fn nodes;
    lc_rows_fn rows;
    lc_scan_fn scan;
    lc_sum_fn sum;
} lc_kernel_impl;

const lc_kernel_impl *lc_kernel_impl_of(const lc_kernel *k);

#endif
