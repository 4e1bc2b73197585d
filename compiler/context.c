/*
 * context.c: reading the build context through .dockerignore (see context.h).
 *
 * .dockerignore lines are read as moby/patternmatcher's ignorefile.ReadAll reads them: a UTF-8
 * BOM dropped, lines starting with # skipped, blanks trimmed, a leading ! inverts, the pattern
 * is cleaned and a leading / removed. A path is excluded when the last pattern that matches it
 * or one of its parent directories is not an exception.
 */
#include "context.h"
#include "rewrite.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WALK_LIMIT = 100000, IGNOREFILE_MAX = 1u << 20 };

struct df_context {
    df_arena *arena;
    const char *dir;
    df_slice *patterns;
    bool *negate;
    size_t npatterns;
    bool any_negate;
    bool loaded; /* .dockerignore read: on first use (see ready) */
};

df_context *doc_context(df_doc *doc)
{
    if (doc->context_asked || doc->context)
        return doc->context;
    doc->context_asked = true;
    if (doc->context_dir) {
        doc->context = ctx_open(&doc->arena, doc->context_dir);
    } else if (doc->context_file) {
        /* the file's directory, unless the file is not a regular one (a pipe, a device) */
        struct stat st;
        if (stat(doc->context_file, &st) == 0 && S_ISREG(st.st_mode)) {
            char *dir = arena_strndup(&doc->arena, doc->context_file, strlen(doc->context_file));
            doc->context = ctx_open(&doc->arena, dirname(dir));
        }
    }
    return doc->context;
}

df_slice ctx_clean(df_arena *arena, df_slice path)
{
    df_buf b = {0};
    buf_putc(&b, '/');
    buf_put_slice(&b, path);
    df_slice c = rw_path_clean(arena, (df_slice){b.p, b.len});
    buf_free(&b);
    if (c.n == 1)
        return SLICE(".");
    return (df_slice){c.p + 1, c.n - 1};
}

/* The file's full name (NUL-terminated, in the arena). */
static const char *full_path(const df_context *c, df_slice rel)
{
    df_buf b = {0};
    buf_puts(&b, c->dir);
    if (!slice_eq_str(rel, ".")) {
        buf_putc(&b, '/');
        buf_put_slice(&b, rel);
    }
    df_slice s = buf_to_arena(&b, c->arena);
    buf_free(&b);
    return s.p;
}

static bool read_file(df_arena *a, const char *path, size_t max, df_slice *out)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        close(fd);
        return false;
    }
    char *p = arena_alloc(a, (size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, p + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    p[got] = '\0';
    *out = (df_slice){p, got};
    return true;
}

static void add_pattern(df_context *c, df_slice line, size_t *cap)
{
    bool invert = line.n && line.p[0] == '!';
    if (invert) {
        line.p++, line.n--;
        while (line.n && strchr(" \t\r\n\v\f", line.p[0]))
            line.p++, line.n--;
    }
    df_slice pat = line;
    if (pat.n) {
        pat = rw_path_clean(c->arena, pat);
        if (pat.n > 1 && pat.p[0] == '/')
            pat.p++, pat.n--;
    }
    if (c->npatterns == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        df_slice *p = arena_alloc(c->arena, *cap * sizeof *p);
        bool *neg = arena_alloc(c->arena, *cap * sizeof *neg);
        if (c->npatterns) {
            memcpy(p, c->patterns, c->npatterns * sizeof *p);
            memcpy(neg, c->negate, c->npatterns * sizeof *neg);
        }
        c->patterns = p;
        c->negate = neg;
    }
    c->patterns[c->npatterns] = pat;
    c->negate[c->npatterns++] = invert;
    c->any_negate |= invert;
}

df_context *ctx_open(df_arena *arena, const char *dir)
{
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    df_context *c = arena_alloc(arena, sizeof *c);
    *c = (df_context){.arena = arena};
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    c->dir = arena_strndup(arena, dir, len);
    return c;
}

static void read_ignorefile(df_context *c)
{
    df_slice text;
    if (!read_file(c->arena, full_path(c, SLICE(".dockerignore")), IGNOREFILE_MAX, &text))
        return;
    if (text.n >= 3 && memcmp(text.p, "\xEF\xBB\xBF", 3) == 0)
        text.p += 3, text.n -= 3;
    size_t cap = 0;
    for (size_t i = 0; i < text.n;) {
        size_t e = i;
        while (e < text.n && text.p[e] != '\n')
            e++;
        df_slice line = {text.p + i, e - i};
        i = e + 1;
        if (line.n && line.p[0] == '#')
            continue;
        while (line.n && strchr(" \t\r\n\v\f", line.p[0]))
            line.p++, line.n--;
        while (line.n && strchr(" \t\r\n\v\f", line.p[line.n - 1]))
            line.n--;
        if (line.n)
            add_pattern(c, line, &cap);
    }
}

/* The context with its .dockerignore read. The file is read when a pass first asks about the
 * context, so a document no pass asks about costs no system call for it. Reading it changes
 * no answer the context gives, hence the const parameter; the context itself is never a
 * const object (ctx_open allocates it). */
static const df_context *ready(const df_context *c)
{
    if (c && !c->loaded) {
        df_context *m = (df_context *)c;
        m->loaded = true;
        read_ignorefile(m);
    }
    return c;
}

/* The pattern language: `*` any run of non-slashes, `?` one non-slash, `[...]` a class
 * (`[^...]` negated), `\x` a literal x, `**` any run of characters including slashes
 * (`**` followed by more pattern: an optional prefix ending in a slash). */
static bool match_at(const char *p, const char *pe, const char *s, const char *se)
{
    while (p < pe) {
        if (p[0] == '*' && p + 1 < pe && p[1] == '*') {
            p += 2;
            if (p < pe && *p == '/')
                p++;
            if (p == pe)
                return true;
            if (match_at(p, pe, s, se))
                return true;
            for (const char *t = s; t < se; t++)
                if (*t == '/' && match_at(p, pe, t + 1, se))
                    return true;
            return false;
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (match_at(p, pe, t, se))
                    return true;
                if (t == se || *t == '/')
                    return false;
            }
        }
        if (s == se)
            return false;
        if (*p == '?') {
            if (*s == '/')
                return false;
        } else if (*p == '[') {
            const char *q = p + 1;
            bool neg = q < pe && *q == '^';
            if (neg)
                q++;
            bool hit = false;
            const char *start = q;
            while (q < pe && (*q != ']' || q == start)) {
                char lo = *q, hi = *q;
                if (lo == '\\' && q + 1 < pe)
                    lo = hi = *++q;
                if (q + 2 < pe && q[1] == '-' && q[2] != ']') {
                    hi = q[2];
                    q += 2;
                }
                unsigned char ch = (unsigned char)*s;
                if (ch >= (unsigned char)lo && ch <= (unsigned char)hi)
                    hit = true;
                q++;
            }
            if (q >= pe)
                return false; /* an unclosed class matches nothing */
            if (hit == neg || *s == '/')
                return false;
            p = q;
        } else {
            char want = *p;
            if (want == '\\' && p + 1 < pe)
                want = *++p;
            if (*s != want)
                return false;
        }
        p++;
        s++;
    }
    return s == se;
}

bool ctx_match(df_slice pattern, df_slice path)
{
    return match_at(pattern.p, pattern.p + pattern.n, path.p, path.p + path.n);
}

bool ctx_ignored(const df_context *c, df_slice rel)
{
    c = ready(c);
    if (!c || slice_eq_str(rel, "."))
        return false;
    bool excluded = false;
    for (size_t i = 0; i < c->npatterns; i++) {
        df_slice pat = c->patterns[i];
        bool m = ctx_match(pat, rel);
        for (size_t k = 0; !m && k < rel.n; k++)
            if (rel.p[k] == '/')
                m = ctx_match(pat, (df_slice){rel.p, k});
        if (m)
            excluded = !c->negate[i];
    }
    return excluded;
}

ctx_kind ctx_stat(const df_context *c, df_slice rel, unsigned *mode)
{
    struct stat st;
    if (!c || ctx_ignored(c, rel) || stat(full_path(c, rel), &st) != 0)
        return CTX_NONE;
    if (mode)
        *mode = (unsigned)st.st_mode & 07777;
    return S_ISREG(st.st_mode) ? CTX_FILE : S_ISDIR(st.st_mode) ? CTX_DIR : CTX_OTHER;
}

bool ctx_read(const df_context *c, df_arena *arena, df_slice rel, size_t max, df_slice *out)
{
    if (!c || ctx_ignored(c, rel))
        return false;
    return read_file(arena, full_path(c, rel), max, out);
}

bool ctx_head(const df_context *c, df_arena *arena, df_slice rel, size_t max, df_slice *out)
{
    if (!c || ctx_ignored(c, rel))
        return false;
    int fd = open(full_path(c, rel), O_RDONLY);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return false;
    }
    char *p = arena_alloc(arena, max + 1);
    size_t got = 0;
    while (got < max) {
        ssize_t r = read(fd, p + got, max - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *out = (df_slice){p, got};
    return true;
}

typedef struct walker {
    const df_context *c;
    ctx_visit_fn fn;
    void *arg;
    size_t seen;
} walker;

static bool walk_dir(walker *w, df_slice rel)
{
    struct dirent **names = NULL;
    int n = scandir(full_path(w->c, rel), &names, NULL, alphasort);
    if (n < 0)
        return false;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!ok || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (++w->seen > WALK_LIMIT) {
            ok = false;
            continue;
        }
        df_buf b = {0};
        if (!slice_eq_str(rel, ".")) {
            buf_put_slice(&b, rel);
            buf_putc(&b, '/');
        }
        buf_puts(&b, name);
        df_slice child = buf_to_arena(&b, w->c->arena);
        buf_free(&b);
        struct stat st;
        if (lstat(full_path(w->c, child), &st) != 0) {
            ok = false;
            continue;
        }
        ctx_kind kind = S_ISREG(st.st_mode) ? CTX_FILE : S_ISDIR(st.st_mode) ? CTX_DIR : CTX_OTHER;
        if (ctx_ignored(w->c, child)) {
            if (kind == CTX_DIR && w->c->any_negate)
                ok = walk_dir(w, child);
            continue;
        }
        if (!w->fn(w->arg, child, kind))
            ok = false;
        else if (kind == CTX_DIR)
            ok = walk_dir(w, child);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return ok;
}

bool ctx_walk(const df_context *c, df_slice rel, ctx_visit_fn fn, void *arg)
{
    ctx_kind k = ctx_stat(c, rel, NULL);
    if (k == CTX_NONE)
        return true;
    if (k != CTX_DIR)
        return fn(arg, rel, k);
    walker w = {c, fn, arg, 0};
    return walk_dir(&w, rel);
}
