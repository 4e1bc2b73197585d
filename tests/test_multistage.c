/*
 * test_multistage.c: the multistage and dead-stage passes and the stage graph (graph.c).
 *
 * For every split case in corpus/ the test reads the original's ENTRYPOINT/CMD on its own,
 * resolves each path the command uses (the program and every argument naming a file) against
 * the final WORKDIR and PATH, and checks over the IR of the split document that its final stage
 * holds each one: copied from the builder at the same path, or provided by the runtime image
 * (the ecosystem's runtime program, named per case). The output must re-parse.
 */
#include "testutil.h"

#include <stdio.h>
#include <sys/stat.h>

/* ---- helpers ---- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run the tests from the repository root)", path);
    df_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    buf_put(&b, "", 0);
    return b.p;
}

/* Runs the passes named by `passes` with optional runtime base / target / build context;
 * returns the output text (malloc'd) and the rendered diagnostics in *diags (malloc'd) when
 * asked. */
static char *optimize_in(df_doc *doc, const char *passes, const char *runtime_base,
                         const char *target, const char *context, char **diags)
{
    df_diags *d = df_diags_new();
    df_options o = {.level = 2, .passes = passes, .runtime_base = runtime_base,
                    .target = target, .context = context, .check = true};
    assert_true(df_doc_optimize(doc, &o, d) >= 0);
    if (diags) {
        df_buf b = {0};
        diag_render(d, &b, false);
        buf_put(&b, "", 0);
        *diags = b.p;
    }
    df_diags_free(d);
    return df_doc_print(doc, NULL);
}

static char *optimize(df_doc *doc, const char *passes, const char *runtime_base,
                      const char *target, char **diags)
{
    return optimize_in(doc, passes, runtime_base, target, NULL, diags);
}

/* The build context the golden runner gives corpus/<name>.Dockerfile: corpus/<name>/ when it
 * exists, else corpus/ (static buffer). */
static const char *context_of(const char *file)
{
    static char dir[512];
    struct stat st;
    snprintf(dir, sizeof dir, "%.*s", (int)(strlen(file) - strlen(".Dockerfile")), file);
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return dir;
    return "corpus";
}

static char *dup_slice(df_slice s)
{
    return strndup(s.p, s.n);
}

/* a/b joined as the test reads paths: absolute b alone, else dir/b, "./" dropped */
static void join(char *out, size_t cap, const char *dir, const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (p[0] == '/')
        snprintf(out, cap, "%s", p);
    else
        snprintf(out, cap, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, p);
}

static bool covers(const char *dest, const char *path)
{
    size_t n = strlen(dest);
    return strncmp(path, dest, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Does the last stage COPY --from=<builder> something to a destination covering path (with the
 * same source path), or COPY it from the build context to an absolute destination? */
static bool final_copies(const df_doc *doc, const char *path)
{
    const df_stage *last = &doc->stages[doc->nstages - 1];
    df_slice builder = doc->stages[0].name;
    for (const df_node *n = last->from; n; n = n->next) {
        df_slice from;
        if (n->kind == DF_COPY && !node_flag(n, "from", &from) && n->nargs >= 2) {
            /* a file from the build context, copied by the runtime stage itself */
            char *dst = dup_slice(n->args[n->nargs - 1].v);
            bool hit = dst[0] == '/' && covers(dst, path);
            free(dst);
            if (hit)
                return true;
            continue;
        }
        if (n->kind != DF_COPY || !node_flag(n, "from", &from) || !slice_eq(from, builder))
            continue;
        assert_int_equal(n->nargs, 2);
        char *src = dup_slice(n->args[0].v), *dst = dup_slice(n->args[1].v);
        bool same = strcmp(src, dst) == 0, hit = covers(dst, path);
        free(src);
        free(dst);
        assert_true(same);
        if (hit)
            return true;
    }
    return false;
}

/* Does the last stage set ENV PATH with dir in it? */
static bool final_path_has(const df_doc *doc, const char *dir)
{
    const df_stage *last = &doc->stages[doc->nstages - 1];
    for (const df_node *n = last->from; n; n = n->next)
        for (size_t k = 0; n->kind == DF_ENV && k + 1 < n->nargs; k += 3)
            if (slice_eq_str(n->args[k].v, "PATH") &&
                memmem(n->args[k + 1].v.p, n->args[k + 1].v.n, dir, strlen(dir)))
                return true;
    return false;
}

static bool looks_like_file(const char *a)
{
    if (strstr(a, "://") || a[0] == '-')
        return false;
    if (strchr(a, '/'))
        return true;
    const char *dot = strrchr(a, '.');
    if (!dot || dot == a || !((dot[1] >= 'a' && dot[1] <= 'z') || (dot[1] >= 'A' && dot[1] <= 'Z')))
        return false;
    return strchr(a, ':') == NULL;
}

typedef struct split_case {
    const char *file;
    const char *runtime;   /* the runtime stage's base */
    const char *provided;  /* the program the runtime image itself provides, or NULL */
} split_case;

static const split_case cases[] = {
    {"corpus/multistage-go.Dockerfile", "gcr.io/distroless/static-debian12", NULL},
    {"corpus/multistage-rust.Dockerfile", "rust:1.77-bookworm", NULL},
    {"corpus/multistage-node.Dockerfile", "node:20-bookworm-slim", "node"},
    {"corpus/multistage-java.Dockerfile", "eclipse-temurin:17-jre", "java"},
    {"corpus/multistage-c.Dockerfile", "debian:bookworm", NULL},
    {"corpus/multistage-python.Dockerfile", "python:3.12-slim", NULL},
    {"corpus/multistage-dotnet.Dockerfile", "mcr.microsoft.com/dotnet/aspnet:8.0", "dotnet"},
};

/* The final stage holds every path the original's (exec-form) ENTRYPOINT + CMD uses. */
static void check_split(const split_case *c)
{
    char *src = read_file(c->file);
    df_doc *orig = parse_ok(src);
    /* the original's command, WORKDIR and PATH, read from its instructions */
    const char *argv[32];
    size_t argc = 0;
    char workdir[256] = "/";
    const df_node *entry = NULL, *cmd = NULL;
    for (const df_node *n = orig->head; n; n = n->next) {
        if (n->kind == DF_WORKDIR) {
            char *w = dup_slice(n->args[0].v), tmp[256];
            join(tmp, sizeof tmp, workdir, w);
            snprintf(workdir, sizeof workdir, "%s", tmp);
            free(w);
        }
        if (n->kind == DF_ENTRYPOINT)
            entry = n;
        if (n->kind == DF_CMD)
            cmd = n;
    }
    for (const df_node *n = entry; n; n = n == entry ? cmd : NULL) {
        assert_true(n->flags & DF_N_JSON);
        for (size_t i = 0; i < n->nargs; i++)
            argv[argc++] = dup_slice(n->args[i].v);
    }
    if (!entry)
        for (size_t i = 0; i < cmd->nargs; i++)
            argv[argc++] = dup_slice(cmd->args[i].v);
    assert_true(argc > 0);

    df_doc *doc = parse_ok(src);
    char *out = optimize_in(doc, "multistage", NULL, NULL, context_of(c->file), NULL);
    /* the output re-parses, with a builder and a runtime stage */
    df_doc *split = parse_ok(out);
    if (split->nstages != 2)
        fail_msg("%s: %zu stages after the split", c->file, split->nstages);
    assert_true(split->stages[0].name.n > 0);
    assert_slice(split->stages[1].base, c->runtime);

    size_t checked = 0;
    for (size_t i = 0; i < argc; i++) {
        const char *a = argv[i];
        char p[512];
        if (i == 0 && !strchr(a, '/')) {
            if (c->provided && strcmp(a, c->provided) == 0)
                continue; /* the runtime image's own program */
            /* a name: a copied file in a standard PATH directory, or a copied directory
             * whose bin/ the final stage puts on PATH */
            static const char *const dirs[] = {"/usr/local/bin", "/usr/bin", "/bin"};
            bool found = false;
            for (size_t k = 0; k < 3 && !found; k++) {
                snprintf(p, sizeof p, "%s/%s", dirs[k], a);
                found = final_copies(split, p);
            }
            for (const df_node *n = split->stages[1].from; n && !found; n = n->next) {
                df_slice from;
                if (n->kind == DF_COPY && node_flag(n, "from", &from)) {
                    char *dst = dup_slice(n->args[1].v), bin[300];
                    snprintf(bin, sizeof bin, "%s/bin", dst);
                    found = final_path_has(split, bin);
                    free(dst);
                }
            }
            if (!found)
                fail_msg("%s: the program %s is not in the final stage", c->file, a);
            checked++;
            continue;
        }
        if (!looks_like_file(a))
            continue;
        join(p, sizeof p, workdir, a);
        if (!final_copies(split, p))
            fail_msg("%s: %s (%s) is not copied into the final stage", c->file, a, p);
        checked++;
    }
    assert_true(checked > 0);
    for (size_t i = 0; i < argc; i++)
        free((char *)argv[i]);
    free(out);
    df_doc_free(split);
    df_doc_free(doc);
    df_doc_free(orig);
    free(src);
}

static void test_split_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_split(&cases[i]);
}

/* ---- refusals ---- */

typedef struct refusal {
    const char *file;
    const char *why; /* a fragment of the note */
} refusal;

static const refusal refusals[] = {
    {"corpus/multistage-go-refused.Dockerfile", "`go build` without -o"},
    {"corpus/multistage-rust-refused.Dockerfile", "`cargo install --path` without --root"},
    {"corpus/multistage-node-refused.Dockerfile", "package script (npm)"},
    {"corpus/multistage-java-refused.Dockerfile", "wildcard (target/*.jar)"},
    {"corpus/multistage-c-refused.Dockerfile", "into /usr/local, which the base image shares"},
    {"corpus/multistage-python-refused.Dockerfile", "system site-packages"},
    {"corpus/multistage-dotnet-refused.Dockerfile", "`dotnet publish` without -o"},
    {"corpus/multistage-alpine-cxx-refused.Dockerfile", "a C/C++ build on Alpine"},
    {"corpus/multistage-script-refused.Dockerfile", "the program /src/run.sh is a file the build "
                                                    "context may have put there"},
    {"corpus/multistage-beside-refused.Dockerfile", "writes /out/static beside /out/app"},
    {"corpus/multistage-go-assets-refused.Dockerfile", "the source tree holds static"},
};

static void test_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++) {
        char *src = read_file(refusals[i].file), *diags;
        df_doc *doc = parse_ok(src);
        char *out = optimize_in(doc, "multistage", NULL, NULL, context_of(refusals[i].file),
                                &diags);
        assert_string_equal(out, src);
        if (!strstr(diags, "note: multistage: not split") || !strstr(diags, refusals[i].why))
            fail_msg("%s: expected a note with '%s', got:\n%s", refusals[i].file,
                     refusals[i].why, diags);
        free(diags);
        free(out);
        df_doc_free(doc);
        free(src);
    }
}

/* A chain of relative WORKDIRs longer than the system allows: not split (and the walk stops
 * there, so the paths it joins stay short). */
static void test_long_workdir_refused(void **state)
{
    (void)state;
    char *go = read_file("corpus/multistage-go.Dockerfile");
    const char *at = strstr(go, "WORKDIR /src\n");
    assert_non_null(at);
    at += strlen("WORKDIR /src\n");
    df_buf src = {0};
    buf_put(&src, go, (size_t)(at - go));
    for (int i = 0; i < 500; i++)
        buf_puts(&src, "WORKDIR dddddddd\n");
    buf_puts(&src, at);
    df_doc *doc = parse_ok(src.p);
    char *diags;
    char *out = optimize_in(doc, "multistage", NULL, NULL, "corpus/multistage-go", &diags);
    assert_string_equal(out, src.p);
    assert_non_null(strstr(diags, "the working directory is longer than the system allows"));
    free(diags);
    free(out);
    df_doc_free(doc);
    buf_free(&src);
    free(go);
}

/* A relative WORKDIR before any absolute one is relative to the base image's directory,
 * which only the image knows (golang's is /go): not split, rather than guessed as /. */
static void test_relative_workdir_refused(void **state)
{
    (void)state;
    char *go = read_file("corpus/multistage-go.Dockerfile");
    char *at = strstr(go, "WORKDIR /src\n");
    assert_non_null(at);
    char *slash = at + strlen("WORKDIR ");
    memmove(slash, slash + 1, strlen(slash + 1) + 1); /* WORKDIR src */
    df_doc *doc = parse_ok(go);
    char *diags;
    char *out = optimize_in(doc, "multistage", NULL, NULL, "corpus/multistage-go", &diags);
    assert_string_equal(out, go);
    assert_non_null(strstr(diags, "the relative WORKDIR src is used with no WORKDIR set"));
    free(diags);
    free(out);
    df_doc_free(doc);
    free(go);
}

/* A refusal is silent unless the pass was asked for by name. */
static void test_refusal_silent_at_O2(void **state)
{
    (void)state;
    char *src = read_file("corpus/multistage-go-refused.Dockerfile"), *diags;
    df_doc *doc = parse_ok(src);
    char *out = optimize(doc, NULL, NULL, NULL, &diags);
    assert_null(strstr(diags, "multistage"));
    free(diags);
    free(out);
    df_doc_free(doc);
    free(src);
}

static char *split_text(const char *src, const char *runtime_base)
{
    df_doc *doc = parse_ok(src);
    char *out = optimize(doc, "multistage", runtime_base, NULL, NULL);
    df_doc_free(doc);
    return out;
}

static void test_runtime_base_override(void **state)
{
    (void)state;
    char *src = read_file("corpus/multistage-rust.Dockerfile");
    char *out = split_text(src, "debian:bookworm-slim");
    assert_non_null(strstr(out, "\nFROM debian:bookworm-slim\n"));
    assert_non_null(strstr(out, "FROM rust:1.77-bookworm AS build\n"));
    free(out);
    free(src);
}

static void test_node_package_managers(void **state)
{
    (void)state;
    char *out = split_text("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
                           "RUN yarn build\nCMD [\"node\", \"build/index.js\"]\n", NULL);
    /* development dependencies are dropped at the end of the build RUN */
    assert_non_null(strstr(out, "RUN yarn build && yarn install --production --frozen-lockfile "
                                "--ignore-scripts --prefer-offline\n\nFROM node:20\n"));
    assert_non_null(strstr(out, "COPY --from=build /app/build /app/build\n"));
    free(out);
    out = split_text("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install\n"
                     "RUN pnpm run build\nCMD [\"node\", \"dist/main.js\"]\n", NULL);
    assert_non_null(strstr(out, "RUN pnpm run build && pnpm prune --prod\n"));
    free(out);
    /* Node 14's npm knows --production, not --omit=dev */
    out = split_text("FROM node:14\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
                     "RUN npm run build\nCMD [\"node\", \"dist/main.js\"]\n", NULL);
    assert_non_null(strstr(out, "RUN npm run build && npm prune --production\n"));
    free(out);
    /* a build that changed directory prunes in the project directory */
    out = split_text("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN cd web && npm ci\n"
                     "RUN cd web && npm run build\nCMD [\"node\", \"web/dist/main.js\"]\n", NULL);
    assert_non_null(strstr(out, "RUN cd web && npm run build && cd /app/web && "
                                "npm prune --omit=dev\n"));
    assert_non_null(strstr(out, "COPY --from=build /app/web/dist /app/web/dist\n"));
    assert_non_null(strstr(out, "COPY --from=build /app/web/node_modules /app/web/node_modules\n"));
    free(out);
}

/* A Go binary that is not known static stays on the golang image; a shell CMD too. */
static void test_go_runtime_base(void **state)
{
    (void)state;
    char *out = split_text("FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\n"
                           "RUN go build -o /app .\nCMD [\"/app\"]\n", NULL);
    assert_non_null(strstr(out, "\nFROM golang:1.22\n"));
    free(out);
    out = split_text("FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum main.go ./\n"
                     "RUN CGO_ENABLED=0 go build -o /app .\nCMD /app serve\n", NULL);
    assert_non_null(strstr(out, "\nFROM golang:1.22\n"));
    free(out);
    out = split_text("FROM golang:1.22\nWORKDIR /src\nCOPY main.go go.mod ./\n"
                     "RUN CGO_ENABLED=0 go build -o /app .\nCMD [\"/app\", \"serve\"]\n", NULL);
    assert_non_null(strstr(out, "\nFROM gcr.io/distroless/static-debian12\n"));
    assert_non_null(strstr(out, "COPY --from=build /app /app\n"));
    free(out);
}

/* What the split must never do: leave a file the command uses behind, or split twice. */
static void test_unsafe_inputs_refused(void **state)
{
    (void)state;
    static const char *const unsafe[] = {
        /* a config file made by a RUN outside the build's directories */
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN mkdir -p /data\n"
        "RUN go build -o /app .\nCMD [\"/app\"]\n",
        /* a build step after the build */
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"
        "RUN go test ./...\nCMD [\"/app\"]\n",
        /* the program is a script from the source tree */
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"
        "CMD [\"./run.sh\"]\n",
        /* no WORKDIR: the base image's working directory is not known */
        "FROM golang:1.22\nCOPY . .\nRUN go build -o app .\nCMD [\"./app\"]\n",
        /* the build runs as a non-root user */
        "FROM node:20\nWORKDIR /app\nUSER node\nCOPY . .\nRUN npm ci\nRUN npm run build\n"
        "CMD [\"node\", \"dist/main.js\"]\n",
        /* already two stages */
        "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\n"
        "COPY --from=build /app /app\n",
        /* no build context: COPY . . may bring templates the Go program reads */
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n",
        /* a shell runs a script of the source tree (which runs what make built) */
        "FROM debian:12\nRUN apt-get update && apt-get install -y gcc make\nWORKDIR /src\n"
        "COPY Makefile main.c run.sh ./\nRUN make\nCMD [\"sh\", \"/src/run.sh\"]\n",
        /* files copied beside the program */
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\n"
        "RUN go build -o /out/app . && cp main.go /out/main.go\nCMD [\"/out/app\"]\n",
        /* C on Alpine without libgcc named */
        "FROM alpine:3.19\nRUN apk add --no-cache gcc musl-dev make\nWORKDIR /src\n"
        "COPY hello.c ./\nRUN make hello\nCMD [\"/src/hello\"]\n",
    };
    for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++) {
        char *out = split_text(unsafe[i], NULL);
        if (strcmp(out, unsafe[i]) != 0)
            fail_msg("case %zu was split:\n%s", i, out);
        free(out);
    }
}

/* On Alpine a C++ build splits when the runtime libraries are installed by name: the runtime
 * stage repeats that install without the compilers. */
static void test_alpine_cxx_runtime_libraries(void **state)
{
    (void)state;
    const char *src = "FROM alpine:3.19\nRUN apk add --no-cache g++ make libstdc++ libgcc\n"
                      "WORKDIR /src\nCOPY . .\nRUN make\nCMD [\"/src/app\"]\n";
    df_doc *doc = parse_ok(src);
    char *out = optimize_in(doc, "multistage", NULL, NULL,
                            "corpus/multistage-alpine-cxx-refused", NULL);
    assert_non_null(strstr(out, "\nFROM alpine:3.19\nRUN apk add --no-cache libstdc++ libgcc\n"));
    assert_non_null(strstr(out, "COPY --from=build /src/app /src/app\n"));
    free(out);
    df_doc_free(doc);
}

/* ---- the stage graph and dead-stage ---- */

static void test_graph_live(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM a AS one\nFROM b AS two\nRUN --mount=type=bind,from=one,target=/x true\n"
                           "FROM c AS three\nFROM scratch\nCOPY --from=two /x /x\n");
    graph g;
    graph_build(doc, &g);
    assert_false(g.uncertain);
    bool live[4];
    graph_live(doc, &g, graph_target(doc, NULL), live);
    assert_true(live[0] && live[1] && !live[2] && live[3]);
    graph_live(doc, &g, graph_target(doc, "THREE"), live);
    assert_true(!live[0] && !live[1] && live[2] && !live[3]);
    assert_int_equal(graph_target(doc, "nope"), -1);
    df_doc_free(doc);
    doc = parse_ok("FROM a AS one\nFROM scratch\nARG S=one\nCOPY --from=$S /x /x\n");
    graph_build(doc, &g);
    assert_true(g.uncertain);
    df_doc_free(doc);
    /* a FROM naming its stage with a build argument: its default is not the only choice */
    doc = parse_ok("ARG MODE=release\nFROM a AS build-debug\nFROM a AS build-release\n"
                   "FROM build-${MODE}\n");
    graph_build(doc, &g);
    assert_true(g.uncertain);
    graph_live(doc, &g, graph_target(doc, NULL), live);
    assert_true(live[0] && live[1] && live[2]);
    df_doc_free(doc);
    doc = parse_ok("FROM a AS one\nFROM scratch\nRUN --mount=from=${S},target=/x true\n");
    graph_build(doc, &g);
    assert_true(g.uncertain);
    df_doc_free(doc);
}

static void test_dead_stage(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("# syntax=docker/dockerfile:1\n# the tools stage\nFROM alpine AS tools\n"
                           "RUN apk add git\nFROM golang AS build\nRUN go build -o /app .\n"
                           "FROM scratch\nCOPY --from=1 /app /app\n");
    char *out = optimize(doc, "dead-stage", NULL, NULL, NULL);
    assert_string_equal(out, "# syntax=docker/dockerfile:1\nFROM golang AS build\n"
                             "RUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\n");
    free(out);
    df_doc_free(doc);
    /* --target keeps what the named stage needs, and drops the rest */
    doc = parse_ok("ARG V=1\nFROM alpine AS tools\nFROM golang AS build\nFROM scratch\n"
                   "COPY --from=build /app /app\n");
    out = optimize(doc, "dead-stage", NULL, "tools", NULL);
    assert_string_equal(out, "ARG V=1\nFROM alpine AS tools\n");
    free(out);
    df_doc_free(doc);
    /* a numeric mount reference that would change: nothing removed */
    const char *mount = "FROM alpine AS unused\nFROM alpine AS a\nFROM alpine\n"
                        "RUN --mount=type=bind,from=1,target=/a true\n";
    doc = parse_ok(mount);
    out = optimize(doc, "dead-stage", NULL, NULL, NULL);
    assert_string_equal(out, mount);
    free(out);
    df_doc_free(doc);
}

static void test_graph_print(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM golang AS build\nFROM alpine AS \"x\"\nFROM scratch\n"
                           "COPY --from=build /a /a\nCOPY --from=build /b /b\n");
    graph g;
    graph_build(doc, &g);
    df_buf b = {0};
    graph_print(doc, &g, 2, GRAPH_DOT, &b);
    /* one edge per (stage, stage, kind), the dead stage dashed, the target bold */
    assert_non_null(strstr(b.p, "s0 -> s2 [label=\"COPY\", style=dashed];\n"));
    assert_null(strstr(strstr(b.p, "s0 -> s2") + 1, "s0 -> s2"));
    assert_non_null(strstr(b.p, "s1 [label=\"\\\"x\\\"\", style=\"rounded,dashed\""));
    assert_non_null(strstr(b.p, "s2 [label=\"stage 2\", penwidth=2.5];"));
    b.len = 0;
    graph_print(doc, &g, 2, GRAPH_MERMAID, &b);
    assert_non_null(strstr(b.p, "flowchart LR\n"));
    assert_non_null(strstr(b.p, "s1[\"#quot;x#quot;\"]\n"));
    assert_non_null(strstr(b.p, "  class s1 dead\n"));
    buf_free(&b);
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_cases),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_long_workdir_refused),
        cmocka_unit_test(test_relative_workdir_refused),
        cmocka_unit_test(test_refusal_silent_at_O2),
        cmocka_unit_test(test_runtime_base_override),
        cmocka_unit_test(test_node_package_managers),
        cmocka_unit_test(test_go_runtime_base),
        cmocka_unit_test(test_unsafe_inputs_refused),
        cmocka_unit_test(test_alpine_cxx_runtime_libraries),
        cmocka_unit_test(test_graph_live),
        cmocka_unit_test(test_dead_stage),
        cmocka_unit_test(test_graph_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
