/* test_diff.c: unified diffs, checked by hand, by patch/git apply, and against GNU diff -u. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"

/* ---- helpers ---- */

/* Diffs a against b with labels "a" and "b" and checks the result is exactly want. */
static void check_diff(const char *a, const char *b, const char *want)
{
    df_buf out = {0};
    bool changed = diff_unified(&out, a, strlen(a), b, strlen(b), "a", "b");
    assert_true(changed);
    assert_string_equal(out.p, want);
    buf_free(&out);
}

/* "line1\n" ... "line<n>\n", with line k (1-based) replaced by "LINE<k>\n" when edit[k]. */
static char *numbered(int n, const bool *edit)
{
    df_buf b = {0};
    for (int k = 1; k <= n; k++)
        buf_printf(&b, "%s%d\n", edit && edit[k] ? "LINE" : "line", k);
    return b.p;
}

/* Deterministic xorshift32, so cases do not depend on the C library's rand(). */
static uint32_t next_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static unsigned below(uint32_t *state, unsigned n)
{
    return next_rand(state) % n;
}

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    df_buf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, got);
    fclose(f);
    buf_put(&b, "", 0);
    *n = b.len;
    return b.p;
}

static char *read_command(const char *cmd, size_t *n)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    df_buf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_put(&b, chunk, got);
    pclose(p);
    buf_put(&b, "", 0);
    *n = b.len;
    return b.p;
}

static char *make_temp_dir(void)
{
    static char dir[64];
    strcpy(dir, "/tmp/test_diff.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_temp_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Drops the final '\n' of t, if any. */
static void drop_final_newline(df_buf *t)
{
    if (t->len > 0 && t->p[t->len - 1] == '\n')
        t->p[--t->len] = '\0';
}

/* ---- exact output ---- */

static void test_identical(void **state)
{
    (void)state;
    df_buf out = {0};
    char *t = numbered(20, NULL);
    assert_false(diff_unified(&out, t, strlen(t), t, strlen(t), "a", "b"));
    assert_int_equal(out.len, 0);
    assert_false(diff_unified(&out, "", 0, "", 0, "a", "b"));
    assert_false(diff_unified(&out, NULL, 0, NULL, 0, "a", "b"));
    assert_false(diff_unified(&out, "x", 1, "x", 1, "a", "b"));
    assert_int_equal(out.len, 0);
    free(t);
}

static void test_one_change_in_middle(void **state)
{
    (void)state;
    bool edit[21] = {[10] = true};
    char *a = numbered(20, NULL), *b = numbered(20, edit);
    check_diff(a, b,
               "--- a\n+++ b\n"
               "@@ -7,7 +7,7 @@\n"
               " line7\n line8\n line9\n"
               "-line10\n"
               "+LINE10\n"
               " line11\n line12\n line13\n");
    free(a);
    free(b);
}

static void test_insert_at_start(void **state)
{
    (void)state;
    check_diff("l1\nl2\nl3\nl4\nl5\n", "new\nl1\nl2\nl3\nl4\nl5\n",
               "--- a\n+++ b\n@@ -1,3 +1,4 @@\n+new\n l1\n l2\n l3\n");
}

static void test_insert_at_end(void **state)
{
    (void)state;
    check_diff("l1\nl2\nl3\nl4\nl5\n", "l1\nl2\nl3\nl4\nl5\nnew\n",
               "--- a\n+++ b\n@@ -3,3 +3,4 @@\n l3\n l4\n l5\n+new\n");
}

static void test_insert_into_empty(void **state)
{
    (void)state;
    check_diff("", "x\ny\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    check_diff("", "x\n", "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
}

static void test_delete_everything(void **state)
{
    (void)state;
    check_diff("x\ny\n", "", "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
    check_diff("x\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n");
}

static void test_no_final_newline(void **state)
{
    (void)state;
    check_diff("a\nb\nc", "a\nb\nc\n",
               "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n b\n"
               "-c\n\\ No newline at end of file\n+c\n");
    check_diff("a\nb\nc\n", "a\nb\nc",
               "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n b\n"
               "-c\n+c\n\\ No newline at end of file\n");
    check_diff("x\ny", "z\ny",
               "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+z\n y\n\\ No newline at end of file\n");
    check_diff("x", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n\\ No newline at end of file\n");
    check_diff("x", "y",
               "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n"
               "+y\n\\ No newline at end of file\n");
}

static void test_far_changes_two_hunks(void **state)
{
    (void)state;
    /* Lines 8..14 (seven) separate the changes: contexts do not touch. */
    bool edit[31] = {[7] = true, [15] = true};
    char *a = numbered(30, NULL), *b = numbered(30, edit);
    check_diff(a, b,
               "--- a\n+++ b\n"
               "@@ -4,7 +4,7 @@\n line4\n line5\n line6\n-line7\n+LINE7\n line8\n line9\n line10\n"
               "@@ -12,7 +12,7 @@\n line12\n line13\n line14\n-line15\n+LINE15\n"
               " line16\n line17\n line18\n");
    free(a);
    free(b);
}

static void test_close_changes_one_hunk(void **state)
{
    (void)state;
    /* Lines 8..13 (six) separate the changes: contexts touch, so one hunk. */
    bool edit[31] = {[7] = true, [14] = true};
    char *a = numbered(30, NULL), *b = numbered(30, edit);
    check_diff(a, b,
               "--- a\n+++ b\n"
               "@@ -4,14 +4,14 @@\n line4\n line5\n line6\n-line7\n+LINE7\n"
               " line8\n line9\n line10\n line11\n line12\n line13\n-line14\n+LINE14\n"
               " line15\n line16\n line17\n");
    free(a);
    free(b);
}

static void test_crlf(void **state)
{
    (void)state;
    check_diff("FROM x\r\nRUN a\r\nCMD b\r\n", "FROM x\r\nRUN z\r\nCMD b\r\n",
               "--- a\n+++ b\n@@ -1,3 +1,3 @@\n FROM x\r\n-RUN a\r\n+RUN z\r\n CMD b\r\n");
    /* A CR is content: "RUN a\r\n" and "RUN a\n" differ. */
    check_diff("RUN a\r\n", "RUN a\n", "--- a\n+++ b\n@@ -1 +1 @@\n-RUN a\r\n+RUN a\n");
}

static void test_large_input_few_changes(void **state)
{
    (void)state;
    enum { N = 200000 };
    static bool edit[N + 1];
    edit[3] = edit[N / 2] = edit[N - 1] = true;
    char *a = numbered(N, NULL), *b = numbered(N, edit);
    df_buf out = {0};
    assert_true(diff_unified(&out, a, strlen(a), b, strlen(b), "a", "b"));
    int hunks = 0;
    for (const char *p = out.p; (p = strstr(p, "\n@@ ")) != NULL; p++)
        hunks++;
    assert_int_equal(hunks, 3);
    assert_non_null(strstr(out.p, "@@ -99997,7 +99997,7 @@\n"));
    buf_free(&out);
    free(a);
    free(b);
}

/* ---- random cases ---- */

/* Lines for patch cases: few, so they repeat and the diff has choices to make. */
static const char *const vocab[] = {
    "FROM alpine:3.19\n", "RUN apk add curl\n", "\n", "# comment\n", "COPY . /app\n",
    "RUN make \\\n", "    install\n", "WORKDIR /app\r\n", "ENV A=1\n", "CMD [\"sh\"]\n",
};
enum { VOCAB = sizeof vocab / sizeof vocab[0] };

/* Line i of a random text: from vocab, or "line <i>" (every fifth with CRLF) when unique. */
static void put_old_line(df_buf *t, bool unique, const unsigned *lines, unsigned i)
{
    if (unique)
        buf_printf(t, "line %u%s", i, i % 5 == 4 ? "\r\n" : "\n");
    else
        buf_puts(t, vocab[lines[i]]);
}

static void put_new_line(df_buf *t, bool unique, uint32_t *rng, unsigned *fresh)
{
    if (unique)
        buf_printf(t, "new %u\n", (*fresh)++);
    else
        buf_puts(t, vocab[below(rng, VOCAB)]);
}

/* One random pair: a of up to 40 lines, b from a by a few deletions, insertions and
 * replacements; either side may lose its final newline. With unique set, every line
 * (original or inserted) is distinct, so the shortest edit script is unique. */
static void random_pair(uint32_t *rng, bool unique, df_buf *a, df_buf *b)
{
    unsigned n = below(rng, 41), fresh = 0;
    unsigned *lines = calloc(n + 1, sizeof *lines);
    assert_non_null(lines);
    for (unsigned i = 0; i < n; i++) {
        lines[i] = below(rng, VOCAB);
        put_old_line(a, unique, lines, i);
    }
    unsigned edits = 1 + below(rng, 4), pos = 0;
    for (unsigned e = 0; e < edits; e++) {
        unsigned at = pos + below(rng, n - pos + 1);
        for (; pos < at; pos++)
            put_old_line(b, unique, lines, pos);
        unsigned del = below(rng, 4), ins = below(rng, 4);
        pos = pos + del < n ? pos + del : n;
        for (unsigned k = 0; k < ins; k++)
            put_new_line(b, unique, rng, &fresh);
    }
    for (; pos < n; pos++)
        put_old_line(b, unique, lines, pos);
    if (below(rng, 4) == 0)
        drop_final_newline(a);
    if (below(rng, 4) == 0)
        drop_final_newline(b);
    buf_put(a, "", 0);
    buf_put(b, "", 0);
    free(lines);
}

/* Applies the diff of a into b in dir with `cmd` and checks Dockerfile then equals b. */
static void check_applies(const char *dir, const char *cmd, const df_buf *a, const df_buf *b)
{
    char path[128], shell[256];
    snprintf(path, sizeof path, "%s/Dockerfile", dir);
    write_file(path, a->p, a->len);
    snprintf(shell, sizeof shell, "cd '%s' && %s < fix.patch >/dev/null 2>&1", dir, cmd);
    assert_int_equal(system(shell), 0);
    size_t n;
    char *got = read_file(path, &n);
    assert_int_equal(n, b->len);
    assert_memory_equal(got, b->p, n);
    free(got);
}

static void test_patch_applies_random_edits(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    uint32_t rng = 0x5eed1234u;
    int nonl = 0;
    for (int i = 0; i < 40; i++) {
        df_buf a = {0}, b = {0}, patch = {0};
        random_pair(&rng, false, &a, &b);
        bool changed = diff_unified(&patch, a.p, a.len, b.p, b.len, "a/Dockerfile", "b/Dockerfile");
        assert_int_equal(changed, a.len != b.len || memcmp(a.p, b.p, a.len) != 0);
        if (changed) {
            char path[128];
            snprintf(path, sizeof path, "%s/fix.patch", dir);
            write_file(path, patch.p, patch.len);
            check_applies(dir, "patch -p1 --batch --no-backup-if-mismatch -r -", &a, &b);
            check_applies(dir, "git apply", &a, &b);
            nonl += strstr(patch.p, "No newline") != NULL;
        }
        buf_free(&a);
        buf_free(&b);
        buf_free(&patch);
    }
    assert_true(nonl > 0);
    remove_temp_dir(dir);
}

/* Our hunks against GNU diff -u's, its two header lines (with timestamps) stripped. */
static void test_matches_gnu_diff(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char pa[128], pb[128], cmd[320];
    snprintf(pa, sizeof pa, "%s/a", dir);
    snprintf(pb, sizeof pb, "%s/b", dir);
    snprintf(cmd, sizeof cmd, "diff -u '%s' '%s'", pa, pb);
    uint32_t rng = 0xd1ffu;
    for (int i = 0; i < 12; i++) {
        df_buf a = {0}, b = {0}, ours = {0};
        random_pair(&rng, true, &a, &b);
        write_file(pa, a.p, a.len);
        write_file(pb, b.p, b.len);
        size_t n;
        char *gnu = read_command(cmd, &n);
        bool changed = diff_unified(&ours, a.p, a.len, b.p, b.len, "a", "b");
        assert_int_equal(changed, n > 0);
        const char *want = gnu, *got = ours.p ? ours.p : "";
        for (int k = 0; k < 2 && *want; k++) {
            want = strchr(want, '\n') + 1;
            got = strchr(got, '\n') + 1;
        }
        assert_string_equal(got, want);
        free(gnu);
        buf_free(&a);
        buf_free(&b);
        buf_free(&ours);
    }
    remove_temp_dir(dir);
}

/* ---- diff_hunks ---- */

/* Offset of the start of line k (0-based) of s; len when k is past the last line. */
static size_t line_offset(const char *s, size_t len, size_t k)
{
    size_t off = 0;
    while (k-- > 0 && off < len) {
        const char *nl = memchr(s + off, '\n', len - off);
        off = nl ? (size_t)(nl - s) + 1 : len;
    }
    return off;
}

static void test_hunks_by_hand(void **state)
{
    (void)state;
    diff_hunk *h;
    assert_int_equal(diff_hunks("a\nb\n", 4, "a\nb\n", 4, &h), 0);
    assert_null(h);
    const char *a = "1\n2\n3\n4\n5\n", *b = "0\n1\nTWO\n3\n5\n";
    size_t n = diff_hunks(a, strlen(a), b, strlen(b), &h);
    assert_int_equal(n, 3);
    assert_true(h[0].a0 == 0 && h[0].alen == 0 && h[0].b0 == 0 && h[0].blen == 1); /* insert 0 */
    assert_true(h[1].a0 == 1 && h[1].alen == 1 && h[1].b0 == 2 && h[1].blen == 1); /* 2 -> TWO */
    assert_true(h[2].a0 == 3 && h[2].alen == 1 && h[2].b0 == 4 && h[2].blen == 0); /* drop 4 */
    free(h);
    /* adjacent changed lines are one hunk; a missing final newline is a change */
    n = diff_hunks("x\ny\nz", 5, "X\nY\nz\n", 6, &h);
    assert_int_equal(n, 1);
    assert_true(h[0].a0 == 0 && h[0].alen == 3 && h[0].b0 == 0 && h[0].blen == 3);
    free(h);
}

/* Random edits: replacing each hunk's a-lines by its b-lines rebuilds b exactly, hunks are in
 * order and separated by unchanged lines, and the count of changed lines matches the unified
 * diff's -/+ lines. */
static void test_hunks_rebuild_random_edits(void **state)
{
    (void)state;
    uint32_t rng = 0x40c5u;
    for (int i = 0; i < 60; i++) {
        df_buf a = {0}, b = {0}, rebuilt = {0}, uni = {0};
        random_pair(&rng, false, &a, &b);
        diff_hunk *h;
        size_t n = diff_hunks(a.p, a.len, b.p, b.len, &h);
        assert_int_equal(n > 0, a.len != b.len || memcmp(a.p, b.p, a.len) != 0);
        size_t at = 0, changed = 0;
        for (size_t k = 0; k < n; k++) {
            assert_true(h[k].alen + h[k].blen > 0);
            if (k > 0)
                assert_true(h[k].a0 > h[k - 1].a0 + h[k - 1].alen);
            size_t s = line_offset(a.p, a.len, h[k].a0);
            buf_put(&rebuilt, a.p + at, s - at);
            size_t bs = line_offset(b.p, b.len, h[k].b0);
            buf_put(&rebuilt, b.p + bs, line_offset(b.p, b.len, h[k].b0 + h[k].blen) - bs);
            at = line_offset(a.p, a.len, h[k].a0 + h[k].alen);
            changed += h[k].alen + h[k].blen;
        }
        buf_put(&rebuilt, a.p + at, a.len - at);
        assert_int_equal(rebuilt.len, b.len);
        assert_memory_equal(rebuilt.p, b.p, b.len);
        diff_unified(&uni, a.p, a.len, b.p, b.len, "a", "b");
        size_t marks = 0;
        for (const char *p = uni.p; p && *p; p = strchr(p, '\n') + 1) {
            if ((*p == '-' || *p == '+') && strncmp(p, "---", 3) != 0 && strncmp(p, "+++", 3) != 0)
                marks++;
            if (!strchr(p, '\n'))
                break;
        }
        assert_int_equal(changed, marks);
        free(h);
        buf_free(&a);
        buf_free(&b);
        buf_free(&rebuilt);
        buf_free(&uni);
    }
}

/* A big pair with thousands of edits over few distinct lines: the search stops at its cost
 * cap and splits where it got furthest (as GNU diff does). The script is still one that turns
 * a into b (its hunks rebuild b, patch applies it), and it keeps most lines in common. */
static void test_expensive_search(void **state)
{
    (void)state;
    enum { N = 40000 };
    uint32_t rng = 0xd1ffu;
    df_buf a = {0}, b = {0};
    for (unsigned i = 0; i < N; i++) {
        const char *l = vocab[below(&rng, 4)];
        buf_puts(&a, l);
        switch (below(&rng, 8)) {
        case 0: /* dropped */
            break;
        case 1: /* replaced */
            buf_puts(&b, vocab[4 + below(&rng, 4)]);
            break;
        case 2: /* one inserted after it */
            buf_puts(&b, l);
            buf_puts(&b, vocab[below(&rng, 8)]);
            break;
        default:
            buf_puts(&b, l);
        }
    }
    diff_hunk *h;
    size_t n = diff_hunks(a.p, a.len, b.p, b.len, &h);
    /* where each line starts (one more: the end), as line_offset gives it */
    size_t *as = malloc((2 * N + 2) * sizeof *as), *bs = malloc((4 * N + 2) * sizeof *bs);
    assert_true(as && bs);
    size_t na = 0, nb = 0;
    for (size_t i = 0; i <= a.len; i++)
        if (i == 0 || a.p[i - 1] == '\n')
            as[na++] = i;
    for (size_t i = 0; i <= b.len; i++)
        if (i == 0 || b.p[i - 1] == '\n')
            bs[nb++] = i;
    df_buf rebuilt = {0};
    size_t at = 0, changed = 0;
    for (size_t k = 0; k < n; k++) {
        assert_true(h[k].a0 + h[k].alen < na && h[k].b0 + h[k].blen < nb);
        buf_put(&rebuilt, a.p + at, as[h[k].a0] - at);
        buf_put(&rebuilt, b.p + bs[h[k].b0], bs[h[k].b0 + h[k].blen] - bs[h[k].b0]);
        at = as[h[k].a0 + h[k].alen];
        changed += h[k].alen;
    }
    free(as);
    free(bs);
    buf_put(&rebuilt, a.p + at, a.len - at);
    assert_int_equal(rebuilt.len, b.len);
    assert_memory_equal(rebuilt.p, b.p, b.len);
    assert_true(changed < N / 2); /* about 3/8 of a's lines differ in the edits made */
    free(h);
    char *dir = make_temp_dir();
    df_buf patch = {0}, path = {0};
    assert_true(diff_unified(&patch, a.p, a.len, b.p, b.len, "a/Dockerfile", "b/Dockerfile"));
    buf_printf(&path, "%s/fix.patch", dir);
    write_file(path.p, patch.p, patch.len);
    check_applies(dir, "patch -p1 --batch --no-backup-if-mismatch -r -", &a, &b);
    remove_temp_dir(dir);
    buf_free(&path);
    buf_free(&patch);
    buf_free(&rebuilt);
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_one_change_in_middle),
        cmocka_unit_test(test_insert_at_start),
        cmocka_unit_test(test_insert_at_end),
        cmocka_unit_test(test_insert_into_empty),
        cmocka_unit_test(test_delete_everything),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_far_changes_two_hunks),
        cmocka_unit_test(test_close_changes_one_hunk),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_large_input_few_changes),
        cmocka_unit_test(test_patch_applies_random_edits),
        cmocka_unit_test(test_matches_gnu_diff),
        cmocka_unit_test(test_hunks_by_hand),
        cmocka_unit_test(test_hunks_rebuild_random_edits),
        cmocka_unit_test(test_expensive_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
