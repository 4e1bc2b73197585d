/*
 * context.h: the build context, the directory `docker build` sends to the builder, as passes may
 * read it (--context DIR; by default the Dockerfile's directory, none for standard input).
 *
 * Paths are relative to the context root, cleaned as BuildKit cleans COPY sources: "." is the
 * root, `..` cannot leave it, a leading "/" is dropped. A path excluded by .dockerignore is not
 * in the context: COPY cannot see it, so neither do these functions (ctx_stat says CTX_NONE).
 * .dockerignore follows moby/patternmatcher: comment lines, `!` exceptions, `*`, `?`, `[...]`,
 * `**`, and a pattern matching a directory excludes everything below it.
 */
#ifndef DF_CONTEXT_H
#define DF_CONTEXT_H

#include "util.h"

typedef struct df_context df_context;

typedef enum ctx_kind { CTX_NONE, CTX_FILE, CTX_DIR, CTX_OTHER } ctx_kind;

/* Opens dir as a build context; its .dockerignore is read when the context is first asked
 * about. Allocations live in arena. NULL when dir is not a directory. */
df_context *ctx_open(df_arena *arena, const char *dir);

/* The context-relative form of a COPY source or .dockerignore pattern (see above), in arena. */
df_slice ctx_clean(df_arena *arena, df_slice path);

/* Is the (clean, relative) path excluded by .dockerignore? */
bool ctx_ignored(const df_context *c, df_slice rel);

/* What rel is (symlinks followed, as COPY follows a source path); CTX_NONE when it is missing,
 * ignored or unreadable. *mode (may be NULL) gets its permission bits. */
ctx_kind ctx_stat(const df_context *c, df_slice rel, unsigned *mode);

/* Reads a file of at most max bytes into arena (NUL-terminated). False when it is missing,
 * ignored, not a regular file or larger than max. */
bool ctx_read(const df_context *c, df_arena *arena, df_slice rel, size_t max, df_slice *out);

/* Reads the first max bytes (fewer when the file is shorter) of a regular file; false when it
 * is missing, ignored or not a regular file. */
bool ctx_head(const df_context *c, df_arena *arena, df_slice rel, size_t max, df_slice *out);

/* Visits what a COPY of rel brings in, depth first in name order: rel itself when it is a file,
 * else every entry below it that .dockerignore keeps (paths relative to the root). Stops when
 * fn returns false. Returns false when the walk stopped early (fn, or more than 100000 entries:
 * the caller cannot know the whole set). */
typedef bool (*ctx_visit_fn)(void *arg, df_slice rel, ctx_kind kind);
bool ctx_walk(const df_context *c, df_slice rel, ctx_visit_fn fn, void *arg);

/* Matches a path against a .dockerignore-style pattern (both clean and relative). */
bool ctx_match(df_slice pattern, df_slice path);

#endif
