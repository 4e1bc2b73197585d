/*
 * test_yaml.c: the `dfopt gen` front end: the YAML loader (anchors, merge keys, limits,
 * positions), the spec checker, the quoting of values (checked against dfopt's BuildKit-faithful
 * word expansion and against /bin/sh), hostile values end to end, and the round trip
 * Dockerfile -> spec -> Dockerfile over the corpus, compared instruction by instruction.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "expand.h"
#include "gen.h"

/* ---- helpers ---- */

typedef struct loaded {
    df_doc *src;
    df_diags *d;
    ynode *root;
} loaded;

static loaded load(const char *text)
{
    loaded l;
    l.src = ir_doc_new("spec.yaml", text, strlen(text));
    l.d = df_diags_new();
    l.root = yaml_load(l.src, l.d);
    return l;
}

static void unload(loaded *l)
{
    df_doc_free(l->src);
    df_diags_free(l->d);
}

/* The rendered diagnostics (malloc'd). */
static char *rendered(const df_diags *d)
{
    df_buf b = {0};
    diag_render(d, &b, false);
    buf_put(&b, "", 0);
    return b.p;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected to find\n  %s\nin\n%s", needle, hay);
}

/* Generates a Dockerfile from spec text; fails the test on errors. Returns malloc'd text. */
static char *gen_ok(const char *spec)
{
    df_diags *d = df_diags_new();
    df_buf out = {0}, ignore = {0};
    bool has_ignore = false;
    bool ok = gen_spec("spec.yaml", spec, strlen(spec), d, &out, &ignore, &has_ignore);
    if (!ok) {
        char *r = rendered(d);
        fail_msg("gen failed:\n%s", r);
    }
    buf_put(&out, "", 0);
    buf_free(&ignore);
    df_diags_free(d);
    return out.p;
}

/* Generation must fail; returns the diagnostics (malloc'd). */
static char *gen_err(const char *spec)
{
    df_diags *d = df_diags_new();
    df_buf out = {0}, ignore = {0};
    bool has_ignore = false;
    bool ok = gen_spec("spec.yaml", spec, strlen(spec), d, &out, &ignore, &has_ignore);
    assert_false(ok);
    char *r = rendered(d);
    buf_free(&out);
    buf_free(&ignore);
    df_diags_free(d);
    return r;
}

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Variables for expansion: every name is set to "<NAME>" (or nothing is set). */
static bool lookup_marker(void *ctx, df_slice name, df_slice *value)
{
    df_buf b = {0};
    buf_printf(&b, "<" SLICE_FMT ">", SLICE_ARG(name));
    *value = buf_to_arena(&b, ctx);
    buf_free(&b);
    return true;
}

static bool lookup_none(void *ctx, df_slice name, df_slice *value)
{
    (void)ctx, (void)name, (void)value;
    return false;
}

/* What BuildKit makes of a Dockerfile word: the expansion with every variable set to a marker,
 * then with none set (so ${v:-default} shows its default), joined by " | ". */
static char *meaning(df_slice w, char esc)
{
    df_arena a = {0};
    df_slice x, y;
    expand_error err;
    df_buf b = {0};
    if (!expand_word(&a, w, esc, lookup_marker, &a, false, &x, &err) ||
        !expand_word(&a, w, esc, lookup_none, NULL, false, &y, &err))
        buf_printf(&b, "<error: %s>", err.message);
    else
        buf_printf(&b, SLICE_FMT " | " SLICE_FMT, SLICE_ARG(x), SLICE_ARG(y));
    arena_free(&a);
    return b.p;
}

/* ---- the loader ---- */

static void test_scalar_types(void **state)
{
    (void)state;
    loaded l = load("a: ~\nb: yes\nc: 'yes'\nd: 42\ne: -7\nf: 1.22\ng: \"\"\nh:\ni: !!str 9\n");
    assert_non_null(l.root);
    assert_int_equal(yaml_get(l.root, "a")->type, YS_NULL);
    assert_int_equal(yaml_get(l.root, "b")->type, YS_BOOL);
    assert_true(yaml_get(l.root, "b")->truth);
    assert_int_equal(yaml_get(l.root, "c")->type, YS_STR);
    assert_int_equal(yaml_get(l.root, "d")->type, YS_INT);
    assert_int_equal(yaml_get(l.root, "e")->type, YS_INT);
    assert_int_equal(yaml_get(l.root, "f")->type, YS_STR);
    assert_slice(yaml_get(l.root, "f")->text, "1.22"); /* as written, never through a float */
    assert_int_equal(yaml_get(l.root, "g")->type, YS_STR);
    assert_int_equal(yaml_get(l.root, "h")->type, YS_NULL);
    assert_int_equal(yaml_get(l.root, "i")->type, YS_STR);
    unload(&l);
}

static void test_alias_shares_node(void **state)
{
    (void)state;
    loaded l = load("base: &b {x: 1}\none: *b\ntwo: *b\n");
    assert_non_null(l.root);
    assert_ptr_equal(yaml_get(l.root, "one"), yaml_get(l.root, "base"));
    assert_ptr_equal(yaml_get(l.root, "two"), yaml_get(l.root, "base"));
    unload(&l);
}

static void test_merge_keys(void **state)
{
    (void)state;
    loaded l = load("a: &a {x: 1, y: 1}\n"
                    "b: &b {y: 2, z: 2}\n"
                    "m: {w: 0, <<: [*a, *b], x: 9}\n"
                    "q: {<<: *b, z: 3}\n");
    assert_non_null(l.root);
    ynode *m = yaml_get(l.root, "m");
    /* explicit keys win, earlier merged mappings win over later ones; merged keys take the
     * place of the << entry */
    assert_int_equal(m->n, 4);
    assert_slice(m->v[0]->text, "w");
    assert_slice(m->v[2]->text, "y");
    assert_slice(m->v[3]->text, "1");
    assert_slice(m->v[4]->text, "z");
    assert_slice(m->v[5]->text, "2");
    assert_slice(m->v[6]->text, "x");
    assert_slice(m->v[7]->text, "9");
    ynode *q = yaml_get(l.root, "q");
    assert_int_equal(q->n, 2);
    assert_slice(yaml_get(q, "z")->text, "3");
    assert_slice(yaml_get(q, "y")->text, "2");
    unload(&l);
    /* a quoted "<<" is an ordinary key */
    l = load("m: {'<<': 1}\n");
    assert_non_null(l.root);
    assert_slice(yaml_get(yaml_get(l.root, "m"), "<<")->text, "1");
    unload(&l);
}

/* A chain of aliases, each naming the previous list k times: k^depth nodes expanded. */
static char *laughs(int depth, int k)
{
    df_buf b = {0};
    buf_puts(&b, "l0: &l0 [x]\n");
    for (int i = 1; i <= depth; i++) {
        buf_printf(&b, "l%d: &l%d [", i, i);
        for (int j = 0; j < k; j++)
            buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
        buf_puts(&b, "]\n");
    }
    return b.p;
}

static void test_expansion_limit(void **state)
{
    (void)state;
    char *small = laughs(3, 9); /* 9^3: fine */
    loaded l = load(small);
    assert_non_null(l.root);
    unload(&l);
    free(small);
    char *big = laughs(40, 9); /* 9^40: refused after a few lines, in bounded time */
    l = load(big);
    assert_null(l.root);
    char *r = rendered(l.d);
    assert_contains(r, "expands to more than 100000 nodes");
    assert_contains(r, "spec.yaml:6:40:"); /* the 5th alias of l5 passes the limit */
    free(r);
    unload(&l);
    free(big);
}

static void test_depth_and_recursion(void **state)
{
    (void)state;
    df_buf b = {0};
    buf_puts(&b, "x: ");
    for (int i = 0; i < 100000; i++)
        buf_putc(&b, '[');
    loaded l = load(b.p);
    assert_null(l.root);
    char *r = rendered(l.d);
    assert_contains(r, "nested more than 64 deep");
    free(r);
    unload(&l);
    buf_free(&b);
    l = load("a: &a [1, *a]\n");
    assert_null(l.root);
    r = rendered(l.d);
    assert_contains(r, "spec.yaml:1:11: error: the alias '*a' is inside the node it names");
    free(r);
    unload(&l);
}

static void test_positions_are_bytes(void **state)
{
    (void)state;
    /* libyaml counts characters; the diagnostic counts bytes so the caret lines up */
    loaded l = load("from: alpine\nlabels: {\"caf\xc3\xa9\": \xe2\x98\x95, b: [x]}\n");
    assert_non_null(l.root);
    assert_false(spec_check(l.src, l.root, l.d));
    char *r = rendered(l.d);
    assert_string_equal(r, "spec.yaml:2:27: error: the value of 'b' in 'labels' must be a string, "
                           "not a list\nlabels: {\"caf\xc3\xa9\": \xe2\x98\x95, b: [x]}\n"
                           "                          ^\n");
    free(r);
    unload(&l);
}

static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *want;
    } cases[] = {
        {"", "spec.yaml:1:1: error: the spec is empty"},
        {"a: 1\n---\nb: 2\n", "spec.yaml:2:1: error: a spec is one YAML document"},
        {"a: !!int 1\n", "spec.yaml:1:4: error: the tag 'tag:yaml.org,2002:int' is not supported"},
        {"a: *nope\n", "spec.yaml:1:4: error: no anchor '&nope' is defined before this alias"},
        {"a: [1, 2\n", "error: did not find expected ',' or ']'"},
        {"a: \"\xff\"\n", "spec.yaml:1:5: error: invalid leading UTF-8 octet (byte 0xff)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded l = load(cases[i].yaml);
        assert_null(l.root);
        char *r = rendered(l.d);
        assert_contains(r, cases[i].want);
        free(r);
        unload(&l);
    }
}

/* ---- the checker ---- */

static void test_checker_messages(void **state)
{
    (void)state;
    char *r = gen_err("from: alpine\nworkdri: /src\n");
    assert_string_equal(r, "spec.yaml:2:1: error: unknown key 'workdri' in the document; did you "
                           "mean 'workdir'?\nworkdri: /src\n^~~~~~~\n");
    free(r);
    r = gen_err("from: alpine\nenv: {A: 1, A: 2}\n");
    assert_contains(r, "spec.yaml:2:13: error: duplicate key 'A' (also on line 2)");
    free(r);
    r = gen_err("stages:\n  - name: x\n");
    assert_contains(r, "spec.yaml:2:5: error: a stage needs the key 'from'");
    free(r);
    r = gen_err("from: alpine\ncopy: {src: a, dest: /a, link: maybe}\n");
    assert_contains(r, "'link' must be true or false, not a string");
    free(r);
    r = gen_err("from: alpine\nsteps:\n  - {run: a, user: b}\n");
    assert_contains(r, "a step has exactly one key");
    free(r);
    /* x- keys hold anchors and are ignored */
    char *out = gen_ok("x-img: &img alpine:3.20\nfrom: *img\n");
    assert_contains(out, "FROM alpine:3.20\n");
    free(out);
}

static void test_schema_is_the_tables(void **state)
{
    (void)state;
    df_buf b = {0};
    spec_schema(&b);
    /* every key of every object the checker knows appears in the schema */
    const spec_obj *objs[] = {&spec_document, &spec_stage_obj};
    for (size_t o = 0; o < 2; o++)
        for (size_t i = 0; i < objs[o]->nfields; i++) {
            char key[64];
            snprintf(key, sizeof key, "\"%s\": {", objs[o]->fields[i].key);
            assert_contains(b.p, key);
        }
    assert_contains(b.p, "\"additionalProperties\": false");
    /* and it is the file the docs ship */
    FILE *f = fopen("docs/spec.schema.json", "rb");
    assert_non_null(f);
    df_buf file = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&file, chunk, n);
    fclose(f);
    assert_int_equal(file.len, b.len);
    assert_memory_equal(file.p, b.p, b.len);
    buf_free(&file);
    buf_free(&b);
}

/* ---- quoting ---- */

static const char *const hostile[] = {
    "plain", "", "two words", "tab\there", "He said \"hi\"", "it's", "back\\slash", "trail\\",
    "\\", "$", "$$", "$5", "cost: $ 5", "$(reboot)", "`id`", "a;b&&c|d>e<f", "#not a comment",
    "--flag", "-", "<<EOF", "1<<X", "[\"json\"]", "[", "{}", "${", "}", "=", "a=b", "caf\xc3\xa9",
    "\xe2\x98\x95", "' \" ` \\ $", "\"", "''", "!bang", "~tilde", "*glob?", "x y z  ",
};

/* Spec text for literal s: every '$' doubled. */
static df_slice spec_of(df_arena *a, const char *s)
{
    df_buf b = {0};
    quote_literal(&b, slice_from(s));
    df_slice r = buf_to_arena(&b, a);
    buf_free(&b);
    return r;
}

/* BuildKit's reading of an encoded word gives back the literal, with either escape char. */
static void check_word_literal(const char *s, char esc)
{
    df_arena a = {0};
    df_slice spec = spec_of(&a, s);
    df_buf dq = {0}, e1 = {0}, e2 = {0};
    quote_dq(&dq, spec, esc);
    quote_esc(&e1, spec, esc, true);
    char want[512];
    snprintf(want, sizeof want, "%s | %s", s, s);
    char *m = meaning((df_slice){dq.p, dq.len}, esc);
    if (strcmp(m, want) != 0)
        fail_msg("quote_dq(%s) = %.*s reads back as %s", s, (int)dq.len, dq.p, m);
    free(m);
    m = meaning((df_slice){e1.p ? e1.p : "", e1.len}, esc);
    if (strcmp(m, want) != 0)
        fail_msg("quote_esc(%s, json) = %.*s reads back as %s", s, (int)e1.len, e1.p, m);
    free(m);
    if (!strpbrk(s, " \t\n")) {
        quote_esc(&e2, spec, esc, false);
        m = meaning((df_slice){e2.p ? e2.p : "", e2.len}, esc);
        if (strcmp(m, want) != 0)
            fail_msg("quote_esc(%s) = %.*s reads back as %s", s, (int)e2.len, e2.p, m);
        free(m);
        /* unquoted words have no blank, quote or '<' left that the parser could split on */
        for (size_t i = 0; i < e2.len; i++)
            if (e2.p[i] == ' ' || ((e2.p[i] == '"' || e2.p[i] == '\'' || e2.p[i] == '<') &&
                                   (i == 0 || e2.p[i - 1] != esc)))
                fail_msg("quote_esc(%s) = %.*s leaves a special character bare", s,
                         (int)e2.len, e2.p);
    }
    /* and back: the Dockerfile word reads as the same spec text */
    df_slice back;
    const char *why = quote_unword(&a, (df_slice){dq.p, dq.len}, esc, &back);
    if (why || !slice_eq(back, spec))
        fail_msg("quote_unword(quote_dq(%s)) = %s", s, why ? why : back.p);
    buf_free(&dq);
    buf_free(&e1);
    buf_free(&e2);
    arena_free(&a);
}

static void test_words_read_back_literally(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        check_word_literal(hostile[i], '\\');
        check_word_literal(hostile[i], '`');
    }
    /* random strings over the characters that matter */
    static const char alphabet[] = "ab $\\\"'`{}<>[]#=;-\t~*";
    uint32_t seed = 12345;
    for (int k = 0; k < 3000; k++) {
        char s[16];
        size_t n = next_rand(&seed) % (sizeof s - 1);
        for (size_t i = 0; i < n; i++)
            s[i] = alphabet[next_rand(&seed) % (sizeof alphabet - 1)];
        s[n] = '\0';
        check_word_literal(s, k % 2 ? '`' : '\\');
    }
}

static void test_word_references(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *want;
    } cases[] = {
        {"$HOME/bin", "<HOME>/bin | /bin"},
        {"${HOME}x", "<HOME>x | x"},
        {"${MODE:-safe mode}", "<MODE> | safe mode"},
        {"${A:-say \"hi\"}", "<A> | say \"hi\""},
        {"${A:+set}", "set | "},
        {"${A:-$B}", "<A> | "},
        {"$$HOME", "$HOME | $HOME"},
        {"${A:-$$5}", "<A> | $5"},
        {"pre ${A} post", "pre <A> post | pre  post"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_buf b = {0};
        assert_null(quote_problem(slice_from(cases[i].spec), false, false));
        quote_dq(&b, slice_from(cases[i].spec), '\\');
        char *m = meaning((df_slice){b.p, b.len}, '\\');
        if (strcmp(m, cases[i].want) != 0)
            fail_msg("%s -> %s reads as '%s', want '%s'", cases[i].spec, b.p, m, cases[i].want);
        free(m);
        buf_free(&b);
    }
    assert_non_null(quote_problem(SLICE("${A"), false, false));
    assert_non_null(quote_problem(SLICE("${A:-x"), false, false));
    assert_non_null(quote_problem(SLICE("${}"), false, false));
    assert_non_null(quote_problem(SLICE("a\nb"), false, false));
    assert_null(quote_problem(SLICE("a\nb"), true, false));
    assert_non_null(quote_problem(SLICE("${A:-x}"), false, true));
    assert_null(quote_problem(SLICE("$A ${B}"), false, true));
}

/* What /bin/sh makes of a word: the output of `printf '%s|' WORD`, with env assignments. */
static char *sh_reads(const char *word, const char *env)
{
    char path[] = "/tmp/dfopt-test-sh-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "printf '%%s|' %s\n", word);
    fclose(f);
    df_buf cmd = {0};
    buf_printf(&cmd, "env %s sh %s 2>&1", env, path);
    FILE *p = popen(cmd.p, "r");
    assert_non_null(p);
    df_buf out = {0};
    char chunk[256];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_put(&out, chunk, n);
    pclose(p);
    unlink(path);
    buf_free(&cmd);
    buf_put(&out, "", 0);
    return out.p;
}

static void test_shell_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const char *s = hostile[i];
        if (!*s || strchr(s, '\n'))
            continue;
        df_arena a = {0};
        df_buf b = {0};
        quote_sh(&b, spec_of(&a, s));
        char *got = sh_reads(b.p, "");
        char want[256];
        snprintf(want, sizeof want, "%s|", s);
        if (strcmp(got, want) != 0)
            fail_msg("quote_sh(%s) = %s; sh reads '%s'", s, b.p, got);
        free(got);
        buf_free(&b);
        arena_free(&a);
    }
    /* references stay references for the shell */
    df_buf b = {0};
    quote_sh(&b, SLICE("nodejs=${NODE_VERSION} $$(id)"));
    char *got = sh_reads(b.p, "NODE_VERSION=20.1");
    assert_string_equal(got, "nodejs=20.1 $(id)|");
    free(got);
    buf_free(&b);
}

/* ---- hostile values end to end ---- */

/* The parsed generated Dockerfile. */
static df_doc *parse_generated(const char *text)
{
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", text, strlen(text), d);
    if (!doc) {
        char *r = rendered(d);
        fail_msg("generated Dockerfile does not parse:\n%s\n%s", r, text);
    }
    df_diags_free(d);
    return doc;
}

static void test_hostile_values_stay_values(void **state)
{
    (void)state;
    df_buf spec = {0};
    buf_puts(&spec, "from: alpine\nenv:\n");
    size_t nenv = 0;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        df_arena a = {0};
        df_slice s = spec_of(&a, hostile[i]);
        buf_printf(&spec, "  V%zu: \"", i);
        for (size_t j = 0; j < s.n; j++) {
            if (s.p[j] == '"' || s.p[j] == '\\')
                buf_putc(&spec, '\\');
            if (s.p[j] == '\t')
                buf_puts(&spec, "\\t");
            else
                buf_putc(&spec, s.p[j]);
        }
        buf_puts(&spec, "\"\n");
        nenv++;
        arena_free(&a);
    }
    buf_puts(&spec, "cmd: [\"sh\", \"-c\", \"echo \\\"$1\\\"\\nexit 0\", \"a\\nRUN evil\"]\n"
                    "run: ['echo one \\', 'RUN echo two', '[\"x\"]', '--flag', 'cat <<EOF']\n"
                    "copy: [{src: ['a b', '<<EOF', '--x'], dest: '/d d/'},\n"
                    "       {content: \"EOF\\nRUN x\\n\", dest: /etc/f}]\n");
    char *out = gen_ok(spec.p);
    df_doc *doc = parse_generated(out);
    /* FROM ENV RUN COPY COPY CMD: nothing more, nothing less */
    static const df_kind want[] = {DF_FROM, DF_ENV, DF_COPY, DF_COPY, DF_RUN, DF_CMD};
    size_t k = 0;
    for (df_node *n = doc->head; n; n = n->next, k++) {
        if (k >= sizeof want / sizeof want[0] || n->kind != want[k])
            fail_msg("instruction %zu is %s:\n%s", k, kind_name(n->kind), out);
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    /* each ENV value reads back as the literal */
    df_node *env = doc->head->next;
    assert_int_equal(env->nargs, 3 * nenv);
    for (size_t i = 0; i < nenv; i++) {
        char *m = meaning(env->args[3 * i + 1].v, '\\');
        char want_m[256];
        snprintf(want_m, sizeof want_m, "%s | %s", hostile[i], hostile[i]);
        if (strcmp(m, want_m) != 0)
            fail_msg("ENV V%zu reads back as '%s', want '%s'", i, m, want_m);
        free(m);
    }
    /* the exec form keeps its line breaks inside the JSON strings */
    df_node *cmd = doc->tail;
    assert_int_equal(cmd->nargs, 4);
    assert_slice(cmd->args[3].v, "a\nRUN evil");
    df_doc_free(doc);
    free(out);
    buf_free(&spec);
}

/* A value in the first argument's place never reads as a builder flag. */
static void test_values_are_not_flags(void **state)
{
    (void)state;
    char *out = gen_ok("from: alpine\nworkdir: --flag\nuser: -x\nstopsignal: SIGTERM\n"
                       "volumes: [--v]\ncopy: {src: --s, dest: --d}\n");
    df_doc *doc = parse_generated(out);
    size_t count = 0;
    for (df_node *n = doc->head; n; n = n->next, count++) {
        if (n->nbflags)
            fail_msg("%s has a flag:\n%s", kind_name(n->kind), out);
        if (n->kind == DF_WORKDIR || n->kind == DF_USER || n->kind == DF_VOLUME ||
            n->kind == DF_COPY) {
            char *m = meaning(n->args[0].v, '\\');
            const char *want = n->kind == DF_WORKDIR ? "--flag | --flag"
                               : n->kind == DF_USER  ? "-x | -x"
                               : n->kind == DF_VOLUME ? "--v | --v" : "--s | --s";
            assert_string_equal(m, want);
            free(m);
        }
    }
    assert_int_equal(count, 6);
    df_doc_free(doc);
    free(out);
}

static void test_syntax_and_labs(void **state)
{
    (void)state;
    char *out = gen_ok("from: alpine\ncopy: {src: a/b, dest: /x/, parents: true}\n");
    assert_contains(out, "# syntax=docker/dockerfile:1-labs\n");
    free(out);
    out = gen_ok("syntax: \"\"\nfrom: alpine\n");
    assert_string_equal(out, "FROM alpine\n");
    free(out);
    char *r = gen_err("syntax: \"docker/dockerfile:1\\nRUN evil\"\nfrom: alpine\n");
    assert_contains(r, "'syntax' cannot contain a line break");
    free(r);
}

static void test_ignore_file(void **state)
{
    (void)state;
    const char *spec = "from: alpine\nignore: [.git, '*.md', '!keep.md']\n";
    df_diags *d = df_diags_new();
    df_buf out = {0}, ignore = {0};
    bool has = false;
    assert_true(gen_spec("s.yaml", spec, strlen(spec), d, &out, &ignore, &has));
    assert_true(has);
    buf_put(&ignore, "", 0);
    assert_string_equal(ignore.p, ".git\n*.md\n!keep.md\n");
    buf_free(&out);
    buf_free(&ignore);
    df_diags_free(d);
    char *r = gen_err("from: alpine\nignore: [\"a\\nb\", '#x']\n");
    assert_contains(r, "an ignore pattern cannot contain a line break");
    assert_contains(r, "cannot be empty, start with '#'");
    free(r);
}

/* ---- the round trip over the corpus ---- */

/* One line per instruction with what it means to BuildKit: kind, flags (mounts normalized),
 * arguments (words expanded both ways, commands and exec lists as they are). */
static void describe(const df_doc *doc, df_buf *b);

static void flag_text(df_buf *b, df_slice f)
{
    /* --link and --link=true; mount fields in any order, with their aliases */
    if (slice_eq_str(f, "--link=true") || slice_eq_str(f, "--parents=true") ||
        slice_eq_str(f, "--keep-git-dir=true")) {
        buf_put(b, f.p, f.n - 5);
        return;
    }
    if (!slice_has_prefix(f, "--mount=")) {
        buf_put_slice(b, f);
        return;
    }
    const char *fields[32];
    size_t lens[32], n = 0;
    bool typed = false;
    df_slice s = {f.p + 8, f.n - 8};
    for (size_t i = 0; i < s.n && n < 32;) {
        const char *c = memchr(s.p + i, ',', s.n - i);
        size_t e = c ? (size_t)(c - s.p) : s.n;
        fields[n] = s.p + i;
        lens[n++] = e - i;
        typed |= e - i > 5 && memcmp(s.p + i, "type=", 5) == 0;
        i = e + 1;
    }
    df_buf norm[33];
    size_t nn = 0;
    for (size_t i = 0; i < n; i++) {
        df_slice x = {fields[i], lens[i]};
        norm[nn] = (df_buf){0};
        static const char *const alias[][2] = {
            {"dst=", "target="}, {"destination=", "target="}, {"src=", "source="},
            {"ro", "readonly=true"}, {"readonly", "readonly=true"}, {"rw", ""},
            {"required", "required=true"}, {"rw=true", ""}, {"readonly=false", ""},
        };
        bool done = false;
        for (size_t a = 0; a < sizeof alias / sizeof alias[0] && !done; a++) {
            size_t al = strlen(alias[a][0]);
            bool prefix = alias[a][0][al - 1] == '=';
            if ((prefix && x.n >= al && memcmp(x.p, alias[a][0], al) == 0) ||
                (!prefix && slice_eq_str(x, alias[a][0]))) {
                buf_puts(&norm[nn], alias[a][1]);
                if (prefix)
                    buf_put(&norm[nn], x.p + al, x.n - al);
                done = true;
            }
        }
        if (!done)
            buf_put_slice(&norm[nn], x);
        if (norm[nn].len)
            nn++;
        else
            buf_free(&norm[nn]);
    }
    if (!typed) {
        norm[nn] = (df_buf){0};
        buf_printf(&norm[nn++], "type=bind");
    }
    /* sort the fields */
    for (size_t i = 1; i < nn; i++)
        for (size_t j = i; j > 0 && strcmp(norm[j - 1].p, norm[j].p) > 0; j--) {
            df_buf t = norm[j];
            norm[j] = norm[j - 1];
            norm[j - 1] = t;
        }
    buf_puts(b, "--mount=");
    for (size_t i = 0; i < nn; i++) {
        buf_printf(b, "%s%s", i ? "," : "", norm[i].p);
        buf_free(&norm[i]);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A heredoc's content as BuildKit uses it: <<- strips leading tabs (into the arena). */
static df_slice heredoc_content(df_arena *a, const df_heredoc *h)
{
    if (!h->chomp)
        return h->body;
    df_buf t = {0};
    for (size_t i = 0; i < h->body.n;) {
        while (i < h->body.n && h->body.p[i] == '\t')
            i++;
        const char *nl = memchr(h->body.p + i, '\n', h->body.n - i);
        size_t e = nl ? (size_t)(nl - h->body.p) + 1 : h->body.n;
        buf_put(&t, h->body.p + i, e - i);
        i = e;
    }
    df_slice r = buf_to_arena(&t, a);
    buf_free(&t);
    return r;
}

static void describe_node(const df_doc *doc, const df_node *n, df_buf *b)
{
    df_kind k = n->kind;
    if (k == DF_MAINTAINER) { /* not expanded; the spec writes it as the maintainer label */
        buf_printf(b, "label {maintainer | maintainer} {" SLICE_FMT " | " SLICE_FMT "}",
                   SLICE_ARG(n->args[0].v), SLICE_ARG(n->args[0].v));
        return;
    }
    buf_printf(b, "%s", kind_name(k));
    /* flags, sorted */
    char **flags = xcalloc(n->nbflags + 1, sizeof *flags);
    for (size_t i = 0; i < n->nbflags; i++) {
        df_buf f = {0};
        flag_text(&f, n->bflags[i].v);
        buf_put(&f, "", 0);
        flags[i] = f.p;
    }
    qsort(flags, n->nbflags, sizeof *flags, cmp_str);
    for (size_t i = 0; i < n->nbflags; i++) {
        buf_printf(b, " [%s]", flags[i]);
        free(flags[i]);
    }
    free(flags);
    bool words = k == DF_ENV || k == DF_LABEL || k == DF_WORKDIR || k == DF_USER ||
                 k == DF_STOPSIGNAL || k == DF_EXPOSE || k == DF_VOLUME ||
                 ((k == DF_COPY || k == DF_ADD) && !n->nheredocs);
    if (k == DF_RUN && n->nheredocs == 1 && n->nargs == 1 &&
        slice_eq(n->args[0].v, n->heredocs[0].word)) {
        df_arena a = {0};
        df_slice body = heredoc_content(&a, &n->heredocs[0]);
        while (body.n && body.p[body.n - 1] == '\n')
            body.n--;
        buf_printf(b, " script{" SLICE_FMT "}", SLICE_ARG(body));
        arena_free(&a);
        return;
    }
    if (k == DF_COPY && n->nheredocs == 1) {
        df_arena a = {0};
        buf_printf(b, " content{" SLICE_FMT "}", SLICE_ARG(heredoc_content(&a, &n->heredocs[0])));
        arena_free(&a);
        char *m = meaning(n->args[n->nargs - 1].v, doc->escape);
        buf_printf(b, " {%s}", m);
        free(m);
        return;
    }
    if (k == DF_FROM) { /* the image, and the stage name in any letter case */
        char *m = meaning(n->args[0].v, doc->escape);
        buf_printf(b, " {%s}", m);
        free(m);
        if (doc->stages[n->stage].name.n)
            buf_printf(b, " AS {" SLICE_FMT "}", SLICE_ARG(doc->stages[n->stage].name));
        return;
    }
    if (k == DF_ARG) { /* one line per name: ARG a b means ARG a, ARG b */
        for (size_t i = 0; i < n->nargs; i++) {
            df_slice a = n->args[i].v;
            const char *eq = memchr(a.p, '=', a.n);
            buf_printf(b, "%s {%.*s", i ? "\narg" : "", (int)(eq ? (size_t)(eq - a.p) : a.n), a.p);
            if (eq) {
                char *m = meaning((df_slice){eq + 1, (size_t)(a.p + a.n - eq - 1)}, doc->escape);
                buf_printf(b, "=%s", m);
                free(m);
            }
            buf_putc(b, '}');
        }
        return;
    }
    for (size_t i = 0; i < n->nargs; i++) {
        if ((k == DF_ENV || k == DF_LABEL) && i % 3 == 2)
            continue; /* the separator: ENV a b and ENV a=b mean the same */
        if (words) {
            char *m = meaning(n->args[i].v, doc->escape);
            buf_printf(b, " {%s}", m);
            free(m);
        } else {
            buf_printf(b, " {" SLICE_FMT "}", SLICE_ARG(n->args[i].v));
        }
    }
    if (!words) /* for words the form is only how they are written */
        buf_printf(b, " %s", n->flags & DF_N_JSON ? "exec" : "shell");
}

static void describe(const df_doc *doc, df_buf *b)
{
    buf_printf(b, "syntax{" SLICE_FMT "}\n", SLICE_ARG(doc->syntax));
    for (const df_node *n = doc->head; n; n = n->next) {
        describe_node(doc, n, b);
        buf_putc(b, '\n');
    }
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    df_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    buf_put(&b, "", 0);
    *len = b.len;
    return b.p;
}

/* The Dockerfile a spec renders to, before the passes (malloc'd), or NULL with errors in d. */
static char *gen_raw(const char *spec, size_t len, df_diags *d)
{
    df_doc *src = ir_doc_new("spec.yaml", spec, len);
    gen_output out = {0};
    ynode *root = yaml_load(src, d);
    bool ok = root && spec_check(src, root, d) && gen_emit(src, root, d, &out);
    df_doc_free(src);
    buf_free(&out.ignore);
    if (!ok) {
        buf_free(&out.dockerfile);
        return NULL;
    }
    buf_put(&out.dockerfile, "", 0);
    return out.dockerfile.p;
}

/* X and the Dockerfile generated from its spec mean the same, instruction by instruction, and
 * the spec of the generated one is the same spec. Returns false when X cannot be expressed
 * (which must be a "cannot be expressed" error). */
static bool round_trip(const char *path, const char *src, size_t len)
{
    df_diags *d = df_diags_new();
    df_doc *x = df_doc_parse(path, src, len, d);
    assert_non_null(x);
    df_buf spec = {0};
    if (!gen_from_dockerfile(x, d, &spec)) {
        char *r = rendered(d);
        assert_contains(r, "cannot be expressed in a spec: ");
        free(r);
        df_doc_free(x);
        df_diags_free(d);
        buf_free(&spec);
        return false;
    }
    buf_put(&spec, "", 0);
    char *y = gen_raw(spec.p, spec.len, d);
    if (!y) {
        char *r = rendered(d);
        fail_msg("%s: its spec does not generate:\n%s\n%s", path, r, spec.p);
    }
    df_doc *yd = parse_generated(y);
    df_buf xs = {0}, ys = {0};
    describe(x, &xs);
    describe(yd, &ys);
    buf_put(&xs, "", 0);
    buf_put(&ys, "", 0);
    if (strcmp(xs.p, ys.p) != 0) {
        /* the first line that differs (cmocka's messages are short) */
        const char *a = xs.p, *c = ys.p;
        while (*a && *a == *c)
            a++, c++;
        while (a > xs.p && a[-1] != '\n')
            a--, c--;
        fail_msg("%s: the generated Dockerfile means something else:\n  original:  %.*s\n"
                 "  generated: %.*s", path, (int)strcspn(a, "\n"), a, (int)strcspn(c, "\n"), c);
    }
    df_buf spec2 = {0};
    assert_true(gen_from_dockerfile(yd, d, &spec2));
    buf_put(&spec2, "", 0);
    if (strcmp(spec.p, spec2.p) != 0)
        fail_msg("%s: the spec of the generated Dockerfile differs\n%s---\n%s", path, spec.p,
                 spec2.p);
    df_doc_free(yd);
    df_doc_free(x);
    df_diags_free(d);
    free(y);
    buf_free(&spec);
    buf_free(&spec2);
    buf_free(&xs);
    buf_free(&ys);
    return true;
}

static void test_round_trip_corpus(void **state)
{
    (void)state;
    DIR *dir = opendir("corpus");
    assert_non_null(dir);
    struct dirent *e;
    size_t expressed = 0, refused = 0;
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        if (n < 11 || strcmp(e->d_name + n - 11, ".Dockerfile") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/%s", e->d_name);
        size_t len;
        char *src = read_file(path, &len);
        assert_non_null(src);
        if (round_trip(path, src, len))
            expressed++;
        else
            refused++;
        free(src);
    }
    closedir(dir);
    print_message("round trip: %zu corpus Dockerfiles expressed and equivalent, %zu refused\n",
                  expressed, refused);
    assert_true(expressed >= 40);
}

/* The Dockerfiles of corpus/gen: every generated one, and the --from-dockerfile inputs. */
static void test_round_trip_generated(void **state)
{
    (void)state;
    DIR *dir = opendir("corpus/gen");
    assert_non_null(dir);
    struct dirent *e;
    size_t count = 0;
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        bool spec = n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0;
        bool in = n > 14 && strcmp(e->d_name + n - 14, ".Dockerfile.in") == 0;
        if (!spec && !in)
            continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/gen/%s", e->d_name);
        size_t len;
        char *text = read_file(path, &len);
        assert_non_null(text);
        if (spec) {
            char *out = gen_ok(text);
            assert_true(round_trip(path, out, strlen(out)));
            free(out);
        } else {
            assert_true(round_trip(path, text, len));
        }
        free(text);
        count++;
    }
    closedir(dir);
    assert_true(count >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_types),
        cmocka_unit_test(test_alias_shares_node),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_expansion_limit),
        cmocka_unit_test(test_depth_and_recursion),
        cmocka_unit_test(test_positions_are_bytes),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_checker_messages),
        cmocka_unit_test(test_schema_is_the_tables),
        cmocka_unit_test(test_words_read_back_literally),
        cmocka_unit_test(test_word_references),
        cmocka_unit_test(test_shell_words),
        cmocka_unit_test(test_hostile_values_stay_values),
        cmocka_unit_test(test_values_are_not_flags),
        cmocka_unit_test(test_syntax_and_labs),
        cmocka_unit_test(test_ignore_file),
        cmocka_unit_test(test_round_trip_corpus),
        cmocka_unit_test(test_round_trip_generated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
