/*
 * util.h: the small shared vocabulary of every dfopt module.
 *
 *   df_slice  a borrowed {pointer, length} view of bytes (usually into the source)
 *   df_arena  a bump allocator; one per document, freed in one call
 *   df_buf    a growable byte buffer for output that is built up piece by piece
 *
 * Allocation failure is not recoverable: xmalloc and the arena die with a message.
 * die() and unreachable() are for internal bugs only, never for user errors.
 */
#ifndef DF_UTIL_H
#define DF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct df_slice {
    const char *p;
    size_t n;
} df_slice;

#define SLICE(lit) ((df_slice){(lit), sizeof(lit) - 1})
#define SLICE_FMT "%.*s"
#define SLICE_ARG(s) (int)(s).n, (s).p

df_slice slice_from(const char *s);
bool slice_eq(df_slice a, df_slice b);
bool slice_eq_str(df_slice a, const char *s);
bool slice_eq_nocase(df_slice a, const char *s);
bool slices_eq_nocase(df_slice a, df_slice b); /* the same bytes, ASCII case ignored */
/* c in lower case when it is an ASCII capital, as strncasecmp folds in the C locale */
static inline unsigned char ascii_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}
bool slice_has_prefix(df_slice a, const char *prefix);
/* Does s contain needle, ignoring ASCII case? */
bool slice_contains_nocase(df_slice s, const char *needle);

/* Arena: chunks from 4 KiB, each twice the last up to 64 KiB (an allocation over 16 KiB gets
 * one of its own); allocations are 16-byte aligned. */
typedef struct df_arena_chunk df_arena_chunk;
struct df_arena_chunk {
    df_arena_chunk *next;
    size_t size;
    _Alignas(16) char data[];
};
typedef struct df_arena {
    df_arena_chunk *head;
    char *cur, *end;
} df_arena;

enum { ARENA_ALIGN = 16 };

void *arena_alloc(df_arena *a, size_t n);         /* zeroed */
void *arena_grow(df_arena *a, size_t n);          /* a new chunk for n aligned bytes */

/* Not zeroed: for memory that is filled at once. */
static inline void *arena_alloc_raw(df_arena *a, size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (n == 0)
        n = ARENA_ALIGN;
    if (!a->cur || (size_t)(a->end - a->cur) < n)
        return arena_grow(a, n);
    void *p = a->cur;
    a->cur += n;
    return p;
}
/* Not zeroed, and not rounded up to ARENA_ALIGN: n is a multiple of the alignment the object
 * needs (8 for pointers). For an arena that holds objects of one size back to back (the
 * document's nodes), which would otherwise lose the rounding on every one; not for an arena
 * that arena_alloc_raw also serves. */
static inline void *arena_alloc_packed(df_arena *a, size_t n)
{
    if (!a->cur || (size_t)(a->end - a->cur) < n)
        return arena_grow(a, n);
    void *p = a->cur;
    a->cur += n;
    return p;
}
/* Does [p, p + n) lie in what a's current chunk has handed out (memory the arena keeps until
 * it is freed)? Only the current chunk is looked at: false says nothing. */
static inline bool arena_holds(const df_arena *a, const char *p, size_t n)
{
    return a->head && p >= a->head->data && p + n <= a->cur;
}
char *arena_strndup(df_arena *a, const char *s, size_t n); /* NUL-terminated copy */
df_slice arena_slice(df_arena *a, const char *s, size_t n);
void arena_free(df_arena *a);
/* From now on freed arenas keep a few chunks for the next ones instead of freeing them
 * (for a single-threaded program that makes many documents); arena_spares_free frees them,
 * before exit, so that nothing is left allocated. */
void arena_spares_keep(void);
void arena_spares_free(void);
/* A point in an arena to come back to: arena_release frees what was allocated after
 * arena_mark returned it (memory needed only for a while, such as one instruction of a
 * document that is streamed). The chunk in use at the mark is kept, so the memory after the
 * mark is reused; marking an empty arena gives it its first chunk. */
typedef struct df_arena_mark {
    df_arena_chunk *head, *next; /* the current chunk and the one after it at the mark */
    char *cur;
} df_arena_mark;
df_arena_mark arena_mark(df_arena *a);
void arena_release_chunks(df_arena *a, df_arena_mark m); /* arena_release past new chunks */

static inline void arena_release(df_arena *a, df_arena_mark m)
{
    if (a->head == m.head && m.head->next == m.next) /* no chunk since: the usual case */
        a->cur = m.cur;
    else
        arena_release_chunks(a, m);
}

/* Union-find over an array of parents (g[s] == s: a root): the root of s's set (halving the
 * path on the way); uf_join makes the smaller of two roots the root of both sets, so a set's
 * root is its least member. Negative members are no one: uf_join ignores them. */
int uf_root(int *g, int s);
void uf_join(int *g, int a, int b);

/* FNV-1a over n bytes, from h (FNV_OFFSET to start). */
#define FNV_OFFSET 14695981039346656037u
uint64_t fnv1a(uint64_t h, const void *p, size_t n);

/* Names to indexes (variables declared in order, the last declaration of a name winning): a
 * hash table, so that a look-up costs the same however many names there are. It keeps the
 * names' slices, whose bytes must outlive it. Zero-initialised: empty. */
typedef struct name_index {
    struct name_slot {
        df_slice name;
        size_t i1; /* 1 + index, 0 empty */
    } *slot;
    size_t n, cap; /* names; slots, a power of two, at most half used */
} name_index;
/* name now maps to i (replacing what it mapped to). */
void name_index_put(name_index *x, df_slice name, size_t i);
/* 1 + the index name maps to, 0 when none. */
size_t name_index_get(const name_index *x, df_slice name);
void name_index_free(name_index *x);

/* Growable buffer. Contents are always NUL-terminated (not counted in len). */
typedef struct df_buf {
    char *p;
    size_t len, cap;
} df_buf;

void buf_put(df_buf *b, const char *s, size_t n);
void buf_puts(df_buf *b, const char *s);
void buf_putc_grow(df_buf *b, char c); /* buf_putc when the buffer is full */

static inline void buf_putc(df_buf *b, char c)
{
    if (b->len + 2 > b->cap) {
        buf_putc_grow(b, c);
        return;
    }
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}
void buf_put_slice(df_buf *b, df_slice s);
void buf_printf(df_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_free(df_buf *b);
/* Moves the contents into the arena and resets the buffer. */
df_slice buf_to_arena(df_buf *b, df_arena *a);

/* UTF-8 as Go decodes it: an invalid or truncated sequence is U+FFFD with width 1. */
uint32_t utf8_decode(const char *p, size_t n, size_t *width);
void utf8_append(df_buf *b, uint32_t r);

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t m);
/* Doubles *cap for an array v of n elements of size bytes that starts in `local` (the caller's
 * storage, often on the stack) and moves to the heap the first time it grows: returns the array
 * with room for the new *cap. The caller frees it when it is not local. */
void *grow_from_local(void *v, const void *local, size_t *cap, size_t n, size_t size);

/* Does the environment ask for output without colour: NO_COLOR set to a non-empty value
 * (https://no-color.org)? --color=auto consults it. */
bool no_color_env(void);

_Noreturn void die_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define die(...) die_at(__FILE__, __LINE__, __VA_ARGS__)
#define unreachable() die_at(__FILE__, __LINE__, "unreachable")

#endif
