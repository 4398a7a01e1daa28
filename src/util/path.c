/*
 * path.c - build derived file names without truncation and check file
 * types before opening (see path.h).  Nothing here opens a file: a FIFO
 * opened for reading blocks until a writer appears, so the type is taken
 * from stat() first.
 */
#include "util/path.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

lc_status lc_path_fmt(char *buf, size_t size, lc_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size) {
        char head[48];
        snprintf(head, sizeof head, "%.40s", size ? buf : "");
        if (size)
            buf[0] = '\0';
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "the file name '%s...' would be %d characters long, more than "
                           "the %zu llmcost can build without cutting it short (use a "
                           "shorter path)", head, n, size ? size - 1 : 0);
    }
    return LC_OK;
}

static const char *kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO (named pipe)"
           : S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISSOCK(m) ? "a socket"
           : "not a regular file";
}

lc_status lc_path_check_output(const char *path, lc_diag *d)
{
    if (!path || !*path)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "the output file name is empty");
    size_t len = strlen(path);
    if (len > LC_PATH_MAX - LC_PATH_SUFFIX_MAX)
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "output path '%.40s...' is %zu characters long: at most %d, so "
                           "that FILE.partial.journal and the shard names built from it "
                           "are never cut short", path, len, LC_PATH_MAX - LC_PATH_SUFFIX_MAX);
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return lc_diag_set(d, LC_EINVAL, path, 0,
                           "is %s: the output must be a regular file name (not even "
                           "--force replaces it)", kind(sb.st_mode));
    return LC_OK;
}

lc_status lc_path_regular(const char *path, const char *what, lc_diag *d)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return lc_diag_set(d, LC_EINVAL, path, 0, "cannot open: %s", strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return lc_diag_set(d, LC_EINVAL, path, 0,
                           "is %s, not a regular file: a %s must be a seekable file%s",
                           kind(sb.st_mode), what,
                           S_ISFIFO(sb.st_mode) ? " (pipes are allowed only for spec text)"
                                                : "");
    return LC_OK;
}

int lc_path_is_special(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
}

int lc_path_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

lc_status lc_path_create_excl(const char *path, int replace, FILE **out, lc_diag *d)
{
    *out = NULL;
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        if (!replace)
            return lc_diag_set(d, LC_EEXIST, path, 0, "exists (give --force to overwrite it)");
        if (S_ISDIR(sb.st_mode))
            return lc_diag_set(d, LC_EINVAL, path, 0, "is a directory");
        if (unlink(path) != 0)
            return lc_diag_set(d, LC_EIO, path, 0, "cannot remove: %s", strerror(errno));
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return lc_diag_set(d, errno == EEXIST ? LC_EEXIST : LC_EIO, path, 0,
                           "cannot create: %s", strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return lc_diag_set(d, LC_EIO, path, 0, "cannot create: %s", strerror(errno));
    }
    *out = f;
    return LC_OK;
}

int lc_shell_quote(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    int plain = *text != '\0';
    for (const char *p = text; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789@%+=:,./-_", *p) != NULL;
#define PUT(c)                                                                              \
    do {                                                                                    \
        if (n + 1 >= size)                                                                  \
            return -1;                                                                      \
        buf[n++] = (c);                                                                     \
    } while (0)
    if (plain) {
        for (const char *p = text; *p; p++)
            PUT(*p);
    } else {
        PUT('\'');
        for (const char *p = text; *p; p++) {
            if (*p == '\'') {
                PUT('\'');
                PUT('\\');
                PUT('\'');
            }
            PUT(*p);
        }
        PUT('\'');
    }
#undef PUT
    buf[n] = '\0';
    return (int)n;
}
