/*
 * dead-stage: removes the stages the build target does not need.
 *
 * Requires:   current stages (sema_stages).
 * Guarantees: the target (the last stage, or the stage named by --target) builds exactly as
 *             before: every stage it reaches through FROM, COPY/ADD --from and RUN --mount
 *             from= (the stage graph, graph.c) is kept byte for byte, except that a numeric
 *             `COPY --from=N` naming a kept stage is renumbered; the global ARGs before the
 *             first FROM are all kept; parser directives and the file's header (its comment
 *             lines up to the last empty line before the first FROM) stay at the top.
 * Refuses:    when the stage graph is uncertain (a variable in a FROM image, in --from or in a
 *             mount's from=, a quoted --mount value, ONBUILD with --from); when a kept RUN --mount names a stage by a number that
 *             would change; when --target names no stage.
 * Note:       the removed stages can no longer be built with `docker build --target`; with
 *             --target NAME the stages after NAME that it does not need are removed too.
 *             Runs in time linear in the document.
 */
#include "../compiler/internal.h"

#include <string.h>

/* Was this pass named in --passes (so a refusal deserves a note)? */
static bool asked(const df_doc *doc)
{
    const char *p = doc->opt ? doc->opt->passes : NULL;
    for (; p && *p; p += strcspn(p, ","), p += *p == ',') {
        size_t n = strcspn(p, ",");
        if (n == 10 && strncmp(p, "dead-stage", 10) == 0)
            return true;
    }
    return false;
}

/* Does some stage's FROM image hold a variable that may name a stage? Then the stage graph is
 * uncertain, as graph_build would find, but known from the stages alone without walking the
 * document. It says whether, not why: the reason graph_build reports is the first uncertain
 * reference in document order, which may be an earlier --from or mount. */
static bool base_may_name_stage(const df_doc *doc)
{
    for (size_t i = 0; i < doc->nstages; i++)
        if (graph_base_may_name_stage(doc->stages[i].base))
            return true;
    return false;
}

static bool all_digits(df_slice s)
{
    if (s.n == 0)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
    return true;
}

static df_slice directives_in_text(df_slice lead);

/* The start of a first node's lead that must stay first: a BOM and the parser directive
 * lines (`# syntax=...`, `# escape=...`, `# check=...`), where the lexer found them end; the
 * comments after them belong to the removed stage. */
static df_slice directives(const df_doc *doc, df_slice lead)
{
    if (lead.p >= doc->src.p && lead.p + lead.n <= doc->src.p + doc->src.n) {
        size_t start = (size_t)(lead.p - doc->src.p);
        size_t end = doc->directives_end == SIZE_MAX ? doc->src.n : doc->directives_end;
        size_t keep = end > start ? end - start : 0;
        return (df_slice){lead.p, keep < lead.n ? keep : lead.n};
    }
    return directives_in_text(lead);
}

/* What of a removed first node's lead stays at the top: its directives (keep, directives()'s
 * answer), and the file's header (a licence, a description): the lines up to the last empty
 * line. Comments that follow the stage's FROM without an empty line belong to the stage and go
 * with it. */
static df_slice header(df_slice lead, df_slice keep)
{
    for (size_t i = lead.n; i > keep.n; i--) {
        /* the end of an empty line (only blanks and a CR before the newline) */
        if (lead.p[i - 1] != '\n')
            continue;
        size_t k = i - 1;
        while (k > 0 && (lead.p[k - 1] == ' ' || lead.p[k - 1] == '\t' || lead.p[k - 1] == '\r'))
            k--;
        if (k == 0 || lead.p[k - 1] == '\n') /* a header only if it has a comment */
            return memchr(lead.p + keep.n, '#', i - keep.n) ? (df_slice){lead.p, i} : keep;
    }
    return keep;
}

/* lead without the empty lines it starts with. */
static df_slice rest_after_empty_lines(df_slice lead)
{
    size_t i = 0, k = 0;
    while (k < lead.n && (lead.p[k] == ' ' || lead.p[k] == '\t' || lead.p[k] == '\r' ||
                          lead.p[k] == '\n'))
        if (lead.p[k++] == '\n')
            i = k;
    return (df_slice){lead.p + i, lead.n - i};
}

/* directives() for a lead that is not the source's: the same lines, read here. */
static df_slice directives_in_text(df_slice lead)
{
    size_t i = 0;
    if (lead.n >= 3 && memcmp(lead.p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    size_t keep = i;
    while (i < lead.n) {
        size_t e = i;
        while (e < lead.n && lead.p[e] != '\n')
            e++;
        size_t k = i;
        while (k < e && (lead.p[k] == ' ' || lead.p[k] == '\t'))
            k++;
        if (k >= e || lead.p[k] != '#')
            break;
        k++;
        while (k < e && (lead.p[k] == ' ' || lead.p[k] == '\t'))
            k++;
        size_t name = k;
        while (k < e && ((lead.p[k] >= 'a' && lead.p[k] <= 'z') ||
                         (lead.p[k] >= 'A' && lead.p[k] <= 'Z')))
            k++;
        df_slice word = {lead.p + name, k - name};
        while (k < e && (lead.p[k] == ' ' || lead.p[k] == '\t'))
            k++;
        if (k >= e || lead.p[k] != '=' ||
            !(slice_eq_nocase(word, "syntax") || slice_eq_nocase(word, "escape") ||
              slice_eq_nocase(word, "check")))
            break;
        i = keep = e < lead.n ? e + 1 : e;
    }
    return (df_slice){lead.p, keep};
}

/* Renumbers `--from=N` of COPY/ADD node n to the stage's new index. */
static bool renumber(df_doc *doc, df_node *n, int to, df_diags *d)
{
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (!slice_has_prefix(f, "--from="))
            continue;
        df_buf b = {0};
        buf_printf(&b, "%d", to);
        ir_edits e = {0};
        ir_edit_add(&e, n->bflags[i].off + 7, f.n - 7, buf_to_arena(&b, &doc->arena));
        buf_free(&b);
        return ir_edit_apply(doc, n, &e, d);
    }
    return false;
}

PASS(dead_stage)
{
    size_t ns = doc->nstages;
    const char *tname = doc->opt ? doc->opt->target : NULL;
    if (ns == 0)
        return false;
    int target = graph_target(doc, tname);
    if (target < 0) {
        diag_addf_plain(d, DIAG_NOTE, "dead-stage: --target %s names no stage; nothing removed",
                        tname);
        return false;
    }
    bool notes = asked(doc); /* refusals are worth a note */
    if (ns == 1 && !notes)
        return false; /* the target is the only stage: nothing to remove, no note to give */
    if (!notes && ((doc->facts && doc->facts->uncertain) || base_may_name_stage(doc)))
        return false; /* with no note to give, an uncertain graph need not be built (a part
                       * of a large file: some part's is uncertain, segment.c) */
    graph g;
    graph_build(doc, &g);
    if (g.uncertain) {
        if (notes)
            diag_node(d, DIAG_NOTE, doc, g.why_node, g.why_node->src_off,
                      g.why_node->keyword.n, "dead-stage: %s; every stage is kept", g.why);
        return false;
    }
    enum { LOCAL_STAGES = 32 }; /* the usual handful of stages: no allocation */
    bool local_live[LOCAL_STAGES];
    int local_index[LOCAL_STAGES];
    bool local = ns <= LOCAL_STAGES;
    bool *live = local ? local_live : xcalloc(ns, sizeof *live);
    int *index = local ? local_index : xcalloc(ns, sizeof *index);
    graph_live(doc, &g, target, live);
    int kept = 0;
    for (size_t i = 0; i < ns; i++)
        index[i] = live[i] ? kept++ : -1;
    bool ok = (size_t)kept < ns;
    /* a numeric reference from a kept stage must follow its stage's new index */
    for (size_t i = 0; ok && i < g.nedges; i++) {
        const graph_edge *e = &g.edges[i];
        df_slice v;
        if (!live[e->from_stage] || e->to_stage < 0 || e->kind == GE_FROM ||
            index[e->to_stage] == e->to_stage)
            continue;
        if (e->kind == GE_COPY && node_flag(e->node, "from", &v) && !all_digits(v))
            continue;
        if (e->kind == GE_MOUNT) {
            /* the mount named the stage by name unless a from= field is all digits */
            bool numeric = false;
            for (size_t k = 0; k < e->node->nbflags; k++) {
                df_slice f = e->node->bflags[k].v;
                const char *p = f.n > 5 ? memmem(f.p, f.n, "from=", 5) : NULL;
                numeric |= slice_has_prefix(f, "--mount=") && p && p + 5 < f.p + f.n &&
                           p[5] >= '0' && p[5] <= '9';
            }
            if (numeric) {
                if (notes)
                    diag_node(d, DIAG_NOTE, doc, e->node, e->node->src_off,
                              e->node->keyword.n,
                              "dead-stage: a --mount names a stage by a number that would "
                              "change; every stage is kept");
                ok = false;
            }
        }
    }
    for (size_t i = 0; ok && i < g.nedges; i++) {
        const graph_edge *e = &g.edges[i];
        df_slice v;
        if (live[e->from_stage] && e->kind == GE_COPY && e->to_stage >= 0 &&
            index[e->to_stage] != e->to_stage && node_flag(e->node, "from", &v) &&
            all_digits(v) && !renumber(doc, (df_node *)e->node, index[e->to_stage], d))
            die("dead-stage: renumbering a --from failed");
    }
    bool changed = false;
    df_node *head = doc->head;
    df_slice carry = {"", 0}; /* a removed first node's BOM, parser directives and header */
    bool head_removed = false, header_kept = false;
    for (df_node *n = doc->head, *next; ok && n; n = next) {
        next = n->next;
        if (n->stage < 0 || live[n->stage])
            continue;
        if (n == head) {
            df_slice dirs = directives(doc, n->lead);
            carry = header(n->lead, dirs);
            header_kept = carry.n > dirs.n;
            head_removed = true;
        }
        ir_unlink(doc, n);
        changed = true;
    }
    if (head_removed && doc->head) {
        /* a comment line now at the top (after the kept directives) would be read as a
         * directive: an empty line ends the directive block, as it ended where these lines
         * came from (a kept header has ended it already) */
        df_slice lead = doc->head->lead, gap = {"", 0};
        const char *nl = memchr(lead.p, '\n', lead.n); /* its first line, as the lexer reads it */
        size_t sp = lex_trim_left_space(lead.p, nl ? (size_t)(nl - lead.p) : lead.n);
        if (sp < lead.n && lead.p[sp] == '#' && !header_kept)
            gap = ir_newline(doc);
        if (header_kept) /* it ends in an empty line: one is enough */
            lead = rest_after_empty_lines(lead);
        df_buf b = {0};
        buf_put_slice(&b, carry);
        buf_put_slice(&b, gap);
        buf_put_slice(&b, lead);
        doc->head->lead = buf_to_arena(&b, &doc->arena);
        buf_free(&b);
    }
    if (!local) {
        free(live);
        free(index);
    }
    return changed;
}
