/*
 * cluster_identity.c - a sweep's identity: FNV-1a fingerprint of its spec
 * text and options, and a key-by-key description of how two identities
 * differ, so a refused resume or merge can say what changed.
 */
#include "cluster/cluster_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ini.h"

void lc_cluster_fingerprint_text(uint64_t fp, char out[LC_FINGERPRINT_LEN])
{
    snprintf(out, LC_FINGERPRINT_LEN, "fnv1a64:%016llx", (unsigned long long)fp);
}

typedef struct {
    char section[80], key[64];
    char *value;
    int line;
} kv;

typedef struct {
    kv *v;
    int n, cap;
} kvlist;

static lc_status collect(void *user, const char *section, const char *key,
                         const char *value, int line, lc_diag *d)
{
    kvlist *l = user;
    (void)d;
    /* an indented continuation line repeats the key: append to it */
    if (l->n > 0 && strcmp(l->v[l->n - 1].section, section) == 0 &&
        strcmp(l->v[l->n - 1].key, key) == 0) {
        kv *last = &l->v[l->n - 1];
        size_t a = strlen(last->value), b = strlen(value);
        char *s = realloc(last->value, a + b + 2);
        if (!s)
            return LC_ENOMEM;
        s[a] = ' ';
        memcpy(s + a + 1, value, b + 1);
        last->value = s;
        return LC_OK;
    }
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 32;
        kv *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v)
            return LC_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    kv *e = &l->v[l->n];
    snprintf(e->section, sizeof e->section, "%s", section);
    snprintf(e->key, sizeof e->key, "%s", key);
    e->value = strdup(value);
    if (!e->value)
        return LC_ENOMEM;
    e->line = line;
    l->n++;
    return LC_OK;
}

static void kvlist_free(kvlist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i].value);
    free(l->v);
}

static const kv *find(const kvlist *l, const kv *e)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i].section, e->section) == 0 && strcmp(l->v[i].key, e->key) == 0)
            return &l->v[i];
    return NULL;
}

/* append one difference to buf with "; " separators, never overflowing */
static void add(char *buf, size_t size, size_t *used, int *count, const char *item)
{
    (*count)++;
    if (!buf || size == 0 || *used + 1 >= size)
        return;
    int w = snprintf(buf + *used, size - *used, "%s%s", *count > 1 ? "; " : "", item);
    if (w > 0)
        *used = (*used + (size_t)w < size) ? *used + (size_t)w : size - 1;
}

int lc_cluster_identity_diff(const char *old_text, size_t old_len,
                             const char *new_text, size_t new_len, char *buf,
                             size_t size)
{
    kvlist a = {0}, b = {0};
    size_t used = 0;
    int count = 0;
    char item[700];
    if (buf && size)
        buf[0] = 0;
    if (lc_ini_parse_text(old_text, old_len, "old", collect, &a, NULL) != LC_OK ||
        lc_ini_parse_text(new_text, new_len, "new", collect, &b, NULL) != LC_OK) {
        /* not INI: fall back to the first differing line */
        kvlist_free(&a);
        kvlist_free(&b);
        if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0)
            return 0;
        int line = 1;
        size_t i = 0;
        while (i < old_len && i < new_len && old_text[i] == new_text[i])
            line += old_text[i++] == '\n';
        if (buf && size)
            snprintf(buf, size, "the text differs from line %d on", line);
        return 1;
    }
    for (int i = 0; i < a.n; i++) {
        const kv *o = &a.v[i], *n = find(&b, o);
        const char *why = ""; /* what a fingerprint of the values stands for */
        if (strcmp(o->section, "llmcost") == 0 && strcmp(o->key, "model") == 0)
            why = " (this binary computes another model: finish with the binary that "
                  "started the run, or start over)";
        else if (strcmp(o->section, "llmcost") == 0 && strcmp(o->key, "values") == 0)
            why = " (the numbers the spec resolves to changed: a catalogue GPU's figures, an "
                  "architecture preset or a price)";
        if (!n && strcmp(o->section, "llmcost") == 0) {
            snprintf(item, sizeof item, "setting %s = '%s' removed", o->key, o->value);
            add(buf, size, &used, &count, item);
        } else if (!n) {
            snprintf(item, sizeof item, "[%s] %s = '%s' removed (was line %d)",
                     o->section, o->key, o->value, o->line);
            add(buf, size, &used, &count, item);
        } else if (strcmp(o->value, n->value) != 0 && strcmp(o->section, "llmcost") == 0) {
            /* settings llmcost appends (command-line options): no spec line */
            snprintf(item, sizeof item, "setting %s: '%s' -> '%s'%s", o->key, o->value, n->value,
                     why);
            add(buf, size, &used, &count, item);
        } else if (strcmp(o->value, n->value) != 0) {
            snprintf(item, sizeof item, "[%s] %s: '%s' -> '%s' (line %d)", o->section,
                     o->key, o->value, n->value, n->line);
            add(buf, size, &used, &count, item);
        }
    }
    for (int i = 0; i < b.n; i++) {
        const kv *n = &b.v[i];
        if (!find(&a, n)) {
            snprintf(item, sizeof item, "[%s] %s = '%s' added (line %d)", n->section,
                     n->key, n->value, n->line);
            add(buf, size, &used, &count, item);
        }
    }
    kvlist_free(&a);
    kvlist_free(&b);
    return count;
}
