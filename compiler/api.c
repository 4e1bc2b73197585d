/* api.c: the public library functions of include/dfopt.h, over the internal stages. */
#include "internal.h"
#include "context.h"

#include <stdlib.h>
#include <string.h>

df_doc *df_doc_parse(const char *name, const char *src, size_t len, df_diags *d)
{
    df_doc *doc = ir_doc_new(name, src, len);
    size_t before = d->nerrors;
    if (!parse_document(doc, d) || d->nerrors > before) {
        df_doc_free(doc);
        return NULL;
    }
    sema_stages(doc, d);
#ifndef NDEBUG
    /* when asked (the tests): df_doc_optimize checks the whole IR, the parser's nodes with the
     * passes', whenever a pass changed something, and an unchanged document prints its source */
    if (ir_check_each_pass())
        ir_check(doc, "parse");
#endif
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

/* Do g and h say the same thing at the same place? A rewritten instruction's diagnostic points at
 * its line only (diag.whole_line), so there any column of that line is the same place. */
static bool same_diag(const diag *g, const diag *h)
{
    return h->level == g->level && h->line == g->line &&
           (h->col == g->col || h->whole_line || g->whole_line) &&
           strcmp(h->message, g->message) == 0;
}

/* Drops the diagnostics from index from on that repeat an earlier one (a pass that refuses says
 * so again in a later round). */
static void drop_repeated(df_diags *d, size_t from)
{
    size_t k = from;
    for (size_t i = from; i < d->n; i++) {
        const diag *g = &d->v[i];
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = same_diag(&d->v[j], g);
        if (seen) {
            if (g->level == DIAG_ERROR)
                d->nerrors--;
            free(g->message);
            free(g->source_line);
        } else {
            d->v[k++] = *g;
        }
    }
    d->n = k;
}

static int optimize(df_doc *doc, const df_options *opt, df_diags *d);

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
    enum { MAX_ROUNDS = 32, MAX_PASSES = 64 };
    if (pipeline_len > MAX_PASSES)
        die("the pass table outgrew MAX_PASSES");
    bool chosen[MAX_PASSES]; /* the selection, worked out once (--passes and --skip are lists) */
    size_t selected = 0, quiet = 0;
    for (size_t i = 0; i < pipeline_len; i++)
        selected += chosen[i] = selected_pass(opt, &pipeline[i]);
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
            if (p->run(doc, d)) {
                changed++;
                /* Every pass reaches its own fixpoint in one run (cd-workdir and late-metadata
                 * repeat their walk until nothing changes): run again on its own result, it
                 * would change nothing. So p has also run on the document as it now is.
                 * tests/run.sh (invariants) checks each pass alone over the corpus, and the
                 * pipeline fuzzer checks that optimizing the output changes nothing. */
                quiet = 1;
                if (doc->stages_stale)
                    sema_stages(doc, d);
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
    doc->opt = NULL;
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
