/*
 * kernel.h - evaluate the cost model over a block of points, vectorized.
 *
 * A kernel is pure: const inputs, a count, output arrays; no I/O, no
 * allocation, no failure (the caller validated the inputs).  Each input is a
 * pointer and a stride: stride 0 means one value for every point (in[i][0]),
 * stride 1 means one value per point.  Outputs without a finite answer (no
 * break-even) are NaN, exactly as lc_model_eval gives them: every ISA path
 * returns the same bits as the scalar reference (the project is compiled
 * with -ffp-contract=off).
 *
 * ISA paths: "scalar" (always), "avx2", "avx512" (x86-64 builds unless make
 * KERNELS=scalar), chosen at run time from the CPU; LLMCOST_ISA=name or
 * lc_kernel_select(name) forces one.
 */
#ifndef LLMCOST_KERNEL_H
#define LLMCOST_KERNEL_H

#include <stddef.h>

#include "model/model.h"
#include "util/status.h"

typedef struct {
    const double *in[LC_IN_COUNT];
    size_t stride[LC_IN_COUNT]; /* 0 or 1 */
} lc_block_in;

/* Evaluate outputs outs[0..n_outs-1] at n points; out[k][j] receives output
 * outs[k] at point j.  Thread-safe; call it from worker threads on disjoint
 * blocks. */
typedef void (*lc_points_fn)(const lc_block_in *in, size_t n, const int *outs,
                             int n_outs, double *const *out);

typedef struct {
    const char *isa;       /* "scalar", "avx2", "avx512" */
    lc_points_fn points;   /* list-of-points evaluation */
} lc_kernel;

/* The kernel for an ISA name, or the best the CPU supports when isa is NULL
 * (honouring LLMCOST_ISA).  LC_ENOTFOUND for an unknown name, LC_EINVAL when
 * the CPU lacks that ISA. */
lc_status lc_kernel_select(const char *isa, const lc_kernel **k, lc_diag *d);

/* Names of the ISA paths this CPU can run, best last, NULL-terminated. */
const char *const *lc_kernel_available(void);

/* Names of the ISA paths this build has (scalar alone with make
 * KERNELS=scalar or off x86-64), best last, NULL-terminated. */
const char *const *lc_kernel_built(void);

#endif
