/*
 * cmd_slice.c - 'llmcost slice': export a 0/1/2-D slice of one output of a
 * sweep file as gnuplot data (text columns or float64 records).
 *
 * Parses the options, calls lc_slice_read / lc_slice_write_* (slice.h),
 * prints the library's notes on stderr and maps the status to the exit code
 * (2 for anything the user can fix: unknown name, not a sweep file, ...).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "h5/slice_read.h"
#include "h5/slice_write.h"
#include "util/path.h"
#include <sys/stat.h>

#define CMD "slice"

static void usage(FILE *f)
{
    fputs("Usage: llmcost slice FILE OUTPUT --x AXIS [--y AXIS] [--at AXIS=VALUE ...]\n"
          "                     [--exact] [--format text|binary] [-o FILE]\n"
          "\n"
          "Write a 1-D (--x) or 2-D (--x and --y) slice of OUTPUT from the sweep FILE\n"
          "as data gnuplot reads; every other axis OUTPUT depends on is fixed with --at.\n"
          "Without --x, every axis is fixed and the single value is written.\n"
          "\n"
          "  --x AXIS, --y AXIS   the axes of the slice (x varies fastest)\n"
          "  --at AXIS=VALUE      fix AXIS at VALUE (SI suffixes: 175B, 1.8T, 2M), at a\n"
          "                       name on the gpu axis (--at gpu=H100) or at an index\n"
          "                       (--at util=#2, 0-based); repeat for each axis.\n"
          "                       A value not on the axis uses the nearest one (note on\n"
          "                       stderr). Axes OUTPUT does not depend on are ignored.\n"
          "  --exact              a value not on its axis is an error listing the values\n"
          "  --format text        (default) '#' header naming file, output, axes, units\n"
          "                       and fixed values; 1-D: 'x z' lines; 2-D: 'x y z' lines\n"
          "                       with a blank line after each scan (splot using 1:2:3).\n"
          "                       NaN (no finite value: no break-even) is written as NaN.\n"
          "  --format binary      native float64 records (x, y, z), x fastest; 1-D (x, z):\n"
          "                       binary record=(NX,NY) format='%3float64' using 1:2:3\n"
          "  -o FILE              write to FILE instead of standard output\n"
          "  --help               this text\n"
          "\n"
          "A gpu axis is written as its index (0, 1, ...); the header lists the names\n"
          "and 1-D text adds the name as a third column (using 1:2:xtic(3)).\n"
          "\n"
          "Example:\n"
          "  llmcost slice frontier.h5 pretrain_cost --x params --y tokens \\\n"
          "      --at gpu=A100 --at util=0.5 -o cost.txt\n"
          "\n"
          "Exit status: 0 ok, 1 failure, 2 usage or input error (unknown output or\n"
          "axis, value not on the axis with --exact, not an llmcost sweep file).\n",
          f);
}

static void print_notes(const char *notes)
{
    const char *p = notes;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        fprintf(stderr, "llmcost slice: note: %.*s\n", (int)len, p);
        p += len + (e ? 1 : 0);
    }
}

int lc_cmd_slice(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int n_pos = 0, binary = 0;
    const char *out_path = NULL;
    char at_buf[LC_SLICE_MAX_AXES][160];
    lc_slice_at at[LC_SLICE_MAX_AXES];
    lc_slice_request rq;
    memset(&rq, 0, sizeof rq);

    lc_cli_args a;
    int r;
    lc_cli_args_init(&a, CMD, argc, argv);
    while ((r = lc_cli_next(&a)) != 0) {
        const char *v = NULL;
        if (r < 0) {
            if (n_pos >= 2) {
                lc_cli_unknown(&a);
                return 2;
            }
            pos[n_pos++] = a.arg;
            continue;
        }
        if (lc_cli_is_help(&a)) {
            usage(stdout);
            return 0;
        }
        if (lc_cli_is(&a, "exact")) {
            if (lc_cli_flag(&a) != LC_OK)
                return 2;
            rq.exact = 1;
            continue;
        }
        if (!lc_cli_is(&a, "x") && !lc_cli_is(&a, "y") && !lc_cli_is(&a, "at") &&
            !lc_cli_is(&a, "format") && !lc_cli_is(&a, "o")) {
            lc_cli_unknown(&a);
            return 2;
        }
        if (lc_cli_value(&a, &v) != LC_OK)
            return 2;
        if (lc_cli_is(&a, "x")) {
            rq.x = v;
        } else if (lc_cli_is(&a, "y")) {
            rq.y = v;
        } else if (lc_cli_is(&a, "o")) {
            out_path = v;
        } else if (lc_cli_is(&a, "format")) {
            if (strcmp(v, "text") == 0) {
                binary = 0;
            } else if (strcmp(v, "binary") == 0) {
                binary = 1;
            } else {
                lc_cli_error(CMD, "--format is text or binary, not '%s'", v);
                return 2;
            }
        } else { /* --at AXIS=VALUE */
            const char *eq = strchr(v, '=');
            if (!eq || eq == v || !eq[1]) {
                lc_cli_error(CMD, "--at expects AXIS=VALUE, got '%s'", v);
                return 2;
            }
            if (rq.n_at >= LC_SLICE_MAX_AXES || strlen(v) >= sizeof at_buf[0]) {
                lc_cli_error(CMD, "too many or too long --at options");
                return 2;
            }
            char *b = at_buf[rq.n_at];
            snprintf(b, sizeof at_buf[0], "%s", v);
            b[eq - v] = '\0';
            at[rq.n_at].axis = b;
            at[rq.n_at].value = b + (eq - v) + 1;
            rq.n_at++;
        }
    }
    if (n_pos < 1) {
        fputs("llmcost slice: missing FILE and OUTPUT\n", stderr);
        usage(stderr);
        return 2;
    }
    struct stat osb; /* -o a directory: refused before reading (a pipe is fine) */
    if (out_path && stat(out_path, &osb) == 0 && S_ISDIR(osb.st_mode)) {
        fprintf(stderr, "llmcost slice: %s: is a directory, not a file name for -o\n", out_path);
        return 2;
    }
    if (out_path && lc_path_same_file(pos[0], out_path)) { /* -o would replace the sweep */
        fprintf(stderr, "llmcost slice: -o %s is the sweep file itself: give another file\n",
                out_path);
        return 2;
    }
    rq.path = pos[0];
    rq.output = pos[1] ? pos[1] : "";
    rq.at = at;

    lc_slice s;
    lc_diag d = {"", 0, ""};
    char msg[1600];
    lc_status st = lc_slice_read(&s, &rq, &d);
    if (st != LC_OK) {
        lc_diag_format(&d, msg, sizeof msg);
        if (!pos[1] && st == LC_ENOTFOUND)
            fprintf(stderr, "llmcost slice: missing OUTPUT: %s\n", strstr(msg, "outputs in") ? strstr(msg, "outputs in") : msg);
        else
            fprintf(stderr, "llmcost slice: %s\n", msg);
        lc_slice_free(&s);
        return pos[1] ? lc_exit_code(st) : 2;
    }
    print_notes(s.notes);

    FILE *f = stdout;
    char partial[LC_PATH_MAX] = ""; /* a regular file is written as FILE.partial, renamed */
    if (out_path) {
        struct stat sb;
        if (stat(out_path, &sb) == 0 && !S_ISREG(sb.st_mode)) { /* a pipe, /dev/null */
            f = fopen(out_path, binary ? "wb" : "w");
        } else {
            lc_diag pd;
            lc_status pst = lc_path_fmt(partial, sizeof partial, &pd, "%s.partial", out_path);
            if (pst == LC_OK)
                pst = lc_path_create_excl(partial, 0, &f, &pd);
            if (pst != LC_OK) {
                if (pst == LC_EEXIST)
                    fprintf(stderr, "llmcost slice: %s: exists (left by an interrupted run? "
                                    "remove it, or choose another -o)\n", partial);
                else
                    fprintf(stderr, "llmcost slice: %s\n", pd.msg);
                lc_slice_free(&s);
                return lc_exit_code(pst == LC_EEXIST ? LC_EINVAL : pst);
            }
        }
        if (!f) {
            fprintf(stderr, "llmcost slice: %s: cannot create: %s\n", out_path, strerror(errno));
            lc_slice_free(&s);
            return 1;
        }
    } else if (binary && isatty(fileno(stdout))) {
        fputs("llmcost slice: binary output to a terminal: use -o FILE or a pipe\n", stderr);
        lc_slice_free(&s);
        return 2;
    }
    st = binary ? lc_slice_write_binary(&s, f, &d) : lc_slice_write_text(&s, f, &d);
    if (out_path && fclose(f) != 0 && st == LC_OK)
        st = lc_diag_set(&d, LC_EIO, out_path, 0, "write failed: %s", strerror(errno));
    /* complete: FILE appears whole or not at all (a killed run leaves FILE.partial) */
    if (st == LC_OK && partial[0] && rename(partial, out_path) != 0)
        st = lc_diag_set(&d, LC_EIO, out_path, 0, "cannot rename %s: %s", partial,
                         strerror(errno));
    if (st != LC_OK) {
        lc_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "llmcost slice: %s%s%s\n", out_path && !d.file[0] ? out_path : "",
                out_path && !d.file[0] ? ": " : "", msg);
        if (partial[0])
            remove(partial); /* never leave a short file that looks like a slice */
    }
    lc_slice_free(&s);
    return lc_exit_code(st);
}
