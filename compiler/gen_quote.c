/*
 * gen_quote.c: spec values as Dockerfile text, and back.
 *
 * A spec word is text in which `$NAME`, `${NAME}` and `${NAME<op>word}` are references (kept as
 * references, so BuildKit expands them as it would in a hand-written Dockerfile) and `$$` is a
 * literal `$`. The encoders write such a word so that BuildKit's word processing (quotes, the
 * escape character, variables; see expand.c) gives back exactly its text with the references
 * expanded, and so that nothing in it can end the instruction, continue it onto the next line,
 * open a heredoc or read as a flag or JSON:
 *
 *   quote_dq    bare when unambiguous, else "double quoted" (ENV, LABEL, ARG, WORKDIR, USER, FROM)
 *   quote_esc   unquoted, every special character escaped (COPY/ADD paths, VOLUME, EXPOSE; also
 *               inside JSON elements, which BuildKit still processes as words)
 *   quote_sh    a POSIX shell word inside RUN (bare, 'single quoted', or "double quoted" with
 *               $NAME references)
 *
 * quote_unword goes the other way, from a Dockerfile word to spec text.
 */
#include "gen.h"

#include <string.h>

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

typedef enum { REF_NONE, REF_SIMPLE, REF_WORD, REF_PATTERN, REF_BAD } ref_kind;

/* At s[i] == '$' (not "$$"): the length of the reference starting there (0 for a literal '$'),
 * its kind, and where its operator ends (the start of its inner word). */
static size_t ref_at(df_slice s, size_t i, ref_kind *kind, size_t *inner)
{
    size_t j = i + 1;
    *kind = REF_NONE;
    if (j < s.n && is_name_char(s.p[j])) {
        while (j < s.n && is_name_char(s.p[j]))
            j++;
        *kind = REF_SIMPLE;
        return j - i;
    }
    if (j >= s.n || s.p[j] != '{')
        return 0;
    j++;
    size_t name = j;
    while (j < s.n && is_name_char(s.p[j]))
        j++;
    *kind = REF_BAD;
    if (j == name || j >= s.n)
        return s.n - i;
    if (s.p[j] == '}') {
        *kind = REF_SIMPLE;
        return j + 1 - i;
    }
    static const char *const word_ops[] = {":-", ":+", ":?", "-", "+", "?", NULL};
    static const char *const pattern_ops[] = {"##", "#", "%%", "%", "//", "/", NULL};
    size_t oplen = 0;
    for (const char *const *op = word_ops; *op && !oplen; op++)
        if (s.n - j >= strlen(*op) && memcmp(s.p + j, *op, strlen(*op)) == 0)
            oplen = strlen(*op), *kind = REF_WORD;
    for (const char *const *op = pattern_ops; *op && !oplen; op++)
        if (s.n - j >= strlen(*op) && memcmp(s.p + j, *op, strlen(*op)) == 0)
            oplen = strlen(*op), *kind = REF_PATTERN;
    if (!oplen) {
        *kind = REF_BAD;
        return s.n - i;
    }
    j += oplen;
    *inner = j;
    int depth = 1;
    while (j < s.n) {
        if (s.p[j] == '$' && j + 1 < s.n && s.p[j + 1] == '$')
            j += 2;
        else if (s.p[j] == '$' && j + 1 < s.n && s.p[j + 1] == '{')
            depth++, j += 2;
        else if (s.p[j] == '}' && --depth == 0)
            return j + 1 - i;
        else
            j++;
    }
    *kind = REF_BAD;
    return s.n - i;
}

static bool pattern_safe(char c)
{
    return is_name_char(c) || strchr("./:@%+,=^~*?-", c);
}

/* Why s (a word) cannot be written, or NULL: control characters, malformed references. */
const char *quote_problem(df_slice s, bool newline_ok, bool refs_simple_only)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == 0)
            return "a NUL byte";
        if (c == '\n' && !newline_ok)
            return "a line break";
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            return "a control character";
        if (c != '$')
            continue;
        if (i + 1 < s.n && s.p[i + 1] == '$') {
            i++;
            continue;
        }
        ref_kind k;
        size_t inner = 0, len = ref_at(s, i, &k, &inner);
        if (k == REF_BAD)
            return "a malformed ${...} reference (use $$ for a literal $)";
        if (k != REF_NONE && k != REF_SIMPLE && refs_simple_only)
            return "a ${...} form other than ${NAME} (only $NAME and ${NAME} work here)";
        if (k == REF_PATTERN) {
            for (size_t j = inner; j < i + len - 1; j++)
                if (!pattern_safe(s.p[j]))
                    return "a pattern in ${...} with characters other than letters, digits and "
                           "./:@%+,=^~*?-";
        } else if (k == REF_WORD) {
            const char *why = quote_problem((df_slice){s.p + inner, i + len - 1 - inner},
                                           newline_ok, refs_simple_only);
            if (why)
                return why;
        }
        if (len)
            i += len - 1;
    }
    return NULL;
}

/* Every literal character of v is in allowed (references are not checked). */
bool quote_chars_ok(df_slice v, const char *allowed)
{
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] == '$') {
            if (i + 1 < v.n && v.p[i + 1] == '$')
                return false;
            ref_kind k;
            size_t inner, len = ref_at(v, i, &k, &inner);
            if (len) {
                i += len - 1;
                continue;
            }
        }
        if (!is_name_char(v.p[i]) && !strchr(allowed, v.p[i]))
            return false;
    }
    return true;
}

/* Appends reference s[i..i+len) for use inside a Dockerfile word. */
static void put_inner(df_buf *b, df_slice s, char esc);
static void put_ref(df_buf *b, df_slice s, size_t i, size_t len, ref_kind k, size_t inner, char esc)
{
    /* only a REF_WORD has an inner word; a bad reference (an error already reported, the output
     * is discarded) is copied as it is */
    if (k != REF_WORD) {
        buf_put(b, s.p + i, len);
        return;
    }
    buf_put(b, s.p + i, inner - i);
    put_inner(b, (df_slice){s.p + inner, i + len - 1 - inner}, esc);
    buf_putc(b, '}');
}

/* The word of ${NAME:-word}: quotes and the escape character escaped, $$ a literal $. */
static void put_inner(df_buf *b, df_slice s, char esc)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '$') {
            ref_kind k;
            size_t inner = 0, len = 0;
            if (i + 1 < s.n && s.p[i + 1] == '$')
                i++;
            else if ((len = ref_at(s, i, &k, &inner)) > 0) {
                put_ref(b, s, i, len, k, inner, esc);
                i += len - 1;
                continue;
            }
            buf_putc(b, esc);
            buf_putc(b, '$');
        } else {
            if (c == '"' || c == '\'' || c == esc)
                buf_putc(b, esc);
            buf_putc(b, c);
        }
    }
}

static bool bare_safe(char c)
{
    return is_name_char(c) || strchr("./:@%+,=^~-", c);
}

/* A Dockerfile word: bare when every character is plain and references are simple, else in
 * double quotes. */
void quote_dq(df_buf *b, df_slice s, char esc)
{
    bool bare = s.n > 0 && s.p[0] != '-'; /* a bare leading "--" would read as a flag */
    for (size_t i = 0; i < s.n && bare; i++) {
        if (s.p[i] == '$') {
            ref_kind k;
            size_t inner, len = i + 1 < s.n && s.p[i + 1] == '$' ? 0 : ref_at(s, i, &k, &inner);
            if (!len || k != REF_SIMPLE)
                bare = false;
            else
                i += len - 1;
        } else if (!bare_safe(s.p[i])) {
            bare = false;
        }
    }
    if (bare) {
        buf_put_slice(b, s);
        return;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '$') {
            ref_kind k;
            size_t inner = 0, len = 0;
            if (i + 1 < s.n && s.p[i + 1] == '$')
                i++;
            else if ((len = ref_at(s, i, &k, &inner)) > 0) {
                put_ref(b, s, i, len, k, inner, esc);
                i += len - 1;
                continue;
            }
            buf_putc(b, esc);
            buf_putc(b, '$');
        } else {
            if (c == '"' || c == esc)
                buf_putc(b, esc);
            buf_putc(b, c);
        }
    }
    buf_putc(b, '"');
}

/* A Dockerfile word without quotes: every special character escaped. In a JSON element (json)
 * blanks stay as they are. */
void quote_esc(df_buf *b, df_slice s, char esc, bool json)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '$') {
            ref_kind k;
            size_t inner = 0, len = 0;
            if (i + 1 < s.n && s.p[i + 1] == '$')
                i++;
            else if ((len = ref_at(s, i, &k, &inner)) > 0) {
                put_ref(b, s, i, len, k, inner, esc);
                i += len - 1;
                continue;
            }
            buf_putc(b, esc);
            buf_putc(b, '$');
            continue;
        }
        if (c == '"' || c == '\'' || c == esc || c == '<' || c == '[' ||
            (c == '-' && i == 0) || (!json && is_blank(c)))
            buf_putc(b, esc);
        buf_putc(b, c);
    }
}

static bool sh_safe(char c)
{
    return is_name_char(c) || strchr("./:@%+,=^-", c);
}

/* A POSIX shell word in a RUN command (checked: references are simple). */
void quote_sh(df_buf *b, df_slice s)
{
    bool refs = false, bare = s.n > 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] == '$') {
            bare = false;
            if (i + 1 < s.n && s.p[i + 1] == '$') {
                i++;
                continue;
            }
            ref_kind k;
            size_t inner, len = ref_at(s, i, &k, &inner);
            refs |= len > 0;
            if (len)
                i += len - 1;
        } else if (!sh_safe(s.p[i])) {
            bare = false;
        }
    }
    if (bare) {
        buf_put_slice(b, s);
    } else if (!refs) {
        buf_putc(b, '\'');
        for (size_t i = 0; i < s.n; i++) {
            if (s.p[i] == '\'')
                buf_puts(b, "'\\''");
            else
                buf_putc(b, s.p[i]);
            if (s.p[i] == '$' && i + 1 < s.n && s.p[i + 1] == '$')
                i++;
        }
        buf_putc(b, '\'');
    } else {
        buf_putc(b, '"');
        for (size_t i = 0; i < s.n; i++) {
            char c = s.p[i];
            if (c == '$') {
                ref_kind k;
                size_t inner, len = 0;
                if (i + 1 < s.n && s.p[i + 1] == '$')
                    i++;
                else if ((len = ref_at(s, i, &k, &inner)) > 0) {
                    buf_put(b, s.p + i, len);
                    i += len - 1;
                    continue;
                }
                buf_puts(b, "\\$");
                continue;
            }
            if (c == '"' || c == '\\' || c == '`')
                buf_putc(b, '\\');
            buf_putc(b, c);
        }
        buf_putc(b, '"');
    }
}

/* ---- back: Dockerfile words as spec text ---- */

static void lit(df_buf *b, char c)
{
    if (c == '$')
        buf_putc(b, '$');
    buf_putc(b, c);
}

/* A reference at w[*i] == '$' into b; the reason when the spec cannot write it, else NULL. */
static const char *unref(df_slice w, size_t *i, df_buf *b)
{
    size_t j = *i + 1;
    if (j < w.n && w.p[j] >= '0' && w.p[j] <= '9') {
        while (j < w.n && w.p[j] >= '0' && w.p[j] <= '9')
            j++;
    } else if (j < w.n && is_name_char(w.p[j])) {
        while (j < w.n && is_name_char(w.p[j]))
            j++;
    } else if (j < w.n && strchr("@*#?-$!", w.p[j])) {
        return "a special parameter like $@ or $$";
    } else if (j < w.n && w.p[j] == '{') {
        int depth = 1;
        size_t k = j + 1;
        for (; k < w.n && depth; k++) {
            char c = w.p[k];
            if (c == '"' || c == '\'' || c == '\\' || c == '`')
                return "quotes or escapes inside ${...}";
            if (c == '$' && k + 1 < w.n && w.p[k + 1] == '{')
                depth++, k++;
            else if (c == '}')
                depth--;
        }
        if (depth)
            return "an unterminated ${...}";
        /* copy, writing lone dollars inside as $$ */
        for (size_t x = *i; x < k; x++) {
            buf_putc(b, w.p[x]);
            if (x > *i && w.p[x] == '$' && x + 1 < k && !is_name_char(w.p[x + 1]) &&
                w.p[x + 1] != '{')
                buf_putc(b, '$');
        }
        *i = k;
        return NULL;
    } else {
        buf_puts(b, "$$"); /* a lone '$' is literal */
        *i = j;
        return NULL;
    }
    buf_put(b, w.p + *i, j - *i);
    *i = j;
    return NULL;
}

const char *quote_unword(df_arena *a, df_slice w, char esc, df_slice *out)
{
    df_buf b = {0};
    buf_put(&b, "", 0);
    const char *why = NULL;
    for (size_t i = 0; i < w.n && !why;) {
        char c = w.p[i];
        if (c == esc) {
            if (i + 1 < w.n)
                lit(&b, w.p[i + 1]);
            i += 2;
        } else if (c == '\'') {
            const char *q = memchr(w.p + i + 1, '\'', w.n - i - 1);
            if (!q) {
                why = "an unterminated quote";
                break;
            }
            for (const char *p = w.p + i + 1; p < q; p++)
                lit(&b, *p);
            i = (size_t)(q - w.p) + 1;
        } else if (c == '"') {
            i++;
            while (!why && i < w.n && w.p[i] != '"') {
                char x = w.p[i];
                if (x == esc && i + 1 < w.n &&
                    (w.p[i + 1] == '"' || w.p[i + 1] == '$' || w.p[i + 1] == esc)) {
                    lit(&b, w.p[i + 1]);
                    i += 2;
                } else if (x == '$') {
                    why = unref(w, &i, &b);
                } else {
                    lit(&b, x);
                    i++;
                }
            }
            if (!why && i >= w.n)
                why = "an unterminated quote";
            i++;
        } else if (c == '$') {
            why = unref(w, &i, &b);
        } else {
            lit(&b, c);
            i++;
        }
    }
    /* what comes out must be a word the spec can write back */
    if (!why && quote_problem((df_slice){b.p, b.len}, true, false))
        why = "a ${...} the spec cannot write";
    if (!why)
        *out = buf_to_arena(&b, a);
    buf_free(&b);
    return why;
}

void quote_literal(df_buf *b, df_slice s)
{
    buf_put(b, "", 0);
    for (size_t i = 0; i < s.n; i++)
        lit(b, s.p[i]);
}
