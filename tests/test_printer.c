/*
 * test_printer.c: the three renderings (printer.c): Dockerfile text (byte-exact for untouched
 * nodes), BuildKit's AST dump, and the IR as JSON.
 */
#include "testutil.h"

static char *dump_text(const df_doc *doc)
{
    return df_doc_dump(doc, NULL);
}

static void assert_dump(const char *src, const char *want)
{
    df_doc *doc = parse_ok(src);
    char *got = dump_text(doc);
    assert_string_equal(got, want);
    free(got);
    df_doc_free(doc);
}

/* ---- print_doc ---- */

static void test_identity(void **state)
{
    (void)state;
    const char *srcs[] = {
        "FROM a\n",
        "FROM a",
        "\xEF\xBB\xBF" "FROM a\nRUN b\n",
        "\xEF\xBB\xBF# syntax=x\n\nFROM a\n",
        "FROM a\r\nRUN b \\\r\n  c\r\n\r\n# end\r\n",
        "FROM a\r\nRUN b\nCMD c\r\n",
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN b `\n  c\n",
        "\n\n# lead\n  \t\nFROM a\n\n\n",
        "FROM a\n# only a trailing comment",
        "FROM a\nRUN cat <<EOF\nbody\n\n  EOF \nEOF\nCOPY <<-A <<B /x/\n\ta\n\tA\nb\nB\n",
        "FROM a\nRUN <<EOF\nno final newline\nEOF",
        "FROM a\nRUN x \\\n# c\n\n   \n  y \\\n",
        "   FROM    a   \n\tRUN\tb\t\n",
        "FROM a\nONBUILD RUN <<E\nx\nE\n",
        "FROM a\nRUN echo \\\\\nRUN b",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++)
        assert_identity(srcs[i]);
}

static void test_edit_changes_only_node(void **state)
{
    (void)state;
    const char *src = "# syntax=x\nFROM a AS b\n\n# install\nRUN apt-get update && \\\r\n"
                      "    apt-get install -y x\n# tail\nCMD [\"x\"]\n\n";
    df_doc *doc = parse_ok(src);
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, nth(doc, 1), SLICE("RUN apt-get update\n"), d));
    df_diags_free(d);
    assert_prints(doc, "# syntax=x\nFROM a AS b\n\n# install\nRUN apt-get update\n"
                       "# tail\nCMD [\"x\"]\n\n");
    df_doc_free(doc);
}

/* Giving the first instruction new text must not lose the BOM in front of it. */
static void test_edit_first_node_keeps_bom(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("\xEF\xBB\xBF" "FROM a\nRUN b\n");
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, doc->head, SLICE("FROM c\n"), d));
    df_diags_free(d);
    assert_prints(doc, "\xEF\xBB\xBF" "FROM c\nRUN b\n");
    df_doc_free(doc);
}

/* A node placed after an instruction that ended the file without a newline starts a line. */
static void test_append_after_unterminated(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN b");
    df_diags *d = df_diags_new();
    df_node *n = ir_node_from_text(doc, SLICE("CMD c\n"), d);
    df_diags_free(d);
    assert_non_null(n);
    ir_insert_after(doc, doc->tail, n);
    assert_prints(doc, "FROM a\nRUN b\nCMD c\n");
    df_doc_free(doc);
}

/* ---- print_dump ---- */

static void test_dump(void **state)
{
    (void)state;
    assert_dump("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
                "RUN --mount=type=cache,target=/root/.cache go build ./...\n"
                "COPY --from=build --link /out/app /app\n"
                "ENV A=1 B=\"two words\"\n"
                "ENV LEGACY value here\n"
                "LABEL k=v\n"
                "ARG Y=1 Z='a b'\n"
                "CMD [\"sh\", \"-c\", \"echo \\\"hi\\\"\"]\n"
                "CMD []\n"
                "ENTRYPOINT echo\ttab\n"
                "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\"]\n"
                "HEALTHCHECK NONE\n"
                "ONBUILD RUN make\n"
                "onbuild copy --chown=1 . /src\n"
                "EXPOSE 80 443/udp\n"
                "FOOBAR something\n"
                "user app\n",
                "(from [\"--platform=$BUILDPLATFORM\"] \"golang:1.22\" \"AS\" \"build\")\n"
                "(run [\"--mount=type=cache,target=/root/.cache\"] \"go build ./...\")\n"
                "(copy [\"--from=build\" \"--link\"] \"/out/app\" \"/app\")\n"
                "(env \"A\" \"1\" \"=\" \"B\" \"\\\"two words\\\"\" \"=\")\n"
                "(env \"LEGACY\" \"value here\" \"\")\n"
                "(label \"k\" \"v\" \"=\")\n"
                "(arg \"Y=1\" \"Z='a b'\")\n"
                "(cmd \"sh\" \"-c\" \"echo \\\"hi\\\"\")\n"
                "(cmd)\n"
                "(entrypoint \"echo\\ttab\")\n"
                "(healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"-f\")\n"
                "(healthcheck \"NONE\")\n"
                "(onbuild (run \"make\"))\n"
                "(onbuild (copy [\"--chown=1\"] \".\" \"/src\"))\n"
                "(expose \"80\" \"443/udp\")\n"
                "(foobar \"\")\n"
                "(user \"app\")\n");
    /* comments, directives and heredoc bodies do not appear */
    assert_dump("# escape=`\n# c\nFROM a\nRUN <<EOF\nx\nEOF\nCOPY a `\n  b\n",
                "(from \"a\")\n(run \"<<EOF\")\n(copy \"a\" \"b\")\n");
    /* JSON-decoded values are Go-quoted */
    assert_dump("FROM a\nCMD [\"\\u00e9\\u00a0\\t\\u0001\"]\n",
                "(from \"a\")\n(cmd \"\xC3\xA9\\u00a0\\t\\x01\")\n");
}

/* An instruction with an empty keyword (a lone continuation at the end of the file): BuildKit
 * trims the dump line, so it is `("")`. */
static void test_dump_empty_keyword(void **state)
{
    (void)state;
    assert_dump("FROM a\n\\\n", "(from \"a\")\n(\"\")\n");
    assert_dump("FROM a\nONBUILD\n", "(from \"a\")\n(onbuild)\n");
}

/* BuildKit lower-cases the keyword with strings.ToLower, which is Unicode-aware. */
static void test_dump_unicode_keyword(void **state)
{
    (void)state;
    assert_dump("FROM a\n\xC3\x89" "CHO x\n", "(from \"a\")\n(\xC3\xA9" "cho \"\")\n");
}

/* ---- print_json ---- */

/* The JSON text is balanced: brackets and braces nest, strings close, nothing follows. */
static void assert_balanced_json(const char *s)
{
    char stack[64];
    size_t depth = 0;
    bool in_str = false;
    for (const char *p = s; *p; p++) {
        if (in_str) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                in_str = false;
            else
                assert_true((unsigned char)*p >= 0x20);
            continue;
        }
        switch (*p) {
        case '"': in_str = true; break;
        case '[': case '{':
            assert_true(depth < sizeof stack);
            stack[depth++] = *p;
            break;
        case ']': assert_true(depth > 0 && stack[--depth] == '['); break;
        case '}': assert_true(depth > 0 && stack[--depth] == '{'); break;
        }
    }
    assert_false(in_str);
    assert_int_equal(depth, 0);
}

static void assert_contains(const char *s, const char *want)
{
    if (!strstr(s, want))
        fail_msg("expected the JSON to contain %s", want);
}

static void test_json(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# syntax=docker/dockerfile:1\nARG V=1\nFROM golang:1.22 AS build\n"
                           "RUN --mount=type=cache,target=/c go build \\\n  ./...\n"
                           "FROM --platform=linux/arm64 build\nCMD [\"./app\"]\n"
                           "COPY <<-EOF /x\n\thi\n\tEOF\nONBUILD RUN x\n# end\n");
    char *j = df_doc_json(doc, NULL);
    assert_balanced_json(j);
    assert_true(strncmp(j, "{\"file\":\"Dockerfile\",", 21) == 0);
    assert_int_equal(j[strlen(j) - 1], '\n');
    assert_contains(j, "\"escape\":\"\\\\\"");
    assert_contains(j, "\"syntax\":\"docker/dockerfile:1\"");
    assert_contains(j, "\"check\":\"\"");
    assert_contains(j, "\"newline\":\"\\n\"");
    assert_contains(j, "\"stages\":[{\"index\":0,\"name\":\"build\",\"base\":\"golang:1.22\","
                       "\"base_expanded\":\"golang:1.22\",\"base_stage\":null,\"platform\":\"\","
                       "\"line\":3}");
    assert_contains(j, "{\"index\":1,\"name\":\"\",\"base\":\"build\",\"base_expanded\":\"build\","
                       "\"base_stage\":0,\"platform\":\"linux/arm64\",\"line\":6}");
    assert_contains(j, "\"stage\":-1,\"line\":2,\"end_line\":2,\"start\":29,\"end\":37,"
                       "\"edited\":false,\"text\":\"ARG V=1\\n\","
                       "\"comments\":\"# syntax=docker/dockerfile:1\\n\"");
    assert_contains(j, "\"kind\":\"run\",\"keyword\":\"RUN\",\"form\":\"shell\","
                       "\"flags\":[{\"value\":\"--mount=type=cache,target=/c\",\"line\":4,"
                       "\"column\":5}],\"args\":[{\"value\":\"go build   ./...\",\"line\":4,"
                       "\"column\":34}]");
    assert_contains(j, "\"stage\":0,\"line\":4,\"end_line\":5,");
    assert_contains(j, "\"form\":\"exec\",\"flags\":[],\"args\":[{\"value\":\"./app\",\"line\":7,"
                       "\"column\":6}]");
    assert_contains(j, "\"heredocs\":[{\"name\":\"EOF\",\"word\":\"<<-EOF\",\"chomp\":true,"
                       "\"expand\":true,\"fd\":0,\"body\":\"\\thi\\n\"}]");
    assert_contains(j, "\"kind\":\"onbuild\",\"keyword\":\"ONBUILD\",\"form\":\"shell\","
                       "\"flags\":[],\"args\":[],\"instruction\":{\"kind\":\"run\","
                       "\"keyword\":\"RUN\",\"form\":\"shell\",\"flags\":[],"
                       "\"args\":[{\"value\":\"x\",\"line\":11,\"column\":13}]}");
    assert_contains(j, "\"trailer\":\"# end\\n\"}\n");
    free(j);
    df_doc_free(doc);
}

static void test_json_edited_and_crlf(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\r\nRUN b\r\n");
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, doc->tail, SLICE("RUN \"c\td\"\r\n"), d));
    df_diags_free(d);
    char *j = df_doc_json(doc, NULL);
    assert_balanced_json(j);
    assert_contains(j, "\"newline\":\"\\r\\n\"");
    assert_contains(j, "\"stage\":0,\"line\":0,\"end_line\":0,\"start\":null,\"end\":null,"
                       "\"edited\":true,\"text\":\"RUN \\\"c\\td\\\"\\r\\n\"");
    assert_contains(j, "\"args\":[{\"value\":\"\\\"c\\td\\\"\",\"line\":null,\"column\":null}]");
    free(j);
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_edit_changes_only_node),
        cmocka_unit_test(test_edit_first_node_keeps_bom),
        cmocka_unit_test(test_append_after_unterminated),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_dump_empty_keyword),
        cmocka_unit_test(test_dump_unicode_keyword),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_edited_and_crlf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
