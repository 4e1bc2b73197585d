/*
 * anchor.c: the line changes between two printings of one document, found through its nodes
 * (see anchor.h).
 *
 * 1. Chunks. doc_chunks_of walks the document as print_doc does and records each node's
 *    bytes. Two chunks are the same when they belong to the same node and hold the same
 *    bytes; a node's slices stay valid while its document lives (the arena frees nothing
 *    before), so an earlier printing's chunks can still be compared.
 * 2. Anchors. The chunks of b that match a chunk of a (found through a table keyed by node),
 *    taken in b's order, give a sequence of positions in a; its longest increasing
 *    subsequence is the largest set of shared chunks in the same order (a moved node is left
 *    out, and shows as a deletion and an insertion, as in a line diff). Only chunks that
 *    hold whole lines, at least one, in both texts anchor: two changes on either side of an
 *    anchor are then apart by an unchanged line, as diff_hunks' are.
 * 3. Context. A shared chunk anchors only when CONTEXT_NODES shared chunks that follow each
 *    other in both texts come before and after it: every change keeps that many unchanged
 *    nodes around it, so the line diff still chooses among equal lines (repeated blank
 *    lines, a moved instruction) from their surroundings. A document with no such chunk is
 *    compared as a whole.
 * 4. Windows. Between two anchors, the lines of a and of b are compared with diff_hunks, and
 *    its changes are shifted to the lines of the whole texts.
 */
#include "anchor.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How many shared chunks a change keeps as context on either side. */
enum { CONTEXT_NODES = 8 };

void doc_chunks_of(const df_doc *doc, doc_chunks *out)
{
    size_t n = 1;
    for (const df_node *x = doc->head; x; x = x->next)
        n++;
    out->v = xrealloc(out->v, n * sizeof *out->v);
    out->n = 0;
    size_t off = 0;
    for (const df_node *x = doc->head; x; x = x->next) {
        const df_slice *prev = x->prev ? &x->prev->text : NULL;
        doc_chunk *c = &out->v[out->n++];
        c->node = x;
        c->sep = prev && prev->n && prev->p[prev->n - 1] != '\n' ? ir_newline(doc)
                                                                   : (df_slice){"", 0};
        c->lead = x->lead;
        c->text = x->text;
        c->off = off;
        c->len = c->sep.n + c->lead.n + c->text.n;
        off += c->len;
    }
    doc_chunk *t = &out->v[out->n++];
    *t = (doc_chunk){NULL, {"", 0}, {"", 0}, doc->trailer, off, doc->trailer.n};
    out->len = off + t->len;
}

void doc_chunks_free(doc_chunks *c)
{
    free(c->v);
    *c = (doc_chunks){0};
}

static bool slice_same(df_slice a, df_slice b)
{
    return a.n == b.n && (a.p == b.p || memcmp(a.p, b.p, a.n) == 0);
}

static bool chunk_same(const doc_chunk *a, const doc_chunk *b)
{
    return a->node == b->node && slice_same(a->sep, b->sep) && slice_same(a->lead, b->lead) &&
           slice_same(a->text, b->text);
}

bool doc_chunks_same(const doc_chunks *a, const doc_chunks *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!chunk_same(&a->v[i], &b->v[i]))
            return false;
    return true;
}

/* Does the chunk hold whole lines of its text (at least one)? */
static bool chunk_lines(const doc_chunk *c, const char *text, size_t len)
{
    return c->len > 0 && (c->off == 0 || text[c->off - 1] == '\n') &&
           (c->off + c->len == len || text[c->off + c->len - 1] == '\n');
}

/* The index of the line that starts at byte off (start: nlines + 1 line starts). */
static size_t line_at(const size_t *start, size_t nlines, size_t off)
{
    size_t lo = 0, hi = nlines;
    while (lo < hi) { /* the first line starting at or after off */
        size_t mid = (lo + hi) / 2;
        if (start[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t hash_ptr(const void *p, size_t mask)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & mask;
}

/* For each chunk of b, the index of the same chunk in a, or SIZE_MAX. */
static size_t *match_chunks(const doc_chunks *ca, const char *a, const doc_chunks *cb,
                            const char *b)
{
    size_t cap = 16;
    while (cap < 2 * ca->n)
        cap *= 2;
    size_t *slot = xmalloc(cap * sizeof *slot);
    memset(slot, 0xff, cap * sizeof *slot);
    for (size_t i = 0; i + 1 < ca->n; i++) { /* the nodes (a node appears once) */
        size_t h = hash_ptr(ca->v[i].node, cap - 1);
        while (slot[h] != SIZE_MAX)
            h = (h + 1) & (cap - 1);
        slot[h] = i;
    }
    size_t *to = xmalloc(cb->n * sizeof *to);
    for (size_t j = 0; j + 1 < cb->n; j++) {
        to[j] = SIZE_MAX;
        for (size_t h = hash_ptr(cb->v[j].node, cap - 1); slot[h] != SIZE_MAX;
             h = (h + 1) & (cap - 1)) {
            size_t i = slot[h];
            if (ca->v[i].node == cb->v[j].node) {
                if (chunk_same(&ca->v[i], &cb->v[j]) && chunk_lines(&ca->v[i], a, ca->len) &&
                    chunk_lines(&cb->v[j], b, cb->len))
                    to[j] = i;
                break;
            }
        }
    }
    /* the trailers */
    const doc_chunk *ta = &ca->v[ca->n - 1], *tb = &cb->v[cb->n - 1];
    to[cb->n - 1] = slice_same(ta->text, tb->text) && chunk_lines(ta, a, ca->len) &&
                            chunk_lines(tb, b, cb->len)
                        ? ca->n - 1
                        : SIZE_MAX;
    free(slot);
    return to;
}

/* Keeps in `to` only the longest increasing subsequence of its matched entries (the others
 * become SIZE_MAX). Patience sorting: tail[k] is the index in b of the smallest last value of
 * an increasing run of length k + 1; O(n log n). */
static void keep_increasing(size_t *to, size_t n)
{
    size_t *tail = xmalloc((n + 1) * sizeof *tail), *prev = xmalloc((n + 1) * sizeof *prev);
    size_t len = 0;
    for (size_t j = 0; j < n; j++) {
        if (to[j] == SIZE_MAX)
            continue;
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (to[tail[mid]] < to[j])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[j] = lo > 0 ? tail[lo - 1] : SIZE_MAX;
        tail[lo] = j;
        if (lo == len)
            len++;
    }
    bool *keep = xcalloc(n + 1, sizeof *keep);
    for (size_t j = len ? tail[len - 1] : SIZE_MAX; j != SIZE_MAX; j = prev[j])
        keep[j] = true;
    for (size_t j = 0; j < n; j++)
        if (!keep[j])
            to[j] = SIZE_MAX;
    free(keep);
    free(prev);
    free(tail);
}

typedef struct hunks {
    diff_hunk *v;
    size_t n, cap;
} hunks;

/* One side of the comparison. */
typedef struct side_text {
    const doc_chunks *c;
    const char *text;
    const size_t *start; /* line starts */
    size_t nlines;
} side_text;

/* Compares a's chunks [i0, i1) with b's chunks [j0, j1) line by line. */
static void window(hunks *out, const side_text *sa, size_t i0, size_t i1, const side_text *sb,
                   size_t j0, size_t j1)
{
    const doc_chunks *ca = sa->c, *cb = sb->c;
    const char *a = sa->text, *b = sb->text;
    size_t a0 = i0 < ca->n ? ca->v[i0].off : ca->len, a1 = i1 < ca->n ? ca->v[i1].off : ca->len;
    size_t b0 = j0 < cb->n ? cb->v[j0].off : cb->len, b1 = j1 < cb->n ? cb->v[j1].off : cb->len;
    if (a1 - a0 == b1 - b0 && memcmp(a + a0, b + b0, a1 - a0) == 0)
        return;
    diff_hunk *h;
    size_t nh = diff_hunks(a + a0, a1 - a0, b + b0, b1 - b0, &h);
    if (out->n + nh > out->cap) {
        out->cap = 2 * (out->n + nh);
        out->v = xrealloc(out->v, out->cap * sizeof *out->v);
    }
    /* a window starts on a line boundary: at the start, or after an anchor */
    size_t la = line_at(sa->start, sa->nlines, a0), lb = line_at(sb->start, sb->nlines, b0);
    for (size_t k = 0; k < nh; k++)
        out->v[out->n++] = (diff_hunk){h[k].a0 + la, h[k].alen, h[k].b0 + lb, h[k].blen};
    free(h);
}

/* Keeps in `to` only the chunks with at least CONTEXT_NODES chunks of their run before and
 * after them (a run: chunks that follow each other in both texts). */
static void keep_run_cores(size_t *to, size_t n)
{
    size_t j = 0;
    while (j < n) {
        if (to[j] == SIZE_MAX) {
            j++;
            continue;
        }
        size_t end = j + 1;
        while (end < n && to[end] != SIZE_MAX && to[end] == to[end - 1] + 1)
            end++;
        for (size_t k = j; k < end; k++)
            if (k < j + CONTEXT_NODES || k + CONTEXT_NODES >= end)
                to[k] = SIZE_MAX;
        j = end;
    }
}

size_t anchored_hunks(const doc_chunks *ca, const char *a, const size_t *astart, size_t alines,
                      const doc_chunks *cb, const char *b, const size_t *bstart, size_t blines,
                      diff_hunk **out)
{
    size_t *to = match_chunks(ca, a, cb, b);
    keep_increasing(to, cb->n);
    keep_run_cores(to, cb->n);
    side_text sa = {ca, a, astart, alines}, sb = {cb, b, bstart, blines};
    hunks h = {0};
    size_t i = 0, j = 0; /* the first chunks after the last anchor */
    for (size_t k = 0; k < cb->n; k++) {
        if (to[k] == SIZE_MAX)
            continue;
        if (to[k] > i || k > j)
            window(&h, &sa, i, to[k], &sb, j, k);
        i = to[k] + 1;
        j = k + 1;
    }
    window(&h, &sa, i, ca->n, &sb, j, cb->n);
    free(to);
    *out = h.v;
    return h.n;
}
