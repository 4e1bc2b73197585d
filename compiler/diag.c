/*
 * diag.c: the diagnostics sink and its rendering.
 *
 *   Dockerfile:3:5: error: ENV must have two arguments
 *   ENV PATH
 *       ^~~~
 *
 * Positions are 1-based lines and byte columns. A diagnostic without a source position prints
 * as `file: error: message`.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

df_diags *df_diags_new(void)
{
    return xcalloc(1, sizeof(df_diags));
}

void diags_release(df_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].message);
        free(d->v[i].source_line);
    }
    free(d->v);
    *d = (df_diags){0};
}

void diags_drop_lines(df_diags *d, size_t first, size_t last)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        diag *g = &d->v[i];
        if (g->line >= first && g->line <= last) {
            d->nerrors -= g->level == DIAG_ERROR;
            free(g->message);
            free(g->source_line);
        } else {
            d->v[k++] = *g;
        }
    }
    d->n = k;
}

void df_diags_free(df_diags *d)
{
    if (!d)
        return;
    diags_release(d);
    free(d);
}

size_t df_diags_errors(const df_diags *d)
{
    return d->nerrors;
}

static diag *new_diag(df_diags *d, diag_level level)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->v = xrealloc(d->v, d->cap * sizeof *d->v);
    }
    diag *g = &d->v[d->n++];
    memset(g, 0, sizeof *g);
    g->level = level;
    if (level == DIAG_ERROR)
        d->nerrors++;
    return g;
}

static char *vformat(const char *fmt, va_list ap)
{
    df_buf b = {0};
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        die("bad diagnostic format");
    b.p = xmalloc((size_t)n + 1);
    vsnprintf(b.p, (size_t)n + 1, fmt, ap);
    return b.p;
}

/* A diagnostic at source offset off (len bytes), or at none when off is SIZE_MAX. */
static diag *vadd(df_diags *d, diag_level level, const df_doc *doc, size_t off, size_t len,
                  const char *fmt, va_list ap)
{
    diag *g = new_diag(d, level);
    g->message = vformat(fmt, ap);
    g->file = doc->name;
    if (off == SIZE_MAX || off > doc->src.n)
        return g;
    ir_line_col(doc, off, &g->line, &g->col);
    size_t ls = off - (g->col - 1), le = ls;
    while (le < doc->src.n && doc->src.p[le] != '\n')
        le++;
    size_t shown = le;
    while (shown > ls && doc->src.p[shown - 1] == '\r')
        shown--;
    if (shown == ls)
        return g; /* an empty line: the position says it all */
    g->source_line = xmalloc(shown - ls + 1);
    memcpy(g->source_line, doc->src.p + ls, shown - ls);
    g->source_line[shown - ls] = '\0';
    size_t room = shown > off ? shown - off : 0;
    g->end_col = g->col + (len < room ? len : room);
    return g;
}

void diag_add(df_diags *d, diag_level level, const df_doc *doc, size_t off, size_t len,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, level, doc, off, len, fmt, ap);
    va_end(ap);
}

void diag_node(df_diags *d, diag_level level, const df_doc *doc, const df_node *n, size_t off,
               size_t len, const char *fmt, ...)
{
    bool whole = false;
    size_t ls = off == SIZE_MAX && n->line ? ir_line_start(doc, n->line) : SIZE_MAX;
    if (ls != SIZE_MAX) {
        /* rewritten: the keyword of the line it came from, found as the lexer found it */
        const char *p = doc->src.p + ls;
        const char *nl = memchr(p, '\n', doc->src.n - ls);
        size_t m = nl ? (size_t)(nl - p) : doc->src.n - ls, k = 0;
        if (ls == 0 && m >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            k = 3; /* the BOM */
        k += lex_trim_left_space(p + k, m - k);
        off = ls + k;
        for (len = 0; k + len < m && !strchr(" \t\r", p[k + len]); len++)
            ;
        whole = true;
    }
    va_list ap;
    va_start(ap, fmt);
    diag *g = vadd(d, level, doc, off, len, fmt, ap);
    va_end(ap);
    g->whole_line = whole && g->line;
}

void diag_addf_plain(df_diags *d, diag_level level, const char *fmt, ...)
{
    diag *g = new_diag(d, level);
    va_list ap;
    va_start(ap, fmt);
    g->message = vformat(fmt, ap);
    va_end(ap);
}

static const char *level_name(diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

/*
 * What a hostile file could do to a terminal or a CI log is bounded here: control characters
 * (escape sequences) print as '?', a long message keeps its start and end, and a long source line
 * is shown as a window around the caret.
 */
enum { MESSAGE_MAX = 600, LINE_MAX_SHOWN = 160, LINE_BEFORE = 60 };

static void put_safe(df_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        buf_putc(out, (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? '?' : (char)c);
    }
}

static void put_message(df_buf *out, const char *m)
{
    size_t n = strlen(m);
    if (n <= MESSAGE_MAX) {
        put_safe(out, m, n);
        return;
    }
    size_t head = MESSAGE_MAX * 2 / 3, tail = MESSAGE_MAX - head;
    put_safe(out, m, head);
    buf_printf(out, "...[%zu bytes]...", n - head - tail);
    put_safe(out, m + n - tail, tail);
}

static bool continuation_byte(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The source line (or its window) and the caret line under [col, end_col). */
static void put_excerpt(df_buf *out, const diag *g, bool color)
{
    const char *s = g->source_line;
    size_t n = strlen(s), col = g->col - 1, end = g->end_col ? g->end_col - 1 : col;
    size_t from = 0, to = n;
    if (n > LINE_MAX_SHOWN) {
        from = col > LINE_BEFORE ? col - LINE_BEFORE : 0;
        if (from > n)
            from = n;
        while (from > 0 && from < n && continuation_byte(s[from]))
            from++;
        to = n - from > LINE_MAX_SHOWN ? from + LINE_MAX_SHOWN : n;
        while (to < n && to > from && continuation_byte(s[to]))
            to--;
    }
    if (from > 0)
        buf_puts(out, "...");
    put_safe(out, s + from, to - from);
    if (to < n)
        buf_puts(out, "...");
    buf_putc(out, '\n');
    /* the caret line keeps the tabs of the source line so it lines up */
    if (from > 0)
        buf_puts(out, "   ");
    for (size_t c = from; c < col && c < to; c++)
        buf_putc(out, s[c] == '\t' ? '\t' : ' ');
    if (color)
        buf_puts(out, "\033[1;32m");
    buf_putc(out, '^');
    for (size_t c = col + 1; c < end && c < to; c++)
        buf_putc(out, '~');
    if (color)
        buf_puts(out, "\033[0m");
    buf_putc(out, '\n');
}

void diag_render(const df_diags *d, df_buf *out, bool color)
{
    for (size_t i = 0; i < d->n; i++) {
        const diag *g = &d->v[i];
        const char *lc = g->level == DIAG_ERROR ? "\033[1;31m" : "\033[1;35m";
        if (color)
            buf_puts(out, "\033[1m");
        if (g->file)
            buf_printf(out, "%s:", g->file);
        if (g->line)
            buf_printf(out, "%zu:%zu:", g->line, g->col);
        if (g->file || g->line)
            buf_putc(out, ' ');
        buf_printf(out, "%s%s:%s ", color ? lc : "", level_name(g->level),
                   color ? "\033[0m\033[1m" : "");
        put_message(out, g->message);
        buf_printf(out, "%s\n", color ? "\033[0m" : "");
        if (g->source_line)
            put_excerpt(out, g, color);
    }
}

void df_diags_print(const df_diags *d, FILE *out, bool color)
{
    df_buf b = {0};
    diag_render(d, &b, color);
    if (b.len)
        fwrite(b.p, 1, b.len, out);
    buf_free(&b);
}
