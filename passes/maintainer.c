/*
 * maintainer: MAINTAINER becomes LABEL maintainer="...".
 *
 * Requires:   a parsed document.
 * Guarantees: every top-level MAINTAINER with a value is replaced, in place, by a LABEL whose
 *             `maintainer` value is exactly the MAINTAINER text (quoted so no variable expands).
 * Refuses:    MAINTAINER inside ONBUILD (it would change what child images get).
 * Note:       MAINTAINER also filled the deprecated image Author field; LABEL does not.
 */
#include "../compiler/internal.h"

PASS(maintainer)
{
    bool changed = false;
    df_buf b = {0};
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        if (n->kind != DF_MAINTAINER || n->nargs != 1)
            continue;
        b.len = 0;
        ir_keyword(n, &b, "LABEL");
        buf_puts(&b, " maintainer=");
        ir_quote_value(doc, &b, n->args[0].v);
        ir_end_line(doc, n, &b);
        if (ir_node_set_text(doc, n, buf_to_arena(&b, &doc->arena), d))
            changed = true;
    }
    buf_free(&b);
    return changed;
}
