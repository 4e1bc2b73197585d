/* api.c: the public library functions of include/dfopt.h, over the internal stages. */
#include "internal.h"
#include "context.h"

#include <stdlib.h>
#include <string.h>

bool doc_read(df_doc *doc, df_diags *d)
{
    size_t before = d->nerrors;
    if (!parse_document(doc, d) || d->nerrors > before)
        return false;
    sema_stages(doc, d);
#ifndef NDEBUG
    /* when asked (the tests): df_doc_optimize checks the whole IR, the parser's nodes with the
     * passes', whenever a pass changed something, and an unchanged document prints its source */
    if (ir_check_each_pass())
        ir_check(doc, "parse");
#endif
    return true;
}

df_doc *df_doc_parse(const char *name, const char *src, size_t len, df_diags *d)
{
    df_doc *doc = ir_doc_new(name, src, len);
    if (!doc_read(doc, d)) {
        df_doc_free(doc);
        return NULL;
    }
    return doc;
}

void df_doc_free(df_doc *doc)
{
    if (!doc)
        return;
    arena_free(&doc->arena);
    arena_free(&doc->nodes);
    free(doc);
}

/* Is name in the comma-separated list? */
static bool listed(const char *list, const char *name)
{
    if (!list || !*list)
        return false;
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

/* Does this run of the pipeline select pass p (--passes, else the level; minus --skip)? */
static bool selected_pass(const df_options *opt, const df_pass *p)
{
    bool run = opt->passes ? listed(opt->passes, p->name) : opt->level >= p->level;
    return run && !listed(opt->skip, p->name);
}

static bool names_known(const char *list, df_diags *d)
{
    bool ok = true;
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[64];
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, p, len);
        name[len] = '\0';
        if (len && !pipeline_find(name)) {
            diag_addf_plain(d, DIAG_ERROR, "unknown pass '%s' (see --list-passes)", name);
            ok = false;
        }
        p = e ? e + 1 : NULL;
    }
    return ok;
}

bool optimize_selects(const df_options *opt, const df_pass *p)
{
    return selected_pass(opt, p);
}

bool optimize_names_ok(const df_options *opt)
{
    df_diags scratch = {0};
    bool ok = names_known(opt->passes, &scratch) && names_known(opt->skip, &scratch) &&
              (!opt->dump_after || pipeline_find(opt->dump_after));
    diags_release(&scratch);
    return ok;
}

/* Do g and h say the same thing at the same place? A rewritten instruction's diagnostic points at
 * its line only (diag.whole_line), so there any column of that line is the same place. */
static bool same_diag(const diag *g, const diag *h)
{
    return h->level == g->level && h->line == g->line &&
           (h->col == g->col || h->whole_line || g->whole_line) &&
           strcmp(h->message, g->message) == 0;
}

/* Where same_diag looks: the level, line and message (the column is compared on a hit). */
static size_t diag_hash(const diag *g)
{
    uint64_t h = fnv1a(FNV_OFFSET ^ ((uint64_t)g->line * 0x9E3779B97F4A7C15u) ^ g->level,
                       g->message, strlen(g->message));
    return (size_t)(h ^ (h >> 29));
}

/* Drops the diagnostics from index from on that repeat an earlier one (a pass that refuses says
 * so again in a later round). The earlier ones, and each kept, go into a hash table of their
 * places: linear in the diagnostics, however many a document has. */
static void drop_repeated(df_diags *d, size_t from)
{
    if (from >= d->n)
        return;
    size_t cap = 16;
    while (cap < 2 * d->n)
        cap *= 2;
    size_t *slot = xcalloc(cap, sizeof *slot); /* 1 + index in d->v, 0 empty */
    size_t mask = cap - 1;
    for (size_t j = 0; j < from; j++) {
        size_t h = diag_hash(&d->v[j]) & mask;
        while (slot[h])
            h = (h + 1) & mask;
        slot[h] = j + 1;
    }
    size_t k = from;
    for (size_t i = from; i < d->n; i++) {
        const diag *g = &d->v[i];
        size_t h = diag_hash(g) & mask;
        bool seen = false;
        for (; slot[h] && !seen; h = (h + 1) & mask)
            seen = same_diag(&d->v[slot[h] - 1], g);
        if (seen) {
            if (g->level == DIAG_ERROR)
                d->nerrors--;
            free(g->message);
            free(g->source_line);
        } else {
            slot[h] = k + 1; /* h: the empty slot the probe ended at */
            d->v[k++] = *g;
        }
    }
    free(slot);
    d->n = k;
}

static int optimize(df_doc *doc, const df_options *opt, df_diags *d);

/*
 * Which stages a PASS_BY_STAGE pass must look at again (df_pass.flags). A pass's run leaves
 * what it acts on at its own fixpoint, so run again it can change something only in a stage
 * that has changed since, or in a stage whose result depends on one that has: a stage tied to
 * it by a FROM, a --from or a mount's from= (in either direction: heirs and readers tell a
 * stage what to keep; every stage of a name counts). The stages so tied form groups
 * (union-find, recomputed when an instruction that may name a stage changes); the pass walks
 * the groups holding a changed stage, and the groups holding a stage with a reference no text
 * resolves (a variable in --from, a quoted mount, ONBUILD with --from: its effect may reach any
 * stage, so the walk must see it, and with the stages tied to it), unless that stage changed
 * itself: then it walks everything. A change to the stages themselves or to the global ARGs
 * makes every stage changed.
 */
/* Below TRACK_STAGES stages the bookkeeping costs more than the walks it saves. */
enum { MAX_PASSES = 64, TRACK_STAGES = 32 };
typedef struct stage_track {
    uint64_t seen[MAX_PASSES]; /* doc->edits when each pass last ran to its end */
    bool ran[MAX_PASSES];
    bool all_next[MAX_PASSES]; /* the pass set doc->walk_all_next in its last run */
    bool on;                   /* the stages are told apart (TRACK_STAGES or more) */
    df_node **from;            /* the FROM of each stage when the arrays were sized */
    size_t n, cap;             /* stages; room in the arrays */
    int *group;                /* union-find parent of each stage */
    bool *loose;               /* the stage holds a reference no text resolves */
    bool *walk;
    void *mem;                 /* the arrays, one allocation */
    uint64_t group_edit;       /* doc->graph_edit the groups were computed at */
    bool grouped;
} stage_track;

typedef struct tie_ctx {
    df_doc *doc;
    int *group;
    int stage;
} tie_ctx;

static void tie_ref(void *ctx, const df_node *n, df_slice ref, graph_edge_kind kind)
{
    (void)n, (void)kind;
    tie_ctx *t = ctx;
    uf_join(t->group, t->stage, sema_stage_ref(t->doc, ref, t->doc->nstages));
}

static void track_group(df_doc *doc, stage_track *t)
{
    for (size_t s = 0; s < t->n; s++) {
        t->group[s] = (int)s;
        t->loose[s] = graph_base_may_name_stage(doc->stages[s].base);
    }
    for (size_t s = 0; s < t->n; s++) {
        uf_join(t->group, (int)s, doc->stages[s].base_stage);
        /* a name is looked up before or after */
        uf_join(t->group, (int)s, doc->stages[s].prev_same);
    }
    tie_ctx c = {doc, t->group, -1};
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->stage < 0 || (n->kind != DF_COPY && n->kind != DF_ADD && n->kind != DF_RUN &&
                             n->kind != DF_ONBUILD))
            continue;
        c.stage = n->stage;
        const df_node *k = n->kind == DF_ONBUILD ? n->sub : n;
        if (k && graph_node_refs(k, tie_ref, &c))
            t->loose[n->stage] = true;
    }
    t->group_edit = doc->graph_edit;
    t->grouped = true;
}

/* Room for n stages in the arrays (their contents are set afresh by track_stages). */
static void track_room(df_doc *doc, stage_track *t, size_t n)
{
    if (n <= t->cap)
        return;
    free(t->mem);
    size_t cap = n;
    char *m = t->mem = xmalloc(cap * (2 * sizeof(uint64_t) + sizeof(int) + 2));
    doc->stage_edit = (uint64_t *)m;
    t->from = (df_node **)(m + cap * sizeof(uint64_t));
    t->group = (int *)(m + 2 * cap * sizeof(uint64_t));
    t->loose = (bool *)(m + cap * (2 * sizeof(uint64_t) + sizeof(int)));
    t->walk = t->loose + cap;
    t->cap = cap;
}

/* The stages are as they were read (sema_stages): when they are not the same FROMs as before,
 * every stage counts as changed. */
static void track_stages(df_doc *doc, stage_track *t)
{
    if (!t->on)
        return;
    bool same = doc->nstages == t->n;
    for (size_t s = 0; same && s < t->n; s++)
        same = doc->stages[s].from == t->from[s];
    if (same)
        return;
    track_room(doc, t, doc->nstages);
    t->n = doc->nstages;
    for (size_t s = 0; s < t->n; s++) {
        t->from[s] = doc->stages[s].from;
        doc->stage_edit[s] = 0;
    }
    doc->nstage_edit = t->n;
    doc->stages_edit = ++doc->edits;
    t->grouped = false;
}

/* How the passes walk (optimize_walk): the environment's DFOPT_WALK is read once. */
static int walk_mode = -1;

void optimize_walk(optimize_walk_mode mode)
{
    walk_mode = (int)mode;
}

static optimize_walk_mode walk_how(void)
{
    if (walk_mode < 0) {
        const char *v = getenv("DFOPT_WALK");
        walk_mode = v && strcmp(v, "all") == 0       ? WALK_EVERY_STAGE
                    : v && strcmp(v, "changed") == 0 ? WALK_CHANGED_STAGES
                                                     : WALK_DEFAULT;
    }
    return (optimize_walk_mode)walk_mode;
}

static void track_init(df_doc *doc, stage_track *t)
{
    t->n = t->cap = 0;
    t->mem = NULL;
    t->grouped = false;
    memset(t->ran, 0, sizeof t->ran);
    memset(t->all_next, 0, sizeof t->all_next);
    doc->edits = doc->graph_edit = doc->stages_edit = 0;
    doc->stage_edit = NULL; /* NULL: stages not told apart (ir.c) */
    doc->nstage_edit = 0;
    optimize_walk_mode how = walk_how();
    t->on = how == WALK_CHANGED_STAGES ? doc->nstages > 1
                                       : how == WALK_DEFAULT && doc->nstages >= TRACK_STAGES;
    if (t->on)
        memset(doc->kind_edit, 0, sizeof doc->kind_edit);
    track_stages(doc, t);
}

static void track_free(df_doc *doc, stage_track *t)
{
    free(t->mem);
    doc->stage_edit = NULL;
    doc->nstage_edit = 0;
}

enum { RUN_ALL, RUN_SOME, RUN_NONE };

/* How pass i runs now: on every stage, on the stages t->walk marks, or not at all. */
static int track_walk(df_doc *doc, stage_track *t, size_t i)
{
    if (!t->on || !(pipeline[i].flags & PASS_BY_STAGE) || !t->ran[i] || t->all_next[i])
        return RUN_ALL;
    uint64_t seen = t->seen[i];
    if (pipeline[i].kinds) {
        bool any = false;
        for (int k = 0; k < DF_NKINDS && !any; k++)
            any = (pipeline[i].kinds & KIND_BIT(k)) && doc->kind_edit[k] > seen;
        if (!any)
            return RUN_NONE; /* none of the instructions it acts on changed */
    }
    if (doc->stages_edit > seen)
        return RUN_ALL;
    bool any = false;
    for (size_t s = 0; s < t->n; s++) {
        if (doc->stage_edit[s] <= seen)
            continue;
        if (!any) { /* the first changed stage: the groups are wanted */
            any = true;
            if (!t->grouped || t->group_edit != doc->graph_edit)
                track_group(doc, t);
            memset(t->walk, 0, t->n * sizeof *t->walk);
        }
        if (t->loose[s])
            return RUN_ALL;
        t->walk[uf_root(t->group, (int)s)] = true;
    }
    if (!any)
        return RUN_NONE;
    /* a stage holding a reference no text resolves is walked in every run, with the stages tied
     * to it: what a pass decides there may depend on them (pkg-hygiene keeps the package lists
     * of a stage another one mounts) */
    for (size_t s = 0; s < t->n; s++)
        if (t->loose[s])
            t->walk[uf_root(t->group, (int)s)] = true;
    /* down from the end: a group's root is its first stage, whose mark the others read before
     * it gets its own */
    for (size_t s = t->n; s-- > 0;)
        t->walk[s] = t->walk[uf_root(t->group, (int)s)];
    return RUN_SOME;
}

void facts_step(df_facts *f, const df_doc *doc, const df_node *n)
{
    /* only an instruction continued on another line can show a continuation style */
    if (!f->have_style && n->nsegs > 1)
        rs_note_style(doc, n, f);
}

void facts_end(df_facts *f, const df_doc *doc)
{
    f->upper = doc->read_upper;
    f->lower = doc->read_lower;
}

int df_doc_optimize(df_doc *doc, const df_options *opt, df_diags *d)
{
    /* The context is opened when a pass first asks for it (doc_context): -O0 runs no pass,
     * and most documents have nothing to look up. */
    if (!doc->context_asked)
        doc->context_dir = opt->context;
    int changed = optimize(doc, opt, d);
    doc->context_dir = doc->context_file = NULL; /* the caller's strings */
    return changed;
}

static int optimize(df_doc *doc, const df_options *opt, df_diags *d)
{
    if (!names_known(opt->passes, d) || !names_known(opt->skip, d) ||
        (opt->dump_after && !pipeline_find(opt->dump_after))) {
        if (opt->dump_after && !pipeline_find(opt->dump_after))
            diag_addf_plain(d, DIAG_ERROR, "unknown pass '%s' (see --list-passes)",
                            opt->dump_after);
        return -1;
    }
    /* A file holding NUL bytes is read and printed back byte for byte, but not optimized:
     * passes build text from C strings, and such a file is no real Dockerfile anyway. */
    if (memchr(doc->src.p, '\0', doc->src.n)) {
        if (opt->level > 0 || opt->passes)
            diag_addf_plain(d, DIAG_NOTE, "%s: not optimized: the file holds NUL bytes",
                            doc->name ? doc->name : "-");
        return 0;
    }
    /* An instruction whose line continuation runs into the end of the file would swallow
     * anything a pass placed after it. */
    if (doc->tail && (doc->tail->flags & DF_N_OPEN)) {
        if (opt->level > 0 || opt->passes)
            diag_addf_plain(d, DIAG_NOTE,
                            "%s: not optimized: the line continuation of its last instruction "
                            "runs into the end of the file (remove the final '%c')",
                            doc->name ? doc->name : "-", doc->escape);
        return 0;
    }
    int changed = 0;
    doc->opt = opt;
    /* A pass can make room for an earlier one (dup-config removing an ENTRYPOINT between a COPY
     * and a RUN lets hoist move the RUN): the selected passes run again while a round changes
     * something, so that optimizing the result once more changes nothing. A pass is a
     * function of the document: once every selected pass has run on the document as it now is
     * without changing it, another round would change nothing either, so the rounds stop there
     * rather than at the end of a round (unless --dump-after wants every run). Rounds can be
     * many: late-metadata moves an ENV down to the next one, env-merge joins the two, and the
     * joined ENV moves on in the next round, so a run of ENV groups between RUNs takes about one
     * round per group. The bound is there only against two passes undoing each other (a bug
     * the pipeline fuzzer reports as output that changes when optimized again). */
    enum { MAX_ROUNDS = 32 };
    if (pipeline_len > MAX_PASSES)
        die("the pass table outgrew MAX_PASSES");
    bool chosen[MAX_PASSES]; /* the selection, worked out once (--passes and --skip are lists) */
    size_t selected = 0, quiet = 0;
    for (size_t i = 0; i < pipeline_len; i++)
        selected += chosen[i] = selected_pass(opt, &pipeline[i]);
    /* what the passes read of the file as it was read (a part of a large file has its file's) */
    const df_facts *given = doc->facts;
    if (!given) {
        doc->own_facts = (df_facts){0};
        for (const df_node *n = doc->head; n && !doc->own_facts.have_style; n = n->next)
            facts_step(&doc->own_facts, doc, n);
        facts_end(&doc->own_facts, doc);
        doc->facts = &doc->own_facts;
    }
    stage_track track;
    track_init(doc, &track);
    for (int round = 0, before = -1; round < MAX_ROUNDS && changed != before; round++) {
        before = changed;
        size_t from = d->n;
        for (size_t i = 0; i < pipeline_len; i++) {
            const df_pass *p = &pipeline[i];
            if (!chosen[i])
                continue;
            if (round > 0 && quiet >= selected && !opt->dump_after)
                break;
            quiet++;
            /* nothing it looks at may have changed since its last run: it would change nothing
             * (and say again only what it said) */
            int walk = track_walk(doc, &track, i);
            doc->walk = walk == RUN_SOME ? track.walk : NULL;
            doc->walk_all_next = false;
            bool fired = walk != RUN_NONE && p->run(doc, d);
            doc->walk = NULL;
            track.seen[i] = doc->edits;
            track.ran[i] = true;
            track.all_next[i] = doc->walk_all_next; /* false when it did not run */
            if (fired) {
                changed++;
                /* Every pass reaches its own fixpoint in one run (cd-workdir and late-metadata
                 * repeat their walk until nothing changes): run again on its own result, it
                 * would change nothing. So p has also run on the document as it now is.
                 * tests/run.sh (invariants) checks each pass alone over the corpus, and the
                 * pipeline fuzzer checks that optimizing the output changes nothing. */
                quiet = 1;
                if (doc->stages_stale)
                    sema_stages(doc, d);
                track_stages(doc, &track);
                if (opt->pass_fired)
                    opt->pass_fired(opt->pass_fired_arg, p->name);
                ir_check_pass(doc, p->name, opt->check);
            }
            if (opt->dump_after && strcmp(opt->dump_after, p->name) == 0) {
                df_buf b = {0};
                print_json(doc, &b);
                fwrite(b.p, 1, b.len, stderr);
                buf_free(&b);
            }
        }
        if (round > 0)
            drop_repeated(d, from);
    }
    track_free(doc, &track);
    doc->opt = NULL;
    doc->facts = given;
    ir_check_passes(doc, changed, opt->check);
    return changed;
}

static char *finish(df_buf *b, size_t *len)
{
    if (!b->p)
        buf_put(b, "", 0);
    if (len)
        *len = b->len;
    return b->p;
}

char *df_doc_print(const df_doc *doc, size_t *len)
{
    df_buf b = {0};
    print_doc(doc, &b);
    return finish(&b, len);
}

char *df_doc_dump(const df_doc *doc, size_t *len)
{
    df_buf b = {0};
    print_dump(doc, &b);
    return finish(&b, len);
}

char *df_doc_json(const df_doc *doc, size_t *len)
{
    df_buf b = {0};
    print_json(doc, &b);
    return finish(&b, len);
}

const char *df_version(void)
{
    return DFOPT_VERSION;
}
