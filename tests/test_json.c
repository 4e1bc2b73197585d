/*
 * test_json.c: JSON arrays of strings as Go's encoding/json reads them into []interface{}
 * (BuildKit's exec form), and the two quoting styles: json_quote and go_quote (strconv.Quote).
 */
#include "testutil.h"

/* Parses s as a string array; returns the result and, on JSON_OK, checks the elements. */
static json_result parse_array(const char *s, size_t len, const char *const *want)
{
    df_arena a = {0};
    df_slice *elems = NULL;
    size_t *offs = NULL, n = 0;
    json_result r = json_string_array(&a, (df_slice){s, len}, &elems, &offs, &n);
    if (r == JSON_OK && want) {
        size_t k = 0;
        while (want[k])
            k++;
        if (n != k)
            fail_msg("%s: expected %zu elements, got %zu", s, k, n);
        for (size_t i = 0; i < n; i++) {
            if (elems[i].n != strlen(want[i]) || memcmp(elems[i].p, want[i], elems[i].n) != 0)
                fail_msg("%s: element %zu: expected '%s', got '%.*s'", s, i, want[i],
                         SLICE_ARG(elems[i]));
        }
    }
    arena_free(&a);
    return r;
}

#define assert_array(s, ...) \
    assert_int_equal(parse_array((s), strlen(s), (const char *const[]){__VA_ARGS__, NULL}), \
                     JSON_OK)
#define assert_json(s, result) assert_int_equal(parse_array((s), strlen(s), NULL), (result))

static void test_simple(void **state)
{
    (void)state;
    df_arena a = {0};
    df_slice *elems;
    size_t *offs, n;
    assert_int_equal(json_string_array(&a, SLICE(" [ \"a\" ,\t\"bc\"\n] "), &elems, &offs, &n),
                     JSON_OK);
    assert_int_equal(n, 2);
    assert_slice(elems[0], "a");
    assert_slice(elems[1], "bc");
    /* offsets are those of the opening quotes */
    assert_int_equal(offs[0], 3);
    assert_int_equal(offs[1], 9);
    assert_int_equal(json_string_array(&a, SLICE("[]"), &elems, &offs, &n), JSON_OK);
    assert_int_equal(n, 0);
    assert_int_equal(json_string_array(&a, SLICE("[\"\"]"), &elems, &offs, &n), JSON_OK);
    assert_int_equal(n, 1);
    assert_int_equal(elems[0].n, 0);
    arena_free(&a);
    /* a leading Unicode blank is trimmed before the array, as BuildKit's TrimLeftFunc does */
    assert_array("\xC2\xA0[\"a\"]", "a");
}

static void test_escapes(void **state)
{
    (void)state;
    assert_array("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "\"\\/\b\f\n\r\t");
    assert_array("[\"a\\u0041\\u00e9\\u4E2D\"]", "aA\xC3\xA9\xE4\xB8\xAD");
    /* \u0000 decodes to a NUL byte, which assert_array's strlen cannot see: check by hand */
    df_arena a = {0};
    df_slice *elems;
    size_t *offs, n;
    assert_int_equal(json_string_array(&a, SLICE("[\"x\\u0000y\"]"), &elems, &offs, &n), JSON_OK);
    assert_int_equal(elems[0].n, 3);
    assert_memory_equal(elems[0].p, "x\0y", 3);
    arena_free(&a);
    /* raw non-ASCII and DEL pass through */
    assert_array("[\"\xC3\xA9\x7F\"]", "\xC3\xA9\x7F");
}

static void test_surrogates(void **state)
{
    (void)state;
    assert_array("[\"\\ud83d\\ude00\"]", "\xF0\x9F\x98\x80");
    assert_array("[\"\\uD834\\uDD1E\"]", "\xF0\x9D\x84\x9E");
    /* lone surrogates are U+FFFD; a high one does not swallow what follows */
    assert_array("[\"\\ud800\"]", "\xEF\xBF\xBD");
    assert_array("[\"\\udc00x\"]", "\xEF\xBF\xBDx");
    assert_array("[\"\\ud800\\u0041\"]", "\xEF\xBF\xBD" "A");
    assert_array("[\"\\ud800\\ud800\"]", "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_array("[\"\\ud800\\n\"]", "\xEF\xBF\xBD\n");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    assert_array("[\"a\xFF" "b\"]", "a\xEF\xBF\xBD" "b");
    /* a truncated sequence */
    assert_array("[\"\xC3\"]", "\xEF\xBF\xBD");
    /* overlong encodings and encoded surrogates are invalid byte by byte */
    assert_array("[\"\xC0\xAF\"]", "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_array("[\"\xED\xA0\x80\"]", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void test_not_strings(void **state)
{
    (void)state;
    const char *cases[] = {
        "[1]", "[\"a\", [\"b\"]]", "[null]", "[true, \"x\"]", "[\"x\", false]", "[{\"a\": 1}]",
        "[{}]", "[[]]", "[-0.5e+3]", "[0, 1E2, 2.25]", "[\"a\", {\"k\": [1, {\"z\": null}]}]",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (parse_array(cases[i], strlen(cases[i]), NULL) != JSON_NOT_STRINGS)
            fail_msg("%s: expected JSON_NOT_STRINGS", cases[i]);
}

static void test_not_array(void **state)
{
    (void)state;
    const char *cases[] = {
        "",  "   ",  "\"a\"",  "{\"a\": \"b\"}", "[\"a\"] x",  "[\"a\"]]", "[\"a\",]", "[",
        "[\"a\"", "[\"a", "['a']", "[a]", "[\"\\x\"]", "[\"\\u12\"]", "[\"\\u12G4\"]",
        "[\"a\tb\"]", "[\"a\nb\"]", "[tru]", "[nul]", "[01]", "[1.]", "[.5]", "[-]", "[1e]",
        "[+1]", "[{\"a\" 1}]", "[{1: 2}]", "[{\"a\": 1,}]", "[\"a\" \"b\"]", "[,]",
        "[\"a\"]\xC2\xA0", "[\"a\"]\v",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (parse_array(cases[i], strlen(cases[i]), NULL) != JSON_NOT_ARRAY)
            fail_msg("'%s': expected JSON_NOT_ARRAY", cases[i]);
    /* JSON's own blanks around the value are fine */
    assert_json("\t[ \"a\" ]\r\n ", JSON_OK);
}

/* Go's scanner allows 10000 nested arrays and rejects 10001 ("exceeded max depth"). */
static void nested(size_t depth, json_result want)
{
    char *s = xmalloc(2 * depth + 1);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    s[2 * depth] = '\0';
    json_result got = parse_array(s, 2 * depth, NULL);
    free(s);
    if (got != want)
        fail_msg("%zu nested arrays: expected %d, got %d", depth, want, got);
}

static void test_depth(void **state)
{
    (void)state;
    nested(2, JSON_NOT_STRINGS);
    nested(10000, JSON_NOT_STRINGS);
    nested(10001, JSON_NOT_ARRAY);
    nested(20000, JSON_NOT_ARRAY);
}

/* A number that overflows float64 makes Go's Unmarshal fail (UnmarshalTypeError), so BuildKit
 * does not see an array: the shell form, not the "strings only" error. */
static void test_number_out_of_range(void **state)
{
    (void)state;
    assert_json("[1e308]", JSON_NOT_STRINGS);
    assert_json("[\"a\", 1e999]", JSON_NOT_ARRAY);
    assert_json("[-1e400]", JSON_NOT_ARRAY);
}

/* ---- quoting ---- */

static void check_quote(void (*fn)(df_buf *, df_slice), const char *in, size_t n, const char *want)
{
    df_buf b = {0};
    fn(&b, (df_slice){in, n});
    if (strcmp(b.p, want) != 0)
        fail_msg("quoting '%.*s': expected %s, got %s", (int)n, in, want, b.p);
    buf_free(&b);
}

#define go_q(in, want) check_quote(go_quote, (in), sizeof(in) - 1, (want))
#define json_q(in, want) check_quote(json_quote, (in), sizeof(in) - 1, (want))

static void test_go_quote(void **state)
{
    (void)state;
    go_q("", "\"\"");
    go_q("echo hi", "\"echo hi\"");
    go_q("a\"b\\c", "\"a\\\"b\\\\c\"");
    go_q("'", "\"'\"");
    go_q("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"");
    go_q("\x00\x01\x1b\x1f\x7f", "\"\\x00\\x01\\x1b\\x1f\\x7f\"");
    /* bytes that are not UTF-8 */
    go_q("a\xFF" "b", "\"a\\xffb\"");
    go_q("\xC3", "\"\\xc3\"");
    go_q("\xED\xA0\x80", "\"\\xed\\xa0\\x80\"");
    /* non-ASCII: printable kept, others escaped */
    go_q("\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80", "\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\"");
    go_q("\xC2\xA0", "\"\\u00a0\"");
    go_q("\xC2\x85", "\"\\u0085\"");
    go_q("\xC2\xAD", "\"\\u00ad\"");
    go_q("\xE2\x80\x8B", "\"\\u200b\"");
    go_q("\xE2\x80\xA8", "\"\\u2028\"");
    go_q("\xEF\xBB\xBF", "\"\\ufeff\"");
    go_q("\xEE\x80\x80", "\"\\ue000\"");
    go_q("\xE3\x80\x80", "\"\\u3000\"");
    go_q("\xEF\xBF\xBD", "\"\xEF\xBF\xBD\"");
    go_q("\xF3\xA0\x80\x81", "\"\\U000e0001\"");
    go_q("\xF4\x8F\xBF\xBF", "\"\\U0010ffff\"");
}

/* strconv.IsPrint is false for unassigned code points and for format characters (Cf). */
static void test_go_quote_unassigned(void **state)
{
    (void)state;
    go_q("\xCD\xB8", "\"\\u0378\"");                 /* U+0378, unassigned */
    go_q("\xEF\xBF\xB0", "\"\\ufff0\"");             /* U+FFF0, unassigned */
    go_q("\xF0\x9D\x85\xB3", "\"\\U0001d173\"");     /* U+1D173, Cf */
}

static void test_json_quote(void **state)
{
    (void)state;
    json_q("", "\"\"");
    json_q("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
    json_q("\n\t\r\x01\x1f\b", "\"\\n\\t\\r\\u0001\\u001f\\u0008\"");
    json_q("\x7f", "\"\x7f\"");
    json_q("\xC3\xA9\xF0\x9F\x98\x80", "\"\xC3\xA9\xF0\x9F\x98\x80\"");
    /* bytes that are not UTF-8 become U+FFFD, so the output is always valid JSON */
    json_q("a\xFF", "\"a\xEF\xBF\xBD\"");
    /* a quoted string reads back as itself */
    df_buf b = {0};
    buf_putc(&b, '[');
    json_quote(&b, SLICE("x \"y\" \\ \t\x02 \xC3\xA9"));
    buf_putc(&b, ']');
    assert_array(b.p, "x \"y\" \\ \t\x02 \xC3\xA9");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_not_strings),
        cmocka_unit_test(test_not_array),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_number_out_of_range),
        cmocka_unit_test(test_go_quote),
        cmocka_unit_test(test_go_quote_unassigned),
        cmocka_unit_test(test_json_quote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
