/*
 * dup-config: when a stage sets CMD, ENTRYPOINT or HEALTHCHECK more than once, all but the last
 * are removed, each with a warning.
 *
 * Requires:   a parsed document with stages.
 * Guarantees: the stage's image configuration is unchanged: each of these instructions only
 *             replaces a configuration value, so only the last one counts. The one interaction,
 *             ENTRYPOINT clearing an inherited CMD unless the stage set a CMD before it, gives
 *             the same result: a removed CMD always has a later CMD that sets the value again.
 *             Comment lines above a removed instruction move to the next instruction.
 * Refuses:    instructions inside ONBUILD (they are the child's, and run in its build); the
 *             same keyword in different stages.
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

static const char *upper_name(df_kind k)
{
    return k == DF_CMD ? "CMD" : k == DF_ENTRYPOINT ? "ENTRYPOINT" : "HEALTHCHECK";
}

PASS(dup_config)
{
    bool changed = false;
    df_node *last[3] = {NULL, NULL, NULL};
    for (df_node *n = ir_walk_first(doc), *next; n; n = next) {
        next = ir_walk_next(doc, n);
        if (n->kind == DF_FROM) {
            last[0] = last[1] = last[2] = NULL;
            continue;
        }
        int slot = n->kind == DF_CMD ? 0 : n->kind == DF_ENTRYPOINT ? 1
                 : n->kind == DF_HEALTHCHECK ? 2 : -1;
        if (slot < 0 || n->stage < 0)
            continue;
        df_node *old = last[slot];
        last[slot] = n;
        if (!old)
            continue;
        if (n->line)
            diag_node(d, DIAG_WARNING, doc, old, old->src_off, old->keyword.n,
                      "%s is set again on line %zu; only the last one takes effect, this one "
                      "is removed", upper_name(n->kind), n->line);
        else
            diag_node(d, DIAG_WARNING, doc, old, old->src_off, old->keyword.n,
                      "%s is set again later in the stage; only the last one takes effect, "
                      "this one is removed", upper_name(n->kind));
        rw_remove(doc, old, d);
        changed = true;
    }
    return changed;
}
