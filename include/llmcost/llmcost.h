/*
 * llmcost.h - the public C API of llmcost (libllmcost).
 *
 * This is the one installed header: a C program includes <llmcost/llmcost.h>
 * and links with `pkg-config --cflags --libs llmcost`.  It needs no HDF5,
 * MPI, OpenMP or internal llmcost header; every other header in the source
 * tree is private and may change without notice.
 *
 * Three things a program can do:
 *   1. evaluate the cost model at one point (llmcost_point_*): inputs by name,
 *      outputs by name, exactly the numbers `llmcost eval` prints;
 *   2. run a sweep spec (the INI format of `llmcost sweep`, see doc/spec.md)
 *      into an HDF5 file (llmcost_sweep_to_file), or into a callback that
 *      receives the grid block by block, in bounded memory, from the same
 *      vectorized, multi-threaded kernel (llmcost_sweep_each);
 *   3. read a sweep file back (llmcost_file_*): its outputs, their
 *      dimensions and values.
 *
 * Errors: every function that can fail returns an llmcost_status (0 = OK,
 * negative = an error) and, when `err` is not NULL, fills it with a one-line
 * message that names the file and line where one is involved.  The values
 * are those of the command's exit codes' causes (see llmcost(1)).
 *
 * Thread safety: distinct objects may be used from distinct threads; one
 * object must not be used by two threads at once.  NaN is the value of an
 * output without a finite answer (e.g. no break-even), never an error.
 */
#ifndef LLMCOST_LLMCOST_H
#define LLMCOST_LLMCOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LLMCOST_API_VERSION 1

typedef enum {
    LLMCOST_OK = 0,
    LLMCOST_EINVAL = -1,     /* bad value, option or spec */
    LLMCOST_ESYNTAX = -2,    /* malformed spec, catalogue or number */
    LLMCOST_ENOTFOUND = -3,  /* unknown name: input, output, GPU, file */
    LLMCOST_ERANGE = -4,     /* value out of its valid range, overflow */
    LLMCOST_EEXIST = -5,     /* output file exists and force == 0 */
    LLMCOST_ENOBREAKEVEN = -6,
    LLMCOST_EIO = -7,        /* read/write failed, disk full */
    LLMCOST_ENOMEM = -8,
    LLMCOST_EHDF5 = -9,
    LLMCOST_EFORMAT = -10,   /* a file is not what llmcost expects */
    LLMCOST_EINTR = -11,     /* stopped: the callback asked to stop */
    LLMCOST_EINTERNAL = -12
} llmcost_status;

typedef struct {
    llmcost_status status;
    char message[1600];
} llmcost_error;

/* "0.1.0" and the library's API version (LLMCOST_API_VERSION it was built with). */
const char *llmcost_version(void);
int llmcost_api_version(void);

/* ---- the model's names ---------------------------------------------------- */
/* Inputs and outputs are numbered 0 .. count-1; names, units and descriptions
 * are those of `llmcost eval --help` and of the HDF5 attributes. */
int llmcost_input_count(void);
const char *llmcost_input_name(int i);   /* NULL when i is out of range */
const char *llmcost_input_unit(int i);
double llmcost_input_default(int i);
int llmcost_output_count(void);
const char *llmcost_output_name(int i);
const char *llmcost_output_unit(int i);
const char *llmcost_output_description(int i);

/* ---- one point -------------------------------------------------------------- */
typedef struct llmcost_point llmcost_point;

/* A point with every input at its default (the article's values).  NULL when
 * out of memory. */
llmcost_point *llmcost_point_new(void);
void llmcost_point_free(llmcost_point *p);

/* Set an input by name ("params", "tokens", ...).  The value is checked
 * against the input's valid range (LLMCOST_ERANGE) and must be finite.  As in
 * `llmcost eval`, util_infer follows util until it is set itself. */
llmcost_status llmcost_point_set(llmcost_point *p, const char *input, double value,
                                 llmcost_error *err);
llmcost_status llmcost_point_get_input(const llmcost_point *p, const char *input,
                                       double *value, llmcost_error *err);

/* Presets from the built-in catalogue (`llmcost catalog`), names
 * case-insensitive, as `llmcost eval --gpu NAME` and `--arch NAME`.
 *
 * Order rule: a preset writes the inputs it gives when it is called, over
 * whatever they held; an input the preset does not give keeps its value.
 * The calls act in order, the last write wins: set the presets first and
 * the inputs you mean to override after, and the point equals
 * `llmcost eval --arch A --gpu G --INPUT V` (where an explicit option
 * always wins).  Unknown name: LLMCOST_ENOTFOUND, the message lists the
 * known names; the point is then unchanged.
 *
 * set_gpu: flops, hbm_bw, power_w, price_hour (the reference price record)
 * and gpu_mem where the entry states it ("A100", "H100", ...).  A GPU that
 * states no price (Gaudi3) or no board power (the TPUs) sets the rest and
 * owes that input: unless llmcost_point_set gave it before, or gives it
 * after, llmcost_point_eval refuses with LLMCOST_EINVAL (never a default
 * price or power), as `llmcost eval --gpu` does without --price-hour or
 * --power-w.
 * set_arch: the shape of a published model ("llama-3.1-70b", ...): params,
 * params_active, layers, d_model, heads, kv_heads, head_dim, kv_dim,
 * context and train_seq_len, each where the preset gives it. */
llmcost_status llmcost_point_set_gpu(llmcost_point *p, const char *gpu, llmcost_error *err);
llmcost_status llmcost_point_set_arch(llmcost_point *p, const char *arch, llmcost_error *err);

/* The preset names, numbered 0 .. count-1 in catalogue order; NULL when i
 * is out of range.  The strings live as long as the process. */
int llmcost_gpu_count(void);
const char *llmcost_gpu_name(int i);
int llmcost_arch_count(void);
const char *llmcost_arch_name(int i);

/* tokens = 20 x params (Chinchilla-optimal), following later changes of
 * params, as `llmcost eval --chinchilla`; 0 turns it off. */
void llmcost_point_set_chinchilla(llmcost_point *p, int on);

/* The value of an output by name at the point. */
llmcost_status llmcost_point_eval(const llmcost_point *p, const char *output, double *value,
                                  llmcost_error *err);

/* ---- sweeps -------------------------------------------------------------- */
typedef struct llmcost_spec llmcost_spec;

/* Parse a sweep spec from a file, or from text (`name` is used in messages). */
llmcost_status llmcost_spec_load(llmcost_spec **s, const char *path, llmcost_error *err);
llmcost_status llmcost_spec_parse(llmcost_spec **s, const char *text, size_t len,
                                  const char *name, llmcost_error *err);
void llmcost_spec_free(llmcost_spec *s);

/* The full grid's points and axes (names, lengths, values: the gpu axis'
 * values are 0, 1, ... and llmcost_spec_axis_label names them). */
uint64_t llmcost_spec_points(const llmcost_spec *s);
int llmcost_spec_axis_count(const llmcost_spec *s);
const char *llmcost_spec_axis_name(const llmcost_spec *s, int axis);
uint64_t llmcost_spec_axis_length(const llmcost_spec *s, int axis);
double llmcost_spec_axis_value(const llmcost_spec *s, int axis, uint64_t i);
const char *llmcost_spec_axis_label(const llmcost_spec *s, int axis, uint64_t i);

/* Run the sweep into an HDF5 file (the spec's output when path is NULL),
 * exactly as `llmcost sweep` writes it: written to PATH.partial and renamed
 * when complete; LLMCOST_EEXIST when PATH exists and force == 0.
 * threads: 0 = the spec's or all. */
llmcost_status llmcost_sweep_to_file(const llmcost_spec *s, const char *path, int threads,
                                     int force, llmcost_error *err);

/* Evaluate `output` over the FULL grid of the spec (every axis, row-major,
 * the last axis contiguous) and hand it to fn block by block: a block is the
 * box [origin, origin + extent) of the grid, its values row-major in
 * `values` (extent[0] x ... x extent[rank-1] doubles, valid during the call
 * only).  Blocks come in grid order, from the calling thread; the
 * evaluation itself uses `threads` threads (0 = all).  Memory is bounded by
 * threads x block size, never by the grid.  fn returns 0 to go on, non-zero
 * to stop (the call then returns LLMCOST_EINTR).  Values are bit-identical
 * to the file llmcost_sweep_to_file writes (layout "broadcast"). */
typedef int (*llmcost_block_fn)(void *user, int rank, const uint64_t *origin,
                                const uint64_t *extent, const double *values);
llmcost_status llmcost_sweep_each(const llmcost_spec *s, const char *output, int threads,
                                  llmcost_block_fn fn, void *user, llmcost_error *err);

/* ---- reading a sweep file -------------------------------------------------- */
typedef struct llmcost_file llmcost_file;

/* Open a finished sweep file ("llmcost-sweep/1"); LLMCOST_EFORMAT when it is
 * not one. */
llmcost_status llmcost_file_open(llmcost_file **f, const char *path, llmcost_error *err);
void llmcost_file_close(llmcost_file *f);

/* The stored outputs (names) of the file. */
int llmcost_file_output_count(const llmcost_file *f);
const char *llmcost_file_output_name(const llmcost_file *f, int i);

/* An output's dimensions: rank (0 for a scalar) and up to 16 dims with the
 * names of their axes (valid while f is open). */
llmcost_status llmcost_file_output_shape(const llmcost_file *f, const char *output, int *rank,
                                         uint64_t dims[16], const char *dim_names[16],
                                         llmcost_error *err);

/* Read an output's values as doubles, row-major; n must equal the product of
 * its dims (LLMCOST_EINVAL otherwise). */
llmcost_status llmcost_file_read(const llmcost_file *f, const char *output, double *values,
                                 uint64_t n, llmcost_error *err);

#ifdef __cplusplus
}
#endif

#endif
