/* common.c: what every harness links (see fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Noreturn void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("fuzz: property violated: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* ---- a strict JSON checker (RFC 8259) for the harnesses' output checks ---- */

typedef struct jp {
    const char *s;
    size_t n, i;
    int depth;
} jp;

static void ws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                           p->s[p->i] == '\r'))
        p->i++;
}

static bool lit(jp *p, const char *w)
{
    size_t n = strlen(w);
    if (p->n - p->i < n || memcmp(p->s + p->i, w, n) != 0)
        return false;
    p->i += n;
    return true;
}

static bool str(jp *p)
{
    p->i++; /* the opening quote */
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i++];
        if (c == '"')
            return true;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (p->i >= p->n)
                return false;
            char e = p->s[p->i++];
            if (e == 'u') {
                for (int k = 0; k < 4; k++, p->i++)
                    if (p->i >= p->n || !strchr("0123456789abcdefABCDEF", p->s[p->i]) ||
                        !p->s[p->i])
                        return false;
            } else if (!strchr("\"\\/bfnrt", e) || !e) {
                return false;
            }
        } else if (c >= 0x80) {
            size_t w;
            if (utf8_decode(p->s + p->i - 1, p->n - p->i + 1, &w) == 0xFFFD && w == 1)
                return false; /* invalid UTF-8 (a real U+FFFD is 3 bytes wide) */
            p->i += w - 1;
        }
    }
    return false;
}

static bool num(jp *p)
{
    size_t start = p->i;
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
        return false;
    if (p->s[p->i] == '0')
        p->i++;
    else
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        size_t d = p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (p->i == d)
            return false;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        size_t d = p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (p->i == d)
            return false;
    }
    return p->i > start;
}

static bool val(jp *p)
{
    ws(p);
    if (p->i >= p->n || ++p->depth > 200)
        return false;
    bool ok;
    char c = p->s[p->i];
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        p->i++;
        ws(p);
        ok = true;
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
        } else {
            for (;;) {
                if (c == '{') {
                    ws(p);
                    if (p->i >= p->n || p->s[p->i] != '"' || !str(p))
                        return false;
                    ws(p);
                    if (p->i >= p->n || p->s[p->i++] != ':')
                        return false;
                }
                if (!val(p))
                    return false;
                if (p->i >= p->n)
                    return false;
                char d = p->s[p->i++];
                if (d == close)
                    break;
                if (d != ',')
                    return false;
            }
        }
    } else if (c == '"') {
        ok = str(p);
    } else if (c == 't') {
        ok = lit(p, "true");
    } else if (c == 'f') {
        ok = lit(p, "false");
    } else if (c == 'n') {
        ok = lit(p, "null");
    } else {
        ok = num(p);
    }
    p->depth--;
    ws(p);
    return ok;
}

bool fuzz_json_valid(const char *s, size_t n)
{
    jp p = {s, n, 0, 0};
    return val(&p) && p.i == n;
}
