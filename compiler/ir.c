/*
 * ir.c: documents, nodes, all list surgery, and the checker.
 *
 * Invariants (checked by ir_check):
 *   - head/tail/prev/next form one consistent doubly linked list of doc->nnodes nodes;
 *   - an unedited node's text is a slice of the source, and unedited source-backed nodes appear
 *     in increasing source order without overlap;
 *   - every node's text is non-empty and ends with a newline unless it is the last node;
 *   - stages: a node's stage index is -1 before the first FROM and otherwise the index of the
 *     last FROM at or before it; stage i's `from` node is a FROM.
 */
#include "internal.h"
#include "shell.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

df_doc *ir_doc_new(const char *name, const char *src, size_t len)
{
    df_doc *doc = xcalloc(1, sizeof *doc);
    doc->name = name;
    doc->src = (df_slice){src, len};
    doc->escape = '\\';
    doc->directives_end = SIZE_MAX;
    /* the file's newline style: CRLF when its first line ends so */
    const char *nl = memchr(src, '\n', len);
    doc->crlf = nl && nl > src && nl[-1] == '\r';
    return doc;
}

/* One reading of a script, shared by the RUNs of the document whose scripts are these bytes
 * (generated and multi-stage files repeat their `apt-get update && ...`). Word values that
 * are slices of the script are slices of the first such text: the same bytes, at the same
 * offsets, kept as long as the document. */
typedef struct reading {
    const char *p;
    size_t n;
    uint64_t hash;
    sh_script sh;
} reading;

/* A node's script reading (sh_parse_node): keyed by the script slice it was read from. The
 * notes are the node's own, as they may depend on more than the script's bytes (its flags,
 * the instructions around it). */
struct df_script {
    const char *p;
    size_t n;
    const sh_script *sh; /* the shared reading's */
    void *note;
    void *footprint;     /* rw_run_footprint's results for this reading (rewrite.c) */
};

/* A hash of a script's bytes, eight at a time. */
static uint64_t script_hash(const char *p, size_t n)
{
    const uint64_t k = 0xff51afd7ed558ccdu;
    uint64_t h = n * 0x9e3779b97f4a7c15u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        h = (h ^ w) * k;
    }
    return h ^ (h >> 29);
}

/* The document's table of readings with room for one more (at most half full). */
static void readings_room(df_doc *doc)
{
    if (2 * (doc->nreadings + 1) <= doc->readings_cap)
        return;
    size_t cap = doc->readings_cap ? 2 * doc->readings_cap : 16;
    reading **v = arena_alloc(&doc->arena, cap * sizeof *v);
    for (size_t i = 0; i < doc->readings_cap; i++) {
        reading *r = doc->readings[i];
        if (!r)
            continue;
        size_t k = r->hash & (cap - 1);
        while (v[k])
            k = (k + 1) & (cap - 1);
        v[k] = r;
    }
    doc->readings = v;
    doc->readings_cap = cap;
}

/* The document's reading of script s: found by its bytes, or read now and kept. */
static const reading *reading_of(df_doc *doc, df_slice s)
{
    uint64_t h = script_hash(s.p, s.n);
    readings_room(doc);
    size_t mask = doc->readings_cap - 1, k = h & mask;
    for (reading *r; (r = doc->readings[k]); k = (k + 1) & mask)
        if (r->hash == h && r->n == s.n && memcmp(r->p, s.p, s.n) == 0)
            return r;
    reading *r = arena_alloc_raw(&doc->arena, sizeof *r);
    *r = (reading){s.p, s.n, h, {0}};
    sh_parse_stable(&doc->arena, s, &r->sh);
    doc->readings[k] = r;
    doc->nreadings++;
    return r;
}

/* sh_parse_node when n's script has not been read: finds or makes its reading and keeps it on
 * n. Kept out of line so that the usual call, which finds the reading, stays a few
 * instructions. */
__attribute__((noinline)) static struct df_script *script_read(df_doc *doc, const df_node *n,
                                                               df_slice s)
{
    struct df_script *c = arena_alloc_raw(&doc->arena, sizeof *c);
    *c = (struct df_script){s.p, s.n, NULL, NULL, NULL};
    if (doc->head) {
        c->sh = &reading_of(doc, s)->sh;
    } else {
        /* a document read one node at a time (parse_document_each) gives each node's memory
         * back before the next: nothing of it is kept for later nodes */
        sh_script *own = arena_alloc_raw(&doc->arena, sizeof *own);
        sh_parse_stable(&doc->arena, s, own);
        c->sh = own;
    }
    ((df_node *)n)->script = c; /* a memo: the node's fields stay as they were */
    return c;
}

bool sh_parse_node(df_doc *doc, const df_node *n, sh_script *out)
{
    df_slice s = n->args[0].v;
    struct df_script *c = n->script;
    if (!c || c->p != s.p || c->n != s.n)
        c = script_read(doc, n, s);
    *out = *c->sh;
    return out->ok;
}

/* n's reading when it is of n's current script, else NULL. */
static struct df_script *current_script(const df_node *n)
{
    struct df_script *c = n->script;
    return c && n->nargs && c->p == n->args[0].v.p && c->n == n->args[0].v.n ? c : NULL;
}

void **sh_note_node(const df_node *n)
{
    struct df_script *c = current_script(n);
    return c ? &c->note : NULL;
}

void **sh_footprint_note(const df_node *n)
{
    struct df_script *c = current_script(n);
    return c ? &c->footprint : NULL;
}

df_node *ir_node_new(df_doc *doc)
{
    /* the node arena holds nodes alone: packed, sizeof *n apart */
    df_node *n = arena_alloc_packed(&doc->nodes, sizeof *n);
    *n = (df_node){.stage = -1, .src_off = SIZE_MAX};
    return n;
}

/* May n name another stage (a FROM, ONBUILD, COPY/ADD --from, RUN --mount)? */
static bool names_stage(const df_node *n)
{
    if (n->kind == DF_FROM || n->kind == DF_ONBUILD)
        return true;
    if (!n->nbflags)
        return false;
    bool copy = n->kind == DF_COPY || n->kind == DF_ADD;
    if (!copy && n->kind != DF_RUN)
        return false;
    const char *flag = copy ? "--from" : "--mount";
    size_t len = copy ? 6 : 7;
    for (size_t i = 0; i < n->nbflags; i++)
        if (n->bflags[i].v.n >= len && memcmp(n->bflags[i].v.p, flag, len) == 0)
            return true;
    return false;
}

/* Node n (in the list) is being changed: its stage has changed (see df_doc.edits). */
static void touched_tracked(df_doc *doc, const df_node *n)
{
    uint64_t e = ++doc->edits;
    doc->kind_edit[n->kind] = e;
    if (n->stage < 0 || (size_t)n->stage >= doc->nstage_edit) {
        /* before the first FROM (the global ARGs every FROM reads), or a new stage */
        doc->stages_edit = doc->graph_edit = e;
        return;
    }
    doc->stage_edit[n->stage] = e;
    if (names_stage(n))
        doc->graph_edit = e;
}

static inline void touched(df_doc *doc, const df_node *n)
{
    if (doc->stage_edit) /* while the passes run on a document of many stages (api.c) */
        touched_tracked(doc, n);
}

df_node *ir_walk_stage(const df_doc *doc, size_t s)
{
    for (; s < doc->nstages; s++)
        if (doc->walk[s])
            return doc->stages[s].from;
    return NULL;
}

df_node *ir_walk_back_stage(const df_doc *doc, size_t s)
{
    while (s-- > 0)
        if (doc->walk[s])
            return doc->stages[s + 1].from->prev;
    return doc->nstages ? doc->stages[0].from->prev : doc->tail;
}

/* n was just linked in: it belongs to the stage of the node before it, unless it changes the
 * stages (a FROM) or what they are computed from (the global ARGs before the first FROM). */
static void placed(df_doc *doc, df_node *n)
{
    if (n->kind == DF_FROM) {
        doc->stages_stale = true;
        touched(doc, n);
        return;
    }
    n->stage = n->prev ? n->prev->stage : -1;
    if (n->stage < 0)
        doc->stages_stale = true;
    touched(doc, n);
}

void ir_append(df_doc *doc, df_node *n)
{
    n->prev = doc->tail;
    n->next = NULL;
    if (doc->tail)
        doc->tail->next = n;
    else
        doc->head = n;
    doc->tail = n;
    doc->nnodes++;
    placed(doc, n);
}

void ir_insert_before(df_doc *doc, df_node *at, df_node *n)
{
    if (!at) {
        ir_append(doc, n);
        return;
    }
    n->next = at;
    n->prev = at->prev;
    if (at->prev)
        at->prev->next = n;
    else
        doc->head = n;
    at->prev = n;
    doc->nnodes++;
    placed(doc, n);
}

void ir_insert_after(df_doc *doc, df_node *at, df_node *n)
{
    if (!at || !at->next) {
        ir_append(doc, n);
        return;
    }
    ir_insert_before(doc, at->next, n);
}

void ir_unlink(df_doc *doc, df_node *n)
{
    touched(doc, n);
    if (n->prev)
        n->prev->next = n->next;
    else
        doc->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        doc->tail = n->prev;
    n->prev = n->next = NULL;
    doc->nnodes--;
    if (n->kind == DF_FROM || n->stage < 0)
        doc->stages_stale = true;
}

void ir_replace(df_doc *doc, df_node *old, df_node *n)
{
    ir_insert_before(doc, old, n);
    ir_unlink(doc, old);
}

df_node *ir_node_from_text(df_doc *doc, df_slice text, df_diags *d)
{
    /* The node's fields are slices of its text: keep a copy, so callers may pass a buffer
     * they free or reuse; text the document's arena holds already (most often just made by
     * buf_to_arena or rw_splice) lives as long as the node. */
    if (!arena_holds(&doc->arena, text.p, text.n))
        text = arena_slice(&doc->arena, text.p, text.n);
    df_node *n = lex_one(doc, text, d);
    if (!n)
        return NULL;
    n->flags |= DF_N_EDITED;
    return n;
}

bool ir_node_set_text(df_doc *doc, df_node *n, df_slice text, df_diags *d)
{
    df_node *fresh = ir_node_from_text(doc, text, d);
    if (!fresh)
        return false;
    ir_node_adopt(doc, n, fresh);
    return true;
}

/* Do FROMs a and b make the same stage: the same flags and arguments, but for the case of AS
 * (keyword-case gives a FROM a new case, and the stages need not be read again)? */
static bool same_stage(const df_node *a, const df_node *b)
{
    if (a->kind != DF_FROM || b->kind != DF_FROM || a->nargs != b->nargs ||
        a->nbflags != b->nbflags || a->sub || b->sub)
        return false;
    for (size_t i = 0; i < a->nbflags; i++)
        if (!slice_eq(a->bflags[i].v, b->bflags[i].v))
            return false;
    for (size_t i = 0; i < a->nargs; i++)
        if (i == 1 ? !slice_eq_nocase(a->args[i].v, "as") || !slice_eq_nocase(b->args[i].v, "as")
                   : !slice_eq(a->args[i].v, b->args[i].v))
            return false;
    return true;
}

/* The stage of FROM n, read from its old text, now reads its new text (same_stage). */
static void stage_rebind(df_doc *doc, const df_node *n)
{
    df_stage *s = &doc->stages[n->stage];
    bool expanded = s->base_expanded.p != s->base.p;
    if (n->nargs > 0) {
        s->base = n->args[0].v;
        if (!expanded)
            s->base_expanded = s->base;
    }
    if (n->nargs >= 3)
        s->name = n->args[2].v;
    node_flag(n, "platform", &s->platform);
}

void ir_node_adopt(df_doc *doc, df_node *n, const df_node *fresh)
{
    bool rebind = n->kind == DF_FROM && !doc->stages_stale && n->stage >= 0 &&
                  (size_t)n->stage < doc->nstages && doc->stages[n->stage].from == n &&
                  same_stage(n, fresh);
    if (!rebind && (n->kind == DF_FROM || fresh->kind == DF_FROM || n->stage < 0))
        doc->stages_stale = true;
    df_node *prev = n->prev, *next = n->next;
    df_slice lead = n->lead;
    int stage = n->stage;
    if (fresh->lead.n) {
        /* comment lines given with the text go after the existing lead */
        df_buf b = {0};
        buf_put_slice(&b, lead);
        buf_put_slice(&b, fresh->lead);
        lead = buf_to_arena(&b, &doc->arena);
        buf_free(&b);
    }
    unsigned merged = n->flags & DF_N_MERGED;
    size_t line = n->line;
    touched(doc, n);
    *n = *fresh;
    n->flags |= merged;
    n->line = line; /* where the instruction came from, for diagnostics */
    n->prev = prev;
    n->next = next;
    n->lead = lead;
    n->stage = stage;
    if (rebind)
        stage_rebind(doc, n);
    touched(doc, n); /* the new text may name a stage */
    /* fresh is spent: when it is the last node made (an ONBUILD instruction of its own would
     * have been made after it), its room goes back to the node arena, so that a node given
     * new text again and again leaves no dead copies behind */
    if (doc->nodes.cur == (const char *)fresh + sizeof *fresh)
        doc->nodes.cur -= sizeof *fresh;
}

df_slice ir_newline(const df_doc *doc)
{
    return doc->crlf ? SLICE("\r\n") : SLICE("\n");
}

static size_t *line_index(df_doc *doc)
{
    if (!doc->line_starts) {
        /* lines counted first, so that the index is made in place at its size */
        const char *e = doc->src.p + doc->src.n;
        size_t n = 1;
        for (const char *p = doc->src.p; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            n++;
        size_t *v = arena_alloc_raw(&doc->arena, n * sizeof *v);
        v[0] = 0;
        n = 1;
        for (const char *p = doc->src.p; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            v[n++] = (size_t)(p - doc->src.p) + 1;
        doc->line_starts = v;
        doc->nlines = n;
    }
    return doc->line_starts;
}

void ir_line_col(const df_doc *cdoc, size_t off, size_t *line, size_t *col)
{
    df_doc *doc = (df_doc *)cdoc; /* the index is a cache */
    size_t *ls = line_index(doc);
    size_t lo = 0, hi = doc->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ls[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = lo + 1 + (lo >= doc->line_jump ? doc->line_base : 0);
    *col = off - ls[lo] + 1;
    if (lo == 0 && !doc->part && doc->src.n >= 3 &&
        memcmp(doc->src.p, "\xEF\xBB\xBF", 3) == 0 && off >= 3)
        *col -= 3;
}

size_t ir_line_start(const df_doc *cdoc, size_t line)
{
    df_doc *doc = (df_doc *)cdoc; /* the index is a cache */
    size_t *ls = line_index(doc);
    if (line > doc->line_jump) /* past the head a part starts with: 0 when before the slice */
        line = line > doc->line_jump + doc->line_base ? line - doc->line_base : 0;
    return line && line <= doc->nlines ? ls[line - 1] : SIZE_MAX;
}

void ir_check(const df_doc *doc, const char *after)
{
    const df_node *prev = NULL;
    size_t count = 0, src_end = 0;
    int stage = -1, nfrom = 0;
    for (const df_node *n = doc->head; n; prev = n, n = n->next) {
        count++;
        if (n->prev != prev)
            die("IR check after %s: broken prev link at node %zu", after, count);
        if (n->text.n == 0)
            die("IR check after %s: empty instruction text at node %zu", after, count);
        if (n->next && n->text.p[n->text.n - 1] != '\n')
            die("IR check after %s: node %zu does not end in a newline", after, count);
        if (!(n->flags & DF_N_EDITED) && n->src_off != SIZE_MAX) {
            if (n->text.p != doc->src.p + n->src_off || n->src_off < src_end ||
                n->src_off + n->text.n > doc->src.n)
                die("IR check after %s: node %zu text is not its source span", after, count);
            src_end = n->src_off + n->text.n;
        }
        if (n->kind == DF_FROM) {
            stage = nfrom++;
            if ((size_t)stage >= doc->nstages || doc->stages[stage].from != n)
                die("IR check after %s: FROM at node %zu is not stage %d", after, count, stage);
            /* the stage reads the FROM's text as it is now (sema_stages, stage_rebind) */
            const df_stage *st = &doc->stages[stage];
            bool named = n->nargs >= 3 && slice_eq_nocase(n->args[1].v, "as");
            if (st->base.p != (n->nargs ? n->args[0].v.p : NULL) ||
                st->name.p != (named ? n->args[2].v.p : NULL))
                die("IR check after %s: stage %d does not read its FROM's text", after, stage);
        }
        if (n->stage != stage)
            die("IR check after %s: node %zu has stage %d, expected %d", after, count, n->stage,
                stage);
    }
    if (prev != doc->tail || count != doc->nnodes)
        die("IR check after %s: tail or count wrong", after);
    if ((size_t)nfrom != doc->nstages)
        die("IR check after %s: %d FROMs but %zu stages", after, nfrom, doc->nstages);
}

bool ir_check_each_pass(void)
{
    static int wanted = -1; /* read once per process: the environment does not change */
    if (wanted < 0) {
        const char *v = getenv("DFOPT_CHECK_IR");
        wanted = v && *v && strcmp(v, "0") != 0;
    }
    return wanted;
}

void ir_check_pass(const df_doc *doc, const char *pass, bool each)
{
#ifndef NDEBUG
    if (each) /* a pass that changes nothing leaves the IR as it was */
        ir_check(doc, pass);
#else
    (void)doc, (void)pass, (void)each;
#endif
}

void ir_check_passes(const df_doc *doc, bool changed, bool each)
{
#ifndef NDEBUG
    /* without the check after every pass, the IR is still checked before anyone prints it */
    if (changed && !each)
        ir_check(doc, "the passes");
#else
    (void)doc, (void)changed, (void)each;
#endif
}

void ir_quote_value(const df_doc *doc, df_buf *b, df_slice v)
{
    bool plain = v.n > 0;
    for (size_t i = 0, w; i < v.n && plain; i += w) {
        char c = v.p[i];
        /* a blank as BuildKit splits words (Go's unicode.IsSpace: \v, \f, U+00A0, U+3000...,
         * and the bytes 0x85 and 0xA0 alone) would cut the value in two */
        bool blank = lex_is_space_rune(v.p + i, v.n - i, &w) || c == '\x85' || c == '\xA0';
        plain = !(blank || c == '"' || c == '\'' || c == '$' || c == '\\' || c == '`' ||
                  c == '=' || c == '#');
    }
    if (plain) {
        buf_put_slice(b, v);
        return;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        if (c == '"' || c == '$' || c == doc->escape)
            buf_putc(b, doc->escape);
        buf_putc(b, c);
    }
    buf_putc(b, '"');
}

void ir_keyword(const df_node *like, df_buf *b, const char *upper)
{
    bool lower = like && like->keyword.n && like->keyword.p[0] >= 'a' && like->keyword.p[0] <= 'z';
    for (const char *p = upper; *p; p++)
        buf_putc(b, lower && *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
}

void ir_end_line(const df_doc *doc, const df_node *like, df_buf *b)
{
    if (!like || (like->text.n && like->text.p[like->text.n - 1] == '\n') || like->next)
        buf_put_slice(b, ir_newline(doc));
}

/* ---- text edits ---- */

static int edit_cmp(const void *a, const void *b)
{
    const ir_edit *x = a, *y = b;
    return x->loff < y->loff ? -1 : x->loff > y->loff ? 1 : 0;
}

void ir_edit_add(ir_edits *e, size_t loff, size_t llen, df_slice ins)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 8;
        e->v = xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->n++] = (ir_edit){loff, llen, ins};
}

size_t ir_text_offset(const df_node *n, size_t loff, bool at_end)
{
    if (n->nsegs == 0)
        return loff;
    /* the pieces in order of loff: the last one that starts before loff (at loff too unless
     * at_end), found by halving (a merged RUN has a piece per line, an edit per command) */
    size_t lo = 0, hi = n->nsegs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (n->segs[mid].loff < loff || (n->segs[mid].loff == loff && !at_end))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t i = lo ? lo - 1 : 0;
    return n->segs[i].soff + (loff - n->segs[i].loff);
}

bool ir_edit_apply(df_doc *doc, df_node *n, ir_edits *e, df_diags *d)
{
    qsort(e->v, e->n, sizeof *e->v, edit_cmp);
    df_buf b = {0};
    size_t at = 0;
    bool ok = true;
    for (size_t i = 0; i < e->n && ok; i++) {
        size_t from = ir_text_offset(n, e->v[i].loff, false);
        size_t to = e->v[i].llen ? ir_text_offset(n, e->v[i].loff + e->v[i].llen, true) : from;
        if (from < at || to < from || to > n->text.n) {
            ok = false; /* overlapping edits or a range across pieces: refuse */
            break;
        }
        buf_put(&b, n->text.p + at, from - at);
        buf_put_slice(&b, e->v[i].ins);
        at = to;
    }
    if (ok) {
        buf_put(&b, n->text.p + at, n->text.n - at);
        ok = ir_node_set_text(doc, n, buf_to_arena(&b, &doc->arena), d);
    }
    buf_free(&b);
    free(e->v);
    *e = (ir_edits){0};
    return ok;
}
