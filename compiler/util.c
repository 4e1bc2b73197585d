/* util.c: slices, the arena, growable buffers, and death on internal errors. */
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

df_slice slice_from(const char *s)
{
    return (df_slice){s, strlen(s)};
}

bool slice_eq(df_slice a, df_slice b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* These three are called in the passes' inner loops, mostly with a word that differs early:
 * they stop at the first difference instead of measuring s first. */
bool slice_eq_str(df_slice a, const char *s)
{
    for (size_t i = 0; i < a.n; i++)
        if (s[i] == '\0' || s[i] != a.p[i])
            return false;
    return s[a.n] == '\0';
}

bool slice_eq_nocase(df_slice a, const char *s)
{
    for (size_t i = 0; i < a.n; i++) {
        unsigned char x = (unsigned char)a.p[i], y = (unsigned char)s[i];
        if (y == '\0' || (x != y && ascii_fold(x) != ascii_fold(y)))
            return false;
    }
    return s[a.n] == '\0';
}

bool slices_eq_nocase(df_slice a, df_slice b)
{
    if (a.n != b.n)
        return false;
    for (size_t i = 0; i < a.n; i++) {
        unsigned char x = (unsigned char)a.p[i], y = (unsigned char)b.p[i];
        if (x != y && ascii_fold(x) != ascii_fold(y))
            return false;
    }
    return true;
}

bool slice_has_prefix(df_slice a, const char *prefix)
{
    size_t i = 0;
    for (; prefix[i]; i++)
        if (i >= a.n || a.p[i] != prefix[i])
            return false;
    return true;
}

/* ---- allocation ---- */

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

void *grow_from_local(void *v, const void *local, size_t *cap, size_t n, size_t size)
{
    *cap *= 2;
    if (v != local)
        return xrealloc(v, *cap * size);
    void *p = xmalloc(*cap * size);
    memcpy(p, local, n * size);
    return p;
}

void *xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p)
        die("out of memory (%zu x %zu bytes)", n, m);
    return p;
}

/* Chunk sizes: the first is small (a small document needs little, and small blocks go back
 * to malloc cheaply), each next one twice the last up to ARENA_CHUNK; an allocation over a
 * quarter of that gets a chunk of its own. */
enum { ARENA_FIRST = 4 * 1024, ARENA_CHUNK = 64 * 1024 };

/* Chunks of the standard sizes (ARENA_FIRST, twice that, ... ARENA_CHUNK) that a freed arena
 * gave back, kept for the next one once the program asked for it (arena_spares_keep; the
 * dfopt command does, being one thread): over many documents, each gets its chunks without
 * a malloc and a free. A few per size. */
enum { SPARE_SIZES = 5, SPARE_MAX = 4 };
static bool spares_on;
static struct {
    df_arena_chunk *v[SPARE_MAX];
    size_t n;
} spare[SPARE_SIZES];

void arena_spares_keep(void)
{
    spares_on = true;
}

static int size_class(size_t size)
{
    for (int k = 0; k < SPARE_SIZES; k++)
        if (size == (size_t)ARENA_FIRST << k)
            return k;
    return -1;
}

static void chunk_free(df_arena_chunk *c)
{
    int k = spares_on ? size_class(c->size) : -1;
    if (k >= 0 && spare[k].n < SPARE_MAX)
        spare[k].v[spare[k].n++] = c;
    else
        free(c);
}

void arena_spares_free(void)
{
    for (int k = 0; k < SPARE_SIZES; k++)
        while (spare[k].n)
            free(spare[k].v[--spare[k].n]);
}

/* A new chunk for an allocation of n (aligned) bytes that does not fit in the current one. */
void *arena_grow(df_arena *a, size_t n)
{
    bool own = n > ARENA_CHUNK / 4;
    size_t size = n;
    if (!own) {
        size = a->head ? 2 * a->head->size : ARENA_FIRST;
        if (size > ARENA_CHUNK)
            size = ARENA_CHUNK;
        while (size < n)
            size *= 2;
    }
    int k = size_class(size);
    df_arena_chunk *c = k >= 0 && spare[k].n ? spare[k].v[--spare[k].n]
                                              : xmalloc(sizeof *c + size);
    c->size = size;
    if (own && a->head) {
        /* A big one-off: keep the current chunk for small allocations. */
        c->next = a->head->next;
        a->head->next = c;
        return c->data;
    }
    c->next = a->head;
    a->head = c;
    a->cur = c->data + n;
    a->end = c->data + size;
    return c->data;
}

void *arena_alloc(df_arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    memset(p, 0, n);
    return p;
}

df_arena_mark arena_mark(df_arena *a)
{
    if (!a->head) {
        arena_alloc_raw(a, 0);
        a->cur = a->head->data;
    }
    return (df_arena_mark){a->head, a->head->next, a->cur};
}

void arena_release_chunks(df_arena *a, df_arena_mark m)
{
    /* chunks made after the mark: new heads before m.head, big one-offs right after it */
    for (df_arena_chunk *c = a->head; c != m.head;) {
        df_arena_chunk *next = c->next;
        chunk_free(c);
        c = next;
    }
    for (df_arena_chunk *c = m.head->next; c != m.next;) {
        df_arena_chunk *next = c->next;
        chunk_free(c);
        c = next;
    }
    m.head->next = m.next;
    a->head = m.head;
    a->cur = m.cur;
    a->end = m.head->data + m.head->size;
}

char *arena_strndup(df_arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- name index ---- */

int uf_root(int *g, int s)
{
    while (g[s] != s)
        s = g[s] = g[g[s]];
    return s;
}

void uf_join(int *g, int a, int b)
{
    if (a < 0 || b < 0)
        return;
    a = uf_root(g, a), b = uf_root(g, b);
    if (a != b)
        g[a < b ? b : a] = a < b ? a : b;
}

uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}

/* The slot holding name, or the empty one where it would go. */
static struct name_slot *name_slot_of(struct name_slot *slot, size_t cap, df_slice name)
{
    size_t mask = cap - 1;
    for (size_t i = (size_t)fnv1a(FNV_OFFSET, name.p, name.n) & mask;; i = (i + 1) & mask)
        if (!slot[i].i1 || slice_eq(slot[i].name, name))
            return &slot[i];
}

void name_index_put(name_index *x, df_slice name, size_t i)
{
    if (2 * (x->n + 1) > x->cap) { /* more room: every name again */
        size_t cap = x->cap ? 2 * x->cap : 16;
        struct name_slot *slot = xcalloc(cap, sizeof *slot);
        for (size_t k = 0; k < x->cap; k++)
            if (x->slot[k].i1)
                *name_slot_of(slot, cap, x->slot[k].name) = x->slot[k];
        free(x->slot);
        x->slot = slot;
        x->cap = cap;
    }
    struct name_slot *s = name_slot_of(x->slot, x->cap, name);
    x->n += !s->i1;
    *s = (struct name_slot){name, i + 1};
}

size_t name_index_get(const name_index *x, df_slice name)
{
    return x->cap ? name_slot_of(x->slot, x->cap, name)->i1 : 0;
}

void name_index_free(name_index *x)
{
    free(x->slot);
    *x = (name_index){NULL, 0, 0};
}

df_slice arena_slice(df_arena *a, const char *s, size_t n)
{
    return (df_slice){arena_strndup(a, s, n), n};
}

void arena_free(df_arena *a)
{
    df_arena_chunk *c = a->head;
    while (c) {
        df_arena_chunk *next = c->next;
        chunk_free(c);
        c = next;
    }
    a->head = NULL;
    a->cur = a->end = NULL;
}

/* ---- buffers ---- */

static void buf_grow(df_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void buf_put(df_buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_puts(df_buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_putc_grow(df_buf *b, char c)
{
    buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

void buf_put_slice(df_buf *b, df_slice s)
{
    buf_put(b, s.p, s.n);
}

void buf_printf(df_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("vsnprintf failed");
    buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_free(df_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

df_slice buf_to_arena(df_buf *b, df_arena *a)
{
    df_slice s = arena_slice(a, b->p ? b->p : "", b->len);
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
    return s;
}

_Noreturn void die_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "dfopt: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

uint32_t utf8_decode(const char *p, size_t n, size_t *width)
{
    const unsigned char *u = (const unsigned char *)p;
    *width = 1;
    if (n == 0)
        return 0xFFFD;
    if (u[0] < 0x80)
        return u[0];
    size_t len;
    uint32_t r, min;
    if ((u[0] & 0xE0) == 0xC0)
        len = 2, r = u[0] & 0x1Fu, min = 0x80;
    else if ((u[0] & 0xF0) == 0xE0)
        len = 3, r = u[0] & 0x0Fu, min = 0x800;
    else if ((u[0] & 0xF8) == 0xF0)
        len = 4, r = u[0] & 0x07u, min = 0x10000;
    else
        return 0xFFFD;
    if (n < len)
        return 0xFFFD;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0xFFFD;
        r = (r << 6) | (u[i] & 0x3Fu);
    }
    if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        return 0xFFFD;
    *width = len;
    return r;
}

void utf8_append(df_buf *b, uint32_t r)
{
    char s[4];
    if (r < 0x80) {
        buf_putc(b, (char)r);
        return;
    }
    if (r < 0x800) {
        s[0] = (char)(0xC0 | (r >> 6));
        s[1] = (char)(0x80 | (r & 0x3F));
        buf_put(b, s, 2);
    } else if (r < 0x10000) {
        s[0] = (char)(0xE0 | (r >> 12));
        s[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        s[2] = (char)(0x80 | (r & 0x3F));
        buf_put(b, s, 3);
    } else {
        s[0] = (char)(0xF0 | (r >> 18));
        s[1] = (char)(0x80 | ((r >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((r >> 6) & 0x3F));
        s[3] = (char)(0x80 | (r & 0x3F));
        buf_put(b, s, 4);
    }
}

bool no_color_env(void)
{
    const char *v = getenv("NO_COLOR");
    return v && *v;
}

/* Does s hold needle, ignoring ASCII case? Candidates are found with memchr on the needle's
 * first byte in either case, each searched from where the last one of that case was. */
bool slice_contains_nocase(df_slice s, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return true;
    if (m > s.n)
        return false;
    const char *end = s.p + s.n - m + 1; /* candidates start before end */
    int lo = tolower((unsigned char)needle[0]), up = toupper((unsigned char)needle[0]);
    const char *pl = memchr(s.p, lo, (size_t)(end - s.p));
    const char *pu = lo == up ? NULL : memchr(s.p, up, (size_t)(end - s.p));
    while (pl || pu) {
        const char *c = !pu || (pl && pl < pu) ? pl : pu;
        if (strncasecmp(c + 1, needle + 1, m - 1) == 0)
            return true;
        if (c == pl)
            pl = c + 1 < end ? memchr(c + 1, lo, (size_t)(end - c - 1)) : NULL;
        else
            pu = c + 1 < end ? memchr(c + 1, up, (size_t)(end - c - 1)) : NULL;
    }
    return false;
}
