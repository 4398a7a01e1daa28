/* hash.c - FNV-1a 64 (hash.h). */
#include "util/hash.h"

#include <math.h>
#include <string.h>

uint64_t lc_fnv1a(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t lc_fnv1a_doubles(const double *x, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        double v = isnan(x[i]) ? NAN : x[i];
        unsigned char b[sizeof v];
        memcpy(b, &v, sizeof v);
        h = lc_fnv1a(b, sizeof b, h);
    }
    return h;
}
