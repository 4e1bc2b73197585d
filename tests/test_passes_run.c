/* test_passes_run.c: the RUN-script toolkit (passes/runscript.c) and the two RUN passes,
 * merge-run and pkg-hygiene, on small inputs. */
#include "testutil.h"
#include "../passes/runscript.h"

/* The RUN that is the n-th instruction, opened. */
static rs_run open_nth(df_doc *doc, size_t n)
{
    rs_run r;
    rs_open(doc, nth(doc, n), &r);
    return r;
}

/* Runs the named passes at level over src; asserts the result is want. */
static void assert_optimizes(const char *src, const char *passes, int level, const char *want)
{
    df_doc *doc = parse_ok(src);
    df_diags *d = df_diags_new();
    df_options o = {.level = level, .passes = passes, .check = true};
    assert_true(df_doc_optimize(doc, &o, d) >= 0);
    assert_int_equal(df_diags_errors(d), 0);
    assert_prints(doc, want);
    df_diags_free(d);
    df_doc_free(doc);
}

static void assert_untouched(const char *src, const char *passes, int level)
{
    assert_optimizes(src, passes, level, src);
}

static void test_open(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM x\nRUN echo a && echo b\nRUN [\"echo\"]\nRUN <<EOF\necho\nEOF\n"
                           "RUN echo 'oops\n");
    rs_run r = open_nth(doc, 1);
    assert_true(r.ok);
    assert_slice(r.script, "echo a && echo b");
    assert_int_equal(r.sh.ncmds, 2);
    assert_false(rs_open(doc, nth(doc, 2), &r)); /* exec form */
    assert_false(rs_open(doc, nth(doc, 3), &r)); /* heredoc */
    assert_false(rs_open(doc, nth(doc, 4), &r)); /* unbalanced quote */
    assert_false(r.sh.ok);
    assert_false(rs_open(doc, nth(doc, 0), &r)); /* not a RUN */
    df_doc_free(doc);
}

static void test_text_offset(void **state)
{
    (void)state;
    /* logical: "RUN a \\" pieces: "RUN a " + "    b" */
    df_doc *doc = parse_ok("FROM x\nRUN a \\\n    b\n");
    df_node *n = nth(doc, 1);
    assert_slice(n->logical, "RUN a     b");
    assert_int_equal(ir_text_offset(n, 4, false), 4);  /* a */
    assert_int_equal(ir_text_offset(n, 6, false), 8);  /* start of the second line */
    assert_int_equal(ir_text_offset(n, 6, true), 6);   /* end of the first piece */
    assert_int_equal(ir_text_offset(n, 10, false), 12); /* b */
    df_doc_free(doc);
    /* many pieces (found by halving): each word of a 200-line RUN maps to where it is written,
     * and each boundary to the start of its line, or with at_end to the end of the line before */
    df_buf src = {0};
    buf_puts(&src, "FROM x\nRUN w0");
    for (int i = 1; i < 200; i++)
        buf_printf(&src, " \\\n  w%d", i);
    buf_puts(&src, "\n");
    doc = parse_ok(src.p);
    n = nth(doc, 1);
    assert_int_equal(n->nsegs, 200);
    for (size_t i = 0; i < n->nsegs; i++) {
        char word[8];
        int len = snprintf(word, sizeof word, "w%zu", i);
        const char *in_logical = strstr(n->logical.p, word);
        while (in_logical && in_logical[len] >= '0' && in_logical[len] <= '9')
            in_logical = strstr(in_logical + 1, word);
        assert_non_null(in_logical);
        size_t loff = (size_t)(in_logical - n->logical.p);
        size_t at = ir_text_offset(n, loff, false);
        assert_memory_equal(n->text.p + at, word, (size_t)len);
        if (i > 0) {
            size_t b = n->segs[i].loff;
            assert_int_equal(ir_text_offset(n, b, false), n->segs[i].soff);
            assert_int_equal(ir_text_offset(n, b, true),
                             n->segs[i - 1].soff + (b - n->segs[i - 1].loff));
        }
    }
    df_doc_free(doc);
    buf_free(&src);
}

static void test_style(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM x\nRUN a \\\n        pkg1 \\\n        pkg2\n"
                           "RUN b \\\n\t&& c\n");
    rs_style st = rs_doc_style(doc);
    assert_true(st.leading); /* the package list is not a command continuation */
    assert_slice(st.indent, "\t");
    rs_style own = {SLICE("  "), false};
    assert_false(rs_own_style(doc, nth(doc, 1), &own)); /* no command continuation of its own */
    assert_false(own.leading);
    assert_slice(own.indent, "  "); /* the caller's fallback stays */
    df_doc_free(doc);

    doc = parse_ok("FROM x\nRUN a && \\\n  # note\n\t  b\n");
    st = rs_doc_style(doc);
    assert_false(st.leading);
    assert_slice(st.indent, "\t  ");
    df_doc_free(doc);

    doc = parse_ok("FROM x\nRUN a\n");
    st = rs_doc_style(doc);
    assert_false(st.leading);
    assert_slice(st.indent, "    ");
    df_buf text = {0}, want = {0};
    rs_put_joint(&text, &want, doc, &st);
    assert_string_equal(text.p, " && \\\n    ");
    assert_string_equal(want.p, " &&     ");
    buf_free(&text);
    buf_free(&want);
    df_doc_free(doc);

    doc = parse_ok("# escape=`\r\nFROM x\r\nRUN a\r\n");
    st = (rs_style){SLICE(" "), true};
    rs_put_joint(&text, NULL, doc, &st);
    assert_string_equal(text.p, " `\r\n && ");
    buf_free(&text);
    df_doc_free(doc);
}

static void test_tail(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM x\n"
                           "RUN a && b ;  \n"     /* 1: the ; is dropped */
                           "RUN a # note\n"       /* 2 */
                           "RUN a &\n"            /* 3 */
                           "RUN a |\n"            /* 4 */
                           "RUN find . -exec rm {} \\;\n" /* 5: \; is a word */
                           "RUN case x in x) a;; esac\n"  /* 6: commands not modeled */
                           "RUN a \\\n  # c\n  && b\n"    /* 7: an inner comment line is fine */
                           "RUN a \\\n# trailing\n");     /* 8: text after the script */
    rs_tail t;
    const char *why = NULL;
    rs_run r = open_nth(doc, 1);
    assert_true(rs_tail_of(&r, &t, &why));
    assert_int_equal(t.end, 6);
    assert_slice(t.head, "RUN a && b");
    assert_slice(t.newline, "\n");
    r = open_nth(doc, 2);
    assert_false(rs_tail_of(&r, &t, &why));
    assert_non_null(strstr(why, "comment"));
    r = open_nth(doc, 3);
    assert_false(rs_tail_of(&r, &t, &why));
    r = open_nth(doc, 4);
    assert_false(rs_tail_of(&r, &t, &why));
    r = open_nth(doc, 5);
    assert_true(rs_tail_of(&r, &t, &why));
    assert_slice(t.head, "RUN find . -exec rm {} \\;");
    r = open_nth(doc, 6);
    assert_false(rs_tail_of(&r, &t, &why));
    r = open_nth(doc, 7);
    assert_true(rs_tail_of(&r, &t, &why));
    assert_slice(t.head, "RUN a \\\n  # c\n  && b");
    r = open_nth(doc, 8);
    assert_false(rs_tail_of(&r, &t, &why));
    df_doc_free(doc);
}

static void test_append(void **state)
{
    (void)state;
    df_diags *d = df_diags_new();
    df_doc *doc = parse_ok("FROM x\nRUN make;\nRUN a \\\n && b\n"
                           "RUN aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                           "RUN a # c\n");
    rs_style st = {SLICE("  "), false};
    rs_run r = open_nth(doc, 1);
    assert_true(rs_append(doc, &r, SLICE("rm -rf /x"), &st, d));
    r = open_nth(doc, 2);
    rs_own_style(doc, nth(doc, 2), &st); /* its own style, else the one before */
    assert_true(rs_append(doc, &r, SLICE("c"), &st, d));
    r = open_nth(doc, 3);
    st = (rs_style){SLICE("    "), false};
    assert_true(rs_append(doc, &r, SLICE("clean"), &st, d));
    r = open_nth(doc, 4);
    assert_false(rs_append(doc, &r, SLICE("clean"), &st, d));
    assert_prints(doc, "FROM x\nRUN make && rm -rf /x\nRUN a \\\n && b \\\n && c\n"
                       "RUN aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa && \\\n"
                       "    clean\n"
                       "RUN a # c\n");
    assert_slice(nth(doc, 2)->args[0].v, "a  && b  && c");
    assert_int_equal(df_diags_errors(d), 0);
    df_diags_free(d);
    df_doc_free(doc);
}

static void test_splice_and_commit(void **state)
{
    (void)state;
    df_diags *d = df_diags_new();
    df_doc *doc = parse_ok("FROM x\nRUN apk update && \\\n    apk add x\n"
                           "RUN apk update && \\\n  # why\n    apk add x\n");
    rs_run r = open_nth(doc, 1);
    assert_true(rs_splice(doc, &r, r.sh.cmds[0].off, r.sh.cmds[1].off, SLICE(""), d));
    r = open_nth(doc, 2);
    assert_false(rs_splice(doc, &r, r.sh.cmds[0].off, r.sh.cmds[1].off, SLICE(""), d));
    r = open_nth(doc, 2); /* an insertion keeps the comment line */
    assert_true(rs_splice(doc, &r, r.sh.cmds[1].off, r.sh.cmds[1].off, SLICE("true && "), d));
    assert_prints(doc, "FROM x\nRUN apk add x\n"
                       "RUN apk update && \\\n  # why\n    true && apk add x\n");
    /* text that BuildKit would read differently is refused */
    df_node *n = nth(doc, 1);
    assert_false(rs_commit(doc, n, SLICE("RUN apk add y\n"), SLICE("apk add x"), d));
    assert_false(rs_commit(doc, n, SLICE("RUN --network=none apk add x\n"), SLICE("apk add x"), d));
    assert_true(rs_commit(doc, n, SLICE("# kept\nRUN apk add  x\n"), SLICE("apk add  x"), d));
    assert_prints(doc, "FROM x\n# kept\nRUN apk add  x\n"
                       "RUN apk update && \\\n  # why\n    true && apk add x\n");
    assert_int_equal(df_diags_errors(d), 0);
    df_diags_free(d);
    df_doc_free(doc);
}

static void test_words_and_mounts(void **state)
{
    (void)state;
    assert_slice(rs_basename(SLICE("/usr/bin/apt-get")), "apt-get");
    assert_slice(rs_basename(SLICE("C:\\bin\\bash.exe")), "bash.exe");
    assert_slice(rs_basename(SLICE("dir/")), "");
    df_doc *doc = parse_ok("FROM x\nRUN sudo -u app /usr/bin/npm ci\n"
                           "RUN --mount=type=secret,id=t --mount=type=ssh true\n"
                           "RUN --mount=type=cache,target=/c true\n"
                           "RUN --mount=target=/src true\n"
                           "RUN --network=none true\n");
    rs_run r = open_nth(doc, 1);
    const sh_cmd *c = &r.sh.cmds[0];
    size_t p = sh_program(c);
    assert_true(rs_word_base_is(c, p, "npm"));
    assert_false(rs_word_base_is(c, p, "/usr/bin/npm"));
    assert_slice(rs_cmd_prefix(&r, c, p), "sudo -u app ");
    assert_false(rs_has_mount(nth(doc, 2)));
    assert_true(rs_has_mount(nth(doc, 3)));
    assert_true(rs_has_mount(nth(doc, 4))); /* bind is the default type */
    assert_false(rs_has_mount(nth(doc, 5)));
    df_doc_free(doc);
}

static bool posix_at(df_doc *doc, size_t idx)
{
    rs_shells s;
    rs_shells_init(&s, doc);
    bool posix = false;
    size_t i = 0;
    for (df_node *n = doc->head; n; n = n->next, i++) {
        rs_shells_step(&s, doc, n);
        if (i == idx)
            posix = rs_shells_posix(&s, n);
    }
    rs_shells_free(&s);
    return posix;
}

static void test_shells(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM debian AS a\nRUN x\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", "
                           "\"-c\"]\nRUN x\nSHELL [\"pwsh\", \"-c\"]\nRUN x\n"
                           "FROM a\nRUN x\n"
                           "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN x\n"
                           "SHELL [\"C:\\\\msys\\\\bash.exe\", \"-c\"]\nRUN x\n");
    assert_true(posix_at(doc, 1));
    assert_true(posix_at(doc, 3));
    assert_false(posix_at(doc, 5));
    assert_false(posix_at(doc, 7)); /* inherited from stage a */
    assert_false(posix_at(doc, 9));
    assert_true(posix_at(doc, 11));
    df_doc_free(doc);
    doc = parse_ok("# escape=`\nFROM debian\nRUN x\n");
    assert_false(posix_at(doc, 1));
    df_doc_free(doc);
}

static void test_merge_run(void **state)
{
    (void)state;
    assert_optimizes("FROM x\nRUN a\n\n# two\nRUN b;\n# three\n\nRUN c\n", "merge-run", 1,
                     "FROM x\n# two\n# three\nRUN a && \\\n    b && \\\n    c\n");
    assert_optimizes("FROM x\nRUN a \\\n  && b\nRUN c\n", "merge-run", 1,
                     "FROM x\nRUN a \\\n  && b \\\n  && c\n");
    assert_untouched("FROM x\nRUN cd /src\nRUN make\n", "merge-run", 1);
    assert_untouched("FROM x\nRUN make\nENV A=1\nRUN make\n", "merge-run", 1);
    assert_untouched("FROM x\nRUN make\nRUN false || true\n", "merge-run", 1);
    assert_untouched("FROM x\nRUN --network=none make\nRUN make\n", "merge-run", 1);
    assert_untouched("FROM x\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN a\nRUN b\n", "merge-run", 1);
    assert_untouched("FROM x\nRUN [\"a\"]\nRUN b\nRUN [\"c\"]\n", "merge-run", 1);
    assert_untouched("FROM x\nRUN <<EOF\na\nEOF\nRUN b\nRUN <<EOF\nc\nEOF\n", "merge-run", 1);
    /* a chain stops at the first RUN that cannot follow; the rest starts a new chain */
    assert_optimizes("FROM x\nRUN a\nRUN b || c\nRUN d\nRUN e\n", "merge-run", 1,
                     "FROM x\nRUN a\nRUN b || c && \\\n    d && \\\n    e\n");
}

static void test_pkg_hygiene(void **state)
{
    (void)state;
    assert_optimizes("FROM x\nRUN apt update && apt install curl\n", "pkg-hygiene", 1,
                     "FROM x\nRUN apt-get update && apt-get install -y curl && "
                     "rm -rf /var/lib/apt/lists/*\n");
    assert_optimizes("FROM x\nRUN apt-get update && apt-get install -y curl\n", "pkg-hygiene", 2,
                     "FROM x\nRUN apt-get update && apt-get install -y --no-install-recommends "
                     "curl && \\\n    rm -rf /var/lib/apt/lists/*\n");
    /* a later RUN installs from the same lists: they stay */
    assert_optimizes("FROM x\nRUN apt-get update && apt-get install -y a\n"
                     "RUN --network=none apt-get install -y b\n",
                     "pkg-hygiene", 1,
                     "FROM x\nRUN apt-get update && apt-get install -y a\n"
                     "RUN --network=none apt-get install -y b\n");
    assert_optimizes("FROM x\nRUN apk update\nENV A=1\nRUN apk add curl\n", "pkg-hygiene", 1,
                     "FROM x\nENV A=1\nRUN apk add --no-cache curl\n");
    assert_untouched("FROM x\nRUN apt-get update && apt-get install -y curl && "
                     "rm -rf /var/lib/apt/lists/*\n",
                     "pkg-hygiene", 1);
    assert_untouched("FROM x\nRUN if true; then apt-get install curl; fi\n", "pkg-hygiene", 2);
    /* an update-only RUN between two RUNs stays: they would become adjacent */
    assert_untouched("FROM x\nRUN cd /x\nRUN apt-get update\nRUN --network=host echo hi\n",
                     "pkg-hygiene", 1);
    assert_optimizes("FROM x\nRUN cd /x\n# why\nRUN apt-get update\nENV A=1\n", "pkg-hygiene", 1,
                     "FROM x\nRUN cd /x\n# why\nENV A=1\n");
    /* apk: an index a later command of the RUN reads stays; every add keeps no index */
    assert_optimizes("FROM x\nRUN apk add -U a && apk add -U b\nRUN apk update && apk add c && ./x.sh\n"
                     "ENV A=1\nRUN apk update && apk add d && apk add -U e\n",
                     "pkg-hygiene", 1,
                     "FROM x\nRUN apk add --no-cache -U a && apk add --no-cache -U b\n"
                     "RUN apk update && apk add --no-cache c && ./x.sh\n"
                     "ENV A=1\nRUN apk add --no-cache d && apk add --no-cache -U e\n");
    /* zypper metadata a later RUN installs from stays */
    assert_optimizes("FROM x\nRUN zypper -n in a\nENV A=1\nRUN zypper -n in b\n", "pkg-hygiene", 1,
                     "FROM x\nRUN zypper -n in a\nENV A=1\nRUN zypper -n in b && zypper clean -a\n");
    /* yarn: the whole context copied may bring a Yarn 2+ configuration */
    assert_untouched("FROM x\nCOPY . .\nRUN yarn install --frozen-lockfile\n", "pkg-hygiene", 1);
    assert_optimizes("FROM x\nCOPY package.json yarn.lock ./\nRUN yarn --frozen-lockfile\n",
                     "pkg-hygiene", 1,
                     "FROM x\nCOPY package.json yarn.lock ./\n"
                     "RUN yarn --frozen-lockfile && yarn cache clean\n");
    /* not a POSIX shell */
    assert_untouched("FROM x\nSHELL [\"pwsh\", \"-c\"]\nRUN apt-get install curl\n", "pkg-hygiene", 2);
    /* a stage built FROM this one installs with these lists */
    assert_untouched("FROM x AS a\nRUN apt-get update && apt-get install -y b\nFROM a\n"
                     "RUN apt-get install -y c\n",
                     "pkg-hygiene", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_text_offset),
        cmocka_unit_test(test_style),
        cmocka_unit_test(test_tail),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_splice_and_commit),
        cmocka_unit_test(test_words_and_mounts),
        cmocka_unit_test(test_shells),
        cmocka_unit_test(test_merge_run),
        cmocka_unit_test(test_pkg_hygiene),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
