/*
 * kernel.c - run-time choice of the kernel's ISA path.
 *
 * One table, reference path first, faster ones after it (BLIS's context
 * idea): each row names an ISA, says whether this CPU can run it and gives
 * its entry points.  The best path the CPU supports is used unless the
 * caller or LLMCOST_ISA names one; a named path the CPU (or the build)
 * lacks is refused rather than crashing on an illegal instruction.
 *
 * The AVX2 and AVX-512 rows exist only when the build compiled their files:
 * on x86-64 unless `make KERNELS=scalar` (LC_KERNELS_SCALAR_ONLY), never on
 * another architecture.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_isa.h"
#include "kernel/kernel.h"

#if defined(__x86_64__) && !defined(LC_KERNELS_SCALAR_ONLY)
#define LC_HAVE_X86_KERNELS 1
#else
#define LC_HAVE_X86_KERNELS 0
#endif

static int cpu_any(void)
{
    return 1;
}

#if LC_HAVE_X86_KERNELS
static int cpu_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int cpu_avx512(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && cpu_avx2();
}
#endif

static const lc_kernel kernels[] = {
    {"scalar", lc_kernel_points_scalar},
#if LC_HAVE_X86_KERNELS
    {"avx2", lc_kernel_points_avx2},
    {"avx512", lc_kernel_points_avx512},
#endif
};

/* Row i of this table belongs to kernels[i]. */
static const struct {
    int (*cpu_ok)(void);
    lc_kernel_impl impl;
} rows[] = {
    {cpu_any, {"scalar", lc_kernel_nodes_scalar, lc_kernel_rows_scalar, lc_kernel_scan_scalar,
                lc_kernel_sum_scalar}},
#if LC_HAVE_X86_KERNELS
    {cpu_avx2, {"avx2", lc_kernel_nodes_avx2, lc_kernel_rows_avx2, lc_kernel_scan_avx2,
                lc_kernel_sum_avx2}},
    {cpu_avx512,
     {"avx512", lc_kernel_nodes_avx512, lc_kernel_rows_avx512, lc_kernel_scan_avx512,
      lc_kernel_sum_avx512}},
#endif
};

#define N_KERNELS ((int)(sizeof kernels / sizeof kernels[0]))

const char *const *lc_kernel_available(void)
{
    static const char *names[N_KERNELS + 1];
    int k = 0;
    for (int i = 0; i < N_KERNELS; i++)
        if (rows[i].cpu_ok())
            names[k++] = kernels[i].isa;
    names[k] = NULL;
    return names;
}

const char *const *lc_kernel_built(void)
{
    static const char *names[N_KERNELS + 1];
    for (int i = 0; i < N_KERNELS; i++)
        names[i] = kernels[i].isa;
    names[N_KERNELS] = NULL;
    return names;
}

lc_status lc_kernel_select(const char *isa, const lc_kernel **k, lc_diag *d)
{
    if (isa == NULL || *isa == '\0') {
        const char *env = getenv("LLMCOST_ISA");
        if (env != NULL && *env != '\0')
            isa = env;
    }
    if (isa == NULL || *isa == '\0' || strcmp(isa, "auto") == 0) {
        for (int i = N_KERNELS - 1; i >= 0; i--)
            if (rows[i].cpu_ok()) {
                *k = &kernels[i];
                return LC_OK;
            }
    }
    char avail[64] = "scalar";
    for (int i = 1; i < N_KERNELS; i++)
        if (rows[i].cpu_ok()) {
            strcat(avail, ", ");
            strcat(avail, kernels[i].isa);
        }
    for (int i = 0; i < N_KERNELS; i++) {
        if (strcmp(isa, kernels[i].isa) != 0)
            continue;
        if (!rows[i].cpu_ok())
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "this CPU cannot run the '%s' kernel (available: %s)", isa,
                               avail);
        *k = &kernels[i];
        return LC_OK;
    }
    if (strcmp(isa, "avx2") == 0 || strcmp(isa, "avx512") == 0)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "this build cannot run the '%s' kernel: it has the scalar kernel "
                           "only (make KERNELS=scalar, or not an x86-64 build; available: %s)",
                           isa, avail);
    return lc_diag_set(d, LC_ENOTFOUND, NULL, 0,
                       "unknown ISA '%s' (expected scalar, avx2, avx512 or auto)", isa);
}

const lc_kernel_impl *lc_kernel_impl_of(const lc_kernel *k)
{
    for (int i = 0; i < N_KERNELS; i++)
        if (k == &kernels[i])
            return &rows[i].impl;
    return &rows[0].impl;
}
