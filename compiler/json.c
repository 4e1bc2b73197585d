/*
 * json.c: JSON arrays of strings read the way Go's encoding/json reads them into []interface{}
 * (BuildKit's exec form), and the two quoting styles dfopt writes: JSON string literals and Go's
 * strconv.Quote (the conformance dump).
 *
 *   value  := ws (string | number | object | array | 'true' | 'false' | 'null') ws
 *   array  := '[' ws (value (',' value)*)? ']'
 *   object := '{' ws (string ws ':' value (',' ws string ws ':' value)*)? '}'
 *
 * The whole input must be one array (else JSON_NOT_ARRAY: BuildKit falls back to shell form);
 * a syntactically valid array with a non-string element is JSON_NOT_STRINGS (an error).
 * In strings, invalid UTF-8 and lone surrogates decode to U+FFFD, as in Go.
 */
#include "internal.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <wctype.h>

enum { MAX_DEPTH = 10000 };

typedef struct jp {
    const char *s;
    size_t n, i;
    df_buf str;
    bool raw;          /* the last string's value is the bytes as written, in s[at, i - 1) */
    bool range_error; /* a number a float64 cannot hold: Go's Unmarshal fails */
} jp;

static void ws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                           p->s[p->i] == '\r'))
        p->i++;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hex4(jp *p, uint32_t *r)
{
    if (p->n - p->i < 4)
        return false;
    *r = 0;
    for (int k = 0; k < 4; k++) {
        int h = hex(p->s[p->i + (size_t)k]);
        if (h < 0)
            return false;
        *r = *r * 16 + (uint32_t)h;
    }
    p->i += 4;
    return true;
}

/* The bytes that stand for themselves in a string: printable ASCII but '"' and '\\'. A table,
 * filled when the program starts, makes the scan one lookup per byte. */
static bool plain[256];

__attribute__((constructor)) static void plain_init(void)
{
    for (int c = 0x20; c < 0x80; c++)
        plain[c] = c != '"' && c != '\\';
}

static bool plain_char(unsigned char c)
{
    return plain[c];
}

/* string := '"' char* '"' ; decoded into p->str, or p->raw when it is plain ASCII (the usual
 * case: nothing to copy) */
static bool string(jp *p)
{
    p->str.len = 0;
    p->i++; /* opening quote */
    size_t j = p->i;
    while (j < p->n && plain_char((unsigned char)p->s[j]))
        j++;
    p->raw = j < p->n && p->s[j] == '"';
    if (p->raw) {
        p->i = j + 1;
        return true;
    }
    buf_put(&p->str, p->s + p->i, j - p->i);
    p->i = j;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c < 0x80 && c != '\\') { /* a run of plain ASCII is copied at once */
            size_t e = p->i + 1;
            while (e < p->n && plain_char((unsigned char)p->s[e]))
                e++;
            buf_put(&p->str, p->s + p->i, e - p->i);
            p->i = e;
            continue;
        }
        if (c != '\\') {
            size_t w;
            uint32_t r = utf8_decode(p->s + p->i, p->n - p->i, &w);
            utf8_append(&p->str, r);
            p->i += w;
            continue;
        }
        if (++p->i >= p->n)
            return false;
        char e = p->s[p->i++];
        uint32_t r;
        switch (e) {
        case '"': case '\\': case '/': buf_putc(&p->str, e); break;
        case 'b': buf_putc(&p->str, '\b'); break;
        case 'f': buf_putc(&p->str, '\f'); break;
        case 'n': buf_putc(&p->str, '\n'); break;
        case 'r': buf_putc(&p->str, '\r'); break;
        case 't': buf_putc(&p->str, '\t'); break;
        case 'u':
            if (!hex4(p, &r))
                return false;
            if (r >= 0xD800 && r < 0xDC00) {
                uint32_t lo;
                size_t save = p->i;
                if (p->n - p->i >= 6 && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
                    p->i += 2;
                    if (hex4(p, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                        utf8_append(&p->str, 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00));
                        break;
                    }
                }
                p->i = save;
                r = 0xFFFD;
            } else if (r >= 0xDC00 && r < 0xE000) {
                r = 0xFFFD;
            }
            utf8_append(&p->str, r);
            break;
        default:
            return false;
        }
    }
    return false;
}

static bool number_syntax(jp *p);

static bool digits(jp *p)
{
    size_t s = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
        p->i++;
    return p->i > s;
}

static bool number(jp *p)
{
    size_t start = p->i;
    bool ok = number_syntax(p);
    if (ok) {
        char tmp[64];
        size_t len = p->i - start;
        if (len >= sizeof tmp) { /* long numbers: only the exponent can overflow */
            const char *e = memchr(p->s + start, 'e', len);
            if (!e)
                e = memchr(p->s + start, 'E', len);
            double digits = (double)(e ? (size_t)(e - p->s) - start : len);
            double ex = e ? strtod(e + 1, NULL) : 0;
            p->range_error |= digits + ex > 308;
        } else {
            memcpy(tmp, p->s + start, len);
            tmp[len] = '\0';
            p->range_error |= isinf(strtod(tmp, NULL));
        }
    }
    return ok;
}

static bool number_syntax(jp *p)
{
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0')
        p->i++;
    else if (!digits(p))
        return false;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!digits(p))
            return false;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (!digits(p))
            return false;
    }
    return true;
}

static bool literal(jp *p, const char *lit)
{
    size_t n = strlen(lit);
    if (p->n - p->i < n || memcmp(p->s + p->i, lit, n) != 0)
        return false;
    p->i += n;
    return true;
}

static bool value(jp *p, int depth);

static bool members(jp *p, char close, int depth)
{
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            ws(p);
            if (p->i >= p->n || p->s[p->i] != '"' || !string(p))
                return false;
            ws(p);
            if (p->i >= p->n || p->s[p->i++] != ':')
                return false;
        }
        if (!value(p, depth + 1))
            return false;
        if (p->i >= p->n)
            return false;
        char c = p->s[p->i++];
        if (c == close)
            return true;
        if (c != ',')
            return false;
    }
}

/* value := ws (...) ws */
static bool value(jp *p, int depth)
{
    if (depth >= MAX_DEPTH)
        return false;
    ws(p);
    if (p->i >= p->n)
        return false;
    bool ok;
    switch (p->s[p->i]) {
    case '"': ok = string(p); break;
    case '[': ok = members(p, ']', depth); break;
    case '{': ok = members(p, '}', depth); break;
    case 't': ok = literal(p, "true"); break;
    case 'f': ok = literal(p, "false"); break;
    case 'n': ok = literal(p, "null"); break;
    default: ok = (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9')) && number(p);
    }
    ws(p);
    return ok;
}

/* The elements of an array being read: in local storage while there are few. */
typedef struct elements {
    df_slice *v;
    size_t *off;
    size_t n, cap;
    df_slice v_local[16];
    size_t off_local[16];
} elements;

/* add_element when e is full: its room doubles, moving to the heap the first time */
__attribute__((noinline)) static void elements_grow(elements *e)
{
    size_t cap = e->cap; /* the two arrays grow alike */
    e->v = grow_from_local(e->v, e->v_local, &e->cap, e->n, sizeof *e->v);
    e->off = grow_from_local(e->off, e->off_local, &cap, e->n, sizeof *e->off);
}

/* Adds the string just read (it started at offset at). */
static inline void add_element(elements *e, df_arena *a, const jp *p, size_t at)
{
    if (e->n == e->cap)
        elements_grow(e);
    if (p->raw)
        e->v[e->n] = (df_slice){p->s + at + 1, p->i - at - 2};
    else
        e->v[e->n] = arena_slice(a, p->str.p ? p->str.p : "", p->str.len);
    e->off[e->n++] = at;
}

/* The usual exec form, an array of strings only, read in one pass from the '[' at p->i; false
 * when the text is anything else (the general way below then decides what). */
static bool strings_only(jp *p, df_arena *a, elements *e)
{
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
    } else {
        for (;;) {
            size_t at = p->i;
            if (at >= p->n || p->s[at] != '"' || !string(p))
                return false;
            add_element(e, a, p, at);
            ws(p);
            if (p->i >= p->n)
                return false;
            char c = p->s[p->i++];
            if (c == ']')
                break;
            if (c != ',')
                return false;
            ws(p);
        }
    }
    ws(p);
    return p->i == p->n;
}

/* An element written as plain ASCII is a slice of s; any other is decoded into the arena. */
json_result json_string_array(df_arena *a, df_slice s, df_slice **elems, size_t **offs, size_t *n)
{
    jp p = {.s = s.p, .n = s.n};
    size_t sp = s.n && s.p[0] == '[' ? 0 : lex_trim_left_space(s.p, s.n); /* no call as a rule */
    p.i = sp;
    if (p.i >= p.n || p.s[p.i] != '[')
        return JSON_NOT_ARRAY;
    elements e;
    e.v = e.v_local;
    e.off = e.off_local;
    e.n = 0;
    e.cap = sizeof e.v_local / sizeof e.v_local[0];
    json_result res = JSON_OK;
    if (!strings_only(&p, a, &e)) {
        /* validate first, as Go does, then collect */
        e.n = 0;
        p.i = sp;
        if (!value(&p, 0) || p.i != p.n || p.range_error) {
            res = JSON_NOT_ARRAY;
        } else {
            p.i = sp + 1;
            for (;;) {
                ws(&p);
                if (p.s[p.i] == ']')
                    break;
                if (p.s[p.i] != '"') {
                    res = JSON_NOT_STRINGS;
                    break;
                }
                size_t at = p.i;
                string(&p);
                add_element(&e, a, &p, at);
                ws(&p);
                if (p.s[p.i++] == ']')
                    break;
            }
        }
    }
    if (p.str.p) /* only a string with escapes or non-ASCII bytes used it */
        buf_free(&p.str);
    if (res == JSON_OK) {
        *elems = NULL;
        *offs = NULL;
        if (e.n) { /* one block: the slices, then the offsets */
            *elems = arena_alloc_raw(a, e.n * (sizeof **elems + sizeof **offs));
            *offs = (size_t *)(*elems + e.n);
            memcpy(*elems, e.v, e.n * sizeof *e.v);
            memcpy(*offs, e.off, e.n * sizeof *e.off);
        }
        *n = e.n;
    }
    if (e.v != e.v_local) {
        free(e.v);
        free(e.off);
    }
    return res;
}

/* ---- quoting ---- */

void json_quote(df_buf *b, df_slice s)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < s.n;) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == '"' || c == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': buf_puts(b, "\\n"); break;
            case '\t': buf_puts(b, "\\t"); break;
            case '\r': buf_puts(b, "\\r"); break;
            default: buf_printf(b, "\\u%04x", c);
            }
            i++;
        } else if (c < 0x80) {
            buf_putc(b, (char)c);
            i++;
        } else {
            size_t w;
            uint32_t r = utf8_decode(s.p + i, s.n - i, &w);
            utf8_append(b, r);
            i += w;
        }
    }
    buf_putc(b, '"');
}

/* unicode.IsPrint for a valid non-ASCII rune: letters, marks, numbers, punctuation and symbols;
 * not controls, format characters, separators, private use, unassigned code points (the C
 * library's Unicode tables in a UTF-8 locale answer for those). */
static bool printable(uint32_t r)
{
    static locale_t utf8;
    if (!utf8)
        utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8 && !iswprint_l((wint_t)r, utf8))
        return false;
    if (r < 0xA1 || r == 0xAD)
        return false;
    if ((r >= 0x600 && r <= 0x605) || r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x8E2 ||
        r == 0x180E || r == 0x1680 || (r >= 0x2000 && r <= 0x200F) ||
        (r >= 0x2028 && r <= 0x202F) || (r >= 0x205F && r <= 0x206F) || r == 0x3000 ||
        (r >= 0xE000 && r <= 0xF8FF) || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB) ||
        r == 0xFFFE || r == 0xFFFF || r >= 0xF0000 || (r >= 0xE0000 && r <= 0xE007F) ||
        r == 0x110BD || r == 0x110CD || (r >= 0x13430 && r <= 0x1343F) ||
        (r >= 0x1BCA0 && r <= 0x1BCA3) || (r >= 0x1D173 && r <= 0x1D17A))
        return false;
    return true;
}

void go_quote(df_buf *b, df_slice s)
{
    static const char hexd[] = "0123456789abcdef";
    buf_putc(b, '"');
    for (size_t i = 0; i < s.n;) {
        size_t j = i; /* a run of printable ASCII stands for itself */
        for (unsigned char c; j < s.n && (c = (unsigned char)s.p[j]) >= 0x20 && c < 0x7F &&
                              c != '"' && c != '\\';)
            j++;
        if (j > i) {
            buf_put(b, s.p + i, j - i);
            i = j;
            continue;
        }
        size_t w;
        uint32_t r = utf8_decode(s.p + i, s.n - i, &w);
        unsigned char c = (unsigned char)s.p[i];
        if (r == 0xFFFD && w == 1) {
            buf_putc(b, '\\');
            buf_putc(b, 'x');
            buf_putc(b, hexd[c >> 4]);
            buf_putc(b, hexd[c & 15]);
        } else if (r == '"' || r == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)r);
        } else if (r >= 0x20 && r < 0x7F) {
            buf_putc(b, (char)r);
        } else if (r >= 0x80 && printable(r)) {
            buf_put(b, s.p + i, w);
        } else {
            switch (r) {
            case '\a': buf_puts(b, "\\a"); break;
            case '\b': buf_puts(b, "\\b"); break;
            case '\f': buf_puts(b, "\\f"); break;
            case '\n': buf_puts(b, "\\n"); break;
            case '\r': buf_puts(b, "\\r"); break;
            case '\t': buf_puts(b, "\\t"); break;
            case '\v': buf_puts(b, "\\v"); break;
            default:
                if (r < 0x20 || r == 0x7F)
                    buf_printf(b, "\\x%02x", (unsigned)r);
                else if (r < 0x10000)
                    buf_printf(b, "\\u%04x", (unsigned)r);
                else
                    buf_printf(b, "\\U%08x", (unsigned)r);
            }
        }
        i += w;
    }
    buf_putc(b, '"');
}
