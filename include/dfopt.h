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
 */
#ifndef DFOPT_H
#define DFOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DFOPT_VERSION "0.1.0"

typedef struct df_doc df_doc;
typedef struct df_diags df_diags;

/* Creates an empty diagnostics sink. */
df_diags *df_diags_new(void);
/* Frees a sink and its diagnostics. */
void df_diags_free(df_diags *d);
/* Number of errors collected so far. */
size_t df_diags_errors(const df_diags *d);
/* Prints every diagnostic as `file:line:col: level: message`, the source line and a caret line. */
void df_diags_print(const df_diags *d, FILE *out, bool color);

/* Parses src (len bytes, not necessarily NUL-terminated; it must outlive the document) as a
 * Dockerfile named name. Returns NULL when it has errors, which are added to d. */
df_doc *df_doc_parse(const char *name, const char *src, size_t len, df_diags *d);
/* Frees the document and everything allocated for it. */
void df_doc_free(df_doc *doc);

typedef struct df_options {
    int level;            /* 0: no passes, 1: behaviour-preserving passes, 2: also -O2 passes */
    const char *passes;   /* comma-separated pass names to run instead of the level's set, or NULL */
    const char *skip;     /* comma-separated pass names not to run, or NULL */
    const char *dump_after; /* print the IR (JSON) to stderr after this pass, or NULL */
    bool check;           /* run the IR checker after every pass */
} df_options;

/* Runs the selected passes in pipeline order. Returns the number of passes that changed the
 * document, or -1 when an option names an unknown pass (reported in d). */
int df_doc_optimize(df_doc *doc, const df_options *opt, df_diags *d);

/* The document as Dockerfile text (malloc'd, NUL-terminated; length in *len). */
char *df_doc_print(const df_doc *doc, size_t *len);
/* BuildKit's parser AST dump: one `(instruction args...)` line per instruction. */
char *df_doc_dump(const df_doc *doc, size_t *len);
/* The IR as JSON (instructions, flags, arguments, heredocs, stages, spans); see README. */
char *df_doc_json(const df_doc *doc, size_t *len);

/* Prints the pass table (name, level, summary) to out. */
void df_passes_list(FILE *out);
/* The long description of a pass, or NULL when there is no such pass. */
const char *df_pass_explain(const char *name);

#endif
