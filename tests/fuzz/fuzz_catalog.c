/*
 * fuzz_catalog.c - libFuzzer harness for lc_catalog_load (src/catalog/).
 * The input is written to a private temporary file (lc_catalog_load reads a
 * path).  Invariants: a load either fails with a message and an empty
 * catalogue, or every entry it holds is complete and in range and can be
 * found again by its name (GPUs, API models and architectures, whose shape
 * is consistent: kv_heads divides heads, d_model / heads is whole).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

static void open_temp(void)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/lcfuzzcatXXXXXX",
             dir && strlen(dir) < 40 ? dir : "/tmp");
    fd = mkstemp(path); /* O_EXCL, mode 0600 */
    if (fd < 0)
        abort();
}

static void cleanup(void)
{
    if (fd >= 0)
        unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        open_temp();
        atexit(cleanup);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    lc_catalog c;
    lc_diag d;
    memset(&d, 0, sizeof d);
    lc_status st = lc_catalog_load(&c, path, &d);
    if (st != LC_OK) {
        if (d.msg[0] == '\0' || c.n_gpus != 0 || c.n_apis != 0 || c.gpus || c.apis)
            abort();
        return 0;
    }
    for (int i = 0; i < c.n_gpus; i++) {
        const lc_gpu *g = &c.gpus[i];
        /* power_w is optional (0 in the entry when not stated; the model
         * input is then NaN), and so is a price record (no public price:
         * price_hour NaN) */
        if (!(g->flops > 0 && g->hbm_bw > 0) || !isfinite(g->flops) || !isfinite(g->hbm_bw) ||
            !(g->power_w == 0 || (g->power_w > 0 && isfinite(g->power_w))) ||
            !(isnan(g->price_hour) || (g->price_hour >= 0 && isfinite(g->price_hour))) ||
            lc_catalog_gpu(&c, g->name) == NULL)
            abort();
    }
    for (int i = 0; i < c.n_apis; i++) {
        const lc_api *a = &c.apis[i];
        if (!(a->price_in >= 0 && a->price_out >= 0) || !isfinite(a->price_in) ||
            !isfinite(a->price_out) || lc_catalog_api(&c, a->name) == NULL)
            abort();
    }
    for (int i = 0; i < c.n_archs; i++) {
        const lc_arch *a = &c.archs[i];
        const double f[] = {a->params, a->params_active, a->layers, a->d_model, a->heads,
                            a->kv_heads, a->head_dim, a->kv_dim, a->context, a->train_seq_len};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            if (!(f[k] >= 0) || !isfinite(f[k]))
                abort();
        /* the shape checks of finish_arch hold for every loaded entry */
        if (!(a->params > 0) || a->params_active > a->params ||
            (a->kv_heads > 0 && a->heads > 0 &&
             (a->kv_heads > a->heads || fmod(a->heads, a->kv_heads) != 0)) ||
            (a->heads > 0 && a->d_model > 0 && a->head_dim == 0 &&
             fmod(a->d_model, a->heads) != 0) ||
            lc_catalog_arch(&c, a->name) == NULL)
            abort();
    }
    lc_catalog_free(&c);
    return 0;
}
