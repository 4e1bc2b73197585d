/*
 * printer.c: the three renderings of a document.
 *
 *   print_doc   Dockerfile text: each node's lead and text, then the trailer (byte-exact for
 *               untouched nodes; see internal.h)
 *   print_dump  BuildKit's AST dump, `(keyword ["--flags"] "args"...)` per instruction
 *   print_json  the IR as JSON for other tools (schema in README.md)
 */
#include "internal.h"
#include "stream.h"

#include <string.h>

void print_doc(const df_doc *doc, df_buf *out)
{
    print_doc_from(doc, doc->head, out);
}

void print_doc_from(const df_doc *doc, const df_node *from, df_buf *out)
{
    for (const df_node *n = from; n; n = n->next) {
        const df_slice *prev = n->prev ? &n->prev->text : NULL;
        if (prev && prev->n && prev->p[prev->n - 1] != '\n')
            buf_put_slice(out, ir_newline(doc)); /* a node moved after an unterminated line */
        buf_put_slice(out, n->lead);
        buf_put_slice(out, n->text);
    }
    buf_put_slice(out, doc->trailer);
}

/* Output of print_doc_file: slices that follow each other in memory (untouched nodes of the
 * source, the usual case) are written with one call. */
typedef struct out_run {
    FILE *f;
    const char *p;
    size_t n;
    char last; /* the last byte given so far ('\n' before any) */
    bool ok;
} out_run;

static void run_flush(out_run *r)
{
    if (r->n && r->ok)
        r->ok = fwrite(r->p, 1, r->n, r->f) == r->n;
    r->n = 0;
}

static void run_put(out_run *r, df_slice s)
{
    if (s.n == 0)
        return;
    if (r->n && r->p + r->n != s.p)
        run_flush(r);
    if (r->n == 0)
        r->p = s.p;
    r->n += s.n;
    r->last = s.p[s.n - 1];
}

bool print_doc_file(const df_doc *doc, FILE *f)
{
    out_run r = {f, NULL, 0, '\n', true};
    for (const df_node *n = doc->head; n; n = n->next) {
        run_put(&r, n->lead);
        if (r.last != '\n')
            run_put(&r, ir_newline(doc)); /* as in print_doc */
        run_put(&r, n->text);
    }
    run_put(&r, doc->trailer);
    run_flush(&r);
    return r.ok;
}

static void dump_node(const df_node *n, df_buf *out)
{
    size_t start = out->len;
    kind_lower(out, n->keyword);
    if (n->nbflags) {
        buf_puts(out, " [");
        for (size_t i = 0; i < n->nbflags; i++) {
            if (i)
                buf_putc(out, ' ');
            go_quote(out, n->bflags[i].v);
        }
        buf_putc(out, ']');
    }
    if (n->sub) {
        buf_puts(out, " (");
        dump_node(n->sub, out);
        buf_putc(out, ')');
    }
    for (size_t i = 0; i < n->nargs; i++) {
        buf_putc(out, ' ');
        go_quote(out, n->args[i].v);
    }
    if (out->len > start && out->p[start] == ' ') { /* Go's TrimSpace of an empty keyword */
        memmove(out->p + start, out->p + start + 1, out->len - start - 1);
        out->p[--out->len] = '\0';
    }
}

static void dump_line(const df_node *n, df_buf *out)
{
    buf_putc(out, '(');
    dump_node(n, out);
    buf_puts(out, ")\n");
}

void print_dump(const df_doc *doc, df_buf *out)
{
    for (const df_node *n = doc->head; n; n = n->next)
        dump_line(n, out);
}

/* ---- streamed documents (stream.h) ---- */

void print_stream_init(print_stream *ps, bool dump)
{
    *ps = (print_stream){.dump = dump, .last = '\n'};
}

/* Adds a piece of the Dockerfile output, joined to the last one when it follows it. */
static void stream_put(print_stream *ps, df_slice s)
{
    if (s.n == 0)
        return;
    ps->last = s.p[s.n - 1];
    if (ps->nruns) {
        df_slice *r = &ps->runs[ps->nruns - 1];
        if (r->p + r->n == s.p) {
            r->n += s.n;
            return;
        }
    }
    if (ps->nruns == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 4;
        ps->runs = xrealloc(ps->runs, ps->cap * sizeof *ps->runs);
    }
    ps->runs[ps->nruns++] = s;
}

void print_stream_node(void *ctx, const df_doc *doc, const df_node *n)
{
    print_stream *ps = ctx;
    if (ps->dump) {
        dump_line(n, &ps->text);
        return;
    }
    df_slice *r = ps->nruns ? &ps->runs[ps->nruns - 1] : NULL;
    if (r && r->p + r->n == n->lead.p && n->lead.p + n->lead.n == n->text.p && n->text.n &&
        (n->lead.n ? n->lead.p[n->lead.n - 1] : ps->last) == '\n') {
        /* the usual case: lead and text follow the last piece in the source */
        r->n += n->lead.n + n->text.n;
        ps->last = n->text.p[n->text.n - 1];
        return;
    }
    stream_put(ps, n->lead); /* as print_doc_file */
    if (ps->last != '\n')
        stream_put(ps, ir_newline(doc));
    stream_put(ps, n->text);
}

void print_stream_end(print_stream *ps, const df_doc *doc)
{
    if (!ps->dump)
        stream_put(ps, doc->trailer);
}

bool print_stream_write(const print_stream *ps, FILE *f)
{
    if (ps->dump)
        return fwrite(ps->text.p, 1, ps->text.len, f) == ps->text.len;
    for (size_t i = 0; i < ps->nruns; i++)
        if (fwrite(ps->runs[i].p, 1, ps->runs[i].n, f) != ps->runs[i].n)
            return false;
    return true;
}

char *print_stream_take(print_stream *ps, size_t *len)
{
    df_buf b = {0};
    if (ps->dump) {
        b = ps->text;
        ps->text = (df_buf){0};
    } else {
        size_t total = 0;
        for (size_t i = 0; i < ps->nruns; i++)
            total += ps->runs[i].n;
        b.cap = total + 1;
        b.p = xmalloc(b.cap);
        for (size_t i = 0; i < ps->nruns; i++) {
            memcpy(b.p + b.len, ps->runs[i].p, ps->runs[i].n);
            b.len += ps->runs[i].n;
        }
        b.p[b.len] = '\0';
    }
    if (!b.p)
        buf_put(&b, "", 0);
    *len = b.len;
    return b.p;
}

void print_stream_free(print_stream *ps)
{
    buf_free(&ps->text);
    free(ps->runs);
    ps->runs = NULL;
    ps->nruns = ps->cap = 0;
}

/* ---- JSON ---- */

static void json_pos(const df_doc *doc, const df_node *top, size_t loff, df_buf *out)
{
    size_t off = node_src_offset(top, loff), line, col;
    if (off == SIZE_MAX) {
        buf_puts(out, "\"line\":null,\"column\":null");
        return;
    }
    ir_line_col(doc, off, &line, &col);
    buf_printf(out, "\"line\":%zu,\"column\":%zu", line, col);
}

static void json_args(const df_doc *doc, const df_node *top, const char *key, const df_arg *v,
                      size_t n, df_buf *out)
{
    buf_printf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, i ? ",{\"value\":" : "{\"value\":");
        json_quote(out, v[i].v);
        buf_putc(out, ',');
        json_pos(doc, top, v[i].off, out);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}

static void json_instruction(const df_doc *doc, const df_node *top, const df_node *n,
                             df_buf *out)
{
    buf_puts(out, "{\"kind\":");
    json_quote(out, slice_from(kind_name(n->kind)));
    buf_puts(out, ",\"keyword\":");
    json_quote(out, n->keyword);
    buf_printf(out, ",\"form\":\"%s\"", n->flags & DF_N_JSON ? "exec" : "shell");
    json_args(doc, top, "flags", n->bflags, n->nbflags, out);
    json_args(doc, top, "args", n->args, n->nargs, out);
    if (n->sub) {
        buf_puts(out, ",\"instruction\":");
        json_instruction(doc, top, n->sub, out);
    }
    buf_putc(out, '}');
}

void print_json(const df_doc *doc, df_buf *out)
{
    buf_puts(out, "{\"file\":");
    json_quote(out, slice_from(doc->name ? doc->name : "-"));
    buf_puts(out, ",\"escape\":");
    json_quote(out, (df_slice){&doc->escape, 1});
    buf_puts(out, ",\"syntax\":");
    json_quote(out, doc->syntax);
    buf_puts(out, ",\"check\":");
    json_quote(out, doc->check);
    buf_printf(out, ",\"newline\":\"%s\",\"stages\":[", doc->crlf ? "\\r\\n" : "\\n");
    for (size_t i = 0; i < doc->nstages; i++) {
        const df_stage *s = &doc->stages[i];
        buf_printf(out, "%s{\"index\":%zu,\"name\":", i ? "," : "", i);
        json_quote(out, s->name);
        buf_puts(out, ",\"base\":");
        json_quote(out, s->base);
        buf_puts(out, ",\"base_expanded\":");
        json_quote(out, s->base_expanded);
        buf_puts(out, ",\"base_stage\":");
        if (s->base_stage < 0)
            buf_puts(out, "null");
        else
            buf_printf(out, "%d", s->base_stage);
        buf_puts(out, ",\"platform\":");
        json_quote(out, s->platform);
        buf_printf(out, ",\"line\":%zu}", s->from->line);
    }
    buf_puts(out, "],\"instructions\":[");
    for (const df_node *n = doc->head; n; n = n->next) {
        size_t line = 0, col = 0, eline = 0, ecol = 0;
        if (n->src_off != SIZE_MAX) {
            ir_line_col(doc, n->src_off, &line, &col);
            ir_line_col(doc, n->src_off + n->text.n, &eline, &ecol);
        }
        buf_puts(out, n == doc->head ? "{" : ",{");
        buf_printf(out, "\"stage\":%d,\"line\":%zu,\"end_line\":%zu,", n->stage, line,
                   n->text.n && n->text.p[n->text.n - 1] == '\n' && eline > line ? eline - 1
                                                                               : eline);
        if (n->src_off != SIZE_MAX)
            buf_printf(out, "\"start\":%zu,\"end\":%zu,", n->src_off, n->src_off + n->text.n);
        else
            buf_puts(out, "\"start\":null,\"end\":null,");
        buf_printf(out, "\"edited\":%s,\"text\":", n->flags & DF_N_EDITED ? "true" : "false");
        json_quote(out, n->text);
        buf_puts(out, ",\"comments\":");
        json_quote(out, n->lead);
        buf_puts(out, ",\"instruction\":");
        json_instruction(doc, n, n, out);
        buf_puts(out, ",\"heredocs\":[");
        for (size_t h = 0; h < n->nheredocs; h++) {
            const df_heredoc *hd = &n->heredocs[h];
            buf_puts(out, h ? ",{\"name\":" : "{\"name\":");
            json_quote(out, hd->name);
            buf_puts(out, ",\"word\":");
            json_quote(out, hd->word);
            buf_printf(out, ",\"chomp\":%s,\"expand\":%s,\"fd\":%u,\"body\":",
                       hd->chomp ? "true" : "false", hd->expand ? "true" : "false", hd->fd);
            json_quote(out, hd->body);
            buf_putc(out, '}');
        }
        buf_puts(out, "]}");
    }
    buf_puts(out, "],\"trailer\":");
    json_quote(out, doc->trailer);
    buf_puts(out, "}\n");
}
