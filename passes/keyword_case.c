/*
 * keyword-case: every instruction keyword, `AS` in FROM and HEALTHCHECK's CMD/NONE get the
 * letter case most of the file's keywords have as it was read, before any pass ran (upper case
 * on a tie).
 *
 * Requires:   a parsed document.
 * Guarantees: only the case of these words changes; BuildKit reads them case-insensitively, so
 *             the build is the same. Instructions inside ONBUILD are included.
 * Refuses:    unknown instructions (not keywords BuildKit knows); stage names and every other
 *             argument (their case is significant).
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

typedef struct tally {
    size_t upper, lower, keywords;
} tally;

/* Tallies the keywords of n and of its ONBUILD instructions; returns what they hold
 * (KW_LOWER, KW_UPPER: the parser notes each keyword's letters). */
static inline unsigned count(const df_node *n, tally *t)
{
    unsigned seen = 0;
    for (const df_node *m = n; m && m->kind != DF_UNKNOWN; m = m->sub) {
        t->keywords++;
        t->upper += !(m->kwcase & KW_LOWER);
        t->lower += !(m->kwcase & KW_UPPER);
        seen |= m->kwcase;
    }
    return seen;
}

/* Adds an edit giving word w (inside top's logical line) the case wanted; false if it has it. */
static bool recase(ir_edits *e, df_doc *doc, const df_node *top, df_slice w, bool upper)
{
    /* most words already have the case: look before copying */
    char from = upper ? 'a' : 'A';
    size_t i = 0;
    while (i < w.n && !(w.p[i] >= from && w.p[i] <= from + 25))
        i++;
    if (i == w.n)
        return false;
    char *out = arena_alloc(&doc->arena, w.n + 1);
    for (i = 0; i < w.n; i++) {
        char c = w.p[i];
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!upper && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[i] = c;
    }
    ir_edit_add(e, rw_loff(top, w), w.n, (df_slice){out, w.n});
    return true;
}

/* keywords: whether the keywords themselves may need a new case (else only AS, CMD, NONE). */
static bool words(ir_edits *e, df_doc *doc, const df_node *top, const df_node *n, bool upper,
                  bool keywords)
{
    if (n->kind == DF_UNKNOWN)
        return false;
    bool any = keywords && recase(e, doc, top, n->keyword, upper);
    if (n->kind == DF_FROM && n->nargs == 3 && slice_eq_nocase(n->args[1].v, "as"))
        any |= recase(e, doc, top, n->args[1].v, upper);
    if (n->kind == DF_HEALTHCHECK && n->nargs >= 1 &&
        (slice_eq_nocase(n->args[0].v, "cmd") || slice_eq_nocase(n->args[0].v, "none")))
        any |= recase(e, doc, top, n->args[0].v, upper);
    if (n->sub)
        any |= words(e, doc, top, n->sub, upper, keywords);
    return any;
}

PASS(keyword_case)
{
    tally t = {0, 0, 0};
    /* seen[i]: what the i-th node's keywords hold, so that the rewrite below visits only the
     * nodes with a keyword to change instead of reading every keyword again */
    enum { LOCAL_NODES = 512 }; /* most files: no allocation */
    unsigned char local[LOCAL_NODES];
    unsigned char *seen = doc->nnodes <= LOCAL_NODES ? local : xmalloc(doc->nnodes);
    size_t i = 0;
    for (const df_node *n = doc->head; n; n = n->next)
        seen[i++] = (unsigned char)count(n, &t);
    /* the majority of the file as it was read (api.c facts_step), which no pass before this
     * one changes, and which is the same for every part of a large file (segment.c) */
    bool upper = doc->facts ? doc->facts->upper >= doc->facts->lower : t.upper >= t.lower;
    bool changed = false;
    /* usually every keyword already has the majority's case */
    bool keywords = (upper ? t.upper : t.lower) < t.keywords;
    /* a keyword needs the other case when it holds a letter of the minority's case */
    unsigned wrong = upper ? KW_LOWER : KW_UPPER;
    i = 0;
    /* rw_set_text gives a node new text in its place: the nodes stay those counted */
    for (df_node *n = doc->head; n; n = n->next, i++) {
        /* only AS and HEALTHCHECK's CMD/NONE may need the case when no keyword of the node
         * (or its ONBUILD instruction) does */
        bool kw = keywords && (seen[i] & wrong);
        if (!kw && n->kind != DF_FROM && n->kind != DF_HEALTHCHECK && !n->sub)
            continue;
        ir_edits e = {0};
        if (!words(&e, doc, n, n, upper, kw)) {
            free(e.v);
            continue;
        }
        if (rw_set_text(doc, n, rw_splice(doc, n, &e), d))
            changed = true;
    }
    if (seen != local)
        free(seen);
    return changed;
}
