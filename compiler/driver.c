/*
 * driver.c: the dfopt command.
 *
 *   dfopt [options] [FILE|-]...
 *
 * Each input is read whole, parsed, optimized and written out in one of the output modes:
 * stdout (default), -o FILE, -i (in place, atomically), --diff, --check, --emit=dump|json.
 * When no pass runs (-O0, --emit=dump) it is parsed and rendered one instruction at a time
 * instead, its IR never held whole (stream.h).
 * Exit status: 0 ok, 1 a file would change under --check, 2 usage, I/O or parse error.
 */
#include "internal.h"
#include "diff.h"
#include "lint.h"
#include "gen.h"
#include "stats.h"
#include "parallel.h"
#include "segment.h"
#include "io.h"
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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
    bool stats, json; /* --stats, --format=json */
    const char *output;
    const char *context;
} cli;

static const char usage[] =
    "usage: dfopt [options] [FILE|-]...\n"
    "       dfopt lint [options] FILE...   (findings and fixes; see dfopt lint --help)\n"
    "       dfopt gen [-o FILE] SPEC       (a Dockerfile from a YAML spec; see dfopt gen --help)\n"
    "       dfopt graph [--format=dot|mermaid] [--target NAME] [FILE|-]   (the stage graph)\n"
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
    "  --target NAME        the stage the build produces (default: the last one)\n"
    "  --runtime-base IMAGE the image multistage puts the runtime stage on\n"
    "  --heredoc            merge-run writes merged RUNs as heredocs (BuildKit only)\n"
    "  --dump-after=PASS    print the IR as JSON to stderr after PASS runs\n"
    "  --stats              report stages, instructions, layers, cache busting and installs\n"
    "                       without cleanup before and after, and the passes that fired\n"
    "  --format=FORMAT      the --stats report as text (default) or json\n"
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

/* ---- one input ---- */

/* The passes that changed the document, in order (df_options.pass_fired). */
typedef struct fired_list {
    const char **v;
    size_t n, cap;
} fired_list;

static void note_fired(void *arg, const char *pass)
{
    fired_list *f = arg;
    if (f->n < f->cap)
        f->v[f->n++] = pass;
}

/* The build context of the file at path: --context, else the file's directory when it is a
 * regular file (none for standard input). Passes open it when they first ask (doc_context). */
static void set_context(const cli *c, const char *path, df_doc *doc, df_options *o)
{
    o->context = c->context;
    if (!c->context && strcmp(path, "-") != 0)
        doc->context_file = path;
}

/* --stats: the figures of doc before and after optimization (compiler/stats.c). COPY sizes are
 * measured only against an explicit --context. */
static int report_stats(const cli *c, const char *path, const char *name, df_doc *doc,
                        df_diags *d)
{
    df_stats before, after;
    stats_collect(doc, c->context, &before);
    fired_list f = {xcalloc(pipeline_len + 1, sizeof *f.v), 0, pipeline_len};
    df_options o = c->opt;
    set_context(c, path, doc, &o);
    o.pass_fired = note_fired;
    o.pass_fired_arg = &f;
    int status = df_doc_optimize(doc, &o, d) < 0 ? EXIT_ERROR : EXIT_OK;
    if (status == EXIT_OK) {
        stats_collect(doc, c->context, &after);
        df_buf b = {0};
        if (c->json)
            stats_print_json(&b, name, &before, &after, f.v, f.n);
        else
            stats_print_text(&b, name, &before, &after, f.v, f.n);
        if (!io_write_stdout(b.p, b.len))
            status = EXIT_ERROR;
        buf_free(&b);
    }
    free(f.v);
    return status;
}

/* Can the document be streamed (stream.h): does nothing need its whole IR? --emit=dump runs
 * no pass; -O0 none either, but the passes' options keep the IR path, which checks them (an
 * unknown name is an error even at -O0). --stats and --emit=json need the stages. */
static bool streamed(const cli *c)
{
    if (c->stats || c->emit == EMIT_JSON)
        return false;
    return c->emit == EMIT_DUMP || (c->opt.level == 0 && !c->opt.passes && !c->opt.skip &&
                                    !c->opt.dump_after);
}

/* Parses and renders doc one instruction at a time. Plain output is written here (*out stays
 * NULL); otherwise *out is the whole output. Returns the exit status. */
static int stream_doc(const cli *c, df_doc *doc, df_diags *d, bool plain, char **out,
                      size_t *outlen)
{
    print_stream ps;
    print_stream_init(&ps, c->emit == EMIT_DUMP);
    size_t before = d->nerrors;
    int status = EXIT_OK;
    if (!parse_document_each(doc, d, print_stream_node, &ps) || d->nerrors > before) {
        status = EXIT_ERROR;
    } else {
        print_stream_end(&ps, doc);
        if (!plain) {
            *out = print_stream_take(&ps, outlen);
        } else if (!print_stream_write(&ps, stdout)) {
            fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
            status = EXIT_ERROR;
        }
    }
    print_stream_free(&ps);
    return status;
}

/* Parses the source into the IR, runs the passes and renders it (every mode but those
 * streamed()). Plain output is written here (*out stays NULL, as for --stats); otherwise *out
 * is the whole output. *docp is the document to free. Returns the exit status. */
static int render_ir(const cli *c, const char *path, const char *name, const char *src,
                     size_t len, df_diags *d, bool plain, df_doc **docp, char **out,
                     size_t *outlen)
{
    df_doc *doc = *docp = df_doc_parse(name, src, len, d);
    if (!doc)
        return EXIT_ERROR;
    if (c->stats)
        return report_stats(c, path, name, doc, d);
    if (c->emit == EMIT_JSON) {
        *out = df_doc_json(doc, outlen);
        return EXIT_OK;
    }
    df_options o = c->opt;
    set_context(c, path, doc, &o);
    int optimized = df_doc_optimize(doc, &o, d);
    if (optimized < 0)
        return EXIT_ERROR;
    if (plain) {
        /* plain output: written as it is printed, never held whole in memory */
        if (!print_doc_file(doc, stdout)) {
            fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
            return EXIT_ERROR;
        }
        return EXIT_OK;
    }
    *out = df_doc_print(doc, outlen);
    return EXIT_OK;
}

/* Delivers the output of path by the output mode: --check, --diff, -i, -o or stdout.
 * before: the file as it was read (-i). Returns the exit status. */
static int deliver(const cli *c, const char *path, const char *src, size_t len,
                   const char *out, size_t outlen, const struct stat *before)
{
    int status = EXIT_OK;
    bool changed = c->emit == EMIT_DOCKERFILE && (outlen != len || memcmp(out, src, len) != 0);
    if (c->check) {
        status = changed ? EXIT_CHANGED : EXIT_OK;
    } else if (c->diff) {
        df_buf b = {0};
        df_buf la = {0}, lb = {0};
        const char *rel = strcmp(path, "-") == 0 ? "Dockerfile" : path;
        buf_printf(&la, "a/%s", rel);
        buf_printf(&lb, "b/%s", rel);
        if (diff_unified(&b, src, len, out, outlen, la.p, lb.p) && !io_write_stdout(b.p, b.len))
            status = EXIT_ERROR;
        buf_free(&b);
        buf_free(&la);
        buf_free(&lb);
    } else if (c->in_place) {
        if (changed && !io_write_atomic(path, out, outlen, c->follow_symlinks, before))
            status = EXIT_ERROR;
    } else if (c->output) {
        if (!io_write_atomic(c->output, out, outlen, true, NULL))
            status = EXIT_ERROR;
    } else if (!io_write_stdout(out, outlen)) {
        status = EXIT_ERROR;
    }
    return status;
}

static int process(const cli *c, const char *path)
{
    size_t len;
    struct stat before; /* -i: the file as read, so a change meanwhile is not overwritten */
    if (c->in_place && stat(path, &before) != 0) {
        fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
        return EXIT_ERROR;
    }
    char *src = io_read(path, INPUT_LIMIT, &len);
    if (!src)
        return EXIT_ERROR;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    df_diags *d = df_diags_new();
    char *out = NULL;
    size_t outlen = 0;
    bool plain = !c->check && !c->diff && !c->in_place && !c->output;
    df_doc *doc = NULL;
    int status;
    df_buf part_diags = {0};
    seg_plan plan;
    if (streamed(c)) {
        doc = ir_doc_new(name, src, len);
        status = stream_doc(c, doc, d, plain, &out, &outlen);
    } else if (!c->stats && c->emit == EMIT_DOCKERFILE &&
               segment_plan(name, src, len, &c->opt, segment_bytes(len), &plan)) {
        /* a large file whose stages fall into independent runs: optimized in parts */
        const char *file = !c->context && strcmp(path, "-") != 0 ? path : NULL;
        df_options o = c->opt;
        o.context = c->context;
        status = segment_run(name, src, file, &plan, &o, c->color, &out, &outlen, &part_diags);
        segment_plan_free(&plan);
        if (status != EXIT_OK) { /* a part failed (a worker died): the whole file, as usual */
            free(out);
            out = NULL;
            part_diags.len = 0;
            status = render_ir(c, path, name, src, len, d, plain, &doc, &out, &outlen);
        }
    } else {
        status = render_ir(c, path, name, src, len, d, plain, &doc, &out, &outlen);
    }
    if (status == EXIT_OK && out)
        status = deliver(c, path, src, len, out, outlen, &before);
    df_diags_print(d, stderr, c->color);
    if (part_diags.len)
        fwrite(part_diags.p, 1, part_diags.len, stderr);
    buf_free(&part_diags);
    free(out);
    df_doc_free(doc);
    df_diags_free(d);
    free(src);
    return status;
}

typedef struct file_list {
    const cli *c;
    const char **files;
} file_list;

static int process_item(void *ctx, size_t i)
{
    const file_list *fl = ctx;
    return process(fl->c, fl->files[i]);
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
    /* past a file size limit (ulimit -f) write() then fails with EFBIG and the error path runs,
     * instead of the signal killing dfopt halfway through a write */
    signal(SIGXFSZ, SIG_IGN);
    arena_spares_keep(); /* one thread, many documents */
    atexit(arena_spares_free);
    if (argc > 1 && strcmp(argv[1], "graph") == 0)
        return graph_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "lint") == 0)
        return lint_main(argc - 1, argv + 1); /* dfopt lint: compiler/lint.c */
    if (argc > 1 && strcmp(argv[1], "gen") == 0)
        return gen_main(argc - 1, argv + 1); /* dfopt gen: compiler/gen.c */
    cli c = {.opt = {.level = 1}};
    const char *color = "auto", *format = NULL;
    const char **files = xcalloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    bool options_done = false;
#ifndef NDEBUG
    c.opt.check = ir_check_each_pass();
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
        } else if (strcmp(a, "--stats") == 0) {
            c.stats = true;
        } else if ((v = opt_value(a, "--format", &i, argc, argv))) {
            if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
                free(files);
                return fail_usage("--format: unknown format '%s' (text, json)", v);
            }
            format = v;
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
        } else if ((v = opt_value(a, "--target", &i, argc, argv))) {
            c.opt.target = v;
        } else if (strcmp(a, "--heredoc") == 0) {
            c.opt.heredoc = true;
        } else if ((v = opt_value(a, "--runtime-base", &i, argc, argv))) {
            c.opt.runtime_base = v;
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
    int modes = c.in_place + c.diff + c.check + (c.output != NULL) + c.stats;
    const char *bad = NULL;
    c.json = format && strcmp(format, "json") == 0;
    if (modes > 1)
        bad = "-i, -o, --diff, --check and --stats exclude each other";
    else if (format && !c.stats)
        bad = "--format applies to --stats";
    else if (c.stats && c.emit != EMIT_DOCKERFILE)
        bad = "--stats cannot be combined with --emit";
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
        c.color = isatty(STDERR_FILENO) && !no_color_env();
    else if (strcmp(color, "never") != 0)
        bad = "--color takes auto, always or never";
    struct stat ctx_st;
    if (!bad && c.context && (stat(c.context, &ctx_st) != 0 || !S_ISDIR(ctx_st.st_mode)))
        bad = "--context: not a directory";
    if (bad) {
        free(files);
        return fail_usage("%s", bad);
    }
    static char outbuf[1 << 16]; /* fewer write calls when many files go to one stream */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    /* several files are spread over the cores, output in order (parallel.c) */
    bool may_fork = true;
    for (size_t i = 0; i < nfiles; i++)
        if (strcmp(files[i], "-") == 0)
            may_fork = false;
    file_list fl = {&c, files};
    int status = par_each(nfiles, may_fork, process_item, &fl);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
        status = EXIT_ERROR;
    }
    free(files);
    return status;
}
