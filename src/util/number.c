/* number.c - parse and format numbers with SI suffixes (see number.h). */
#include "llmcost/number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "'%s' is not a number", s);
    errno = 0;
    char *end;
    double x = strtod(p, &end);
    if (errno == ERANGE && fabs(x) > 1.0)
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "'%s' is too large", s);
    double scale = 1.0;
    switch (*end) {
    case 'k': case 'K': scale = 1e3; end++; break;
    case 'M': scale = 1e6; end++; break;
    case 'B': case 'G': scale = 1e9; end++; break;
    case 'T': scale = 1e12; end++; break;
    case 'P': scale = 1e15; end++; break;
    case '%': scale = 1e-2; end++; break;
    default: break;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0,
                           "'%s' is not a number (suffixes: k M B G T P %%)", s);
    x *= scale;
    if (!isfinite(x))
        return lc_diag_set(d, LC_ESYNTAX, NULL, 0, "'%s' is too large", s);
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
