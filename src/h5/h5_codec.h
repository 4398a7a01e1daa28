/*
 * h5_codec.h - the chunk codecs (h5_codec.c) the engine runs in its worker
 * threads, so the writer only copies bytes: shuffle, zlib, LZ4, Blosc.
 */
#ifndef LLMCOST_H5_CODEC_H
#define LLMCOST_H5_CODEC_H

#include <stddef.h>

#include "spec/spec.h"
#include "util/status.h"

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

#endif
