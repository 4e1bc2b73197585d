/*
 * workdir-abs: a relative WORKDIR whose base is known becomes the absolute path it resolves to.
 *
 * Requires:   a parsed document with stages.
 * Guarantees: the new path is what BuildKit computes for the relative one (path.Join of the
 *             working directory and the argument, cleaned), so the image's WorkingDir, the
 *             directory WORKDIR creates and every later relative path are unchanged.
 * Refuses:    when the working directory before it is not known: a stage from an image starts
 *             in the image's WorkingDir, which the Dockerfile does not show, so only a stage
 *             whose earlier WORKDIRs (or whose parent stage's) were absolute, or a stage from
 *             scratch (which starts at /), has a known base; arguments with variables, quotes
 *             or escape characters; a result that would end in a blank (the parser trims it);
 *             WORKDIR inside ONBUILD; documents with the backtick escape
 *             (Windows images, whose paths follow other rules).
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

/* Is n a WORKDIR with one relative path (what the pass rewrites)? */
static bool relative_workdir(const df_node *n)
{
    return n->kind == DF_WORKDIR && n->nargs == 1 && !n->nheredocs && !rw_path_abs(n->args[0].v);
}

PASS(workdir_abs)
{
    bool changed = false;
    if (doc->escape != '\\')
        return false; /* a backtick escape: Windows paths, resolved by other rules */
    const df_node *first = ir_walk_first(doc);
    while (first && !relative_workdir(first))
        first = ir_walk_next(doc, first);
    if (!first)
        return false; /* most documents: every WORKDIR absolute, nothing to track */
    /* The directories are worked out only in the stages holding a relative WORKDIR and the
     * stages they build on (where theirs start); the others are skipped whole. */
    bool *walk = rw_stages_for(doc, first, relative_workdir);
    rw_wd wd;
    rw_wd_init(&wd, doc);
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind == DF_FROM && n->stage >= 0 && !walk[n->stage] &&
            !(n = rw_wd_skip_to(&wd, doc, walk, n)))
            break;
        if (relative_workdir(n) && wd.cur.n && rw_literal(doc, n->args[0].v)) {
            df_slice abs = rw_wd_resolve(doc, wd.cur, n->args[0].v);
            if (abs.n && rw_path_writable(doc, abs)) {
                ir_edits e = {0};
                ir_edit_add(&e, n->args[0].off, n->args[0].v.n, abs);
                changed |= rw_set_text(doc, n, rw_splice(doc, n, &e), d);
            }
        }
        rw_wd_step(&wd, doc, n);
    }
    rw_wd_free(&wd);
    return changed;
}
