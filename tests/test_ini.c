/*
 * test_ini.c - the INI reader (ini.h): the line of every key, and the files
 * Debian's inih would misread (over-long lines, non-UTF-8, empty files)
 * reported with their file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/ini.h"

typedef struct {
    int n;
    char section[16][64], key[16][64], value[16][256];
    int line[16];
    int fail_at_line; /* handler returns LC_EINVAL at this line */
} seen;

static lc_status record(void *user, const char *section, const char *key, const char *value,
                        int line, lc_diag *d)
{
    seen *s = user;
    if (line == s->fail_at_line)
        return lc_diag_set(d, LC_EINVAL, "handler", line, "handler refused '%s'", key);
    if (s->n < 16) {
        snprintf(s->section[s->n], 64, "%s", section);
        snprintf(s->key[s->n], 64, "%s", key);
        snprintf(s->value[s->n], 256, "%s", value);
        s->line[s->n] = line;
    }
    s->n++;
    return LC_OK;
}

static lc_status parse(const char *text, seen *s, lc_diag *d)
{
    memset(d, 0, sizeof *d);
    return lc_ini_parse_text(text, strlen(text), "t.ini", record, s, d);
}

static void test_every_key_knows_its_line_and_section(void **state)
{
    (void)state;
    seen s = {0};
    lc_diag d;
    const char *text = "top = 0\n"
                       "; a comment\n"
                       "\n"
                       "[a]\n"
                       "x = 1\n"
                       "# another comment\n"
                       "y: two words\n"
                       "[b]\n"
                       "z = 3 ; inline comment\n";
    assert_int_equal(parse(text, &s, &d), LC_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.section[0], "");
    assert_int_equal(s.line[0], 1);
    assert_string_equal(s.section[1], "a");
    assert_string_equal(s.key[1], "x");
    assert_int_equal(s.line[1], 5);
    assert_string_equal(s.value[2], "two words");
    assert_int_equal(s.line[2], 7);
    assert_string_equal(s.section[3], "b");
    assert_string_equal(s.value[3], "3");
    assert_int_equal(s.line[3], 9);
}

static void test_crlf_lines_count_the_same(void **state)
{
    (void)state;
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse("[a]\r\n\r\nk = v\r\n", &s, &d), LC_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.value[0], "v");
    assert_int_equal(s.line[0], 3);
}

static void test_indented_line_continues_the_previous_key(void **state)
{
    (void)state;
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse("[a]\nk = one\n  two\n", &s, &d), LC_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.key[1], "k");
    assert_string_equal(s.value[1], "two");
    assert_int_equal(s.line[1], 3);
}

static char *line_of(size_t n, char c)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_250_char_line_is_reported_with_its_line(void **state)
{
    (void)state;
    char *val = line_of(250 - 4, 'v');
    char text[600];
    snprintf(text, sizeof text, "[a]\nk = 1\nl = %s\nm = 2\n", val);
    free(val);
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse(text, &s, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.file, "t.ini");
    assert_non_null(strstr(d.msg, "250"));
    assert_int_equal(s.n, 1); /* nothing after the bad line was handed on */
    char buf[2048];
    lc_diag_format(&d, buf, sizeof buf);
    assert_true(strncmp(buf, "t.ini:3: ", 9) == 0);
}

static void test_199_chars_is_the_longest_line(void **state)
{
    (void)state;
    char text[600];
    char *val = line_of(LC_INI_MAX_LINE - 4, 'v');
    snprintf(text, sizeof text, "k = %s\n", val);
    seen s = {0};
    lc_diag d;
    assert_int_equal((int)strlen(text), LC_INI_MAX_LINE + 1);
    assert_int_equal(parse(text, &s, &d), LC_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.value[0], val); /* whole, not split by inih */
    free(val);
}

static void test_200_chars_is_too_long(void **state)
{
    (void)state;
    char text[600];
    char *val = line_of(LC_INI_MAX_LINE + 1 - 4, 'v');
    snprintf(text, sizeof text, "[s]\nk = %s\n", val);
    free(val);
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse(text, &s, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 2);
}

static void test_non_utf8_is_rejected_with_its_line(void **state)
{
    (void)state;
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse("[a]\nk = caf\xe9\n", &s, &d), LC_ESYNTAX); /* Latin-1 */
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "UTF-8"));
    memset(&s, 0, sizeof s);
    assert_int_equal(parse("[a]\nk = 1\nn = \xff\xfe\n", &s, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 3);
    memset(&s, 0, sizeof s);
    assert_int_equal(parse("k = \xe4\xb8\n", &s, &d), LC_ESYNTAX); /* cut sequence */
    /* overlong '/', a UTF-16 surrogate, a code point above U+10FFFF */
    static const char *const bad[] = {"k = \xc0\xaf\n", "k = \xe0\x80\xaf\n",
                                      "k = \xed\xa0\x80\n", "k = \xf4\x90\x80\x80\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&s, 0, sizeof s);
        if (parse(bad[i], &s, &d) != LC_ESYNTAX)
            fail_msg("invalid UTF-8 #%zu accepted", i);
        assert_int_equal(d.line, 1);
    }
    /* the extremes of valid UTF-8 pass: U+0800, U+D7FF, U+E000, U+10000, U+10FFFF */
    memset(&s, 0, sizeof s);
    assert_int_equal(parse("k = \xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80"
                           "\xf4\x8f\xbf\xbf\n", &s, &d), LC_OK);
    /* real UTF-8 passes */
    memset(&s, 0, sizeof s);
    assert_int_equal(parse("[a]\nname = \xe6\x88\x90\xe6\x9c\xac \xe2\x89\xa5\n", &s, &d),
                     LC_OK);
    assert_string_equal(s.value[0], "\xe6\x88\x90\xe6\x9c\xac \xe2\x89\xa5");
}

static void test_empty_file_is_an_error(void **state)
{
    (void)state;
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse("", &s, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "empty"));
    assert_int_equal(parse(" \n\n\t\r\n", &s, &d), LC_ESYNTAX);
    assert_non_null(strstr(d.msg, "empty"));
    assert_int_equal(s.n, 0);
}

static void test_syntax_error_has_its_line(void **state)
{
    (void)state;
    seen s = {0};
    lc_diag d;
    assert_int_equal(parse("[a]\nk = 1\nnot a key value line\nm = 2\n", &s, &d), LC_ESYNTAX);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.file, "t.ini");
}

static void test_handler_error_stops_the_parse(void **state)
{
    (void)state;
    seen s = {0};
    s.fail_at_line = 3;
    lc_diag d;
    assert_int_equal(parse("[a]\nk = 1\nbad = 2\nlater = 3\n", &s, &d), LC_EINVAL);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "bad"));
    assert_int_equal(s.n, 1);
}

/* Header scanner: records (name, closed, line) of every header line. */
typedef struct {
    char names[4][32];
    int closed[4], lines[4], n;
} headers_seen;

static lc_status note_header(void *user, const char *name, size_t len, int closed,
                             int line, lc_diag *d)
{
    (void)d;
    headers_seen *h = user;
    if (h->n >= 4 || len >= sizeof h->names[0])
        return LC_EINVAL;
    memcpy(h->names[h->n], name, len);
    h->names[h->n][len] = '\0';
    h->closed[h->n] = closed;
    h->lines[h->n++] = line;
    return LC_OK;
}

static void test_header_scan_gives_names_lines_and_unclosed(void **state)
{
    (void)state;
    /* BOM on line 1, an indented header, a key, a bracket inside a value, an
     * unclosed header on the last line without a newline */
    const char *text = "\xEF\xBB\xBF[a]\nk = [not a header]\n  [ b c ]\n; [comment]\n[open";
    headers_seen h = {0};
    assert_int_equal(lc_ini_scan_headers(text, strlen(text), note_header, &h, NULL), LC_OK);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.names[0], "a");
    assert_int_equal(h.lines[0], 1);
    assert_int_equal(h.closed[0], 1);
    assert_string_equal(h.names[1], " b c ");
    assert_int_equal(h.lines[1], 3);
    assert_string_equal(h.names[2], "open");
    assert_int_equal(h.lines[2], 5);
    assert_int_equal(h.closed[2], 0);
    /* a status from the callback stops the scan */
    headers_seen full = {.n = 4};
    assert_int_equal(lc_ini_scan_headers(text, strlen(text), note_header, &full, NULL), LC_EINVAL);
}

static void test_files_read_and_missing_file_named(void **state)
{
    (void)state;
    char path[] = "/tmp/llmcost_test_ini_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "[x]\n\nkey = value\n";
    assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    seen s = {0};
    lc_diag d = {{0}, 0, {0}};
    assert_int_equal(lc_ini_parse_file(path, record, &s, &d), LC_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.line[0], 3);
    char *buf;
    size_t len;
    assert_int_equal(lc_read_file(path, &buf, &len, &d), LC_OK);
    assert_int_equal(len, strlen(text));
    assert_string_equal(buf, text);
    free(buf);
    unlink(path);
    assert_int_not_equal(lc_ini_parse_file(path, record, &s, &d), LC_OK);
    assert_string_equal(d.file, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_knows_its_line_and_section),
        cmocka_unit_test(test_header_scan_gives_names_lines_and_unclosed),
        cmocka_unit_test(test_crlf_lines_count_the_same),
        cmocka_unit_test(test_indented_line_continues_the_previous_key),
        cmocka_unit_test(test_250_char_line_is_reported_with_its_line),
        cmocka_unit_test(test_199_chars_is_the_longest_line),
        cmocka_unit_test(test_200_chars_is_too_long),
        cmocka_unit_test(test_non_utf8_is_rejected_with_its_line),
        cmocka_unit_test(test_empty_file_is_an_error),
        cmocka_unit_test(test_syntax_error_has_its_line),
        cmocka_unit_test(test_handler_error_stops_the_parse),
        cmocka_unit_test(test_files_read_and_missing_file_named),
    };
    return cmocka_run_group_tests_name("ini", tests, NULL, NULL);
}
