/*
 * hoist: a RUN that cannot read what the COPY/ADD instructions just before it bring in moves
 * above them, so editing those files no longer invalidates the RUN's cache.
 *
 * Requires:   a parsed document with stages.
 * Guarantees: the image is the same. The RUN is understood completely (rw_run_footprint: package
 *             managers, account tools, mkdir/rm/chmod/chown/ln/cp/mv/touch on literal paths, a
 *             few system commands; no redirections, no cd, no unknown program), and every
 *             COPY/ADD it moves above writes only to a destination that nothing the RUN touches
 *             contains or lies inside: outside the system tree when the RUN runs package or
 *             account tools (which read and write anywhere in /etc, /usr, /var, /home, /opt,
 *             ...), and disjoint from every path the RUN names. So neither instruction can see
 *             the other's effects and their order does not matter. COPY/ADD change no
 *             environment, user or working directory, so the RUN runs as before.
 * Refuses:    any RUN not understood as above; a destination that is relative with an unknown
 *             working directory, is /, or overlaps what the RUN touches; moving past anything
 *             but COPY and ADD of the same stage. When unsure, nothing moves.
 * Assumes:    a destination outside the system tree is not a symbolic link into it in the base
 *             image (the image's file system is not visible here).
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

/* Can RUN (footprint fp) and COPY/ADD c run in either order with the same result? */
static bool independent(df_doc *doc, const df_node *c, const rw_footprint *fp, df_slice cur)
{
    if (c->nargs < 2)
        return false;
    df_slice dest = rw_wd_resolve(doc, cur, c->args[c->nargs - 1].v);
    if (!dest.n || slice_eq_str(dest, "/"))
        return false;
    if (fp->system && rw_path_system(dest))
        return false;
    for (size_t i = 0; i < fp->npaths; i++)
        if (rw_path_overlap(fp->paths[i], dest))
            return false;
    return true;
}

/* How many COPY/ADD one RUN may cross; a longer run of them is left alone (keeps the pass
 * linear, and a second run would otherwise move the RUN further). */
enum { CROSS_LIMIT = 64 };

PASS(hoist)
{
    bool changed = false;
    rw_wd wd;
    rw_wd_init(&wd, doc);
    for (df_node *n = doc->head, *next; n; n = next) {
        next = n->next;
        if (n->kind == DF_RUN && n->prev &&
            (n->prev->kind == DF_COPY || n->prev->kind == DF_ADD)) {
            rw_footprint fp;
            rw_run_footprint(doc, n, wd.cur, &fp);
            df_node *target = n;
            size_t crossed = 0;
            for (df_node *c = n->prev; fp.ok && c && c->stage == n->stage &&
                                       (c->kind == DF_COPY || c->kind == DF_ADD);
                 c = c->prev) {
                if (!independent(doc, c, &fp, wd.cur))
                    break;
                if (++crossed > CROSS_LIMIT) {
                    target = n;
                    break;
                }
                target = c;
            }
            if (target != n) {
                if (rw_lead_blank(n->lead) && rw_lead_blank(target->lead)) {
                    df_slice lead = n->lead; /* blank lines stay where they were */
                    n->lead = target->lead;
                    target->lead = lead;
                }
                rw_move_before(doc, n, target, d);
                changed = true;
            }
        }
        rw_wd_step(&wd, doc, n);
    }
    rw_wd_free(&wd);
    return changed;
}
