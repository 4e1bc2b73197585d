/*
 * env-form: the legacy `ENV key value...` and `LABEL key value...` become `key=value`.
 *
 * Requires:   a parsed document.
 * Guarantees: BuildKit reads the new instruction as the same key and, after its quote removal
 *             and variable expansion, the same value: a value without quotes or escape
 *             characters is kept as written (double-quoted when it holds blanks, which keeps
 *             every $reference working the same), a value with quotes or escapes but no $ is
 *             decoded and re-quoted. The rest of the line's layout is kept.
 * Refuses:    a key that is not a plain name (it would be expanded); a value with both quotes or
 *             escapes and a $ reference (re-quoting it exactly is not worth the risk); ENV/LABEL
 *             inside ONBUILD (left as the child build will read it).
 */
#include "../compiler/internal.h"
#include "../compiler/expand.h"
#include "../compiler/rewrite.h"

#include <string.h>

static bool plain_name(df_slice k)
{
    if (k.n == 0 || (k.p[0] >= '0' && k.p[0] <= '9'))
        return false;
    for (size_t i = 0; i < k.n; i++) {
        char c = k.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

static bool no_lookup(void *ctx, df_slice name, df_slice *value)
{
    (void)ctx, (void)name, (void)value;
    return false;
}

/* The value word for `key=` that BuildKit reads as the legacy value v; {NULL,0} to refuse. */
static df_slice new_value(df_doc *doc, df_slice v)
{
    bool quotes = false, dollar = false, blank = false;
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        quotes |= c == '"' || c == '\'' || c == doc->escape;
        dollar |= c == '$';
        blank |= c == ' ' || c == '\t';
    }
    df_buf b = {0};
    if (!quotes) {
        if (blank || v.n == 0)
            buf_putc(&b, '"');
        buf_put_slice(&b, v);
        if (blank || v.n == 0)
            buf_putc(&b, '"');
    } else if (!dollar) {
        df_slice decoded;
        expand_error err;
        if (!expand_word(&doc->arena, v, doc->escape, no_lookup, NULL, true, &decoded, &err))
            return (df_slice){NULL, 0};
        if (decoded.n == 0)
            buf_puts(&b, "\"\"");
        else
            ir_quote_value(doc, &b, decoded);
    } else {
        return (df_slice){NULL, 0};
    }
    df_slice out = buf_to_arena(&b, &doc->arena);
    buf_free(&b);
    return out;
}

PASS(env_form)
{
    (void)d; /* a value rewritten here is read back before it is kept: nothing to report */
    bool changed = false;
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        if ((n->kind != DF_ENV && n->kind != DF_LABEL) || n->nargs != 3 ||
            slice_eq_str(n->args[2].v, "="))
            continue;
        df_slice key = n->args[0].v, value = n->args[1].v;
        if (!plain_name(key))
            continue;
        df_slice word = new_value(doc, value);
        if (!word.p)
            continue;
        /* key, separator and value replaced by key=word */
        size_t key_end = n->args[0].off + key.n;
        ir_edits e = {0};
        df_buf b = {0};
        buf_putc(&b, '=');
        buf_put_slice(&b, word);
        ir_edit_add(&e, key_end, n->args[1].off + value.n - key_end,
                    buf_to_arena(&b, &doc->arena));
        buf_free(&b);
        df_slice text = rw_splice(doc, n, &e);
        df_node *check = rw_new_node(doc, text);
        /* the new instruction must read back as the same key and value */
        if (!check || check->nargs != 3 || !slice_eq(check->args[0].v, key) ||
            !slice_eq_str(check->args[2].v, "="))
            continue;
        df_slice before, after;
        expand_error err;
        bool same = expand_word(&doc->arena, value, doc->escape, no_lookup, NULL, true, &before,
                                &err) &&
                    expand_word(&doc->arena, check->args[1].v, doc->escape, no_lookup, NULL, true,
                                &after, &err) &&
                    slice_eq(before, after);
        if (same) {
            /* check is text read as an instruction: what rw_set_text would read again */
            ir_node_adopt(doc, n, check);
            changed = true;
        }
    }
    return changed;
}
