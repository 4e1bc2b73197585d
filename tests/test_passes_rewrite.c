/* test_passes_rewrite.c: the helpers of the rewriting passes (paths, build context,
 * .dockerignore, text splicing, RUN footprints) and, pass by pass, the one condition that
 * decides between rewriting and refusing. */
#include "testutil.h"
#include "context.h"
#include "rewrite.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static df_arena arena;

static df_slice S(const char *s)
{
    return slice_from(s);
}

static void assert_clean(const char *in, const char *want)
{
    assert_slice(rw_path_clean(&arena, S(in)), want);
}

static void test_path_clean_join(void **state)
{
    (void)state;
    assert_clean("", ".");
    assert_clean("/", "/");
    assert_clean("/a//b/./c/", "/a/b/c");
    assert_clean("/a/b/../../..", "/");
    assert_clean("a/../../b", "../b");
    assert_clean("./x/.", "x");
    assert_slice(rw_path_join(&arena, S("/srv"), S("web/../logs")), "/srv/logs");
    assert_slice(rw_path_join(&arena, S("/srv"), S("/etc/x/")), "/etc/x");
    assert_slice(rw_path_dir(S("/a/b")), "/a");
    assert_slice(rw_path_dir(S("/a")), "/");
    assert_slice(rw_path_base(S("/a/b")), "b");
}

static void test_path_relations(void **state)
{
    (void)state;
    assert_true(rw_path_under(S("/app/src"), S("/app")));
    assert_true(rw_path_under(S("/app"), S("/app")));
    assert_false(rw_path_under(S("/application"), S("/app")));
    assert_true(rw_path_under(S("/x"), S("/")));
    assert_true(rw_path_overlap(S("/srv/data"), S("/srv/data/cache")));
    assert_false(rw_path_overlap(S("/srv/data"), S("/srv/db")));
    assert_true(rw_path_system(S("/etc/apt/sources.list.d/x.list")));
    assert_true(rw_path_system(S("/usr/local/bin")));
    assert_true(rw_path_system(S("/")));
    assert_false(rw_path_system(S("/app")));
    assert_false(rw_path_system(S("/usr/src/app")));
    assert_true(rw_path_system(S("/usr/src")));
}

static void test_words_and_mounts(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM x\n");
    assert_true(rw_literal(doc, S("/app/x")));
    assert_false(rw_literal(doc, S("$HOME/x")));
    assert_false(rw_literal(doc, S("\"a b\"")));
    assert_false(rw_literal(doc, S("a\\ b")));
    df_slice v;
    assert_true(rw_mount_key(S("type=cache,target=/root/.npm"), "target", &v));
    assert_slice(v, "/root/.npm");
    assert_false(rw_mount_key(S("type=cache,targets=/x"), "target", &v));
    assert_true(rw_env_read(S("DEBIAN_FRONTEND")));
    assert_true(rw_env_read(S("https_proxy")));
    assert_true(rw_env_read(S("LC_ALL")));
    assert_false(rw_env_read(S("BUILD_DATE")));
    df_doc_free(doc);
    doc = parse_ok("FROM x\nRUN --mount=type=cache,target=/c true\n");
    assert_true(rw_buildkit_syntax(doc));
    df_doc_free(doc);
    doc = parse_ok("FROM x\nCOPY --chown=1:1 a /b\n");
    assert_false(rw_buildkit_syntax(doc));
    df_doc_free(doc);
}

static void test_pattern_match(void **state)
{
    (void)state;
    assert_true(ctx_match(S("*.md"), S("README.md")));
    assert_false(ctx_match(S("*.md"), S("docs/README.md")));
    assert_true(ctx_match(S("**/*.md"), S("docs/a/README.md")));
    assert_true(ctx_match(S("**/*.md"), S("README.md")));
    assert_true(ctx_match(S("node_modules"), S("node_modules")));
    assert_true(ctx_match(S("a/**"), S("a/b/c")));
    assert_true(ctx_match(S("file?.txt"), S("file1.txt")));
    assert_false(ctx_match(S("file?.txt"), S("file/.txt")));
    assert_true(ctx_match(S("[a-c]x"), S("bx")));
    assert_false(ctx_match(S("[^a-c]x"), S("bx")));
    assert_slice(ctx_clean(&arena, S("./src/../app/")), "app");
    assert_slice(ctx_clean(&arena, S("../../x")), "x");
    assert_slice(ctx_clean(&arena, S(".")), ".");
}

/* ---- a build context on disk ---- */

static char dir[64];

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int make_context(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/dfopt-ctx-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    return 0;
}

static int remove_context(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct seen {
    char names[512];
} seen;

static bool collect(void *arg, df_slice rel, ctx_kind kind)
{
    seen *s = arg;
    size_t n = strlen(s->names);
    snprintf(s->names + n, sizeof s->names - n, "%.*s%s ", (int)rel.n, rel.p,
             kind == CTX_DIR ? "/" : "");
    return true;
}

static void test_dockerignore(void **state)
{
    (void)state;
    put(".dockerignore", "# build output\n node_modules \n*.log\n!keep.log\ndocs\n!docs/api.md\n/dist/\n");
    put("package.json", "{}\n");
    put("app.log", "x\n");
    put("keep.log", "x\n");
    put("node_modules/x/index.js", "x\n");
    put("docs/guide.md", "x\n");
    put("docs/api.md", "x\n");
    put("dist/app.js", "x\n");
    put("src/a.js", "x\n");
    df_context *c = ctx_open(&arena, dir);
    assert_non_null(c);
    assert_int_equal(ctx_stat(c, S("package.json"), NULL), CTX_FILE);
    assert_int_equal(ctx_stat(c, S("node_modules"), NULL), CTX_NONE);
    assert_int_equal(ctx_stat(c, S("node_modules/x/index.js"), NULL), CTX_NONE);
    assert_int_equal(ctx_stat(c, S("app.log"), NULL), CTX_NONE);
    assert_int_equal(ctx_stat(c, S("keep.log"), NULL), CTX_FILE);
    assert_int_equal(ctx_stat(c, S("docs/guide.md"), NULL), CTX_NONE);
    assert_int_equal(ctx_stat(c, S("docs/api.md"), NULL), CTX_FILE);
    assert_int_equal(ctx_stat(c, S("dist"), NULL), CTX_NONE);
    assert_int_equal(ctx_stat(c, S("src"), NULL), CTX_DIR);
    assert_int_equal(ctx_stat(c, S("missing"), NULL), CTX_NONE);
    seen s = {""};
    assert_true(ctx_walk(c, S("."), collect, &s));
    assert_string_equal(s.names,
                        ".dockerignore docs/api.md keep.log package.json src/ src/a.js ");
    df_slice text;
    assert_true(ctx_read(c, &arena, S("package.json"), 100, &text));
    assert_slice(text, "{}\n");
    assert_false(ctx_read(c, &arena, S("app.log"), 100, &text));
    assert_null(ctx_open(&arena, "/nonexistent/dfopt"));
}

/* ---- text ---- */

static void test_splice_across_continuation(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM x\nRUN cd /app && \\\n    make\n");
    df_node *run = nth(doc, 1);
    const char *script = run->args[0].v.p;
    size_t cd = (size_t)(strstr(script, "cd") - run->logical.p);
    size_t make = (size_t)(strstr(script, "make") - run->logical.p);
    ir_edits e = {0};
    ir_edit_add(&e, cd, make - cd, S(""));
    assert_slice(rw_splice(doc, run, &e), "RUN make\n");
    df_doc_free(doc);
    /* a comment line inside the deleted range: refused */
    doc = parse_ok("FROM x\nRUN cd /app && \\\n# why\n    make\n");
    run = nth(doc, 1);
    script = run->args[0].v.p;
    cd = (size_t)(strstr(script, "cd") - run->logical.p);
    make = (size_t)(strstr(script, "make") - run->logical.p);
    ir_edit_add(&e, cd, make - cd, S(""));
    assert_null(rw_splice(doc, run, &e).p);
    df_doc_free(doc);
}

static void test_move_keeps_final_newline(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM x\nCOPY a /a\nRUN true");
    df_diags *d = df_diags_new();
    rw_move_before(doc, nth(doc, 2), nth(doc, 1), d);
    ir_check(doc, "test");
    char *out = df_doc_print(doc, NULL);
    assert_string_equal(out, "FROM x\nRUN true\nCOPY a /a");
    free(out);
    df_diags_free(d);
    df_doc_free(doc);
}

/* ---- RUN footprints ---- */

static rw_footprint footprint(df_doc **doc, const char *src, const char *wd)
{
    *doc = parse_ok(src);
    rw_footprint fp;
    rw_run_footprint(*doc, nth(*doc, 1), wd ? S(wd) : (df_slice){NULL, 0}, &fp);
    return fp;
}

static void test_footprint(void **state)
{
    (void)state;
    df_doc *doc;
    rw_footprint fp = footprint(&doc, "FROM x\nRUN apt-get update && apt-get install -y curl "
                                      "&& rm -rf /var/lib/apt/lists/*\n", NULL);
    assert_true(fp.ok);
    assert_true(fp.system);
    assert_int_equal(fp.npaths, 1);
    assert_slice(fp.paths[0], "/var/lib/apt/lists");
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN mkdir -p data/cache && chown -R app:app /srv\n", "/app");
    assert_true(fp.ok);
    assert_int_equal(fp.npaths, 2);
    assert_slice(fp.paths[0], "/app/data/cache");
    assert_slice(fp.paths[1], "/srv");
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN mkdir -p data\n", NULL); /* relative, wd unknown */
    assert_false(fp.ok);
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN ./build.sh\n", "/app");
    assert_false(fp.ok);
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN echo hi > /tmp/x\n", "/app");
    assert_false(fp.ok);
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN cd /tmp && rm -rf x\n", "/app");
    assert_false(fp.ok);
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN apt-get install -y ./local.deb\n", "/app");
    assert_true(fp.ok);
    assert_int_equal(fp.npaths, 1);
    assert_slice(fp.paths[0], "/app/local.deb");
    df_doc_free(doc);
    fp = footprint(&doc, "FROM x\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n",
                   NULL);
    assert_true(fp.ok);
    assert_slice(fp.paths[0], "/var/cache/apt");
    df_doc_free(doc);
}

/* ---- one pass at a time: the condition that decides ---- */

static char *run_pass(const char *pass, const char *src, const char *context, int *changed)
{
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", src, strlen(src), d);
    assert_non_null(doc);
    df_options o = {.level = 2, .passes = pass, .check = true, .context = context};
    int n = df_doc_optimize(doc, &o, d);
    if (changed)
        *changed = n;
    char *out = df_doc_print(doc, NULL);
    df_doc_free(doc);
    df_diags_free(d);
    return out;
}

static void assert_pass(const char *pass, const char *src, const char *want, const char *context)
{
    char *out = run_pass(pass, src, context, NULL);
    assert_string_equal(out, want);
    free(out);
}

static void assert_unchanged(const char *pass, const char *src, const char *context)
{
    assert_pass(pass, src, src, context);
}

static void test_env_form_values(void **state)
{
    (void)state;
    assert_pass("env-form", "FROM x\nENV A b c\n", "FROM x\nENV A=\"b c\"\n", NULL);
    assert_pass("env-form", "FROM x\nENV A $B:/x\n", "FROM x\nENV A=$B:/x\n", NULL);
    assert_pass("env-form", "FROM x\nLABEL a \"q\\\"x\"\n", "FROM x\nLABEL a=\"q\\\"x\"\n", NULL);
    assert_pass("env-form", "FROM x\nENV A 'x  y'\n", "FROM x\nENV A=\"x  y\"\n", NULL);
    /* quotes together with a $: refused, in either kind of quotes */
    assert_unchanged("env-form", "FROM x\nENV A 'x $y'\n", NULL);
    assert_unchanged("env-form", "FROM x\nENV A \"x $y\"\n", NULL);
}

static void test_env_merge_dependency(void **state)
{
    (void)state;
    assert_pass("env-merge", "FROM x\nENV A=1\nENV B=2\n", "FROM x\nENV A=1 \\\n    B=2\n", NULL);
    assert_unchanged("env-merge", "FROM x\nENV A=1\nENV B=$A\n", NULL);
    assert_unchanged("env-merge", "FROM x\nENV A=1\nENV B=${A:-x}\n", NULL);
    /* LABEL values are not variables: label-merge joins them regardless */
    assert_pass("label-merge", "FROM x\nLABEL a=1\nLABEL b=$a\n",
                "FROM x\nLABEL a=1 \\\n      b=$a\n", NULL);
}

static void test_cd_workdir_conditions(void **state)
{
    (void)state;
    assert_pass("cd-workdir", "FROM x\nRUN cd /opt && make\nWORKDIR /\n",
                "FROM x\nWORKDIR /opt\nRUN make\nWORKDIR /\n", NULL);
    assert_unchanged("cd-workdir", "FROM x\nRUN cd /opt; make\nWORKDIR /\n", NULL);
    assert_unchanged("cd-workdir", "FROM x\nRUN cd /opt && make\nRUN ls\nWORKDIR /\n", NULL);
    assert_unchanged("cd-workdir", "FROM x\nRUN cd /opt && make\n", NULL);
    assert_unchanged("cd-workdir", "FROM x\nSHELL [\"pwsh\", \"-c\"]\nRUN cd /opt && make\nWORKDIR /\n",
                     NULL);
    assert_pass("cd-workdir", "FROM x\nWORKDIR /opt\nRUN cd /opt && make\n",
                "FROM x\nWORKDIR /opt\nRUN make\n", NULL);
}

static void test_exec_form_conditions(void **state)
{
    (void)state;
    assert_pass("exec-form", "FROM x\nCMD node 'a b.js'\n", "FROM x\nCMD [\"node\", \"a b.js\"]\n",
                NULL);
    assert_unchanged("exec-form", "FROM x\nENTRYPOINT [\"/init\"]\nCMD node a.js\n", NULL);
    assert_unchanged("exec-form", "FROM x AS a\nENTRYPOINT [\"/init\"]\nFROM a\nCMD node a.js\n",
                     NULL);
    assert_unchanged("exec-form", "FROM x\nCMD node ~/a.js\n", NULL);
    assert_unchanged("exec-form", "FROM x\nCMD node *.js\n", NULL);
    assert_unchanged("exec-form", "FROM x\nCMD node --x={a,b}\n", NULL);
    assert_unchanged("exec-form", "FROM x\nENTRYPOINT node a.js\nCMD --x\n", NULL);
}

static void test_copy_chown_conditions(void **state)
{
    (void)state;
    put("run.sh", "#!/bin/sh\n");
    put("conf/a.yml", "a: 1\n");
    assert_pass("copy-chown", "FROM x\nWORKDIR /app\nCOPY run.sh /app/\nRUN chown u:g /app/run.sh\n",
                "FROM x\nWORKDIR /app\nCOPY --chown=u:g run.sh /app/\n", dir);
    /* the same without a build context, with a directory, without the group, outside a known
     * directory, without BuildKit syntax for --chmod */
    assert_unchanged("copy-chown", "FROM x\nWORKDIR /app\nCOPY run.sh /app/\nRUN chown u:g /app/run.sh\n",
                     NULL);
    assert_unchanged("copy-chown", "FROM x\nWORKDIR /app\nCOPY conf /app/conf\nRUN chown -R u:g /app/conf\n",
                     dir);
    assert_unchanged("copy-chown", "FROM x\nWORKDIR /app\nCOPY run.sh /app/\nRUN chown u /app/run.sh\n",
                     dir);
    assert_unchanged("copy-chown", "FROM x\nWORKDIR /app\nCOPY run.sh /opt/\nRUN chown u:g /opt/run.sh\n",
                     dir);
    assert_unchanged("copy-chown", "FROM x\nWORKDIR /app\nCOPY run.sh /app/\nRUN chmod 755 /app/run.sh\n",
                     dir);
    assert_pass("copy-chown",
                "# syntax=docker/dockerfile:1\nFROM x\nWORKDIR /app\nCOPY run.sh /app/\nRUN chmod 755 /app/run.sh\n",
                "# syntax=docker/dockerfile:1\nFROM x\nWORKDIR /app\nCOPY --chmod=755 run.sh /app/\n",
                dir);
}

/* Run on some stages only (a document of many stages run again), copy-chown asks to look at
 * every stage next time when it refused --chmod for want of BuildKit syntax, which a change in
 * another stage could bring; and it looks at the stages doc->walk marks, not the others. */
static void test_copy_chown_by_stage(void **state)
{
    (void)state;
    put("run.sh", "#!/bin/sh\n");
    const char *src = "FROM x\nWORKDIR /app\nCOPY run.sh /app/\nRUN chown u:g /app/run.sh\n"
                      "FROM y\nWORKDIR /app\nCOPY run.sh /app/\nRUN chmod 755 /app/run.sh\n";
    df_doc *doc = parse_ok(src);
    df_diags *d = df_diags_new();
    doc->context_dir = dir;
    bool second[2] = {false, true};
    doc->walk = second;
    doc->walk_all_next = false;
    assert_false(pass_copy_chown_run(doc, d)); /* the chown of stage 0 is not looked at */
    assert_true(doc->walk_all_next);
    assert_prints(doc, src);
    doc->walk = NULL;
    doc->walk_all_next = false;
    assert_true(pass_copy_chown_run(doc, d));
    assert_true(doc->walk_all_next); /* the chmod is still refused */
    assert_prints(doc, "FROM x\nWORKDIR /app\nCOPY --chown=u:g run.sh /app/\n"
                       "FROM y\nWORKDIR /app\nCOPY run.sh /app/\nRUN chmod 755 /app/run.sh\n");
    doc->context_dir = NULL;
    df_diags_free(d);
    df_doc_free(doc);
}

/* A path longer than the system allows is unknown: a chain of relative WORKDIRs cannot make
 * paths (and the WORKDIRs workdir-abs writes) grow with the square of the document. */
static void test_workdir_path_max(void **state)
{
    (void)state;
    char wd[4002], rel[101];
    wd[0] = '/';
    memset(wd + 1, 'a', 4000);
    wd[4001] = '\0';
    memset(rel, 'b', 100);
    rel[100] = '\0';
    df_doc *doc = parse_ok("FROM x\n");
    assert_int_equal(rw_wd_resolve(doc, slice_from(wd), slice_from(rel)).n, 0);
    assert_int_equal(rw_wd_resolve(doc, slice_from(wd), S("b")).n, 4003);
    assert_slice(rw_wd_resolve(doc, slice_from(wd), S("../x")), "/x");
    df_doc_free(doc);
    df_buf src = {0}, want = {0};
    buf_printf(&src, "FROM scratch\nWORKDIR %s\nWORKDIR %s\nWORKDIR c\n", wd, rel);
    assert_pass("workdir-abs", src.p, src.p, NULL); /* unknown from the second on */
    buf_printf(&want, "FROM scratch\nWORKDIR %s\nWORKDIR %s/b\n", wd, wd);
    buf_free(&src);
    buf_printf(&src, "FROM scratch\nWORKDIR %s\nWORKDIR b\n", wd);
    assert_pass("workdir-abs", src.p, want.p, NULL);
    buf_free(&src);
    buf_free(&want);
}

static void test_add_to_copy_content(void **state)
{
    (void)state;
    put("fake.tar.gz", "plain text\n");
    put("gz.bin", "\x1f\x8b\x08\x00");
    assert_pass("add-to-copy", "FROM x\nADD fake.tar.gz /x/\n", "FROM x\nCOPY fake.tar.gz /x/\n", dir);
    assert_unchanged("add-to-copy", "FROM x\nADD fake.tar.gz /x/\n", NULL);
    assert_unchanged("add-to-copy", "FROM x\nADD gz.bin /x/\n", dir);
    /* without a context nothing shows what gz.bin holds: ADD unpacks by content, not name */
    assert_unchanged("add-to-copy", "FROM x\nADD gz.bin /x/\n", NULL);
    assert_unchanged("add-to-copy", "FROM x\nADD rootfs /\n", NULL);
    assert_unchanged("add-to-copy", "FROM x\nADD missing.txt /x/\n", dir);
    assert_unchanged("add-to-copy", "FROM x\nADD https://example.com/a.txt /x/\n", NULL);
}

static void test_hoist_conditions(void **state)
{
    (void)state;
    assert_pass("hoist", "FROM x\nCOPY . /app\nRUN apt-get install -y curl\n",
                "FROM x\nRUN apt-get install -y curl\nCOPY . /app\n", NULL);
    assert_unchanged("hoist", "FROM x\nCOPY a /etc/a\nRUN apt-get install -y curl\n", NULL);
    assert_unchanged("hoist", "FROM x\nCOPY . /app\nRUN mkdir -p /app/logs\n", NULL);
    assert_pass("hoist", "FROM x\nCOPY . /app\nRUN mkdir -p /data\n",
                "FROM x\nRUN mkdir -p /data\nCOPY . /app\n", NULL);
    /* bash expands braces: /srv/{app,data} includes /srv/app */
    assert_unchanged("hoist", "FROM x\nCOPY . /srv/app\nRUN mkdir -p /srv/{app,data}\n", NULL);
    assert_unchanged("hoist", "FROM x\nCOPY . .\nRUN apt-get install -y curl\n", NULL);
    /* the COPY may create /app, the directory mkdir needs */
    assert_unchanged("hoist", "FROM x\nCOPY a.jar /app/a.jar\nRUN mkdir /app/logs\n", NULL);
    /* ... unless a WORKDIR made it */
    assert_pass("hoist", "FROM x\nWORKDIR /app\nCOPY a.jar /app/a.jar\nRUN mkdir /app/logs\n",
                "FROM x\nWORKDIR /app\nRUN mkdir /app/logs\nCOPY a.jar /app/a.jar\n", NULL);
    /* a path inside an option */
    assert_unchanged("hoist", "FROM x\nCOPY x /data/x\nRUN chown --reference=/data/x /etc/h\n",
                     NULL);
    /* ldconfig reads what ld.so.conf.d, written before, points to */
    assert_unchanged("hoist",
                     "FROM x\nCOPY a.conf /etc/ld.so.conf.d/a.conf\nCOPY lib/ /app/lib/\n"
                     "RUN ldconfig\n", NULL);
}

static void test_late_metadata_uses(void **state)
{
    (void)state;
    /* apt does not read BUILD_DATE: the ARG moves to its use */
    assert_pass("late-metadata",
                "FROM x\nARG BUILD_DATE\nRUN apt-get install -y curl\nLABEL d=$BUILD_DATE\n",
                "FROM x\nRUN apt-get install -y curl\nARG BUILD_DATE\nLABEL d=$BUILD_DATE\n", NULL);
    /* apt reads DEBIAN_FRONTEND: it stays above the RUN */
    assert_unchanged("late-metadata",
                     "FROM x\nARG DEBIAN_FRONTEND\nRUN apt-get install -y curl\nLABEL d=$DEBIAN_FRONTEND\n",
                     NULL);
    /* make may read any variable */
    assert_unchanged("late-metadata",
                     "FROM x\nARG BUILD_DATE\nRUN make\nLABEL d=$BUILD_DATE\n", NULL);
}

static void test_copy_order_manifests(void **state)
{
    (void)state;
    put("package.json", "{\"dependencies\": {\"a\": \"1\"}}\n");
    put("package-lock.json", "{}\n");
    const char *src = "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n";
    /* .dockerignore from test_dockerignore keeps node_modules out */
    assert_pass("copy-order", src,
                "FROM node\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
                "COPY . .\nRUN npm run build\n",
                dir);
    assert_unchanged("copy-order", src, NULL);
    /* npm install may rewrite package-lock.json, which the full copy would put back */
    assert_unchanged("copy-order", "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm install\n", dir);
    put("package.json", "{\"scripts\": {\"prepare\": \"husky\"}}\n");
    assert_unchanged("copy-order", src, dir);
    put("package.json", "{\"dependencies\": {\"lib\": \"file:../lib\"}}\n");
    assert_unchanged("copy-order", src, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_clean_join),
        cmocka_unit_test(test_path_relations),
        cmocka_unit_test(test_workdir_path_max),
        cmocka_unit_test(test_words_and_mounts),
        cmocka_unit_test(test_pattern_match),
        cmocka_unit_test(test_dockerignore),
        cmocka_unit_test(test_splice_across_continuation),
        cmocka_unit_test(test_move_keeps_final_newline),
        cmocka_unit_test(test_footprint),
        cmocka_unit_test(test_env_form_values),
        cmocka_unit_test(test_env_merge_dependency),
        cmocka_unit_test(test_cd_workdir_conditions),
        cmocka_unit_test(test_exec_form_conditions),
        cmocka_unit_test(test_copy_chown_conditions),
        cmocka_unit_test(test_copy_chown_by_stage),
        cmocka_unit_test(test_add_to_copy_content),
        cmocka_unit_test(test_hoist_conditions),
        cmocka_unit_test(test_late_metadata_uses),
        cmocka_unit_test(test_copy_order_manifests),
    };
    int rc = cmocka_run_group_tests(tests, make_context, remove_context);
    arena_free(&arena);
    return rc;
}
