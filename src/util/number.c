/* number.c - parse and format numbers with SI suffixes (see number.h). */
#include "util/number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The number p..end (digits, maybe an exponent) times 10^shift, rounded
 * once: strtod of the same digits with the exponent moved.  x * 1e6 would
 * round twice ("2.039M" gave 2039000.0000000002, "70%" 0.7000000000000001). */
static double scale_exact(const char *p, const char *end, int shift, double x)
{
    size_t n = (size_t)(end - p);
    if (n > 4096)
        return x * pow(10.0, shift); /* absurdly long: no exactness promise */
    char buf[4096 + 32];
    size_t m = 0;
    while (m < n && p[m] != 'e' && p[m] != 'E')
        m++;
    long ex = m < n ? strtol(p + m + 1, NULL, 10) : 0;
    if (ex > 100000)  /* strtol saturates; keep the sum from overflowing */
        ex = 100000;
    if (ex < -100000)
        ex = -100000;
    snprintf(buf, sizeof buf, "%.*se%ld", (int)m, p, ex + shift);
    return strtod(buf, NULL);
}

/* Quote at most 40 characters of the input in a message, so that the words
 * after it ("is too large") survive the diagnostic's 1 KiB buffer. */
#define SHOWN(s) (strlen(s) > 40 ? 37 : 40), (s), (strlen(s) > 40 ? "..." : "")

lc_status lc_parse_number(const char *s, double *out, lc_diag *d)
{
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    /* strtod accepts "nan", "inf" and hex floats: refuse them up front. */
    const char *q = p;
    if (*q == '+' || *q == '-')
        q++;
    if (!(isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]))) ||
        (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')))
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "'%.*s%s' is not a number", SHOWN(s));
    errno = 0;
    char *end;
    double x = strtod(p, &end);
    if (errno == ERANGE && fabs(x) > 1.0)
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "'%.*s%s' is too large", SHOWN(s));
    const char *digits_end = end;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 3; end++; break;
    case 'M': shift = 6; end++; break;
    case 'B': case 'G': shift = 9; end++; break;
    case 'T': shift = 12; end++; break;
    case 'P': shift = 15; end++; break;
    case '%': shift = -2; end++; break;
    default: break;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0,
                           "'%.*s%s' is not a number (suffixes: k M B G T P %%)", SHOWN(s));
    if (shift != 0)
        x = scale_exact(p, digits_end, shift, x);
    if (!isfinite(x))
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "'%.*s%s' is too large", SHOWN(s));
    /* strtod rounds a number below the smallest double (4.9e-324) to 0
     * without a word: "1e-400" must not become a silent 0 */
    if (x == 0.0)
        for (const char *c = p; c < digits_end && *c != 'e' && *c != 'E'; c++)
            if (*c >= '1' && *c <= '9')
                return lc_diag_set(d, LC_ESYNTAX, NULL, 0,
                                   "'%.*s%s' is too small: it rounds to 0 (the smallest "
                                   "number is about 4.9e-324)", SHOWN(s));
    *out = x;
    return LC_OK;
}

void lc_format_si(double x, char *buf, int size)
{
    static const struct { double v; const char *s; } u[] = {
        {1e15, "P"}, {1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    double a = fabs(x);
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (a >= u[i].v && a < u[i].v * 1000.0) {
            snprintf(buf, (size_t)size, "%.4g%s", x / u[i].v, u[i].s);
            return;
        }
    snprintf(buf, (size_t)size, "%.6g", x);
}

lc_status lc_parse_u64(const char *s, uint64_t *out, lc_diag *d)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = 0;
    uint64_t v = 0;
    for (; p[n] >= '0' && p[n] <= '9'; n++) {
        unsigned dg = (unsigned)(p[n] - '0');
        if (v > (UINT64_MAX - dg) / 10)
            return lc_diag_set(d, LC_ERANGE, NULL, 0,
                               "'%.40s' is too large (at most 18446744073709551615)", s);
        v = v * 10 + dg;
    }
    const char *q = p + n;
    while (*q == ' ' || *q == '\t')
        q++;
    if (n == 0 || *q != '\0')
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0,
                           "'%.40s' is not a whole number 0 .. 18446744073709551615 (digits only)",
                           s);
    *out = v;
    return LC_OK;
}
