/*
 * driver.c: the dfopt command.
 *
 *   dfopt [options] [FILE|-]...
 *
 * Each input is read whole, parsed, optimized and written out in one of the output modes:
 * stdout (default), -o FILE, -i (in place, atomically), --diff, --check, --emit=dump|json.
 * Exit status: 0 ok, 1 a file would change under --check, 2 usage, I/O or parse error.
 */
#include "internal.h"
#include "diff.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_CHANGED = 1, EXIT_ERROR = 2 };
enum { INPUT_LIMIT = 1u << 30 }; /* 1 GiB */

typedef enum { EMIT_DOCKERFILE, EMIT_DUMP, EMIT_JSON } emit_mode;

typedef struct cli {
    df_options opt;
    emit_mode emit;
    bool in_place, diff, check, follow_symlinks, color;
    const char *output;
    const char *context;
} cli;

static const char usage[] =
    "usage: dfopt [options] [FILE|-]...\n"
    "Optimize Dockerfiles; print the result to stdout (stdin when no FILE or -).\n"
    "\n"
    "  -O0, -O1, -O2        optimization level (default -O1; -O0 prints the input unchanged)\n"
    "  --passes=LIST        run only these passes (comma-separated)\n"
    "  --skip=LIST          do not run these passes\n"
    "  --list-passes        print the pass table\n"
    "  --explain PASS       describe a pass: what it does, when it refuses, an example\n"
    "  -i                   rewrite files in place (atomically; untouched when unchanged)\n"
    "  --follow-symlinks    with -i, replace a symlink's target instead of refusing\n"
    "  -o FILE              write the result to FILE (one input only)\n"
    "  --diff               print a unified diff instead of the result\n"
    "  --check              print nothing; exit 1 when a file would change\n"
    "  --emit=KIND          dockerfile (default), dump (BuildKit AST dump), json (the IR)\n"
    "  --context DIR        build context passes may read (default: the file's directory)\n"
    "  --dump-after=PASS    print the IR as JSON to stderr after PASS runs\n"
    "  --color=WHEN         auto (default), always, never; NO_COLOR disables auto\n"
    "  --version, --help\n"
    "\n"
    "Exit status: 0 success, 1 changes found under --check, 2 usage, I/O or parse error.\n";

static int fail_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "dfopt: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'dfopt --help'.\n");
    return EXIT_ERROR;
}

/* ---- input and output ---- */

static char *read_input(const char *path, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "dfopt: %s: is a directory\n", path);
        close(fd);
        return NULL;
    }
    df_buf b = {0};
    char chunk[65536];
    bool ok = true;
    buf_put(&b, "", 0);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
            ok = false;
            break;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > INPUT_LIMIT) {
            fprintf(stderr, "dfopt: %s: larger than the 1 GiB input limit\n", path);
            ok = false;
            break;
        }
        buf_put(&b, chunk, (size_t)n);
    }
    if (fd != STDIN_FILENO)
        close(fd);
    if (!ok) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Replaces path with data: temporary file in the same directory, fsync, rename. The original
 * keeps its mode; on any failure it is left as it was. */
static bool write_atomic(const char *path, const char *data, size_t len, bool follow)
{
    struct stat st;
    char resolved[PATH_MAX];
    const char *target = path;
    mode_t mode = 0644;
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            if (!follow) {
                fprintf(stderr, "dfopt: %s: is a symbolic link; not replacing it (use "
                                "--follow-symlinks to rewrite its target)\n", path);
                return false;
            }
            if (!realpath(path, resolved)) {
                fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
                return false;
            }
            target = resolved;
            if (stat(target, &st) != 0) {
                fprintf(stderr, "dfopt: %s: %s\n", target, strerror(errno));
                return false;
            }
        }
        mode = st.st_mode & 07777;
    }
    char *dup = strdup(target);
    if (!dup)
        die("out of memory");
    df_buf tmp = {0};
    buf_printf(&tmp, "%s/.dfopt-XXXXXX", dirname(dup));
    free(dup);
    int fd = mkstemp(tmp.p);
    if (fd < 0) {
        fprintf(stderr, "dfopt: %s: cannot create a temporary file beside it: %s\n", target,
                strerror(errno));
        buf_free(&tmp);
        return false;
    }
    bool ok = write_all(fd, data, len) && fchmod(fd, mode) == 0 && fsync(fd) == 0;
    int err = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp.p, target) != 0) {
        err = errno;
        ok = false;
    }
    if (!ok) {
        fprintf(stderr, "dfopt: %s: not written: %s\n", target, strerror(err ? err : EIO));
        unlink(tmp.p);
    }
    buf_free(&tmp);
    return ok;
}

static bool write_stdout(const char *p, size_t n)
{
    if (fwrite(p, 1, n, stdout) != n) {
        fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
        return false;
    }
    return true;
}

/* ---- one input ---- */

static int process(const cli *c, const char *path)
{
    size_t len;
    char *src = read_input(path, &len);
    if (!src)
        return EXIT_ERROR;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse(name, src, len, d);
    int status = EXIT_OK;
    char *out = NULL;
    size_t outlen = 0;
    if (!doc) {
        status = EXIT_ERROR;
        goto done;
    }
    if (c->emit == EMIT_DUMP) {
        out = df_doc_dump(doc, &outlen);
    } else if (c->emit == EMIT_JSON) {
        out = df_doc_json(doc, &outlen);
    } else {
        df_options o = c->opt;
        if (df_doc_optimize(doc, &o, d) < 0) {
            status = EXIT_ERROR;
            goto done;
        }
        out = df_doc_print(doc, &outlen);
    }
    bool changed = c->emit == EMIT_DOCKERFILE && (outlen != len || memcmp(out, src, len) != 0);
    if (c->check) {
        status = changed ? EXIT_CHANGED : EXIT_OK;
    } else if (c->diff) {
        df_buf b = {0};
        df_buf la = {0}, lb = {0};
        const char *rel = strcmp(path, "-") == 0 ? "Dockerfile" : path;
        buf_printf(&la, "a/%s", rel);
        buf_printf(&lb, "b/%s", rel);
        if (diff_unified(&b, src, len, out, outlen, la.p, lb.p) && !write_stdout(b.p, b.len))
            status = EXIT_ERROR;
        buf_free(&b);
        buf_free(&la);
        buf_free(&lb);
    } else if (c->in_place) {
        if (changed && !write_atomic(path, out, outlen, c->follow_symlinks))
            status = EXIT_ERROR;
    } else if (c->output) {
        if (!write_atomic(c->output, out, outlen, true))
            status = EXIT_ERROR;
    } else if (!write_stdout(out, outlen)) {
        status = EXIT_ERROR;
    }
done:
    df_diags_print(d, stderr, c->color);
    free(out);
    df_doc_free(doc);
    df_diags_free(d);
    free(src);
    return status;
}

/* ---- options ---- */

static const char *opt_value(const char *arg, const char *name, int *i, int argc, char **argv)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

int main(int argc, char **argv)
{
    cli c = {.opt = {.level = 1}};
    const char *color = "auto";
    const char **files = xcalloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    bool options_done = false;
#ifndef NDEBUG
    c.opt.check = true;
#endif
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            files[nfiles++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = true;
        } else if (strcmp(a, "-O0") == 0 || strcmp(a, "-O1") == 0 || strcmp(a, "-O2") == 0) {
            c.opt.level = a[2] - '0';
        } else if (strcmp(a, "-i") == 0) {
            c.in_place = true;
        } else if (strcmp(a, "--diff") == 0) {
            c.diff = true;
        } else if (strcmp(a, "--check") == 0) {
            c.check = true;
        } else if (strcmp(a, "--follow-symlinks") == 0) {
            c.follow_symlinks = true;
        } else if (strcmp(a, "--list-passes") == 0) {
            df_passes_list(stdout);
            free(files);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("dfopt %s\n", DFOPT_VERSION);
            free(files);
            return EXIT_OK;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            free(files);
            return EXIT_OK;
        } else if ((v = opt_value(a, "--explain", &i, argc, argv))) {
            const char *text = df_pass_explain(v);
            free(files);
            if (!text)
                return fail_usage("--explain: no pass named '%s' (see --list-passes)", v);
            fputs(text, stdout);
            return EXIT_OK;
        } else if ((v = opt_value(a, "--passes", &i, argc, argv))) {
            c.opt.passes = v;
        } else if ((v = opt_value(a, "--skip", &i, argc, argv))) {
            c.opt.skip = v;
        } else if ((v = opt_value(a, "--dump-after", &i, argc, argv))) {
            c.opt.dump_after = v;
        } else if ((v = opt_value(a, "--context", &i, argc, argv))) {
            c.context = v;
        } else if ((v = opt_value(a, "--color", &i, argc, argv))) {
            color = v;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            c.output = argv[++i];
        } else if ((v = opt_value(a, "--emit", &i, argc, argv))) {
            if (strcmp(v, "dump") == 0)
                c.emit = EMIT_DUMP;
            else if (strcmp(v, "json") == 0)
                c.emit = EMIT_JSON;
            else if (strcmp(v, "dockerfile") == 0)
                c.emit = EMIT_DOCKERFILE;
            else {
                free(files);
                return fail_usage("--emit: unknown kind '%s' (dockerfile, dump, json)", v);
            }
        } else {
            free(files);
            return fail_usage("unknown option '%s'", a);
        }
    }
    if (nfiles == 0)
        files[nfiles++] = "-";
    int modes = c.in_place + c.diff + c.check + (c.output != NULL);
    const char *bad = NULL;
    if (modes > 1)
        bad = "-i, -o, --diff and --check exclude each other";
    else if (c.output && nfiles > 1)
        bad = "-o takes one input file";
    else if (c.emit != EMIT_DOCKERFILE && (c.in_place || c.diff || c.check))
        bad = "--emit=dump/json cannot be combined with -i, --diff or --check";
    if (!bad && c.in_place)
        for (size_t i = 0; i < nfiles; i++)
            if (strcmp(files[i], "-") == 0)
                bad = "-i cannot rewrite standard input";
    if (strcmp(color, "always") == 0)
        c.color = true;
    else if (strcmp(color, "auto") == 0)
        c.color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    else if (strcmp(color, "never") != 0)
        bad = "--color takes auto, always or never";
    if (bad) {
        free(files);
        return fail_usage("%s", bad);
    }
    int status = EXIT_OK;
    for (size_t i = 0; i < nfiles; i++) {
        int s = process(&c, files[i]);
        if (s > status)
            status = s;
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
        status = EXIT_ERROR;
    }
    free(files);
    return status;
}
