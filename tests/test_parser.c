/*
 * test_parser.c: one logical line into an instruction (parser.c), checked against BuildKit's
 * splitCommand, extractBuilderFlags and the per-keyword line parsers (line_parsers.go): the
 * argument rule of every keyword, builder flags, and the source positions of flags and arguments.
 */
#include "testutil.h"

/* The one instruction of "FROM scratch\n" + line (the FROM makes nothing depend on position 0). */
static df_node *second(df_doc **doc, const char *src)
{
    *doc = parse_ok(src);
    assert_int_equal((*doc)->nnodes, 2);
    return nth(*doc, 1);
}

/* ---- keywords ---- */

static void test_keyword_case(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("from a\nRuN b\nCOPY c d\nhealthCHECK NONE\n");
    df_kind want[] = {DF_FROM, DF_RUN, DF_COPY, DF_HEALTHCHECK};
    const char *kw[] = {"from", "RuN", "COPY", "healthCHECK"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(nth(doc, i)->kind, want[i]);
        assert_slice(nth(doc, i)->keyword, kw[i]);
    }
    assert_string_equal(kind_name(DF_HEALTHCHECK), "healthcheck");
    assert_string_equal(kind_name(DF_UNKNOWN), "unknown");
    assert_int_equal(kind_lookup(SLICE("WorkDir")), DF_WORKDIR);
    assert_int_equal(kind_lookup(SLICE("workdirs")), DF_UNKNOWN);
    assert_int_equal(kind_lookup(SLICE("")), DF_UNKNOWN);
    df_doc_free(doc);
}

/*
 * BuildKit dispatches on strings.ToLower(cmd), which lower-cases Unicode: U+212A KELVIN SIGN
 * lower-cases to 'k', so "WOR\u212ADIR" is WORKDIR.
 */
static void test_keyword_unicode_case(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nWOR\xE2\x84\xAA" "DIR /app\n");
    assert_int_equal(n->kind, DF_WORKDIR);
    assert_args(n, "/app");
    df_doc_free(doc);
}

static void test_unknown_instruction(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nFOOBAR something here\n");
    assert_int_equal(n->kind, DF_UNKNOWN);
    assert_slice(n->keyword, "FOOBAR");
    assert_args(n, "");
    assert_int_equal(n->nbflags, 0);
    df_doc_free(doc);
    /* flags are still split off */
    n = second(&doc, "FROM a\nfoo --x=1 --y bar\n");
    assert_flags(n, "--x=1", "--y");
    assert_args(n, "");
    df_doc_free(doc);
}

/* ---- JSON_OR_STRING: RUN CMD ENTRYPOINT SHELL ---- */

static void test_run_shell_and_json(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN  echo  hi  \nRUN [\"a\", \"b c\"]\n"
                           "ENTRYPOINT [ \"sh\" , \"-c\" ]\nSHELL [\"/bin/bash\", \"-c\"]\n"
                           "CMD []\nCMD\n");
    df_node *run = nth(doc, 1);
    assert_args(run, "echo  hi");
    assert_false(run->flags & DF_N_JSON);
    assert_int_equal(run->rest_off, 5);
    assert_args(nth(doc, 2), "a", "b c");
    assert_true(nth(doc, 2)->flags & DF_N_JSON);
    assert_args(nth(doc, 3), "sh", "-c");
    assert_true(nth(doc, 3)->flags & DF_N_JSON);
    assert_args(nth(doc, 4), "/bin/bash", "-c");
    /* an empty array: JSON form with no arguments */
    assert_int_equal(nth(doc, 5)->nargs, 0);
    assert_true(nth(doc, 5)->flags & DF_N_JSON);
    /* nothing at all: shell form with no arguments */
    assert_int_equal(nth(doc, 6)->nargs, 0);
    assert_false(nth(doc, 6)->flags & DF_N_JSON);
    df_doc_free(doc);
}

/* Anything that is not exactly a JSON array is the shell form. */
static void test_json_fallbacks(void **state)
{
    (void)state;
    const char *lines[] = {
        "[\"a\", 'b']",                /* single quotes */
        "[ \"a\"",                     /* unterminated bracket */
        "[\"a]",                       /* unterminated string */
        "[\"a\",]",                    /* trailing comma */
        "[\"echo\", \"x\"] && echo y", /* trailing text */
        "[a]",                         /* bare word */
        "[\"a\" \"b\"]",               /* missing comma */
        "[\"\\x\"]",                   /* bad escape */
        "[01]",                        /* bad number */
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        char src[128];
        snprintf(src, sizeof src, "FROM a\nCMD %s\n", lines[i]);
        df_doc *doc;
        df_node *n = second(&doc, src);
        assert_false(n->flags & DF_N_JSON);
        check_args(n->args, n->nargs, (const char *const[]){lines[i], NULL});
        df_doc_free(doc);
    }
}

static void test_json_not_strings_error(void **state)
{
    (void)state;
    const char *msg = "when using JSON array syntax, arrays must be comprised of strings only";
    assert_parse_err_has("FROM a\nCMD [\"a\", 1]\n", msg);
    assert_parse_err_has("FROM a\nRUN [\"a\", [\"b\"]]\n", msg);
    assert_parse_err_has("FROM a\nENTRYPOINT [null]\n", msg);
    assert_parse_err_has("FROM a\nSHELL [true, \"x\"]\n", msg);
    assert_parse_err_has("FROM a\nCOPY [\"a\", {\"b\": \"c\"}] \n", msg);
    assert_parse_err_has("FROM a\nVOLUME [-1.5e+3]\n", msg);
    assert_parse_err_has("FROM a\nHEALTHCHECK CMD [1]\n", msg);
    assert_parse_err_has("FROM a\nONBUILD RUN [1]\n", msg);
}

/*
 * Go's json.Unmarshal into []interface{} fails on a number that does not fit a float64
 * (UnmarshalTypeError), so BuildKit's parseJSON fails with an error other than
 * errDockerfileNotStringArray and the line falls back to the shell form.
 */
static void test_json_out_of_range_number(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nCMD [\"a\", 1e999]\n");
    assert_false(n->flags & DF_N_JSON);
    assert_args(n, "[\"a\", 1e999]");
    df_doc_free(doc);
}

/* ---- JSON_OR_LIST: ADD COPY VOLUME; FIELDS: FROM EXPOSE ---- */

static void test_list_forms(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM --platform=linux/amd64 img:1  AS\tbuild\n"
                           "COPY a  b\tc\n"
                           "COPY [\"a b\", \"c\"]\n"
                           "ADD [a, b] c\n"
                           "VOLUME [\"/a\", \"/b\"]\n"
                           "VOLUME /c /d\n"
                           "EXPOSE 80/tcp  443\n"
                           "VOLUME\n");
    assert_flags(nth(doc, 0), "--platform=linux/amd64");
    assert_args(nth(doc, 0), "img:1", "AS", "build");
    assert_args(nth(doc, 1), "a", "b", "c");
    assert_false(nth(doc, 1)->flags & DF_N_JSON);
    assert_args(nth(doc, 2), "a b", "c");
    assert_true(nth(doc, 2)->flags & DF_N_JSON);
    assert_args(nth(doc, 3), "[a,", "b]", "c");
    assert_args(nth(doc, 4), "/a", "/b");
    assert_args(nth(doc, 5), "/c", "/d");
    assert_args(nth(doc, 6), "80/tcp", "443");
    assert_int_equal(nth(doc, 7)->nargs, 0);
    df_doc_free(doc);
}

/* ---- STRING: MAINTAINER USER WORKDIR STOPSIGNAL ---- */

static void test_string_rule(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nUSER  app:app  \nWORKDIR /a b\nMAINTAINER Jane \"J\" Doe\n"
                           "STOPSIGNAL SIGTERM\nUSER\n");
    assert_args(nth(doc, 1), "app:app");
    assert_args(nth(doc, 2), "/a b");
    assert_args(nth(doc, 3), "Jane \"J\" Doe");
    assert_args(nth(doc, 4), "SIGTERM");
    assert_int_equal(nth(doc, 5)->nargs, 0);
    df_doc_free(doc);
}

/* ---- ENV, LABEL ---- */

static void test_env_label(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM alpine\n"
                           "ENV A=1 B=\"two words\" C=three\\ four\n"
                           "ENV LEGACY value with  spaces\n"
                           "LABEL org.title=\"x\" \\\n      org.version=1.0\n"
                           "LABEL \"quoted key\"=\"v\"\n"
                           "ENV EMPTY= X='a=b'\n"
                           "ENV\n");
    assert_args(nth(doc, 1), "A", "1", "=", "B", "\"two words\"", "=", "C", "three\\ four", "=");
    assert_args(nth(doc, 2), "LEGACY", "value with  spaces", "");
    assert_args(nth(doc, 3), "org.title", "\"x\"", "=", "org.version", "1.0", "=");
    assert_args(nth(doc, 4), "\"quoted key\"", "\"v\"", "=");
    assert_args(nth(doc, 5), "EMPTY", "", "=", "X", "'a=b'", "=");
    assert_int_equal(nth(doc, 6)->nargs, 0);
    df_doc_free(doc);
}

static void test_env_errors(void **state)
{
    (void)state;
    assert_parse_err_has("FROM a\nENV PATH\n", "ENV must have two arguments");
    assert_parse_err_has("FROM a\nLABEL only\n", "LABEL must have two arguments");
    /* a blank that is not ASCII does not separate a legacy key from its value */
    assert_parse_err_has("FROM a\nENV a\xC2\xA0" "b\n", "ENV must have two arguments");
    assert_parse_err_has("FROM a\nENV a=1 b\n", "can't find = in \"b\"");
}

/* ---- ARG ---- */

static void test_arg_words(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ARG X\nARG Y=1 Z=\"a b\"  W='c d' V=e\\ f\nARG\nARG Q=\"x\\\"y\"\n");
    assert_args(nth(doc, 0), "X");
    assert_args(nth(doc, 1), "Y=1", "Z=\"a b\"", "W='c d'", "V=e\\ f");
    assert_int_equal(nth(doc, 2)->nargs, 0);
    assert_args(nth(doc, 3), "Q=\"x\\\"y\"");
    df_doc_free(doc);
}

/* ---- HEALTHCHECK ---- */

static void test_healthcheck(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM nginx\n"
                           "HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://x/ || exit 1\n"
                           "HEALTHCHECK NONE\n"
                           "HEALTHCHECK CMD [\"curl\", \"-f\"]\n"
                           "HEALTHCHECK CMD\n"
                           "HEALTHCHECK\n");
    df_node *n = nth(doc, 1);
    assert_flags(n, "--interval=30s", "--retries=3");
    assert_args(n, "CMD", "curl -f http://x/ || exit 1");
    assert_false(n->flags & DF_N_JSON);
    assert_args(nth(doc, 2), "NONE");
    assert_args(nth(doc, 3), "CMD", "curl", "-f");
    assert_true(nth(doc, 3)->flags & DF_N_JSON);
    assert_args(nth(doc, 4), "CMD");
    assert_int_equal(nth(doc, 5)->nargs, 0);
    df_doc_free(doc);
}

/* ---- ONBUILD ---- */

static void test_onbuild(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM alpine\nONBUILD RUN make -C /src\n"
                           "onbuild copy --from=b --chown=1 . /app\n"
                           "ONBUILD CMD [\"a\"]\nONBUILD\n");
    df_node *n = nth(doc, 1);
    assert_int_equal(n->kind, DF_ONBUILD);
    assert_int_equal(n->nargs, 0);
    assert_non_null(n->sub);
    assert_int_equal(n->sub->kind, DF_RUN);
    assert_slice(n->sub->keyword, "RUN");
    assert_args(n->sub, "make -C /src");
    /* sub-node offsets are in the top-level logical line */
    assert_int_equal(n->sub->args[0].off, 12);
    assert_pos(doc, n, n->sub->args[0].off, 2, 13);

    n = nth(doc, 2);
    assert_int_equal(n->sub->kind, DF_COPY);
    assert_int_equal(n->nbflags, 0);
    assert_flags(n->sub, "--from=b", "--chown=1");
    assert_args(n->sub, ".", "/app");
    assert_pos(doc, n, n->sub->bflags[1].off, 3, 23);

    assert_true(nth(doc, 3)->sub->flags & DF_N_JSON);
    assert_false(nth(doc, 3)->flags & DF_N_JSON);
    assert_args(nth(doc, 3)->sub, "a");
    assert_null(nth(doc, 4)->sub);
    df_doc_free(doc);
}

/* ---- builder flags ---- */

static void test_flags_basic(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nCOPY --from=build --chown=1000:1000 --link /out/app /app\n");
    assert_flags(n, "--from=build", "--chown=1000:1000", "--link");
    assert_args(n, "/out/app", "/app");
    df_doc_free(doc);
    /* a single dash is not a flag; nor is a flag after the first argument */
    n = second(&doc, "FROM a\nRUN -x --y\n");
    assert_int_equal(n->nbflags, 0);
    assert_args(n, "-x --y");
    df_doc_free(doc);
    /* flags only */
    n = second(&doc, "FROM a\nCOPY --link\n");
    assert_flags(n, "--link");
    assert_int_equal(n->nargs, 0);
    df_doc_free(doc);
}

static void test_flags_quotes_and_escapes(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nCOPY --chown=\"app user\" --a='x \"y\"' --b=c\\ d "
                              "--c=\"\" --d=e\"f g\"h src dst\n");
    assert_flags(n, "--chown=app user", "--a=x \"y\"", "--b=c d", "--c=", "--d=ef gh");
    assert_args(n, "src", "dst");
    df_doc_free(doc);
    n = second(&doc, "FROM a\nRUN --mount=type=secret,id='x y',target=/s cat /s\n");
    assert_flags(n, "--mount=type=secret,id=x y,target=/s");
    assert_args(n, "cat /s");
    df_doc_free(doc);
    /* the escape inside double quotes escapes the quote */
    n = second(&doc, "FROM a\nRUN --a=\"b\\\"c\" x\n");
    assert_flags(n, "--a=b\"c");
    df_doc_free(doc);
}

static void test_flags_double_dash(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nRUN --network=none -- --not-a-flag echo\n");
    assert_flags(n, "--network=none");
    assert_args(n, "--not-a-flag echo");
    df_doc_free(doc);
    n = second(&doc, "FROM a\nCOPY -- --x y\n");
    assert_int_equal(n->nbflags, 0);
    assert_args(n, "--x", "y");
    df_doc_free(doc);
    /* a lone `--` at the end is dropped */
    n = second(&doc, "FROM a\nCOPY --link --\n");
    assert_flags(n, "--link");
    assert_int_equal(n->nargs, 0);
    df_doc_free(doc);
    /* `--` spelt with quotes still ends the flags */
    n = second(&doc, "FROM a\nRUN --\"\" --x\n");
    assert_int_equal(n->nbflags, 0);
    assert_args(n, "--x");
    df_doc_free(doc);
}

/* The escape directive applies to ARG/ENV words but not to builder flags, which always use
 * backslash (extractBuilderFlags). */
static void test_backtick_escape_words_and_flags(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# escape=`\nARG A=a\\ b C=c` d\nCOPY --a=b` --c=d\\ e f g\n");
    assert_args(nth(doc, 0), "A=a\\", "b", "C=c` d");
    assert_flags(nth(doc, 1), "--a=b`", "--c=d e");
    assert_args(nth(doc, 1), "f", "g");
    df_doc_free(doc);
}

/* parseWords decodes UTF-8 rune by rune: a byte that is not UTF-8 becomes U+FFFD. */
static void test_words_invalid_utf8(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ARG A=x\xFF" "y\nENV B=\xFF\nENV C \xFF\n");
    assert_args(nth(doc, 0), "A=x\xEF\xBF\xBDy");
    assert_args(nth(doc, 1), "B", "\xEF\xBF\xBD", "=");
    /* the legacy form splits the raw text */
    assert_args(nth(doc, 2), "C", "\xFF", "");
    df_doc_free(doc);
}

/*
 * extractBuilderFlags reads the line byte by byte and appends rune(byte): every byte >= 0x80 is
 * taken as a Latin-1 code point and re-encoded, so "é" (C3 A9) in a flag becomes "Ã©".
 */
static void test_flags_non_ascii(void **state)
{
    (void)state;
    df_doc *doc;
    df_node *n = second(&doc, "FROM a\nCOPY --chown=jos\xC3\xA9 a b\n");
    assert_flags(n, "--chown=jos\xC3\x83\xC2\xA9");
    assert_args(n, "a", "b");
    df_doc_free(doc);
}

/* ---- positions ---- */

static void test_positions(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\n"
                           "COPY --from=build \\\n"
                           "     --chown=1:1 src \\\n"
                           "  # comment\n"
                           "\tdst\n");
    df_node *n = nth(doc, 1);
    assert_flags(n, "--from=build", "--chown=1:1");
    assert_args(n, "src", "dst");
    assert_pos(doc, n, n->bflags[0].off, 2, 6);
    assert_pos(doc, n, n->bflags[1].off, 3, 6);
    assert_pos(doc, n, n->args[0].off, 3, 18);
    assert_pos(doc, n, n->args[1].off, 5, 2);
    assert_pos(doc, n, n->rest_off, 3, 18);
    df_doc_free(doc);
}

static void test_positions_json_env_arg(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nCMD [ \"a\",\n\"b\"]\nENV K=v \\\n  L=\"w x\"\nARG A  B=1\n"
                           "ENV OLD  value\n");
    /* without an escape at the end of the line the array is cut short: shell form, and the
     * next line is an instruction of its own */
    df_node *cmd = nth(doc, 1);
    assert_args(cmd, "[ \"a\",");
    df_node *s = nth(doc, 2);
    assert_slice(s->keyword, "\"b\"]");
    df_doc_free(doc);

    doc = parse_ok("FROM a\nCMD [ \"a\", \\\n  \"b\"]\nENV K=v \\\n  L=\"w x\"\nARG A  B=1\n"
                   "ENV OLD  value\n");
    cmd = nth(doc, 1);
    assert_args(cmd, "a", "b");
    assert_pos(doc, cmd, cmd->args[0].off, 2, 7);
    assert_pos(doc, cmd, cmd->args[1].off, 3, 3);
    df_node *env = nth(doc, 2);
    assert_args(env, "K", "v", "=", "L", "\"w x\"", "=");
    assert_pos(doc, env, env->args[0].off, 4, 5);
    assert_pos(doc, env, env->args[1].off, 4, 7);
    assert_pos(doc, env, env->args[2].off, 4, 6);
    assert_pos(doc, env, env->args[3].off, 5, 3);
    assert_pos(doc, env, env->args[4].off, 5, 5);
    df_node *arg = nth(doc, 3);
    assert_args(arg, "A", "B=1");
    assert_pos(doc, arg, arg->args[1].off, 6, 8);
    df_node *old = nth(doc, 4);
    assert_args(old, "OLD", "value", "");
    assert_pos(doc, old, old->args[0].off, 7, 5);
    assert_pos(doc, old, old->args[1].off, 7, 10);
    df_doc_free(doc);
}

/* parse_instruction re-parses a node from its logical line. */
static void test_parse_instruction(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nRUN [\"x\"]\n");
    df_node *n = nth(doc, 1);
    assert_true(n->flags & DF_N_JSON);
    n->logical = SLICE("copy --link a b");
    df_diags *d = df_diags_new();
    assert_true(parse_instruction(doc, n, d));
    assert_int_equal(n->kind, DF_COPY);
    assert_false(n->flags & DF_N_JSON);
    assert_flags(n, "--link");
    assert_args(n, "a", "b");
    assert_int_equal(df_diags_errors(d), 0);
    df_diags_free(d);
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyword_case),
        cmocka_unit_test(test_keyword_unicode_case),
        cmocka_unit_test(test_unknown_instruction),
        cmocka_unit_test(test_run_shell_and_json),
        cmocka_unit_test(test_json_fallbacks),
        cmocka_unit_test(test_json_not_strings_error),
        cmocka_unit_test(test_json_out_of_range_number),
        cmocka_unit_test(test_list_forms),
        cmocka_unit_test(test_string_rule),
        cmocka_unit_test(test_env_label),
        cmocka_unit_test(test_env_errors),
        cmocka_unit_test(test_arg_words),
        cmocka_unit_test(test_healthcheck),
        cmocka_unit_test(test_onbuild),
        cmocka_unit_test(test_flags_basic),
        cmocka_unit_test(test_flags_quotes_and_escapes),
        cmocka_unit_test(test_flags_double_dash),
        cmocka_unit_test(test_backtick_escape_words_and_flags),
        cmocka_unit_test(test_words_invalid_utf8),
        cmocka_unit_test(test_flags_non_ascii),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_positions_json_env_arg),
        cmocka_unit_test(test_parse_instruction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
