/*
 * fuzz_points.c - libFuzzer harness for the CSV reader of `eval --points`
 * (grid/points.h: lc_points_open, lc_points_read).  The input is written to
 * a private temporary file and read in batches of 7 rows on one thread, so
 * the batch seams and the first-bad-row rule are exercised.  Invariants: a
 * refusal carries a message, the file's name and a line inside the text
 * (never beyond its last line); an accepted header names distinct inputs
 * (and arch / gpu name columns); every value read is finite and passes its
 * input's range check (a name: an index into the built-in catalogue), and
 * the rows' line numbers increase strictly.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "grid/points.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

static void cleanup(void)
{
    if (fd >= 0)
        unlink(path);
}

static lc_catalog cat;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        lc_diag cd;
        if (lc_catalog_load(&cat, NULL, &cd) != LC_OK)
            abort();
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/lcfuzzptsXXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
        if ((fd = mkstemp(path)) < 0)
            abort();
        atexit(cleanup);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    int lines = 1; /* lines in the text, counting a last one without '\n' */
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    lc_points_reader r;
    lc_diag d;
    memset(&d, 0, sizeof d);
    lc_status st = lc_points_open(&r, path, &d);
    if (st != LC_OK) {
        if (d.msg[0] == '\0' || strcmp(d.file, path) != 0 || d.line < 0 || d.line > lines)
            abort();
        return 0;
    }
    if (r.n_cols < 1 || r.n_cols > LC_POINTS_FILE_COLS)
        abort();
    for (int c = 0; c < r.n_cols; c++) {
        int ci = r.col_input[c];
        if (!(ci >= 0 && ci < LC_IN_COUNT) && ci != LC_POINTS_COL_ARCH && ci != LC_POINTS_COL_GPU)
            abort();
        for (int q = 0; q < c; q++)
            if (r.col_input[q] == r.col_input[c])
                abort();
    }
    r.threads = 1;
    r.cat = &cat; /* name columns (arch, gpu) are looked up in the built-in catalogue */
    enum { MAXROWS = 7 };
    static double store[LC_POINTS_FILE_COLS][MAXROWS];
    double *cols[LC_POINTS_FILE_COLS];
    for (int c = 0; c < LC_POINTS_FILE_COLS; c++)
        cols[c] = store[c];
    int lnum[MAXROWS], last = 1;
    for (;;) {
        size_t n = 0;
        memset(&d, 0, sizeof d);
        st = lc_points_read(&r, cols, lnum, MAXROWS, &n, &d);
        if (st != LC_OK) {
            if (d.msg[0] == '\0' || strcmp(d.file, path) != 0 || d.line < 2 || d.line > lines)
                abort();
            break;
        }
        if (n == 0)
            break;
        for (size_t j = 0; j < n; j++) {
            if (lnum[j] <= last || lnum[j] > lines)
                abort();
            last = lnum[j];
            for (int c = 0; c < r.n_cols; c++) {
                lc_diag sub;
                int ci = r.col_input[c];
                double x = cols[c][j];
                if (ci < 0) { /* a name: its entry's index in the catalogue */
                    int n = ci == LC_POINTS_COL_ARCH ? cat.n_archs : cat.n_gpus;
                    if (!(x >= 0 && x < n && x == (double)(int)x))
                        abort();
                } else if (!isfinite(x) || lc_input_check((lc_input)ci, x, &sub) != LC_OK) {
                    abort();
                }
            }
        }
    }
    lc_points_close(&r);
    return 0;
}
