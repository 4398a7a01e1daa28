/*
 * h5_codec.c - chunk codecs run by the sweep's worker threads: HDF5's byte
 * shuffle and zlib's deflate, producing exactly the bytes HDF5's shuffle +
 * deflate filters would (checked with h5py in library-checks.md), so the
 * writer thread only hands finished chunks to H5Dwrite_chunk.
 */
#include <string.h>
#include <zlib.h>

#include "llmcost/cluster.h"
#include "llmcost/h5file.h"

const char *lc_codec_name(lc_codec c)
{
    switch (c) {
    case LC_CODEC_NONE: return "none";
    case LC_CODEC_DEFLATE: return "deflate";
    case LC_CODEC_SHUFFLE_DEFLATE: return "shuffle+deflate";
    case LC_CODEC_LZ4: return "lz4";
    case LC_CODEC_BLOSC: return "blosc";
    }
    return "?";
}

int lc_codec_precompressed(lc_codec c)
{
    /* Several MPI ranks: parallel HDF5 has no direct chunk write, so HDF5's
     * own filters compress (collectively) and the engine hands raw values. */
    if (lc_cluster_size() > 1)
        return 0;
    return c == LC_CODEC_NONE || c == LC_CODEC_DEFLATE || c == LC_CODEC_SHUFFLE_DEFLATE;
}

size_t lc_chunk_encode_bound(lc_codec c, size_t raw_bytes)
{
    if (c == LC_CODEC_DEFLATE || c == LC_CODEC_SHUFFLE_DEFLATE)
        return (size_t)compressBound((uLong)raw_bytes);
    return raw_bytes;
}

/* HDF5's shuffle: byte b of element e goes to out[b * n + e]. */
static void shuffle(const unsigned char *restrict in, unsigned char *restrict out,
                    size_t n, size_t es)
{
    if (es == 8) {
        for (size_t e = 0; e < n; e++)
            for (size_t b = 0; b < 8; b++)
                out[b * n + e] = in[e * 8 + b];
    } else {
        for (size_t e = 0; e < n; e++)
            for (size_t b = 0; b < es; b++)
                out[b * n + e] = in[e * es + b];
    }
}

lc_status lc_chunk_encode(lc_codec c, int level, size_t elem_bytes, const void *raw,
                          size_t raw_bytes, void *scratch, void *out, size_t out_cap,
                          size_t *out_len, lc_diag *d)
{
    const void *src = raw;
    if (c == LC_CODEC_NONE || !lc_codec_precompressed(c)) {
        *out_len = raw_bytes;
        return LC_OK;
    }
    if (c == LC_CODEC_SHUFFLE_DEFLATE) {
        shuffle(raw, scratch, raw_bytes / elem_bytes, elem_bytes);
        src = scratch;
    }
    uLongf len = (uLongf)out_cap;
    int zr = compress2(out, &len, src, (uLong)raw_bytes, level);
    if (zr != Z_OK)
        return lc_diag_set(d, LC_EIO, NULL, 0, "zlib compress2 failed (%d)", zr);
    *out_len = (size_t)len;
    return LC_OK;
}
