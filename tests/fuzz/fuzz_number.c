/*
 * fuzz_number.c - libFuzzer harness for lc_parse_number and lc_format_si
 * (src/util/number.c).  Invariants checked on every input: a parse either
 * fails with a message or gives a finite double; formatting any finite
 * value never overruns the buffer it is given (ASan would see it) and
 * always NUL-terminates.  Built by `make fuzz` (see tests/fuzz/run_fuzz.sh).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    lc_diag d;
    memset(&d, 0, sizeof d);
    double x = 12345.0;
    lc_status st = lc_parse_number(s, &x, &d);
    if (st == LC_OK) {
        if (!isfinite(x))
            abort(); /* NaN and Inf must be refused */
        /* exact-size buffers: any overrun is an ASan report */
        for (int n = 1; n <= 24; n += 7) {
            char *buf = malloc((size_t)n);
            lc_format_si(x, buf, n);
            if (memchr(buf, '\0', (size_t)n) == NULL)
                abort();
            free(buf);
        }
    } else {
        if (st != LC_ESYNTAX || d.msg[0] == '\0' || x != 12345.0)
            abort(); /* a failure says why and leaves *out alone */
    }
    free(s);
    return 0;
}
