/*
 * fuzz_lint: `dfopt lint` and its output formats on arbitrary bytes.
 *
 * The input is written to a file and linted at -O2 through lint_main, exactly as the command
 * runs, in one format picked by a hash of the input (all eight per input would be eight times
 * slower; the fuzzer varies the input, so every format is exercised). Whatever the input, the
 * exit status is 0, 1 or 2 and the report is well-formed for the tool that reads it:
 *   json, sarif, rdjson, gitlab   one JSON value (strict RFC 8259, valid UTF-8)
 *   rdjsonl                       one JSON value per line
 *   github                        every line a workflow command (`::...`), so a message cannot
 *                                 start a command of its own
 *   checkstyle                    XML without the control characters XML 1.0 forbids and with
 *                                 every '&' starting an entity
 *   tty (no colour)               no escape character, so a Dockerfile cannot drive the terminal
 */
#include "fuzz.h"
#include "../compiler/lint.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void put_file(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        fuzz_fail("cannot write %s: %s", path, strerror(errno));
}

static char *get_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    df_buf b = {0};
    buf_put(&b, "", 0);
    if (!f)
        return b.p; /* no report written */
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, k);
    fclose(f);
    *n = b.len;
    return b.p;
}

static bool xml_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return false;
        if (c == '&') {
            static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
                                               "&#"};
            bool ent = false;
            for (size_t e = 0; e < sizeof ents / sizeof *ents; e++)
                ent = ent || strncmp(s + i, ents[e], strlen(ents[e])) == 0;
            if (!ent)
                return false;
        }
    }
    return true;
}

static void check(const char *fmt, const char *s, size_t n)
{
    if (!strcmp(fmt, "json") || !strcmp(fmt, "sarif") || !strcmp(fmt, "rdjson") ||
        !strcmp(fmt, "gitlab")) {
        if (!fuzz_json_valid(s, n))
            fuzz_fail("lint --format=%s: not one valid JSON value:\n%s", fmt, s);
        return;
    }
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        if (!strcmp(fmt, "rdjsonl") && e > i && !fuzz_json_valid(s + i, e - i))
            fuzz_fail("lint --format=rdjsonl: line not valid JSON:\n%.*s", (int)(e - i), s + i);
        if (!strcmp(fmt, "github") && e > i && (e - i < 2 || s[i] != ':' || s[i + 1] != ':'))
            fuzz_fail("lint --format=github: a line that is not a workflow command:\n%.*s",
                      (int)(e - i), s + i);
        i = e + 1;
    }
    if (!strcmp(fmt, "checkstyle") && !xml_ok(s, n))
        fuzz_fail("lint --format=checkstyle: not well-formed XML text:\n%s", s);
    if (!strcmp(fmt, "tty") && memchr(s, '\033', n))
        fuzz_fail("lint --format=tty --color=never: an escape character reached the output");
}

static char path[128], out[128];

static void clean_up(void)
{
    unlink(path);
    unlink(out);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        /* in memory where there is a tmpfs: the file is rewritten for every input */
        snprintf(dir, sizeof dir, "%s", "/dev/shm/dfopt-fuzz-lint-XXXXXX");
        if (!mkdtemp(dir)) {
            snprintf(dir, sizeof dir, "%s", "/tmp/dfopt-fuzz-lint-XXXXXX");
            if (!mkdtemp(dir))
                fuzz_fail("mkdtemp: %s", strerror(errno));
        }
        snprintf(path, sizeof path, "%s/Dockerfile", dir);
        snprintf(out, sizeof out, "%s/report", dir);
        atexit(clean_up);
    }
    put_file(path, (const char *)data, size);
    static const char *const formats[] = {"tty",     "json",   "sarif",      "rdjson",
                                          "rdjsonl", "github", "checkstyle", "gitlab"};
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    const char *format = formats[h % (sizeof formats / sizeof *formats)];
    char fmt[32];
    snprintf(fmt, sizeof fmt, "--format=%s", format);
    char *argv[] = {"lint", "--no-config", "--color=never", "-O2", fmt, "-o", out, path, NULL};
    unlink(out);
    int rc = lint_main(8, argv);
    if (rc < 0 || rc > 2)
        fuzz_fail("lint --format=%s: exit status %d", format, rc);
    size_t n = 0;
    char *report = get_file(out, &n);
    check(format, report, n);
    free(report);
    return 0;
}
