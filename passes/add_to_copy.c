/*
 * add-to-copy: `ADD` of local files and directories becomes `COPY`, flags kept.
 *
 * Requires:   a parsed document; doc_context(doc) when the build context is known.
 * Guarantees: only the keyword changes, and only when ADD and COPY do the same thing: every
 *             source is a literal local path that the build context shows to be a directory
 *             (never unpacked) or a regular file whose content is not an archive ADD would
 *             unpack (gzip, bzip2, xz, zstd or tar headers: ADD detects archives by content,
 *             whatever the name); a glob must match something and only such files. Remote ADD
 *             without --checksum is reported (a warning), never rewritten.
 * Refuses:    without a build context (standard input) or when a source is missing from it or
 *             ignored by .dockerignore: an archive cannot be recognised by its name alone;
 *             URLs and git sources; sources with variables, quotes or a `:`; globs that match
 *             nothing or an archive, or whose matches cannot all be seen; flags COPY does not
 *             share (--checksum, --keep-git-dir, --unpack, ...); heredoc sources; ADD inside
 *             ONBUILD (the child's context is unknown).
 */
#include "../compiler/internal.h"
#include "../compiler/context.h"
#include "../compiler/rewrite.h"

#include <string.h>

/* Is the file's content something ADD would try to unpack (compressed or a tar)? */
static bool archive_content(df_slice head)
{
    const unsigned char *p = (const unsigned char *)head.p;
    size_t n = head.n;
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return true; /* gzip */
    if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        return true;
    if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
        return true;
    if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
        return true; /* zstd */
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return true;
    if (n >= 512) {
        /* an old-style tar: a header whose checksum field matches its bytes */
        unsigned long want = 0, sum = 0;
        size_t i = 148;
        while (i < 156 && p[i] == ' ')
            i++;
        bool digits = false;
        for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++, digits = true)
            want = want * 8 + (p[i] - '0');
        for (size_t k = 0; k < 512; k++)
            sum += (k >= 148 && k < 156) ? ' ' : p[k];
        if (digits && sum == want)
            return true;
    }
    return false;
}

typedef struct globscan {
    df_doc *doc;
    df_slice pattern;
    bool archive, any;
} globscan;

static bool glob_visit(void *arg, df_slice rel, ctx_kind kind)
{
    globscan *g = arg;
    if (!ctx_match(g->pattern, rel))
        return true;
    g->any = true;
    if (kind == CTX_DIR)
        return true;
    df_slice head;
    if (kind != CTX_FILE || !ctx_head(doc_context(g->doc), &g->doc->arena, rel, 512, &head) ||
        archive_content(head)) {
        g->archive = true;
        return false;
    }
    return true;
}

static bool is_glob(df_slice s)
{
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == '*' || s.p[i] == '?' || s.p[i] == '[')
            return true;
    return false;
}

/* Why source s must stay an ADD source; NULL when COPY does the same with it. */
static const char *keep_add(df_doc *doc, df_slice s)
{
    if (!rw_literal(doc, s))
        return "a variable, quote or escape";
    if (memchr(s.p, ':', s.n) || memchr(s.p, '@', s.n))
        return "a URL or git source";
    if (slice_has_prefix(s, "github.com/"))
        return "a git source";
    const df_context *ctx = doc_context(doc);
    if (!ctx)
        return "no build context to look at (ADD unpacks archives by content, not by name)";
    df_slice rel = ctx_clean(&doc->arena, s);
    if (is_glob(s)) {
        globscan g = {doc, rel, false, false};
        bool complete = ctx_walk(ctx, SLICE("."), glob_visit, &g);
        if (g.archive || !complete)
            return "a glob that matches an archive, or too many files to see";
        return g.any ? NULL : "a glob that matches nothing in the build context";
    }
    unsigned mode;
    ctx_kind k = ctx_stat(ctx, rel, &mode);
    if (k == CTX_DIR)
        return NULL;
    df_slice head;
    if (k == CTX_FILE && ctx_head(ctx, &doc->arena, rel, 512, &head))
        return archive_content(head) ? "a local archive ADD unpacks" : NULL;
    return k == CTX_NONE ? "a source missing from the build context" : "not a regular file";
}

static bool remote(df_slice s)
{
    return slice_has_prefix(s, "http://") || slice_has_prefix(s, "https://");
}

PASS(add_to_copy)
{
    bool changed = false;
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        if (n->kind != DF_ADD || n->nargs < 2)
            continue;
        df_slice v;
        if (!node_flag(n, "checksum", &v))
            for (size_t i = 0; i + 1 < n->nargs; i++)
                if (remote(n->args[i].v))
                    diag_node(d, DIAG_WARNING, doc, n, node_src_offset(n, n->args[i].off),
                              n->args[i].v.n,
                              "ADD of a remote file without --checksum: its content is not "
                              "verified");
        if (n->nheredocs)
            continue;
        bool ok = true;
        for (size_t i = 0; i < n->nbflags && ok; i++) {
            df_slice f = n->bflags[i].v;
            ok = slice_has_prefix(f, "--chown=") || slice_has_prefix(f, "--chmod=") ||
                 slice_eq_str(f, "--link") || slice_eq_str(f, "--link=true") ||
                 slice_has_prefix(f, "--exclude=");
        }
        for (size_t i = 0; i + 1 < n->nargs && ok; i++)
            ok = keep_add(doc, n->args[i].v) == NULL;
        if (!ok)
            continue;
        ir_edits e = {0};
        df_buf b = {0};
        ir_keyword(n, &b, "COPY");
        ir_edit_add(&e, rw_loff(n, n->keyword), n->keyword.n, buf_to_arena(&b, &doc->arena));
        buf_free(&b);
        if (rw_set_text(doc, n, rw_splice(doc, n, &e), d))
            changed = true;
    }
    return changed;
}
