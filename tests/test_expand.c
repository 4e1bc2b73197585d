/*
 * test_expand.c: variable expansion, checked case by case against the
 * behaviour of BuildKit's shell lexer (frontend/dockerfile/shell: envVarTest,
 * wordsTest and lex_test.go), rewritten as tables. Every case states the
 * exact output, or the exact error message and offset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "expand.h"

typedef struct env_var {
    const char *name, *value;
} env_var;

/* ctx is an env_var array ended by a NULL name. */
static bool lookup(void *ctx, df_slice name, df_slice *value)
{
    for (const env_var *v = ctx; v && v->name; v++) {
        if (slice_eq_str(name, v->name)) {
            *value = slice_from(v->value);
            return true;
        }
    }
    return false;
}

/* out is the expected result; when it is NULL the case must fail with err at offset. */
typedef struct expand_case {
    const char *in, *out, *err;
    size_t offset;
} expand_case;

#define ERR(in, msg, off) {in, NULL, msg, off}

static void check_case(const expand_case *c, char escape, const env_var *env, bool keep_unset)
{
    df_arena arena = {0};
    df_slice out = {0};
    expand_error err = {0};
    bool ok = expand_word(&arena, slice_from(c->in), escape, lookup, (void *)env, keep_unset, &out, &err);
    if (c->out) {
        if (!ok)
            fail_msg("%s: unexpected error '%s' at %zu", c->in, err.message, err.offset);
        char *got = arena_strndup(&arena, out.p, out.n);
        if (strcmp(got, c->out) != 0)
            fail_msg("%s: expected '%s', got '%s'", c->in, c->out, got);
    } else {
        if (ok)
            fail_msg("%s: expected error '%s', got '%.*s'", c->in, c->err, SLICE_ARG(out));
        if (strcmp(err.message, c->err) != 0 || err.offset != c->offset)
            fail_msg("%s: expected error '%s' at %zu, got '%s' at %zu", c->in, c->err, c->offset,
                     err.message, err.offset);
    }
    arena_free(&arena);
}

static void check_table(const expand_case *cases, size_t n, char escape, const env_var *env,
                        bool keep_unset)
{
    for (size_t i = 0; i < n; i++)
        check_case(&cases[i], escape, env, keep_unset);
}

#define CHECK_TABLE(t, esc, env, keep) check_table(t, sizeof t / sizeof t[0], esc, env, keep)

/* The environment of BuildKit's envVarTest. */
static const env_var base_env[] = {
    {"PWD", "/home"}, {"SHELL", "bash"}, {"KOREAN", "한국어"}, {"NULL", ""}, {NULL, NULL},
};

/* envVarTest, with today's errors for unterminated quotes and ${}. */
static void test_envvar_file(void **state)
{
    (void)state;
    static const expand_case cases[] = {
        {"hello", "hello", NULL, 0},
        {"he'll'o", "hello", NULL, 0},
        ERR("he'llo", "unterminated single quote", 2),
        {"he\\'llo", "he'llo", NULL, 0},
        ERR("he\\\\'llo", "unterminated single quote", 4),
        {"abc\\tdef", "abctdef", NULL, 0},
        {"\"abc\\tdef\"", "abc\\tdef", NULL, 0},
        {"\"abc\\\\tdef\"", "abc\\tdef", NULL, 0},
        {"'abc\\tdef'", "abc\\tdef", NULL, 0},
        {"hello\\", "hello", NULL, 0},
        {"hello\\\\", "hello\\", NULL, 0},
        ERR("\"hello", "unterminated double quote", 0),
        ERR("\"hello\\\"", "unterminated double quote", 0),
        {"\"hel'lo\"", "hel'lo", NULL, 0},
        ERR("'hello", "unterminated single quote", 0),
        {"'hello\\'", "hello\\", NULL, 0},
        {"'hello\\there'", "hello\\there", NULL, 0},
        {"'hello\\\\there'", "hello\\\\there", NULL, 0},
        {"\"''\"", "''", NULL, 0},
        {"$.", "$.", NULL, 0},
        {"$1", "", NULL, 0},
        {"he$1x", "hex", NULL, 0},
        {"he$.x", "he$.x", NULL, 0},
        {"he$pwd.", "he.", NULL, 0},
        {"he$PWD", "he/home", NULL, 0},
        {"he\\$PWD", "he$PWD", NULL, 0},
        {"he\\\\$PWD", "he\\/home", NULL, 0},
        {"he\\${}", "he${}", NULL, 0},
        {"he\\${}xx", "he${}xx", NULL, 0},
        ERR("he${}", "bad substitution", 2),
        ERR("he${}xx", "bad substitution", 2),
        {"he${hi}", "he", NULL, 0},
        {"he${hi}xx", "hexx", NULL, 0},
        {"he${PWD}", "he/home", NULL, 0},
        ERR("he${.}", "unsupported modifier in substitution", 4),
        {"he${XXX:-000}xx", "he000xx", NULL, 0},
        {"he${PWD:-000}xx", "he/homexx", NULL, 0},
        {"he${XXX:-$PWD}xx", "he/homexx", NULL, 0},
        {"he${XXX:-${PWD:-yyy}}xx", "he/homexx", NULL, 0},
        {"he${XXX:-${YYY:-yyy}}xx", "heyyyxx", NULL, 0},
        ERR("he${XXX:YYY}", "unsupported modifier in substitution", 7),
        {"he${XXX:+${PWD}}xx", "hexx", NULL, 0},
        {"he${PWD:+${XXX}}xx", "hexx", NULL, 0},
        {"he${PWD:+${SHELL}}xx", "hebashxx", NULL, 0},
        {"he${XXX:+000}xx", "hexx", NULL, 0},
        {"he${PWD:+000}xx", "he000xx", NULL, 0},
        {"'he${XX}'", "he${XX}", NULL, 0},
        {"\"he${PWD}\"", "he/home", NULL, 0},
        {"\"he'$PWD'\"", "he'/home'", NULL, 0},
        {"\"$PWD\"", "/home", NULL, 0},
        {"'$PWD'", "$PWD", NULL, 0},
        {"'\\$PWD'", "\\$PWD", NULL, 0},
        {"'\"hello\"'", "\"hello\"", NULL, 0},
        {"\"he\\$PWD\"", "he$PWD", NULL, 0},
        {"'he\\$PWD'", "he\\$PWD", NULL, 0},
        ERR("he${PWD", "missing '}'", 2),
        ERR("he${PWD:=000}xx", "unsupported modifier in substitution", 7),
        {"he${PWD:+${PWD}:}xx", "he/home:xx", NULL, 0},
        {"he${XXX:-\\$PWD:}xx", "he$PWD:xx", NULL, 0},
        {"he${XXX:-\\${PWD}z}xx", "he${PWDz}xx", NULL, 0},
        {"안녕하세요", "안녕하세요", NULL, 0},
        {"안'녕'하세요", "안녕하세요", NULL, 0},
        {"안녕\\'하세요", "안녕'하세요", NULL, 0},
        {"\"안녕\\t하세요\"", "안녕\\t하세요", NULL, 0},
        {"안녕$pwd.", "안녕.", NULL, 0},
        {"안녕${XXX:-${PWD:-yyy}}xx", "안녕/homexx", NULL, 0},
        {"$KOREAN", "한국어", NULL, 0},
        {"안녕$KOREAN", "안녕한국어", NULL, 0},
        {"$KOREAN안녕", "", NULL, 0}, /* Hangul continues the name */
    };
    CHECK_TABLE(cases, '\\', base_env, false);
}

/* Unset versus set-but-empty, for every operator with and without ':'. */
static void test_unset_vs_empty(void **state)
{
    (void)state;
    static const expand_case cases[] = {
        {"[${NULL:-d}]", "[d]", NULL, 0},
        {"[${NULL-d}]", "[]", NULL, 0},
        {"[${UNSET:-d}]", "[d]", NULL, 0},
        {"[${UNSET-d}]", "[d]", NULL, 0},
        {"[${NULL:+a}]", "[]", NULL, 0},
        {"[${NULL+a}]", "[a]", NULL, 0},
        {"[${UNSET:+a}]", "[]", NULL, 0},
        {"[${UNSET+a}]", "[]", NULL, 0},
        {"[${NULL?}]", "[]", NULL, 0},
        {"[${SHELL:?}]", "[bash]", NULL, 0},
        ERR("[${NULL:?}]", "NULL: is not allowed to be empty", 1),
        ERR("${UNSET?}", "UNSET: is not allowed to be unset", 0),
        ERR("${UNSET:?}", "UNSET: is not allowed to be unset", 0),
        ERR("x ${UNSET:?need $SHELL here}", "UNSET: need bash here", 2),
        ERR("${X:-${Y:?boom}}", "Y: boom", 5),
        {"$$-$@-${#}-$0-$!", "----", NULL, 0},
        ERR("${#SHELL}", "unsupported modifier in substitution", 3),
        ERR("${", "missing '}'", 0),
        ERR("${:}", "bad substitution", 0),
        ERR("${{X}", "bad substitution", 0),
        ERR("${X:-\"a}", "missing '}'", 0),
        ERR("${X:-a", "missing '}'", 0),
        ERR("x${X:", "missing '}'", 1),
        ERR("${X:}", "missing '}'", 0),
        ERR("${X:}a}", "unsupported modifier in substitution", 3),
        ERR("${X/a", "missing '/' in ${}", 0),
        ERR("${X/a/b", "missing '}'", 0),
        {"${X:-'}'}", "}", NULL, 0},
        {"${X:-\"}\"}", "}", NULL, 0},
        {"${X:-\\}}", "}", NULL, 0},
        {"$", "$", NULL, 0},
        {"a$ b", "a$ b", NULL, 0},
    };
    CHECK_TABLE(cases, '\\', base_env, false);
}

/* TestShellParserMandatoryEnvVars */
static void test_mandatory(void **state)
{
    (void)state;
    static const env_var set[] = {{"VAR", "plain"}, {"ARG", "x"}, {NULL, NULL}};
    static const env_var empty[] = {{"VAR", ""}, {"ARG", "x"}, {NULL, NULL}};
    static const env_var unset[] = {{"ARG", "x"}, {NULL, NULL}};
    static const expand_case no_empty_set[] = {{"${VAR:?message here$ARG}", "plain", NULL, 0}};
    static const expand_case no_empty_bad[] = {ERR("${VAR:?message here$ARG}", "VAR: message herex", 0)};
    static const expand_case no_unset_set[] = {{"${VAR?message here$ARG}", "plain", NULL, 0}};
    static const expand_case no_unset_empty[] = {{"${VAR?message here$ARG}", "", NULL, 0}};
    static const expand_case no_unset_bad[] = {ERR("${VAR?message here$ARG}", "VAR: message herex", 0)};
    CHECK_TABLE(no_empty_set, '\\', set, false);
    CHECK_TABLE(no_empty_bad, '\\', empty, false);
    CHECK_TABLE(no_empty_bad, '\\', unset, false);
    CHECK_TABLE(no_unset_set, '\\', set, false);
    CHECK_TABLE(no_unset_empty, '\\', empty, false);
    CHECK_TABLE(no_unset_bad, '\\', unset, false);
}

/* TestProcessWithMatches: cases with their own environment. */
typedef struct env_case {
    expand_case c;
    env_var env[5];
} env_case;

static void test_matches(void **state)
{
    (void)state;
    static const env_case cases[] = {
        {{"x ${UNUSED}", "x ", NULL, 0}, {{"DUMMY", "dummy"}}},
        {{"x ${FOO}", "x y", NULL, 0}, {{"FOO", "y"}}},
        {{"${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", "xxx  ccc", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", "xxx bbb ccc", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${FOO:-}", "xxx", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${FOO:-}", "", NULL, 0}, {{NULL, NULL}}},
        {{"${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", "aaa bbb ", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", "aaa  ", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${FOO?aaa}", "xxx", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${BAR?bbb}", "", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {ERR("${BAZ?ccc}", "BAZ: ccc", 0), {{"FOO", "xxx"}, {"BAR", ""}}},
        {{"${FOO:?aaa}", "xxx", NULL, 0}, {{"FOO", "xxx"}, {"BAR", ""}}},
        {ERR("${BAR:?bbb}", "BAR: bbb", 0), {{"FOO", "xxx"}, {"BAR", ""}}},
        {ERR("${BAZ:?ccc}", "BAZ: ccc", 0), {{"FOO", "xxx"}, {"BAR", ""}}},
        {ERR("${BAZ:?}", "BAZ: is not allowed to be unset", 0), {{"FOO", "xxx"}}},
        {ERR("${FOO=aaa}", "unsupported modifier in substitution", 5), {{"FOO", "xxx"}}},
        {ERR("${FOO=:aaa}", "unsupported modifier in substitution", 5), {{"FOO", "xxx"}}},
        {ERR("${FOO=}", "unsupported modifier in substitution", 5), {{NULL, NULL}}},
        /* patterns: regexp metacharacters are literal, \} is a literal } */
        {{"${FOO#()[]{\\}^$.\\*\\?|\\\\}", "x", NULL, 0}, {{"FOO", "()[]{}^$.*?|\\x"}}},
        {{"${FOO%%\\**}", "xx", NULL, 0}, {{"FOO", "xx**"}}},
        {{"${FOO#*x*y}", "y", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO#*}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO#$BAR}", "xyy", NULL, 0}, {{"FOO", "xxyy"}, {"BAR", "x"}}},
        {{"${FOO#$BAR}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}, {"BAR", ""}}},
        {{"${FOO#}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO##*x}", "yy", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO##}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO#?\\?}", "?y", NULL, 0}, {{"FOO", "???y"}}},
        {{"${ABC:-.}${FOO%x}${ABC:-.}", ".xxyy.", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO%%\\**\\*}", "a", NULL, 0}, {{"FOO", "a***yy*"}}},
        {{"${FOO%}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO%%$BAR}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}, {"BAR", ""}}},
        /* replacement */
        {{"${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", "/foo.*/*.txt - /foo..*.txt", NULL, 0},
         {{"FOO", "/foo*/*/*.txt"}, {"NEEDLE", "\\*/"}}},
        {{"${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", "/tmp/bar.txt - /bar.txt", NULL, 0},
         {{"FOO", "/tmp/tmp/bar.txt"}, {"NEEDLE", "/tmp"}}},
        {{"${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", "/foo/b/c.txt - /foo/c.txt", NULL, 0},
         {{"FOO", "/a/foo/b/c.txt"}, {"NEEDLE", "/?/"}, {"REPLACEMENT", "/"}}},
        {{"${FOO/$NEEDLE/$REPLACEMENT}", "https://google.de", NULL, 0},
         {{"FOO", "http://google.de"}, {"NEEDLE", "http://"}, {"REPLACEMENT", "https://"}}},
        {{"${FOO//\\//\\/}", "\\/tmp\\/foo.txt", NULL, 0}, {{"FOO", "/tmp/foo.txt"}}},
        {{"${FOO/$BAR/ww}", "wwxxyy", NULL, 0}, {{"FOO", "xxyy"}, {"BAR", ""}}},
        {ERR("${FOO//ww}", "missing '/' in ${}", 0), {{"FOO", "xxyy"}}},
        {ERR("${FOO//}", "missing '/' in ${}", 0), {{"FOO", "xxyy"}}},
        {{"${FOO///}", "xxyy", NULL, 0}, {{"FOO", "xxyy"}}},
        {{"${FOO///}", "", NULL, 0}, {{NULL, NULL}}},
        /* TestProcessWithMatchesPlatform */
        {{"something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
          "something-v1.2.3.linux-arm-v7.tar.gz", NULL, 0},
         {{"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm"}, {"TARGETVARIANT", "v7"}}},
        {{"something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
          "something-v1.2.3.linux-arm64.tar.gz", NULL, 0},
         {{"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm64"}, {"TARGETVARIANT", ""}}},
        {{"something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
          "something-v1.2.3.linux-arm64.tar.gz", NULL, 0},
         {{"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm64"}}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i].c, '\\', cases[i].env, false);
}

/* Globs beyond BuildKit's own tests: shortest/longest, runes, newlines, the quirks. */
static void test_patterns(void **state)
{
    (void)state;
    static const env_var env[] = {
        {"P", "/usr/local/lib/libfoo.so.1"}, {"K", "한국어"}, {"NL", "ab\ncd"}, {"BS", "\\tx"},
        {"E", ""}, {"R0", "<$0>"}, {"RB", "[${0}]"}, {"RD", "$$"}, {"T", "`xy"}, {"S", "*a"}, {NULL, NULL},
    };
    static const expand_case cases[] = {
        {"${P#*/}", "usr/local/lib/libfoo.so.1", NULL, 0},
        {"${P##*/}", "libfoo.so.1", NULL, 0},
        {"${P%/*}", "/usr/local/lib", NULL, 0},
        {"${P%%/*}", "", NULL, 0},
        {"${P%.*}", "/usr/local/lib/libfoo.so", NULL, 0},
        {"${P%%.*}", "/usr/local/lib/libfoo", NULL, 0},
        {"${P#/usr/?" "?" "?" "?" "?/}", "lib/libfoo.so.1", NULL, 0}, /* split: no trigraphs */
        {"${P#nomatch}", "/usr/local/lib/libfoo.so.1", NULL, 0},
        {"${P/lib/LIB}", "/usr/local/LIB/libfoo.so.1", NULL, 0},
        {"${P//lib/LIB}", "/usr/local/LIB/LIBfoo.so.1", NULL, 0},
        {"${P/l*b/X}", "/usr/Xfoo.so.1", NULL, 0}, /* leftmost, then longest */
        {"${P//[a-z]/X}", "/usr/local/lib/libfoo.so.1", NULL, 0}, /* [ ] are literal */
        {"${K#?}", "국어", NULL, 0},
        {"${K%?}", "한국", NULL, 0},
        {"${K/?/X}", "X국어", NULL, 0},
        {"${NL#*c}", "ab\ncd", NULL, 0}, /* wildcards stop at a newline */
        {"${NL##?*}", "\ncd", NULL, 0},
        {"${NL%%?*}", "ab\n", NULL, 0},
        {"${NL//?/.}", "..\n..", NULL, 0},
        {"${P:#/usr}", "/local/lib/libfoo.so.1", NULL, 0}, /* ':' is accepted before # */
        {"${P#'/usr/'*}", "local/lib/libfoo.so.1", NULL, 0}, /* quoting does not make * literal */
        {"${BS#\"\\t\"}", "x", NULL, 0}, /* "\t" in a pattern keeps both backslashes */
        {"${P/#/X}", "/usr/local/lib/libfoo.so.1", NULL, 0},
        {"${K//$E/-}", "-한-국-어-", NULL, 0}, /* empty pattern: Go's empty-match rules */
        {"${K//어*/-}", "한국-", NULL, 0},
        {"${K//$E/$R0}", "<>한<>국<>어<>", NULL, 0},
        {"${P//lib/$R0$RD}", "/usr/local/<lib>$/<lib>$foo.so.1", NULL, 0},
        {"${P/lib/$R0}", "/usr/local/<$0>/libfoo.so.1", NULL, 0}, /* single / is literal */
        {"${P//lib/$RB}", "/usr/local/[lib]/[lib]foo.so.1", NULL, 0},
        /* escapes stay in a replacement, and "${0\}" is no group reference */
        {"${P//lib/\\${0\\}}", "/usr/local/\\${0\\}/\\${0\\}foo.so.1", NULL, 0},
        ERR("${P#\\q}", "invalid pattern in substitution", 0),
        ERR("${P//a\\b/c}", "invalid pattern in substitution", 0),
        ERR("x${P%\\.}", "invalid pattern in substitution", 1),
    };
    CHECK_TABLE(cases, '\\', env, false);

    /* With ` as escape character the glob still reads backslash escapes. */
    static const expand_case tick[] = {
        {"${T#`*}", "xy", NULL, 0},
        {"${S#\\*}", "a", NULL, 0},
        {"${S#`\\*}", "*a", NULL, 0},
    };
    CHECK_TABLE(tick, '`', env, false);
}

/* The escape directive: ` instead of \. */
static void test_backtick_escape(void **state)
{
    (void)state;
    static const expand_case cases[] = {
        {"he`'llo", "he'llo", NULL, 0},
        {"`$PWD", "$PWD", NULL, 0},
        {"he``$PWD", "he`/home", NULL, 0},
        {"he\\$PWD", "he\\/home", NULL, 0},
        {"C:\\Users\\x", "C:\\Users\\x", NULL, 0},
        {"c:\\dir\\x", "c:\\dir\\x", NULL, 0},
        {"\"a`\"b\"", "a\"b", NULL, 0},
        {"\"a``b\"", "a`b", NULL, 0},
        {"\"a`$PWD\"", "a$PWD", NULL, 0},
        {"\"a`tb\"", "a`tb", NULL, 0},
        {"\"a\\tb\"", "a\\tb", NULL, 0},
        {"hello`", "hello", NULL, 0},
        {"${X:-`}}", "}", NULL, 0},
        {"'a`b'", "a`b", NULL, 0},
        {"\"a\\\"", "a\\", NULL, 0}, /* \ does not escape " here */
        ERR("\"a\\\"b\"", "unterminated double quote", 5),
    };
    CHECK_TABLE(cases, '`', base_env, false);
}

/* keep_unset: BuildKit's SkipUnsetEnv. */
static void test_keep_unset(void **state)
{
    (void)state;
    static const expand_case cases[] = {
        {"$X", "$X", NULL, 0},
        {"${X}", "${X}", NULL, 0},
        {"he$PWD-$X", "he/home-$X", NULL, 0},
        {"$1", "$1", NULL, 0},
        {"a$ $. b$", "a$ $. b$", NULL, 0},
        {"${X:-default}", "${X:-default}", NULL, 0},
        {"${X-$PWD}", "${X-/home}", NULL, 0},
        {"${X:-${Y}}", "${X:-${Y}}", NULL, 0},
        {"${X:-\"a b\"}", "${X:-a b}", NULL, 0},
        {"${NULL:-d}", "d", NULL, 0},
        {"[$NULL]", "[]", NULL, 0},
        {"${X:?oops}", "${X:?oops}", NULL, 0},
        {"${X#*/}", "${X#*/}", NULL, 0},
        {"${X%%.*}", "${X%%.*}", NULL, 0},
        {"${X/a/b}", "${X/a/b}", NULL, 0},
        {"${X//a/b}", "${X/a/b}", NULL, 0}, /* BuildKit drops the second '/' */
        {"${X:=a}", "${X:=a}", NULL, 0},
        ERR("${X=a}", "unsupported modifier in substitution", 3),
        ERR("${PWD:=a}", "unsupported modifier in substitution", 5),
        ERR("${NULL:?}", "NULL: is not allowed to be empty", 0),
        {"\"$X\"", "$X", NULL, 0},
        {"'$X'", "$X", NULL, 0},
        /* unset names written back as they were, next to non-ASCII bytes */
        {"$X_1.b ${Y}\xC3\xA9", "$X_1.b ${Y}\xC3\xA9", NULL, 0},
        {"$X\xC3\xA9-", "$X\xC3\xA9-", NULL, 0},
        {"plain/\xC3\xA9\xFF", "plain/\xC3\xA9\xFF", NULL, 0},
        {"\\$X", "$X", NULL, 0},
    };
    CHECK_TABLE(cases, '\\', base_env, true);
}

/* expand_words: BuildKit's ProcessWords and wordsTest. */
typedef struct words_case {
    const char *in;
    const char *words[6]; /* expected words, NULL-terminated; {"error"} for a failure */
} words_case;

static void test_words(void **state)
{
    (void)state;
    static const env_var env[] = {
        {"PWD", "/home"}, {"SPACED", "  a  b "}, {"EMPTY", ""}, {"TWO", "x y"}, {NULL, NULL},
    };
    static const words_case cases[] = {
        {"hello", {"hello"}},
        {"hello world", {"hello", "world"}},
        {"  hello \t  world  ", {"hello", "world"}},
        {"\"hello world\"", {"hello world"}},
        {"'hello world'", {"hello world"}},
        {"hello\\ world", {"hello world"}},
        {"a\\  b", {"a ", "b"}},
        {"a\"b c\"d", {"ab cd"}},
        {"$SPACED", {"a", "b"}},
        {"\"$SPACED\"", {"  a  b "}},
        {"x$SPACED y", {"x", "a", "b", "y"}},
        {"$TWO$TWO", {"x", "yx", "y"}},
        {"\"\"", {NULL}},
        {"a \"\" b", {"a", "b"}},
        {"''x", {"x"}},
        {"$EMPTY", {NULL}},
        {"${X:-a b}", {"a", "b"}},
        {"${X:-\"a b\"}", {"a", "b"}}, /* quotes inside ${} do not stop splitting */
        {"\"${X:-a b}\"", {"a b"}},
        {"a\xc2\xa0" "b", {"a", "b"}}, /* U+00A0 is a space to Go */
        {"a\\\xc2\xa0" "b", {"a\xc2\xa0" "b"}},
        {"--from=$PWD /src /dst", {"--from=/home", "/src", "/dst"}},
        {"\"unterminated", {"error"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const words_case *c = &cases[i];
        df_arena arena = {0};
        df_slice *words = NULL;
        size_t n = 99, want = 0;
        expand_error err = {0};
        bool ok = expand_words(&arena, slice_from(c->in), '\\', lookup, (void *)env, false, &words, &n, &err);
        bool want_error = c->words[0] && strcmp(c->words[0], "error") == 0;
        if (ok == want_error)
            fail_msg("%s: expected %s", c->in, want_error ? "an error" : "success");
        while (!want_error && c->words[want])
            want++;
        if (n != want)
            fail_msg("%s: expected %zu words, got %zu", c->in, want, n);
        for (size_t k = 0; k < n; k++)
            if (!slice_eq_str(words[k], c->words[k]))
                fail_msg("%s: word %zu: expected '%s', got '%.*s'", c->in, k, c->words[k], SLICE_ARG(words[k]));
        arena_free(&arena);
    }
}

/* expand_references */
typedef struct refs_case {
    const char *in;
    char escape;
    const char *names[6];
} refs_case;

static void test_references(void **state)
{
    (void)state;
    static const refs_case cases[] = {
        {"plain text", '\\', {NULL}},
        {"$A ${B}", '\\', {"A", "B"}},
        {"$A$A", '\\', {"A", "A"}},
        {"${A:-$B} ${C//x/$D}", '\\', {"A", "B", "C", "D"}},
        {"${A#${B%%*}}x${C?$D}", '\\', {"A", "B", "C", "D"}},
        {"'$A' \\$B \"$C\" \"\\$D\"", '\\', {"C"}},
        {"`$A $B", '`', {"B"}},
        {"$1 $@ $$ ${#}", '\\', {"1", "@", "$", "#"}},
        {"${A ${B}", '\\', {"B"}},
        {"$A${}$B", '\\', {"A", "B"}},
        {"${A:-$B", '\\', {"B"}},
        {"${X=a}$Y", '\\', {"Y"}},
        {"${X:=a}$Y", '\\', {"Y"}},
        {"'$A", '\\', {NULL}},
        {"\"$A", '\\', {"A"}},
        {"${X:?msg}${NULLISH:?}", '\\', {"X", "NULLISH"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const refs_case *c = &cases[i];
        df_arena arena = {0};
        df_slice *names = NULL;
        size_t n = expand_references(&arena, slice_from(c->in), c->escape, &names), want = 0;
        while (c->names[want])
            want++;
        if (n != want)
            fail_msg("%s: expected %zu names, got %zu", c->in, want, n);
        for (size_t k = 0; k < n; k++) {
            if (!slice_eq_str(names[k], c->names[k]))
                fail_msg("%s: name %zu: expected '%s', got '%.*s'", c->in, k, c->names[k], SLICE_ARG(names[k]));
            assert_true(names[k].p >= c->in && names[k].p + names[k].n <= c->in + strlen(c->in));
        }
        arena_free(&arena);
    }
}

/* A lookup-free expansion and a NULL error pointer are allowed. */
static void test_api_edges(void **state)
{
    (void)state;
    df_arena arena = {0};
    df_slice out;
    assert_true(expand_word(&arena, SLICE("a${X:-b}c"), '\\', NULL, NULL, false, &out, NULL));
    assert_string_equal(out.p, "abc");
    assert_false(expand_word(&arena, SLICE("${"), '\\', NULL, NULL, false, &out, NULL));
    assert_true(expand_word(&arena, SLICE(""), '\\', NULL, NULL, false, &out, NULL));
    assert_string_equal(out.p, "");
    arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envvar_file),
        cmocka_unit_test(test_unset_vs_empty),
        cmocka_unit_test(test_mandatory),
        cmocka_unit_test(test_matches),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_backtick_escape),
        cmocka_unit_test(test_keep_unset),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_api_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
