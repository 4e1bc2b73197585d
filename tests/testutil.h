/* testutil.h: what the cmocka unit tests share. Include it after cmocka's prerequisites. */
#ifndef DF_TESTUTIL_H
#define DF_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

/* Parses a NUL-terminated Dockerfile text; fails the test on a parse error. */
static inline df_doc *parse_ok(const char *src)
{
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", src, strlen(src), d);
    if (!doc)
        df_diags_print(d, stderr, false);
    df_diags_free(d);
    assert_non_null(doc);
    return doc;
}

/* Parses text expected to be rejected; returns the rendered diagnostics (malloc'd). */
static inline char *parse_err(const char *src)
{
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", src, strlen(src), d);
    assert_null(doc);
    assert_true(df_diags_errors(d) > 0);
    df_buf b = {0};
    diag_render(d, &b, false);
    df_diags_free(d);
    return b.p;
}

/* The n-th instruction (0-based). */
static inline df_node *nth(df_doc *doc, size_t n)
{
    df_node *x = doc->head;
    while (x && n--)
        x = x->next;
    assert_non_null(x);
    return x;
}

static inline void assert_slice(df_slice s, const char *want)
{
    char *got = strndup(s.n ? s.p : "", s.n); /* an empty slice may have a NULL pointer */
    assert_string_equal(got, want);
    free(got);
}

/* Asserts the NULL-terminated list of expected values against an argument array. */
static inline void check_args(const df_arg *got, size_t n, const char *const *want)
{
    size_t k = 0;
    while (want[k])
        k++;
    if (n != k)
        fail_msg("expected %zu arguments, got %zu", k, n);
    for (size_t i = 0; i < n; i++) {
        if (got[i].v.n != strlen(want[i]) || memcmp(got[i].v.p, want[i], got[i].v.n) != 0)
            fail_msg("argument %zu: expected '%s', got '%.*s'", i, want[i], SLICE_ARG(got[i].v));
    }
}

/* assert_args(node, "a", "b"): the node's arguments are exactly these values. */
#define assert_args(node, ...) \
    check_args((node)->args, (node)->nargs, (const char *const[]){__VA_ARGS__, NULL})
/* assert_flags(node, "--a=1"): the node's builder flags are exactly these values. */
#define assert_flags(node, ...) \
    check_args((node)->bflags, (node)->nbflags, (const char *const[]){__VA_ARGS__, NULL})

/* Asserts that logical offset loff of top-level node n is at source line:col (1-based). */
static inline void assert_pos(const df_doc *doc, const df_node *n, size_t loff, size_t line,
                              size_t col)
{
    size_t off = node_src_offset(n, loff), l = 0, c = 0;
    assert_true(off != SIZE_MAX);
    ir_line_col(doc, off, &l, &c);
    if (l != line || c != col)
        fail_msg("offset %zu: expected %zu:%zu, got %zu:%zu", loff, line, col, l, c);
}

/* The document printed back as Dockerfile text (malloc'd). */
static inline char *print_text(const df_doc *doc)
{
    return df_doc_print(doc, NULL);
}

/* Asserts that the document prints back as want. */
static inline void assert_prints(const df_doc *doc, const char *want)
{
    char *got = print_text(doc);
    assert_string_equal(got, want);
    free(got);
}

/* Parses src and asserts it prints back byte for byte. */
static inline void assert_identity(const char *src)
{
    df_doc *doc = parse_ok(src);
    assert_prints(doc, src);
    df_doc_free(doc);
}

/* Asserts the rendered diagnostics of a rejected src are exactly want. */
static inline void assert_parse_err(const char *src, const char *want)
{
    char *got = parse_err(src);
    assert_string_equal(got, want);
    free(got);
}

/* Asserts the rendered diagnostics of a rejected src contain want. */
static inline void assert_parse_err_has(const char *src, const char *want)
{
    char *got = parse_err(src);
    if (!strstr(got, want))
        fail_msg("expected a diagnostic containing '%s', got:\n%s", want, got);
    free(got);
}

#endif
