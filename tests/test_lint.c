/* test_lint.c: the rule table, findings from passes (with passes made up for the test), fixes
 * as review tools apply them, and .dfopt.yaml errors. */
#include "testutil.h"
#include "lint.h"

#include <unistd.h>

/* ---- passes made up for the test ---- */

/* run -> RUN (keyword case only) */
static bool upper_run(df_doc *doc, df_diags *d)
{
    bool changed = false;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind != DF_RUN || slice_eq_str(n->keyword, "RUN"))
            continue;
        size_t at = (size_t)(n->keyword.p - n->text.p);
        if (n->keyword.p < n->text.p || at + 3 > n->text.n)
            continue;
        df_buf b = {0};
        buf_put(&b, n->text.p, at);
        buf_puts(&b, "RUN");
        buf_put(&b, n->text.p + at + 3, n->text.n - at - 3);
        changed |= ir_node_set_text(doc, n, buf_to_arena(&b, &doc->arena), d);
        buf_free(&b);
    }
    return changed;
}

/* a LABEL after each FROM */
static bool add_label(df_doc *doc, df_diags *d)
{
    bool changed = false;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind != DF_FROM)
            continue;
        df_buf b = {0};
        buf_puts(&b, "LABEL stage=1");
        buf_put_slice(&b, ir_newline(doc));
        df_node *l = ir_node_from_text(doc, buf_to_arena(&b, &doc->arena), d);
        buf_free(&b);
        if (!l)
            continue;
        if (!n->next) { /* the FROM was the last line, maybe without a newline */
            df_buf t = {0};
            buf_put_slice(&t, n->text);
            if (t.len == 0 || t.p[t.len - 1] != '\n')
                buf_put_slice(&t, ir_newline(doc));
            ir_node_set_text(doc, n, buf_to_arena(&t, &doc->arena), d);
            buf_free(&t);
        }
        ir_insert_after(doc, n, l);
        n = l;
        changed = true;
    }
    return changed;
}

/* LABEL stage=1 -> LABEL stage=2 (edits what add_label wrote) */
static bool relabel(df_doc *doc, df_diags *d)
{
    bool changed = false;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind != DF_LABEL || !slice_has_prefix(n->text, "LABEL stage=1"))
            continue;
        df_buf b = {0};
        buf_puts(&b, "LABEL stage=2");
        buf_put(&b, n->text.p + 13, n->text.n - 13);
        changed |= ir_node_set_text(doc, n, buf_to_arena(&b, &doc->arena), d);
        buf_free(&b);
    }
    return changed;
}

static bool drop_expose(df_doc *doc, df_diags *d)
{
    (void)d;
    bool changed = false;
    for (df_node *n = doc->head, *next; n; n = next) {
        next = n->next;
        if (n->kind == DF_EXPOSE) {
            if (!next && n->prev) { /* keep the file's final newline as it was */
                df_node *p = n->prev;
                bool nl = n->text.n && n->text.p[n->text.n - 1] == '\n';
                if (!nl && p->text.n && p->text.p[p->text.n - 1] == '\n') {
                    df_slice t = p->text;
                    t.n -= t.n >= 2 && t.p[t.n - 2] == '\r' ? 2 : 1;
                    ir_node_set_text(doc, p, arena_slice(&doc->arena, t.p, t.n), d);
                }
            }
            ir_unlink(doc, n);
            changed = true;
        }
    }
    return changed;
}

/* ENV A=1 -> ENV A=2, then back */
static bool env_set(df_doc *doc, df_diags *d, const char *from, const char *to)
{
    bool changed = false;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind != DF_ENV || !slice_has_prefix(n->text, from))
            continue;
        df_buf b = {0};
        buf_puts(&b, to);
        buf_put(&b, n->text.p + strlen(from), n->text.n - strlen(from));
        changed |= ir_node_set_text(doc, n, buf_to_arena(&b, &doc->arena), d);
        buf_free(&b);
    }
    return changed;
}

static bool env_two(df_doc *doc, df_diags *d)
{
    return env_set(doc, d, "ENV A=1", "ENV A=2");
}

static bool env_back(df_doc *doc, df_diags *d)
{
    return env_set(doc, d, "ENV A=2", "ENV A=1");
}

/* RUN a && b -> RUN a / RUN b, when the script is one line */
static bool split_run(df_doc *doc, df_diags *d)
{
    bool changed = false;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind != DF_RUN || n->nargs != 1 || n->nheredocs || (n->flags & DF_N_JSON))
            continue;
        df_slice s = n->args[0].v;
        const char *and = memmem(s.p, s.n, " && ", 4);
        if (!and || memchr(n->text.p, '\\', n->text.n))
            continue;
        df_buf b = {0};
        buf_puts(&b, "RUN ");
        buf_put(&b, s.p, (size_t)(and - s.p));
        buf_put_slice(&b, ir_newline(doc));
        df_node *first = ir_node_from_text(doc, buf_to_arena(&b, &doc->arena), d);
        buf_free(&b);
        buf_puts(&b, "RUN ");
        buf_put(&b, and + 4, s.n - (size_t)(and + 4 - s.p));
        ir_end_line(doc, n, &b);
        if (first && ir_node_set_text(doc, n, buf_to_arena(&b, &doc->arena), d)) {
            first->lead = n->lead;
            n->lead = (df_slice){"", 0};
            ir_insert_before(doc, n, first);
            changed = true;
        }
        buf_free(&b);
    }
    return changed;
}

static const df_pass fake[] = {
    {"upper-run", 1, upper_run, "run becomes RUN", ""},
    {"split-run", 1, split_run, "RUN a && b becomes two RUNs", ""},
    {"add-label", 1, add_label, "a LABEL after FROM", ""},
    {"relabel", 1, relabel, "stage=1 becomes stage=2", ""},
    {"drop-expose", 1, drop_expose, "EXPOSE goes away", ""},
    {"env-two", 1, env_two, "A=1 becomes A=2", ""},
    {"env-back", 1, env_back, "A=2 becomes A=1", ""},
};
enum { NFAKE = sizeof fake / sizeof fake[0] };

/* ---- applying fixes ---- */

/* Applies the byte-range fixes in f (highest offset first) to its source. */
static char *apply_fixes(const lint_file *f, size_t *len)
{
    df_buf b = {0};
    buf_put(&b, f->src, f->len);
    for (size_t i = f->n; i-- > 0;) {
        const lint_fix *x = f->v[i].fix;
        if (!x)
            continue;
        for (size_t j = i + 1; j < f->n; j++) /* sorted, never overlapping */
            if (f->v[j].fix)
                assert_true(x->off + x->len <= f->v[j].fix->off);
        df_buf t = {0};
        buf_put(&t, b.p, x->off);
        buf_put(&t, x->text, x->textlen);
        buf_put(&t, b.p + x->off + x->len, b.len - x->off - x->len);
        buf_free(&b);
        b = t;
    }
    buf_put(&b, "", 0);
    *len = b.len;
    return b.p;
}

/* Applies the fixes the way reviewdog reads line-based suggestions: lines first..last with
 * their endings are replaced by text plus a newline (when they had one and text is not empty). */
static char *apply_line_fixes(const lint_file *f, size_t *len)
{
    df_buf b = {0};
    buf_put(&b, f->src, f->len);
    for (size_t i = f->n; i-- > 0;) {
        if (!f->v[i].fix)
            continue;
        size_t first, last, tl;
        char *t;
        bool ok = lint_fix_lines(f, f->v[i].fix, &first, &last, &t, &tl);
        if (!ok) { /* not line-based: the trimmed range, by columns */
            size_t a, e, t0, t1, l0, c0, l1, c1;
            lint_fix_trim(f, f->v[i].fix, &a, &e, &t0, &t1);
            lint_pos(f, a, &l0, &c0);
            lint_pos(f, e, &l1, &c1);
            assert_true(l0 == f->v[i].line && l1 == f->v[i].end_line);
            df_buf r = {0};
            buf_put(&r, b.p, a);
            buf_put(&r, f->v[i].fix->text + t0, t1 - t0);
            buf_put(&r, b.p + e, b.len - e);
            buf_free(&b);
            b = r;
            continue;
        }
        if (first != f->v[i].line || last != f->v[i].end_line)
            fail_msg("fix %zu+%zu -> \"%s\" (lines %zu-%zu) on \"%.*s\": finding at %zu-%zu",
                     f->v[i].fix->off, f->v[i].fix->len, f->v[i].fix->text, ok ? first : 0,
                     ok ? last : 0, (int)f->len, f->src, f->v[i].line, f->v[i].end_line);
        size_t a = first - 1 < f->nlines ? f->lines[first - 1] : f->len;
        size_t e = last < f->nlines ? f->lines[last] : f->len;
        df_buf r = {0};
        buf_put(&r, b.p, a);
        buf_put(&r, t, tl);
        if (tl && e > a && f->src[e - 1] == '\n')
            buf_putc(&r, '\n');
        buf_put(&r, b.p + e, b.len - e);
        buf_free(&b);
        free(t);
        b = r;
    }
    buf_put(&b, "", 0);
    *len = b.len;
    return b.p;
}

typedef struct result {
    lint_file f;
    char *want;
    size_t wantlen;
} result;

/* Lints src with the fake passes named by mask; *want gets what the passes print. */
static void lint_with(result *r, const char *src, unsigned mask)
{
    size_t n = strlen(src);
    char *copy = xmalloc(n + 1);
    memcpy(copy, src, n + 1);
    lint_file_init(&r->f, "Dockerfile", copy, n);
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", copy, n, d);
    assert_non_null(doc);
    bool run[NFAKE];
    for (size_t i = 0; i < NFAKE; i++)
        run[i] = mask & (1u << i);
    assert_true(lint_pass_findings(&r->f, doc, fake, NFAKE, run, NULL, d));
    lint_set_positions(&r->f);
    r->want = df_doc_print(doc, &r->wantlen);
    df_doc_free(doc);
    df_diags_free(d);
}

static void check_rebuilds(result *r)
{
    size_t n;
    char *got = apply_fixes(&r->f, &n);
    assert_int_equal(n, r->wantlen);
    assert_memory_equal(got, r->want, n);
    free(got);
    got = apply_line_fixes(&r->f, &n);
    assert_int_equal(n, r->wantlen);
    assert_memory_equal(got, r->want, n);
    free(got);
}

static void done(result *r)
{
    lint_file_free(&r->f);
    free(r->want);
}

static unsigned mask_of(const char *names)
{
    unsigned m = 0;
    for (size_t i = 0; i < NFAKE; i++)
        if (strstr(names, fake[i].name))
            m |= 1u << i;
    return m;
}

/* ---- tests ---- */

static void test_rule_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < R_COUNT; i++) {
        const lint_rule *r = &lint_rules[i];
        assert_int_equal(strlen(r->id), 5);
        assert_memory_equal(r->id, "DF", 2);
        assert_true(r->name && *r->name && r->message && *r->message);
        assert_true(r->severity <= SEV_ERROR);
        assert_true(r->explain || (r->flags & LR_PASS));
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(r->id, lint_rules[j].id);
            assert_string_not_equal(r->name, lint_rules[j].name);
        }
        assert_ptr_equal(lint_rule_find(r->id, 5), r);
    }
    assert_ptr_equal(lint_rule_for_pass("maintainer"), &lint_rules[R_MAINTAINER]);
    assert_ptr_equal(lint_rule_for_pass("no-such-pass"), &lint_rules[R_PASS_GENERIC]);
    assert_true(lint_rule_matches(&lint_rules[R_JSON_ARGS], "jsonargsrecommended", 19));
    assert_true(lint_rule_matches(&lint_rules[R_RPM_NO_YES], "DL3038", 6));
    assert_false(lint_rule_matches(&lint_rules[R_RPM_NO_YES], "DL303", 5));
}

static void test_one_finding_per_change(void **state)
{
    (void)state;
    result r;
    lint_with(&r, "FROM a\nrun x\nRUN a\nEXPOSE 80\nRUN b\nrun y\n",
              mask_of("upper-run,drop-expose"));
    assert_int_equal(r.f.n, 3);
    assert_int_equal(r.f.v[0].line, 2);
    assert_int_equal(r.f.v[1].line, 4);
    assert_int_equal(r.f.v[2].line, 6);
    assert_ptr_equal(r.f.v[0].rule, &lint_rules[R_PASS_GENERIC]);
    assert_non_null(strstr(r.f.v[0].message, "upper-run"));
    assert_non_null(strstr(r.f.v[1].message, "drop-expose"));
    for (size_t i = 0; i < 3; i++)
        assert_non_null(r.f.v[i].fix);
    /* the location is narrowed to what changes: `run` -> `RUN` */
    assert_int_equal(r.f.v[0].col, 1);
    assert_int_equal(r.f.v[0].end_col, 4);
    assert_string_equal(r.f.v[1].fix->text, "");
    check_rebuilds(&r);
    done(&r);
}

static void test_passes_sharing_lines_share_a_fix(void **state)
{
    (void)state;
    result r;
    lint_with(&r, "FROM a\nRUN x\n", mask_of("add-label,relabel"));
    assert_int_equal(r.f.n, 2);
    /* the fix goes with relabel, the pass that wrote the lines last */
    assert_null(r.f.v[0].fix);
    assert_non_null(r.f.v[1].fix);
    assert_non_null(strstr(r.f.v[1].message, "relabel"));
    assert_int_equal(r.f.v[0].group, r.f.v[1].group);
    assert_non_null(strstr(r.f.v[0].message, "fixed together with"));
    /* an insertion: the suggestion takes in the line before it */
    assert_int_equal(r.f.v[1].fix->len, 0);
    assert_string_equal(r.f.v[1].fix->text, "LABEL stage=2\n");
    check_rebuilds(&r);
    done(&r);
}

static void test_change_undone_is_no_finding(void **state)
{
    (void)state;
    result r;
    lint_with(&r, "FROM a\nENV A=1\n", mask_of("env-two,env-back"));
    assert_int_equal(r.f.n, 0);
    done(&r);
    lint_with(&r, "FROM a\nENV A=1\n", mask_of("env-two"));
    assert_int_equal(r.f.n, 1);
    check_rebuilds(&r);
    done(&r);
}

static void test_split_and_edges(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "FROM a\n# note\nrun a && b\n",
        "FROM a\r\nrun a && b\r\nEXPOSE 1\r\n",
        "FROM a\nrun a && b",
        "FROM a\nRUN ok\nEXPOSE 1",
        "FROM a",
        "\xEF\xBB\xBF" "FROM a\nrun x \\\n  && y\n",
        "# only a comment\nFROM a AS b\nEXPOSE 1\nEXPOSE 2\nFROM b\nrun a && b\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        result r;
        lint_with(&r, inputs[i], ~0u);
        assert_true(r.f.n > 0);
        check_rebuilds(&r);
        done(&r);
    }
}

/* Random Dockerfiles and random sets of passes: the fixes always rebuild the passes' output,
 * both as byte ranges and as line-based suggestions. */
static void test_random_documents(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "run a && b", "RUN c", "EXPOSE 80", "ENV A=1", "# comment", "", "LABEL x=1",
        "run d \\\n  e", "WORKDIR /w", "USER app",
    };
    uint32_t rng = 0x11d7u;
    for (int iter = 0; iter < 300; iter++) {
        df_buf b = {0};
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        int stages = 1 + (int)(rng % 3);
        bool crlf = (rng >> 8) % 5 == 0;
        for (int s = 0; s < stages; s++) {
            buf_printf(&b, "FROM img%d%s", s, crlf ? "\r\n" : "\n");
            rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
            int n = (int)(rng % 6);
            for (int k = 0; k < n; k++) {
                rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
                buf_printf(&b, "%s%s", lines[rng % (sizeof lines / sizeof *lines)],
                           crlf ? "\r\n" : "\n");
            }
        }
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        if (rng % 4 == 0) { /* no final newline */
            while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
                b.p[--b.len] = '\0';
        }
        result r;
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        lint_with(&r, b.p, rng);
        check_rebuilds(&r);
        done(&r);
        buf_free(&b);
    }
}

static char *config_error(const char *yaml)
{
    char path[] = "/tmp/dfopt-lint-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    lint_config c;
    lint_config_defaults(&c);
    char *err = NULL;
    bool ok = lint_config_load(&c, path, &err);
    lint_config_free(&c);
    unlink(path);
    if (ok)
        return NULL;
    /* drop the temporary path before the first ':' */
    char *colon = strchr(err, ':');
    char *out = strdup(colon ? colon + 1 : err);
    free(err);
    return out;
}

static void test_config(void **state)
{
    (void)state;
    char *e = config_error("level: 2\nfail-level: error\nrules:\n  disable: [DF013, DL3008]\n"
                           "severity:\n  cd-in-run: error\ntrusted-registries: [docker.io]\n"
                           "passes:\n  disable: [maintainer]\n");
    assert_null(e);
    e = config_error("level: 1\nrulez:\n  disable: [DF013]\n");
    assert_string_equal(e, "2:1: error: unknown key 'rulez' (level, fail-level, passes, rules, "
                           "severity, trusted-registries)\n");
    free(e);
    e = config_error("rules:\n  disable:\n    - DF013\n    - DF999\n");
    assert_string_equal(e, "4:7: error: unknown rule 'DF999' (see dfopt lint --list-rules)\n");
    free(e);
    e = config_error("severity:\n  DF013: loud\n");
    assert_string_equal(e, "2:10: error: unknown severity 'loud' (error, warning, info, style)\n");
    free(e);
    e = config_error("passes:\n  enable: [no-such-pass]\n");
    assert_string_equal(e, "2:12: error: unknown pass 'no-such-pass' (see dfopt --list-passes)\n");
    free(e);
    e = config_error("level: [1\n");
    assert_non_null(e);
    assert_non_null(strstr(e, "error: "));
    free(e);

    lint_config c;
    lint_config_defaults(&c);
    assert_false(c.rule_on[R_APT_PIN]); /* off by default */
    assert_true(c.rule_on[R_CD_IN_RUN]);
    lint_config_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_one_finding_per_change),
        cmocka_unit_test(test_passes_sharing_lines_share_a_fix),
        cmocka_unit_test(test_change_undone_is_no_finding),
        cmocka_unit_test(test_split_and_edges),
        cmocka_unit_test(test_random_documents),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
