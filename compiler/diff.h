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

#endif
