/*
 * label-merge: adjacent LABEL instructions in key=value form merge into one.
 *
 * Requires:   a parsed document with stages; env-form has run (legacy forms do not merge).
 * Guarantees: the image gets the same labels: labels are not variables, so no value can
 *             depend on another label, and a key set twice keeps its last value as before.
 *             Pairs are appended as continuation lines, exactly as written.
 * Refuses:    instructions in different stages; comment lines between them; keys with variables
 *             or quotes; legacy `LABEL key value`; LABEL inside ONBUILD; a joined text that
 *             does not read back as exactly the same pairs (a value with an unbalanced quote
 *             runs to the end of its line and would swallow the next pairs).
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

PASS(label_merge)
{
    return rw_merge_kv(doc, DF_LABEL, false, d);
}
