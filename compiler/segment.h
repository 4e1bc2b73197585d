/*
 * segment.h: a large file optimized in parts, each part a run of stages that nothing ties to
 * the others, the parts spread over the cores (segment.c).
 *
 * The output is the whole document's: each part is parsed and optimized as a document of its
 * own that knows what it must of the rest of the file (the parser directives, the facts of
 * df_facts, its first line and stage number), and its output goes where its text was. Memory
 * is then the input, the output and the parts being worked on, and the time per byte that of
 * a file the size of a part. The diagnostics come part by part, each part's in the order the
 * passes gave them.
 */
#ifndef DF_SEGMENT_H
#define DF_SEGMENT_H

#include "internal.h"

/* Where a file is cut, and what every part must know of the others. */
typedef struct seg_plan {
    size_t n;           /* parts (at least 2 when segment_plan says yes) */
    size_t *off;        /* n + 1 byte offsets: part k is off[k] .. off[k + 1] */
    size_t *line;       /* the lines before part k */
    size_t *stage;      /* the stages before part k */
    size_t head;        /* the bytes before the first FROM when they hold global ARGs, which
                         * every part gets in front of its own text (0: none) ... */
    size_t head_lines;  /* ... and their lines */
    char escape;        /* the file's parser directives and newline style */
    bool crlf;
    df_slice syntax, check;
    df_facts facts;     /* the whole file's, as read */
} seg_plan;

/* The bytes per part for a file of len bytes, 0 when it is not to be cut: DFOPT_SEGMENT=N in
 * the environment (0: never), else a sixteenth of the file from SEGMENT_MIN_FILE on, between
 * SEGMENT_MIN_PART and SEGMENT_MAX_PART: the parts a document each, at about 12 bytes of
 * memory per byte of text, stay a fraction of the input (which is held, with the output), and
 * are long enough for little cost per part. A file is cut only when it holds at least
 * SEGMENT_PARTS parts. */
enum {
    SEGMENT_MIN_FILE = 512 << 10,
    SEGMENT_MIN_PART = 64 << 10,
    SEGMENT_MAX_PART = 1 << 20,
    SEGMENT_PARTS = 4
};
size_t segment_bytes(size_t len);

/* Can src (len bytes, read as name) be optimized in parts of about part bytes under opt, and
 * where is it cut? False (and plan empty) when the file is small, does not parse, holds NUL
 * bytes or ends in an open continuation, has instructions other than ARG before its first
 * FROM, has no place to cut (stage references tie every stage to the next), or when a part could
 * not decide as the whole file would: --target, --heredoc, --dump-after; dead-stage named in
 * --passes, or selected on a file whose stage graph is certain (it would remove the stages the
 * last one does not need); BuildKit-only syntax with no syntax directive. */
bool segment_plan(const char *name, const char *src, size_t len, const df_options *opt,
                  size_t part, seg_plan *plan);
void segment_plan_free(seg_plan *plan);

/* Optimizes and prints the parts of plan (see par_collect): the output in *out (malloc'd,
 * *outlen bytes), the diagnostics rendered into diags (color: with ANSI colours). The build
 * context is opt->context, else the directory of context_file (NULL: none). Returns the exit
 * status (0, or 2 when a part failed, its diagnostics then saying why). */
int segment_run(const char *name, const char *src, const char *context_file, const seg_plan *plan,
                const df_options *opt, bool color, char **out, size_t *outlen, df_buf *diags);

#endif
