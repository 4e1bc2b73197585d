/*
 * test_lexer.c: physical lines into logical lines (lexer.c), checked against BuildKit's parser
 * (frontend/dockerfile/parser/parser.go, directives.go): parser directives, BOM, CRLF,
 * continuations, comment and empty lines inside a continuation, heredoc openers and bodies, the
 * lead / text / trailer split of the source and the mapping of logical offsets back to the source.
 */
#include "testutil.h"

/* ---- parser directives ---- */

static void test_directives_all(void **state)
{
    (void)state;
    const char *src = "# syntax=docker/dockerfile:1\n"
                      "# escape=`\n"
                      "# check=skip=JSONArgsRecommended;error=true\n"
                      "FROM alpine\n";
    df_doc *doc = parse_ok(src);
    assert_slice(doc->syntax, "docker/dockerfile:1");
    assert_slice(doc->check, "skip=JSONArgsRecommended;error=true");
    assert_int_equal(doc->escape, '`');
    assert_int_equal(doc->nnodes, 1);
    /* the directives are the first node's lead */
    assert_slice(doc->head->lead, "# syntax=docker/dockerfile:1\n# escape=`\n"
                                  "# check=skip=JSONArgsRecommended;error=true\n");
    assert_slice(doc->head->text, "FROM alpine\n");
    df_doc_free(doc);
}

static void test_directive_spelling(void **state)
{
    (void)state;
    /* the name is case-insensitive, blanks around '=' and after the value are dropped, the line
     * may be indented, and a CRLF line ending is not part of the value */
    df_doc *doc = parse_ok("  #  SYNTAX =  example/front:1  \r\n#escape=`\r\nFROM a\r\n");
    assert_slice(doc->syntax, "example/front:1");
    assert_int_equal(doc->escape, '`');
    assert_slice(doc->check, "");
    df_doc_free(doc);

    doc = parse_ok("FROM a\n");
    assert_int_equal(doc->escape, '\\');
    assert_slice(doc->syntax, "");
    df_doc_free(doc);
}

/* After a normal comment the directive block is over: `# escape=` is a plain comment. */
static void test_directive_after_comment(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# hello\n# escape=`\nFROM a\nRUN x `\n  y\n");
    assert_int_equal(doc->escape, '\\');
    assert_int_equal(doc->nnodes, 3);
    assert_slice(nth(doc, 1)->logical, "RUN x `");
    assert_slice(nth(doc, 2)->keyword, "y");
    assert_int_equal(nth(doc, 2)->kind, DF_UNKNOWN);
    df_doc_free(doc);
}

static void test_directive_after_blank_line(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("\n# escape=`\n# syntax=x\nFROM a\nRUN b `\nc\n");
    assert_int_equal(doc->escape, '\\');
    assert_slice(doc->syntax, "");
    assert_int_equal(doc->nnodes, 3);
    assert_slice(doc->head->lead, "\n# escape=`\n# syntax=x\n");
    df_doc_free(doc);
}

static void test_directive_after_instruction(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n# escape=`\nRUN b `\nc\n");
    assert_int_equal(doc->escape, '\\');
    assert_int_equal(doc->nnodes, 3);
    assert_slice(nth(doc, 1)->lead, "# escape=`\n");
    df_doc_free(doc);
}

/* An unknown directive name ends the block too. */
static void test_directive_unknown_name(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# foo=bar\n# escape=`\nFROM a\n");
    assert_int_equal(doc->escape, '\\');
    df_doc_free(doc);
    /* a comment that only looks like a directive (no value) ends it as well */
    doc = parse_ok("# escape=\n# escape=`\nFROM a\n");
    assert_int_equal(doc->escape, '\\');
    df_doc_free(doc);
}

static void test_directive_duplicate(void **state)
{
    (void)state;
    assert_parse_err_has("# syntax=a\n# syntax=b\nFROM x\n",
                         "only one syntax parser directive can be used");
    assert_parse_err_has("# escape=\\\n# escape=\\\nFROM x\n",
                         "only one escape parser directive can be used");
    assert_parse_err_has("# check=a\n# escape=`\n# check=b\nFROM x\n",
                         "only one check parser directive can be used");
}

/* BuildKit lower-cases the name before it names it in the message. */
static void test_directive_duplicate_case(void **state)
{
    (void)state;
    assert_parse_err_has("# escape=\\\n# ESCAPE=`\nFROM x\n",
                         "only one escape parser directive can be used");
}

static void test_directive_bad_escape(void **state)
{
    (void)state;
    assert_parse_err_has("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\");
    assert_parse_err_has("# escape=``\nFROM a\n",
                         "invalid escape token '``' does not match ` or \\");
    /* the value is everything up to trailing blanks: `\ \` is not a single escape character */
    assert_parse_err_has("# escape=\\ \\\nFROM a\n",
                         "invalid escape token '\\ \\' does not match ` or \\");
}

/* ---- BOM, CRLF, end of file ---- */

static void test_bom(void **state)
{
    (void)state;
    /* a BOM before the first line does not hide a directive */
    const char *src = "\xEF\xBB\xBF# escape=`\nFROM a\nRUN b `\n  c\n";
    df_doc *doc = parse_ok(src);
    assert_int_equal(doc->escape, '`');
    assert_int_equal(doc->nnodes, 2);
    assert_slice(nth(doc, 1)->logical, "RUN b   c");
    assert_slice(doc->head->lead, "\xEF\xBB\xBF# escape=`\n");
    df_doc_free(doc);

    doc = parse_ok("\xEF\xBB\xBF" "FROM a\n");
    assert_slice(doc->head->keyword, "FROM");
    assert_int_equal(doc->head->kind, DF_FROM);
    assert_slice(doc->head->logical, "FROM a");
    assert_args(doc->head, "a");
    df_doc_free(doc);
}

/* internal.h: the lead holds "a BOM (for the first node)"; the text is the instruction itself. */
static void test_bom_in_lead(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("\xEF\xBB\xBF" "FROM a\nRUN b\n");
    assert_slice(doc->head->lead, "\xEF\xBB\xBF");
    assert_slice(doc->head->text, "FROM a\n");
    df_doc_free(doc);
}

static void test_crlf(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\r\nRUN b \\\r\n  c\r\n\r\nCMD d\r\n");
    assert_true(doc->crlf);
    assert_slice(ir_newline(doc), "\r\n");
    df_node *run = nth(doc, 1);
    assert_slice(run->logical, "RUN b   c");
    assert_args(run, "b   c");
    assert_slice(run->text, "RUN b \\\r\n  c\r\n");
    assert_slice(nth(doc, 2)->lead, "\r\n");
    assert_slice(nth(doc, 2)->logical, "CMD d");
    df_doc_free(doc);

    doc = parse_ok("FROM a\nRUN b\r\n");
    assert_false(doc->crlf);
    assert_slice(ir_newline(doc), "\n");
    assert_args(nth(doc, 1), "b");
    df_doc_free(doc);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN b");
    assert_int_equal(doc->nnodes, 2);
    assert_slice(doc->tail->text, "RUN b");
    assert_slice(doc->tail->logical, "RUN b");
    assert_slice(doc->trailer, "");
    df_doc_free(doc);

    /* a continuation at the end of the file ends the instruction (BuildKit continue-at-eof) */
    doc = parse_ok("FROM alpine:3.5\n\nRUN something \\");
    assert_int_equal(doc->nnodes, 2);
    assert_args(doc->tail, "something");
    assert_slice(doc->tail->text, "RUN something \\");
    df_doc_free(doc);
}

/* ---- continuations ---- */

static void test_continuation_trailing_blanks(void **state)
{
    (void)state;
    /* blanks after the escape are dropped with it; blanks before it and the next line's indent
     * are kept */
    df_doc *doc = parse_ok("RUN a \\  \t\n  b \\ \n\tc\n");
    assert_int_equal(doc->nnodes, 1);
    assert_slice(doc->head->logical, "RUN a   b \tc");
    assert_slice(doc->head->text, "RUN a \\  \t\n  b \\ \n\tc\n");
    assert_int_equal(doc->head->nsegs, 3);
    df_doc_free(doc);
}

/* A line ending in an escaped escape does not continue (BuildKit trailing-backslash). */
static void test_escaped_escape(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ENV C trailing\\\\backslash\\\\\nENV D not appended\n");
    assert_int_equal(doc->nnodes, 2);
    assert_args(nth(doc, 0), "C", "trailing\\\\backslash\\\\", "");
    assert_args(nth(doc, 1), "D", "not appended", "");
    df_doc_free(doc);

    doc = parse_ok("RUN echo \\\\  \nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    assert_args(doc->head, "echo \\\\");
    df_doc_free(doc);
}

/* A line that is only the escape continues and adds nothing. */
static void test_escape_only_line(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ENV E hello\\\n\\\nworld\nENV G hello \\\n\\\nworld\n");
    assert_int_equal(doc->nnodes, 2);
    assert_args(nth(doc, 0), "E", "helloworld", "");
    assert_args(nth(doc, 1), "G", "hello world", "");
    df_doc_free(doc);
}

static void test_comment_and_empty_in_continuation(void **state)
{
    (void)state;
    const char *src = "FROM debian\n"
                      "RUN apt-get update \\\n"
                      "# install the tools\n"
                      "\n"
                      "   \t\n"
                      "    && apt-get install -y \\\n"
                      "        # the editor\n"
                      "        vim\n"
                      "CMD x\n";
    df_doc *doc = parse_ok(src);
    assert_int_equal(doc->nnodes, 3);
    df_node *run = nth(doc, 1);
    assert_slice(run->logical, "RUN apt-get update     && apt-get install -y         vim");
    assert_slice(run->text, "RUN apt-get update \\\n# install the tools\n\n   \t\n"
                            "    && apt-get install -y \\\n        # the editor\n        vim\n");
    assert_int_equal(run->line, 2);
    assert_int_equal(nth(doc, 2)->line, 9);
    df_doc_free(doc);
}

static void test_backtick_escape(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo x\nRUN b \\\nRUN c\n");
    assert_int_equal(doc->escape, '`');
    assert_int_equal(doc->nnodes, 4);
    assert_slice(nth(doc, 1)->logical, "RUN dir c:\\   && echo x");
    /* a backslash no longer continues */
    assert_slice(nth(doc, 2)->logical, "RUN b \\");
    /* an escaped backtick does not continue either */
    df_doc_free(doc);
    doc = parse_ok("# escape=`\nRUN a ``\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    df_doc_free(doc);
}

static void test_logical_line(void **state)
{
    (void)state;
    /* the first line loses its indent and newline, nothing else */
    df_doc *doc = parse_ok("   FROM    alpine   \n\tRUN   echo   \"tabs\tinside\"   \n");
    assert_slice(nth(doc, 0)->logical, "FROM    alpine   ");
    assert_slice(nth(doc, 0)->keyword, "FROM");
    assert_args(nth(doc, 0), "alpine");
    assert_slice(nth(doc, 1)->logical, "RUN   echo   \"tabs\tinside\"   ");
    assert_args(nth(doc, 1), "echo   \"tabs\tinside\"");
    /* the text keeps the indent */
    assert_slice(nth(doc, 0)->text, "   FROM    alpine   \n");
    df_doc_free(doc);
}

/* ---- heredocs ---- */

static void test_heredoc_basic(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN cat <<EOF\nhello\nRUN not-an-instruction\nEOF\nRUN b\n");
    assert_int_equal(doc->nnodes, 3);
    df_node *run = nth(doc, 1);
    assert_int_equal(run->nheredocs, 1);
    df_heredoc *h = &run->heredocs[0];
    assert_slice(h->name, "EOF");
    assert_slice(h->word, "<<EOF");
    assert_slice(h->body, "hello\nRUN not-an-instruction\n");
    assert_false(h->chomp);
    assert_true(h->expand);
    assert_int_equal(h->fd, 0);
    assert_int_equal(h->off, 8);
    assert_args(run, "cat <<EOF");
    assert_slice(run->logical, "RUN cat <<EOF");
    assert_slice(run->text, "RUN cat <<EOF\nhello\nRUN not-an-instruction\nEOF\n");
    assert_int_equal(nth(doc, 2)->line, 6);
    df_doc_free(doc);
}

static void test_heredoc_chomp(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("RUN <<-EOT\n\techo x\n\t\tEOT\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    df_heredoc *h = &doc->head->heredocs[0];
    assert_true(h->chomp);
    assert_true(h->expand);
    assert_slice(h->name, "EOT");
    assert_slice(h->word, "<<-EOT");
    assert_slice(h->body, "\techo x\n");
    df_doc_free(doc);

    /* without `-`, an indented terminator does not end the body */
    doc = parse_ok("RUN <<EOT\n\tEOT\nEOT\n");
    assert_slice(doc->head->heredocs[0].body, "\tEOT\n");
    df_doc_free(doc);
}

static void test_heredoc_quoted(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("RUN <<\"EOF\"\n$HOME\nEOF\n"
                           "COPY <<'CONF' /etc/app.conf\nkey=$v\nCONF\n"
                           "RUN <<E\"O\"F\nx\nEOF\n"
                           "RUN <<-'X'\n\tx\n\tX\n");
    assert_int_equal(doc->nnodes, 4);
    const char *words[] = {"<<\"EOF\"", "<<'CONF'", "<<E\"O\"F", "<<-'X'"};
    const char *names[] = {"EOF", "CONF", "EOF", "X"};
    const char *bodies[] = {"$HOME\n", "key=$v\n", "x\n", "\tx\n"};
    for (size_t i = 0; i < 4; i++) {
        df_node *n = nth(doc, i);
        assert_int_equal(n->nheredocs, 1);
        assert_slice(n->heredocs[0].word, words[i]);
        assert_slice(n->heredocs[0].name, names[i]);
        assert_slice(n->heredocs[0].body, bodies[i]);
        assert_false(n->heredocs[0].expand);
    }
    assert_true(nth(doc, 3)->heredocs[0].chomp);
    df_doc_free(doc);
}

static void test_heredoc_several(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM alpine\nCOPY <<FILE1 <<FILE2 /dest/\none\nFILE1\ntwo\nFILE2\n"
                           "RUN cat /dest/FILE1\n");
    assert_int_equal(doc->nnodes, 3);
    df_node *copy = nth(doc, 1);
    assert_int_equal(copy->nheredocs, 2);
    assert_slice(copy->heredocs[0].name, "FILE1");
    assert_slice(copy->heredocs[0].body, "one\n");
    assert_slice(copy->heredocs[1].name, "FILE2");
    assert_slice(copy->heredocs[1].body, "two\n");
    assert_args(copy, "<<FILE1", "<<FILE2", "/dest/");
    assert_slice(copy->text, "COPY <<FILE1 <<FILE2 /dest/\none\nFILE1\ntwo\nFILE2\n");
    assert_int_equal(nth(doc, 2)->line, 7);
    df_doc_free(doc);
}

static void test_heredoc_after_command(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM python:3.12\nRUN python3 <<PY\nprint(\"hello\")\nPY\n"
                           "RUN <<EOT bash\necho in bash\nEOT\n");
    assert_int_equal(doc->nnodes, 3);
    assert_args(nth(doc, 1), "python3 <<PY");
    assert_slice(nth(doc, 1)->heredocs[0].name, "PY");
    assert_slice(nth(doc, 1)->heredocs[0].body, "print(\"hello\")\n");
    assert_args(nth(doc, 2), "<<EOT bash");
    assert_slice(nth(doc, 2)->heredocs[0].name, "EOT");
    df_doc_free(doc);
}

/* The bodies start after the last physical line of the instruction. */
static void test_heredoc_after_continuation(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("RUN cat <<EOF \\\n  && echo done\nbody\nEOF\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    df_node *n = doc->head;
    assert_slice(n->logical, "RUN cat <<EOF   && echo done");
    assert_slice(n->heredocs[0].body, "body\n");
    assert_pos(doc, n, n->heredocs[0].off, 1, 9);
    assert_int_equal(nth(doc, 1)->line, 5);
    df_doc_free(doc);
}

static void test_heredoc_fd(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("RUN cat 3<<EOF 12<<-END\nx\nEOF\ny\n\tEND\n");
    df_node *n = doc->head;
    assert_int_equal(n->nheredocs, 2);
    assert_int_equal(n->heredocs[0].fd, 3);
    assert_slice(n->heredocs[0].name, "EOF");
    assert_slice(n->heredocs[0].word, "3<<EOF");
    assert_int_equal(n->heredocs[1].fd, 12);
    assert_true(n->heredocs[1].chomp);
    assert_slice(n->heredocs[1].body, "y\n");
    df_doc_free(doc);
}

static void test_heredoc_not_openers(void **state)
{
    (void)state;
    /* quoted: the word starts with a quote */
    df_doc *doc = parse_ok("RUN echo \"<<EOF\" '<<END'\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    assert_int_equal(doc->head->nheredocs, 0);
    df_doc_free(doc);
    /* JSON form */
    doc = parse_ok("RUN [\"cat\", \"<<EOF\"]\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    assert_int_equal(doc->head->nheredocs, 0);
    df_doc_free(doc);
    /* an instruction that takes no heredocs */
    doc = parse_ok("CMD cat <<EOF\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    assert_int_equal(doc->head->nheredocs, 0);
    df_doc_free(doc);
    /* <<< and a bare << are not openers */
    doc = parse_ok("RUN cat <<<word << x\nRUN b\n");
    assert_int_equal(doc->nnodes, 2);
    assert_int_equal(doc->head->nheredocs, 0);
    df_doc_free(doc);
}

static void test_heredoc_onbuild(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM alpine\nONBUILD RUN <<EOT\necho later\nEOT\nCMD [\"sh\"]\n");
    assert_int_equal(doc->nnodes, 3);
    df_node *ob = nth(doc, 1);
    assert_int_equal(ob->kind, DF_ONBUILD);
    assert_non_null(ob->sub);
    assert_int_equal(ob->sub->kind, DF_RUN);
    assert_int_equal(ob->nheredocs, 1);
    assert_slice(ob->heredocs[0].name, "EOT");
    assert_slice(ob->heredocs[0].body, "echo later\n");
    assert_slice(ob->text, "ONBUILD RUN <<EOT\necho later\nEOT\n");
    df_doc_free(doc);
}

static void test_heredoc_crlf(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("RUN cat <<EOF\r\nx\r\nEOF\r\nRUN b\r\n");
    assert_int_equal(doc->nnodes, 2);
    assert_slice(doc->head->heredocs[0].body, "x\r\n");
    assert_slice(doc->head->text, "RUN cat <<EOF\r\nx\r\nEOF\r\n");
    df_doc_free(doc);
    /* the terminator may be the last line without a newline */
    doc = parse_ok("RUN cat <<EOF\nx\nEOF");
    assert_slice(doc->head->heredocs[0].body, "x\n");
    assert_slice(doc->head->text, "RUN cat <<EOF\nx\nEOF");
    assert_slice(doc->trailer, "");
    df_doc_free(doc);
}

static void test_heredoc_unterminated(void **state)
{
    (void)state;
    assert_parse_err("FROM alpine\nRUN <<EOT\necho never closed\n",
                     "Dockerfile:2:5: error: unterminated heredoc: no line \"EOT\" closes the "
                     "heredoc opened on line 2\nRUN <<EOT\n    ^~~~~\n");
    /* the second of two is unterminated */
    assert_parse_err_has("RUN cat <<A <<B\na\nA\nb\n",
                         "no line \"B\" closes the heredoc opened on line 1");
}

static void test_heredoc_openers_direct(void **state)
{
    (void)state;
    df_doc *doc = ir_doc_new("x", "", 0);
    df_heredoc *h;
    size_t n = lex_heredoc_openers(doc, SLICE("RUN a <<A b 2<<-'B C' \"<<D\" <<$X <<"), &h);
    assert_int_equal(n, 3);
    assert_slice(h[0].name, "A");
    assert_int_equal(h[0].off, 6);
    assert_slice(h[1].name, "B C");
    assert_slice(h[1].word, "2<<-'B C'");
    assert_int_equal(h[1].off, 12);
    assert_false(h[1].expand);
    assert_true(h[1].chomp);
    assert_int_equal(h[1].fd, 2);
    assert_slice(h[2].name, "$X");
    assert_true(h[2].expand);
    /* a line the shell lexer rejects (unterminated quote) has no heredocs */
    assert_int_equal(lex_heredoc_openers(doc, SLICE("RUN a <<A 'b"), &h), 0);
    df_doc_free(doc);
}

/* ---- lead / text / trailer, lines, positions ---- */

static void test_slices(void **state)
{
    (void)state;
    const char *src = "# c1\n\nFROM a\n# c2\n  RUN b \\\n  c\n\n# end\n\n";
    df_doc *doc = parse_ok(src);
    assert_int_equal(doc->nnodes, 2);
    assert_slice(nth(doc, 0)->lead, "# c1\n\n");
    assert_slice(nth(doc, 0)->text, "FROM a\n");
    assert_int_equal(nth(doc, 0)->src_off, 6);
    assert_slice(nth(doc, 1)->lead, "# c2\n");
    assert_slice(nth(doc, 1)->text, "  RUN b \\\n  c\n");
    assert_int_equal(nth(doc, 1)->src_off, 18);
    assert_slice(doc->trailer, "\n# end\n\n");
    /* every byte belongs to exactly one place */
    df_buf b = {0};
    for (df_node *n = doc->head; n; n = n->next) {
        buf_put_slice(&b, n->lead);
        buf_put_slice(&b, n->text);
    }
    buf_put_slice(&b, doc->trailer);
    assert_string_equal(b.p, src);
    buf_free(&b);
    df_doc_free(doc);
}

static void test_node_lines(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# c\nFROM a\n\nRUN b \\\n c\nRUN <<E\nx\nE\nCMD d\n  # x\n\tUSER e");
    size_t want[] = {2, 4, 6, 9, 11};
    assert_int_equal(doc->nnodes, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(nth(doc, i)->line, want[i]);
    df_doc_free(doc);
}

static void test_src_offset_continuation(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nCOPY a \\\n# c\n\n  b \\\n c\n");
    df_node *n = nth(doc, 1);
    assert_slice(n->logical, "COPY a   b  c");
    assert_args(n, "a", "b", "c");
    assert_int_equal(n->args[1].off, 9);
    assert_int_equal(n->args[2].off, 12);
    assert_pos(doc, n, 0, 2, 1);
    assert_pos(doc, n, n->args[0].off, 2, 6);
    assert_pos(doc, n, n->args[1].off, 5, 3);
    assert_pos(doc, n, n->args[2].off, 6, 2);
    df_doc_free(doc);
}

static void test_src_offset_crlf_bom(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("\xEF\xBB\xBF" "COPY a \\\r\n  b\r\n\tRUN x \\\r\n\r\n   y\r\n");
    df_node *copy = nth(doc, 0);
    assert_args(copy, "a", "b");
    assert_pos(doc, copy, 0, 1, 1);
    assert_pos(doc, copy, copy->args[0].off, 1, 6);
    assert_pos(doc, copy, copy->args[1].off, 2, 3);
    df_node *run = nth(doc, 1);
    assert_slice(run->logical, "RUN x    y");
    assert_pos(doc, run, 0, 3, 2);
    assert_pos(doc, run, 6, 5, 1);
    assert_pos(doc, run, 9, 5, 4);
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_directives_all),
        cmocka_unit_test(test_directive_spelling),
        cmocka_unit_test(test_directive_after_comment),
        cmocka_unit_test(test_directive_after_blank_line),
        cmocka_unit_test(test_directive_after_instruction),
        cmocka_unit_test(test_directive_unknown_name),
        cmocka_unit_test(test_directive_duplicate),
        cmocka_unit_test(test_directive_duplicate_case),
        cmocka_unit_test(test_directive_bad_escape),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_bom_in_lead),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_continuation_trailing_blanks),
        cmocka_unit_test(test_escaped_escape),
        cmocka_unit_test(test_escape_only_line),
        cmocka_unit_test(test_comment_and_empty_in_continuation),
        cmocka_unit_test(test_backtick_escape),
        cmocka_unit_test(test_logical_line),
        cmocka_unit_test(test_heredoc_basic),
        cmocka_unit_test(test_heredoc_chomp),
        cmocka_unit_test(test_heredoc_quoted),
        cmocka_unit_test(test_heredoc_several),
        cmocka_unit_test(test_heredoc_after_command),
        cmocka_unit_test(test_heredoc_after_continuation),
        cmocka_unit_test(test_heredoc_fd),
        cmocka_unit_test(test_heredoc_not_openers),
        cmocka_unit_test(test_heredoc_onbuild),
        cmocka_unit_test(test_heredoc_crlf),
        cmocka_unit_test(test_heredoc_unterminated),
        cmocka_unit_test(test_heredoc_openers_direct),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_node_lines),
        cmocka_unit_test(test_src_offset_continuation),
        cmocka_unit_test(test_src_offset_crlf_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
