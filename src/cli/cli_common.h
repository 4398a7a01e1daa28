/*
 * cli_common.h - helpers shared by the llmcost subcommands (src/cli only).
 *
 * Options are read one at a time with an lc_cli_args cursor.  Every option
 * may be written "--name VALUE" or "--name=VALUE"; '-' and '_' in a name are
 * the same ("--util-infer" == "--util_infer"), so an option can be named
 * after the model input it sets.  Numbers go through lc_parse_number (SI
 * suffixes: 175B, 13T, 1.8M, 2k, 40%).
 *
 * Every helper that fails prints exactly one line "llmcost CMD: message" on
 * stderr and returns a non-OK status; the command maps it to an exit code
 * with lc_exit_code (2 for any user or input error).  Nothing here exits.
 */
#ifndef LLMCOST_CLI_COMMON_H
#define LLMCOST_CLI_COMMON_H

#include <stdio.h>

#include "catalog/catalog.h"
#include "util/status.h"

/* Cursor over a subcommand's argv (argv[0] = the subcommand name). */
typedef struct {
    const char *cmd;   /* "eval": used in every message */
    int argc;
    char **argv;
    int i;             /* index of the current argument */
    const char *arg;   /* the current argument as written */
    char name[64];     /* option name without "--", '-' mapped to '_' */
    const char *value; /* text after '=' or NULL */
} lc_cli_args;

void lc_cli_args_init(lc_cli_args *a, const char *cmd, int argc, char **argv);

/* Advance to the next argument.  Returns 1 for an option (a->name set),
 * 0 at the end, -1 for an argument that is not an option (a->arg). */
int lc_cli_next(lc_cli_args *a);

/* Is the current option `name`?  '-' and '_' compare equal. */
int lc_cli_is(const lc_cli_args *a, const char *name);

/* Is the current option --help or -h? */
int lc_cli_is_help(const lc_cli_args *a);

/* Value of the current option: the text after '=' or the next argument.
 * LC_EINVAL (message printed) when it is missing. */
lc_status lc_cli_value(lc_cli_args *a, const char **value);

/* Value of the current option as a number (SI suffixes allowed).
 * LC_ESYNTAX (message printed) when it is not a finite number. */
lc_status lc_cli_number(lc_cli_args *a, double *out);
/* The same for model input `input` (-1: none), which also takes the
 * input's words (lc_input_keyword: serving = compute | roofline). */
lc_status lc_cli_input_number(lc_cli_args *a, int input, double *out);

/* The current option is a flag: LC_EINVAL (message printed) if "=VALUE"
 * was attached to it. */
lc_status lc_cli_flag(const lc_cli_args *a);

/* Report the current argument as unknown (message printed), LC_EINVAL. */
lc_status lc_cli_unknown(const lc_cli_args *a);

/* "llmcost CMD: message" on stderr. */
void lc_cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print a diagnostic as "llmcost CMD: file:line: message" and return st. */
lc_status lc_cli_report(const char *cmd, lc_status st, const lc_diag *d);

/* Load the catalogue from `path` (NULL: the built-in copy).  On error the
 * message (with file:line) is printed and the status returned. */
lc_status lc_cli_catalog_load(const char *cmd, const char *path, lc_catalog *c);

/* The catalogue and price options every pricing command takes:
 * --catalog FILE, --catalog-add FILE (repeatable up to 8 times),
 * --price-date YYYY-MM[-DD], --price-kind KIND, --price-provider CLASS. */
typedef struct {
    const char *catalog;
    const char *add[8];
    int n_add;
    const char *price_date, *price_kind, *price_provider;
} lc_cli_prices;

/* If the current option is one of the above, take it (1; *st says whether
 * its value was fine, message printed), else 0. */
int lc_cli_price_option(lc_cli_args *a, lc_cli_prices *p, lc_status *st);
/* Any of them given? */
int lc_cli_prices_given(const lc_cli_prices *p);
/* Load the catalogue (--catalog or built-in), add every --catalog-add file
 * and select the records the price options ask for.  Errors are printed. */
lc_status lc_cli_catalog_open(const char *cmd, const lc_cli_prices *p, lc_catalog *c);
/* 1, with the message printed, when `out` is one of the catalogue files p
 * reads (--catalog, --catalog-add): no output replaces an input, not even
 * with --force.  0 otherwise (out NULL or "-" included). */
int lc_cli_output_is_catalog(const char *cmd, const lc_cli_prices *p, const char *out);
/* The help lines of the options above. */
void lc_cli_prices_help(FILE *f);
/* One line naming the selection: "prices as of 2024-06 (each GPU's reference
 * kind)" or "prices: reference records" (no newline). */
void lc_cli_prices_text(const lc_catalog *c, char *buf, size_t n);
/* JSON objects of the selected record of a GPU / API model, and of the
 * selection itself ({"date": ..., "kind": ..., "provider": ...}). */
void lc_json_gpu_record(FILE *f, const lc_gpu *g);
void lc_json_api_record(FILE *f, const lc_api *a);
void lc_json_price_query(FILE *f, const lc_catalog *c);

/* Unknown catalogue name: prints "unknown GPU 'X' (known: A, B, ...)". */
lc_status lc_cli_unknown_gpu(const char *cmd, const lc_catalog *c, const char *name);
lc_status lc_cli_unknown_api(const char *cmd, const lc_catalog *c, const char *name);
lc_status lc_cli_unknown_arch(const char *cmd, const lc_catalog *c, const char *name);

/* JSON output: a string with every character escaped as RFC 8259 requires
 * (quotes included), and a number (%.17g, so it reads back to the same
 * double) or null when not finite. */
void lc_json_string(FILE *f, const char *s);
void lc_json_number(FILE *f, double x);

#endif
