/*
 * test_ir.c: the IR (ir.c): list surgery keeps links, head/tail and the node count right,
 * re-parsing edited text, the checker over parsed documents, and the small helpers passes use
 * to build text (quoting, keyword case, line ends, positions).
 */
#include "testutil.h"

#include "expand.h"
#include "shell.h"

/* A fresh unlinked node from one instruction's text; fails the test when it does not parse. */
static df_node *make(df_doc *doc, const char *text)
{
    df_diags *d = df_diags_new();
    df_node *n = ir_node_from_text(doc, slice_from(text), d);
    assert_int_equal(df_diags_errors(d), 0);
    df_diags_free(d);
    assert_non_null(n);
    return n;
}

/* Walks the list both ways and checks it holds exactly the nodes with these keywords+args. */
static void assert_list(df_doc *doc, const char *const *want)
{
    size_t k = 0;
    while (want[k])
        k++;
    assert_int_equal(doc->nnodes, k);
    df_node *prev = NULL;
    size_t i = 0;
    for (df_node *n = doc->head; n; prev = n, n = n->next, i++) {
        assert_true(i < k);
        assert_ptr_equal(n->prev, prev);
        assert_slice(n->logical, want[i]);
    }
    assert_int_equal(i, k);
    assert_ptr_equal(doc->tail, prev);
    if (k == 0)
        assert_null(doc->head);
}

#define assert_nodes(doc, ...) assert_list((doc), (const char *const[]){__VA_ARGS__, NULL})

static void test_insert_before(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN b\n");
    df_node *x = make(doc, "RUN x\n");
    ir_insert_before(doc, doc->head, x);
    assert_ptr_equal(doc->head, x);
    assert_nodes(doc, "RUN x", "FROM a", "RUN b");
    df_node *y = make(doc, "RUN y\n");
    ir_insert_before(doc, doc->tail, y);
    assert_nodes(doc, "RUN x", "FROM a", "RUN y", "RUN b");
    /* before NULL appends */
    df_node *z = make(doc, "RUN z\n");
    ir_insert_before(doc, NULL, z);
    assert_ptr_equal(doc->tail, z);
    assert_nodes(doc, "RUN x", "FROM a", "RUN y", "RUN b", "RUN z");
    assert_prints(doc, "RUN x\nFROM a\nRUN y\nRUN b\nRUN z\n");
    df_doc_free(doc);
}

static void test_insert_after(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN b\n");
    df_node *x = make(doc, "RUN x\n");
    ir_insert_after(doc, doc->tail, x);
    assert_ptr_equal(doc->tail, x);
    assert_nodes(doc, "FROM a", "RUN b", "RUN x");
    df_node *y = make(doc, "RUN y\n");
    ir_insert_after(doc, doc->head, y);
    assert_nodes(doc, "FROM a", "RUN y", "RUN b", "RUN x");
    df_node *z = make(doc, "RUN z\n");
    ir_insert_after(doc, NULL, z);
    assert_nodes(doc, "FROM a", "RUN y", "RUN b", "RUN x", "RUN z");
    sema_stages(doc, NULL);
    ir_check(doc, "test_insert_after");
    assert_prints(doc, "FROM a\nRUN y\nRUN b\nRUN x\nRUN z\n");
    df_doc_free(doc);
}

static void test_append_to_empty(void **state)
{
    (void)state;
    df_doc *doc = ir_doc_new("x", "", 0);
    df_node *a = make(doc, "FROM a\n");
    ir_insert_after(doc, NULL, a);
    assert_ptr_equal(doc->head, a);
    assert_ptr_equal(doc->tail, a);
    assert_nodes(doc, "FROM a");
    ir_unlink(doc, a);
    assert_null(doc->head);
    assert_null(doc->tail);
    assert_int_equal(doc->nnodes, 0);
    df_doc_free(doc);
}

static void test_unlink(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# lead a\nFROM a\n# lead b\nRUN b\nRUN c\nRUN d\n# end\n");
    df_node *b = nth(doc, 1), *c = nth(doc, 2);
    ir_unlink(doc, c);
    assert_null(c->prev);
    assert_null(c->next);
    assert_nodes(doc, "FROM a", "RUN b", "RUN d");
    ir_unlink(doc, doc->head);
    assert_ptr_equal(doc->head, b);
    assert_nodes(doc, "RUN b", "RUN d");
    ir_unlink(doc, doc->tail);
    assert_ptr_equal(doc->tail, b);
    assert_nodes(doc, "RUN b");
    /* a node's lead goes with it; the trailer stays */
    assert_prints(doc, "# lead b\nRUN b\n# end\n");
    sema_stages(doc, NULL);
    ir_check(doc, "test_unlink");
    df_doc_free(doc);
}

static void test_replace(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN b\nRUN c\n");
    df_node *old = nth(doc, 1);
    df_node *x = make(doc, "RUN x\n");
    ir_replace(doc, old, x);
    assert_null(old->prev);
    assert_null(old->next);
    assert_nodes(doc, "FROM a", "RUN x", "RUN c");
    df_node *h = make(doc, "FROM h\n");
    ir_replace(doc, doc->head, h);
    assert_ptr_equal(doc->head, h);
    df_node *t = make(doc, "CMD t\n");
    ir_replace(doc, doc->tail, t);
    assert_ptr_equal(doc->tail, t);
    assert_nodes(doc, "FROM h", "RUN x", "CMD t");
    sema_stages(doc, NULL);
    ir_check(doc, "test_replace");
    assert_prints(doc, "FROM h\nRUN x\nCMD t\n");
    df_doc_free(doc);
}

static void test_set_text(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n# keep me\nRUN [\"b\"]\nCMD c\n");
    df_node *n = nth(doc, 1), *prev = n->prev, *next = n->next;
    assert_true(n->flags & DF_N_JSON);
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, n, SLICE("COPY --link x y\n"), d));
    assert_int_equal(df_diags_errors(d), 0);
    df_diags_free(d);
    assert_ptr_equal(nth(doc, 1), n);
    assert_ptr_equal(n->prev, prev);
    assert_ptr_equal(n->next, next);
    assert_int_equal(n->kind, DF_COPY);
    assert_true(n->flags & DF_N_EDITED);
    assert_false(n->flags & DF_N_JSON);
    assert_flags(n, "--link");
    assert_args(n, "x", "y");
    assert_slice(n->text, "COPY --link x y\n");
    assert_slice(n->lead, "# keep me\n");
    assert_int_equal(n->stage, 0);
    assert_int_equal(n->src_off, SIZE_MAX);
    assert_int_equal(node_src_offset(n, 0), SIZE_MAX);
    assert_int_equal(doc->nnodes, 3);
    ir_check(doc, "test_set_text");
    assert_prints(doc, "FROM a\n# keep me\nCOPY --link x y\nCMD c\n");
    df_doc_free(doc);
}

/* Comment lines given with the text go after the node's existing lead. */
static void test_set_text_with_comment(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n# old\nRUN b\n");
    df_node *n = nth(doc, 1);
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, n, SLICE("# new\nRUN c \\\n  d\n"), d));
    df_diags_free(d);
    assert_slice(n->lead, "# old\n# new\n");
    assert_slice(n->text, "RUN c \\\n  d\n");
    assert_args(n, "c   d");
    assert_prints(doc, "FROM a\n# old\n# new\nRUN c \\\n  d\n");
    df_doc_free(doc);
}

static void test_set_text_rejects(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN b\n");
    df_node *n = nth(doc, 1);
    df_diags *d = df_diags_new();
    assert_false(ir_node_set_text(doc, n, SLICE("RUN x\nRUN y\n"), d));
    assert_int_equal(df_diags_errors(d), 1);
    /* the node is unchanged */
    assert_slice(n->text, "RUN b\n");
    assert_args(n, "b");
    assert_false(n->flags & DF_N_EDITED);
    assert_false(ir_node_set_text(doc, n, SLICE("CMD [\"a\", 1]\n"), d));
    assert_true(df_diags_errors(d) >= 2);
    size_t before = df_diags_errors(d);
    assert_false(ir_node_set_text(doc, n, SLICE("# only a comment\n"), d));
    assert_int_equal(df_diags_errors(d), before + 1);
    df_diags_free(d);
    assert_prints(doc, "FROM a\nRUN b\n");
    df_doc_free(doc);
}

static void test_from_text(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n");
    df_diags *d = df_diags_new();
    assert_null(ir_node_from_text(doc, SLICE("RUN a\nRUN b\n"), d));
    assert_int_equal(df_diags_errors(d), 1);
    df_buf b = {0};
    diag_render(d, &b, false);
    assert_string_equal(b.p, "error: internal: rewritten text is not one instruction: "
                             "RUN a\nRUN b\n\n");
    buf_free(&b);
    /* trailing comment lines are not part of one instruction either */
    assert_null(ir_node_from_text(doc, SLICE("RUN a\n# trailing\n"), d));
    assert_null(ir_node_from_text(doc, SLICE(""), d));
    df_diags_free(d);

    df_node *n = make(doc, "RUN cat <<EOF\nhello\nEOF\n");
    assert_null(n->prev);
    assert_null(n->next);
    assert_int_equal(n->kind, DF_RUN);
    assert_true(n->flags & DF_N_EDITED);
    assert_int_equal(n->line, 0);
    assert_int_equal(n->nheredocs, 1);
    assert_slice(n->heredocs[0].body, "hello\n");
    assert_slice(n->text, "RUN cat <<EOF\nhello\nEOF\n");
    assert_int_equal(doc->nnodes, 1);
    /* the document's escape character applies */
    doc->escape = '`';
    n = make(doc, "RUN a `\n  b\n");
    assert_args(n, "a   b");
    df_doc_free(doc);
}

/* RUNs with the same script share one reading: each node still reads exactly what its own
 * reading would give, and a node given new text gets a reading of the new text. */
static void test_script_readings_shared(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN apt-get update && apt-get install -y \"curl\"\n"
                           "FROM b\n  RUN   apt-get update && apt-get install -y \"curl\"\n"
                           "RUN apt-get update\n");
    df_node *r1 = doc->head->next, *r2 = r1->next->next, *r3 = r2->next;
    sh_script a, b, c;
    assert_true(sh_parse_node(doc, r1, &a));
    assert_true(sh_parse_node(doc, r2, &b));
    assert_true(sh_parse_node(doc, r3, &c));
    assert_ptr_equal(a.cmds, b.cmds); /* one reading */
    assert_ptr_not_equal(a.cmds, c.cmds);
    assert_int_equal(b.ncmds, 2);
    const sh_cmd *k = &b.cmds[1];
    assert_int_equal(k->nwords, 4);
    assert_slice(k->words[3].value, "curl"); /* quotes removed */
    /* offsets are into the script, the same in both texts */
    assert_memory_equal(r2->args[0].v.p + k->words[2].off, "-y", 2);
    assert_memory_equal(r1->args[0].v.p + k->words[2].off, "-y", 2);
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, r2, SLICE("RUN apt-get update && apt-get install -y jq\n"), d));
    df_diags_free(d);
    assert_true(sh_parse_node(doc, r2, &b));
    assert_slice(b.cmds[1].words[3].value, "jq");
    assert_true(sh_parse_node(doc, r1, &a)); /* the first node's reading is as it was */
    assert_slice(a.cmds[1].words[3].value, "curl");
    df_doc_free(doc);
}

/* The lines of the nodes a walk visits, forwards or backwards, as text ("1 2 3"). */
static const char *walk_lines(const df_doc *doc, bool back)
{
    static char out[64];
    size_t len = 0;
    out[0] = '\0';
    for (const df_node *m = back ? ir_walk_last(doc) : ir_walk_first(doc); m;
         m = back ? ir_walk_prev(doc, m) : ir_walk_next(doc, m))
        len += (size_t)snprintf(out + len, sizeof out - len, len ? " %zu" : "%zu", m->line);
    return out;
}

/* The walk of a pass that looks at some stages: the nodes before the first FROM, then the
 * marked stages, either way; and the changes ir.c counts per stage for it. */
static void test_walk_and_changes(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ARG V=1\nFROM a\nRUN x\nFROM b\nRUN y\nFROM c\nRUN z\n");
    bool some[3] = {true, false, true}, middle[3] = {false, true, false};
    bool none[3] = {false, false, false};
    doc->walk = some;
    assert_string_equal(walk_lines(doc, false), "1 2 3 6 7");
    assert_string_equal(walk_lines(doc, true), "7 6 3 2 1");
    doc->walk = middle;
    assert_string_equal(walk_lines(doc, false), "1 4 5");
    assert_string_equal(walk_lines(doc, true), "5 4 1");
    doc->walk = none;
    assert_string_equal(walk_lines(doc, false), "1"); /* the global ARG alone */
    assert_string_equal(walk_lines(doc, true), "1");
    doc->walk = NULL;
    assert_string_equal(walk_lines(doc, false), "1 2 3 4 5 6 7");
    assert_string_equal(walk_lines(doc, true), "7 6 5 4 3 2 1");

    uint64_t edit[3] = {0, 0, 0};
    doc->stage_edit = edit;
    doc->nstage_edit = 3;
    df_diags *d = df_diags_new();
    df_node *y = doc->head->next->next->next->next, *z = y->next->next;
    assert_true(ir_node_set_text(doc, y, SLICE("RUN yy\n"), d));
    assert_true(edit[1] > 0 && edit[1] == doc->edits);
    assert_int_equal(edit[0], 0);
    assert_int_equal(edit[2], 0);
    assert_int_equal(doc->graph_edit, 0); /* a RUN without a mount names no stage */
    assert_true(doc->kind_edit[DF_RUN] == doc->edits); /* and the kind changed */
    assert_int_equal(doc->kind_edit[DF_ENV], 0);
    assert_true(ir_node_set_text(doc, z, SLICE("RUN --mount=from=a,target=/m z\n"), d));
    assert_true(edit[2] == doc->edits && doc->graph_edit == doc->edits);
    assert_int_equal(doc->stages_edit, 0);
    ir_unlink(doc, doc->head); /* the global ARG: every stage may read it */
    assert_int_equal(doc->stages_edit, doc->edits);
    assert_int_equal(doc->graph_edit, doc->edits); /* and a FROM's base may now be another */
    df_diags_free(d);
    doc->stage_edit = NULL;
    df_doc_free(doc);
}

static void test_check_parsed(void **state)
{
    (void)state;
    const char *srcs[] = {
        "FROM a\n",
        "ARG V=1\n# c\nFROM a AS b\nRUN x \\\n  y\nFROM b\nCOPY --from=b / /\n\n",
        "\xEF\xBB\xBF" "FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\nCMD y",
        "RUN early\nFROM a\nONBUILD RUN <<E\nx\nE\n",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        df_doc *doc = parse_ok(srcs[i]);
        ir_check(doc, "test_check_parsed");
        df_doc_free(doc);
    }
}

static void test_quote_value(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n");
    struct {
        const char *in, *out;
    } cases[] = {
        {"abc", "abc"},           {"/usr/bin:$PATH", "\"/usr/bin:\\$PATH\""},
        {"", "\"\""},             {"a b", "\"a b\""},
        {"say \"hi\"", "\"say \\\"hi\\\"\""}, {"c:\\dir", "\"c:\\\\dir\""},
        {"a=b", "\"a=b\""},       {"#x", "\"#x\""},
        {"it's", "\"it's\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        df_buf b = {0};
        ir_quote_value(doc, &b, slice_from(cases[i].in));
        if (strcmp(b.p, cases[i].out) != 0)
            fail_msg("'%s': expected %s, got %s", cases[i].in, cases[i].out, b.p);
        buf_free(&b);
    }
    /* with a backtick escape, the backtick escapes and a backslash is plain */
    doc->escape = '`';
    df_buf b = {0};
    ir_quote_value(doc, &b, SLICE("c:\\a `b` $x"));
    assert_string_equal(b.p, "\"c:\\a ``b`` `$x\"");
    buf_free(&b);
    df_doc_free(doc);
}

/* A quoted value is one ENV word, and BuildKit's word processing of it gives back the value. */
static void test_quote_value_reparses(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n");
    const char *values[] = {"a \"b\" $c \\d", "plain", "", "x=y #z", "tab\there"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        df_buf b = {0};
        buf_puts(&b, "ENV K=");
        ir_quote_value(doc, &b, slice_from(values[i]));
        buf_puts(&b, " L=1\n");
        df_node *n = make(doc, b.p);
        buf_free(&b);
        assert_int_equal(n->nargs, 6);
        assert_slice(n->args[0].v, "K");
        assert_slice(n->args[3].v, "L");
        df_slice out;
        assert_true(expand_word(&doc->arena, n->args[1].v, doc->escape, NULL, NULL, false, &out,
                                NULL));
        if (!slice_eq_str(out, values[i]))
            fail_msg("'%s' read back as '%.*s'", values[i], SLICE_ARG(out));
    }
    df_doc_free(doc);
}

static void test_keyword_and_end_line(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("from a\nRUN b\ncmd c");
    df_buf b = {0};
    ir_keyword(doc->head, &b, "COPY");
    buf_putc(&b, ' ');
    ir_keyword(nth(doc, 1), &b, "COPY");
    buf_putc(&b, ' ');
    ir_keyword(NULL, &b, "COPY");
    assert_string_equal(b.p, "copy COPY COPY");
    b.len = 0;
    ir_end_line(doc, doc->head, &b);
    assert_int_equal(b.len, 1);
    ir_end_line(doc, doc->tail, &b); /* the last line had no newline */
    assert_int_equal(b.len, 1);
    ir_end_line(doc, NULL, &b);
    assert_int_equal(b.len, 2);
    buf_free(&b);
    df_doc_free(doc);

    doc = parse_ok("FROM a\r\nRUN b\r\n");
    df_buf c = {0};
    ir_end_line(doc, doc->tail, &c);
    assert_string_equal(c.p, "\r\n");
    buf_free(&c);
    df_doc_free(doc);
}

static void test_line_col(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n\n\tRUN b\r\nCMD c");
    size_t line, col;
    struct {
        size_t off, line, col;
    } cases[] = {{0, 1, 1}, {5, 1, 6}, {6, 1, 7}, {7, 2, 1}, {8, 3, 1},
                 {9, 3, 2}, {15, 3, 8}, {16, 4, 1}, {20, 4, 5}, {21, 4, 6}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ir_line_col(doc, cases[i].off, &line, &col);
        if (line != cases[i].line || col != cases[i].col)
            fail_msg("offset %zu: expected %zu:%zu, got %zu:%zu", cases[i].off, cases[i].line,
                     cases[i].col, line, col);
    }
    df_doc_free(doc);
    /* columns on the first line do not count a BOM */
    doc = parse_ok("\xEF\xBB\xBF" "FROM a\nRUN b\n");
    ir_line_col(doc, 8, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 6);
    ir_line_col(doc, 10, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_before),
        cmocka_unit_test(test_insert_after),
        cmocka_unit_test(test_append_to_empty),
        cmocka_unit_test(test_unlink),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_set_text),
        cmocka_unit_test(test_set_text_with_comment),
        cmocka_unit_test(test_set_text_rejects),
        cmocka_unit_test(test_from_text),
        cmocka_unit_test(test_script_readings_shared),
        cmocka_unit_test(test_walk_and_changes),
        cmocka_unit_test(test_check_parsed),
        cmocka_unit_test(test_quote_value),
        cmocka_unit_test(test_quote_value_reparses),
        cmocka_unit_test(test_keyword_and_end_line),
        cmocka_unit_test(test_line_col),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
