/*
 * gen.c: the `dfopt gen` subcommand.
 *
 *   dfopt gen [-o FILE] SPEC|-                   spec -> Dockerfile (and .dockerignore with -o)
 *   dfopt gen --from-dockerfile [-o FILE] FILE|-  Dockerfile -> spec
 *   dfopt gen --schema                            the spec's JSON Schema
 *
 * A generated Dockerfile goes through the same path as any other input: it is parsed into the IR,
 * optimized with the default passes (-O1) and printed, so `dfopt -O1` finds nothing left to do.
 * Exit status: 0 success, 2 usage, I/O or spec error.
 */
#include "gen.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { GEN_OK = 0, GEN_ERROR = 2 };

static const char gen_usage[] =
    "usage: dfopt gen [-o FILE] SPEC|-\n"
    "       dfopt gen --from-dockerfile [-o FILE] DOCKERFILE|-\n"
    "       dfopt gen --schema\n"
    "Generate a Dockerfile from a YAML spec (see docs/spec.md), or a spec from a Dockerfile.\n"
    "\n"
    "  -o FILE              write to FILE (atomically) instead of stdout; a spec's `ignore`\n"
    "                       patterns go to .dockerignore beside it (FILE.dockerignore when FILE\n"
    "                       is not named Dockerfile)\n"
    "  --from-dockerfile    read a Dockerfile and write the equivalent spec\n"
    "  --schema             print the spec's JSON Schema\n"
    "  --color=WHEN         auto (default), always, never\n"
    "  --help\n"
    "\n"
    "Exit status: 0 success, 2 usage, I/O or spec error.\n";

static char *ignore_path(const char *output)
{
    char *d = strdup(output), *b = strdup(output);
    if (!d || !b)
        die("out of memory");
    df_buf p = {0};
    const char *base = basename(b);
    if (strcmp(base, "Dockerfile") == 0)
        buf_printf(&p, "%s/.dockerignore", dirname(d));
    else
        buf_printf(&p, "%s.dockerignore", output);
    free(d);
    free(b);
    return p.p;
}

bool gen_spec(const char *name, const char *src, size_t len, df_diags *d, df_buf *dockerfile,
              df_buf *ignore, bool *has_ignore)
{
    df_doc *holder = ir_doc_new(name, src, len);
    gen_output out = {0};
    ynode *root = yaml_load(holder, d);
    bool ok = root && spec_check(holder, root, d) && gen_emit(holder, root, d, &out);
    if (ok) {
        /* the generated text is an ordinary input from here on */
        df_diags *inner = df_diags_new();
        df_doc *doc = df_doc_parse(name, out.dockerfile.p, out.dockerfile.len, inner);
        df_options o = {.level = 1};
#ifndef NDEBUG
        o.check = ir_check_each_pass();
#endif
        if (!doc || df_doc_optimize(doc, &o, inner) < 0) {
            df_buf why = {0};
            diag_render(inner, &why, false);
            diag_addf_plain(d, DIAG_ERROR, "internal error: the Dockerfile generated from %s "
                            "does not parse (please report it):\n%s%.*s", name,
                            why.p ? why.p : "", (int)out.dockerfile.len, out.dockerfile.p);
            buf_free(&why);
            ok = false;
        } else {
            size_t n;
            char *text = df_doc_print(doc, &n);
            buf_put(dockerfile, text, n);
            free(text);
            *has_ignore = out.has_ignore;
            if (out.has_ignore)
                buf_put(ignore, out.ignore.p, out.ignore.len);
        }
        df_doc_free(doc);
        df_diags_free(inner);
    }
    buf_free(&out.dockerfile);
    buf_free(&out.ignore);
    df_doc_free(holder);
    return ok;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "dfopt gen: ");
    fprintf(stderr, msg, arg);
    fprintf(stderr, "\nTry 'dfopt gen --help'.\n");
    return GEN_ERROR;
}

int gen_main(int argc, char **argv)
{
    const char *output = NULL, *input = NULL, *color = "auto";
    bool from_dockerfile = false, schema = false, options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            if (input)
                return usage_error("takes one input file (got '%s' too)", a);
            input = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = true;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a file name", a);
            output = argv[++i];
        } else if (strcmp(a, "--from-dockerfile") == 0) {
            from_dockerfile = true;
        } else if (strcmp(a, "--schema") == 0) {
            schema = true;
        } else if (strncmp(a, "--color=", 8) == 0) {
            color = a + 8;
        } else if (strcmp(a, "--color") == 0 && i + 1 < argc) {
            color = argv[++i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(gen_usage, stdout);
            return GEN_OK;
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    bool use_color;
    if (strcmp(color, "always") == 0)
        use_color = true;
    else if (strcmp(color, "never") == 0)
        use_color = false;
    else if (strcmp(color, "auto") == 0)
        use_color = isatty(STDERR_FILENO) && !no_color_env();
    else
        return usage_error("--color takes auto, always or never, not '%s'", color);
    if (schema) {
        if (input || from_dockerfile)
            return usage_error("%s takes no input", "--schema");
        df_buf b = {0};
        spec_schema(&b);
        bool ok = output ? io_write_atomic(output, b.p, b.len, true, NULL)
                         : fwrite(b.p, 1, b.len, stdout) == b.len;
        buf_free(&b);
        return ok ? GEN_OK : GEN_ERROR;
    }
    if (!input)
        return usage_error("%s", from_dockerfile ? "--from-dockerfile needs a Dockerfile"
                                                 : "needs a spec file (or - for stdin)");
    const char *name = strcmp(input, "-") == 0 ? "<stdin>" : input;
    size_t len;
    char *src = io_read(input, from_dockerfile ? (size_t)1 << 30 : (size_t)YAML_INPUT_LIMIT, &len);
    if (!src)
        return GEN_ERROR;
    df_diags *d = df_diags_new();
    df_buf out = {0}, ignore = {0};
    bool has_ignore = false, ok;
    if (from_dockerfile) {
        df_doc *doc = df_doc_parse(name, src, len, d);
        ok = doc && gen_from_dockerfile(doc, d, &out);
        df_doc_free(doc);
    } else {
        ok = gen_spec(name, src, len, d, &out, &ignore, &has_ignore);
    }
    df_diags_print(d, stderr, use_color);
    if (ok) {
        const char *text = out.p ? out.p : "";
        if (output) {
            ok = io_write_atomic(output, text, out.len, true, NULL);
            if (ok && has_ignore) {
                char *ip = ignore_path(output);
                ok = io_write_atomic(ip, ignore.p ? ignore.p : "", ignore.len, true, NULL);
                free(ip);
            }
        } else if (fwrite(text, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
            fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
            ok = false;
        }
    }
    buf_free(&out);
    buf_free(&ignore);
    df_diags_free(d);
    free(src);
    return ok ? GEN_OK : GEN_ERROR;
}
