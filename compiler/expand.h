/*
 * expand.h: Dockerfile variable expansion, as BuildKit's shell lexer
 * (moby/buildkit frontend/dockerfile/shell/lex.go) evaluates the arguments of
 * FROM, COPY, ENV, WORKDIR and the other instructions that expand variables.
 *
 * The grammar is described at the top of expand.c. Known differences from BuildKit:
 *  - a name character is an ASCII letter, digit or '_', or any non-ASCII character
 *    other than Latin-1 punctuation, general punctuation and Unicode blanks
 *    (BuildKit asks Unicode's letter and digit classes);
 *  - bytes that are not UTF-8 pass through unchanged (Go substitutes U+FFFD);
 *  - error messages are dfopt's own; where BuildKit fails, this fails too;
 *  - ${...} nested more than 1000 deep is an error (BuildKit's Go stack allows more).
 */
#ifndef DF_EXPAND_H
#define DF_EXPAND_H

#include "util.h"

/* Looks a variable up; returns true and sets *value when it is set (possibly to ""). */
typedef bool (*expand_lookup_fn)(void *ctx, df_slice name, df_slice *value);

typedef struct expand_error {
    size_t offset;        /* byte offset in the input word where the problem is */
    const char *message;  /* static string, e.g. "missing '}'", "bad substitution"; for a failed
                           * ${v?msg} / ${v:?msg} it is "v: msg" allocated in the arena */
} expand_error;

/* Expands $v ${v} ${v:-w} ${v-w} ${v:+w} ${v+w} ${v:?msg} ${v?msg} ${v#p} ${v##p} ${v%p} ${v%%p}
 * ${v/p/r} ${v//p/r} (p is a glob: * ? and \-escapes; like BuildKit, [ ] are literal) in word,
 * with BuildKit's quote handling:
 * single quotes literal, double quotes allow $ and escapes of " $ and the escape char, the escape
 * character (\ or ` from the escape directive) escapes the next char, quotes are removed.
 * When keep_unset is true, references to unset variables are left as written (BuildKit's SkipUnsetEnv).
 * On success returns true with the result (allocated in arena) in *out; on a syntax error returns false
 * and fills *err. */
bool expand_word(df_arena *arena, df_slice word, char escape, expand_lookup_fn lookup, void *ctx,
                 bool keep_unset, df_slice *out, expand_error *err);

/* Same, but also splits the result into words on unquoted blanks (BuildKit ProcessWords): words are
 * returned as an arena-allocated array in *words with count *nwords. */
bool expand_words(df_arena *arena, df_slice word, char escape, expand_lookup_fn lookup, void *ctx,
                  bool keep_unset, df_slice **words, size_t *nwords, expand_error *err);

/* Names of every variable the word references (for dependency analysis), in order, duplicates kept;
 * returns the count; names point into word. Never fails: malformed references are skipped. */
size_t expand_references(df_arena *arena, df_slice word, char escape, df_slice **names);

#endif
