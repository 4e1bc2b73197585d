/*
 * env-merge: adjacent ENV instructions in key=value form merge into one.
 *
 * Requires:   a parsed document with stages; env-form has run (legacy forms do not merge).
 * Guarantees: the environment after the merged instruction is the same. BuildKit expands every
 *             value of one ENV against the environment before it, so an instruction joins only
 *             when none of its values references a variable the instructions it joins set
 *             (`ENV A=1` + `ENV B=$A` stays two). Pairs are appended as continuation lines,
 *             exactly as written.
 * Refuses:    instructions in different stages; comment lines between them; keys with variables
 *             or quotes; legacy `ENV key value`; ENV inside ONBUILD; a joined text that
 *             does not read back as exactly the same pairs (a value with an unbalanced quote
 *             runs to the end of its line and would swallow the next pairs).
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

PASS(env_merge)
{
    return rw_merge_kv(doc, DF_ENV, true, d);
}
