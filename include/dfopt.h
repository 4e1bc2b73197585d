/*
 * dfopt.h: the dfopt compiler as a library.
 *
 * A Dockerfile is parsed into a document, optimized by a pipeline of passes, and printed back.
 * Parsing follows Docker BuildKit's parser exactly and keeps every byte: printing an unoptimized
 * document reproduces its source byte for byte.
 *
 *     df_diags *d = df_diags_new();
 *     df_doc *doc = df_doc_parse("Dockerfile", src, len, d);
 *     if (!doc) { df_diags_print(d, stderr, false); ... }
 *     df_options o = {.level = 1};
 *     df_doc_optimize(doc, &o, d);
 *     size_t n; char *out = df_doc_print(doc, &n);
 *     ... free(out); df_doc_free(doc); df_diags_free(d);
 *
 * Build against the installed library with `pkg-config --cflags --libs dfopt`
 * (examples/parse_print.c is a complete program). Strings returned as `char *` are malloc'd and
 * belong to the caller (free them); `const char *` results are static. A document and a
 * diagnostics sink may be used by one thread at a time; separate documents are independent.
 * Allocation failure ends the process with a message on stderr.
 */
#ifndef DFOPT_H
#define DFOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DFOPT_VERSION "0.1.0"

/* Marks the functions the shared library exports; everything else in it is hidden. */
#if defined(__GNUC__) && !defined(_WIN32)
#define DF_API __attribute__((visibility("default")))
#else
#define DF_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct df_doc df_doc;
typedef struct df_diags df_diags;

/* The library's version, DFOPT_VERSION of the library actually loaded (a static string). */
DF_API const char *df_version(void);

/* Creates an empty diagnostics sink: errors, warnings and notes collected by the functions
 * below, in the order they were found. Free it with df_diags_free. */
DF_API df_diags *df_diags_new(void);
/* Frees a sink and its diagnostics; NULL is allowed. */
DF_API void df_diags_free(df_diags *d);
/* Number of errors collected so far (warnings and notes are not counted). */
DF_API size_t df_diags_errors(const df_diags *d);
/* Prints every diagnostic to out as `file:line:col: level: message`, then the source line and a
 * `^~~~` line under the span; color adds ANSI colours (the caller decides, e.g. from NO_COLOR
 * and isatty). */
DF_API void df_diags_print(const df_diags *d, FILE *out, bool color);

/* Parses src (len bytes, not necessarily NUL-terminated; src and name must outlive the
 * document) as a Dockerfile named name (used in diagnostics), exactly as BuildKit's parser reads
 * it: parser directives, escape character, continuations, heredocs, JSON and shell forms.
 * Returns the document, or NULL when the text has errors, which are added to d. */
DF_API df_doc *df_doc_parse(const char *name, const char *src, size_t len, df_diags *d);
/* Frees the document and everything allocated for it; NULL is allowed. */
DF_API void df_doc_free(df_doc *doc);

typedef struct df_options {
    int level;            /* 0: no passes, 1: behaviour-preserving passes, 2: also -O2 passes */
    const char *passes;   /* comma-separated pass names to run instead of the level's set, or NULL */
    const char *skip;     /* comma-separated pass names not to run, or NULL */
    const char *dump_after; /* print the IR (JSON) to stderr after this pass, or NULL */
    bool check;           /* run the IR checker after every pass */
    const char *target;   /* the stage the build produces (`--target`), NULL for the last one */
    const char *runtime_base; /* the image multistage uses for the runtime stage, or NULL */
    bool heredoc;         /* merge-run writes merged RUNs as heredocs (BuildKit syntax) */
    const char *context;  /* the build context directory passes may read, or NULL for none */
    /* When not NULL, called after each pass that changed the document, with the pass's name
     * (a static string) and pass_fired_arg. */
    void (*pass_fired)(void *arg, const char *pass);
    void *pass_fired_arg;
} df_options;

/* Runs the selected passes over doc in pipeline order (the order of df_passes_list), editing it
 * in place, and again while a round changes something (at most 4 rounds), so that optimizing the
 * result once more changes nothing; a pass that refuses leaves its instructions byte for byte as
 * they were. Notes and warnings of the passes go to d (once each). Returns the number of pass
 * runs that changed the document, or -1 when opt names an unknown pass (reported in d; the
 * document is then untouched). */
DF_API int df_doc_optimize(df_doc *doc, const df_options *opt, df_diags *d);

/* The document as Dockerfile text: malloc'd, NUL-terminated, its length in *len (len may be
 * NULL). An unoptimized document prints back its source byte for byte. */
DF_API char *df_doc_print(const df_doc *doc, size_t *len);
/* BuildKit's parser AST dump, one `(instruction args...)` line per instruction, as BuildKit's
 * parser tests print it (malloc'd, NUL-terminated; length in *len, which may be NULL). */
DF_API char *df_doc_dump(const df_doc *doc, size_t *len);
/* The IR as JSON: instructions with flags, arguments, heredocs, byte spans and comments, and
 * the stages (malloc'd, NUL-terminated; length in *len, which may be NULL). The shape is
 * described in README.md (`--emit=json`). */
DF_API char *df_doc_json(const df_doc *doc, size_t *len);

/* Prints the pass table to out: one line per pass with its name, the lowest -O level that runs
 * it and a one-line summary, in pipeline order. */
DF_API void df_passes_list(FILE *out);
/* The long description of the pass named name (what it does, when it refuses, an example;
 * a static string), or NULL when there is no such pass. */
DF_API const char *df_pass_explain(const char *name);

#ifdef __cplusplus
}
#endif

#endif
