/*
 * ini.c - libinih driven through ini_parse_stream with our own line
 * reader, so that every key knows its line and over-long or non-UTF-8 lines
 * are reported instead of being split or misread (see ini.h).
 */
#include "util/ini.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *text; /* whole input */
    size_t len, pos;
    const char *name;
    int line;         /* line number of the line last handed to inih */
    int has_key;      /* a key was seen since the last header: inih's rule
                       * for indented continuation lines */
    lc_ini_handler h;
    void *user;
    lc_diag *d;
    lc_status st;     /* first error, stops the parse */
} reader;

static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        if (c < 0x80)
            k = 0;
        else if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3;
        else
            return 0;
        if (i + k >= n && k)
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        /* the second byte also excludes overlong forms (E0 80..9F, F0 80..8F),
         * UTF-16 surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..) */
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* Like inih's find_chars_or_comment: the first of `chars` in s[0..n), or an
 * inline ';' comment (one after a blank), or n. */
static size_t find_chars_or_comment(const char *s, size_t n, const char *chars)
{
    int was_space = 0;
    size_t i = 0;
    while (i < n && !strchr(chars, s[i]) && !(was_space && s[i] == ';')) {
        was_space = isspace((unsigned char)s[i]);
        i++;
    }
    return i;
}

/* Check a line the way inih will read it, to stop at the first bad line with
 * its own message: inih notes the first syntax error but goes on calling the
 * handler (keys after a broken "[section" land in the previous section), and
 * it silently truncates section names to MAX_SECTION - 1 = 49 characters. */
static lc_status check_line(reader *r, const char *s, size_t n)
{
    size_t i = 0;
    if (r->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* byte order mark, skipped by inih */
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    while (n > i && isspace((unsigned char)s[n - 1]))
        n--;
    if (i == n || s[i] == ';' || s[i] == '#')
        return LC_OK; /* blank or comment */
    if (r->has_key && i > 0)
        return LC_OK; /* indented: continues the previous key's value */
    if (s[i] == '[') {
        size_t e = i + 1 + find_chars_or_comment(s + i + 1, n - i - 1, "]");
        if (e >= n || s[e] != ']')
            return lc_diag_set(r->d, LC_ESYNTAX, r->name, r->line,
                               "section header without a closing ']'");
        if (e - i - 1 > 49)
            return lc_diag_set(r->d, LC_ESYNTAX, r->name, r->line,
                               "section name is %zu characters long, at most 49 are allowed",
                               e - i - 1);
        r->has_key = 0;
        return LC_OK;
    }
    size_t e = i + find_chars_or_comment(s + i, n - i, "=:");
    if (e >= n || (s[e] != '=' && s[e] != ':'))
        return lc_diag_set(r->d, LC_ESYNTAX, r->name, r->line,
                           "expected '[section]', 'key = value' or a comment");
    r->has_key = e > i; /* inih's prev_name: "= v" leaves it empty */
    return LC_OK;
}

/* inih's reader: one line per call, like fgets, at most num-1 chars. */
static char *read_line(char *str, int num, void *stream)
{
    reader *r = stream;
    if (r->st != LC_OK || r->pos >= r->len)
        return NULL;
    const char *start = r->text + r->pos;
    const char *nl = memchr(start, '\n', r->len - r->pos);
    size_t n = nl ? (size_t)(nl - start) + 1 : r->len - r->pos;
    r->line++;
    size_t content = n - (nl ? 1 : 0);
    if (content && start[content - 1] == '\r')
        content--;
    if (content > LC_INI_MAX_LINE || content + 1 > (size_t)num) {
        r->st = lc_diag_set(r->d, LC_ESYNTAX, r->name, r->line,
                            "line is %zu characters long, at most %d are allowed",
                            content, LC_INI_MAX_LINE);
        return NULL;
    }
    if (!utf8_valid((const unsigned char *)start, content)) {
        r->st = lc_diag_set(r->d, LC_ESYNTAX, r->name, r->line, "line is not valid UTF-8");
        return NULL;
    }
    if (memchr(start, '\0', content)) {
        r->st = lc_diag_set(r->d, LC_ESYNTAX, r->name, r->line, "line contains a NUL byte");
        return NULL;
    }
    if ((r->st = check_line(r, start, content)) != LC_OK)
        return NULL;
    /* hand inih the line without its newline: it strips blanks anyway */
    memcpy(str, start, content);
    str[content] = '\0';
    r->pos += n;
    return str;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    reader *r = user;
    if (r->st != LC_OK)
        return 0;
    r->st = r->h(r->user, section, key, value, r->line, r->d);
    return r->st == LC_OK;
}

lc_status lc_ini_parse_text(const char *text, size_t len, const char *name,
                            lc_ini_handler h, void *user, lc_diag *d)
{
    reader r = {text, len, 0, name, 0, 0, h, user, d, LC_OK};
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    if (i == len)
        return lc_diag_set(d, LC_ESYNTAX, name, 0, "file is empty");
    int rc = ini_parse_stream(read_line, &r, on_key, &r);
    if (r.st != LC_OK)
        return r.st;
    if (rc > 0)
        return lc_diag_set(d, LC_ESYNTAX, name, rc,
                           "expected '[section]', 'key = value' or a comment");
    if (rc < 0)
        return lc_diag_set(d, LC_ENOMEM, name, 0, "out of memory while parsing");
    return LC_OK;
}

lc_status lc_read_file(const char *path, char **text, size_t *len, lc_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return lc_diag_set(d, errno == ENOENT || errno == EACCES || errno == ENOTDIR ||
                                      errno == ENAMETOOLONG || errno == ELOOP
                                  ? LC_EINVAL /* a path the user got wrong: exit 2 */
                                  : LC_EIO,
                           path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = NULL;
    lc_status st = LC_OK;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        st = lc_diag_set(d, LC_EINVAL, path, 0, "is a directory, not a file");
        goto out;
    }
    /* A device (/dev/zero, /dev/urandom, a tty) or socket never ends or
     * blocks: refuse it before reading a byte.  Pipes stay allowed, so a
     * spec can come from a shell process substitution <(...) */
    if (fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
        st = lc_diag_set(d, LC_EINVAL, path, 0,
                         "is a device or socket, not a regular file (give a file)");
        goto out;
    }
    buf = malloc(cap);
    if (!buf) {
        st = lc_diag_set(d, LC_ENOMEM, path, 0, "out of memory reading it");
        goto out;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > ((size_t)1 << 30)) {
                st = lc_diag_set(d, LC_EINVAL, path, 0, "file is larger than 1 GiB");
                goto out;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                st = lc_diag_set(d, LC_ENOMEM, path, 0, "out of memory reading it");
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        st = lc_diag_set(d, LC_EIO, path, 0, "read error: %s", strerror(errno));
out:
    fclose(f);
    if (st != LC_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return LC_OK;
}

lc_status lc_ini_parse_file(const char *path, lc_ini_handler h, void *user,
                            lc_diag *d)
{
    char *text;
    size_t len;
    lc_status st = lc_read_file(path, &text, &len, d);
    if (st != LC_OK)
        return st;
    st = lc_ini_parse_text(text, len, path, h, user, d);
    free(text);
    return st;
}

lc_status lc_ini_scan_headers(const char *text, size_t len, lc_ini_header_fn fn,
                              void *user, lc_diag *d)
{
    int line = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + 1;
        line++;
        size_t i = 0;
        if (line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            i = 3; /* UTF-8 byte order mark, which inih skips */
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n || s[i] != '[')
            continue;
        const char *name = s + i + 1;
        const char *close = memchr(name, ']', n - i - 1);
        size_t k = close ? (size_t)(close - name) : n - i - 1;
        lc_status st = fn(user, name, k, close != NULL, line, d);
        if (st != LC_OK)
            return st;
    }
    return LC_OK;
}
