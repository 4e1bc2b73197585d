/*
 * diff.c: line diff and its unified (`diff -u`) rendering.
 *
 * 1. Lines. Each text is split after every '\n'; a line keeps its '\n', so a final line
 *    without one differs from the same text with one (as in GNU diff). Every distinct line
 *    gets an integer id from one hash table (the id is its slot), so the diff compares
 *    integers and never rereads bytes.
 *
 * 2. Discarding. A line whose text never occurs on the other side cannot be in any common
 *    subsequence: it is flagged changed outright and left out of the search (a simple form
 *    of GNU's discard_confusing_lines). The script stays minimal, and wholly rewritten
 *    regions cost no search at all.
 *
 * 3. Myers' O(ND) algorithm, linear-space variant (E. Myers, "An O(ND) Difference Algorithm
 *    and Its Variations", 1986, section 4b; the shape of GNU diffutils' diffseq.h without its
 *    speed heuristics). compare() strips the common prefix and suffix of a box of the edit
 *    graph, then middle_snake() runs the greedy search forward from the top-left corner and
 *    backward from the bottom-right one, one edit at a time, until the two frontiers overlap
 *    on a diagonal: that point lies on a shortest edit path, and compare() recurses on the
 *    two sub-boxes it splits off. Deleted lines of a and inserted lines of b are flagged.
 *    Time O((N+M)*D) for D differing lines, space O(N+M); recursion depth O(log D).
 *    As in GNU diff (without --minimal), a search that has taken more edits than about the
 *    square root of the input (at least 4096) stops there and splits the box at the point its
 *    frontiers have carried furthest (GNU's TOO_EXPENSIVE heuristic); the side of that split
 *    that the frontier has already crossed is then searched in full. So a big document with
 *    many changes costs about N^1.5 instead of N*D, and its script may be a little longer
 *    than the shortest; below the cap, which covers every ordinary Dockerfile, it is the
 *    shortest.
 *
 * 4. Hunks. The flags become changes (deletions then insertions at one position). Changes
 *    separated by at most 2*CONTEXT unchanged lines share a hunk (GNU find_hunk: a gap of
 *    2*CONTEXT+1 lines ends a hunk); each hunk has up to CONTEXT lines of context around it.
 *    In a hunk a change prints its '-' lines, then its '+' lines.
 *
 * When several shortest scripts exist (repeated lines), the one chosen may differ from
 * GNU diff's (which also slides change groups with shift_boundaries); it is always minimal
 * and applies with patch/git apply.
 */
#include "diff.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { CONTEXT = 3 };

/* One text as lines. changed[i] flags a deleted line (side a) or an inserted one (side b). */
typedef struct side {
    df_slice *line;
    long *id;
    bool *changed;
    long n;
} side;

/* A change: adel lines of a from a0 are replaced by bins lines of b from b0. */
typedef struct change {
    long a0, adel, b0, bins;
} change;

/* ---- lines and ids ---- */

static long count_lines(const char *s, size_t len)
{
    long n = 0;
    for (const char *p = s, *e = s + len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        n++;
    return n + (len > 0 && s[len - 1] != '\n');
}

static void split(side *sd, const char *s, size_t len)
{
    sd->n = count_lines(s, len);
    sd->line = xmalloc((size_t)sd->n * sizeof *sd->line);
    sd->id = xmalloc((size_t)sd->n * sizeof *sd->id);
    sd->changed = xcalloc((size_t)sd->n + 1, sizeof *sd->changed);
    size_t start = 0;
    for (long i = 0; i < sd->n; i++) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        sd->line[i] = (df_slice){s + start, end - start};
        start = end;
    }
}

static void side_free(side *sd)
{
    free(sd->line);
    free(sd->id);
    free(sd->changed);
}

/* FNV-1a, 64 bits. */
static uint64_t hash_line(df_slice l)
{
    /* eight bytes at a time, then the rest; equal lines hash equal, which is all that counts */
    uint64_t h = 14695981039346656037u ^ l.n;
    size_t i = 0;
    for (; i + 8 <= l.n; i += 8) {
        uint64_t w;
        memcpy(&w, l.p + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15u;
        h ^= h >> 29;
    }
    for (; i < l.n; i++)
        h = (h ^ (unsigned char)l.p[i]) * 1099511628211u;
    return h;
}

typedef struct slot {
    const df_slice *line; /* NULL: empty */
    uint64_t hash;
} slot;

/* Gives each line of sd the index of its slot in the open-addressing table tab. */
static void number_lines(slot *tab, size_t mask, side *sd)
{
    for (long i = 0; i < sd->n; i++) {
        const df_slice *l = &sd->line[i];
        uint64_t h = hash_line(*l);
        size_t k = (size_t)h & mask;
        while (tab[k].line && (tab[k].hash != h || !slice_eq(*tab[k].line, *l)))
            k = (k + 1) & mask;
        if (!tab[k].line)
            tab[k] = (slot){l, h};
        sd->id[i] = (long)k;
    }
}

/* Numbers the lines of a and b; returns the number of possible ids. */
static size_t assign_ids(side *a, side *b)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)(a->n + b->n))
        cap *= 2;
    slot *tab = xcalloc(cap, sizeof *tab);
    number_lines(tab, cap - 1, a);
    number_lines(tab, cap - 1, b);
    free(tab);
    return cap;
}

/* ---- Myers ---- */

typedef struct myers {
    const long *xv, *yv; /* line ids of a and b */
    bool *xchg, *ychg;   /* the changed flags being filled in */
    long *fd, *bd;       /* furthest x reached on diagonal k = x - y, forward and backward */
    long too_expensive;  /* edits a search may take before it settles for a good split */
} myers;

/* A box of the edit graph: lines [xoff, xlim) of a against [yoff, ylim) of b. */
typedef struct box {
    long xoff, xlim, yoff, ylim;
} box;

/* The state of a middle-snake search: the box's diagonals and those each frontier spans. */
typedef struct search {
    long dmin, dmax, fmin, fmax, bmin, bmax;
    bool odd; /* the two corners lie on diagonals of different parity */
} search;

/* Advances the forward frontier by one edit; true when it overlaps the backward one. */
static bool forward_step(myers *m, const box *bx, search *s, long *xmid, long *ymid)
{
    long *fd = m->fd;
    if (s->fmin > s->dmin)
        fd[--s->fmin - 1] = -1;
    else
        s->fmin++;
    if (s->fmax < s->dmax)
        fd[++s->fmax + 1] = -1;
    else
        s->fmax--;
    for (long d = s->fmax; d >= s->fmin; d -= 2) {
        long lo = fd[d - 1], hi = fd[d + 1];
        long x = lo >= hi ? lo + 1 : hi, y = x - d;
        while (x < bx->xlim && y < bx->ylim && m->xv[x] == m->yv[y])
            x++, y++;
        fd[d] = x;
        if (s->odd && s->bmin <= d && d <= s->bmax && m->bd[d] <= x) {
            *xmid = x, *ymid = y;
            return true;
        }
    }
    return false;
}

/* Advances the backward frontier by one edit; true when it overlaps the forward one. */
static bool backward_step(myers *m, const box *bx, search *s, long *xmid, long *ymid)
{
    long *bd = m->bd;
    if (s->bmin > s->dmin)
        bd[--s->bmin - 1] = LONG_MAX;
    else
        s->bmin++;
    if (s->bmax < s->dmax)
        bd[++s->bmax + 1] = LONG_MAX;
    else
        s->bmax--;
    for (long d = s->bmax; d >= s->bmin; d -= 2) {
        long lo = bd[d - 1], hi = bd[d + 1];
        long x = lo < hi ? lo : hi - 1, y = x - d;
        while (x > bx->xoff && y > bx->yoff && m->xv[x - 1] == m->yv[y - 1])
            x--, y--;
        bd[d] = x;
        if (!s->odd && s->fmin <= d && d <= s->fmax && x <= m->fd[d]) {
            *xmid = x, *ymid = y;
            return true;
        }
    }
    return false;
}

/* The search took too many edits (GNU diffseq.h's TOO_EXPENSIVE heuristic): the point the
 * forward frontier carried furthest from the top-left corner (largest x + y), or the one the
 * backward frontier carried furthest from the bottom-right one, whichever went further. *lo
 * is true when it is the forward one: the box above it is then the one to search in full. */
static void best_split(const myers *m, const box *bx, const search *s, long *xmid, long *ymid,
                       bool *lo)
{
    long fxy = -1, fx = bx->xoff;
    for (long d = s->fmax; d >= s->fmin; d -= 2) {
        long x = m->fd[d] < bx->xlim ? m->fd[d] : bx->xlim, y = x - d;
        if (y > bx->ylim)
            x = bx->ylim + d, y = bx->ylim;
        if (x + y > fxy)
            fxy = x + y, fx = x;
    }
    long bxy = LONG_MAX, bx_ = bx->xlim;
    for (long d = s->bmax; d >= s->bmin; d -= 2) {
        long x = m->bd[d] > bx->xoff ? m->bd[d] : bx->xoff, y = x - d;
        if (y < bx->yoff)
            x = bx->yoff + d, y = bx->yoff;
        if (x + y < bxy)
            bxy = x + y, bx_ = x;
    }
    *lo = (bx->xlim + bx->ylim) - bxy < fxy - (bx->xoff + bx->yoff);
    *xmid = *lo ? fx : bx_;
    *ymid = *lo ? fxy - fx : bxy - bx_;
}

/* Finds a point on a shortest edit path through bx, whose corners differ on both ends; unless
 * minimal, one on a short path once the search grows too expensive (*lo, *hi: which of the
 * two boxes it splits off must be searched in full). */
static void middle_snake(myers *m, const box *bx, bool minimal, long *xmid, long *ymid,
                         bool *lo, bool *hi)
{
    long fmid = bx->xoff - bx->yoff, bmid = bx->xlim - bx->ylim;
    search s = {
        .dmin = bx->xoff - bx->ylim, .dmax = bx->xlim - bx->yoff,
        .fmin = fmid, .fmax = fmid, .bmin = bmid, .bmax = bmid,
        .odd = ((fmid - bmid) & 1) != 0,
    };
    m->fd[fmid] = bx->xoff;
    m->bd[bmid] = bx->xlim;
    *lo = *hi = minimal;
    for (long c = 1; !forward_step(m, bx, &s, xmid, ymid) &&
                     !backward_step(m, bx, &s, xmid, ymid);
         c++) {
        if (!minimal && c >= m->too_expensive) {
            best_split(m, bx, &s, xmid, ymid, lo);
            *hi = !*lo;
            return;
        }
    }
}

/* Flags an edit script turning a[xoff, xlim) into b[yoff, ylim): the shortest when minimal,
 * else one the search may cut short (middle_snake). */
static void compare(myers *m, long xoff, long xlim, long yoff, long ylim, bool minimal)
{
    while (xoff < xlim && yoff < ylim && m->xv[xoff] == m->yv[yoff])
        xoff++, yoff++;
    while (xoff < xlim && yoff < ylim && m->xv[xlim - 1] == m->yv[ylim - 1])
        xlim--, ylim--;
    if (xoff == xlim) {
        while (yoff < ylim)
            m->ychg[yoff++] = true;
    } else if (yoff == ylim) {
        while (xoff < xlim)
            m->xchg[xoff++] = true;
    } else {
        box bx = {xoff, xlim, yoff, ylim};
        long xmid, ymid;
        bool lo, hi;
        middle_snake(m, &bx, minimal, &xmid, &ymid, &lo, &hi);
        compare(m, xoff, xmid, yoff, ymid, lo);
        compare(m, xmid, xlim, ymid, ylim, hi);
    }
}

/* Flags the lines of sd whose ids are not in `other` (they cannot be common) and lists the
 * rest as ids and original indices; returns how many remain. */
static long keep_matching(side *sd, const bool *other, long *ids, long *index)
{
    long n = 0;
    for (long i = 0; i < sd->n; i++) {
        if (other[sd->id[i]]) {
            ids[n] = sd->id[i];
            index[n++] = i;
        } else {
            sd->changed[i] = true;
        }
    }
    return n;
}

static bool *present_ids(const side *sd, size_t nids)
{
    bool *present = xcalloc(nids, sizeof *present);
    for (long i = 0; i < sd->n; i++)
        present[sd->id[i]] = true;
    return present;
}

/* Flags an edit script from a to b (the shortest below the search's cost cap). Lines found on
 * one side only are flagged first and Myers runs on the others, so wholly rewritten regions
 * cost linear time. */
static void diff_lines(side *a, side *b, size_t nids)
{
    bool *in_a = present_ids(a, nids), *in_b = present_ids(b, nids);
    long *v = xmalloc(2 * (size_t)(a->n + b->n) * sizeof *v);
    long *xv = v, *xi = v + a->n, *yv = xi + a->n, *yi = yv + b->n;
    long xn = keep_matching(a, in_b, xv, xi), yn = keep_matching(b, in_a, yv, yi);

    /* Diagonals run from -(yn + 1) to xn + 1, sentinels included. */
    size_t diags = (size_t)(xn + yn + 3);
    long *d = xmalloc(2 * diags * sizeof *d);
    bool *chg = xcalloc((size_t)(xn + yn), sizeof *chg);
    /* about the square root of the input, at least 4096 (GNU diff's analyze.c) */
    long too_expensive = 1;
    for (size_t k = diags; k; k >>= 2)
        too_expensive <<= 1;
    myers m = {xv, yv, chg, chg + xn, d + yn + 1, d + diags + yn + 1,
               too_expensive > 4096 ? too_expensive : 4096};
    compare(&m, 0, xn, 0, yn, false);
    for (long i = 0; i < xn; i++)
        a->changed[xi[i]] = chg[i];
    for (long j = 0; j < yn; j++)
        b->changed[yi[j]] = chg[xn + j];

    free(chg);
    free(d);
    free(v);
    free(in_a);
    free(in_b);
}

/* ---- changes and hunks ---- */

/* Turns the changed flags into a list of changes; *count receives its length. */
static change *collect_changes(const side *a, const side *b, long *count)
{
    change *v = NULL;
    long n = 0, cap = 0, i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (!a->changed[i] && !b->changed[j]) {
            i++, j++;
            continue;
        }
        change c = {i, 0, j, 0};
        while (a->changed[i])
            i++;
        while (b->changed[j])
            j++;
        c.adel = i - c.a0, c.bins = j - c.b0;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            v = xrealloc(v, (size_t)cap * sizeof *v);
        }
        v[n++] = c;
    }
    *count = n;
    return v;
}

/* The index just past the last change of the hunk that starts with ch[k]. */
static long hunk_end(const change *ch, long n, long k)
{
    while (k + 1 < n && ch[k + 1].a0 - (ch[k].a0 + ch[k].adel) <= 2 * CONTEXT)
        k++;
    return k + 1;
}

/* "start,count" with 0-based start, as GNU prints it: an empty range names the line before it. */
static void put_range(df_buf *out, long start, long count)
{
    if (count == 0)
        buf_printf(out, "%ld,0", start);
    else if (count == 1)
        buf_printf(out, "%ld", start + 1);
    else
        buf_printf(out, "%ld,%ld", start + 1, count);
}

static void put_line(df_buf *out, char tag, df_slice l)
{
    buf_putc(out, tag);
    buf_put_slice(out, l);
    if (l.p[l.n - 1] != '\n')
        buf_puts(out, "\n\\ No newline at end of file\n");
}

static long min_long(long x, long y)
{
    return x < y ? x : y;
}

/* Prints changes ch[0, n) as one hunk with up to CONTEXT lines of context on each side.
 * Unchanged stretches have the same length in a and b, so the context counts agree. */
static void put_hunk(df_buf *out, const side *a, const side *b, const change *ch, long n)
{
    const change *last = &ch[n - 1];
    long lead = min_long(CONTEXT, ch[0].a0);
    long trail = min_long(CONTEXT, a->n - (last->a0 + last->adel));
    long a0 = ch[0].a0 - lead, b0 = ch[0].b0 - lead;
    long a1 = last->a0 + last->adel + trail, b1 = last->b0 + last->bins + trail;

    buf_puts(out, "@@ -");
    put_range(out, a0, a1 - a0);
    buf_puts(out, " +");
    put_range(out, b0, b1 - b0);
    buf_puts(out, " @@\n");

    long i = a0;
    for (const change *c = ch; c <= last; c++) {
        while (i < c->a0)
            put_line(out, ' ', a->line[i++]);
        for (long k = 0; k < c->adel; k++)
            put_line(out, '-', a->line[c->a0 + k]);
        for (long k = 0; k < c->bins; k++)
            put_line(out, '+', b->line[c->b0 + k]);
        i = c->a0 + c->adel;
    }
    while (i < a1)
        put_line(out, ' ', a->line[i++]);
}

bool diff_unified(df_buf *out, const char *a, size_t alen, const char *b, size_t blen,
                  const char *label_a, const char *label_b)
{
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return false;

    side sa, sb;
    split(&sa, a, alen);
    split(&sb, b, blen);
    diff_lines(&sa, &sb, assign_ids(&sa, &sb));

    long n;
    change *ch = collect_changes(&sa, &sb, &n);
    if (n > 0) {
        buf_printf(out, "--- %s\n+++ %s\n", label_a, label_b);
        for (long k = 0, end; k < n; k = end) {
            end = hunk_end(ch, n, k);
            put_hunk(out, &sa, &sb, ch + k, end - k);
        }
    }
    free(ch);
    side_free(&sa);
    side_free(&sb);
    return n > 0;
}

size_t diff_hunks(const char *a, size_t alen, const char *b, size_t blen, diff_hunk **out)
{
    *out = NULL;
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return 0;
    side sa, sb;
    split(&sa, a, alen);
    split(&sb, b, blen);
    diff_lines(&sa, &sb, assign_ids(&sa, &sb));
    long n;
    change *ch = collect_changes(&sa, &sb, &n);
    if (n > 0) {
        *out = xmalloc((size_t)n * sizeof **out);
        for (long k = 0; k < n; k++)
            (*out)[k] = (diff_hunk){(size_t)ch[k].a0, (size_t)ch[k].adel, (size_t)ch[k].b0,
                                    (size_t)ch[k].bins};
    }
    free(ch);
    side_free(&sa);
    side_free(&sb);
    return (size_t)n;
}
