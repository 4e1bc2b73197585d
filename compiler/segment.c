/*
 * segment.c: a large file optimized in parts (see segment.h).
 *
 * The plan reads the file once, one instruction at a time (parse_document_each: the node list
 * is never built), and keeps per stage only where it starts and what ties it to others:
 *   - its name (stages of one name are tied: a name is looked up before or after);
 *   - its base, expanded as sema_stages expands it (with the file's global ARGs), when that
 *     names an earlier stage;
 *   - each --from and mount from= (graph_node_refs), by name or index, resolved once every
 *     stage is known as sema_stage_ref resolves it.
 * The stages so tied form groups (union-find); the file may be cut before a stage no group
 * spans. A reference no text resolves (a variable) ties nothing: what the passes do with one
 * is a fact of the whole file (df_facts.uncertain, .reads_all), handed to every part.
 *
 * A part is a document of its own over its slice of the file (doc->part): its lines and its
 * stages are numbered as in the file (doc->line_base, doc->stage_base; numeric --from values
 * name the same stage), it has the file's directives, newline style and facts, and its output
 * is its text's. The first part holds the file's head (directives, comments) as read. When the
 * head holds global ARGs (the only instructions it may hold), every other part is read after a
 * copy of it (doc->jump_off), so that its FROMs expand as in the file; it prints from its first
 * FROM on, and what the passes say about the head it leaves to the first part.
 */
#include "segment.h"
#include "expand.h"
#include "parallel.h"
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t segment_bytes(size_t len)
{
    static int given = -1; /* DFOPT_SEGMENT is set (read once) ... */
    static size_t bytes;   /* ... to this */
    if (given < 0) {
        const char *v = getenv("DFOPT_SEGMENT");
        given = v && *v;
        bytes = given ? (size_t)strtoull(v, NULL, 10) : 0;
    }
    if (given)
        return bytes;
    if (len < SEGMENT_MIN_FILE)
        return 0;
    size_t part = len / 16;
    return part < SEGMENT_MIN_PART ? SEGMENT_MIN_PART
           : part > SEGMENT_MAX_PART ? SEGMENT_MAX_PART
                                     : part;
}

/* A stage reference waiting for every stage to be known. */
typedef struct pending {
    size_t stage;
    df_slice ref; /* in scan.names */
} pending;

typedef struct scan {
    df_arena names;          /* the names and references kept (lower case) */
    size_t n, cap;           /* stages */
    size_t *start, *line;    /* where each stage's FROM (with its lead) starts; lines before */
    int *group;              /* union-find parent */
    name_index by_name;      /* lower-case name -> 1 + the first stage of that name */
    pending *refs;
    size_t nrefs, caprefs;
    bool ok;                 /* nothing rules the plan out so far */
    bool buildkit;           /* some instruction uses BuildKit-only syntax */
    df_facts facts;
    size_t head_args;        /* ARGs before the first FROM */
    df_doc *head;            /* the file up to its first FROM, when it holds ARGs ... */
    sema_globals *globals;   /* ... and their defaults, to expand the FROMs as sema does */
} scan;

static void tie(scan *sc, size_t a, size_t b)
{
    uf_join(sc->group, (int)a, (int)b);
}

/* A lower-case copy of s in the scan's arena (stage names compare case-insensitively). */
static df_slice lower_copy(scan *sc, df_slice s)
{
    char *p = arena_alloc_raw(&sc->names, s.n ? s.n : 1);
    for (size_t i = 0; i < s.n; i++)
        p[i] = (char)ascii_fold((unsigned char)s.p[i]);
    return (df_slice){p, s.n};
}

static void add_ref(void *ctx, const df_node *n, df_slice ref, graph_edge_kind kind)
{
    (void)n, (void)kind;
    scan *sc = ctx;
    if (sc->nrefs == sc->caprefs) {
        sc->caprefs = sc->caprefs ? 2 * sc->caprefs : 64;
        sc->refs = xrealloc(sc->refs, sc->caprefs * sizeof *sc->refs);
    }
    sc->refs[sc->nrefs++] = (pending){sc->n - 1, lower_copy(sc, ref)};
}

static void add_stage(scan *sc, const df_doc *doc, const df_node *n)
{
    if (sc->n == sc->cap) {
        sc->cap = sc->cap ? 2 * sc->cap : 256;
        sc->start = xrealloc(sc->start, sc->cap * sizeof *sc->start);
        sc->line = xrealloc(sc->line, sc->cap * sizeof *sc->line);
        sc->group = xrealloc(sc->group, sc->cap * sizeof *sc->group);
    }
    size_t s = sc->n++, nl = 0;
    for (size_t i = 0; i < n->lead.n; i++)
        nl += n->lead.p[i] == '\n';
    sc->start[s] = (size_t)(n->lead.p - doc->src.p);
    sc->line[s] = n->line - 1 - nl;
    sc->group[s] = (int)s;
    /* the file's head: the global ARGs, read apart (the scan keeps no instruction) */
    if (s == 0 && sc->head_args) {
        sc->head = ir_doc_new(doc->name, doc->src.p, sc->start[0]);
        df_diags d = {0};
        if (parse_document(sc->head, &d) && d.nerrors == 0)
            sc->globals = sema_globals_read(sc->head);
        else
            sc->ok = false;
        diags_release(&d);
    }
    /* the base as sema_stages expands it: an earlier stage of that name */
    if (n->nargs > 0) {
        df_slice base = n->args[0].v;
        df_arena_mark m = arena_mark(&sc->names);
        df_slice expanded = sema_expand_base(sc->globals, doc->escape, &sc->names, base);
        if (expanded.n && !(expanded.p[0] >= '0' && expanded.p[0] <= '9')) {
            size_t i = name_index_get(&sc->by_name, lower_copy(sc, expanded));
            if (i)
                tie(sc, s, i - 1);
        }
        arena_release(&sc->names, m);
        if (graph_base_may_name_stage(base))
            sc->facts.uncertain = sc->facts.variable_from = true;
    }
    if (n->nargs >= 3 && slice_eq_nocase(n->args[1].v, "as")) {
        df_slice name = lower_copy(sc, n->args[2].v);
        if (memchr(name.p, '$', name.n) || memchr(name.p, '"', name.n))
            sc->ok = false; /* pkg-hygiene reads such a name as a variable */
        size_t i = name_index_get(&sc->by_name, name);
        if (i)
            tie(sc, s, i - 1);
        else
            name_index_put(&sc->by_name, name, s);
    }
}

/* Each instruction of the file, in order (a parse_each_fn). */
static void scan_node(void *ctx, const df_doc *doc, const df_node *n)
{
    scan *sc = ctx;
    if (n->flags & DF_N_OPEN)
        sc->ok = false; /* its continuation runs into the end of the file: not optimized */
    if (!sc->facts.have_style)
        facts_step(&sc->facts, doc, n);
    sc->buildkit = sc->buildkit || rw_node_buildkit(n);
    sc->facts.shell = sc->facts.shell || rw_node_shell(n);
    if (n->kind == DF_FROM) {
        add_stage(sc, doc, n);
        return;
    }
    if (sc->n == 0) { /* before the first FROM: the global ARGs, which every part gets */
        if (n->kind == DF_ARG)
            sc->head_args++;
        else
            sc->ok = false;
        return;
    }
    if (n->kind == DF_COPY || n->kind == DF_ADD || n->kind == DF_RUN || n->kind == DF_ONBUILD) {
        const df_node *k = n->kind == DF_ONBUILD ? n->sub : n;
        if (k && graph_node_refs(k, add_ref, sc))
            sc->facts.uncertain = true;
        sc->facts.reads_all = sc->facts.reads_all || pkg_reads_every_stage(n);
    }
}

/* Resolves the references as sema_stage_ref does with every stage known: an index, or the
 * last stage of the name (every stage of a name is tied already). */
static void tie_refs(scan *sc)
{
    for (size_t r = 0; r < sc->nrefs; r++) {
        df_slice ref = sc->refs[r].ref;
        size_t idx = 0, i = 0;
        while (i < ref.n && ref.p[i] >= '0' && ref.p[i] <= '9' && idx <= sc->n)
            idx = idx * 10 + (size_t)(ref.p[i++] - '0');
        if (ref.n && i == ref.n) {
            if (idx < sc->n)
                tie(sc, sc->refs[r].stage, idx);
            continue;
        }
        size_t s = name_index_get(&sc->by_name, ref);
        if (s)
            tie(sc, sc->refs[r].stage, s - 1);
    }
}

/* Can every pass opt selects decide in a part as in the whole file? */
static bool passes_allow(const df_options *opt, const df_facts *f)
{
    if (opt->target || opt->heredoc || opt->dump_after || !optimize_names_ok(opt))
        return false;
    for (size_t i = 0; i < pipeline_len; i++) {
        const df_pass *p = &pipeline[i];
        if (!optimize_selects(opt, p))
            continue;
        /* dead-stage removes what the last stage does not need: in a file some reference of
         * which no text resolves, nothing (and it says why only when named) */
        if (strcmp(p->name, "dead-stage") == 0 && (!f->uncertain || opt->passes))
            return false;
    }
    return true;
}

void segment_plan_free(seg_plan *plan)
{
    free(plan->off);
    free(plan->line);
    free(plan->stage);
    *plan = (seg_plan){0};
}

bool segment_plan(const char *name, const char *src, size_t len, const df_options *opt,
                  size_t part, seg_plan *plan)
{
    *plan = (seg_plan){0};
    if (part == 0 || len < part * SEGMENT_PARTS || (opt->level == 0 && !opt->passes) ||
        memchr(src, '\0', len))
        return false;
    scan sc = {.ok = true};
    df_doc *doc = ir_doc_new(name, src, len);
    df_diags d = {0};
    bool parsed = parse_document_each(doc, &d, scan_node, &sc) && d.nerrors == 0;
    diags_release(&d);
    bool ok = parsed && sc.ok && sc.n > 1 && passes_allow(opt, &sc.facts) &&
              (doc->syntax.n || !sc.buildkit);
    if (ok) {
        tie_refs(&sc);
        /* the last stage each group reaches: a cut before s is open when no group of the
         * stages before s reaches s */
        size_t *last = xmalloc(sc.n * sizeof *last);
        for (size_t s = 0; s < sc.n; s++)
            last[s] = s;
        for (size_t s = 0; s < sc.n; s++) {
            size_t r = (size_t)uf_root(sc.group, (int)s);
            if (s > last[r])
                last[r] = s;
        }
        plan->off = xmalloc((sc.n + 1) * sizeof *plan->off);
        plan->line = xmalloc((sc.n + 1) * sizeof *plan->line);
        plan->stage = xmalloc((sc.n + 1) * sizeof *plan->stage);
        plan->off[0] = plan->line[0] = plan->stage[0] = 0;
        size_t k = 0, reach = 0;
        for (size_t s = 0; s < sc.n; s++) {
            if (s > 0 && reach < s && sc.start[s] - plan->off[k] >= part &&
                len - sc.start[s] >= part / 2) {
                k++;
                plan->off[k] = sc.start[s];
                plan->line[k] = sc.line[s];
                plan->stage[k] = s;
            }
            size_t r = last[uf_root(sc.group, (int)s)];
            if (r > reach)
                reach = r;
        }
        plan->n = k + 1;
        plan->off[plan->n] = len;
        free(last);
        ok = plan->n > 1;
    }
    if (ok) {
        facts_end(&sc.facts, doc);
        plan->head = sc.head_args ? sc.start[0] : 0;
        plan->head_lines = 0;
        for (size_t i = 0; i < plan->head; i++)
            plan->head_lines += src[i] == '\n';
        plan->escape = doc->escape;
        plan->crlf = doc->crlf;
        plan->syntax = doc->syntax;
        plan->check = doc->check;
        plan->facts = sc.facts;
        plan->facts.of_parts = true;
    } else {
        segment_plan_free(plan);
    }
    const char *trace = getenv("DFOPT_SEGMENT_TRACE");
    if (trace && *trace == '1') /* the tests: was the file cut, and where? */
        fprintf(stderr, "dfopt: %s: %zu part%s, %zu stages\n", name, ok ? plan->n : 1,
                ok ? "s" : "", sc.n);
    df_doc_free(doc);
    sema_globals_free(sc.globals);
    df_doc_free(sc.head);
    arena_free(&sc.names);
    name_index_free(&sc.by_name);
    free(sc.start);
    free(sc.line);
    free(sc.group);
    free(sc.refs);
    return ok;
}

/* ---- running the parts ---- */

typedef struct job {
    const char *name, *src, *context_file;
    const seg_plan *plan;
    const df_options *opt;
    bool color;
} job;

/* Part i: parsed, optimized and printed into out, its diagnostics rendered into err. */
static int run_part(void *ctx, size_t i, df_buf *out, df_buf *err)
{
    const job *j = ctx;
    const seg_plan *p = j->plan;
    size_t head = i > 0 ? p->head : 0, n = p->off[i + 1] - p->off[i];
    char *text = NULL; /* the file's head, then the part */
    df_doc *doc;
    if (head) {
        text = xmalloc(head + n);
        memcpy(text, j->src, head);
        memcpy(text + head, j->src + p->off[i], n);
        doc = ir_doc_new(j->name, text, head + n);
        doc->jump_off = head;
        doc->line_jump = p->head_lines;
        doc->line_base = p->line[i] - p->head_lines;
    } else {
        doc = ir_doc_new(j->name, j->src + p->off[i], n);
        doc->part = i > 0;
        doc->line_base = p->line[i];
        doc->escape = p->escape;
        doc->syntax = p->syntax;
        doc->check = p->check;
    }
    doc->stage_base = p->stage[i];
    doc->crlf = p->crlf;
    df_diags d = {0};
    int status = 0;
    if (!doc_read(doc, &d)) {
        status = 2;
    } else {
        doc->facts = &p->facts;
        doc->context_file = j->context_file;
        if (df_doc_optimize(doc, j->opt, &d) < 0) {
            status = 2;
        } else if (!head) {
            print_doc(doc, out);
        } else { /* the part from its first FROM: the head is the first part's */
            const df_node *from = doc->head;
            while (from && from->kind != DF_FROM)
                from = from->next;
            print_doc_from(doc, from, out);
            diags_drop_lines(&d, 1, p->head_lines);
        }
    }
    diag_render(&d, err, j->color);
    diags_release(&d);
    df_doc_free(doc);
    free(text);
    return status;
}

int segment_run(const char *name, const char *src, const char *context_file, const seg_plan *plan,
                const df_options *opt, bool color, char **out, size_t *outlen, df_buf *diags)
{
    job j = {name, src, context_file, plan, opt, color};
    size_t *weight = xmalloc(plan->n * sizeof *weight);
    for (size_t i = 0; i < plan->n; i++)
        weight[i] = plan->off[i + 1] - plan->off[i];
    df_buf b = {0};
    int status = par_collect(plan->n, weight, run_part, &j, &b, diags);
    free(weight);
    if (!b.p)
        buf_put(&b, "", 0);
    *out = b.p;
    *outlen = b.len;
    return status;
}
