/* status.c - text of status codes and the diagnostic helpers (see status.h). */
#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lc_strerror(lc_status st)
{
    switch (st) {
    case LC_OK: return "success";
    case LC_EINVAL: return "invalid input";
    case LC_ESYNTAX: return "syntax error";
    case LC_ENOTFOUND: return "not found";
    case LC_ERANGE: return "value out of range";
    case LC_EEXIST: return "output exists";
    case LC_ENOBREAKEVEN: return "no break-even";
    case LC_EIO: return "I/O error";
    case LC_ENOMEM: return "out of memory";
    case LC_EHDF5: return "HDF5 error";
    case LC_EFORMAT: return "unexpected file format";
    case LC_EINTR: return "interrupted";
    case LC_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

lc_status lc_diag_set(lc_diag *d, lc_status st, const char *file, int line,
                      const char *fmt, ...)
{
    if (!d)
        return st;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return st;
}

void lc_diag_format(const lc_diag *d, char *buf, size_t size)
{
    if (d->file[0] && d->line > 0)
        snprintf(buf, size, "%s:%d: %s", d->file, d->line, d->msg);
    else if (d->file[0])
        snprintf(buf, size, "%s: %s", d->file, d->msg);
    else
        snprintf(buf, size, "%s", d->msg);
}

int lc_exit_code(lc_status st)
{
    switch (st) {
    case LC_OK: return 0;
    case LC_EINVAL: case LC_ESYNTAX: case LC_ENOTFOUND: case LC_ERANGE:
    case LC_EEXIST: case LC_EFORMAT:
        return 2;
    case LC_EINTR: return 130;
    default: return 1;
    }
}
