/*
 * test_sema.c: the semantic layer (sema.c): stages, their names, bases and platforms, links to
 * earlier stages, global ARG expansion of FROM, stage references and builder flag lookup.
 */
#include "testutil.h"

static void assert_stage(const df_doc *doc, size_t i, const char *name, const char *base,
                         const char *expanded, int base_stage, const char *platform)
{
    assert_true(i < doc->nstages);
    const df_stage *s = &doc->stages[i];
    assert_int_equal(s->index, i);
    assert_slice(s->name, name);
    assert_slice(s->base, base);
    assert_slice(s->base_expanded, expanded);
    if (s->base_stage != base_stage)
        fail_msg("stage %zu: base_stage %d, expected %d", i, s->base_stage, base_stage);
    assert_slice(s->platform, platform);
    assert_non_null(s->from);
    assert_int_equal(s->from->kind, DF_FROM);
}

static void test_stages(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ARG V=1\n"
                           "FROM golang:1.22 AS Build\n"
                           "RUN go build\n"
                           "FROM --platform=$BUILDPLATFORM alpine as tools\n"
                           "from scratch\n"
                           "COPY --from=build /a /b\n");
    assert_int_equal(doc->nstages, 3);
    assert_stage(doc, 0, "Build", "golang:1.22", "golang:1.22", -1, "");
    assert_stage(doc, 1, "tools", "alpine", "alpine", -1, "$BUILDPLATFORM");
    assert_stage(doc, 2, "", "scratch", "scratch", -1, "");
    assert_ptr_equal(doc->stages[0].from, nth(doc, 1));
    assert_ptr_equal(doc->stages[2].from, nth(doc, 4));
    int want[] = {-1, 0, 0, 1, 2, 2};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(nth(doc, i)->stage, want[i]);
    df_doc_free(doc);
}

static void test_base_stage_links(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM later AS first\n"
                           "FROM img AS Base\n"
                           "FROM base\n"
                           "FROM BASE AS two\n"
                           "FROM two AS later\n"
                           "FROM first\n");
    /* a stage named later in the file is an image */
    assert_stage(doc, 0, "first", "later", "later", -1, "");
    assert_stage(doc, 1, "Base", "img", "img", -1, "");
    /* names compare case-insensitively */
    assert_stage(doc, 2, "", "base", "base", 1, "");
    assert_stage(doc, 3, "two", "BASE", "BASE", 1, "");
    assert_stage(doc, 4, "later", "two", "two", 3, "");
    assert_stage(doc, 5, "", "first", "first", 0, "");
    df_doc_free(doc);
}

/* A FROM base that is a number is an image name, not a stage index. */
static void test_base_numeric(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nFROM 0\n");
    assert_stage(doc, 1, "", "0", "0", -1, "");
    df_doc_free(doc);
}

static void test_global_args(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ARG BASE=alpine\n"
                           "ARG TAG=3.19 REG=\"docker.io\"\n"
                           "ARG FULL=${REG}/library/${BASE}\n"
                           "FROM ${BASE}\n"
                           "FROM $BASE:$TAG AS x\n"
                           "FROM ${FULL}:latest\n"
                           "ARG LATE=1\n"
                           "FROM img:${LATE}\n");
    assert_int_equal(doc->nstages, 4);
    assert_stage(doc, 0, "", "${BASE}", "alpine", -1, "");
    assert_stage(doc, 1, "x", "$BASE:$TAG", "alpine:3.19", -1, "");
    assert_stage(doc, 2, "", "${FULL}:latest", "docker.io/library/alpine:latest", -1, "");
    /* an ARG after the first FROM is not global */
    assert_stage(doc, 3, "", "img:${LATE}", "img:${LATE}", -1, "");
    assert_int_equal(nth(doc, 0)->stage, -1);
    assert_int_equal(nth(doc, 1)->stage, -1);
    assert_int_equal(nth(doc, 2)->stage, -1);
    df_doc_free(doc);
}

/* Many global ARGs (the look-up is a hash table that grows): the last of a name wins, a
 * default sees only the ARGs before it, names differ in case. */
static void test_global_args_many(void **state)
{
    (void)state;
    df_buf b = {0};
    for (int i = 0; i < 100; i++)
        buf_printf(&b, "ARG V%d=v%d\n", i, i);
    buf_puts(&b, "ARG V7=seven\nARG W=${V7}-${V99}\nARG V99=late\nARG v1=lower\n"
                 "FROM img:$V7\nFROM $W\nFROM $V99$V1$v1\n");
    df_doc *doc = parse_ok(b.p); /* the document reads the source: freed after it */
    assert_stage(doc, 0, "", "img:$V7", "img:seven", -1, "");
    assert_stage(doc, 1, "", "$W", "seven-v99", -1, "");
    assert_stage(doc, 2, "", "$V99$V1$v1", "latev1lower", -1, "");
    df_doc_free(doc);
    buf_free(&b);
}

static void test_name_index(void **state)
{
    (void)state;
    char text[40][8];
    name_index x = {0};
    assert_int_equal(name_index_get(&x, SLICE("a")), 0);
    for (size_t i = 0; i < 40; i++) { /* a0 .. a19, then a0 .. a19 again */
        snprintf(text[i], sizeof text[i], "a%zu", i % 20);
        name_index_put(&x, slice_from(text[i]), i);
        assert_int_equal(name_index_get(&x, slice_from(text[i])), i + 1);
    }
    assert_int_equal(name_index_get(&x, SLICE("a3")), 24);
    assert_int_equal(name_index_get(&x, SLICE("A3")), 0);
    assert_int_equal(name_index_get(&x, SLICE("a20")), 0);
    name_index_free(&x);
}

static void test_global_args_unset_and_stage(void **state)
{
    (void)state;
    /* an ARG without a default stays as written; a global ARG may name a stage */
    df_doc *doc = parse_ok("ARG NODEF\nARG S=build\nARG S2=BUILD\n"
                           "FROM $NODEF\nFROM x AS build\nFROM ${S}\nFROM $S2\n");
    assert_stage(doc, 0, "", "$NODEF", "$NODEF", -1, "");
    assert_stage(doc, 2, "", "${S}", "build", 1, "");
    assert_stage(doc, 3, "", "$S2", "BUILD", 1, "");
    df_doc_free(doc);
}

static void test_stage_ref(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a AS build\nFROM b AS Test\nFROM c\nFROM d AS build\n");
    assert_int_equal(sema_stage_ref(doc, SLICE("build"), 3), 0);
    assert_int_equal(sema_stage_ref(doc, SLICE("BUILD"), 3), 0);
    assert_int_equal(sema_stage_ref(doc, SLICE("test"), 3), 1);
    /* the nearest earlier stage of that name */
    assert_int_equal(sema_stage_ref(doc, SLICE("build"), 4), 3);
    /* only earlier stages */
    assert_int_equal(sema_stage_ref(doc, SLICE("test"), 1), -1);
    assert_int_equal(sema_stage_ref(doc, SLICE("build"), 0), -1);
    /* by index */
    assert_int_equal(sema_stage_ref(doc, SLICE("0"), 3), 0);
    assert_int_equal(sema_stage_ref(doc, SLICE("2"), 3), 2);
    assert_int_equal(sema_stage_ref(doc, SLICE("2"), 2), -1);
    assert_int_equal(sema_stage_ref(doc, SLICE("7"), 4), -1);
    assert_int_equal(sema_stage_ref(doc, SLICE("99999999999999999999999"), 4), -1);
    /* images */
    assert_int_equal(sema_stage_ref(doc, SLICE("alpine:3"), 4), -1);
    assert_int_equal(sema_stage_ref(doc, SLICE(""), 4), -1);
    assert_int_equal(sema_stage_ref(doc, SLICE("buil"), 4), -1);
    assert_int_equal(sema_stage_ref(doc, SLICE("1a"), 4), -1);
    df_doc_free(doc);
}

static void test_node_flag(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a\nCOPY --from=build --link --chown= --chmod=\"7 5\" a b\n");
    df_node *n = nth(doc, 1);
    df_slice v;
    assert_true(node_flag(n, "from", &v));
    assert_slice(v, "build");
    assert_true(node_flag(n, "link", &v));
    assert_int_equal(v.n, 0);
    assert_true(node_flag(n, "chown", &v));
    assert_int_equal(v.n, 0);
    assert_true(node_flag(n, "chmod", &v));
    assert_slice(v, "7 5");
    assert_false(node_flag(n, "fro", &v));
    assert_false(node_flag(n, "lin", &v));
    assert_false(node_flag(n, "FROM", &v));
    assert_false(node_flag(n, "parents", &v));
    assert_false(node_flag(nth(doc, 0), "from", &v));
    df_doc_free(doc);
}

/* After an edit, sema_stages recomputes names and stage indexes. */
static void test_restage_after_edit(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a AS one\nRUN x\nFROM one\nRUN y\n");
    assert_int_equal(doc->stages[1].base_stage, 0);
    df_diags *d = df_diags_new();
    assert_true(ir_node_set_text(doc, nth(doc, 1), SLICE("FROM b AS two\n"), d));
    sema_stages(doc, d);
    assert_int_equal(df_diags_errors(d), 0);
    df_diags_free(d);
    assert_int_equal(doc->nstages, 3);
    assert_stage(doc, 1, "two", "b", "b", -1, "");
    assert_stage(doc, 2, "", "one", "one", 0, "");
    int want[] = {0, 1, 2, 2};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(nth(doc, i)->stage, want[i]);
    ir_check(doc, "test_restage_after_edit");
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_base_stage_links),
        cmocka_unit_test(test_base_numeric),
        cmocka_unit_test(test_global_args),
        cmocka_unit_test(test_global_args_many),
        cmocka_unit_test(test_name_index),
        cmocka_unit_test(test_global_args_unset_and_stage),
        cmocka_unit_test(test_stage_ref),
        cmocka_unit_test(test_node_flag),
        cmocka_unit_test(test_restage_after_edit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
