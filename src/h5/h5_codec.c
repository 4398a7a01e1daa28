/*
 * h5_codec.c - chunk codecs run by the sweep's worker threads, producing
 * exactly the bytes (and filter mask) HDF5's filter pipeline would store,
 * so the writer thread only hands finished chunks to H5Dwrite_chunk:
 *   deflate, shuffle+deflate  HDF5's byte shuffle and zlib's compress2
 *                             (checked against HDF5 in tests/test_h5.c);
 *   lz4                       HDF5's shuffle, then the LZ4 filter plugin's
 *                             format (filter 32004, hdf5-filter-plugin);
 *   blosc, blosc-zstd         the Blosc filter plugin's output (filter 32001,
 *                             hdf5-filter-plugin-blosc): one blosc frame, lz4
 *                             or zstd inside (zstd where libblosc has it).
 * tests/test_codecs.c compares every codec's bytes and masks with the
 * plugins' own on smooth, constant and incompressible data, and
 * tests/py_codecs.py does so chunk by chunk on sweep files via h5py.
 *
 * The plugins' formats (their sources and the bytes they write):
 *   LZ4 (H5Zlz4.c): u64 big-endian input size | u32 big-endian block size
 *     (1 GiB capped at the input size) | per block: u32 big-endian stored
 *     size, then LZ4_compress_default's output, or the block itself when
 *     that is not smaller than the block (stored size == block size).
 *   Blosc (blosc_filter.c): blosc_compress(level, shuffle, typesize, n, in,
 *     out, destsize = n) with the pipeline's cd_values {.., level 5,
 *     shuffle 1, compressor}; when the frame does not fit in n bytes the
 *     filter fails, and as it is optional HDF5 stores the chunk unfiltered
 *     with bit 0 of the filter mask set.  Here blosc_compress_ctx with one
 *     internal thread: the same frame, thread-safe, no global state.
 */
#include <blosc.h>
#include <lz4.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "par/par_mpi.h"
#include "h5/h5_codec.h"

#define LZ4_PLUGIN_BLOCK ((size_t)1 << 30) /* the plugin's default block */

const char *lc_codec_name(lc_codec c)
{
    switch (c) {
    case LC_CODEC_NONE: return "none";
    case LC_CODEC_DEFLATE: return "deflate";
    case LC_CODEC_SHUFFLE_DEFLATE: return "shuffle+deflate";
    case LC_CODEC_LZ4: return "lz4";
    case LC_CODEC_BLOSC: return "blosc";
    case LC_CODEC_BLOSC_ZSTD: return "blosc-zstd";
    }
    return "?";
}

int lc_codec_precompressed(lc_codec c)
{
    /* Several MPI ranks: parallel HDF5 has no direct chunk write, so HDF5's
     * own filters compress (collectively) and the engine hands raw values. */
    if (lc_par_size() > 1)
        return 0;
    return c == LC_CODEC_NONE || c == LC_CODEC_DEFLATE || c == LC_CODEC_SHUFFLE_DEFLATE ||
           c == LC_CODEC_LZ4 || c == LC_CODEC_BLOSC || c == LC_CODEC_BLOSC_ZSTD;
}

int lc_codec_blosc_compressor(lc_codec c)
{
    return c == LC_CODEC_BLOSC ? BLOSC_LZ4 : c == LC_CODEC_BLOSC_ZSTD ? BLOSC_ZSTD : -1;
}

int lc_codec_linked(lc_codec c)
{
    const char *name = c == LC_CODEC_BLOSC ? "lz4" : c == LC_CODEC_BLOSC_ZSTD ? "zstd" : NULL;
    return name == NULL || blosc_compname_to_compcode(name) >= 0;
}

int lc_codec_scratch(lc_codec c)
{
    return c == LC_CODEC_SHUFFLE_DEFLATE || c == LC_CODEC_LZ4;
}

size_t lc_chunk_encode_bound(lc_codec c, size_t raw_bytes)
{
    switch (c) {
    case LC_CODEC_DEFLATE:
    case LC_CODEC_SHUFFLE_DEFLATE:
        return (size_t)compressBound((uLong)raw_bytes);
    case LC_CODEC_LZ4: {
        size_t blocks = raw_bytes ? (raw_bytes - 1) / LZ4_PLUGIN_BLOCK + 1 : 0;
        return 12 + 4 * blocks + (size_t)LZ4_compressBound((int)raw_bytes);
    }
    case LC_CODEC_BLOSC:
    case LC_CODEC_BLOSC_ZSTD:
        return raw_bytes + BLOSC_MAX_OVERHEAD;
    case LC_CODEC_NONE:
        break;
    }
    return raw_bytes;
}

/* Swap the k-byte blocks of a pair of words (a, b) of an 8 x 8 byte matrix
 * (row = word, column = byte, little end first): a's columns with bit k set
 * trade places with b's columns with bit k clear.  Three rounds (k = 4, 2,
 * 1) transpose the matrix. */
#define SWAP_BLOCKS(a, b, k, m)                                    \
    do {                                                           \
        uint64_t t_ = (((a) >> (8 * (k))) ^ (b)) & (m);            \
        (b) ^= t_;                                                 \
        (a) ^= t_ << (8 * (k));                                    \
    } while (0)

static void shuffle8(const unsigned char *restrict in, unsigned char *restrict out, size_t n)
{
    const uint64_t m4 = 0x00000000ffffffffULL, m2 = 0x0000ffff0000ffffULL,
                   m1 = 0x00ff00ff00ff00ffULL;
    size_t e = 0;
    for (; e + 8 <= n; e += 8) { /* 8 elements: an 8 x 8 byte transpose */
        uint64_t x[8];
        memcpy(x, in + e * 8, 64);
        for (int r = 0; r < 4; r++)
            SWAP_BLOCKS(x[r], x[r + 4], 4, m4);
        for (int r = 0; r < 8; r += 4) {
            SWAP_BLOCKS(x[r], x[r + 2], 2, m2);
            SWAP_BLOCKS(x[r + 1], x[r + 3], 2, m2);
        }
        for (int r = 0; r < 8; r += 2)
            SWAP_BLOCKS(x[r], x[r + 1], 1, m1);
        for (int b = 0; b < 8; b++) /* x[b] = byte b of the 8 elements */
            memcpy(out + (size_t)b * n + e, &x[b], 8);
    }
    for (; e < n; e++)
        for (size_t b = 0; b < 8; b++)
            out[b * n + e] = in[e * 8 + b];
}

static void shuffle4(const unsigned char *restrict in, unsigned char *restrict out, size_t n)
{
    const uint64_t m2 = 0x0000ffff0000ffffULL, m1 = 0x00ff00ff00ff00ffULL;
    size_t e = 0;
    for (; e + 8 <= n; e += 8) { /* 8 elements as two 4 x 4 byte matrices */
        uint32_t v[8];
        uint64_t x[4];
        memcpy(v, in + e * 4, 32);
        /* word r holds elements r (low half) and r + 4 (high half) */
        for (int r = 0; r < 4; r++)
            x[r] = (uint64_t)v[r] | (uint64_t)v[r + 4] << 32;
        SWAP_BLOCKS(x[0], x[2], 2, m2);
        SWAP_BLOCKS(x[1], x[3], 2, m2);
        SWAP_BLOCKS(x[0], x[1], 1, m1);
        SWAP_BLOCKS(x[2], x[3], 1, m1);
        for (int b = 0; b < 4; b++) { /* low half: elements e..e+3, high: e+4.. */
            uint32_t lo = (uint32_t)x[b], hi = (uint32_t)(x[b] >> 32);
            memcpy(out + (size_t)b * n + e, &lo, 4);
            memcpy(out + (size_t)b * n + e + 4, &hi, 4);
        }
    }
    for (; e < n; e++)
        for (size_t b = 0; b < 4; b++)
            out[b * n + e] = in[e * 4 + b];
}

/* HDF5's shuffle: byte b of element e goes to out[b * n + e]. */
static void shuffle(const unsigned char *restrict in, unsigned char *restrict out,
                    size_t n, size_t es)
{
    if (es == 8) {
        shuffle8(in, out, n);
    } else if (es == 4) {
        shuffle4(in, out, n);
    } else {
        for (size_t e = 0; e < n; e++)
            for (size_t b = 0; b < es; b++)
                out[b * n + e] = in[e * es + b];
    }
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* The LZ4 plugin's stream of n bytes (n < 2 GiB, checked by the caller). */
static size_t lz4_plugin(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t block = n < LZ4_PLUGIN_BLOCK ? n : LZ4_PLUGIN_BLOCK, o = 12;
    put_be(out, (uint64_t)n, 8);
    put_be(out + 8, (uint64_t)block, 4);
    for (size_t done = 0; done < n; done += block) {
        size_t b = n - done < block ? n - done : block;
        int cap = LZ4_compressBound((int)b);
        int z = LZ4_compress_default((const char *)in + done, (char *)out + o + 4, (int)b, cap);
        size_t stored = z > 0 && (size_t)z < b ? (size_t)z : b;
        if (stored == b)
            memcpy(out + o + 4, in + done, b);
        put_be(out + o, (uint64_t)stored, 4);
        o += 4 + stored;
    }
    return o;
}

lc_status lc_chunk_encode_mask(lc_codec c, int level, size_t elem_bytes, const void *raw,
                               size_t raw_bytes, void *scratch, void *out, size_t out_cap,
                               size_t *out_len, unsigned *mask, lc_diag *d)
{
    const void *src = raw;
    *mask = 0;
    if (c == LC_CODEC_NONE || !lc_codec_precompressed(c)) {
        *out_len = raw_bytes;
        return LC_OK;
    }
    if (out_cap < lc_chunk_encode_bound(c, raw_bytes))
        return lc_diag_set(d, LC_EINTERNAL, NULL, 0, "chunk encode buffer too small");
    if (lc_codec_scratch(c) && raw_bytes > elem_bytes) {
        shuffle(raw, scratch, raw_bytes / elem_bytes, elem_bytes);
        src = scratch;
    }
    if (c == LC_CODEC_LZ4) {
        if (raw_bytes > INT32_MAX)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "lz4: chunks of 2 GiB or more cannot be compressed");
        *out_len = lz4_plugin(src, raw_bytes, out);
        return LC_OK;
    }
    if (c == LC_CODEC_BLOSC || c == LC_CODEC_BLOSC_ZSTD) {
        /* pipeline {blosc}: level 5, byte shuffle, lz4 or zstd (h5_write.c) */
        int z = blosc_compress_ctx(5, BLOSC_SHUFFLE, elem_bytes, raw_bytes, raw, out,
                                   raw_bytes, c == LC_CODEC_BLOSC ? "lz4" : "zstd", 0, 1);
        if (z < 0)
            return lc_diag_set(d, LC_EIO, NULL, 0, "blosc compression failed (%d)", z);
        if (z == 0) { /* does not fit: HDF5 skips the optional filter */
            memcpy(out, raw, raw_bytes);
            *out_len = raw_bytes;
            *mask = 1u;
            return LC_OK;
        }
        *out_len = (size_t)z;
        return LC_OK;
    }
    uLongf len = (uLongf)out_cap;
    int zr = compress2(out, &len, src, (uLong)raw_bytes, level);
    if (zr != Z_OK)
        return lc_diag_set(d, LC_EIO, NULL, 0, "zlib compress2 failed (%d)", zr);
    *out_len = (size_t)len;
    return LC_OK;
}

lc_status lc_chunk_encode(lc_codec c, int level, size_t elem_bytes, const void *raw,
                          size_t raw_bytes, void *scratch, void *out, size_t out_cap,
                          size_t *out_len, lc_diag *d)
{
    unsigned mask;
    return lc_chunk_encode_mask(c, level, elem_bytes, raw, raw_bytes, scratch, out, out_cap,
                                out_len, &mask, d);
}
