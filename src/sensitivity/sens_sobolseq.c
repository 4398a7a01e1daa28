/*
 * sens_sobolseq.c - the Sobol sequence of the Sobol analysis, on Joe &
 * Kuo's direction numbers (new-joe-kuo-6.21201, the published table; see
 * sens_sobol_dirs.h and gen_sobol_dirs.py), and Owen's nested uniform
 * scramble of it.
 *
 * Every coordinate is a pure function of (point index, dimension, key):
 * point j is the XOR of the direction numbers of the set bits of j's Gray
 * code, and the scramble flips digit b by a hash of (key, b, the b digits
 * above it).  So any thread or MPI rank can compute any point and the
 * design does not depend on how the work is split.
 *
 * Why Owen's scramble: it keeps the (t,m,s)-net structure of every 2^m
 * block (the stratification that makes quasi-Monte Carlo accurate), makes
 * each point uniform on (0,1)^d (so estimators are unbiased), and for
 * smooth integrands its variance falls like n^-3 (log n)^(d-1) instead of
 * Monte Carlo's n^-1 (Owen 1997, "Scrambled net variance for integrals of
 * smooth functions", Ann. Statist. 25).  The unscrambled sequence is
 * deterministic: its error cannot be estimated from replicates and a seed
 * cannot change it.
 */
#include <stdint.h>

#include "sensitivity/sens_internal.h"
#include "sensitivity/sens_sobol_dirs.h"

_Static_assert(LC_SOBOL_DIRS_DIMS == LC_SOBOL_MAX_DIMS, "regenerate sens_sobol_dirs.h");

void lc_sobol_seq_init(lc_sobol_seq *q, int dims)
{
    q->dims = dims > LC_SOBOL_MAX_DIMS ? LC_SOBOL_MAX_DIMS : dims;
    for (int d = 0; d < q->dims; d++) {
        uint32_t *v = q->v[d];
        int s = lc_sobol_dirs[d].s;
        unsigned a = lc_sobol_dirs[d].a;
        if (s == 0) {   /* van der Corput: m_i = 1 */
            for (int i = 0; i < 32; i++)
                v[i] = 1u << (31 - i);
            continue;
        }
        for (int i = 0; i < s && i < 18; i++)   /* m[] holds s <= 18 numbers */
            v[i] = (uint32_t)lc_sobol_dirs[d].m[i] << (31 - i);
        /* m_i = 2 a_1 m_{i-1} ^ 4 a_2 m_{i-2} ^ ... ^ 2^s m_{i-s} ^ m_{i-s}
         * (Bratley & Fox 1988), here on the shifted v_i = m_i 2^(32-i-1) */
        for (int i = s; i < 32; i++) {
            uint32_t x = v[i - s] ^ (v[i - s] >> s);
            for (int k = 1; k < s; k++)
                if ((a >> (s - 1 - k)) & 1u)
                    x ^= v[i - k];
            v[i] = x;
        }
    }
}

uint32_t lc_sobol_coord(const lc_sobol_seq *q, int d, uint64_t j)
{
    uint64_t g = j ^ (j >> 1);
    uint32_t x = 0;
    const uint32_t *v = q->v[d];
    for (int b = 0; g; b++, g >>= 1)
        if (g & 1u)
            x ^= v[b];
    return x;
}

int lc_sobol_owen_depth(uint64_t n)
{
    int m = 1;
    while (m < 32 && ((uint64_t)1 << m) < n)
        m++;
    return m;
}

/* The flip bit of digit b under the prefix (the b digits above it): the
 * tag (b, prefix) is unique, and mix64 is a bijection. */
static inline uint32_t flip_bit(uint64_t key, int b, uint64_t prefix)
{
    return (uint32_t)(lc_sens_mix64(key ^ (((uint64_t)(b + 1) << 32) | prefix)) >> 63);
}

/* fk = mix64(key ^ 0xA5A5A5A5): the key of the digits below the depth */
static inline double owen_finish(uint32_t x, uint32_t y, uint64_t fk, int depth)
{
    uint64_t top = (uint64_t)(y >> (32 - depth));
    uint64_t fill = lc_sens_mix64(fk ^ (uint64_t)(x >> (32 - depth)));
    uint64_t mant = (top << (53 - depth)) | (fill >> (11 + depth));
    return ((double)mant + 0.5) * 0x1.0p-53;
}

double lc_sobol_owen(uint32_t x, uint64_t key, int depth)
{
    uint32_t y = x;
    for (int b = 0; b < depth; b++)
        y ^= flip_bit(key, b, b ? (uint64_t)(x >> (32 - b)) : 0) << (31 - b);
    return owen_finish(x, y, lc_sens_mix64(key ^ 0xA5A5A5A5ull), depth);
}

int lc_sobol_owen_table_levels(int depth)
{
    return depth < LC_OWEN_TABLE_LEVELS ? depth : LC_OWEN_TABLE_LEVELS;
}

void lc_sobol_owen_table(uint64_t key, int levels, uint8_t *bits, uint64_t *fill_key)
{
    *fill_key = lc_sens_mix64(key ^ 0xA5A5A5A5ull);
    for (int b = 0; b < levels; b++)
        for (uint64_t prefix = 0; prefix < ((uint64_t)1 << b); prefix++)
            bits[((size_t)1 << b) - 1 + prefix] = (uint8_t)flip_bit(key, b, prefix);
}

double lc_sobol_owen_fast(uint32_t x, uint64_t key, uint64_t fill_key, int depth,
                          const uint8_t *bits, int levels)
{
    uint32_t y = x;
    int b = 0;
    for (; b < levels; b++)   /* the top digits: the flip tree of the key */
        y ^= (uint32_t)bits[((size_t)1 << b) - 1 + (b ? (x >> (32 - b)) : 0)] << (31 - b);
    for (; b < depth; b++)
        y ^= flip_bit(key, b, (uint64_t)(x >> (32 - b))) << (31 - b);
    return owen_finish(x, y, fill_key, depth);
}
