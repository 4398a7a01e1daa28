/*
 * cost_api.c - the public C API of llmcost in one program: evaluate the
 * model at a point, run a sweep into a callback and into a file, read the
 * file back.  Built against an installed llmcost:
 *
 *     cc cost_api.c $(pkg-config --cflags --libs llmcost) -o cost_api
 *     ./cost_api OUT.h5
 *
 * It prints the article's GPT-4 pretraining cost and inference cost per 1K
 * tokens at the defaults, the Llama-3.1-70B preset's memory figures (and
 * with 40 layers set after the preset, which wins), then the minimum
 * pretraining cost over a small
 * grid (params x util) found by the callback and checks that the file
 * holds the very same values.  Exit 0 when everything agrees.
 */
#include <llmcost/llmcost.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SPEC[] =
    "[sweep]\n"
    "name = api example\n"
    "[axes]\n"
    "params = log 1e9 1e12 7\n"
    "util = lin 0.3 0.6 4\n"
    "[outputs]\n"
    "store = pretrain_cost\n";

struct scan {
    double min, sum;
    uint64_t n;
};

static int on_block(void *user, int rank, const uint64_t *origin, const uint64_t *extent,
                    const double *v)
{
    (void)origin;
    struct scan *s = user;
    uint64_t n = 1;
    for (int k = 0; k < rank; k++)
        n *= extent[k];
    for (uint64_t i = 0; i < n; i++) {
        if (v[i] < s->min)
            s->min = v[i];
        s->sum += v[i];
    }
    s->n += n;
    return 0;
}

static int fail(const char *what, const llmcost_error *e)
{
    fprintf(stderr, "cost_api: %s: %s\n", what, e->message);
    return 1;
}

int main(int argc, char **argv)
{
    llmcost_error e;
    if (argc != 2) {
        fprintf(stderr, "usage: cost_api OUT.h5\n");
        return 2;
    }
    printf("llmcost %s, API %d\n", llmcost_version(), llmcost_api_version());

    /* 1. one point: the defaults are the article's GPT-4 scenario on an A100 */
    llmcost_point *p = llmcost_point_new();
    double cost, infer;
    if (!p || llmcost_point_eval(p, "pretrain_cost", &cost, &e) ||
        llmcost_point_eval(p, "infer_cost_per_1k", &infer, &e))
        return fail("eval", &e);
    printf("pretrain_cost %.17g USD\ninfer_cost_per_1k %.17g USD\n", cost, infer);
    if (llmcost_point_set(p, "util", 1.5, &e) == LLMCOST_OK)
        return fail("a util of 1.5 was accepted", &e);
    printf("refused: %s\n", e.message);
    llmcost_point_free(p);

    /* 1b. presets: list them, apply one, override one of its inputs */
    int have = 0;
    for (int i = 0; i < llmcost_arch_count(); i++)
        have |= strcmp(llmcost_arch_name(i), "llama-3.1-70b") == 0;
    printf("presets: %d GPUs (first %s), %d architectures\n", llmcost_gpu_count(),
           llmcost_gpu_name(0), llmcost_arch_count());
    if (!have)
        return fail("llama-3.1-70b is not listed", &e);
    p = llmcost_point_new();
    double kv, wb, kv40;
    if (!p || llmcost_point_set_arch(p, "Llama-3.1-70B", &e) ||
        llmcost_point_eval(p, "kv_bytes_per_token", &kv, &e) ||
        llmcost_point_eval(p, "weights_bytes", &wb, &e) ||
        llmcost_point_set(p, "layers", 40, &e) || /* after the preset: it wins */
        llmcost_point_eval(p, "kv_bytes_per_token", &kv40, &e))
        return fail("arch", &e);
    printf("llama-3.1-70b kv_bytes_per_token %.17g weights_bytes %.17g\n", kv, wb);
    printf("llama-3.1-70b layers=40 kv_bytes_per_token %.17g\n", kv40);
    if (llmcost_point_set_arch(p, "llama-3.1-71b", &e) != LLMCOST_ENOTFOUND)
        return fail("an unknown architecture was accepted", &e);
    printf("refused: %s\n", e.message);
    llmcost_point_free(p);

    /* 2. a sweep into a callback and into a file */
    llmcost_spec *s;
    if (llmcost_spec_parse(&s, SPEC, sizeof SPEC - 1, "example", &e))
        return fail("spec", &e);
    struct scan sc = {INFINITY, 0, 0};
    if (llmcost_sweep_each(s, "pretrain_cost", 0, on_block, &sc, &e))
        return fail("sweep_each", &e);
    printf("grid %llu points, min pretrain_cost %.17g USD\n",
           (unsigned long long)llmcost_spec_points(s), sc.min);
    if (llmcost_sweep_to_file(s, argv[1], 0, 1, &e))
        return fail("sweep_to_file", &e);
    llmcost_spec_free(s);

    /* 3. read it back */
    llmcost_file *f;
    int rank;
    uint64_t dims[16];
    const char *names[16];
    if (llmcost_file_open(&f, argv[1], &e) ||
        llmcost_file_output_shape(f, "pretrain_cost", &rank, dims, names, &e))
        return fail("open", &e);
    uint64_t n = 1;
    for (int k = 0; k < rank; k++) {
        printf("dim %d: %s = %llu\n", k, names[k], (unsigned long long)dims[k]);
        n *= dims[k];
    }
    double *v = malloc(n * sizeof *v), min = INFINITY, sum = 0;
    if (!v || llmcost_file_read(f, "pretrain_cost", v, n, &e))
        return fail("read", &e);
    for (uint64_t i = 0; i < n; i++) {
        if (v[i] < min)
            min = v[i];
        sum += v[i];
    }
    free(v);
    llmcost_file_close(f);
    int same = n == sc.n && min == sc.min && sum == sc.sum;
    printf("file: %llu values, min %.17g USD: %s\n", (unsigned long long)n, min,
           same ? "identical to the callback" : "DIFFERENT from the callback");
    return same ? 0 : 1;
}
