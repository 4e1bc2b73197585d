/*
 * test_diag.c: diagnostics (diag.c), rendered byte for byte: `file:line:col: level: message`,
 * the source line, and a caret line with ^~~~ under the span that keeps the source line's tabs.
 */
#include "testutil.h"

static char *render(const df_diags *d, bool color)
{
    df_buf b = {0};
    diag_render(d, &b, color);
    if (!b.p)
        buf_put(&b, "", 0);
    return b.p;
}

static void test_env_without_value(void **state)
{
    (void)state;
    assert_parse_err("FROM busybox\n\nENV PATH\n",
                     "Dockerfile:3:5: error: ENV must have two arguments\n"
                     "ENV PATH\n"
                     "    ^~~~\n");
}

static void test_nested_json(void **state)
{
    (void)state;
    assert_parse_err("FROM alpine\nCMD [\"a\", [\"b\"]]\n",
                     "Dockerfile:2:5: error: when using JSON array syntax, arrays must be "
                     "comprised of strings only\n"
                     "CMD [\"a\", [\"b\"]]\n"
                     "    ^~~~~~~~~~~~\n");
}

/* A span that runs onto a continuation line is cut at the end of its first line. */
static void test_span_cut_at_line_end(void **state)
{
    (void)state;
    assert_parse_err("FROM alpine\nCMD [\"a\", \\\n  [\"b\"]]\n",
                     "Dockerfile:2:5: error: when using JSON array syntax, arrays must be "
                     "comprised of strings only\n"
                     "CMD [\"a\", \\\n"
                     "    ^~~~~~~\n");
}

static void test_unterminated_heredoc_with_tabs(void **state)
{
    (void)state;
    assert_parse_err("FROM a\n\tRUN\tcat <<EOF\nx\n",
                     "Dockerfile:2:10: error: unterminated heredoc: no line \"EOF\" closes the "
                     "heredoc opened on line 2\n"
                     "\tRUN\tcat <<EOF\n"
                     "\t   \t    ^~~~~\n");
}

static void test_tabs_kept(void **state)
{
    (void)state;
    assert_parse_err("FROM a\n\tENV\tPATH\n",
                     "Dockerfile:2:6: error: ENV must have two arguments\n"
                     "\tENV\tPATH\n"
                     "\t   \t^~~~\n");
}

static void test_duplicate_directive(void **state)
{
    (void)state;
    assert_parse_err("# syntax=a\n# syntax=b\nFROM x\n",
                     "Dockerfile:2:1: error: only one syntax parser directive can be used\n"
                     "# syntax=b\n"
                     "^~~~~~~~~~\n");
}

static void test_invalid_escape_directive(void **state)
{
    (void)state;
    assert_parse_err("# escape=x\nFROM a\n",
                     "Dockerfile:1:10: error: invalid escape token 'x' does not match ` or \\\n"
                     "# escape=x\n"
                     "         ^\n");
}

static void test_empty_file(void **state)
{
    (void)state;
    assert_parse_err("", "Dockerfile:1:1: error: file with no instructions\n");
    /* only comments and blank lines: the position is the end of the file */
    assert_parse_err("# Hello\n# just comments\n\n",
                     "Dockerfile:4:1: error: file with no instructions\n");
}

static void test_error_on_continuation_line(void **state)
{
    (void)state;
    assert_parse_err("FROM a\nENV \\\n  ONLY\n",
                     "Dockerfile:3:3: error: ENV must have two arguments\n"
                     "  ONLY\n"
                     "  ^~~~\n");
    assert_parse_err("FROM a\nENV a=1 b c=2\n",
                     "Dockerfile:2:9: error: syntax error: can't find = in \"b\"; must be of the "
                     "form: name=value\n"
                     "ENV a=1 b c=2\n"
                     "        ^\n");
}

static void test_crlf_line(void **state)
{
    (void)state;
    assert_parse_err("FROM a\r\nENV PATH\r\n",
                     "Dockerfile:2:5: error: ENV must have two arguments\n"
                     "ENV PATH\n"
                     "    ^~~~\n");
}

/* The BOM is not part of the first line's columns nor of the source line shown. */
static void test_bom_line(void **state)
{
    (void)state;
    assert_parse_err("\xEF\xBB\xBF" "ENV PATH\n",
                     "Dockerfile:1:5: error: ENV must have two arguments\n"
                     "ENV PATH\n"
                     "    ^~~~\n");
}

/* Parsing keeps going after an error: every bad instruction is reported, in order. */
static void test_several(void **state)
{
    (void)state;
    assert_parse_err("FROM a\nENV A\nCMD [1]\nLABEL x\n",
                     "Dockerfile:2:5: error: ENV must have two arguments\n"
                     "ENV A\n"
                     "    ^\n"
                     "Dockerfile:3:5: error: when using JSON array syntax, arrays must be "
                     "comprised of strings only\n"
                     "CMD [1]\n"
                     "    ^~~\n"
                     "Dockerfile:4:7: error: LABEL must have two arguments\n"
                     "LABEL x\n"
                     "      ^\n");
}

static void test_levels_and_plain(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN  make\n");
    df_diags *d = df_diags_new();
    diag_add(d, DIAG_WARNING, doc, 12, 4, "%s is %d", "make", 4);
    diag_add(d, DIAG_NOTE, doc, 7, 0, "here");
    diag_add(d, DIAG_ERROR, doc, SIZE_MAX, 3, "no position");
    diag_addf_plain(d, DIAG_ERROR, "unknown pass '%s'", "x");
    /* a span past the end of its line is cut */
    diag_add(d, DIAG_NOTE, doc, 4, 100, "cut");
    assert_int_equal(df_diags_errors(d), 2);
    char *got = render(d, false);
    assert_string_equal(got, "Dockerfile:2:6: warning: make is 4\n"
                             "RUN  make\n"
                             "     ^~~~\n"
                             "Dockerfile:2:1: note: here\n"
                             "RUN  make\n"
                             "^\n"
                             "Dockerfile: error: no position\n"
                             "error: unknown pass 'x'\n"
                             "Dockerfile:1:5: note: cut\n"
                             "FROM a\n"
                             "    ^~\n");
    free(got);
    df_diags_free(d);
    df_doc_free(doc);
}

static void test_color(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n");
    df_diags *d = df_diags_new();
    diag_add(d, DIAG_ERROR, doc, 5, 1, "bad");
    char *got = render(d, true);
    assert_string_equal(got, "\033[1mDockerfile:1:6: \033[1;31merror:\033[0m\033[1m bad\033[0m\n"
                             "FROM a\n"
                             "     \033[1;32m^\033[0m\n");
    free(got);
    df_diags_free(d);
    df_doc_free(doc);
}

/* A rewritten instruction has no source offsets: diag_node points at the keyword of the line it
 * came from, which the node keeps, and a node with no source at all gets no position. */
static void test_rewritten_node(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n  add https://x.io/y /y\n");
    df_diags *d = df_diags_new();
    df_node *n = doc->head->next;
    assert_true(ir_node_set_text(doc, n, SLICE("ADD https://x.io/y /y\n"), d));
    assert_int_equal(n->src_off, SIZE_MAX);
    assert_int_equal(n->line, 2);
    diag_node(d, DIAG_WARNING, doc, n, node_src_offset(n, n->args[0].off), n->args[0].v.n,
              "remote");
    df_node *fresh = ir_node_from_text(doc, SLICE("RUN true\n"), d);
    assert_non_null(fresh);
    diag_node(d, DIAG_NOTE, doc, fresh, fresh->src_off, fresh->keyword.n, "new");
    assert_true(d->v[0].whole_line);
    assert_false(d->v[1].whole_line);
    char *got = render(d, false);
    assert_string_equal(got, "Dockerfile:2:3: warning: remote\n"
                             "  add https://x.io/y /y\n"
                             "  ^~~\n"
                             "Dockerfile: note: new\n");
    free(got);
    df_diags_free(d);
    df_doc_free(doc);
}

/* df_diags_print writes what diag_render renders. */
static void test_print_to_file(void **state)
{
    (void)state;
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("x.Dockerfile", "ENV K\n", 6, d);
    assert_null(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    df_diags_print(d, f, false);
    fclose(f);
    assert_string_equal(buf, "x.Dockerfile:1:5: error: ENV must have two arguments\nENV K\n"
                             "    ^\n");
    free(buf);
    df_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_without_value),
        cmocka_unit_test(test_nested_json),
        cmocka_unit_test(test_span_cut_at_line_end),
        cmocka_unit_test(test_unterminated_heredoc_with_tabs),
        cmocka_unit_test(test_tabs_kept),
        cmocka_unit_test(test_duplicate_directive),
        cmocka_unit_test(test_invalid_escape_directive),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_error_on_continuation_line),
        cmocka_unit_test(test_crlf_line),
        cmocka_unit_test(test_bom_line),
        cmocka_unit_test(test_several),
        cmocka_unit_test(test_levels_and_plain),
        cmocka_unit_test(test_color),
        cmocka_unit_test(test_rewritten_node),
        cmocka_unit_test(test_print_to_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
