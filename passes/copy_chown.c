/*
 * copy-chown: `COPY f /d/` followed by `RUN chown [-R] u:g /d/f` (or `RUN chmod [-R] MODE ...`)
 * becomes `COPY --chown=u:g f /d/` (`--chmod=MODE`), removing the layer that only changed
 * ownership or mode.
 *
 * Requires:   a parsed document with stages; the build context (doc_context).
 * Guarantees: the files end up with the same content, owner and mode. The RUN must touch
 *             exactly what the COPY brought: every COPY source is a regular file in the context
 *             (no directory, so nothing that was already in the image is merged with it), the
 *             RUN names exactly the files the COPY wrote, and the directory they go into already
 *             existed (it is / or lies on the path of an earlier WORKDIR of the stage), so COPY
 *             --chown creates no directory the RUN would not have changed. Owner names resolve
 *             against the same /etc/passwd: the RUN comes right after the COPY.
 *             A destination without a trailing slash names the file itself only when it is not
 *             a directory known to exist (the working directory, `.`, a WORKDIR's path) nor one
 *             an image commonly has (a top-level name without a dot such as /opt or /app,
 *             /usr/local/bin, /var/www, ...): COPY writes into an existing directory, and a
 *             RUN naming that directory changed the directory, not just the file.
 * Refuses:    directories and globs (a directory merges with what the image holds there);
 *             sources missing from the context or setuid/setgid; `chown u` without a group
 *             (COPY --chown=u would use the gid u, chown keeps the group) and any chown or chmod
 *             option but -R; symbolic modes; --chmod unless the file already uses BuildKit-only
 *             syntax (the classic builder does not know it); COPY --from/--parents/--exclude,
 *             --link (BuildKit cannot resolve owner names in a link layer, and a numeric owner
 *             would also own the parent directories it creates) or an existing --chown
 *             (--chmod); a destination that is or may be an existing directory; anything else
 *             in the RUN; a relative destination with an unknown working directory.
 * Assumes:    a destination path that is not a directory the image commonly has (see above)
 *             is not a directory in the base image.
 */
#include "../compiler/internal.h"
#include "../compiler/context.h"
#include "../compiler/rewrite.h"

#include <string.h>

static bool name_ok(df_slice s)
{
    if (s.n == 0)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || (i > 0 && (c == '.' || c == '-'));
        if (!ok)
            return false;
    }
    return true;
}

static bool owner_ok(df_slice s)
{
    const char *colon = memchr(s.p, ':', s.n);
    if (!colon)
        return false;
    size_t u = (size_t)(colon - s.p);
    return name_ok((df_slice){s.p, u}) && name_ok((df_slice){colon + 1, s.n - u - 1});
}

static bool mode_ok(df_slice s)
{
    if (s.n < 3 || s.n > 4)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '7')
            return false;
    return true;
}

/* Could a destination written without a trailing slash be a directory the base image
 * already has? A top-level directory, or a well-known directory of the system tree. */
static bool may_be_dir(df_slice abs)
{
    static const char *const dirs[] = {
        "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/usr/libexec", "/usr/share",
        "/usr/include", "/usr/src", "/usr/local", "/usr/local/bin", "/usr/local/sbin",
        "/usr/local/lib", "/usr/local/share", "/usr/local/etc", "/usr/local/include",
        "/usr/local/src", "/var/lib", "/var/log", "/var/cache", "/var/www", "/var/run",
        "/var/tmp", "/var/spool", "/var/opt", "/etc/default", "/etc/ssl", "/etc/ssl/certs",
        "/etc/init.d", "/etc/profile.d", "/etc/apt", "/etc/nginx", "/etc/nginx/conf.d",
        "/usr/share/nginx", "/usr/share/nginx/html", NULL,
    };
    df_slice base = rw_path_base(abs);
    if (rw_path_dir(abs).n == 1 && !memchr(base.p, '.', base.n))
        return true; /* /opt, /srv, /app: commonly directories in images */
    for (size_t i = 0; dirs[i]; i++)
        if (slice_eq_str(abs, dirs[i]))
            return true;
    return false;
}

/* The files COPY n writes (absolute), or 0 when they cannot be known. */
static size_t copied_files(df_doc *doc, const df_node *n, df_slice cur, const rw_dirs *dirs,
                           df_slice *out, size_t max)
{
    size_t nsrc = n->nargs - 1;
    if (nsrc > max)
        return 0;
    df_slice dest = n->args[nsrc].v;
    df_slice abs = rw_wd_resolve(doc, cur, dest);
    if (!abs.n)
        return 0;
    bool into_dir = nsrc > 1 || dest.p[dest.n - 1] == '/';
    /* without a trailing slash the destination names the file, unless it is a directory that
     * already exists: then COPY writes into it (`COPY f .`, `COPY f /opt`) */
    if (!into_dir && (rw_dirs_has(dirs, abs) || may_be_dir(abs)))
        return 0;
    df_slice parent = into_dir ? abs : rw_path_dir(abs);
    if (!rw_dirs_has(dirs, parent))
        return 0;
    for (size_t i = 0; i < nsrc; i++) {
        df_slice src = n->args[i].v;
        unsigned mode = 0;
        if (!rw_literal(doc, src) || strpbrk(arena_strndup(&doc->arena, src.p, src.n), "*?[") ||
            ctx_stat(doc_context(doc), ctx_clean(&doc->arena, src), &mode) != CTX_FILE ||
            (mode & 06000))
            return 0;
        df_slice rel = ctx_clean(&doc->arena, src);
        out[i] = into_dir ? rw_path_join(&doc->arena, abs, rw_path_base(rel)) : abs;
        for (size_t j = 0; j < i; j++)
            if (slice_eq(out[i], out[j]))
                return 0;
    }
    return nsrc;
}

enum { MAX_FILES = 64 };

/* Folds RUN r into COPY c when it qualifies. *buildkit caches rw_buildkit_syntax (-1: not
 * looked at yet): a fold adds --chown, or --chmod only when the answer was yes, and removes a
 * RUN without flags or heredocs, so the answer stays what it was when the pass began. */
static bool fold(df_doc *doc, df_node *c, df_node *r, df_slice cur, const rw_dirs *dirs,
                 int *buildkit, df_diags *d)
{
    /* the script's text first (as any_candidate): most RUNs after a COPY are not read at all */
    if (c->nargs < 2 || c->nheredocs || r->kind != DF_RUN || (r->flags & DF_N_JSON) ||
        r->nargs != 1 || r->nbflags || r->nheredocs || !rw_may_start_with(r->args[0].v, 'c') ||
        !rw_lead_blank(r->lead))
        return false;
    bool has_chown = false, has_chmod = false;
    for (size_t i = 0; i < c->nbflags; i++) {
        df_slice f = c->bflags[i].v;
        if (slice_has_prefix(f, "--chown="))
            has_chown = true;
        else if (slice_has_prefix(f, "--chmod="))
            has_chmod = true;
        else
            return false; /* --link too: BuildKit resolves no owner names under it, and the
                           * link layer's parent directories would take a numeric owner */
    }
    sh_script sc;
    if (!sh_parse_node(doc, r, &sc) || sc.ncmds != 1 || sc.compound ||
        sc.heredoc || sc.background || sc.comment)
        return false;
    const sh_cmd *cmd = &sc.cmds[0];
    if (cmd->nassign || cmd->nredirs || cmd->negated || cmd->nwords < 3)
        return false;
    bool chown = sh_word_is(cmd, 0, "chown"), chmod = sh_word_is(cmd, 0, "chmod");
    if (!chown && !chmod)
        return false;
    size_t i = 1;
    while (i < cmd->nwords && sh_word_is(cmd, i, "-R"))
        i++;
    if (i + 1 >= cmd->nwords)
        return false;
    for (size_t k = i; k < cmd->nwords; k++)
        if (!cmd->words[k].literal || cmd->words[k].glob || cmd->words[k].value.n == 0 ||
            cmd->words[k].value.p[0] == '-')
            return false;
    df_slice who = cmd->words[i].value;
    if (chown && (has_chown || !owner_ok(who)))
        return false;
    if (chmod && !has_chmod && *buildkit < 0)
        *buildkit = rw_buildkit_syntax(doc);
    if (chmod && !has_chmod && !*buildkit)
        doc->walk_all_next = true; /* BuildKit syntax elsewhere would allow it */
    if (chmod && (has_chmod || !*buildkit || !mode_ok(who)))
        return false;
    df_slice files[MAX_FILES];
    size_t nfiles = copied_files(doc, c, cur, dirs, files, MAX_FILES);
    size_t ntargets = cmd->nwords - i - 1;
    if (!nfiles || ntargets != nfiles)
        return false;
    /* the RUN names each copied file exactly once */
    bool used[MAX_FILES] = {0};
    for (size_t k = i + 1; k < cmd->nwords; k++) {
        df_slice t = rw_wd_resolve(doc, cur, cmd->words[k].value);
        bool hit = false;
        for (size_t j = 0; j < nfiles && !hit; j++)
            if (!used[j] && t.n && slice_eq(t, files[j]))
                used[j] = hit = true;
        if (!hit)
            return false;
    }
    df_buf b = {0};
    buf_puts(&b, chown ? " --chown=" : " --chmod=");
    buf_put_slice(&b, who);
    ir_edits e = {0};
    ir_edit_add(&e, rw_loff(c, c->keyword) + c->keyword.n, 0, buf_to_arena(&b, &doc->arena));
    buf_free(&b);
    if (!rw_set_text(doc, c, rw_splice(doc, c, &e), d))
        return false;
    rw_remove(doc, r, d);
    return true;
}

/* Is n a COPY followed directly by a RUN whose script may start with chown or chmod (judged
 * from its text, rw_may_start_with)? Only such a pair can fold. */
static bool candidate(const df_node *n)
{
    const df_node *r = n->next;
    return n->kind == DF_COPY && r && r->kind == DF_RUN && !(r->flags & DF_N_JSON) &&
           r->nargs == 1 && !r->nheredocs && rw_may_start_with(r->args[0].v, 'c');
}

PASS(copy_chown)
{
    const df_node *first = ir_walk_first(doc);
    while (first && !(first->kind == DF_COPY && candidate(first)))
        first = ir_walk_next(doc, first);
    if (!first || !doc_context(doc))
        return false;
    /* the directories are worked out only in the stages holding a candidate and the stages
     * they build on (as workdir-abs does) */
    bool *walk = rw_stages_for(doc, first, candidate);
    int buildkit = -1;
    bool changed = false;
    rw_dirs dirs = {0};
    rw_wd wd;
    rw_wd_init(&wd, doc);
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind == DF_FROM && n->stage >= 0 && !walk[n->stage] &&
            !(n = rw_wd_skip_to(&wd, doc, walk, n)))
            break;
        if (n->kind == DF_COPY && candidate(n) &&
            fold(doc, n, n->next, wd.cur, &dirs, &buildkit, d))
            changed = true;
        rw_wd_step(&wd, doc, n);
        if (n->kind == DF_FROM) {
            dirs.n = 0;
            rw_dirs_add(&dirs, wd.cur);
        } else if (n->kind == DF_WORKDIR) {
            rw_dirs_add(&dirs, wd.cur);
        }
    }
    free(dirs.v);
    rw_wd_free(&wd);
    return changed;
}
