/*
 * stream.h: a document parsed and printed one instruction at a time, its node list never
 * built (lexer.c, printer.c).
 *
 * When no pass runs (-O0 with no pass named, --emit=dump) nothing needs the whole IR: each
 * instruction is parsed, rendered into the output, and its memory released before the next
 * one is read. Memory is then the input, the output and one instruction, whatever the length
 * of the document. The output is still all or nothing: it is only written once the whole
 * document parsed, and an error anywhere leaves it unused.
 */
#ifndef DF_STREAM_H
#define DF_STREAM_H

#include "internal.h"

/* Gets each node of the document in turn (with its lead); the node and what it points to in
 * the arena are released after the call. */
typedef void (*parse_each_fn)(void *ctx, const df_doc *doc, const df_node *n);

/* parse_document without the node list: each node goes to each() instead, while no error has
 * been found (diagnostics and the return value are those of parse_document). The document
 * keeps its directives, escape and trailer; its list stays empty. */
bool parse_document_each(df_doc *doc, df_diags *d, parse_each_fn each, void *ctx);

/* The output of a streamed document. */
typedef struct print_stream {
    bool dump;          /* BuildKit's AST dump (print_dump), else the Dockerfile (print_doc) */
    df_buf text;        /* dump: the text so far */
    df_slice *runs;     /* Dockerfile: the pieces in order, pieces that follow each other in */
    size_t nruns, cap;  /* memory joined (an untouched source is one piece) */
    char last;          /* the last byte given so far ('\n' before any) */
} print_stream;

void print_stream_init(print_stream *ps, bool dump);
/* Renders one node (a parse_each_fn: ctx is the print_stream). */
void print_stream_node(void *ps, const df_doc *doc, const df_node *n);
/* Ends the document (its trailer). */
void print_stream_end(print_stream *ps, const df_doc *doc);
/* Writes the output to f; false on a write error. */
bool print_stream_write(const print_stream *ps, FILE *f);
/* The output as one malloc'd, NUL-terminated string (*len bytes); ps is left empty. */
char *print_stream_take(print_stream *ps, size_t *len);
void print_stream_free(print_stream *ps);

#endif
