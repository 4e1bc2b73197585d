/*
 * late-metadata: metadata whose value changes from build to build moves after the expensive
 * steps, and ARG declarations move down to just before their first use, so a new build date or
 * commit id no longer invalidates the cache of the steps above.
 *
 * Requires:   a parsed document with stages; env-form has run.
 * Guarantees: every instruction sees the same variables and the image gets the same labels and
 *             environment:
 *   - a LABEL or ENV whose value references a build argument of the stage moves to just after
 *     the stage's last RUN/COPY/ADD, crossing nothing that redefines a variable it uses, sets
 *     one of its label keys again, or (for ENV) mentions its keys or is a RUN that could read
 *     them from its environment;
 *   - an ARG moves down to just before the first instruction that uses it: one that mentions
 *     it ($NAME, ${NAME...}, also in a RUN heredoc or an unquoted-delimiter COPY/ADD heredoc
 *     body, where BuildKit expands it), redefines it or a variable its default uses, ONBUILD, or a RUN
 *     that could read it. Every RUN sees build arguments in its environment, so a RUN counts
 *     as a use unless it is made only of tools that read a known, fixed set of variables
 *     (package managers, account and file tools; rw_run_footprint) and the name is not one of
 *     them (PATH, LANG, LC_*, proxies, DEBIAN_FRONTEND, ...; rw_env_read). Package
 *     maintainer scripts run by those tools are assumed to read only such variables too.
 * Refuses:    global ARGs (before the first FROM); an ARG no instruction of its stage uses (it
 *             stays); crossing a stage boundary or ONBUILD; an ENV crossing another ENV (the
 *             image's Env list keeps the order keys were first set); anything it cannot prove
 *             unused.
 */
#include "../compiler/internal.h"
#include "../compiler/expand.h"
#include "../compiler/rewrite.h"

#include <string.h>

typedef struct names {
    df_slice *v;
    size_t n, cap;
} names;

static void add_name(names *s, df_slice name)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = name;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Does text reference variable name ($name or ${name...})? */
static bool mentions(df_slice text, df_slice name)
{
    for (size_t i = 0; i + 1 < text.n; i++) {
        const char *dollar = memchr(text.p + i, '$', text.n - 1 - i);
        if (!dollar)
            return false;
        i = (size_t)(dollar - text.p);
        size_t j = i + 1;
        bool brace = text.p[j] == '{';
        if (brace)
            j++;
        if (j + name.n > text.n || memcmp(text.p + j, name.p, name.n) != 0)
            continue;
        size_t e = j + name.n;
        if (e == text.n || (brace ? !name_char(text.p[e]) : !name_char(text.p[e])))
            return true;
    }
    return false;
}

/* Everything of m after its keyword: flags, arguments, ONBUILD's instruction, and heredoc
 * bodies that can read variables: every RUN heredoc (a script run with the build arguments
 * and ENV in its environment), and other heredocs whose delimiter is unquoted (BuildKit
 * expands variables in the body). */
static bool node_mentions(const df_node *m, df_slice name)
{
    size_t k = rw_loff(m, m->keyword) + m->keyword.n;
    if (mentions((df_slice){m->logical.p + k, m->logical.n - k}, name))
        return true;
    for (size_t i = 0; i < m->nheredocs; i++)
        if ((m->kind == DF_RUN || m->heredocs[i].expand) && mentions(m->heredocs[i].body, name))
            return true;
    return false;
}

/* The number of variables an ENV or ARG instruction defines; the i-th is def_name(m, i). */
static size_t def_count(const df_node *m)
{
    return m->kind == DF_ENV ? m->nargs / 3 : m->kind == DF_ARG ? m->nargs : 0;
}

static df_slice def_name(const df_node *m, size_t i)
{
    if (m->kind == DF_ENV)
        return m->args[3 * i].v;
    df_slice w = m->args[i].v;
    const char *eq = memchr(w.p, '=', w.n);
    return eq ? (df_slice){w.p, (size_t)(eq - w.p)} : w;
}

/* The variable names an ENV or ARG instruction defines. */
static void defined(const df_node *m, names *out)
{
    out->n = 0;
    for (size_t i = 0, n = def_count(m); i < n; i++)
        add_name(out, def_name(m, i));
}

static bool defines_any(const df_node *m, const names *set)
{
    if (set->n == 0)
        return false;
    for (size_t i = 0, n = def_count(m); i < n; i++) {
        df_slice name = def_name(m, i);
        for (size_t j = 0; j < set->n; j++)
            if (slice_eq(name, set->v[j]))
                return true;
    }
    return false;
}

/* Variables referenced by the values of m (ENV/LABEL values, ARG defaults). */
static void referenced(df_doc *doc, const df_node *m, names *out)
{
    out->n = 0;
    for (size_t i = 0; i < m->nargs; i++) {
        df_slice w = m->args[i].v;
        if (m->kind == DF_ARG) {
            const char *eq = memchr(w.p, '=', w.n);
            if (!eq)
                continue;
            w = (df_slice){eq + 1, w.n - (size_t)(eq + 1 - w.p)};
        } else if (i % 3 != 1) {
            continue;
        }
        if (w.n == 0 || !memchr(w.p, '$', w.n))
            continue; /* most values: every reference starts with a $ */
        df_slice *refs;
        size_t nr = expand_references(&doc->arena, w, doc->escape, &refs);
        for (size_t k = 0; k < nr; k++)
            add_name(out, refs[k]);
    }
}

/* Could RUN m read any of the names, from its text or its environment? */
static bool run_reads(df_doc *doc, const df_node *m, const names *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (rw_env_read(set->v[i]) || node_mentions(m, set->v[i]))
            return true;
    rw_footprint fp;
    rw_run_footprint(doc, m, SLICE("/"), &fp); /* only which programs run matters here */
    return !fp.ok;
}

/* How far a move looks ahead; beyond it nothing moves (keeps the pass linear). */
enum { SCAN_LIMIT = 256 };

static bool step(const df_node *m)
{
    return m->kind == DF_RUN || m->kind == DF_COPY || m->kind == DF_ADD;
}

/* Moves n just before `before` (or just after `after`). Blank lines above n stay where they
 * were (or go, when the next instruction has its own lead); comment lines travel with n. Moved
 * before an instruction, n takes the blank lines that open its lead (they separate what comes
 * before), and the comment lines stay with the instruction they describe. */
static void relocate(df_doc *doc, df_node *n, df_node *before, df_node *after, df_diags *d)
{
    if (rw_lead_blank(n->lead)) {
        if (n->next && n->next->lead.n == 0)
            n->next->lead = n->lead;
        n->lead = (df_slice){"", 0};
    }
    if (before) {
        size_t blank = 0;
        for (size_t i = 0; i < before->lead.n && strchr(" \t\r\n", before->lead.p[i]); i++)
            if (before->lead.p[i] == '\n')
                blank = i + 1;
        if (blank) {
            df_buf b = {0};
            buf_put(&b, before->lead.p, blank);
            buf_put_slice(&b, n->lead);
            n->lead = buf_to_arena(&b, &doc->arena);
            buf_free(&b);
            before->lead = (df_slice){before->lead.p + blank, before->lead.n - blank};
        }
        rw_move_before(doc, n, before, d);
    } else {
        rw_move_after(doc, n, after, d);
    }
}

/* LABEL/ENV x: after the stage's last step it can reach, or NULL. */
static df_node *metadata_target(df_doc *doc, const df_node *x)
{
    names refs = {0}, keys = {0};
    referenced(doc, x, &refs);
    for (size_t i = 0; i + 2 < x->nargs; i += 3)
        add_name(&keys, x->args[i].v);
    df_node *last_step = NULL;
    size_t seen = 0;
    for (df_node *m = x->next; m && m->kind != DF_FROM; m = m->next) {
        if (++seen > SCAN_LIMIT) {
            last_step = NULL;
            break;
        }
        bool barrier = m->kind == DF_ONBUILD || defines_any(m, &refs);
        if (!barrier && x->kind == DF_LABEL && m->kind == DF_LABEL) {
            for (size_t i = 0; i + 2 < m->nargs && !barrier; i += 3)
                for (size_t k = 0; k < keys.n && !barrier; k++)
                    barrier = slice_eq(m->args[i].v, keys.v[k]);
        }
        if (!barrier && x->kind == DF_ENV) {
            /* Config.Env keeps the order keys were first set: an ENV never passes another */
            barrier = m->kind == DF_ENV || defines_any(m, &keys);
            for (size_t k = 0; k < keys.n && !barrier; k++)
                barrier = node_mentions(m, keys.v[k]);
            if (!barrier && m->kind == DF_RUN)
                barrier = run_reads(doc, m, &keys);
        }
        if (barrier)
            break;
        if (step(m))
            last_step = m;
    }
    free(refs.v);
    free(keys.v);
    return last_step;
}

/* ARG a: the instruction to land before (the first use), or NULL to stay. */
static df_node *arg_target(df_doc *doc, const df_node *a)
{
    names decl = {0}, refs = {0};
    defined(a, &decl);
    referenced(doc, a, &refs);
    df_node *use = NULL;
    size_t seen = 0;
    for (df_node *m = a->next; m && m->kind != DF_FROM && ++seen <= SCAN_LIMIT; m = m->next) {
        bool used = m->kind == DF_ONBUILD || defines_any(m, &decl) || defines_any(m, &refs);
        for (size_t k = 0; k < decl.n && !used; k++)
            used = node_mentions(m, decl.v[k]);
        if (!used && m->kind == DF_RUN)
            used = run_reads(doc, m, &decl);
        if (used) {
            use = m;
            break;
        }
    }
    free(decl.v);
    free(refs.v);
    if (!use)
        return NULL;
    /* land on top of the ARGs already waiting there, keeping their order */
    while (use->prev != a && use->prev->kind == DF_ARG)
        use = use->prev;
    return use == a->next ? NULL : use;
}

/* Is x a LABEL/ENV whose value uses a build argument declared earlier in its stage? */
static bool volatile_metadata(df_doc *doc, const df_node *x, const names *args)
{
    if ((x->kind != DF_LABEL && x->kind != DF_ENV) || x->nargs < 3 || x->nargs % 3 ||
        args->n == 0)
        return false;
    names refs = {0};
    referenced(doc, x, &refs);
    bool hit = false;
    for (size_t i = 0; i < refs.n && !hit; i++)
        for (size_t k = 0; k < args->n && !hit; k++)
            hit = slice_eq(refs.v[i], args->v[k]);
    free(refs.v);
    return hit;
}

/* What a walk does with a stage (late_metadata's marks). */
enum { VISIT = 1, MOVED = 2 };

/* One walk over the stages marked VISIT: moves what can move now and marks MOVED the stages
 * where something moved; true when something moved. */
static bool sweep(df_doc *doc, unsigned char *mark, df_diags *d)
{
    bool changed = false;
    size_t cap = 0, count = 0;
    df_node **list = NULL;
    names args = {0}, def = {0};
    /* LABEL/ENV, bottom-up per stage so several keep their order after the last step */
    for (size_t s = 0; s < doc->nstages; s++) {
        if (!(mark[s] & VISIT))
            continue;
        args.n = 0;
        const df_node *from = doc->stages[s].from;
        for (df_node *n = from->next; n && n->kind != DF_FROM; n = n->next) {
            if (volatile_metadata(doc, n, &args)) {
                if (count == cap)
                    list = xrealloc(list, (cap = cap ? cap * 2 : 16) * sizeof *list);
                list[count++] = n;
            }
            if (n->kind == DF_ARG) {
                defined(n, &def);
                for (size_t i = 0; i < def.n; i++)
                    add_name(&args, def.v[i]);
            }
        }
    }
    for (size_t i = count; i-- > 0;) {
        df_node *after = metadata_target(doc, list[i]);
        if (after) {
            relocate(doc, list[i], NULL, after, d);
            mark[list[i]->stage] |= MOVED;
            changed = true;
        }
    }
    /* ARGs, bottom-up: each lands on top of the ARGs already waiting above its use, so
     * declarations keep their order */
    count = 0;
    for (size_t s = 0; s < doc->nstages; s++) {
        if (!(mark[s] & VISIT))
            continue;
        const df_node *from = doc->stages[s].from;
        for (df_node *n = from->next; n && n->kind != DF_FROM; n = n->next)
            if (n->kind == DF_ARG) {
                if (count == cap)
                    list = xrealloc(list, (cap = cap ? cap * 2 : 16) * sizeof *list);
                list[count++] = n;
            }
    }
    for (size_t i = count; i-- > 0;) {
        df_node *before = arg_target(doc, list[i]);
        if (before) {
            relocate(doc, list[i], before, NULL, d);
            mark[list[i]->stage] |= MOVED;
            changed = true;
        }
    }
    free(list);
    free(args.v);
    free(def.v);
    return changed;
}

PASS(late_metadata)
{
    /* What one walk moved can let another move further (an ARG that moved makes room for
     * the LABEL/ENV reading it, and the other way round): walk until nothing moves, so the
     * result is the pass's own fixpoint and optimizing it again changes nothing (at most 64
     * walks; each moves at least one instruction down). Nothing moves across a FROM, and what
     * a walk moves in a stage depends on that stage alone: a stage where nothing moved would
     * move nothing in the next walk either, so later walks visit only the stages where the
     * last one moved something. */
    enum { LOCAL_STAGES = 64 }; /* most files: no allocation */
    unsigned char local[LOCAL_STAGES];
    unsigned char *mark = doc->nstages <= LOCAL_STAGES ? local : xmalloc(doc->nstages);
    memset(mark, VISIT, doc->nstages);
    for (size_t s = 0; doc->walk && s < doc->nstages; s++)
        if (!doc->walk[s])
            mark[s] = 0; /* unchanged since the last run (PASS_BY_STAGE) */
    bool changed = false;
    for (int i = 0; i < 64 && sweep(doc, mark, d); i++) {
        changed = true;
        for (size_t s = 0; s < doc->nstages; s++)
            mark[s] = mark[s] & MOVED ? VISIT : 0;
    }
    if (mark != local)
        free(mark);
    return changed;
}
