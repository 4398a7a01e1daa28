/*
 * kernel.c - run-time choice of the point-list kernel's ISA path.
 *
 * The best path the CPU supports (__builtin_cpu_supports) unless the
 * caller or LLMCOST_ISA names one; a named path the CPU lacks is refused
 * rather than crashing on an illegal instruction.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_isa.h"
#include "llmcost/kernel.h"

static const lc_kernel kernels[] = {
    {"scalar", lc_kernel_points_scalar},
    {"avx2", lc_kernel_points_avx2},
    {"avx512", lc_kernel_points_avx512},
};

static int cpu_has(int idx)
{
    __builtin_cpu_init();
    switch (idx) {
    case 0:
        return 1;
    case 1:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case 2:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma");
    default:
        return 0;
    }
}

const char *const *lc_kernel_available(void)
{
    static const char *names[4];
    int k = 0;
    for (int i = 0; i < 3; i++)
        if (cpu_has(i))
            names[k++] = kernels[i].isa;
    names[k] = NULL;
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
        for (int i = 2; i >= 0; i--)
            if (cpu_has(i)) {
                *k = &kernels[i];
                return LC_OK;
            }
    }
    for (int i = 0; i < 3; i++) {
        if (strcmp(isa, kernels[i].isa) != 0)
            continue;
        if (!cpu_has(i))
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "this CPU cannot run the '%s' kernel (available: %s%s%s)",
                               isa, "scalar", cpu_has(1) ? ", avx2" : "",
                               cpu_has(2) ? ", avx512" : "");
        *k = &kernels[i];
        return LC_OK;
    }
    return lc_diag_set(d, LC_ENOTFOUND, NULL, 0,
                       "unknown ISA '%s' (expected scalar, avx2, avx512 or auto)", isa);
}

static const lc_kernel_impl impls[] = {
    {"scalar", lc_kernel_nodes_scalar, lc_kernel_rows_scalar,
     lc_kernel_scan_scalar},
    {"avx2", lc_kernel_nodes_avx2, lc_kernel_rows_avx2,
     lc_kernel_scan_avx2},
    {"avx512", lc_kernel_nodes_avx512, lc_kernel_rows_avx512,
     lc_kernel_scan_avx512},
};

const lc_kernel_impl *lc_kernel_impl_of(const lc_kernel *k)
{
    for (int i = 0; i < 3; i++)
        if (k == &kernels[i])
            return &impls[i];
    return &impls[0];
}
