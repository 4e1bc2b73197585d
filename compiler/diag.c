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

void df_diags_free(df_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].message);
        free(d->v[i].source_line);
    }
    free(d->v);
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

void diag_add(df_diags *d, diag_level level, const df_doc *doc, size_t off, size_t len,
              const char *fmt, ...)
{
    diag *g = new_diag(d, level);
    va_list ap;
    va_start(ap, fmt);
    g->message = vformat(fmt, ap);
    va_end(ap);
    g->file = doc->name;
    if (off == SIZE_MAX || off > doc->src.n)
        return;
    ir_line_col(doc, off, &g->line, &g->col);
    size_t ls = off - (g->col - 1), le = ls;
    while (le < doc->src.n && doc->src.p[le] != '\n')
        le++;
    size_t shown = le;
    while (shown > ls && doc->src.p[shown - 1] == '\r')
        shown--;
    if (shown == ls)
        return; /* an empty line: the position says it all */
    g->source_line = xmalloc(shown - ls + 1);
    memcpy(g->source_line, doc->src.p + ls, shown - ls);
    g->source_line[shown - ls] = '\0';
    size_t room = shown > off ? shown - off : 0;
    g->end_col = g->col + (len < room ? len : room);
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
        buf_printf(out, "%s%s:%s %s%s\n", color ? lc : "", level_name(g->level),
                   color ? "\033[0m\033[1m" : "", g->message, color ? "\033[0m" : "");
        if (!g->source_line)
            continue;
        buf_printf(out, "%s\n", g->source_line);
        /* the caret line keeps the tabs of the source line so it lines up */
        for (size_t c = 1; c < g->col && g->source_line[c - 1]; c++)
            buf_putc(out, g->source_line[c - 1] == '\t' ? '\t' : ' ');
        if (color)
            buf_puts(out, "\033[1;32m");
        buf_putc(out, '^');
        for (size_t c = g->col + 1; c < g->end_col; c++)
            buf_putc(out, '~');
        if (color)
            buf_puts(out, "\033[0m");
        buf_putc(out, '\n');
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
