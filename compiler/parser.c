/*
 * parser.c: one logical line into an instruction, by BuildKit's rules.
 *
 *   instruction := blank* keyword (sep flags)? (sep arguments)? blank*
 *   sep         := [\t\v\f\r ]+
 *   flags       := ('--' word blank*)*         a lone `--` ends the flags and is dropped
 *   arguments   := split by the keyword's rule (kinds.h):
 *     JSON_OR_STRING   RUN CMD ENTRYPOINT SHELL: a JSON string array, else the rest as one string
 *     JSON_OR_LIST     ADD COPY VOLUME: a JSON string array, else words split on sep
 *     FIELDS           FROM EXPOSE: words split on sep
 *     STRING           MAINTAINER USER WORKDIR STOPSIGNAL: the rest as one string
 *     NAME_OR_NAMEVAL  ARG: quote-aware words, quotes kept
 *     ENV, LABEL       `k=v ...` (triples k v "=") or legacy `k v w` (triple k "v w" "")
 *     HEALTHCHECK      a type word (CMD, NONE, ...) then the JSON_OR_STRING rule
 *     SUBCOMMAND       ONBUILD: the rest parsed as an instruction of its own (not ONBUILD,
 *                      FROM or MAINTAINER: errors, as when BuildKit builds)
 *   An unknown keyword is kept with one empty argument.
 *
 * Arguments keep BuildKit's values (what its dump prints); each records its offset in the logical
 * line so diagnostics can point at it.
 */
#include "internal.h"

#include <string.h>

typedef enum {
    RULE_JSON_OR_STRING,
    RULE_JSON_OR_LIST,
    RULE_FIELDS,
    RULE_STRING,
    RULE_NAME_OR_NAMEVAL,
    RULE_ENV,
    RULE_LABEL,
    RULE_HEALTHCHECK,
    RULE_SUBCOMMAND,
    RULE_IGNORE,
} rule;

static const struct {
    const char *name;
    size_t len;
    rule rule;
    unsigned props;
} kinds[DF_NKINDS] = {
#define X(id, kw, r, p) [DF_##id] = {kw, sizeof kw - 1, r, p},
    DF_KINDS(X)
#undef X
        [DF_UNKNOWN] = {"unknown", 7, RULE_IGNORE, 0},
};

const char *kind_name(df_kind k)
{
    return kinds[k].name;
}

unsigned kind_props(df_kind k)
{
    return kinds[k].props;
}

/* Go's unicode.ToLower for the scripts keywords are realistically written in (Latin, Greek,
 * Cyrillic, and the two letters that fold to ASCII: KELVIN SIGN and DOTTED CAPITAL I). */
static uint32_t to_lower(uint32_t r)
{
    if (r >= 'A' && r <= 'Z')
        return r + 32;
    if (r < 0x80)
        return r;
    if (r == 0x212A)
        return 'k';
    if (r == 0x0130)
        return 'i';
    if (r == 0x212B)
        return 0xE5;
    if (r >= 0xC0 && r <= 0xDE && r != 0xD7)
        return r + 0x20;
    if ((r >= 0x100 && r <= 0x137) || (r >= 0x14A && r <= 0x177))
        return r % 2 == 0 ? r + 1 : r;
    if ((r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E))
        return r % 2 == 1 ? r + 1 : r;
    if (r == 0x178)
        return 0xFF;
    if (r >= 0x391 && r <= 0x3A9 && r != 0x3A2)
        return r + 0x20;
    if (r >= 0x410 && r <= 0x42F)
        return r + 0x20;
    if (r >= 0x400 && r <= 0x40F)
        return r + 0x50;
    return r;
}

void kind_lower(df_buf *b, df_slice keyword)
{
    for (size_t i = 0; i < keyword.n;) {
        unsigned char c = (unsigned char)keyword.p[i];
        if (c < 0x80) { /* ASCII: no decoding */
            buf_putc(b, c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c);
            i++;
            continue;
        }
        size_t w;
        uint32_t r = utf8_decode(keyword.p + i, keyword.n - i, &w);
        utf8_append(b, to_lower(r));
        i += w;
    }
}

/*
 * The kinds by the first byte of their keyword, in either ASCII case, built from kinds[] when
 * the program starts: at most three keywords share a letter, so a lookup compares the word
 * with one to three keywords. Indexed by any byte, so a lookup needs no test.
 */
static unsigned char kinds_by_byte[256][4]; /* kind + 1, then 0 */

/* Each keyword's first eight bytes (zero-padded) and a mask of those it has, in memory order,
 * for kind_is to compare a word's first eight bytes at once. */
static uint64_t kinds_head[DF_NKINDS], kinds_head_mask[DF_NKINDS];

__attribute__((constructor)) static void kinds_by_byte_init(void)
{
    for (int k = 0; k < DF_UNKNOWN; k++) {
        unsigned char head[8] = {0}, mask[8] = {0};
        for (size_t i = 0; i < 8 && i < kinds[k].len; i++)
            head[i] = (unsigned char)kinds[k].name[i], mask[i] = 0xFF;
        memcpy(&kinds_head[k], head, 8);
        memcpy(&kinds_head_mask[k], mask, 8);
        unsigned char first = (unsigned char)kinds[k].name[0];
        unsigned char *l = kinds_by_byte[first];
        while (*l)
            l++;
        if (l == kinds_by_byte[first] + 3)
            die("more than three keywords start with '%c'", first);
        *l = (unsigned char)(k + 1);
        memcpy(kinds_by_byte[first - 'a' + 'A'], kinds_by_byte[first], 4); /* the upper case */
    }
}

/* The keywords that may start with byte c (in either ASCII case): a list ending in 0. */
static const unsigned char *kinds_starting(char c)
{
    return kinds_by_byte[(unsigned char)c];
}

/* Does p (avail bytes readable) start with the keyword of kind k in any ASCII case, given that
 * its first byte does (kinds_starting)? Every keyword is lower-case letters, and for a letter x,
 * (c | 0x20) == x holds for c == x and its upper case only; the bytes are compared eight at once
 * when there are eight to read (kinds_head), else four and two at a time. */
static inline bool kind_is(df_kind k, const char *p, size_t avail)
{
    const char *name = kinds[k].name;
    size_t n = kinds[k].len, i = 1;
    if (avail >= 8) {
        uint64_t a;
        memcpy(&a, p, 8);
        if (((a | 0x2020202020202020u) ^ kinds_head[k]) & kinds_head_mask[k])
            return false;
        if (n <= 8)
            return true;
        i = 8;
    }
    for (; i + 4 <= n; i += 4) {
        uint32_t a, b;
        memcpy(&a, p + i, 4);
        memcpy(&b, name + i, 4);
        if ((a | 0x20202020u) != b)
            return false;
    }
    if (i + 2 <= n) {
        uint16_t a, b;
        memcpy(&a, p + i, 2);
        memcpy(&b, name + i, 2);
        if ((a | 0x2020u) != b)
            return false;
        i += 2;
    }
    return i == n || ((unsigned char)p[i] | 0x20) == (unsigned char)name[i];
}

df_kind kind_lookup(df_slice keyword)
{
    if (keyword.n == 0)
        return DF_UNKNOWN;
    for (const unsigned char *k = kinds_starting(keyword.p[0]); *k; k++) /* see kind_is */
        if (kinds[*k - 1].len == keyword.n && kind_is((df_kind)(*k - 1), keyword.p, keyword.n))
            return (df_kind)(*k - 1);
    bool ascii = true;
    for (size_t i = 0; i < keyword.n && ascii; i++)
        ascii = (unsigned char)keyword.p[i] < 0x80;
    if (ascii)
        return DF_UNKNOWN; /* ASCII and no keyword */
    char small[64];
    df_buf b = {0};
    if (keyword.n >= sizeof small / 2)
        return DF_UNKNOWN; /* longer than any keyword, even with folding */
    kind_lower(&b, keyword);
    size_t n = b.len < sizeof small ? b.len : sizeof small - 1;
    memcpy(small, b.p, n);
    small[n] = '\0';
    buf_free(&b);
    for (int k = 0; k < DF_UNKNOWN; k++)
        if (strcmp(small, kinds[k].name) == 0)
            return (df_kind)k;
    return DF_UNKNOWN;
}

/* ---- character classes: one table lookup per byte ---- */

enum {
    C_SEP = 1,        /* BuildKit's reWhitespace: [\t\v\f\r ] */
    C_SPACE = 2,      /* unicode.IsSpace of an ASCII byte: a sep or \n */
    C_BYTE_SPACE = 4, /* unicode.IsSpace(rune(byte)): a space, 0x85 or 0xA0 */
    C_WORD_STOP = 8,  /* a byte words_ascii must look at: a space, quote, escape or not ASCII */
    C_FLAG_STOP = 16, /* a byte that ends a plain builder flag: a byte space, quote, backslash
                       * or not ASCII */
};
static unsigned char ctype[256];

__attribute__((constructor)) static void ctype_init(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned t = 0;
        if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r')
            t |= C_SEP;
        if (c == ' ' || (c >= '\t' && c <= '\r'))
            t |= C_SPACE | C_BYTE_SPACE;
        if (c == 0x85 || c == 0xA0)
            t |= C_BYTE_SPACE;
        if ((t & C_SPACE) || c == '\'' || c == '"' || c == '\\' || c == '`' || c >= 0x80)
            t |= C_WORD_STOP;
        if ((t & C_BYTE_SPACE) || c == '\'' || c == '"' || c == '\\' || c >= 0x80)
            t |= C_FLAG_STOP;
        ctype[c] = (unsigned char)t;
    }
}

/* The first byte at or after i (before end) of a class in stop (C_WORD_STOP, C_FLAG_STOP): the
 * table is read four bytes at a time, with one test for the four, while four remain. */
static inline size_t skip_until(const unsigned char *u, size_t i, size_t end, unsigned stop)
{
    for (; end - i >= 4; i += 4)
        if ((ctype[u[i]] | ctype[u[i + 1]] | ctype[u[i + 2]] | ctype[u[i + 3]]) & stop)
            break;
    while (i < end && !(ctype[u[i]] & stop))
        i++;
    return i;
}

static bool is_sep(char c) /* BuildKit's reWhitespace */
{
    return ctype[(unsigned char)c] & C_SEP;
}

static bool is_byte_space(char c) /* unicode.IsSpace(rune(byte)) */
{
    return ctype[(unsigned char)c] & C_BYTE_SPACE;
}

static bool is_ascii_space(char c) /* unicode.IsSpace of an ASCII byte */
{
    return ctype[(unsigned char)c] & C_SPACE;
}

/* The case of each ASCII letter, 0 for any other byte: one look-up per byte of a keyword. */
#define LETTER(c) [c] = KW_LOWER, [(c) - 'a' + 'A'] = KW_UPPER
static const unsigned char letter_case[256] = {
    LETTER('a'), LETTER('b'), LETTER('c'), LETTER('d'), LETTER('e'), LETTER('f'), LETTER('g'),
    LETTER('h'), LETTER('i'), LETTER('j'), LETTER('k'), LETTER('l'), LETTER('m'), LETTER('n'),
    LETTER('o'), LETTER('p'), LETTER('q'), LETTER('r'), LETTER('s'), LETTER('t'), LETTER('u'),
    LETTER('v'), LETTER('w'), LETTER('x'), LETTER('y'), LETTER('z'),
};
#undef LETTER

/* The case of the letters of keyword k: KW_LOWER, KW_UPPER, both or neither. */
static inline unsigned keyword_case(df_slice k)
{
    unsigned has = 0;
    for (size_t i = 0; i < k.n; i++)
        has |= letter_case[(unsigned char)k.p[i]];
    return has;
}

/*
 * keyword := [^sep]*   the first word of p (n bytes); returns its kind and sets *len. A keyword
 * is recognized where it stands (its letters, then a sep or the end), so the usual line is read
 * once; only a word that is no keyword in ASCII is scanned, then looked up.
 */
static df_kind keyword_at(const char *p, size_t n, size_t *len)
{
    if (n == 0) {
        *len = 0;
        return DF_UNKNOWN;
    }
    for (const unsigned char *k = kinds_starting(p[0]); *k; k++) {
        size_t kn = kinds[*k - 1].len;
        if (kn <= n && (kn == n || is_sep(p[kn])) && kind_is((df_kind)(*k - 1), p, n)) {
            *len = kn;
            return (df_kind)(*k - 1);
        }
    }
    size_t l = 0;
    while (l < n && !is_sep(p[l]))
        l++;
    *len = l;
    return kind_lookup((df_slice){p, l});
}

/* lex_trim_left_space, without the call when there is nothing to trim (the usual case) */
static size_t trim_left_space(const char *p, size_t n)
{
    if (n == 0 || ((unsigned char)p[0] < 0x80 && !is_ascii_space(p[0])))
        return 0;
    return lex_trim_left_space(p, n);
}

static size_t trim_right_space(const char *p, size_t n)
{
    for (;;) {
        size_t w;
        if (n >= 1 && (unsigned char)p[n - 1] < 0x80) { /* no longer space ends in ASCII */
            if (!is_ascii_space(p[n - 1]))
                return n;
            n--;
        } else if (n >= 1 && lex_is_space_rune(p + n - 1, 1, &w))
            n -= 1;
        else if (n >= 2 && lex_is_space_rune(p + n - 2, 2, &w) && w == 2)
            n -= 2;
        else if (n >= 3 && lex_is_space_rune(p + n - 3, 3, &w) && w == 3)
            n -= 3;
        else
            return n;
    }
}

/* ---- building argument lists ---- */

typedef struct arglist {
    df_arg *v;
    size_t n, cap;
    df_arg local[8]; /* room for the first arguments: most instructions allocate nothing */
} arglist;

static void arglist_init(arglist *l) /* not `= {0}`: local[] needs no zeroing */
{
    l->v = l->local;
    l->n = 0;
    l->cap = sizeof l->local / sizeof l->local[0];
}

/* push when l is full: its room doubles, moving to the heap the first time */
__attribute__((noinline)) static void arglist_grow(arglist *l)
{
    l->v = grow_from_local(l->v, l->local, &l->cap, l->n, sizeof *l->v);
}

static inline void push(arglist *l, df_slice v, size_t off)
{
    if (l->n == l->cap)
        arglist_grow(l);
    l->v[l->n++] = (df_arg){v, off};
}

static void arglist_free(arglist *l)
{
    if (l->v != l->local)
        free(l->v);
    arglist_init(l);
}

/* The arguments of l in the arena; l is spent. */
static inline df_arg *to_arena(df_doc *doc, arglist *l, size_t *n)
{
    *n = l->n;
    df_arg *a = NULL;
    if (l->n == 1) { /* the usual RUN, WORKDIR, USER...: no call to copy one argument */
        a = arena_alloc_raw(&doc->arena, sizeof *a);
        a[0] = l->v[0];
    } else if (l->n) {
        a = arena_alloc_raw(&doc->arena, l->n * sizeof *a);
        memcpy(a, l->v, l->n * sizeof *a);
    }
    if (l->v != l->local)
        free(l->v);
    return a;
}

/* ---- the line rules ---- */

typedef struct line {
    df_doc *doc;
    df_diags *d;
    df_node *n;         /* the top-level node (for positions) */
    const char *p;      /* the text being split */
    size_t len;
    size_t base;        /* offset of p in the top-level logical line */
} line;

static void error_at(const line *ln, size_t off, size_t len, const char *fmt, const char *arg)
{
    size_t at = node_src_offset(ln->n, ln->base + off);
    diag_add(ln->d, DIAG_ERROR, ln->doc, at, len, fmt, arg);
}

/* Appends rune r as UTF-8 at d (room for 4 bytes); returns its length. */
static size_t put_rune(char *d, uint32_t r)
{
    if (r < 0x80) {
        d[0] = (char)r;
        return 1;
    }
    if (r < 0x800) {
        d[0] = (char)(0xC0 | (r >> 6));
        d[1] = (char)(0x80 | (r & 0x3F));
        return 2;
    }
    if (r < 0x10000) {
        d[0] = (char)(0xE0 | (r >> 12));
        d[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        d[2] = (char)(0x80 | (r & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (r >> 18));
    d[1] = (char)(0x80 | ((r >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((r >> 6) & 0x3F));
    d[3] = (char)(0x80 | (r & 0x3F));
    return 4;
}

/* Scratch room for building a value of at most n bytes: on the stack when it fits. */
typedef struct scratch {
    char *p;
    char small[256];
} scratch;

static char *scratch_get(scratch *s, size_t n)
{
    s->p = n <= sizeof s->small ? s->small : xmalloc(n);
    return s->p;
}

static void scratch_free(scratch *s)
{
    if (s->p != s->small)
        free(s->p);
}

/* A value built in w (wl bytes) from line bytes [start, end): the line's own bytes when they are
 * the same (the usual case: nothing to copy), else a copy in the arena. */
static df_slice word_value(const line *ln, const char *w, size_t wl, size_t start, size_t end)
{
    if (wl == end - start && memcmp(w, ln->p + start, wl) == 0)
        return (df_slice){ln->p + start, end - start};
    return arena_slice(&ln->doc->arena, w, wl);
}

/*
 * flags := ('--' word)*   byte-wise words; quotes removed and backslash escapes applied.
 * Returns the offset where the arguments start. Not inlined: few instructions have flags, and
 * parse_line, which all of them go through, stays small.
 */
__attribute__((noinline)) static size_t builder_flags(const line *ln, size_t i, arglist *out)
{
    const char *s = ln->p;
    size_t n = ln->len;
    scratch sc;
    char *w = NULL;
    size_t wl = 0;
    for (;;) {
        while (i < n && is_byte_space(s[i]))
            i++;
        if (i >= n || s[i] != '-' || i + 1 >= n || s[i + 1] != '-')
            break;
        size_t start = i, e = skip_until((const unsigned char *)s, i, n, C_FLAG_STOP);
        if (e == n || is_byte_space(s[e])) { /* no quote or escape: the value is the text */
            i = e;
            if (e - start == 2)
                break; /* a lone `--` ends the flags */
            push(out, (df_slice){s + start, e - start}, ln->base + start);
            continue;
        }
        bool blank_ok = false;
        char quote = 0;
        if (!w)
            w = scratch_get(&sc, 2 * (n - i) + 4); /* bytes >= 0x80 take 2 as UTF-8 */
        wl = 0;
        for (; i < n; i++) {
            char c = s[i];
            if (quote) {
                if (c == quote) {
                    quote = 0;
                    continue;
                }
            } else if (is_byte_space(c)) {
                break;
            } else if (c == '\'' || c == '"') {
                quote = c;
                blank_ok = true;
                continue;
            }
            if (c == '\\') {
                if (i + 1 == n) {
                    quote = 0;
                    continue;
                }
                c = s[++i];
            }
            wl += put_rune(w + wl, (unsigned char)c); /* BuildKit reads flags byte by byte */
        }
        if (wl == 2 && memcmp(w, "--", 2) == 0)
            break; /* a lone `--` ends the flags */
        if (blank_ok || wl > 0)
            push(out, word_value(ln, w, wl, start, i), ln->base + start);
    }
    if (w)
        scratch_free(&sc);
    return i;
}

/* The first byte at or after i (before end) that is at most 0x20, where every sep is: eight
 * bytes at a time while they last. In x - 0x21 per byte, the lowest byte that borrows (its top
 * bit set where x's is clear) is the first byte below 0x21; bytes above it may borrow falsely,
 * so only the lowest is used. */
static size_t skip_above_space(const unsigned char *u, size_t i, size_t end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; end - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, u + i, 8);
        uint64_t low = (x - 0x2121212121212121u) & ~x & 0x8080808080808080u;
        if (low)
            return i + (size_t)__builtin_ctzll(low) / 8;
    }
#endif
    while (i < end && u[i] > 0x20)
        i++;
    return i;
}

/* FIELDS: split on sep (the text is already trimmed) */
static void fields(const line *ln, size_t i, size_t end, arglist *out)
{
    const unsigned char *u = (const unsigned char *)ln->p;
    while (i < end) {
        size_t s = i;
        for (;; i++) { /* to the next sep; another byte up to 0x20 (\n, a control) is kept */
            i = skip_above_space(u, i, end);
            if (i == end || (ctype[u[i]] & C_SEP))
                break;
        }
        push(out, (df_slice){ln->p + s, i - s}, ln->base + s);
        while (i < end && (ctype[u[i]] & C_SEP))
            i++;
    }
}

/*
 * words() over ASCII text: each word's value is then the bytes as written, less an escape that
 * ends the line. Returns false, with out as it was, at the first byte that is not ASCII (a
 * blank rune, or invalid UTF-8 to replace: words() does those).
 */
static bool words_ascii(const line *ln, size_t i, size_t end, arglist *out)
{
    const char *s = ln->p;
    char esc = ln->doc->escape;
    size_t before = out->n;
    while (i < end) {
        if ((unsigned char)s[i] >= 0x80)
            goto not_ascii;
        if (is_ascii_space(s[i])) {
            i++;
            continue;
        }
        size_t start = i, vend;
        bool blank_ok = false;
        char quote = 0;
        for (;; i++) {
            i = skip_until((const unsigned char *)s, i, end, C_WORD_STOP); /* what it passes over */
            if (i == end) {
                vend = end;
                break;
            }
            char c = s[i];
            if ((unsigned char)c >= 0x80)
                goto not_ascii;
            if (!quote) {
                if (is_ascii_space(c)) {
                    vend = i;
                    break;
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                    blank_ok = true;
                    continue;
                }
            } else if (c == quote) {
                quote = 0;
                continue;
            }
            if (c == esc && quote != '\'') {
                if (i + 1 == end) { /* dropped */
                    vend = i++;
                    break;
                }
                if ((unsigned char)s[++i] >= 0x80) /* the escaped byte, kept as it is */
                    goto not_ascii;
            }
        }
        if (blank_ok || vend > start)
            push(out, (df_slice){s + start, vend - start}, ln->base + start);
    }
    return true;
not_ascii:
    out->n = before;
    return false;
}

/*
 * NAME_OR_NAMEVAL, and the word split of ENV/LABEL: words split on unicode blanks outside
 * quotes; quotes and escapes are kept; an escape at the very end is dropped.
 */
static void words(const line *ln, size_t i, size_t end, arglist *out)
{
    if (words_ascii(ln, i, end, out))
        return;
    const char *s = ln->p;
    char esc = ln->doc->escape;
    scratch sc;
    char *w = scratch_get(&sc, 3 * (end - i) + 4); /* an invalid byte becomes U+FFFD: 3 bytes */
    size_t wl = 0;
    bool in = false, blank_ok = false;
    char quote = 0;
    size_t start = i;
    while (i < end) {
        size_t width = 1;
        unsigned char c0 = (unsigned char)s[i];
        bool space;
        uint32_t r = c0;
        if (c0 < 0x80) /* ASCII, the usual case */
            space = c0 == ' ' || (c0 >= '\t' && c0 <= '\r');
        else {
            space = lex_is_space_rune(s + i, end - i, &width);
            r = utf8_decode(s + i, end - i, &width);
        }
        if (!in) {
            if (space) {
                i += width;
                continue;
            }
            in = true, start = i, wl = 0, blank_ok = false;
        }
        if (!quote) {
            if (space) {
                if (blank_ok || wl)
                    push(out, word_value(ln, w, wl, start, i), ln->base + start);
                in = false;
                i += width;
                continue;
            }
            if (r == '\'' || r == '"') {
                quote = (char)r;
                blank_ok = true;
            }
        } else if (r == (uint32_t)quote) {
            quote = 0;
            wl += put_rune(w + wl, r);
            i += width;
            continue;
        }
        if (r == (uint32_t)esc && (!quote || quote != '\'')) {
            if (i + width == end) {
                i += width;
                continue;
            }
            wl += put_rune(w + wl, r);
            i += width;
            r = utf8_decode(s + i, end - i, &width);
        }
        wl += put_rune(w + wl, r);
        i += width;
    }
    if (in && (blank_ok || wl))
        push(out, word_value(ln, w, wl, start, end), ln->base + start);
    scratch_free(&sc);
}

/* ENV, LABEL: name=value pairs, or the legacy `name value` */
static bool name_val(const line *ln, size_t i, size_t end, const char *key, arglist *out)
{
    arglist ws;
    arglist_init(&ws);
    words(ln, i, end, &ws);
    bool ok = true;
    const char *eq0 = ws.n ? memchr(ws.v[0].v.p, '=', ws.v[0].v.n) : NULL; /* decides the form */
    if (ws.n == 0) {
        /* nothing */
    } else if (!eq0) {
        size_t k = i;
        while (k < end && !is_sep(ln->p[k]))
            k++;
        size_t v = k;
        while (v < end && is_sep(ln->p[v]))
            v++;
        if (k == end) {
            error_at(ln, i, end - i, "%s must have two arguments", key);
            ok = false;
        } else {
            push(out, (df_slice){ln->p + i, k - i}, ln->base + i);
            push(out, (df_slice){ln->p + v, end - v}, ln->base + v);
            push(out, (df_slice){"", 0}, ln->base + v);
        }
    } else {
        for (size_t w = 0; w < ws.n && ok; w++) {
            df_slice word = ws.v[w].v;
            const char *eq = w == 0 ? eq0 : memchr(word.p, '=', word.n);
            if (!eq) {
                char *q = arena_strndup(&ln->doc->arena, word.p, word.n);
                error_at(ln, ws.v[w].off - ln->base, word.n,
                         "syntax error: can't find = in \"%s\"; must be of the form: name=value",
                         q);
                ok = false;
                break;
            }
            size_t kn = (size_t)(eq - word.p);
            push(out, (df_slice){word.p, kn}, ws.v[w].off);
            push(out, (df_slice){eq + 1, word.n - kn - 1}, ws.v[w].off + kn + 1);
            push(out, SLICE("="), ws.v[w].off + kn);
        }
    }
    arglist_free(&ws);
    return ok;
}

/* Can the arguments at i be a JSON array (a '[' after blanks)? A byte that is neither '[' nor
 * a blank, nor the start of a longer blank rune, says no without a call (most shell forms). */
static inline bool may_be_json(const line *ln, size_t i, size_t end)
{
    unsigned char c = i < end ? (unsigned char)ln->p[i] : 0;
    return c == '[' || c >= 0x80 || is_ascii_space((char)c);
}

/* JSON_OR_STRING and the JSON half of JSON_OR_LIST; returns 1 JSON, 0 not JSON, -1 error */
static int json_form(const line *ln, size_t i, size_t end, arglist *out)
{
    size_t sp = trim_left_space(ln->p + i, end - i);
    if (i + sp >= end || ln->p[i + sp] != '[')
        return 0;
    df_slice *elems;
    size_t *offs, n;
    switch (json_string_array(&ln->doc->arena, (df_slice){ln->p + i, end - i}, &elems, &offs,
                              &n)) {
    case JSON_NOT_ARRAY:
        return 0;
    case JSON_NOT_STRINGS:
        error_at(ln, i, end - i, "%s",
                 "when using JSON array syntax, arrays must be comprised of strings only");
        return -1;
    case JSON_OK:
        break;
    }
    for (size_t k = 0; k < n; k++)
        push(out, elems[k], ln->base + i + offs[k]);
    return 1;
}

static bool parse_line(df_doc *doc, df_node *top, df_node *n, size_t base, df_slice text,
                       df_diags *d);

static bool arguments(const line *ln, df_node *n, rule r, size_t i, size_t end, arglist *out,
                      df_diags *d)
{
    int j;
    switch (r) {
    case RULE_JSON_OR_STRING:
        if (i == end)
            return true;
        j = may_be_json(ln, i, end) ? json_form(ln, i, end, out) : 0;
        if (j < 0)
            return false;
        if (j > 0)
            n->flags |= DF_N_JSON;
        else
            push(out, (df_slice){ln->p + i, end - i}, ln->base + i);
        return true;
    case RULE_JSON_OR_LIST:
        j = may_be_json(ln, i, end) ? json_form(ln, i, end, out) : 0;
        if (j < 0)
            return false;
        if (j > 0)
            n->flags |= DF_N_JSON;
        else
            fields(ln, i, end, out);
        return true;
    case RULE_FIELDS:
        fields(ln, i, end, out);
        return true;
    case RULE_STRING:
        if (i < end)
            push(out, (df_slice){ln->p + i, end - i}, ln->base + i);
        return true;
    case RULE_NAME_OR_NAMEVAL:
        words(ln, i, end, out);
        return true;
    case RULE_ENV:
        return name_val(ln, i, end, "ENV", out);
    case RULE_LABEL:
        return name_val(ln, i, end, "LABEL", out);
    case RULE_HEALTHCHECK: {
        size_t sep = i;
        while (sep < end && !is_byte_space(ln->p[sep]))
            sep++;
        if (sep == i)
            return true;
        size_t next = sep;
        while (next < end && is_byte_space(ln->p[next]))
            next++;
        push(out, (df_slice){ln->p + i, sep - i}, ln->base + i);
        return arguments(ln, n, RULE_JSON_OR_STRING, next, end, out, d);
    }
    case RULE_SUBCOMMAND: {
        if (i == end)
            return true;
        /* BuildKit refuses these triggers when it builds; refusing them here also keeps the
         * nesting (and this recursion) one level deep whatever the input. */
        size_t k = i;
        while (k < end && !is_sep(ln->p[k]))
            k++;
        df_kind trigger = kind_lookup((df_slice){ln->p + i, k - i});
        if (trigger == DF_ONBUILD) {
            error_at(ln, i, k - i, "%s", "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            return false;
        }
        if (trigger == DF_FROM || trigger == DF_MAINTAINER) {
            error_at(ln, i, k - i, "%s isn't allowed as an ONBUILD trigger",
                     trigger == DF_FROM ? "FROM" : "MAINTAINER");
            return false;
        }
        n->sub = ir_node_new(ln->doc);
        return parse_line(ln->doc, ln->n, n->sub, ln->base + i,
                          (df_slice){ln->p + i, end - i}, d);
    }
    case RULE_IGNORE:
        push(out, (df_slice){"", 0}, ln->base + i);
        return true;
    }
    unreachable();
}

static bool parse_line(df_doc *doc, df_node *top, df_node *n, size_t base, df_slice text,
                       df_diags *d)
{
    line ln = {doc, d, top, text.p, text.n, base};
    size_t i = trim_left_space(text.p, text.n);
    size_t end = trim_right_space(text.p, text.n);
    if (end < i)
        end = i;
    const unsigned char *u = (const unsigned char *)text.p;
    size_t kn;
    n->kind = keyword_at(text.p + i, end - i, &kn);
    n->keyword = (df_slice){text.p + i, kn};
    n->kwcase = (uint8_t)keyword_case(n->keyword);
    size_t k = i + kn, as;
    ln.len = end;
    n->bflags = NULL;
    n->nbflags = 0;
    if (k + 1 < end && u[k] == ' ' && u[k + 1] > ' ' && u[k + 1] < 0x80 && u[k + 1] != '-') {
        as = k + 1; /* the usual line: one space, then the arguments (no flags, no blanks) */
    } else {
        while (k < end && (ctype[u[k]] & C_SEP))
            k++;
        size_t a = k;
        if (k < end && (u[k] == '-' || is_byte_space(text.p[k]))) { /* flags start with "--" */
            arglist fl;
            arglist_init(&fl);
            a = builder_flags(&ln, k, &fl);
            n->bflags = to_arena(doc, &fl, &n->nbflags);
        }
        as = a + trim_left_space(text.p + a, end - a);
    }
    n->rest_off = base + as;
    arglist args;
    arglist_init(&args);
    bool ok = arguments(&ln, n, kinds[n->kind].rule, as, end, &args, d);
    n->args = to_arena(doc, &args, &n->nargs);
    return ok;
}

bool parse_instruction(df_doc *doc, df_node *n, df_diags *d)
{
    n->flags &= ~DF_N_JSON;
    n->sub = NULL;
    return parse_line(doc, n, n, 0, n->logical, d);
}
