/*
 * status.h - status codes and diagnostics shared by every llmcost module.
 *
 * Library functions never print and never exit: they return an lc_status
 * (LC_OK == 0, errors negative) and, when given a non-NULL lc_diag, fill it
 * with the file, line and a one-line message a person can act on.  Only the
 * CLI (src/cli) prints and maps a status to an exit code (lc_exit_code).
 */
#ifndef LLMCOST_STATUS_H
#define LLMCOST_STATUS_H

#include <stddef.h>

typedef enum {
    LC_OK = 0,
    LC_EINVAL = -1,      /* bad input value, option or spec: user's error (exit 2) */
    LC_ESYNTAX = -2,     /* malformed spec / catalogue / number (exit 2) */
    LC_ENOTFOUND = -3,   /* unknown name: GPU, API model, output, axis (exit 2) */
    LC_ERANGE = -4,      /* value out of its valid range, or overflow (exit 2) */
    LC_EEXIST = -5,      /* output exists and --force not given (exit 2) */
    LC_ENOBREAKEVEN = -6,/* no finite answer: margin <= 0 (reported, exit 1 in eval) */
    LC_EIO = -7,         /* read/write/close failed, disk full (exit 1) */
    LC_ENOMEM = -8,      /* allocation failed (exit 1) */
    LC_EHDF5 = -9,       /* an HDF5 call failed (exit 1) */
    LC_EFORMAT = -10,    /* input file is not what llmcost expects (exit 2) */
    LC_EINTR = -11,      /* interrupted by SIGINT/SIGTERM (exit 130/143) */
    LC_EINTERNAL = -12   /* a bug: invariant broken (exit 1) */
} lc_status;

/* A diagnostic: where the problem is and what was expected. */
typedef struct {
    char file[512];   /* "" when not about a file */
    int line;         /* 0 when unknown */
    char msg[1024];
} lc_diag;

/* Text of a status ("invalid input", ...). Never NULL. */
const char *lc_strerror(lc_status st);

/* Fill d (if non-NULL) with file/line/message; returns st for tail calls:
 *   return lc_diag_set(d, LC_EINVAL, path, 12, "unknown input '%s'", key); */
lc_status lc_diag_set(lc_diag *d, lc_status st, const char *file, int line,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* "file:line: msg" (or just "msg") into buf. */
void lc_diag_format(const lc_diag *d, char *buf, size_t size);

/* Exit code for a status: 0 ok, 2 user/input error, 1 other failure. */
int lc_exit_code(lc_status st);

#endif
