/*
 * path.h - paths built and checked before anything is touched (issue 10).
 *
 * Every file name llmcost derives from one the user gave (FILE.partial,
 * FILE.partial.journal[.rankN], FILE.shardK-of-N.h5) is built with
 * lc_path_fmt, which refuses instead of cutting the name short: a cut name
 * is another file, and with --force it would be overwritten.  Files that
 * must be seekable (HDF5, journals) are checked with lc_path_regular before
 * any open(), so a FIFO or a device is refused instead of blocking forever.
 */
#ifndef LLMCOST_UTIL_PATH_H
#define LLMCOST_UTIL_PATH_H

#include <stddef.h>
#include <stdio.h>

#include "util/status.h"

/* Longest file name llmcost builds: every derived name must fit this
 * (it also fits every fixed path buffer of the library, 1024 bytes). */
#define LC_PATH_MAX 1024

/* The longest suffix llmcost appends to an output path:
 * ".shard2147483647-of-2147483647.h5" replaces ".h5", then
 * ".partial.journal.rank2147483647" follows. */
#define LC_PATH_SUFFIX_MAX 64

/* snprintf into buf; LC_ERANGE (with a message naming the start of the
 * path) when the text does not fit.  buf is "" then. */
lc_status lc_path_fmt(char *buf, size_t size, lc_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* An output path the user gave: refused (LC_EINVAL) when it is too long
 * for the names derived from it (LC_PATH_MAX - LC_PATH_SUFFIX_MAX), is ""
 * or names an existing directory or special file (FIFO, device, socket),
 * even with --force.  A missing file or a regular file is fine. */
lc_status lc_path_check_output(const char *path, lc_diag *d);

/* An existing file that must be a regular, seekable file (an HDF5 file, a
 * journal): LC_EINVAL for a missing file, a directory, a FIFO, a device or
 * a socket; `what` names it in the message ("sweep file", "journal").
 * stat() follows links, so a link to a regular file is fine.  Never opens. */
lc_status lc_path_regular(const char *path, const char *what, lc_diag *d);

/* 1 when path exists and is not a regular file (lstat: a symbolic link is
 * not regular either), else 0. */
int lc_path_is_special(const char *path);

/* 1 when a and b both exist and are the same file (same device and
 * inode after following links, so a link or "./x" is caught), else 0. */
int lc_path_same_file(const char *a, const char *b);

/* Create path for writing with O_CREAT | O_EXCL | O_NOFOLLOW (mode 0666
 * minus the umask): never truncates or follows a file that is already
 * there.  With replace, an existing regular file or link at path is
 * unlinked first (--force).  LC_EEXIST when it exists and !replace, LC_EIO
 * on other failures; *out is the open stream. */
lc_status lc_path_create_excl(const char *path, int replace, FILE **out, lc_diag *d);

/* Shell-quote text for a command a person will paste: 'a b' -> "'a b'",
 * it's -> 'it'\''s'; plain words are left as they are.  Returns the
 * length written (without the NUL), or -1 when it does not fit. */
int lc_shell_quote(const char *text, char *buf, size_t size);

#endif
