/*
 * ini.h - INI files (specs, catalogues) read with libinih, plus what Debian's
 * build of inih does not give: the line number of every key, a clear error
 * for lines longer than inih's 199-character buffer (which it would silently
 * split), for text that is not UTF-8, and for an empty file.
 *
 * The handler returns LC_OK to go on or a status (with d filled) to stop.
 * Keys before any section get section "".  Indented lines continue the
 * previous key: the handler is called again with the same key (inih's rule).
 */
#ifndef LLMCOST_INI_H
#define LLMCOST_INI_H

#include <stddef.h>

#include "util/status.h"

#define LC_INI_MAX_LINE 199

typedef lc_status (*lc_ini_handler)(void *user, const char *section,
                                    const char *key, const char *value,
                                    int line, lc_diag *d);

/* Parse a file.  Errors carry the file name and line. */
lc_status lc_ini_parse_file(const char *path, lc_ini_handler h, void *user,
                            lc_diag *d);

/* Parse text in memory; `name` is used as the file name in messages. */
lc_status lc_ini_parse_text(const char *text, size_t len, const char *name,
                            lc_ini_handler h, void *user, lc_diag *d);

/* Called for each "[NAME]" header line of INI text, in order: `name` points
 * at the text after '[' (name_len bytes, up to the first ']'; not trimmed,
 * not NUL-terminated), closed = 0 when the line has no ']'.  inih reports
 * only keys, so callers that need where sections start (or sections without
 * keys) scan the headers with this. */
typedef lc_status (*lc_ini_header_fn)(void *user, const char *name, size_t name_len,
                                      int closed, int line, lc_diag *d);

/* Every header line of text: the first non-blank character is '[' (a UTF-8
 * byte order mark on line 1 is skipped, as inih does).  Stops at the first
 * status other than LC_OK that fn returns. */
lc_status lc_ini_scan_headers(const char *text, size_t len, lc_ini_header_fn fn,
                              void *user, lc_diag *d);

/* Read a whole file into a NUL-terminated malloc'd buffer (for storing a
 * spec's text as provenance).  *len excludes the NUL. */
lc_status lc_read_file(const char *path, char **text, size_t *len, lc_diag *d);

#endif
