/*
 * api_catalog.c - the built-in catalogue as the public API sees it
 * (llmcost.h: llmcost_gpu_*, llmcost_arch_*): loaded once, on first use,
 * from the copy compiled into the library, and never changed after, so the
 * names it hands out stay valid for the life of the process and every
 * thread may read it.
 */
#include <pthread.h>

#include "api/api_internal.h"

static lc_catalog cat;
static lc_status cat_status;
static lc_diag cat_diag;
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

static void cat_load(void) { cat_status = lc_catalog_load(&cat, NULL, &cat_diag); }

llmcost_status lc_api_catalog(const lc_catalog **c, llmcost_error *err)
{
    pthread_once(&cat_once, cat_load);
    *c = cat_status == LC_OK ? &cat : NULL;
    return cat_status == LC_OK ? LLMCOST_OK : lc_api_fail(err, cat_status, &cat_diag);
}

/* The catalogue for the listing functions (NULL if it does not load). */
static const lc_catalog *catalog(void)
{
    const lc_catalog *c;
    lc_api_catalog(&c, NULL);
    return c;
}

int llmcost_gpu_count(void)
{
    const lc_catalog *c = catalog();
    return c ? c->n_gpus : 0;
}

const char *llmcost_gpu_name(int i)
{
    const lc_catalog *c = catalog();
    return c && i >= 0 && i < c->n_gpus ? c->gpus[i].name : NULL;
}

int llmcost_arch_count(void)
{
    const lc_catalog *c = catalog();
    return c ? c->n_archs : 0;
}

const char *llmcost_arch_name(int i)
{
    const lc_catalog *c = catalog();
    return c && i >= 0 && i < c->n_archs ? c->archs[i].name : NULL;
}
