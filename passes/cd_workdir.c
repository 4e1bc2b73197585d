/*
 * cd-workdir: `RUN cd /abs && rest` becomes `WORKDIR /abs` + `RUN rest` when that is exactly
 * equivalent.
 *
 * Requires:   a parsed document with stages.
 * Guarantees: `rest` runs in /abs as before. The RUN is an &&-chain (pipes allowed) whose first
 *             command is `cd` to a literal absolute path, so it fails whenever /abs does not
 *             exist: when the original builds, /abs exists before the RUN starts and the new
 *             WORKDIR creates nothing. WORKDIR persists, so the pass only fires when nothing
 *             after the RUN sees the difference: either the working directory already is /abs
 *             (then only `cd /abs &&` is dropped), or the next instruction that depends on the
 *             working directory is an absolute WORKDIR (only ENV, ARG, LABEL, EXPOSE, USER,
 *             STOPSIGNAL, CMD, ENTRYPOINT, HEALTHCHECK, MAINTAINER between), which sets the
 *             directory later instructions and the image see.
 * Refuses:    `;`, `||`, `&`, compound commands or heredocs in the script; a relative or
 *             variable path, or one that cannot be written in WORKDIR as it is (quotes, `$`,
 *             the escape character, blanks at either end); `cd -` or $OLDPWD in the rest
 *             (cd sets OLDPWD, WORKDIR does not);
 *             a second `cd` right after; RUN --mount with a relative target (it would move),
 *             or with a target that contains /abs or lies inside it (mount points exist only
 *             while the RUN runs; WORKDIR would create /abs for good);
 *             exec-form RUN; a SHELL instruction or the backtick escape (another shell);
 *             stage end or any other instruction before the WORKDIR reset.
 * Note:       when /abs is a symbolic link, `pwd` in the rest prints the resolved path.
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

#include <string.h>

/* The RUN's flags allow the rewrite, and no mount target contains the cd target or lies
 * inside it: BuildKit creates mount points (and their missing parents) for the RUN only and
 * removes them after, while WORKDIR would create the directory for good. */
static bool flags_ok(df_doc *doc, const df_node *n, df_slice target)
{
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v, v;
        if (slice_has_prefix(f, "--network=") || slice_has_prefix(f, "--security="))
            continue;
        if (!slice_has_prefix(f, "--mount="))
            return false;
        df_slice m = {f.p + 8, f.n - 8};
        if (rw_mount_key(m, "target", &v) || rw_mount_key(m, "dst", &v) ||
            rw_mount_key(m, "destination", &v)) {
            if (!rw_path_abs(v) || !rw_literal(doc, v) ||
                rw_path_overlap(rw_path_clean(&doc->arena, v), target))
                return false;
        } else if (!rw_mount_key(m, "type", &v) ||
                   !(slice_eq_str(v, "secret") || slice_eq_str(v, "ssh"))) {
            return false;
        }
    }
    return true;
}

/* Is the next instruction that depends on the working directory an absolute WORKDIR? */
static bool reset_follows(df_doc *doc, const df_node *n)
{
    for (const df_node *m = n->next; m && m->kind != DF_FROM; m = m->next) {
        switch (m->kind) {
        case DF_WORKDIR:
            return m->nargs == 1 && rw_path_abs(m->args[0].v) && rw_literal(doc, m->args[0].v);
        case DF_ENV: case DF_ARG: case DF_LABEL: case DF_EXPOSE: case DF_USER:
        case DF_STOPSIGNAL: case DF_CMD: case DF_ENTRYPOINT: case DF_HEALTHCHECK:
        case DF_MAINTAINER:
            continue;
        default:
            return false;
        }
    }
    return false;
}

static bool mentions(df_slice s, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= s.n; i++)
        if (memcmp(s.p + i, word, k) == 0)
            return true;
    return false;
}

/* Can n be a shell-form RUN whose script starts with `cd` (judged from its text)? */
static bool candidate(const df_node *n)
{
    return n->kind == DF_RUN && !(n->flags & DF_N_JSON) && n->nargs == 1 && !n->nheredocs &&
           rw_may_start_with(n->args[0].v, 'c');
}

/* Rewrites n when it qualifies; returns the WORKDIR inserted before it, n itself when only the
 * cd was dropped, NULL when nothing changed. */
static df_node *rewrite(df_doc *doc, df_node *n, df_slice cur, df_diags *d)
{
    if (!candidate(n))
        return NULL;
    df_slice script = n->args[0].v;
    sh_script sc;
    if (!sh_parse_node(doc, n, &sc) || sc.compound || sc.heredoc || sc.background ||
        sc.trailing_op || sc.ncmds < 2)
        return NULL;
    const sh_cmd *c0 = &sc.cmds[0];
    if (c0->nassign || c0->nredirs || c0->negated || c0->nwords != 2 || c0->op != SH_AND ||
        !sh_word_is(c0, 0, "cd") || !c0->words[1].literal || c0->words[1].glob ||
        !rw_path_abs(c0->words[1].value) ||
        memchr(c0->words[1].value.p, '{', c0->words[1].value.n))
        return NULL;
    for (size_t i = 1; i < sc.ncmds; i++) {
        const sh_cmd *c = &sc.cmds[i];
        if (c->depth != 0 || (c->op != SH_AND && c->op != SH_PIPE && c->op != SH_END))
            return NULL;
        size_t p = sh_program(c);
        if (i == 1 && p < c->nwords && (sh_word_is(c, p, "cd") || sh_word_is(c, p, "chdir")))
            return NULL;
        if (p < c->nwords && sh_word_is(c, p, "cd") &&
            (p + 1 >= c->nwords || sh_word_is(c, p + 1, "-")))
            return NULL; /* `cd` alone goes home either way, but keep it simple */
    }
    if (mentions(script, "OLDPWD"))
        return NULL;
    /* what is deleted is exactly `cd PATH &&` and the blanks after it */
    int amps = 0;
    for (size_t i = c0->end; i < sc.cmds[1].off; i++) {
        char c = script.p[i];
        if (c == '&')
            amps++;
        else if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\'))
            return NULL;
    }
    if (amps != 2)
        return NULL;
    df_slice target = rw_path_clean(&doc->arena, c0->words[1].value);
    if (!rw_path_writable(doc, target) || !flags_ok(doc, n, target))
        return NULL;
    bool same = cur.n && slice_eq(cur, target);
    if (!same && !reset_follows(doc, n))
        return NULL;
    ir_edits e = {0};
    size_t base = n->args[0].off;
    ir_edit_add(&e, base + c0->off, sc.cmds[1].off - c0->off, (df_slice){"", 0});
    df_slice text = rw_splice(doc, n, &e);
    df_node *check = rw_new_node(doc, text);
    if (!check || check->kind != DF_RUN || check->nargs != 1)
        return NULL;
    df_node *w = NULL;
    if (!same) {
        w = rw_new_node(doc, rw_line(doc, n, "WORKDIR", target));
        if (!w)
            return NULL;
    }
    if (!rw_set_text(doc, n, text, d))
        return NULL;
    if (!w)
        return n;
    w->lead = n->lead;
    n->lead = (df_slice){"", 0};
    ir_insert_before(doc, n, w);
    w->stage = n->stage;
    return w;
}

/* One walk in document order; true when a RUN changed. */
static bool sweep(df_doc *doc, df_diags *d)
{
    bool changed = false;
    rw_wd wd;
    rw_wd_init(&wd, doc);
    for (df_node *n = doc->head; n; n = n->next) {
        df_node *r = n->kind == DF_RUN ? rewrite(doc, n, wd.cur, d) : NULL;
        if (r) {
            changed = true;
            if (r != n)
                rw_wd_step(&wd, doc, r);
        }
        rw_wd_step(&wd, doc, n);
    }
    rw_wd_free(&wd);
    return changed;
}

PASS(cd_workdir)
{
    const df_node *n = doc->head;
    while (n && !candidate(n))
        n = n->next;
    if (!n || doc->escape != '\\' || rw_has_shell(doc))
        return false; /* most documents have no RUN that starts with cd */
    /* The WORKDIR a rewrite puts in front of a RUN is the reset an earlier `RUN cd` waited
     * for: walk again while a walk changes something, so a chain of them is done in one run
     * (each walk removes at least one cd; at most 64 walks). */
    bool changed = false;
    for (int i = 0; i < 64 && sweep(doc, d); i++)
        changed = true;
    return changed;
}
