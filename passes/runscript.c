/*
 * runscript.c: reading and rewriting shell-form RUN scripts for the RUN passes (see runscript.h).
 */
#include "runscript.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

bool rs_open(df_doc *doc, df_node *n, rs_run *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (!n || n->kind != DF_RUN || (n->flags & DF_N_JSON) || n->nargs < 1 || n->nheredocs)
        return false;
    out->script = n->args[0].v;
    out->base = n->args[0].off;
    out->ok = sh_parse_node(doc, n, &out->sh) && !out->sh.heredoc;
    return out->ok;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- continuation style ---- */

/* Has n's text more than one line, and no heredoc: can it show a continuation style? */
static inline bool several_lines(const df_node *n)
{
    df_slice t = n->text;
    return !n->nheredocs && t.n >= 2 && memchr(t.p, '\n', t.n - 1);
}

/* The command-continuation style of one instruction's text, if it shows one. */
static bool style_in(const df_doc *doc, const df_node *n, rs_style *st)
{
    if (!several_lines(n))
        return false; /* one line: no continuation */
    df_slice t = n->text;
    bool first = true, prev_and = false;
    for (size_t i = 0; i < t.n;) {
        const char *nl = memchr(t.p + i, '\n', t.n - i);
        size_t e = nl ? (size_t)(nl - t.p) : t.n;
        const char *l = t.p + i;
        size_t len = e - i;
        if (len && l[len - 1] == '\r')
            len--;
        size_t ws = 0;
        while (ws < len && blank(l[ws]))
            ws++;
        bool content = ws < len && l[ws] != '#';
        if (content && !first) {
            if (len - ws >= 2 && l[ws] == '&' && l[ws + 1] == '&') {
                *st = (rs_style){{l, ws}, true};
                return true;
            }
            if (prev_and) {
                *st = (rs_style){{l, ws}, false};
                return true;
            }
        }
        if (content) {
            size_t m = len;
            while (m && blank(l[m - 1]))
                m--;
            prev_and = false;
            if (m && l[m - 1] == doc->escape) {
                m--;
                while (m && blank(l[m - 1]))
                    m--;
                prev_and = m >= 2 && l[m - 1] == '&' && l[m - 2] == '&';
            }
        }
        first = false;
        i = e + 1;
    }
    return false;
}

bool rs_note_style(const df_doc *doc, const df_node *n, df_facts *f)
{
    rs_style st;
    if (!several_lines(n) || !style_in(doc, n, &st))
        return false;
    f->have_style = true;
    f->indent = st.indent;
    f->leading = st.leading;
    return true;
}

rs_style rs_doc_style(const df_doc *doc)
{
    rs_style st;
    if (doc->facts) /* the file as read (api.c) */
        return doc->facts->have_style ? (rs_style){doc->facts->indent, doc->facts->leading}
                                      : (rs_style){SLICE("    "), false};
    for (const df_node *n = doc->head; n; n = n->next) /* most are one line: tested here */
        if (several_lines(n) && style_in(doc, n, &st))
            return st;
    return (rs_style){SLICE("    "), false};
}

bool rs_own_style(const df_doc *doc, const df_node *n, rs_style *st)
{
    return style_in(doc, n, st);
}

/* s byte by byte: buf_putc is inline, and each piece of a joint is a few bytes (a call to
 * buf_put per piece cost more than the bytes). */
static void put_bytes(df_buf *b, df_slice s)
{
    for (size_t i = 0; i < s.n; i++)
        buf_putc(b, s.p[i]);
}

/* The pieces of the joint in style st, in the text: the operator (` && `, or ` ` before a
 * leading one), the escape, the newline, the indent and the leading operator (or nothing). In
 * the logical line the escape and the newline are gone: JOINT_AND, JOINT_INDENT and
 * JOINT_LEAD. */
enum { JOINT_AND, JOINT_ESCAPE, JOINT_NEWLINE, JOINT_INDENT, JOINT_LEAD, JOINT_PIECES };
static void joint_pieces(const df_doc *doc, const rs_style *st, df_slice piece[JOINT_PIECES])
{
    piece[JOINT_AND] = st->leading ? SLICE(" ") : SLICE(" && ");
    piece[JOINT_ESCAPE] = (df_slice){&doc->escape, 1};
    piece[JOINT_NEWLINE] = ir_newline(doc);
    piece[JOINT_INDENT] = st->indent;
    piece[JOINT_LEAD] = st->leading ? SLICE("&& ") : SLICE("");
}

void rs_put_joint(df_buf *text, df_buf *want, const df_doc *doc, const rs_style *st)
{
    df_slice piece[JOINT_PIECES];
    joint_pieces(doc, st, piece);
    for (size_t i = 0; i < JOINT_PIECES; i++)
        put_bytes(text, piece[i]);
    if (want) {
        put_bytes(want, piece[JOINT_AND]);
        put_bytes(want, piece[JOINT_INDENT]);
        put_bytes(want, piece[JOINT_LEAD]);
    }
}

/* ---- the end of a script ---- */

bool rs_tail_of(const rs_run *r, rs_tail *t, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!r->ok) {
        *why = r->sh.why ? r->sh.why : "not a shell-form script without heredocs";
        return false;
    }
    if (r->sh.ncmds == 0)
        return (*why = "no command"), false;
    if (r->sh.comment)
        return (*why = "the script has a comment, which would swallow what follows"), false;
    if (r->sh.background)
        return (*why = "the script runs a command in the background (&)"), false;
    if (r->sh.trailing_op)
        return (*why = "the script ends in an operator"), false;
    const char *s = r->script.p;
    size_t end = r->script.n;
    while (end && (blank(s[end - 1]) || s[end - 1] == '\r'))
        end--;
    bool dropped = false;
    if (end && s[end - 1] == ';') {
        size_t k = 0;
        while (k + 1 < end && s[end - 2 - k] == '\\')
            k++;
        if (k % 2 == 0) { /* an operator, not the word \; */
            if (end >= 2 && s[end - 2] == ';')
                return (*why = "the script ends in ;;"), false;
            end--;
            dropped = true;
            while (end && blank(s[end - 1]))
                end--;
            if (end && (s[end - 1] == ';' || s[end - 1] == '&' || s[end - 1] == '|'))
                return (*why = "the script ends in an operator"), false;
        }
    }
    size_t k = 0;
    while (k < end && s[end - 1 - k] == '\\')
        k++;
    if (k % 2 == 1)
        return (*why = "the script ends in an escape"), false;
    if (end == 0)
        return (*why = "no command"), false;
    const df_node *n = r->n;
    size_t at = ir_text_offset(n, r->base + end, true);
    size_t i = at;
    while (i < n->text.n && blank(n->text.p[i]))
        i++;
    if (dropped && i < n->text.n && n->text.p[i] == ';') {
        i++;
        while (i < n->text.n && blank(n->text.p[i]))
            i++;
    }
    df_slice rest = {n->text.p + i, n->text.n - i};
    if (!(rest.n == 0 || slice_eq_str(rest, "\n") || slice_eq_str(rest, "\r\n")))
        return (*why = "the instruction's text goes on after the script (a comment line?)"), false;
    t->end = end;
    t->head = (df_slice){n->text.p, at};
    t->newline = rest;
    return true;
}

/* ---- committing new text ---- */

static bool same_flags(const df_node *a, const df_node *b)
{
    if (a->nbflags != b->nbflags)
        return false;
    for (size_t i = 0; i < a->nbflags; i++)
        if (!slice_eq(a->bflags[i].v, b->bflags[i].v))
            return false;
    return true;
}

bool rs_commit(df_doc *doc, df_node *n, df_slice text, df_slice want, df_diags *d)
{
    df_diags scratch = {0};
    df_node *c = ir_node_from_text(doc, text, &scratch);
    bool ok = c && df_diags_errors(&scratch) == 0 && c->kind == DF_RUN &&
              !(c->flags & DF_N_JSON) && c->nargs >= 1 && c->nheredocs == 0 &&
              same_flags(c, n) && slice_eq(c->args[0].v, want);
    diags_release(&scratch);
    (void)d; /* reading an instruction reports errors only: c had none */
    if (ok)
        ir_node_adopt(doc, n, c);
    return ok;
}

/* The total length of the n slices of part. */
static size_t parts_len(const df_slice *part, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += part[i].n;
    return len;
}

/* Writes the n slices of part one after the other at dst (parts_len bytes). */
static void put_parts(char *dst, const df_slice *part, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (part[i].n) /* an empty piece may have no pointer */
            memcpy(dst, part[i].p, part[i].n);
        dst += part[i].n;
    }
}

bool rs_append(df_doc *doc, const rs_run *r, df_slice cmd, const rs_style *st, df_diags *d)
{
    rs_tail t;
    if (!rs_tail_of(r, &t, NULL))
        return false;
    df_slice joint[JOINT_PIECES] = {SLICE(" && ")}; /* the same line: the operator alone */
    if (memchr(t.head.p, '\n', t.head.n) || t.head.n + 4 + cmd.n > 80)
        joint_pieces(doc, st, joint);
    df_slice text[] = {t.head, joint[JOINT_AND], joint[JOINT_ESCAPE], joint[JOINT_NEWLINE],
                       joint[JOINT_INDENT], joint[JOINT_LEAD], cmd, t.newline};
    df_slice want[] = {{r->script.p, t.end}, joint[JOINT_AND], joint[JOINT_INDENT],
                       joint[JOINT_LEAD], cmd};
    enum { NTEXT = sizeof text / sizeof *text, NWANT = sizeof want / sizeof *want };
    /* the text goes straight to the arena, where the node rs_commit makes reads it without a
     * copy; the script is only compared, on the stack when it fits */
    size_t tn = parts_len(text, NTEXT), wn = parts_len(want, NWANT);
    char *tp = arena_alloc_raw(&doc->arena, tn + 1);
    put_parts(tp, text, NTEXT);
    tp[tn] = '\0'; /* as arena_slice leaves text */
    char room[512];
    char *wp = wn <= sizeof room ? room : xmalloc(wn);
    put_parts(wp, want, NWANT);
    bool ok = rs_commit(doc, r->n, (df_slice){tp, tn}, (df_slice){wp, wn}, d);
    if (wp != room)
        free(wp);
    return ok;
}

bool rs_splice(df_doc *doc, const rs_run *r, size_t from, size_t to, df_slice ins,
               df_diags *d)
{
    if (!r->ok || from > to || to > r->script.n || memchr(ins.p, '\n', ins.n))
        return false;
    const df_node *n = r->n;
    size_t a = ir_text_offset(n, r->base + from, false);
    size_t b = ir_text_offset(n, r->base + to, false);
    if (a > b || b > n->text.n)
        return false;
    /* a comment line inside a continuation would be lost */
    for (size_t i = a; i < b; i++) {
        if (n->text.p[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < b && blank(n->text.p[j]))
            j++;
        if (j < b && n->text.p[j] == '#')
            return false;
    }
    df_buf text = {0}, want = {0};
    buf_put(&text, n->text.p, a);
    buf_put_slice(&text, ins);
    buf_put(&text, n->text.p + b, n->text.n - b);
    buf_put(&want, r->script.p, from);
    buf_put_slice(&want, ins);
    buf_put(&want, r->script.p + to, r->script.n - to);
    bool ok = rs_commit(doc, r->n, (df_slice){text.p, text.len}, (df_slice){want.p, want.len}, d);
    buf_free(&text);
    buf_free(&want);
    return ok;
}

/* ---- words ---- */

df_slice rs_basename(df_slice p)
{
    size_t i = p.n;
    while (i > 0 && p.p[i - 1] != '/' && p.p[i - 1] != '\\')
        i--;
    return (df_slice){p.p + i, p.n - i};
}

bool rs_word_base_is(const sh_cmd *c, size_t i, const char *name)
{
    return i < c->nwords && c->words[i].literal &&
           slice_eq_str(rs_basename(c->words[i].value), name);
}

df_slice rs_cmd_prefix(const rs_run *r, const sh_cmd *c, size_t i)
{
    size_t end = i < c->nwords ? c->words[i].off : c->end;
    return (df_slice){r->script.p + c->off, end - c->off};
}

bool rs_has_mount(const df_node *n)
{
    df_slice v;
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (!slice_has_prefix(f, "--mount="))
            continue;
        v = (df_slice){f.p + 8, f.n - 8};
        df_slice type = SLICE("bind"); /* BuildKit's default */
        for (size_t s = 0; s < v.n;) {
            size_t e = s;
            while (e < v.n && v.p[e] != ',')
                e++;
            df_slice kv = {v.p + s, e - s};
            if (slice_has_prefix(kv, "type="))
                type = (df_slice){kv.p + 5, kv.n - 5};
            s = e + 1;
        }
        if (!slice_eq_str(type, "secret") && !slice_eq_str(type, "ssh"))
            return true;
    }
    return false;
}

/* ---- shells ---- */


/* Does the image name hold windows, servercore, nanoserver or dotnet/framework (any case)?
 * One walk over the name, comparing where one of those words can start: at a letter that
 * begins one (a table lookup per byte) with room left for the shortest, "windows". */
static bool windows_image(df_slice base)
{
    static const struct {
        const char *s;
        size_t n;
    } marks[] = {{NULL, 0}, {"windows", 7}, {"servercore", 10}, {"nanoserver", 10},
                 {"dotnet/framework", 16}};
    static const unsigned char starts[256] = {
        ['w'] = 1, ['W'] = 1, ['s'] = 2, ['S'] = 2, ['n'] = 3, ['N'] = 3, ['d'] = 4, ['D'] = 4,
    };
    enum { SHORTEST = 7 };
    const unsigned char *u = (const unsigned char *)base.p;
    for (size_t i = 0; i + SHORTEST <= base.n; i++) {
        if (!starts[u[i]])
            continue;
        const char *mark = marks[starts[u[i]]].s;
        size_t m = marks[starts[u[i]]].n;
        /* the second letter first: (c | 0x20) is that lower-case letter only for it and its
         * upper case */
        if (base.n - i >= m && (base.p[i + 1] | 0x20) == mark[1] &&
            strncasecmp(base.p + i, mark, m) == 0)
            return true;
    }
    return false;
}

static bool posix_program(df_slice path)
{
    static const char *shells[] = {"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"};
    df_slice b = rs_basename(path);
    if (b.n > 4 && strncasecmp(b.p + b.n - 4, ".exe", 4) == 0)
        b.n -= 4;
    for (size_t i = 0; i < sizeof shells / sizeof *shells; i++)
        if (slice_eq_nocase(b, shells[i]))
            return true;
    return false;
}

void rs_shells_init(rs_shells *s, const df_doc *doc)
{
    s->doc = doc;
    s->n = doc->nstages;
    if (s->n <= sizeof s->few) {
        memset(s->few, RS_FROM, s->n);
        s->posix = s->few;
    } else {
        s->posix = xmalloc(s->n);
        memset(s->posix, RS_FROM, s->n);
    }
}

void rs_shells_set(rs_shells *s, const df_doc *doc, const df_node *n)
{
    if (n->stage < 0 || (size_t)n->stage >= s->n)
        return;
    if (n->kind == DF_FROM)
        s->posix[n->stage] = RS_FROM;
    else if (n->kind == DF_SHELL)
        s->posix[n->stage] = ((n->flags & DF_N_JSON) && n->nargs >= 1 &&
                              posix_program(n->args[0].v)) ? RS_POSIX : RS_NOT_POSIX;
    (void)doc;
}

/* The base stage of stage k whose answer k's FROM takes, or -1 for a base image. */
static int base_of(const rs_shells *s, size_t k)
{
    int b = s->doc->stages[k].base_stage;
    return b >= 0 && (size_t)b < k ? b : -1; /* an earlier stage (sema_stage_ref) */
}

bool rs_shells_posix(rs_shells *s, const df_node *n)
{
    if (n->stage < 0 || (size_t)n->stage >= s->n)
        return false;
    size_t k = (size_t)n->stage;
    if (s->posix[k] == RS_FROM) {
        /* down the base stages to one with an answer or on an image, then that answer for
         * each stage on the way (the stages are those of rs_shells_init: a pass does not
         * redo them) */
        size_t root = k;
        int b;
        while (s->posix[root] == RS_FROM && (b = base_of(s, root)) >= 0)
            root = (size_t)b;
        unsigned char v = s->posix[root];
        if (v == RS_FROM)
            v = s->doc->escape == '`' || windows_image(s->doc->stages[root].base_expanded)
                    ? RS_NOT_POSIX
                    : RS_POSIX;
        for (size_t j = k; s->posix[j] == RS_FROM; j = (size_t)base_of(s, j)) {
            s->posix[j] = v;
            if (j == root)
                break;
        }
    }
    return s->posix[k] == RS_POSIX;
}

void rs_shells_free(rs_shells *s)
{
    if (s->posix != s->few)
        free(s->posix);
    s->posix = NULL;
    s->n = 0;
}
