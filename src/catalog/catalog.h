/*
 * catalog.h - the GPU and API price catalogues, with dated price records,
 * and the model architecture presets ([arch NAME]).
 *
 * The data lives in sweeps/catalog.ini (a copy is compiled into the binary
 * as the default); `--catalog FILE` replaces it and `--catalog-add FILE`
 * adds or overrides entries on top of it.  Loading validates every entry
 * (required fields present, values in range, every price record with a
 * source and a date, dates of one price series in increasing order) and
 * reports file:line.  doc/prices.md describes the format.
 *
 * Each GPU and API model has any number of price records.  The record
 * written in the entry's own section is its reference record: the one used
 * when no date or kind is asked for (the article's A100 record, the price a
 * --catalog-add file sets).  lc_catalog_select picks, for every entry, the
 * latest record at or before a date ("latest": of all) in the series of the
 * reference record (for GPUs its kind and provider class; --price-kind /
 * --price-provider pick another) and copies it into the entry's "selected"
 * fields (price_hour, price_in, ...), which every consumer reads.
 */
#ifndef LLMCOST_CATALOG_H
#define LLMCOST_CATALOG_H

#include <stddef.h>

#include "util/status.h"

/* GPU price kinds and provider classes (names as written in the file). */
enum { LC_KIND_ON_DEMAND, LC_KIND_RESERVED_1Y, LC_KIND_RESERVED_3Y, LC_KIND_SPOT,
       LC_KIND_COUNT };
enum { LC_PROV_HYPERSCALER, LC_PROV_GPU_CLOUD, LC_PROV_COUNT };
const char *lc_price_kind_name(int kind);         /* "on-demand", ... */
int lc_price_kind_find(const char *name);         /* -1 when unknown */
const char *lc_provider_class_name(int cls);      /* "hyperscaler", "gpu-cloud" */
int lc_provider_class_find(const char *name);     /* -1 when unknown */

/* A date "YYYY", "YYYY-MM" or "YYYY-MM-DD" as a comparable number YYYYMMDD
 * (a month alone counts as its first day, a year as its 1 January), or
 * "latest" (LC_PRICE_LATEST, after every record).  LC_ESYNTAX with a message
 * when bad. */
#define LC_PRICE_LATEST 99991231L
lc_status lc_price_date_parse(const char *text, long *day, lc_diag *d);

typedef struct {
    int kind;          /* LC_KIND_* */
    int provider;      /* LC_PROV_* */
    double price_hour; /* USD per GPU-hour */
    char date[16];
    long day;          /* date as YYYYMMDD */
    char source[200];
    int line;          /* line of the record in its file */
} lc_gpu_price;

typedef struct {
    double price_in, price_out; /* USD per 1K tokens */
    /* < 0: the provider does not offer it */
    double cached_in;           /* USD per 1K input tokens read from the prompt cache */
    double cache_write;         /* USD per 1K input tokens written to the cache */
    double batch_discount;      /* share off every token price with the batch API (0.5) */
    /* long-context tier: when a request's input exceeds long_threshold tokens,
     * its tokens are billed at the long_* prices (0 threshold: no tier;
     * long_cached_in / long_cache_write < 0: not offered above it) */
    double long_threshold;
    double long_in, long_out, long_cached_in, long_cache_write;
    char date[16];
    long day;
    char source[200];
    int line;
} lc_api_price;

typedef struct {
    char name[64];
    double flops;      /* peak dense BF16 FLOP/s */
    double hbm_bw;     /* byte/s */
    double power_w;    /* W */
    /* gpu_mem: bytes as the vendor states them (80 GB = 80e9); flops_fp8:
     * peak dense FP8 FLOP/s; 0 = unknown (or, for FP8, none) */
    double gpu_mem, flops_fp8;
    char spec_source[200]; /* source of the hardware figures ("" = not given) */
    char spec_date[16];
    /* the selected price record (the reference record after loading) */
    double price_hour; /* USD per GPU-hour */
    char price_source[200];
    char price_date[32];
    int price_kind, price_provider;
    lc_gpu_price *prices; /* every record, in file order */
    int n_prices;
    int ref;              /* index of the reference record */
    int sel;              /* index of the selected record; -1: none (select_error) */
    char select_error[256];
    int line;          /* line of the section header */
} lc_gpu;

/* The model inputs a catalogue GPU sets (LC_IN_FLOPS, LC_IN_HBM_BW,
 * LC_IN_POWER_W, LC_IN_PRICE_HOUR, LC_IN_GPU_MEM), in lc_input order: the
 * one list every consumer (eval, specs, gpu axes, sensitivity, HDF5
 * columns, the C API) iterates. */
#define LC_GPU_INPUTS 5
extern const int lc_gpu_inputs[LC_GPU_INPUTS];
/* The value g gives input lc_gpu_inputs[k] (its selected price for
 * price_hour); NaN where the entry does not state it (gpu_mem not given):
 * the input then keeps its own value (given or default), and a gpu axis
 * holds that value at the GPU's point. */
double lc_gpu_input(const lc_gpu *g, int k);

/* A catalogue GPU's numbers as a gpu axis or a choice keeps them:
 * v[k] is the value of lc_gpu_inputs[k]. */
typedef struct {
    double v[LC_GPU_INPUTS];
} lc_gpu_values;
lc_gpu_values lc_gpu_values_of(const lc_gpu *g);

/* The inputs a GPU must state to be used on its own: its board power
 * (power_w; a vendor that publishes none, as Google for its TPUs, leaves it
 * out) and its price (price_hour; an accelerator with no public rental
 * price, as Gaudi 3, has no price record).  Such a GPU is used only where
 * the input is given explicitly (an option, [inputs], its own axis or
 * distribution): a default power or price would make every energy or cost
 * output a silent wrong number, so every consumer refuses it with
 * lc_gpu_missing_text. */
#define LC_GPU_POWER_K 2 /* index of LC_IN_POWER_W in lc_gpu_inputs */
#define LC_GPU_PRICE_K 3 /* index of LC_IN_PRICE_HOUR in lc_gpu_inputs */
int lc_gpu_input_needed(int k); /* 1 for LC_GPU_POWER_K and LC_GPU_PRICE_K */
/* The refusal for GPU `gpu` leaving out needed input k, into buf. */
const char *lc_gpu_missing_text(int k, const char *gpu, char *buf, size_t n);
/* The same refusal, saying how to give the input in `how` (NULL: the
 * command line's "--price-hour USD, or price_hour in [inputs]"). */
const char *lc_gpu_missing_text_how(int k, const char *gpu, const char *how, char *buf,
                                    size_t n);
/* The first input g leaves out of those it needs (k, with lc_gpu_input NaN)
 * that given (indexed by lc_input, may be NULL: nothing given) does not
 * supply; -1 when g can be used. */
int lc_gpu_missing(const lc_gpu *g, const int *given);

typedef struct {
    char name[64];
    char provider[64];      /* "OpenAI", ...; "" when not given */
    double context_window;  /* tokens; 0 = not given */
    /* the selected price record (the reference record after loading) */
    double price_in, price_out; /* USD per 1K tokens */
    char source[200];
    char date[32];
    lc_api_price *prices;
    int n_prices;
    int ref, sel;
    char select_error[256];
    int line;
} lc_api;

/* What lc_catalog_select picks: day 0 and no kind or class = the reference
 * records; day 0 with a kind or class = the latest record of that series;
 * kind / provider -1 = the kind / provider class of each GPU's reference
 * record (provider -1 with a kind given: any class, the reference's class
 * winning a tie). */
typedef struct {
    long day;
    char date[16]; /* as written */
    int kind, provider;
} lc_price_query;

/* A model architecture preset ([arch NAME]): the shape of a published model
 * as its config states it.  0 = not given (a rumoured architecture may give
 * only params); lc_arch_apply turns the given fields into model inputs. */
typedef struct {
    char name[64];
    double params;        /* total parameters */
    double params_active; /* parameters used per token (MoE); 0 = params */
    double layers, d_model, heads, kv_heads;
    double head_dim;      /* 0 = d_model / heads */
    double kv_dim;        /* KV elements per token per layer (MLA: compressed
                           * width); 0 = 2 * kv_heads * head_dim */
    double context;       /* native context window, tokens */
    double train_seq_len; /* sequence length it was pretrained at; 0 = not given */
    int rumoured;         /* figures are rumours, not a published config */
    char source[200];
    char date[16];
    int line;             /* line of the section header */
} lc_arch;

/* The architecture fields that set a model input of the same name, in
 * this order (params, params_active, layers, d_model, heads, kv_heads,
 * head_dim, kv_dim, context, train_seq_len). */
#define LC_ARCH_FIELDS 10
extern const char *const lc_arch_field_names[LC_ARCH_FIELDS];
/* The value of field k of an architecture (0 = not given). */
double lc_arch_field(const lc_arch *a, int k);
/* The model input field k sets (lc_input_find of its name), -1 while the
 * model has no input of that name. */
int lc_arch_field_input(int k);
/* Set in[] (the model's LC_IN_COUNT inputs) from the fields a gives; a
 * field not given sets its input's default when defaults is 1 (an axis:
 * every point sets the same inputs), and is skipped when 0.  set[i] = 1 for
 * every input written (set may be NULL).  Returns how many were written. */
int lc_arch_apply(const lc_arch *a, double *in, int *set, int defaults);

typedef struct {
    lc_gpu *gpus;
    int n_gpus;
    lc_api *apis;
    int n_apis;
    lc_arch *archs;
    int n_archs;
    char origin[512]; /* file it came from, or "built-in" ("+ FILE" when added to) */
    lc_price_query query; /* the selection in effect (set by lc_catalog_select) */
    int query_set;        /* 1 when a selection was asked for (--price-date/--price-kind) */
} lc_catalog;

/* Load from path, or the built-in copy when path is NULL.  On error the
 * catalogue is left empty (safe to free). */
lc_status lc_catalog_load(lc_catalog *c, const char *path, lc_diag *d);
/* Add the entries and records of `path` on top of a loaded catalogue: a
 * section of a new name adds an entry (every required field), a section of
 * an existing name overrides the fields it gives (its price fields add a
 * record that becomes the reference), price sections add records (one of
 * the same series and date replaces the old).  On error c is unchanged. */
lc_status lc_catalog_add(lc_catalog *c, const char *path, lc_diag *d);
void lc_catalog_free(lc_catalog *c);
/* Deep copy (dst is overwritten, free it with lc_catalog_free). */
lc_status lc_catalog_copy(lc_catalog *dst, const lc_catalog *src);

/* A query with no date and the reference kinds. */
void lc_price_query_init(lc_price_query *q);
/* Select every entry's record for q (see lc_price_query).  An entry without
 * a matching record keeps sel = -1 and says why in select_error (naming the
 * first date it has); lc_catalog_gpu / lc_catalog_api then return NULL for
 * it, lc_catalog_gpu_entry / lc_catalog_api_entry still find it. */
void lc_catalog_select(lc_catalog *c, const lc_price_query *q);
/* The record of g / a that q picks, -1 if none (why: a message, may be NULL). */
int lc_gpu_pick(const lc_gpu *g, const lc_price_query *q, char *why, size_t n);
int lc_api_pick(const lc_api *a, const lc_price_query *q, char *why, size_t n);

/* Look up by name, case-insensitively; NULL when absent or when the
 * selection found no record for it (a GPU with no price record at all is
 * returned, with price_hour NaN: lc_gpu_missing). */
const lc_gpu *lc_catalog_gpu(const lc_catalog *c, const char *name);
const lc_api *lc_catalog_api(const lc_catalog *c, const char *name);
/* Same, also for an entry without a selected record. */
const lc_gpu *lc_catalog_gpu_entry(const lc_catalog *c, const char *name);
const lc_api *lc_catalog_api_entry(const lc_catalog *c, const char *name);

/* An architecture by name, case-insensitively; NULL when absent. */
const lc_arch *lc_catalog_arch(const lc_catalog *c, const char *name);

/* The kinds of catalogue entry, for lc_catalog_unknown. */
typedef enum { LC_CAT_GPU, LC_CAT_API, LC_CAT_ARCH } lc_cat_kind;
/* The one message for a name that lc_catalog_gpu / _api / _arch did not
 * find: "unknown architecture 'X' (known: a, b, ...; HINT)" (hint may be
 * NULL), or the entry's select_error when it exists but the price selection
 * found no record for it.  Sets d (file may be NULL) and returns
 * LC_ENOTFOUND. */
lc_status lc_catalog_unknown(const lc_catalog *c, lc_cat_kind kind, const char *name,
                             const char *hint, const char *file, int line, lc_diag *d);

/* The selected record of an entry (NULL when none). */
const lc_gpu_price *lc_gpu_record(const lc_gpu *g);
const lc_api_price *lc_api_record(const lc_api *a);

/* The built-in catalogue text (generated from sweeps/catalog.ini). */
extern const char lc_catalog_builtin_text[];

#endif
