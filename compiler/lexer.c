/*
 * lexer.c: physical lines into logical lines, exactly as BuildKit's parser reads them.
 *
 *   file        := BOM? line*
 *   line        := directive | comment | blank | instruction
 *   directive   := '#' blank* name blank* '=' blank* value     (only in the leading comment block)
 *   instruction := first-line continuation-line* heredoc-body*
 *   continuation: a line whose last non-blank character is the escape character, not itself
 *                 preceded by the escape character (a line that is only the escape also counts);
 *                 the escape and trailing blanks are removed, the next line's leading blanks kept;
 *                 comment lines and empty lines inside a continuation are dropped.
 *   heredoc-body: for each `<<WORD` opener on the logical line of RUN/COPY/ADD (not JSON form),
 *                 the following lines up to a line equal to WORD (after leading tabs for `<<-`).
 *
 * The lexer records where every piece of the logical line came from (segs), so any argument
 * maps back to a source line and column, and splits the source into lead / text / trailer so
 * the printer can reproduce it byte for byte (see internal.h).
 */
#include "internal.h"
#include "stream.h"

#include <string.h>

/* ---- character classes (Go's unicode.IsSpace over UTF-8) ---- */

bool lex_is_space_rune(const char *p, size_t n, size_t *width)
{
    const unsigned char *u = (const unsigned char *)p;
    *width = 1;
    if (n == 0)
        return false;
    if (u[0] < 0x80)
        return u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r');
    if (u[0] == 0xC2 && n >= 2 && (u[1] == 0x85 || u[1] == 0xA0)) {
        *width = 2;
        return true;
    }
    if (u[0] == 0xE1 && n >= 3 && u[1] == 0x9A && u[2] == 0x80) { /* U+1680 */
        *width = 3;
        return true;
    }
    if (u[0] == 0xE2 && n >= 3) {
        unsigned cp = ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
        unsigned r = 0x2000 | cp;
        if ((u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
            ((r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
             r == 0x205F)) {
            *width = 3;
            return true;
        }
    }
    if (u[0] == 0xE3 && n >= 3 && u[1] == 0x80 && u[2] == 0x80) { /* U+3000 */
        *width = 3;
        return true;
    }
    return false;
}

size_t lex_trim_left_space(const char *p, size_t n)
{
    size_t i = 0, w;
    for (;;) {
        while (i < n && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r'))) /* ASCII: no decoding */
            i++;
        if (i == n || (unsigned char)p[i] < 0x80 || !lex_is_space_rune(p + i, n - i, &w))
            return i;
        i += w;
    }
}

/* lex_trim_left_space, without the call when there is nothing to trim (the usual case) */
static size_t trim_left(const char *p, size_t n)
{
    unsigned char c = n ? (unsigned char)p[0] : 0;
    if (n == 0 || (c < 0x80 && c != ' ' && (c < '\t' || c > '\r')))
        return 0;
    return lex_trim_left_space(p, n);
}

/* BuildKit's continuation rule; *n is shortened when the line continues. */
static inline bool continues(const char *p, size_t *n, char esc)
{
    size_t m = *n;
    if (m == 0 || (p[m - 1] != esc && p[m - 1] != ' ' && p[m - 1] != '\t'))
        return false; /* the usual line: its last byte says it */
    while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t'))
        m--;
    if (m == 0 || p[m - 1] != esc)
        return false;
    if (m >= 2 && p[m - 2] == esc)
        return false;
    *n = m - 1;
    return true;
}

static bool is_re_space(char c) /* RE2's \s */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

typedef struct lexer {
    df_doc *doc;
    df_diags *d;
    const char *s;
    size_t len, pos, lineno;
    bool directives_done;
    bool seen_syntax, seen_escape, seen_check;
    df_seg *segs;   /* the pieces of the logical line being read: seg_room, or the heap */
    size_t nsegs, capsegs;
    size_t loglen;  /* the length of the logical line so far */
    df_seg seg_room[8];
    bool synth; /* text of a rewritten instruction, not the source */
} lexer;

/* A lexer over s (len bytes); not `= {...}`, which would zero seg_room for every rewritten
 * instruction read (lex_one), though only add_piece's copies are ever read from it. */
static void lexer_init(lexer *lx, df_doc *doc, df_diags *d, const char *s, size_t len, bool synth)
{
    lx->doc = doc;
    lx->d = d;
    lx->s = s;
    lx->len = len;
    lx->pos = 0;
    lx->lineno = synth || doc->jump_off ? 0 : doc->line_base;
    lx->directives_done = synth || doc->part; /* rewritten text and parts have no directives */
    lx->seen_syntax = lx->seen_escape = lx->seen_check = false;
    lx->segs = NULL;
    lx->nsegs = lx->capsegs = lx->loglen = 0;
    lx->synth = synth;
}

/* The line starting at from: returns where the next line starts, and sets *n to the line's
 * length without its line break (the '\n' and the '\r's before it). */
static inline size_t next_line(const lexer *lx, size_t from, size_t *n)
{
    const char *p = lx->s + from;
    const char *nl = memchr(p, '\n', lx->len - from);
    size_t m = nl ? (size_t)(nl - p) : lx->len - from;
    size_t next = from + m + (nl != NULL);
    while (m > 0 && p[m - 1] == '\r')
        m--;
    *n = m;
    return next;
}

/*
 * directive := '#' space* name re-space* '=' re-space* value re-space*
 * Returns false on a directive error (reported).
 */
static bool directive(lexer *lx, const char *p, size_t n)
{
    if (lx->directives_done)
        return true;
    if (n == 0 || p[0] != '#') {
        lx->directives_done = true;
        return true;
    }
    size_t i = 1;
    i += trim_left(p + i, n - i);
    size_t name = i;
    if (i >= n || !is_alpha(p[i])) {
        lx->directives_done = true;
        return true;
    }
    while (i < n && (is_alpha(p[i]) || is_digit(p[i])))
        i++;
    df_slice key = {p + name, i - name};
    while (i < n && is_re_space(p[i]))
        i++;
    if (i >= n || p[i] != '=') {
        lx->directives_done = true;
        return true;
    }
    i++;
    size_t after_eq = i;
    while (i < n && is_re_space(p[i]))
        i++;
    if (i == n) {
        if (after_eq == n) { /* nothing after '=' */
            lx->directives_done = true;
            return true;
        }
        i = n - 1; /* the regex's lazy value takes the last blank */
    }
    size_t vend = n;
    while (vend > i + 1 && is_re_space(p[vend - 1]))
        vend--;
    df_slice value = {p + i, vend - i};
    size_t off = (size_t)(p - lx->s);
    bool *seen;
    if (slice_eq_nocase(key, "syntax"))
        seen = &lx->seen_syntax;
    else if (slice_eq_nocase(key, "escape"))
        seen = &lx->seen_escape;
    else if (slice_eq_nocase(key, "check"))
        seen = &lx->seen_check;
    else {
        lx->directives_done = true;
        return true;
    }
    if (*seen) {
        const char *what = seen == &lx->seen_syntax   ? "syntax"
                           : seen == &lx->seen_escape ? "escape"
                                                      : "check";
        diag_add(lx->d, DIAG_ERROR, lx->doc, off, n, "only one %s parser directive can be used",
                 what);
        return false;
    }
    *seen = true;
    if (seen == &lx->seen_escape) {
        if (!slice_eq_str(value, "`") && !slice_eq_str(value, "\\")) {
            diag_add(lx->d, DIAG_ERROR, lx->doc, (size_t)(value.p - lx->s), value.n,
                     "invalid escape token '" SLICE_FMT "' does not match ` or \\",
                     SLICE_ARG(value));
            return false;
        }
        lx->doc->escape = value.p[0];
    } else if (seen == &lx->seen_syntax) {
        lx->doc->syntax = value;
    } else {
        lx->doc->check = value;
    }
    return true;
}

/* Records a piece of the logical line (n bytes at p); the pieces are copied out once the line
 * is complete (joined). */
static void add_piece(lexer *lx, const char *p, size_t n, size_t text_start)
{
    if (lx->nsegs == lx->capsegs) {
        size_t cap = lx->capsegs ? lx->capsegs * 2 : sizeof lx->seg_room / sizeof *lx->seg_room;
        if (!lx->segs) {
            lx->segs = lx->seg_room;
        } else if (lx->segs == lx->seg_room) {
            lx->segs = xmalloc(cap * sizeof *lx->segs);
            memcpy(lx->segs, lx->seg_room, sizeof lx->seg_room);
        } else {
            lx->segs = xrealloc(lx->segs, cap * sizeof *lx->segs);
        }
        lx->capsegs = cap;
    }
    lx->segs[lx->nsegs++] = (df_seg){lx->loglen, (size_t)(p - lx->s) - text_start};
    lx->loglen += n;
}

/* The logical line of the pieces recorded since the instruction's first line, which starts at
 * source offset ls: one piece is a slice of the source, more are joined in the arena. */
static df_slice joined(lexer *lx, size_t ls)
{
    const df_seg *sg = lx->segs;
    if (lx->nsegs == 1)
        return (df_slice){lx->s + ls + sg[0].soff, lx->loglen};
    char *l = arena_alloc_raw(&lx->doc->arena, lx->loglen + 1);
    for (size_t k = 0; k < lx->nsegs; k++) {
        size_t end = k + 1 < lx->nsegs ? sg[k + 1].loff : lx->loglen;
        memcpy(l + sg[k].loff, lx->s + ls + sg[k].soff, end - sg[k].loff);
    }
    l[lx->loglen] = '\0';
    return (df_slice){l, lx->loglen};
}

/* Reads the bodies of n's heredocs; false (reported) when one is unterminated. */
static bool heredoc_bodies(lexer *lx, df_node *n)
{
    for (size_t h = 0; h < n->nheredocs; h++) {
        df_heredoc *hd = &n->heredocs[h];
        size_t body = lx->pos;
        bool done = false;
        while (lx->pos < lx->len) {
            size_t ls = lx->pos, m;
            lx->pos = next_line(lx, ls, &m);
            lx->lineno++;
            const char *p = lx->s + ls;
            if (hd->chomp)
                while (m > 0 && *p == '\t')
                    p++, m--;
            if (slice_eq((df_slice){p, m}, hd->name)) {
                hd->body = (df_slice){lx->s + body, ls - body};
                done = true;
                break;
            }
        }
        if (!done) {
            size_t at = node_src_offset(n, hd->off);
            diag_add(lx->d, DIAG_ERROR, lx->doc, at, hd->word.n,
                     "unterminated heredoc: no line \"" SLICE_FMT "\" closes the heredoc opened "
                     "on line %zu",
                     SLICE_ARG(hd->name), n->line);
            return false;
        }
    }
    return true;
}

static bool has_double_lt(df_slice s) /* contains "<<" (memchr is much faster than memmem) */
{
    for (const char *p = s.p, *e = s.p + s.n; (p = memchr(p, '<', (size_t)(e - p))); p++)
        if (p + 1 < e && p[1] == '<')
            return true;
    return false;
}

/* KP_HEREDOC of each kind (kinds.h): looked up for every instruction, without a call */
static const bool kind_heredoc[DF_NKINDS] = {
#define X(id, kw, r, p) [DF_##id] = ((p) & KP_HEREDOC) != 0,
    DF_KINDS(X)
#undef X
};

static bool heredoc_capable(const df_node *n)
{
    const df_node *k = n->kind == DF_ONBUILD && n->sub ? n->sub : n;
    return kind_heredoc[k->kind] && !(k->flags & DF_N_JSON);
}

/* instruction := first-line continuation-line* heredoc-body*  (first line already read)
 * Inlined in its two callers: a call per instruction with this many arguments costs more than
 * most one-line instructions take to lex. */
static inline __attribute__((always_inline)) df_node *
instruction(lexer *lx, size_t ls, const char *tok, size_t tokn, bool cont, bool *ok)
{
    df_doc *doc = lx->doc;
    df_node *n = ir_node_new(doc);
    n->src_off = lx->synth ? SIZE_MAX : ls;
    n->line = lx->synth ? 0 : lx->lineno;
    if (!cont) { /* one line, the usual case: its logical line is a slice of it */
        n->logical = (df_slice){tok, tokn};
        n->segs = arena_alloc_raw(&doc->arena, sizeof *n->segs);
        n->segs[0] = (df_seg){0, (size_t)(tok - lx->s) - ls};
        n->nsegs = 1;
    } else {
        lx->nsegs = 0;
        lx->loglen = 0;
        add_piece(lx, tok, tokn, ls);
        while (cont && lx->pos < lx->len) {
            size_t cs = lx->pos, m;
            lx->pos = next_line(lx, cs, &m);
            lx->lineno++;
            const char *p = lx->s + cs;
            size_t sp = trim_left(p, m);
            if (sp == m || p[sp] == '#') /* an empty or comment line */
                continue;
            cont = continues(p, &m, doc->escape);
            add_piece(lx, p, m, ls);
        }
        if (cont)
            n->flags |= DF_N_OPEN;
        n->logical = joined(lx, ls);
        n->segs = arena_alloc_raw(&doc->arena, lx->nsegs * sizeof *n->segs);
        memcpy(n->segs, lx->segs, lx->nsegs * sizeof *n->segs);
        n->nsegs = lx->nsegs;
    }
    n->text = (df_slice){lx->s + ls, lx->pos - ls};
    if (!parse_instruction(doc, n, lx->d)) {
        *ok = false;
        return n;
    }
    if (heredoc_capable(n) && has_double_lt(n->logical)) {
        n->nheredocs = lex_heredoc_openers(doc, n->logical, &n->heredocs);
        if (!heredoc_bodies(lx, n)) {
            *ok = false;
            lx->pos = lx->len;
        }
        n->text = (df_slice){lx->s + ls, lx->pos - ls};
    }
    return n;
}

bool parse_document(df_doc *doc, df_diags *d)
{
    return parse_document_each(doc, d, NULL, NULL);
}

/* The document's nodes, in order, appended to its list or (each) handed over one at a time. */
bool parse_document_each(df_doc *doc, df_diags *d, parse_each_fn each, void *ctx)
{
    lexer lx;
    lexer_init(&lx, doc, d, doc->src.p, doc->src.n, false);
    bool ok = true;
    size_t lead = 0, count = 0, upper = 0, lower = 0;
    df_arena_mark mark = each ? arena_mark(&doc->arena) : (df_arena_mark){0};
    df_arena_mark node_mark = each ? arena_mark(&doc->nodes) : (df_arena_mark){0};
    while (lx.pos < lx.len) {
        size_t ls = lx.pos, n;
        lx.pos = next_line(&lx, ls, &n);
        if (ls == doc->jump_off && ls)
            lx.lineno += doc->line_base; /* a part's own text, after its file's head */
        if (ls == 0 && !doc->part && n >= 3 && memcmp(lx.s, "\xEF\xBB\xBF", 3) == 0)
            ls = 3, n -= 3; /* the BOM belongs to the lead, not to the first instruction */
        const char *p = lx.s + ls;
        size_t sp = trim_left(p, n);
        p += sp, n -= sp;
        if (!directive(&lx, p, n)) {
            ok = false;
            break;
        }
        if (lx.directives_done && doc->directives_end == SIZE_MAX)
            doc->directives_end = (size_t)(lx.s + ls - doc->src.p); /* this line ends them */
        if (n > 0 && p[0] == '#')
            n = 0;
        lx.lineno++;
        bool cont = continues(p, &n, doc->escape);
        if (!cont && n == 0)
            continue;
        size_t reported = d->n;
        df_node *node = instruction(&lx, ls, p, n, cont, &ok);
        node->lead = (df_slice){lx.s + lead, ls - lead};
        lead = lx.pos;
        count++;
        for (const df_node *m = node; m && m->kind != DF_UNKNOWN; m = m->sub) {
            upper += !(m->kwcase & KW_LOWER); /* keyword-case's majority (api.c) */
            lower += !(m->kwcase & KW_UPPER);
        }
        if (!each) {
            ir_append(doc, node);
        } else {
            if (ok)
                each(ctx, doc, node); /* after an error the output is not used */
            /* a diagnostic may point into this node's memory (the line index): keep it */
            if (d->n == reported) {
                arena_release(&doc->arena, mark);
                arena_release(&doc->nodes, node_mark);
            } else {
                mark = arena_mark(&doc->arena);
                node_mark = arena_mark(&doc->nodes);
            }
        }
    }
    doc->trailer = (df_slice){lx.s + lead, lx.len - lead};
    doc->read_upper = upper;
    doc->read_lower = lower;
    if (lx.segs && lx.segs != lx.seg_room)
        free(lx.segs);
    if (ok && count == 0) {
        diag_add(d, DIAG_ERROR, doc, lx.len, 0, "file with no instructions");
        ok = false;
    }
    return ok;
}

size_t node_src_offset(const df_node *n, size_t loff)
{
    if (n->src_off == SIZE_MAX || n->nsegs == 0)
        return SIZE_MAX;
    size_t lo = 0, hi = n->nsegs;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (n->segs[mid].loff <= loff)
            lo = mid;
        else
            hi = mid;
    }
    return n->src_off + n->segs[lo].soff + (loff - n->segs[lo].loff);
}

/* ---- heredoc openers ---- */

/*
 * BuildKit splits the logical line into shell words with quotes and escapes kept (the escape is
 * always backslash here) and unset variables left as written; a word `[digits]<<[-]rest` with no
 * further '<' opens a heredoc named by rest unquoted. A line the shell lexer rejects (unterminated
 * quote, bad ${...}) has no heredocs.
 */
typedef struct word {
    size_t start, end;
} word;

/* Skips a ${...} or $name starting at s[i] == '$'; false on a lexer error. */
static bool skip_dollar(const char *s, size_t n, size_t *i)
{
    size_t j = *i + 1;
    if (j >= n || s[j] != '{') {
        *i = j;
        return true;
    }
    j++;
    if (j >= n || s[j] == '{' || s[j] == '}' || s[j] == ':')
        return false;
    int depth = 1;
    for (; j < n; j++) {
        if (s[j] == '\\' && j + 1 < n)
            j++;
        else if (s[j] == '$' && j + 1 < n && s[j + 1] == '{')
            depth++, j++;
        else if (s[j] == '}' && --depth == 0) {
            *i = j + 1;
            return true;
        }
    }
    return false;
}

static size_t shell_words(const char *s, size_t n, word **out)
{
    size_t cap = 8, nw = 0;
    word *w = xmalloc(cap * sizeof *w);
    bool in = false;
    size_t start = 0, i = 0, width;
    while (i < n) {
        char c = s[i];
        if (lex_is_space_rune(s + i, n - i, &width)) {
            if (in) {
                if (nw == cap)
                    w = xrealloc(w, (cap *= 2) * sizeof *w);
                w[nw++] = (word){start, i};
                in = false;
            }
            i += width;
            continue;
        }
        if (!in)
            in = true, start = i;
        if (c == '\'') {
            const char *q = memchr(s + i + 1, '\'', n - i - 1);
            if (!q)
                goto fail;
            i = (size_t)(q - s) + 1;
        } else if (c == '"') {
            i++;
            while (i < n && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < n)
                    i += 2;
                else if (s[i] == '$') {
                    if (!skip_dollar(s, n, &i))
                        goto fail;
                } else
                    i++;
            }
            if (i >= n)
                goto fail;
            i++;
        } else if (c == '$') {
            if (!skip_dollar(s, n, &i))
                goto fail;
        } else if (c == '\\') {
            i += i + 1 < n ? 2 : 1;
        } else {
            i++;
        }
    }
    if (in) {
        if (nw == cap)
            w = xrealloc(w, (cap *= 2) * sizeof *w);
        w[nw++] = (word){start, n};
    }
    *out = w;
    return nw;
fail:
    free(w);
    *out = NULL;
    return 0;
}

/* The heredoc name: rest unquoted; false unless it is exactly one word. */
static bool heredoc_name(df_arena *a, const char *s, size_t n, df_slice *name)
{
    df_buf b = {0};
    size_t words = 0, i = 0, width;
    bool in = false;
    while (i < n) {
        char c = s[i];
        if (lex_is_space_rune(s + i, n - i, &width)) {
            in = false;
            i += width;
            continue;
        }
        if (!in)
            in = true, words++;
        if (c == '\'') {
            const char *q = memchr(s + i + 1, '\'', n - i - 1);
            size_t e = q ? (size_t)(q - s) : n;
            buf_put(&b, s + i + 1, e - i - 1);
            i = e + 1;
        } else if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++) {
                if (s[i] == '\\' && i + 1 < n &&
                    (s[i + 1] == '"' || s[i + 1] == '$' || s[i + 1] == '\\'))
                    i++;
                buf_putc(&b, s[i]);
            }
            i++;
        } else if (c == '\\') {
            if (i + 1 < n)
                buf_putc(&b, s[i + 1]);
            i += 2;
        } else {
            buf_putc(&b, c);
            i++;
        }
    }
    bool ok = words == 1 && b.len > 0;
    if (ok)
        *name = buf_to_arena(&b, a);
    buf_free(&b);
    return ok;
}

static size_t count_quotes(const char *s, size_t n)
{
    size_t q = 0;
    for (size_t i = 0; i < n; i++)
        q += s[i] == '\'' || s[i] == '"';
    return q;
}

size_t lex_heredoc_openers(df_doc *doc, df_slice logical, df_heredoc **out)
{
    word *w;
    size_t nw = shell_words(logical.p, logical.n, &w), nh = 0;
    df_heredoc *h = nw ? arena_alloc(&doc->arena, nw * sizeof *h) : NULL;
    for (size_t k = 0; k < nw; k++) {
        const char *s = logical.p + w[k].start;
        size_t n = w[k].end - w[k].start, i = 0;
        while (i < n && is_digit(s[i]))
            i++;
        if (n - i < 2 || s[i] != '<' || s[i + 1] != '<')
            continue;
        size_t digits = i;
        i += 2;
        bool chomp = i < n && s[i] == '-';
        i += chomp;
        if (i == n || memchr(s + i, '<', n - i))
            continue;
        df_slice name;
        if (!heredoc_name(&doc->arena, s + i, n - i, &name))
            continue;
        unsigned fd = 0;
        for (size_t j = 0; j < digits && fd < 100000; j++)
            fd = fd * 10 + (unsigned)(s[j] - '0');
        h[nh++] = (df_heredoc){
            .name = name,
            .word = {s, n},
            .off = w[k].start,
            .chomp = chomp,
            .expand = count_quotes(name.p, name.n) == count_quotes(s + i, n - i),
            .fd = fd,
        };
    }
    free(w);
    *out = h;
    return nh;
}

df_node *lex_one(df_doc *doc, df_slice text, df_diags *d)
{
    lexer lx;
    lexer_init(&lx, doc, d, text.p, text.n, true);
    bool ok = true;
    df_node *node = NULL;
    size_t lead = 0;
    while (lx.pos < lx.len && ok) {
        size_t ls = lx.pos, n;
        lx.pos = next_line(&lx, ls, &n);
        const char *p = lx.s + ls;
        size_t sp = trim_left(p, n);
        p += sp, n -= sp;
        if (n > 0 && p[0] == '#')
            n = 0;
        lx.lineno++;
        bool cont = continues(p, &n, doc->escape);
        if (!cont && n == 0)
            continue;
        if (node) {
            ok = false;
            break;
        }
        node = instruction(&lx, ls, p, n, cont, &ok);
        node->lead = (df_slice){lx.s + lead, ls - lead};
        lead = lx.pos;
    }
    if (lx.segs && lx.segs != lx.seg_room)
        free(lx.segs);
    if (!ok || !node || lead != lx.len) {
        diag_addf_plain(d, DIAG_ERROR, "internal: rewritten text is not one instruction: %.*s",
                        (int)text.n, text.p);
        return NULL;
    }
    return node;
}
