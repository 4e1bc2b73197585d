/*
 * heredoc-form: under --heredoc, a RUN that merge-run made is written as a heredoc.
 *
 *   RUN apt-get update && \              RUN <<EOF
 *       apt-get install -y curl    ->    apt-get update &&     apt-get install -y curl
 *                                        EOF
 *
 * Requires:   --heredoc (df_options.heredoc); without it the pass does nothing.
 * Guarantees: the heredoc body is the RUN's script exactly as BuildKit read it from the
 *             continuation lines (one line), so the shell runs the same commands; builder flags
 *             stay; comment lines inside the continuation move above the instruction.
 * Refuses:    RUNs merge-run did not make (the user's own layout stays); exec form; a script
 *             holding a line break or equal to the delimiter; a file whose escape is not `\`.
 * Note:       heredocs need BuildKit (Dockerfile syntax 1.4 or later): the classic builder and
 *             buildah do not read them, which is why this is only done on request.
 */
#include "../compiler/internal.h"

#include <string.h>

static bool is_comment_line(const char *p, size_t n)
{
    size_t i = lex_trim_left_space(p, n);
    return i < n && p[i] == '#';
}

static bool rewrite(df_doc *doc, df_node *n, df_diags *d)
{
    if (!(n->flags & DF_N_MERGED) || (n->flags & DF_N_JSON) || n->nheredocs || n->nargs != 1 ||
        doc->escape != '\\')
        return false;
    df_slice script = n->args[0].v;
    if (!script.n || memchr(script.p, '\n', script.n) || memchr(script.p, '\r', script.n) ||
        slice_eq_str(script, "EOF"))
        return false;
    /* the keyword and flags as written: the first line up to where the script starts */
    size_t at = node_src_offset(n, n->args[0].off);
    size_t head = at == SIZE_MAX ? n->segs[0].soff + n->args[0].off : at - n->src_off;
    const char *eol = memchr(n->text.p, '\n', n->text.n);
    if (!eol || head > (size_t)(eol - n->text.p))
        return false; /* the script does not start on the first line */
    df_slice nl = ir_newline(doc);
    df_buf b = {0};
    /* comment lines inside the continuation go above */
    for (const char *p = eol + 1, *e = n->text.p + n->text.n; p < e;) {
        const char *q = memchr(p, '\n', (size_t)(e - p));
        size_t len = q ? (size_t)(q - p) + 1 : (size_t)(e - p);
        if (is_comment_line(p, len))
            buf_put(&b, p, len);
        p += len;
    }
    buf_put(&b, n->text.p, head);
    buf_puts(&b, "<<EOF");
    buf_put_slice(&b, nl);
    buf_put_slice(&b, script);
    buf_put_slice(&b, nl);
    buf_puts(&b, "EOF");
    buf_put_slice(&b, nl);
    df_slice text = buf_to_arena(&b, &doc->arena);
    buf_free(&b);
    df_diags scratch = {0};
    df_node *c = ir_node_from_text(doc, text, &scratch);
    bool ok = c && scratch.nerrors == 0 && c->kind == DF_RUN && c->nheredocs == 1 &&
              slice_eq(c->heredocs[0].body.n ? (df_slice){c->heredocs[0].body.p,
                                                          c->heredocs[0].body.n - nl.n}
                                             : c->heredocs[0].body,
                       script);
    diags_release(&scratch);
    return ok && ir_node_set_text(doc, n, text, d);
}

PASS(heredoc_form)
{
    if (!doc->opt || !doc->opt->heredoc)
        return false;
    bool changed = false;
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n))
        if (n->kind == DF_RUN)
            changed |= rewrite(doc, n, d);
    return changed;
}
