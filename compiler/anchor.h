/*
 * anchor.h: the line changes between two printings of one document, found through its nodes.
 *
 * A pass edits a few nodes; every other node prints the same bytes before and after it. The
 * nodes both printings share, in the same order, anchor the comparison: only the stretches
 * between anchors are compared line by line (diff.c). The cost is linear in the document plus
 * the line diff of what changed, where a line diff of the whole text grows with the product of
 * its size and the number of changes.
 */
#ifndef DF_ANCHOR_H
#define DF_ANCHOR_H

#include "diff.h"
#include "internal.h"

/* One node's part of a printing: a newline when it follows an unterminated line (sep), its
 * lead and its text; the trailer is the last chunk, with node NULL. */
typedef struct doc_chunk {
    const df_node *node;
    df_slice sep, lead, text;
    size_t off, len; /* bytes in the printed text */
} doc_chunk;

typedef struct doc_chunks {
    doc_chunk *v;
    size_t n;
    size_t len; /* of the whole printed text */
} doc_chunks;

/* The chunks of doc as print_doc prints it (replaces *out's contents). */
void doc_chunks_of(const df_doc *doc, doc_chunks *out);
void doc_chunks_free(doc_chunks *c);

/* Do a and b print the same bytes, node for node? */
bool doc_chunks_same(const doc_chunks *a, const doc_chunks *b);

/* The changes turning text a (printed as ca) into text b (printed as cb), as diff_hunks gives
 * them: line indexes of the whole texts, in order. astart holds the offsets at which a's
 * alines lines start, and alines + 1 entries (the last is a's length); bstart the same for b.
 * Lines of nodes both printings share unchanged, in the same order and with enough of them
 * around (anchor.c), are never part of a change; between such nodes the lines are compared
 * with diff_hunks. *out receives a malloc'd array (NULL when there is no change); returns its
 * length. */
size_t anchored_hunks(const doc_chunks *ca, const char *a, const size_t *astart, size_t alines,
                      const doc_chunks *cb, const char *b, const size_t *bstart, size_t blines,
                      diff_hunk **out);

#endif
