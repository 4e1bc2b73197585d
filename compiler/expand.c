/*
 * expand.c: variable expansion with the semantics of BuildKit's shell lexer
 * (frontend/dockerfile/shell/lex.go), written from its behaviour and tests.
 *
 * Grammar (ESC is the escape character, \ or ` per the escape directive):
 *
 *   word     := { part }                      until the end, or a stop char
 *   part     := "'" { any but "'" } "'"       single quotes: literal, no escapes
 *             | '"' { dqpart } '"'            double quotes
 *             | ESC any                       the char itself; a trailing ESC vanishes
 *             | dollar
 *             | any
 *   dqpart   := ESC ('"' | '$' | ESC)         the char itself
 *             | dollar | any                  (an ESC before anything else stays)
 *   dollar   := '$' name                      a lone '$' (no name follows) stays '$'
 *             | '${' name [':'] ('-'|'+'|'?') word '}'
 *             | '${' name [':'] ('#'|'##'|'%'|'%%') rawword '}'
 *             | '${' name ('/'|'//') rawword '/' rawword '}'
 *             | '${' name '}'
 *   name     := digit {digit} | one of @ * # ? - $ ! | namechar {namechar}
 *
 * A rawword keeps its escape characters (BuildKit's rawEscapes) for the glob
 * compiler: \* \? \\ are literal, \} \/ drop the backslash, other \x are errors;
 * * is any string, ? one character (neither matches a newline), all else is
 * literal, [ ] included. Patterns are expanded first, so values may hold
 * wildcards. # and % remove the shortest match, ## and %% the longest; / replaces
 * the leftmost-longest match, // every match, Go's ReplaceAllString expanding
 * $$, $0 and ${0} in its replacement.
 *
 * Quirks kept on purpose because BuildKit has them: ':' may precede any
 * modifier (${v:#p}); a "\x" inside double quotes within a rawword keeps both
 * backslashes; with keep_unset an unset ${v<op>w} is rebuilt from the
 * *expanded* w before the operator is checked, and ${v//p/r} comes back as
 * ${v/p/r}; unquoted expansions are split into words, quoted text never is, and
 * empty words are dropped.
 *
 * Where this differs from BuildKit is listed in expand.h.
 */
#include "expand.h"

#include <stdlib.h>
#include <string.h>

enum { END = -1, G_ANY = 256, G_STAR = 257 };

typedef struct lexer {
    df_arena *arena;
    const char *s;
    size_t n, pos;
    int esc;
    bool raw;          /* keep escape characters in the output */
    bool keep_unset;
    bool scan_only;    /* expand_references: record names, evaluate nothing */
    expand_lookup_fn lookup;
    void *ctx;
    df_buf refs;       /* scan_only: df_slice entries, p == NULL once dropped */
    expand_error *err;
    unsigned depth;    /* ${ nesting, bounded so hostile input cannot exhaust the stack */
} lexer;

enum { MAX_NESTING = 1000 };

/* BuildKit's wordsStruct: builds words from expanded text. */
typedef struct splitter {
    df_arena *arena;
    df_buf word;
    bool in_word;      /* a word is open, possibly empty after "" */
    df_buf list;       /* df_slice entries */
} splitter;

/* Decodes the UTF-8 sequence at s; invalid bytes are U+FFFD of length 1. */
static uint32_t rune_at(const char *str, size_t n, size_t *len)
{
    const unsigned char *s = (const unsigned char *)str;
    /* continuation bytes after a lead byte; 0x80-0xC1 and 0xF5-0xFF never lead */
    size_t more = s[0] < 0xC2 ? 0 : s[0] < 0xE0 ? 1 : s[0] < 0xF0 ? 2 : s[0] < 0xF5 ? 3 : 0;
    uint32_t r = s[0] & (0x3Fu >> more), min = more == 1 ? 0x80 : more == 2 ? 0x800 : 0x10000;
    *len = 1;
    if (s[0] < 0x80 || !more || n <= more)
        return s[0] < 0x80 ? s[0] : 0xFFFD;
    for (size_t i = 1; i <= more; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        r = r << 6 | (s[i] & 0x3F);
    }
    if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        return 0xFFFD; /* overlong, out of range, or a surrogate */
    *len = more + 1;
    return r;
}

static size_t rune_len(const char *s, size_t n)
{
    size_t len;
    rune_at(s, n, &len);
    return len;
}

/* Go's unicode.IsSpace. */
static bool is_space(uint32_t r)
{
    return (r >= '\t' && r <= '\r') || r == ' ' || r == 0x85 || r == 0xA0 || r == 0x1680 ||
           (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
           r == 0x205F || r == 0x3000;
}

static bool is_name_rune(uint32_t r)
{
    if (r < 0x80)
        return (r >= '0' && r <= '9') || r == '_' || ((r | 0x20) >= 'a' && (r | 0x20) <= 'z');
    if (r <= 0xBF)
        return r == 0xAA || r == 0xB5 || r == 0xBA;
    return r != 0xD7 && r != 0xF7 && !(r >= 0x2000 && r <= 0x206F) &&
           !(r >= 0x3000 && r <= 0x3003) && r != 0xFFFD && !is_space(r);
}

static void end_word(splitter *sp)
{
    df_slice w = buf_to_arena(&sp->word, sp->arena);
    buf_put(&sp->list, (const char *)&w, sizeof w);
    sp->in_word = false;
}

/* Adds text to the words: raw text as it is, other text ends a word at each
 * blank (an empty word is never ended, so "" alone makes no word). */
static void split(splitter *sp, const char *s, size_t n, bool raw)
{
    if (raw) {
        buf_put(&sp->word, s, n);
        sp->in_word = true;
        return;
    }
    for (size_t i = 0, len; i < n; i += len) {
        if (!is_space(rune_at(s + i, n - i, &len)))
            split(sp, s + i, len, true);
        else if (sp->in_word && sp->word.len)
            end_word(sp);
    }
}

/* ---- the lexer ---- */

static int peek(const lexer *lx)
{
    return lx->pos < lx->n ? (unsigned char)lx->s[lx->pos] : END;
}

static void skip_rune(lexer *lx)
{
    lx->pos += rune_len(lx->s + lx->pos, lx->n - lx->pos);
}

static bool fail(lexer *lx, size_t offset, const char *message)
{
    lx->err->offset = offset;
    lx->err->message = message;
    return false;
}

static const char *tail(const df_buf *b, size_t at)
{
    return b->p ? b->p + at : "";
}

static df_slice contents(const df_buf *b)
{
    return (df_slice){tail(b, 0), b->len};
}

static bool get(lexer *lx, df_slice name, df_slice *value)
{
    *value = (df_slice){"", 0};
    return lx->lookup && lx->lookup(lx->ctx, name, value);
}

/* Appends s up to its first NUL byte, as printf's "%.*s" writes it. */
static void put_text(df_buf *out, df_slice s)
{
    const char *nul = memchr(s.p, '\0', s.n);
    buf_put(out, s.p, nul ? (size_t)(nul - s.p) : s.n);
}

/* Appends var's value; with keep_unset an unset var is written back as $var or ${var}. */
static void put_value(lexer *lx, df_slice var, bool braces, df_buf *out)
{
    df_slice v;
    if (lx->scan_only)
        return;
    if (!get(lx, var, &v) && lx->keep_unset) {
        buf_puts(out, braces ? "${" : "$");
        put_text(out, var);
        if (braces)
            buf_putc(out, '}');
    } else {
        buf_put_slice(out, v);
    }
}

static size_t add_ref(lexer *lx, df_slice name)
{
    if (!lx->scan_only || !name.n)
        return SIZE_MAX;
    buf_put(&lx->refs, (const char *)&name, sizeof name);
    return lx->refs.len / sizeof name - 1;
}

static bool dollar(lexer *lx, df_buf *out);

/* name := digit {digit} | special | namechar {namechar} */
static df_slice name(lexer *lx)
{
    size_t start = lx->pos;
    int c = peek(lx);
    if (c >= '0' && c <= '9') {
        while (lx->pos < lx->n && lx->s[lx->pos] >= '0' && lx->s[lx->pos] <= '9')
            lx->pos++;
    } else if (c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!') {
        lx->pos++;
    } else {
        size_t i = lx->pos, len;
        while (i < lx->n) {
            unsigned char b = (unsigned char)lx->s[i];
            if (b < 0x80) { /* ASCII, the usual case: no decoding */
                if (!is_name_rune(b))
                    break;
                i++;
            } else if (is_name_rune(rune_at(lx->s + i, lx->n - i, &len))) {
                i += len;
            } else {
                break;
            }
        }
        lx->pos = i;
    }
    return (df_slice){lx->s + start, lx->pos - start};
}

/* "'" { any but "'" } "'" */
static bool single_quoted(lexer *lx, df_buf *out)
{
    size_t open = lx->pos++;
    const char *close = memchr(lx->s + lx->pos, '\'', lx->n - lx->pos);
    if (!close) {
        lx->pos = lx->n;
        return fail(lx, open, "unterminated single quote");
    }
    buf_put(out, lx->s + lx->pos, (size_t)(close - (lx->s + lx->pos)));
    lx->pos = (size_t)(close - lx->s) + 1;
    return true;
}

/* '"' { ESC ('"' | '$' | ESC) | dollar | any } '"' */
static bool double_quoted(lexer *lx, df_buf *out)
{
    size_t open = lx->pos++;
    for (;;) {
        int c = peek(lx);
        if (c == END)
            return fail(lx, open, "unterminated double quote");
        if (c == '"') {
            lx->pos++;
            return true;
        }
        if (c == '$') {
            if (!dollar(lx, out))
                return false;
            continue;
        }
        lx->pos++;
        if (c == lx->esc) {
            if (lx->raw)
                buf_putc(out, (char)c);
            int d = peek(lx);
            if (d == END)
                continue;
            if (d == '"' || d == '$' || d == lx->esc) {
                lx->pos++;
                c = d;
            }
        }
        buf_putc(out, (char)c);
    }
}

/*
 * word := { part }, up to stop (consumed) or the end when stop is END.
 * Appends the expansion to out; sp, when given, receives the word splitting.
 */
/* Is c a byte word_upto copies as it is: ASCII, neither the stop, a quote, $ nor the escape? */
static bool plain_ascii(const lexer *lx, int c, int stop)
{
    return c < 0x80 && c != stop && c != '$' && c != '\'' && c != '"' && c != lx->esc;
}

static bool word_upto(lexer *lx, int stop, bool raw, df_buf *out, splitter *sp)
{
    bool saved = lx->raw, ok = true;
    lx->raw = raw;
    while (lx->pos < lx->n) {
        int c = peek(lx);
        size_t at = out->len, start;
        if (stop != END && c == stop) {
            lx->pos++;
            goto done;
        }
        if (c == '$' || c == '\'' || c == '"') {
            ok = c == '$' ? dollar(lx, out) : c == '"' ? double_quoted(lx, out) : single_quoted(lx, out);
            if (!ok)
                goto done;
            if (sp) /* expansions are split, quoted text is not */
                split(sp, tail(out, at), out->len - at, c != '$');
            continue;
        }
        bool escaped = c == lx->esc;
        if (escaped) {
            lx->pos++;
            if (raw)
                buf_putc(out, (char)c);
            if (raw && sp)
                split(sp, tail(out, at), 1, true);
            if (lx->pos == lx->n)
                break;
        }
        start = lx->pos;
        skip_rune(lx);
        if (!escaped) /* then the run of plain ASCII bytes after it, at once */
            while (lx->pos < lx->n && plain_ascii(lx, (unsigned char)lx->s[lx->pos], stop))
                lx->pos++;
        buf_put(out, lx->s + start, lx->pos - start);
        if (sp)
            split(sp, lx->s + start, lx->pos - start, escaped);
    }
    if (stop != END)
        ok = fail(lx, lx->pos, "unexpected end of word");
done:
    lx->raw = saved;
    return ok;
}

/* ---- globs ---- */

/* Compiles a pattern to literal bytes, G_ANY and G_STAR; false on a bad escape. */
static bool glob_compile(df_slice p, int *g, size_t *ng)
{
    size_t k = 0;
    for (size_t i = 0; i < p.n;) {
        unsigned char c = (unsigned char)p.p[i++];
        if (c == '\\' && i < p.n && (p.p[i] == '}' || p.p[i] == '/'))
            continue; /* the escape of } and / belongs to ${} syntax */
        if (c == '\\' && (i == p.n || (p.p[i] != '*' && p.p[i] != '?' && p.p[i] != '\\')))
            return false;
        g[k++] = c == '\\' ? (unsigned char)p.p[i++] : c == '*' ? G_STAR : c == '?' ? G_ANY : c;
    }
    *ng = k;
    return true;
}

/*
 * Returns a table over positions 0..s.n marking every e for which the glob
 * matches s[start:e]. For globs (fixed-width pieces joined by stars) the
 * shortest and longest such e are exactly what Go's lazy and greedy regexps
 * find, so callers pick the first or last mark. a and b are scratch tables.
 */
static bool *glob_ends(const int *g, size_t ng, df_slice s, size_t start, bool *a, bool *b)
{
    memset(a, 0, s.n + 1);
    a[start] = true;
    for (size_t k = 0; k < ng; k++) {
        memset(b, 0, s.n + 1);
        for (size_t i = start; i <= s.n; i++) {
            if (g[k] == G_STAR)
                b[i] = b[i] || a[i];
            if (!(g[k] == G_STAR ? b[i] : a[i]) || i == s.n)
                continue;
            if (g[k] == G_STAR || g[k] == G_ANY) {
                if (s.p[i] != '\n')
                    b[i + rune_len(s.p + i, s.n - i)] = true;
            } else if ((unsigned char)s.p[i] == g[k]) {
                b[i + 1] = true;
            }
        }
        bool *t = a;
        a = b;
        b = t;
    }
    return a;
}

/* Leftmost-longest match at or after from; false when there is none. */
static bool glob_find(const int *g, size_t ng, df_slice s, size_t from, size_t *ms, size_t *me,
                      bool *a, bool *b)
{
    for (size_t st = from; st <= s.n; st += st < s.n ? rune_len(s.p + st, s.n - st) : 1) {
        bool *ends = glob_ends(g, ng, s, st, a, b);
        for (size_t e = s.n + 1; e-- > st;)
            if (ends[e])
                return *ms = st, *me = e, true;
    }
    return false;
}

/* Go's Regexp.Expand for a pattern without groups: $$ is $, $0 and ${0} the match. */
static void put_template(df_buf *out, df_slice t, df_slice match)
{
    for (size_t i = 0; i < t.n;) {
        if (t.p[i++] != '$') {
            buf_putc(out, t.p[i - 1]);
            continue;
        }
        if (i < t.n && t.p[i] == '$') {
            buf_putc(out, t.p[i++]);
            continue;
        }
        bool brace = i < t.n && t.p[i] == '{';
        size_t start = i + brace, j = start, len;
        while (j < t.n && is_name_rune(rune_at(t.p + j, t.n - j, &len)))
            j += len;
        if (j == start || (brace && (j == t.n || t.p[j] != '}'))) {
            buf_putc(out, '$');
            continue;
        }
        if (j - start == 1 && t.p[start] == '0')
            buf_put_slice(out, match);
        i = j + brace;
    }
}

/* Reverses s rune by rune; as a pattern, an escape stays before what it escapes. */
static void reverse(df_slice s, char *out, bool pattern)
{
    for (size_t i = 0, len; i < s.n; i += len) {
        len = rune_len(s.p + i, s.n - i);
        if (pattern && s.p[i] == '\\' && i + 1 < s.n)
            len = 1 + rune_len(s.p + i + 1, s.n - i - 1);
        memcpy(out + s.n - i - len, s.p + i, len);
    }
}

/*
 * ${v#p} ${v##p} ${v%p} ${v%%p} and ${v/p/r} ${v//p/r} on the value v. A suffix
 * is removed the way BuildKit does it: reverse value and pattern, remove a prefix.
 */
static bool apply_glob(lexer *lx, size_t at, int op, bool greedy, df_slice v, df_slice pat,
                       df_slice rep, df_buf *out)
{
    int *g = xmalloc((pat.n + 1) * sizeof *g);
    char *rpat = xmalloc(pat.n + 1), *rv = xmalloc(v.n + 1);
    bool *a = xmalloc(v.n + 1), *b = xmalloc(v.n + 1);
    size_t ng, ms, me, last = 0;
    if (op == '%') {
        reverse(pat, rpat, true);
        pat.p = rpat;
    }
    bool ok = glob_compile(pat, g, &ng);
    if (!ok) {
        fail(lx, at, "invalid pattern in substitution");
    } else if (op == '#' || op == '%') {
        df_slice s = v;
        if (op == '%') {
            reverse(v, rv, false);
            s.p = rv;
        }
        bool *ends = glob_ends(g, ng, s, 0, a, b);
        size_t cut = 0;
        for (size_t e = 0; e <= s.n; e++) {
            if (ends[e]) {
                cut = e;
                if (!greedy)
                    break;
            }
        }
        if (op == '#')
            buf_put(out, v.p + cut, v.n - cut);
        else
            buf_put(out, v.p, v.n - cut);
    } else {
        /* / replaces the first match literally; // is Go's ReplaceAllString loop. */
        for (size_t from = 0; from <= v.n && glob_find(g, ng, v, from, &ms, &me, a, b);) {
            buf_put(out, v.p + last, ms - last);
            if (op == '/')
                buf_put_slice(out, rep);
            else if (me > last || ms == 0)
                put_template(out, rep, (df_slice){v.p + ms, me - ms});
            last = me;
            if (op == '/')
                break;
            size_t w = from < v.n ? rune_len(v.p + from, v.n - from) : 0;
            from = from + w > me ? from + w : from + 1 > me ? from + 1 : me;
        }
        buf_put(out, v.p + last, v.n - last);
    }
    free(g), free(rpat), free(rv), free(a), free(b);
    return ok;
}

/* ---- ${...} ---- */

/*
 * What follows '${' name: '}' | [':'] op word '}' | '/' ['/'] rawword '/' rawword '}'.
 * Like BuildKit, the words are parsed before the operator is judged.
 */
static bool braced(lexer *lx, size_t at, df_slice var, df_buf *out)
{
    size_t mod = lx->pos;
    int c = peek(lx), op = c;
    df_buf pb = {0}, wb = {0};
    df_slice v, w, pat;
    bool set = false, ok = false;
    if (c == END)
        return fail(lx, at, "missing '}'");
    skip_rune(lx);
    if (c == '}') {
        put_value(lx, var, true, out);
        return true;
    }
    if (c == ':') {
        if ((op = peek(lx)) != END)
            skip_rune(lx);
    } else if (c == '/' && peek(lx) == '/') {
        op = 'A';
        lx->pos++;
    } else if (c != '-' && c != '+' && c != '?' && c != '#' && c != '%' && c != '/') {
        return fail(lx, mod, "unsupported modifier in substitution");
    }
    df_slice chs = {lx->s + mod, lx->pos - mod};
    bool known = c == '/' || op == '-' || op == '+' || op == '?' || op == '#' || op == '%';
    if (c == '/' && !word_upto(lx, '/', true, &pb, NULL)) {
        if (lx->pos == lx->n)
            fail(lx, at, "missing '/' in ${}");
        goto done;
    }
    if (!word_upto(lx, '}', c == '/' || op == '#' || op == '%', &wb, NULL)) {
        if (lx->pos == lx->n)
            fail(lx, at, "missing '}'");
        goto done;
    }
    w = contents(&wb);
    pat = contents(&pb);
    if (!lx->scan_only && !(set = get(lx, var, &v)) && lx->keep_unset) {
        ok = true;
        buf_puts(out, "${");
        put_text(out, var);
        if (c == '/') { /* BuildKit writes ${v//p/r} back as ${v/p/r} */
            buf_putc(out, '/');
            put_text(out, pat);
            buf_putc(out, '/');
        } else {
            put_text(out, chs);
        }
        put_text(out, w);
        buf_putc(out, '}');
    } else if (!known) {
        fail(lx, mod, "unsupported modifier in substitution");
    } else if (lx->scan_only) {
        ok = true;
    } else if (c == '/') {
        ok = apply_glob(lx, at, op == 'A' ? 'A' : '/', true, v, pat, w, out);
    } else {
        bool null = !set || (c == ':' && v.n == 0);
        ok = true;
        if (op == '-')
            buf_put_slice(out, null ? w : v);
        else if (op == '+' && !null)
            buf_put_slice(out, w);
        else if (op == '?' && !null)
            buf_put_slice(out, v);
        else if (op == '?') { /* the message names the variable */
            df_slice msg = w.n ? w : slice_from(set ? "is not allowed to be empty" : "is not allowed to be unset");
            df_buf b = {0};
            buf_printf(&b, SLICE_FMT ": " SLICE_FMT, SLICE_ARG(var), SLICE_ARG(msg));
            ok = fail(lx, at, buf_to_arena(&b, lx->arena).p);
            buf_free(&b);
        } else if (op == '#' || op == '%') {
            bool greedy = w.n && w.p[0] == op;
            ok = apply_glob(lx, at, op, greedy, v, (df_slice){w.p + greedy, w.n - greedy}, w, out);
        }
    }
done:
    buf_free(&pb);
    buf_free(&wb);
    return ok;
}

/* dollar := '$' name | '$' | '${' name ... '}' */
static bool dollar(lexer *lx, df_buf *out)
{
    size_t at = lx->pos++;
    if (peek(lx) != '{') {
        df_slice var = name(lx);
        if (!var.n) {
            buf_putc(out, '$');
            return true;
        }
        add_ref(lx, var);
        put_value(lx, var, false, out);
        return true;
    }
    lx->pos++;
    int c = peek(lx);
    if (c == END)
        return fail(lx, at, "missing '}'");
    if (c == '{' || c == '}' || c == ':')
        return fail(lx, at, "bad substitution");
    if (lx->depth >= MAX_NESTING)
        return fail(lx, at, "${...} nested too deeply");
    df_slice var = name(lx);
    size_t ref = add_ref(lx, var);
    lx->depth++;
    bool ok = braced(lx, at, var, out);
    lx->depth--;
    if (ok)
        return true;
    if (ref != SIZE_MAX)
        ((df_slice *)(void *)lx->refs.p)[ref].p = NULL;
    return false;
}

/* ---- entry points ---- */

/* Where w's first byte that word_upto does not copy as it is ($, a quote or the escape) is;
 * w.n when there is none. */
static size_t plain_prefix(df_slice w, char escape)
{
    size_t i = 0;
    for (; i < w.n; i++) {
        char c = w.p[i];
        if (c == '$' || c == '\'' || c == '"' || c == escape)
            break;
    }
    return i;
}

static bool expand(df_arena *arena, df_slice w, char escape, expand_lookup_fn lookup, void *ctx,
                   bool keep_unset, df_slice *out, splitter *sp, expand_error *err)
{
    /* without splitting, the bytes before the first $, quote or escape are the output's first
     * bytes: read from there on, or not at all when that is the end */
    size_t plain = sp ? 0 : plain_prefix(w, escape);
    if (!sp && out && plain == w.n) {
        *out = arena_slice(arena, w.p ? w.p : "", w.n);
        return true;
    }
    expand_error dummy = {0};
    lexer lx = {.arena = arena, .s = w.p ? w.p : "", .n = w.n, .pos = plain,
                .esc = (unsigned char)escape, .keep_unset = keep_unset, .lookup = lookup,
                .ctx = ctx, .err = err ? err : &dummy};
    df_buf b = {0};
    if (plain)
        buf_put(&b, w.p, plain);
    bool ok = word_upto(&lx, END, false, &b, sp);
    if (ok && out)
        *out = buf_to_arena(&b, arena);
    buf_free(&b);
    return ok;
}

bool expand_word(df_arena *arena, df_slice word, char escape, expand_lookup_fn lookup, void *ctx,
                 bool keep_unset, df_slice *out, expand_error *err)
{
    return expand(arena, word, escape, lookup, ctx, keep_unset, out, NULL, err);
}

bool expand_words(df_arena *arena, df_slice word, char escape, expand_lookup_fn lookup, void *ctx,
                  bool keep_unset, df_slice **words, size_t *nwords, expand_error *err)
{
    splitter sp = {.arena = arena};
    bool ok = expand(arena, word, escape, lookup, ctx, keep_unset, NULL, &sp, err);
    if (ok && sp.word.len)
        end_word(&sp);
    *nwords = ok ? sp.list.len / sizeof **words : 0;
    *words = arena_alloc(arena, *nwords * sizeof **words);
    if (*nwords)
        memcpy(*words, sp.list.p, *nwords * sizeof **words);
    buf_free(&sp.word);
    buf_free(&sp.list);
    return ok;
}

/* Scans like expand_word, evaluating nothing; after an error it resumes where the scan stopped. */
size_t expand_references(df_arena *arena, df_slice word, char escape, df_slice **names)
{
    if (!word.n || !memchr(word.p, '$', word.n)) { /* no reference without a $ */
        df_slice *none = arena_alloc(arena, 0);
        if (names)
            *names = none;
        return 0;
    }
    expand_error err;
    lexer lx = {.arena = arena, .s = word.p ? word.p : "", .n = word.n, .esc = (unsigned char)escape,
                .scan_only = true, .err = &err};
    while (lx.pos < lx.n) {
        df_buf junk = {0};
        size_t before = lx.pos;
        bool ok = word_upto(&lx, END, false, &junk, NULL);
        buf_free(&junk);
        if (ok)
            break;
        if (lx.pos == before)
            lx.pos++;
    }
    size_t total = lx.refs.len / sizeof(df_slice), n = 0;
    df_slice *all = (df_slice *)(void *)lx.refs.p, *kept = arena_alloc(arena, total * sizeof *kept);
    for (size_t i = 0; i < total; i++)
        if (all[i].p)
            kept[n++] = all[i];
    buf_free(&lx.refs);
    if (names)
        *names = kept;
    return n;
}
