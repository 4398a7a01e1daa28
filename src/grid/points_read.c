/*
 * points_read.c - the CSV table of an external design (points.h): a header
 * of input names (and arch, gpu), then one point per line; every value
 * parsed and range-checked (a name looked up in r->cat), errors at
 * FILE:LINE with the column.  A batch's lines are read in order, then
 * parsed by OpenMP threads (the first bad row in file order is the one
 * reported, whatever the thread count).
 */
#include <ctype.h>
#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "util/number.h"
#include "grid/points.h"

/* Next line into r->buf without its end of line (and, on line 1, without
 * a UTF-8 byte-order mark, which spreadsheets write): 1, or 0 at the end,
 * -1 on a read error, -2 for a line over LC_POINTS_MAX_LINE bytes (the
 * reader never grows without bound, so a binary file or /dev/zero is
 * refused, not read into memory), -3 for a NUL byte in the line.  Blocks
 * are read with fread and split with memchr. */
static int next_line(lc_points_reader *r)
{
    size_t len = 0;
    int nul = 0, any = 0;
    if (!r->buf) {
        r->cap = LC_POINTS_MAX_LINE + 1;
        if (!(r->buf = malloc(r->cap)))
            return -1;
    }
    for (;;) {
        if (r->rpos == r->rlen) {
            errno = 0;
            r->rlen = fread(r->rbuf, 1, sizeof r->rbuf, r->f);
            r->rpos = 0;
            if (r->rlen == 0) {
                if (ferror(r->f))
                    return -1;
                if (!any)
                    return 0;
                break; /* the last line has no newline */
            }
        }
        any = 1;
        const char *blk = r->rbuf + r->rpos;
        size_t avail = r->rlen - r->rpos;
        const char *nl = memchr(blk, '\n', avail);
        size_t n = nl ? (size_t)(nl - blk) : avail;
        if (len + n > LC_POINTS_MAX_LINE) {
            r->line++;
            return -2;
        }
        if (memchr(blk, '\0', n))
            nul = 1;
        memcpy(r->buf + len, blk, n);
        len += n;
        r->rpos += n + (nl ? 1 : 0);
        if (nl)
            break;
    }
    r->line++;
    r->buf[len] = '\0';
    if (nul)
        return -3;
    while (len > 0 && r->buf[len - 1] == '\r')
        r->buf[--len] = '\0';
    if (r->line == 1 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
        memmove(r->buf, r->buf + 3, len - 2);
    return 1;
}

static int skip_line(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

/* Split r->buf in place at the delimiter; fields trimmed.  Returns the
 * count (at most max; max + 1 means more). */
static int split(lc_points_reader *r, char **field, int max)
{
    int n = 0;
    char *p = r->buf;
    for (;;) {
        char *end = strchr(p, r->delim);
        if (end)
            *end = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        if (n < max)
            field[n] = p;
        n++;
        if (!end || n > max)
            break;
        p = end + 1;
    }
    return n > max ? max + 1 : n;
}

/* The message for next_line's result got < 0. */
static lc_status read_error(lc_points_reader *r, int got, lc_diag *d)
{
    if (got == -2)
        return lc_diag_set(d, LC_EFORMAT, r->path, r->line,
                           "line longer than %d bytes: expected a table of input values "
                           "(a binary file?)", LC_POINTS_MAX_LINE);
    if (got == -3)
        return lc_diag_set(d, LC_EFORMAT, r->path, r->line,
                           "NUL byte in the line: expected text (a binary file?)");
    return lc_diag_set(d, LC_EIO, r->path, r->line + 1, "cannot read: %s", strerror(errno));
}

lc_status lc_points_open(lc_points_reader *r, const char *path, lc_diag *d)
{
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!r->f)
        return lc_diag_set(d, LC_EIO, path, 0, "cannot open: %s", strerror(errno));
    int got;
    while ((got = next_line(r)) > 0 && skip_line(r->buf))
        ;
    if (got < 0) {
        lc_status st = read_error(r, got, d);
        lc_points_close(r);
        return st;
    }
    if (got == 0) {
        lc_points_close(r);
        return lc_diag_set(d, LC_EFORMAT, path, r->line,
                           "no header line: expected the names of inputs, such as "
                           "params,tokens,util");
    }
    r->delim = strchr(r->buf, ',') == NULL && strchr(r->buf, '\t') != NULL ? '\t' : ',';
    char *field[LC_POINTS_FILE_COLS + 1];
    int n = split(r, field, LC_POINTS_FILE_COLS);
    lc_status st = LC_OK;
    if (n > LC_POINTS_FILE_COLS)
        st = lc_diag_set(d, LC_EFORMAT, path, r->line,
                         "more than %d columns: the header names inputs (and arch, gpu), "
                         "each once", LC_POINTS_FILE_COLS);
    for (int c = 0; c < n && st == LC_OK; c++) {
        char name[64];
        const char *f = field[c];
        size_t len = strlen(f);
        if (len >= 2 && f[0] == '"' && f[len - 1] == '"') {
            f++;
            len -= 2;
        }
        if (len >= sizeof name)
            len = sizeof name - 1;
        for (size_t k = 0; k < len; k++)
            name[k] = f[k] == '-' ? '_' : f[k];
        name[len] = '\0';
        int in = lc_input_find(name);
        if (in < 0)
            in = lc_points_label_kind(name) ? lc_points_label_kind(name) : -1;
        if (in == -1) {
            if (len == 0)
                st = lc_diag_set(d, LC_EFORMAT, path, r->line,
                                 "column %d of the header is empty: expected an input name",
                                 c + 1);
            else if (strcmp(name, "api") == 0)
                st = lc_diag_set(d, LC_EINVAL, path, r->line,
                                 "column %d: an 'api' column of names is not read: give "
                                 "price_in and price_out columns or a fixed --api NAME", c + 1);
            else if (lc_output_find(name) >= 0)
                st = lc_diag_set(d, LC_EINVAL, path, r->line,
                                 "column %d: '%s' is an output, not an input", c + 1, name);
            else
                st = lc_diag_set(d, LC_ENOTFOUND, path, r->line,
                                 "column %d: unknown input '%s' (the inputs are listed by "
                                 "'llmcost eval --help')",
                                 c + 1, name);
            break;
        }
        for (int q = 0; q < c; q++)
            if (r->col_input[q] == in)
                st = lc_diag_set(d, LC_EINVAL, path, r->line,
                                 "column %d: %s'%s' is also column %d", c + 1,
                                 in >= 0 ? "input " : "", lc_points_col_name(in), q + 1);
        r->col_input[c] = in;
    }
    if (st != LC_OK) {
        lc_points_close(r);
        return st;
    }
    r->n_cols = n;
    return LC_OK;
}

/* Row `text` (line `line`) into cols[.][j]: split at the delimiter,
 * every field parsed and range-checked.  Leaves text unchanged (fields
 * are copied), so a failing row can be parsed again for its message;
 * d may be NULL (the parallel pass). */
static lc_status parse_row(const lc_points_reader *r, const char *text, int line,
                           double *const *cols, size_t j, lc_diag *d)
{
    const char *p = text;
    int c = 0;
    for (;; c++) {
        const char *end = strchr(p, r->delim);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (c >= r->n_cols)
            return lc_diag_set(d, LC_EFORMAT, r->path, line,
                               "more than %d values, expected %d (one per column of the header)",
                               r->n_cols, r->n_cols);
        int in = r->col_input[c];
        /* "7B" as a spreadsheet quotes it; a quote anywhere else means CSV
         * quoting this reader does not do (a delimiter inside quotes) */
        if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
            p++;
            len -= 2;
        }
        if (memchr(p, '"', len))
            return lc_diag_set(d, LC_ESYNTAX, r->path, line,
                               "column %d (%s): a quote inside the value: expected a value, "
                               "bare or in double quotes (no delimiter inside quotes)", c + 1,
                               lc_points_col_name(in));
        char field[128];
        double x;
        lc_diag sub;
        if (in < 0) { /* a name (its quotes are gone) */
            if (len >= sizeof field)
                len = sizeof field - 1;
            memcpy(field, p, len);
            field[len] = '\0';
            lc_status st = lc_points_label(r->cat, in, field, &x, r->path, line, c + 1, d);
            if (st != LC_OK)
                return st;
            cols[c][j] = x;
            if (!end)
                break;
            p = end + 1;
            continue;
        }
        if (len == 0)
            return lc_diag_set(d, LC_EFORMAT, r->path, line,
                               "column %d (%s) is empty: expected a number", c + 1,
                               lc_inputs[in].name);
        if (len >= sizeof field)
            return lc_diag_set(d, LC_ESYNTAX, r->path, line,
                               "column %d (%s): a value of %zu characters is not a number",
                               c + 1, lc_inputs[in].name, len);
        memcpy(field, p, len);
        field[len] = '\0';
        if (lc_parse_number(field, &x, d ? &sub : NULL) != LC_OK)
            return lc_diag_set(d, LC_ESYNTAX, r->path, line, "column %d (%s): %s", c + 1,
                               lc_inputs[in].name, d ? sub.msg : "");
        if (lc_input_check((lc_input)in, x, d ? &sub : NULL) != LC_OK)
            return lc_diag_set(d, LC_ERANGE, r->path, line, "column %d: %s", c + 1,
                               d ? sub.msg : "");
        cols[c][j] = x;
        if (!end)
            break;
        p = end + 1;
    }
    if (c + 1 != r->n_cols)
        return lc_diag_set(d, LC_EFORMAT, r->path, line,
                           "%d values, expected %d (one per column of the header)", c + 1,
                           r->n_cols);
    return LC_OK;
}

lc_status lc_points_read(lc_points_reader *r, double *const *cols, int *lines, size_t max,
                         size_t *n, lc_diag *d)
{
    *n = 0;
    /* 1. the batch's rows, in order (one thread: it is I/O) */
    size_t used = 0, rows = 0;
    if (r->max < max) {
        size_t *no = realloc(r->off, max * sizeof *no);
        int *nl = no ? realloc(r->lnum, max * sizeof *nl) : NULL;
        if (no)
            r->off = no;
        if (!no || !nl)
            return lc_diag_set(d, LC_ENOMEM, r->path, 0, "out of memory");
        r->lnum = nl;
        r->max = max;
    }
    while (rows < max) {
        int got = next_line(r);
        if (got < 0)
            return read_error(r, got, d);
        if (got == 0)
            break;
        if (skip_line(r->buf))
            continue;
        size_t len = strlen(r->buf) + 1;
        if (used + len > r->bcap) {
            size_t cap = (used + len) * 2;
            char *nb = realloc(r->batch, cap);
            if (!nb)
                return lc_diag_set(d, LC_ENOMEM, r->path, r->line, "out of memory");
            r->batch = nb;
            r->bcap = cap;
        }
        memcpy(r->batch + used, r->buf, len);
        r->off[rows] = used;
        r->lnum[rows] = r->line;
        used += len;
        rows++;
    }
    /* 2. parsed in parallel; the first bad row (in file order) is reported */
    size_t bad = rows;
    int nt = r->threads > 0 ? r->threads : omp_get_max_threads();
#pragma omp parallel for schedule(static) reduction(min : bad) num_threads(nt)
    for (size_t j = 0; j < rows; j++)
        if (parse_row(r, r->batch + r->off[j], r->lnum[j], cols, j, NULL) != LC_OK && j < bad)
            bad = j;
    if (bad < rows)
        return parse_row(r, r->batch + r->off[bad], r->lnum[bad], cols, bad, d);
    if (lines)
        memcpy(lines, r->lnum, rows * sizeof *lines);
    *n = rows;
    return LC_OK;
}

void lc_points_close(lc_points_reader *r)
{
    if (r->f && r->f != stdin)
        fclose(r->f);
    r->f = NULL;
    free(r->buf);
    free(r->batch);
    free(r->off);
    free(r->lnum);
    r->buf = r->batch = NULL;
    r->off = NULL;
    r->lnum = NULL;
    r->cap = r->bcap = r->max = 0;
}
