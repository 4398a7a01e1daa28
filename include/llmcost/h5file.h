/*
 * h5file.h - the llmcost sweep file (HDF5, format "llmcost-sweep/1"; the
 * layout is in doc/file-format.md): a writer used by the sweep engine, the
 * chunk codecs the engine runs in its worker threads, and small reader
 * helpers for `llmcost info` and other readers.
 *
 * Every HDF5 call is checked; the library's own error printing is turned
 * off (lc_h5_quiet) and failures come back as LC_EHDF5 with a message that
 * names the object and the innermost HDF5 error.
 */
#ifndef LLMCOST_H5FILE_H
#define LLMCOST_H5FILE_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "llmcost/spec.h"
#include "llmcost/status.h"
#include "llmcost/sweep.h"

#define LC_H5_FORMAT "llmcost-sweep/1"
#define LC_H5_FILTER_LZ4 32004
#define LC_H5_FILTER_BLOSC 32001

/* Silence HDF5's automatic error printing (idempotent, thread-safe enough:
 * call it before any other HDF5 call). */
void lc_h5_quiet(void);

/* The innermost message on HDF5's error stack ("" when none). */
void lc_h5_error_text(char *buf, size_t size);

/* 1 when the codec can be used here (plugin filters need the plugin). */
int lc_h5_codec_available(lc_codec c);
const char *lc_codec_name(lc_codec c);

/* Codecs the engine applies itself, in worker threads, so the writer only
 * copies bytes: byte shuffle (HDF5's layout), zlib (HDF5's deflate filter
 * writes the same stream), the LZ4 and Blosc plugins' formats.  1 for every
 * codec in one process; 0 under several MPI ranks (HDF5 filters then). */
int lc_codec_precompressed(lc_codec c);

/* Blosc's compressor code of a Blosc codec (the filter's cd_values[6]), -1
 * for the others; 1 when the linked library has the codec's compressor. */
int lc_codec_blosc_compressor(lc_codec c);
int lc_codec_linked(lc_codec c);

/* 1 when lc_chunk_encode needs its scratch buffer (raw_bytes) for a shuffle. */
int lc_codec_scratch(lc_codec c);

/* Upper bound of an encoded chunk of raw_bytes. */
size_t lc_chunk_encode_bound(lc_codec c, size_t raw_bytes);

/* Encode one chunk: shuffle (if the codec has it) into scratch, then
 * deflate into out.  For LC_CODEC_NONE out is not touched and *out_len =
 * raw_bytes (write raw directly). */
lc_status lc_chunk_encode(lc_codec c, int level, size_t elem_bytes, const void *raw,
                          size_t raw_bytes, void *scratch, void *out, size_t out_cap,
                          size_t *out_len, lc_diag *d);
/* The same, also giving the HDF5 filter mask of the chunk (bit i set:
 * optional filter i of the pipeline skipped, as HDF5 does when the Blosc
 * plugin cannot shrink a chunk), for lc_h5w_chunk_mask. */
lc_status lc_chunk_encode_mask(lc_codec c, int level, size_t elem_bytes, const void *raw,
                               size_t raw_bytes, void *scratch, void *out, size_t out_cap,
                               size_t *out_len, unsigned *mask, lc_diag *d);

/* ---- writer ---------------------------------------------------------------- */
typedef struct lc_h5w lc_h5w;

typedef struct {
    const char *isa;
    int threads;
    uint64_t grid_points;
    const char *const *extra_attrs; /* root string attributes name, value, ..., NULL */
} lc_h5_prov;

/* Create the file at path exclusively (H5F_ACC_EXCL: an existing file or
 * symbolic link there is refused, never truncated; --force unlinks first),
 * with creation order tracked, write the
 * axes (dimension scales), the root attributes and create one dataset per
 * stored output (dims/chunk per output given by the caller). */
lc_status lc_h5w_create(lc_h5w **w, const char *path, const lc_spec *s,
                        const lc_h5_prov *prov, lc_diag *d);

/* Resume (cluster.h): open an existing sweep file written by lc_h5w_create
 * for adding chunks; lc_h5w_dataset then opens each dataset (same order,
 * dims and chunk shape, else LC_EFORMAT) instead of creating it, and
 * lc_h5w_summary replaces a /summary already there. */
lc_status lc_h5w_reopen(lc_h5w **w, const char *path, const lc_spec *s, lc_diag *d);

/* The same on this process only, also in an MPI run (rank 0 writes the
 * /summary alone: parallel HDF5 cannot write variable-length strings). */
lc_status lc_h5w_reopen_local(lc_h5w **w, const char *path, const lc_spec *s, lc_diag *d);

/* H5Fflush: everything written so far reaches the file (not fsync). */
lc_status lc_h5w_flush(lc_h5w *w, lc_diag *d);

/* The MPI build, run on several ranks: rank 0 creates the file alone
 * (lc_h5w_create), then every rank lc_h5w_reopen's it with the MPI-IO
 * driver; from there every call is collective - lc_h5w_chunk with
 * data == NULL is this rank's empty share of a collective write. */

/* Create the dataset of stored output `output` over the spec axes
 * axes[0..rank-1] (grid order) with the given chunk shape; returns its
 * index for lc_h5w_chunk. */
lc_status lc_h5w_dataset(lc_h5w *w, int output, int rank, const int *axes,
                         const uint64_t *dims, const uint64_t *chunk, int *index,
                         lc_diag *d);

/* Write one chunk.  When the codec is applied by the engine, data holds the
 * encoded (or raw) bytes of the full chunk shape; otherwise the raw values
 * in the full chunk shape and HDF5 filters them (extent = the valid part). */
lc_status lc_h5w_chunk(lc_h5w *w, int index, const uint64_t *origin,
                       const uint64_t *extent, const void *data, size_t nbytes,
                       lc_diag *d);
/* lc_h5w_chunk with the filter mask of engine-encoded bytes. */
lc_status lc_h5w_chunk_mask(lc_h5w *w, int index, const uint64_t *origin,
                            const uint64_t *extent, const void *data, size_t nbytes,
                            unsigned mask, lc_diag *d);

/* The /summary group from the reductions. */
lc_status lc_h5w_summary(lc_h5w *w, const lc_sweep_result *r, lc_diag *d);

/* Close everything and fsync the file; frees w (also on failure). */
lc_status lc_h5w_close(lc_h5w *w, lc_diag *d);

/* After a write failed (a full disk): keep the file exactly as its last
 * successful flush left it, which is what the resume journal vouches for.
 * HDF5's descriptor is replaced by a read-only one, so the close that
 * follows cannot write half of its newer metadata (a half-written index
 * made the .partial unreadable).  Serial (sec2) files only; 1 if frozen. */
int lc_h5w_freeze(lc_h5w *w);

/* ---- reader helpers ------------------------------------------------------ */
/* Open an llmcost sweep file read-only: LC_EINVAL when it is not a regular
 * file (a FIFO would block), LC_EFORMAT when it is not HDF5 or its format
 * attribute is not "llmcost-sweep/1" (message says which). */
lc_status lc_h5_open_sweep(const char *path, hid_t *file, lc_diag *d);

/* Before reading a dataset whole: LC_EFORMAT (naming PATH and NAME) when
 * the points it declares need more bytes than the file really holds for it
 * (storage size; about 1000:1 when filtered), so that a small forged file
 * cannot make a reader allocate gigabytes. */
lc_status lc_h5_check_extent(hid_t ds, const char *path, const char *name, lc_diag *d);

/* The structure info and slice rely on, beyond the format attribute: AXES
 * (the root "axes" attribute, NULL when missing) names 1-D datasets whose
 * lengths the file really holds, and every output (a dataset with a
 * "formula") has an axis attached to each dimension, of that dimension's
 * length.  0 with MSG saying what is wrong, else 1.  Used by info and by
 * merge's shard check. */
int lc_h5_valid_sweep(hid_t f, const char *axes, char *msg, size_t size);

/* A string attribute (variable- or fixed-length) into buf; LC_ENOTFOUND. */
lc_status lc_h5_attr_string(hid_t obj, const char *name, char *buf, size_t size);
/* Heap copy of a string attribute (free it), NULL when absent. */
char *lc_h5_attr_string_dup(hid_t obj, const char *name);
lc_status lc_h5_attr_double(hid_t obj, const char *name, double *v);
lc_status lc_h5_attr_u64(hid_t obj, const char *name, uint64_t *v);
/* Write a scalar UTF-8 variable-length string attribute; 1 ok, 0 failed. */
int lc_h5_attr_write_string(hid_t obj, const char *name, const char *value);

/* ---- a finished file as a table of stored outputs (h5_outputs.c) ------- */
#define LC_H5_OUT_MAX_RANK 16
typedef struct {
    int rank;                                 /* 0: a scalar */
    uint64_t dims[LC_H5_OUT_MAX_RANK];
    char dim_name[LC_H5_OUT_MAX_RANK][64];    /* the attached scale's name */
} lc_h5_out_shape;
typedef struct lc_h5_outputs lc_h5_outputs;
/* Open (lc_h5_open_sweep) and list the stored outputs with their shapes. */
lc_status lc_h5_outputs_open(lc_h5_outputs **f, const char *path, lc_diag *d);
void lc_h5_outputs_close(lc_h5_outputs *f);
int lc_h5_outputs_count(const lc_h5_outputs *f);
const char *lc_h5_outputs_name(const lc_h5_outputs *f, int i);
/* NULL (and d set, LC_ENOTFOUND) when the output is not stored. */
const lc_h5_out_shape *lc_h5_outputs_shape(const lc_h5_outputs *f, const char *output,
                                           lc_diag *d);
/* All values as doubles, row-major; n must be the product of the dims. */
lc_status lc_h5_outputs_read(const lc_h5_outputs *f, const char *output, double *values,
                             uint64_t n, lc_diag *d);

#endif
