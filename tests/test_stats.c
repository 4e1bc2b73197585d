/*
 * test_stats.c: the figures of `dfopt --stats` (stats.c): counts, the cache-busting distance,
 * package installs without cleanup per manager, the bytes COPY brings in from a context, the
 * passes reported by df_options.pass_fired, and the JSON rendering.
 */
#include "testutil.h"
#include "stats.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static df_stats collect(df_doc *doc, const char *ctx)
{
    df_stats s;
    stats_collect(doc, ctx, &s);
    return s;
}

static void test_counts(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("ARG V=1\n"
                           "FROM golang:1.22 AS build\n"
                           "WORKDIR /src\n"
                           "COPY go.mod go.sum ./\n"
                           "RUN go mod download\n"
                           "COPY . .\n"
                           "RUN go build -o /app\n"
                           "RUN go vet ./...\n"
                           "FROM scratch\n"
                           "COPY --from=build /app /app\n"
                           "ENTRYPOINT [\"/app\"]\n");
    df_stats s = collect(doc, NULL);
    assert_int_equal(s.stages, 2);
    assert_int_equal(s.instructions, 11);
    assert_int_equal(s.layers, 6); /* 2 COPYs from the context, 3 RUNs, COPY --from */
    assert_int_equal(s.context_copy_line, 6);
    assert_int_equal(s.after_context_copy, 2); /* the two RUNs after COPY . . in its stage */
    assert_int_equal(s.ninstalls, 0);
    assert_null(s.copies);
    df_doc_free(doc);
}

static void test_context_copy_per_stage(void **state)
{
    (void)state;
    /* `./` and `*` copy the whole context too; a --from copy does not; each stage counts from
     * its own first one; comment lines move the reported line */
    df_doc *doc = parse_ok("FROM a\n"
                           "COPY --from=other . /x\n"
                           "# the sources\n"
                           "COPY ./ /src\n"
                           "RUN make\n"
                           "COPY . /again\n"
                           "FROM b\n"
                           "COPY * /app/\n"
                           "RUN true\n");
    df_stats s = collect(doc, NULL);
    assert_int_equal(s.context_copy_line, 4);
    assert_int_equal(s.after_context_copy, 3); /* RUN make, COPY . /again; RUN true */
    df_doc_free(doc);

    doc = parse_ok("FROM a\nCOPY src/ /src\nRUN make\n");
    s = collect(doc, NULL);
    assert_int_equal(s.context_copy_line, 0);
    assert_int_equal(s.after_context_copy, 0);
    df_doc_free(doc);
}

/* The managers of the installs of src that nothing cleans up, space-separated, with packages
 * in parentheses: "apt-get(curl git) pip()". */
static char *uncleaned(const char *src)
{
    df_doc *doc = parse_ok(src);
    df_stats s = collect(doc, NULL);
    df_buf b = {0};
    for (size_t i = 0; i < s.ninstalls; i++) {
        buf_printf(&b, "%s%zu:%s(", i ? " " : "", s.installs[i].line, s.installs[i].manager);
        for (size_t j = 0; j < s.installs[i].npackages; j++)
            buf_printf(&b, "%s" SLICE_FMT, j ? " " : "", SLICE_ARG(s.installs[i].packages[j]));
        buf_putc(&b, ')');
    }
    df_doc_free(doc);
    if (!b.p)
        buf_puts(&b, "");
    return b.p;
}

static void assert_uncleaned(const char *src, const char *want)
{
    char *got = uncleaned(src);
    if (strcmp(got, want) != 0)
        fail_msg("for:\n%s\nexpected '%s', got '%s'", src, want, got);
    free(got);
}

static void test_installs_apt(void **state)
{
    (void)state;
    assert_uncleaned("FROM debian\nRUN apt-get update && apt-get install -y curl git\n",
                     "2:apt-get(curl git)");
    assert_uncleaned("FROM debian\n"
                     "RUN apt-get update \\\n"
                     "    && apt-get install -y --no-install-recommends curl \\\n"
                     "    && rm -rf /var/lib/apt/lists/*\n",
                     "");
    /* apt-get clean keeps the index files: not a cleanup */
    assert_uncleaned("FROM debian\nRUN apt-get install -y curl && apt-get clean\n",
                     "2:apt-get(curl)");
    /* a cleanup before the install, or in another RUN, does not clean it */
    assert_uncleaned("FROM debian\n"
                     "RUN rm -rf /var/lib/apt/lists/* && apt install -y jq\n"
                     "RUN rm -rf /var/lib/apt/lists/*\n",
                     "2:apt(jq)");
    /* options with values are not packages; sudo is seen through */
    assert_uncleaned("FROM debian\n"
                     "RUN sudo apt-get -o Dpkg::Use-Pty=0 install -y -t bookworm vim\n",
                     "2:apt-get(vim)");
    /* a cache mount over the lists */
    assert_uncleaned("FROM debian\n"
                     "RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n"
                     "    apt-get update && apt-get install -y curl\n",
                     "");
    /* apt-get update alone installs nothing */
    assert_uncleaned("FROM debian\nRUN apt-get update\n", "");
}

static void test_installs_others(void **state)
{
    (void)state;
    assert_uncleaned("FROM alpine\nRUN apk add curl && apk add --no-cache git\n",
                     "2:apk(curl)");
    assert_uncleaned("FROM alpine\nRUN apk add -t .deps gcc && rm -rf /var/cache/apk/*\n", "");
    assert_uncleaned("FROM fedora\nRUN dnf install -y gcc make && dnf clean all\n", "");
    assert_uncleaned("FROM rockylinux\nRUN yum install -y gcc\n", "2:yum(gcc)");
    assert_uncleaned("FROM opensuse/leap\nRUN zypper -n in curl && zypper clean -a\n", "");
    assert_uncleaned("FROM python\n"
                     "RUN pip install -r requirements.txt flask \\\n"
                     " && pip3 install --no-cache-dir gunicorn \\\n"
                     " && python3 -m pip install -U pip\n",
                     "2:pip(flask) 2:pip(pip)");
    assert_uncleaned("FROM python\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n", "");
    assert_uncleaned("FROM python\nENV PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install flask\n",
                     "4:pip(flask)");
    assert_uncleaned("FROM python\nRUN pip install flask && rm -rf ~/.cache/pip\n", "");
    assert_uncleaned("FROM node\nRUN npm ci && npm cache clean --force\n", "");
    assert_uncleaned("FROM node\nRUN npm install -g typescript\n", "2:npm(typescript)");
    assert_uncleaned("FROM node\nRUN yarn --frozen-lockfile\n", "2:yarn()");
    assert_uncleaned("FROM node\nRUN yarn install && yarn cache clean\n", "");
    assert_uncleaned("FROM node\nRUN npm run build\n", "");
}

static void test_installs_forms(void **state)
{
    (void)state;
    /* exec form through a shell, and a heredoc script (cleanup in the same heredoc) */
    assert_uncleaned("FROM debian\nRUN [\"/bin/sh\", \"-c\", \"apt-get install -y curl\"]\n",
                     "2:apt-get(curl)");
    assert_uncleaned("FROM debian\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n", "");
    assert_uncleaned("FROM debian\n"
                     "RUN <<EOF\n"
                     "apt-get update\n"
                     "apt-get install -y curl\n"
                     "rm -rf /var/lib/apt/lists/*\n"
                     "EOF\n",
                     "");
    assert_uncleaned("FROM debian\n"
                     "RUN <<EOF\n"
                     "apk add curl\n"
                     "EOF\n",
                     "2:apk(curl)");
    /* a script the sh model cannot read is not counted */
    assert_uncleaned("FROM debian\nRUN apt-get install -y 'curl\n", "");
}

static void write_file(const char *path, size_t size)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc('x', f);
    assert_int_equal(fclose(f), 0);
}

static void test_copy_bytes(void **state)
{
    (void)state;
    char dir[] = "/tmp/dfopt-stats-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/src", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/cache", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/src/a.c", dir);
    write_file(p, 100);
    snprintf(p, sizeof p, "%s/src/b.h", dir);
    write_file(p, 20);
    snprintf(p, sizeof p, "%s/cache/big", dir);
    write_file(p, 5000);
    snprintf(p, sizeof p, "%s/go.mod", dir);
    write_file(p, 7);
    snprintf(p, sizeof p, "%s/.dockerignore", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("cache\n", f); /* 6 bytes */
    assert_int_equal(fclose(f), 0);

    df_doc *doc = parse_ok("FROM a AS build\n"
                           "COPY go.mod ./\n"
                           "COPY . .\n"
                           "COPY --exclude=*.h src /src\n"
                           "COPY src/*.c missing.txt /x/\n"
                           "COPY --from=build /a /b\n"
                           "ADD https://example.com/f /f\n"
                           "COPY $SRC /y\n"
                           "COPY <<EOF /etc/motd\n"
                           "hi\n"
                           "EOF\n");
    df_stats s = collect(doc, dir);
    assert_int_equal(s.ncopies, 4); /* --from, URL-only, variable-only and heredoc-only: none */
    assert_int_equal(s.copies[0].line, 2);
    assert_int_equal(s.copies[0].files, 1);
    assert_int_equal(s.copies[0].bytes, 7);
    /* . minus .dockerignore'd cache/: .dockerignore, go.mod, src/a.c, src/b.h */
    assert_int_equal(s.copies[1].files, 4);
    assert_int_equal(s.copies[1].bytes, 6 + 7 + 100 + 20);
    assert_true(s.copies[1].complete);
    assert_int_equal(s.copies[2].files, 1);
    assert_int_equal(s.copies[2].bytes, 100);
    assert_int_equal(s.copies[3].line, 5);
    assert_int_equal(s.copies[3].files, 1);
    assert_int_equal(s.copies[3].bytes, 100);
    assert_slice(s.copies[3].text, "COPY src/*.c missing.txt /x/");
    df_doc_free(doc);

    const char *rm[] = {"src/a.c", "src/b.h", "cache/big", "go.mod", ".dockerignore", "src",
                        "cache"};
    for (size_t i = 0; i < sizeof rm / sizeof rm[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, rm[i]);
        assert_int_equal(remove(p), 0);
    }
    assert_int_equal(rmdir(dir), 0);
}

static void note(void *arg, const char *pass)
{
    df_buf *b = arg;
    buf_printf(b, "%s;", pass);
}

static void test_fired_and_json(void **state)
{
    (void)state;
    df_doc *doc = parse_ok("FROM debian\n"
                           "MAINTAINER Jane <j@example.com>\n"
                           "RUN apt-get install -y \"curl\"\n");
    df_stats before = collect(doc, NULL);
    df_buf fired = {0};
    df_options o = {.level = 1, .passes = "maintainer", .pass_fired = note,
                    .pass_fired_arg = &fired};
    df_diags *d = df_diags_new();
    assert_int_equal(df_doc_optimize(doc, &o, d), 1);
    assert_string_equal(fired.p, "maintainer;");
    /* nothing fires the second time */
    fired.len = 0;
    fired.p[0] = '\0';
    assert_int_equal(df_doc_optimize(doc, &o, d), 0);
    assert_int_equal(fired.len, 0);
    df_diags_free(d);
    buf_free(&fired);

    df_stats after = collect(doc, NULL);
    const char *names[] = {"maintainer"};
    df_buf b = {0};
    stats_print_json(&b, "dir/Dockerfile", &before, &after, names, 1);
    assert_string_equal(
        b.p,
        "{\"file\":\"dir/Dockerfile\",\"passes_fired\":[\"maintainer\"],"
        "\"before\":{\"stages\":1,\"instructions\":3,\"layers\":1,\"context_copy_line\":null,"
        "\"after_context_copy\":0,\"installs_without_cleanup\":[{\"line\":3,"
        "\"manager\":\"apt-get\",\"packages\":[\"curl\"]}]},"
        "\"after\":{\"stages\":1,\"instructions\":3,\"layers\":1,\"context_copy_line\":null,"
        "\"after_context_copy\":0,\"installs_without_cleanup\":[{\"line\":3,"
        "\"manager\":\"apt-get\",\"packages\":[\"curl\"]}]}}\n");
    b.len = 0;
    stats_print_text(&b, "dir/Dockerfile", &before, &after, names, 1);
    assert_non_null(strstr(b.p, "passes fired: maintainer\n"));
    assert_non_null(strstr(b.p, "  installs without cleanup (lines of the optimized file):\n"
                                "    line 3: apt-get install curl\n"));
    buf_free(&b);
    df_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_context_copy_per_stage),
        cmocka_unit_test(test_installs_apt),
        cmocka_unit_test(test_installs_others),
        cmocka_unit_test(test_installs_forms),
        cmocka_unit_test(test_copy_bytes),
        cmocka_unit_test(test_fired_and_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
