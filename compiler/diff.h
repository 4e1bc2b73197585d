/*
 * diff.h: unified diffs between two texts, byte for byte as GNU `diff -u` prints them.
 */
#ifndef DF_DIFF_H
#define DF_DIFF_H

#include "util.h"

/* Appends to out a unified diff (3 lines of context, like `diff -u`) turning text a into text b.
 * Headers are "--- <label_a>\n+++ <label_b>\n" followed by "@@ -l,c +l,c @@" hunks, exactly as GNU diff -u
 * prints them (omit ",c" when c == 1; "-0,0"/"+0,0" forms for empty sides as GNU does).
 * Lines are split after '\n'; a last line without '\n' is followed by "\n\\ No newline at end of file\n",
 * so `patch -p1` and `git apply` apply the result. CR bytes are part of line content.
 * Returns true when the texts differ (and something was appended), false when identical (nothing appended). */
bool diff_unified(df_buf *out, const char *a, size_t alen, const char *b, size_t blen,
                  const char *label_a, const char *label_b);

/* One change without context: lines [a0, a0 + alen) of a (0-based) become lines [b0, b0 + blen)
 * of b. alen == 0 is an insertion before line a0 of a; blen == 0 a deletion. */
typedef struct diff_hunk {
    size_t a0, alen, b0, blen;
} diff_hunk;

/* The changes turning text a into text b, in order, from the same minimal line diff as
 * diff_unified (lines split after '\n'), each a maximal run of changed lines: two changes are
 * separated by at least one unchanged line. *out receives a malloc'd array (NULL when the texts
 * are identical); returns its length. */
size_t diff_hunks(const char *a, size_t alen, const char *b, size_t blen, diff_hunk **out);

#endif
