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
    char *got = strndup(s.p, s.n);
    assert_string_equal(got, want);
    free(got);
}

#endif
