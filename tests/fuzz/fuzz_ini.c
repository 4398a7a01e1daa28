/*
 * fuzz_ini.c - libFuzzer harness for lc_ini_parse_text (src/util/ini.c,
 * libinih driven by our own line reader).  Invariants: every key handed to
 * the handler has a line number >= 1 that never decreases, a key and value
 * of at most LC_INI_MAX_LINE characters, valid pointers; a failure carries a
 * message.  The handler stops the parse on a key named "stop" to exercise
 * the early-exit path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    int last_line;
    int keys;
} seen;

static lc_status on_key(void *user, const char *section, const char *key,
                        const char *value, int line, lc_diag *d)
{
    seen *s = user;
    if (line < 1 || line < s->last_line)
        abort();
    if (strlen(section) > LC_INI_MAX_LINE || strlen(key) > LC_INI_MAX_LINE ||
        strlen(value) > LC_INI_MAX_LINE)
        abort();
    s->last_line = line;
    s->keys++;
    if (strcmp(key, "stop") == 0)
        return lc_diag_set(d, LC_EINVAL, "fuzz", line, "stop requested");
    return LC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy, not NUL-terminated: the reader must honour len */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    seen s = {0, 0};
    lc_diag d;
    memset(&d, 0, sizeof d);
    lc_status st = lc_ini_parse_text(text, size, "fuzz.ini", on_key, &s, &d);
    if (st != LC_OK && d.msg[0] == '\0')
        abort();
    free(text);
    return 0;
}
