/*
 * rewrite.c: helpers shared by the rewriting and reordering passes (see rewrite.h).
 */
#include "rewrite.h"
#include "expand.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- paths ---- */

df_slice rw_path_clean(df_arena *a, df_slice p)
{
    if (p.n == 0)
        return SLICE(".");
    bool rooted = p.p[0] == '/';
    char *out = arena_alloc(a, p.n + 3);
    size_t w = 0, r = 0, dotdot = 0;
    if (rooted) {
        out[w++] = '/';
        r = dotdot = 1;
    }
    while (r < p.n) {
        bool end1 = r + 1 == p.n || p.p[r + 1] == '/';
        if (p.p[r] == '/') {
            r++;
        } else if (p.p[r] == '.' && end1) {
            r++;
        } else if (p.p[r] == '.' && p.p[r + 1] == '.' && (r + 2 == p.n || p.p[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && out[w] != '/')
                    w--;
            } else if (!rooted) {
                if (w > 0)
                    out[w++] = '/';
                out[w++] = '.';
                out[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0))
                out[w++] = '/';
            for (; r < p.n && p.p[r] != '/'; r++)
                out[w++] = p.p[r];
        }
    }
    if (w == 0)
        out[w++] = '.';
    out[w] = '\0';
    return (df_slice){out, w};
}

bool rw_path_abs(df_slice p)
{
    return p.n > 0 && p.p[0] == '/';
}

df_slice rw_path_join(df_arena *a, df_slice dir, df_slice p)
{
    if (rw_path_abs(p))
        return rw_path_clean(a, p);
    char local[256]; /* most paths: joined on the stack, cleaned into the arena */
    if (dir.n + 1 + p.n <= sizeof local) {
        if (dir.n)
            memcpy(local, dir.p, dir.n);
        local[dir.n] = '/';
        if (p.n)
            memcpy(local + dir.n + 1, p.p, p.n);
        return rw_path_clean(a, (df_slice){local, dir.n + 1 + p.n});
    }
    df_buf b = {0};
    buf_put_slice(&b, dir);
    buf_putc(&b, '/');
    buf_put_slice(&b, p);
    df_slice joined = rw_path_clean(a, (df_slice){b.p, b.len});
    buf_free(&b);
    return joined;
}

bool rw_path_under(df_slice p, df_slice dir)
{
    if (slice_eq_str(dir, "/"))
        return rw_path_abs(p);
    return p.n >= dir.n && memcmp(p.p, dir.p, dir.n) == 0 && (p.n == dir.n || p.p[dir.n] == '/');
}

bool rw_path_overlap(df_slice a, df_slice b)
{
    return rw_path_under(a, b) || rw_path_under(b, a);
}

df_slice rw_path_base(df_slice p)
{
    if (slice_eq_str(p, "/"))
        return p;
    size_t i = p.n;
    while (i > 0 && p.p[i - 1] != '/')
        i--;
    return (df_slice){p.p + i, p.n - i};
}

df_slice rw_path_dir(df_slice p)
{
    size_t i = p.n;
    while (i > 0 && p.p[i - 1] != '/')
        i--;
    if (i <= 1)
        return SLICE("/");
    return (df_slice){p.p, i - 1};
}

bool rw_path_system(df_slice p)
{
    static const char *const top[] = {
        "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt",
        "nix", "opt", "proc", "root", "run", "sbin", "snap", "srv", "sys", "tmp", "usr", "var",
    };
    if (!rw_path_abs(p) || p.n == 1)
        return true;
    /* source trees under /usr/src/NAME and /usr/local/src/NAME belong to the image's author */
    static const char *const src[] = {"/usr/src/", "/usr/local/src/"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(src[i]);
        if (p.n > n && memcmp(p.p, src[i], n) == 0)
            return false;
    }
    size_t e = 1;
    while (e < p.n && p.p[e] != '/')
        e++;
    df_slice first = {p.p + 1, e - 1};
    for (size_t i = 0; i < sizeof top / sizeof *top && first.n; i++)
        if (top[i][0] == first.p[0] && slice_eq_str(first, top[i]))
            return true;
    return false;
}

/* ---- words ---- */

bool rw_literal(const df_doc *doc, df_slice w)
{
    /* one look-up a byte: the escape character is \ or ` (the parser allows no other) */
    static const bool special_backslash[256] = {
        ['$'] = true, ['\''] = true, ['"'] = true, ['\\'] = true};
    static const bool special_backtick[256] = {
        ['$'] = true, ['\''] = true, ['"'] = true, ['`'] = true};
    const bool *special = doc->escape == '`' ? special_backtick : special_backslash;
    for (size_t i = 0; i < w.n; i++)
        if (special[(unsigned char)w.p[i]])
            return false;
    return w.n > 0;
}

bool rw_path_writable(const df_doc *doc, df_slice path)
{
    if (!rw_literal(doc, path) || memchr(path.p, '\n', path.n) || memchr(path.p, '\r', path.n))
        return false;
    char first = path.p[0], last = path.p[path.n - 1];
    return first != ' ' && first != '\t' && last != ' ' && last != '\t';
}

static bool flag_named(const df_node *n, const char *name)
{
    df_slice v;
    return node_flag(n, name, &v);
}

bool rw_node_buildkit(const df_node *n)
{
    if (n->nheredocs)
        return true;
    if (n->kind == DF_RUN &&
        (flag_named(n, "mount") || flag_named(n, "network") || flag_named(n, "security")))
        return true;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) &&
        (flag_named(n, "link") || flag_named(n, "chmod") || flag_named(n, "parents") ||
         flag_named(n, "exclude") || flag_named(n, "checksum") || flag_named(n, "keep-git-dir")))
        return true;
    return n->sub && rw_node_buildkit(n->sub);
}

bool rw_node_shell(const df_node *n)
{
    return n->kind == DF_SHELL || (n->sub && n->sub->kind == DF_SHELL);
}

/* A part of a large file (segment.c) answers as its file: segment.c cuts a file with such
 * syntax only under a syntax directive, which every part has, and no file whose passes could
 * add such syntax (heredoc-form's heredocs, under --heredoc). */
bool rw_buildkit_syntax(const df_doc *doc)
{
    if (doc->syntax.n)
        return true;
    for (const df_node *n = doc->head; n; n = n->next)
        if (rw_node_buildkit(n))
            return true;
    return false;
}

/* A SHELL in the document; in a part of a large file, in the file (no pass adds or removes one
 * there: dead-stage, which may remove one, removes nothing from a file segment.c cuts). */
bool rw_has_shell(const df_doc *doc)
{
    if (doc->facts && doc->facts->of_parts)
        return doc->facts->shell;
    for (const df_node *n = doc->head; n; n = n->next)
        if (rw_node_shell(n))
            return true;
    return false;
}

size_t rw_loff(const df_node *n, df_slice s)
{
    return (size_t)(s.p - n->logical.p);
}

bool rw_ends_with(df_slice s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.n >= n && memcmp(s.p + s.n - n, suffix, n) == 0;
}

/* ---- text ---- */

/* Does the text hold a comment line (a line whose first non-blank character is #)? */
static bool has_comment_line(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < n && (p[j] == ' ' || p[j] == '\t'))
            j++;
        if (j < n && p[j] == '#')
            return true;
    }
    return false;
}

static int edit_cmp(const void *a, const void *b)
{
    const ir_edit *x = a, *y = b;
    if (x->loff != y->loff)
        return x->loff < y->loff ? -1 : 1;
    /* an insertion goes before a deletion that starts at the same place */
    return (x->llen != 0) - (y->llen != 0);
}

df_slice rw_splice(df_doc *doc, const df_node *n, ir_edits *e)
{
    qsort(e->v, e->n, sizeof *e->v, edit_cmp);
    df_buf b = {0};
    size_t at = 0;
    bool ok = true;
    for (size_t i = 0; i < e->n && ok; i++) {
        size_t from = ir_text_offset(n, e->v[i].loff, false);
        size_t to = e->v[i].llen ? ir_text_offset(n, e->v[i].loff + e->v[i].llen, true) : from;
        if (from < at || to < from || to > n->text.n ||
            has_comment_line(n->text.p + from, to - from)) {
            ok = false;
            break;
        }
        buf_put(&b, n->text.p + at, from - at);
        buf_put_slice(&b, e->v[i].ins);
        at = to;
    }
    df_slice out = {NULL, 0};
    if (ok) {
        buf_put(&b, n->text.p + at, n->text.n - at);
        out = buf_to_arena(&b, &doc->arena);
    }
    buf_free(&b);
    free(e->v);
    *e = (ir_edits){0};
    return out;
}

df_node *rw_new_node(df_doc *doc, df_slice text)
{
    if (!text.p || text.n == 0)
        return NULL;
    df_diags quiet = {0};
    df_node *fresh = ir_node_from_text(doc, text, &quiet);
    bool ok = fresh && quiet.nerrors == 0;
    diags_release(&quiet);
    return ok ? fresh : NULL;
}

bool rw_set_text(df_doc *doc, df_node *n, df_slice text, df_diags *d)
{
    (void)d; /* reading a Dockerfile instruction reports errors only, and there are none */
    df_node *fresh = rw_new_node(doc, text);
    if (!fresh)
        return false;
    ir_node_adopt(doc, n, fresh);
    return true;
}

df_slice rw_text_from(const df_node *n, size_t loff)
{
    size_t at = ir_text_offset(n, loff, false);
    if (at > n->text.n)
        at = n->text.n;
    return (df_slice){n->text.p + at, n->text.n - at};
}

bool rw_may_start_with(df_slice script, char c)
{
    size_t i = 0;
    while (i < script.n && (script.p[i] == ' ' || script.p[i] == '\t' || script.p[i] == '\n' ||
                            script.p[i] == '\r' || script.p[i] == '\\'))
        i++;
    return i < script.n && (script.p[i] == c || script.p[i] == '\'' || script.p[i] == '"' ||
                            script.p[i] == '#');
}

bool rw_has_comment_lines(df_slice text)
{
    return has_comment_line(text.p, text.n);
}

bool rw_lead_blank(df_slice lead)
{
    for (size_t i = 0; i < lead.n; i++)
        if (!strchr(" \t\r\n", lead.p[i]))
            return false;
    return true;
}

static bool ends_nl(const df_node *n)
{
    return n->text.n && n->text.p[n->text.n - 1] == '\n';
}

/* Gives x a final newline (add) or takes it away. */
static void set_final_newline(df_doc *doc, df_node *x, bool add, df_diags *d)
{
    df_buf b = {0};
    if (add) {
        buf_put_slice(&b, x->text);
        buf_put_slice(&b, ir_newline(doc));
    } else {
        size_t len = x->text.n;
        if (len && x->text.p[len - 1] == '\n')
            len--;
        if (len && x->text.p[len - 1] == '\r')
            len--;
        buf_put(&b, x->text.p, len);
    }
    df_slice t = buf_to_arena(&b, &doc->arena);
    buf_free(&b);
    if (!ir_node_set_text(doc, x, t, d))
        die("cannot re-terminate a moved instruction");
}

/* After a move: every node but the last ends in a newline; the last one does when the file's
 * last node did before (unterminated: it did not). */
static void fix_newlines(df_doc *doc, df_node *a, df_node *b, df_node *old_tail,
                         bool unterminated, df_diags *d)
{
    df_node *touched[3] = {a, b, old_tail};
    for (size_t i = 0; i < 3; i++) {
        df_node *x = touched[i];
        if (!x)
            continue;
        if (x != doc->tail && !ends_nl(x))
            set_final_newline(doc, x, true, d);
    }
    if (unterminated && doc->tail && ends_nl(doc->tail) && doc->trailer.n == 0)
        set_final_newline(doc, doc->tail, false, d);
}

void rw_move_before(df_doc *doc, df_node *n, df_node *at, df_diags *d)
{
    if (n == at || n->next == at)
        return;
    df_node *old_tail = doc->tail;
    bool unterminated = !ends_nl(old_tail);
    ir_unlink(doc, n);
    ir_insert_before(doc, at, n);
    n->stage = at->stage;
    n->flags |= DF_N_EDITED; /* out of source order now */
    fix_newlines(doc, n, at, old_tail, unterminated, d);
}

void rw_move_after(df_doc *doc, df_node *n, df_node *at, df_diags *d)
{
    if (n == at || at->next == n)
        return;
    df_node *old_tail = doc->tail;
    bool unterminated = !ends_nl(old_tail);
    ir_unlink(doc, n);
    ir_insert_after(doc, at, n);
    n->stage = at->stage;
    n->flags |= DF_N_EDITED; /* out of source order now */
    fix_newlines(doc, n, at, old_tail, unterminated, d);
}

void rw_remove(df_doc *doc, df_node *n, df_diags *d)
{
    (void)d;
    if (!rw_lead_blank(n->lead)) {
        df_buf b = {0};
        buf_put_slice(&b, n->lead);
        if (n->next) {
            buf_put_slice(&b, n->next->lead);
            n->next->lead = buf_to_arena(&b, &doc->arena);
        } else {
            buf_put_slice(&b, doc->trailer);
            doc->trailer = buf_to_arena(&b, &doc->arena);
        }
        buf_free(&b);
    }
    ir_unlink(doc, n);
}

df_slice rw_line(df_doc *doc, const df_node *like, const char *upper, df_slice rest)
{
    df_buf b = {0};
    ir_keyword(like, &b, upper);
    buf_putc(&b, ' ');
    buf_put_slice(&b, rest);
    buf_put_slice(&b, ir_newline(doc));
    df_slice t = buf_to_arena(&b, &doc->arena);
    buf_free(&b);
    return t;
}

/* ---- working directory ---- */

/* The stage tables of a walk over more stages than this are the heap's, given back by
 * rw_wd_free: every pass that walks the document makes its own, in every round, and the arena
 * would keep a large document's until the document goes. Below it, a few bytes per stage in
 * the arena cost less than a heap allocation. */
enum { WD_ARENA_STAGES = 64 };

void rw_wd_init(rw_wd *w, df_doc *doc)
{
    /* both tables in one piece: final, then onbuild */
    size_t n = doc->nstages + 1, size = n * (sizeof *w->final + sizeof *w->onbuild);
    char *v = n > WD_ARENA_STAGES ? xcalloc(1, size) : arena_alloc(&doc->arena, size);
    w->nstages = doc->nstages;
    w->final = (df_slice *)v;
    w->onbuild = (bool *)(v + n * sizeof *w->final);
    w->cur = (df_slice){NULL, 0};
    w->stage = -1;
}

static void rw_wd_skip(rw_wd *w, int s)
{
    if (s - 1 == w->stage)
        return; /* nothing between: the FROM of s ends the stage walked */
    if (w->stage >= 0 && (size_t)w->stage < w->nstages)
        w->final[w->stage] = w->cur;
    w->stage = s - 1; /* the FROM of s stores this unknown directory as stage s - 1's */
    w->cur = (df_slice){NULL, 0};
}

df_node *rw_wd_skip_to(rw_wd *w, const df_doc *doc, const bool *walk, const df_node *n)
{
    size_t s = (size_t)n->stage;
    while (s < doc->nstages && !walk[s])
        s++;
    if (s == doc->nstages)
        return NULL;
    rw_wd_skip(w, (int)s);
    return doc->stages[s].from;
}

bool *rw_stages_for(df_doc *doc, const df_node *first, bool (*wanted)(const df_node *))
{
    bool *walk = arena_alloc(&doc->arena, doc->nstages + 1);
    for (const df_node *n = first; n; n = ir_walk_next(doc, n))
        if (n->stage >= 0 && (size_t)n->stage < doc->nstages && wanted(n))
            walk[n->stage] = true;
    for (size_t s = doc->nstages; s-- > 0;) { /* a base stage comes before the stages on it */
        int b = doc->stages[s].base_stage;
        if (walk[s] && b >= 0 && (size_t)b < s)
            walk[b] = true;
    }
    return walk;
}

void rw_wd_free(rw_wd *w)
{
    if (w->nstages + 1 > WD_ARENA_STAGES)
        free(w->final);
    w->final = NULL;
    w->onbuild = NULL;
}

/* Is absolute path p already what rw_path_clean makes of it: no empty, "." or ".." element,
 * no trailing slash but the root's? */
static bool path_is_clean(df_slice p)
{
    if (p.n > 1 && p.p[p.n - 1] == '/')
        return false;
    for (size_t i = 0; i < p.n; i++) {
        if (p.p[i] != '/')
            continue;
        /* the element after this slash: empty, "." or ".." */
        size_t e = i + 1;
        while (e < p.n && p.p[e] != '/')
            e++;
        size_t len = e - i - 1;
        if ((len == 0 && e < p.n) || (len == 1 && p.p[i + 1] == '.') ||
            (len == 2 && p.p[i + 1] == '.' && p.p[i + 2] == '.'))
            return false;
        i = e - 1;
    }
    return true;
}

df_slice rw_wd_resolve(df_doc *doc, df_slice wd, df_slice path)
{
    if (!rw_literal(doc, path))
        return (df_slice){NULL, 0};
    if (rw_path_abs(path))
        return path_is_clean(path) ? path : rw_path_clean(&doc->arena, path);
    if (wd.n == 0)
        return (df_slice){NULL, 0};
    df_slice abs = rw_path_join(&doc->arena, wd, path);
    return abs.n < RW_PATH_MAX ? abs : (df_slice){NULL, 0};
}

void rw_wd_change(rw_wd *w, df_doc *doc, const df_node *n)
{
    if (n->kind == DF_FROM) {
        if (w->stage >= 0 && (size_t)w->stage < w->nstages)
            w->final[w->stage] = w->cur;
        w->stage++;
        w->cur = (df_slice){NULL, 0};
        if ((size_t)w->stage < doc->nstages) {
            const df_stage *s = &doc->stages[w->stage];
            if (s->base_stage >= 0 && s->base_stage < w->stage)
                w->cur = w->onbuild[s->base_stage] ? (df_slice){NULL, 0}
                                                    : w->final[s->base_stage];
            else if (slice_eq_nocase(s->base_expanded, "scratch"))
                w->cur = SLICE("/");
        }
    } else if (n->kind == DF_ONBUILD) {
        if (w->stage >= 0 && (size_t)w->stage < w->nstages)
            w->onbuild[w->stage] = true;
    } else if (n->kind == DF_WORKDIR) {
        w->cur = n->nargs == 1 ? rw_wd_resolve(doc, w->cur, n->args[0].v) : (df_slice){NULL, 0};
    }
}

/* ---- RUN footprint ---- */

typedef struct fpb {
    df_doc *doc;
    rw_footprint *fp;
    df_slice wd;
    size_t cap;
} fpb;

static bool refuse(fpb *f, const char *why)
{
    if (f->fp->ok) {
        f->fp->ok = false;
        f->fp->why = why;
    }
    return false;
}

static bool add_path(fpb *f, df_slice p)
{
    /* most paths are written clean: kept as they are, nothing copied */
    df_slice abs = rw_path_abs(p) ? (path_is_clean(p) ? p : rw_path_clean(&f->doc->arena, p))
                   : f->wd.n       ? rw_path_join(&f->doc->arena, f->wd, p)
                                   : (df_slice){NULL, 0};
    if (!abs.n)
        return refuse(f, "a relative path and an unknown working directory");
    if (f->fp->npaths == f->cap) {
        /* most scripts name a path or two, and their footprints are kept (rw_run_footprint) */
        f->cap = f->cap ? f->cap * 2 : 2;
        df_slice *v = arena_alloc_raw(&f->doc->arena, f->cap * sizeof *v);
        if (f->fp->npaths)
            memcpy(v, f->fp->paths, f->fp->npaths * sizeof *v);
        f->fp->paths = v;
    }
    f->fp->paths[f->fp->npaths++] = abs;
    return true;
}

/* A path word: a glob, or a brace that bash (often /bin/sh) would expand, stands for the
 * directory its fixed prefix names. */
static bool add_path_word(fpb *f, const sh_word *w)
{
    df_slice v = w->value;
    if (w->glob || memchr(v.p, '{', v.n)) {
        size_t cut = 0;
        while (cut < v.n && !strchr("*?[{", v.p[cut]))
            cut++;
        while (cut > 0 && v.p[cut - 1] != '/')
            cut--;
        v.n = cut;
        if (v.n == 0)
            v = SLICE(".");
    }
    return add_path(f, v);
}

/* What a program of an understood script does (see rw_run_footprint). */
typedef enum tool_kind {
    TOOL_UNKNOWN,
    TOOL_PKG,     /* package managers */
    TOOL_ACCOUNT, /* account tools */
    TOOL_FILE,    /* file tools: their operands are paths */
    TOOL_SYSTEM,  /* system commands that read the system configuration */
    TOOL_NEUTRAL, /* no effect on files */
    TOOL_EXPORT,  /* export: variables for the programs after it */
} tool_kind;

/* Sorted by first letter (tool_of bisects on it). */
#define TOOL(name, kind) {name, sizeof name - 1, kind}
static const struct tool {
    const char *name;
    size_t len;
    tool_kind kind;
} tools[] = {
    TOOL(":", TOOL_NEUTRAL),
    TOOL("apt-get", TOOL_PKG), TOOL("apt", TOOL_PKG), TOOL("apk", TOOL_PKG),
    TOOL("adduser", TOOL_ACCOUNT), TOOL("addgroup", TOOL_ACCOUNT),
    TOOL("chmod", TOOL_FILE), TOOL("chown", TOOL_FILE), TOOL("chgrp", TOOL_FILE),
    TOOL("cp", TOOL_FILE),
    TOOL("dnf", TOOL_PKG),
    TOOL("echo", TOOL_NEUTRAL), TOOL("export", TOOL_EXPORT),
    TOOL("groupadd", TOOL_ACCOUNT),
    TOOL("ldconfig", TOOL_SYSTEM), TOOL("ln", TOOL_FILE), TOOL("locale-gen", TOOL_SYSTEM),
    TOOL("microdnf", TOOL_PKG), TOOL("mkdir", TOOL_FILE), TOOL("mv", TOOL_FILE),
    TOOL("printf", TOOL_NEUTRAL),
    TOOL("rm", TOOL_FILE), TOOL("rmdir", TOOL_FILE),
    TOOL("set", TOOL_NEUTRAL), TOOL("sleep", TOOL_NEUTRAL),
    TOOL("tdnf", TOOL_PKG), TOOL("touch", TOOL_FILE), TOOL("true", TOOL_NEUTRAL),
    TOOL("useradd", TOOL_ACCOUNT), TOOL("update-ca-certificates", TOOL_SYSTEM),
    TOOL("yum", TOOL_PKG),
    TOOL("zypper", TOOL_PKG),
};
#undef TOOL

/* One look-up per command: the names that share prog's first letter, found by bisection. */
static tool_kind tool_of(df_slice prog)
{
    if (prog.n == 0)
        return TOOL_UNKNOWN;
    unsigned char c0 = (unsigned char)prog.p[0];
    size_t lo = 0, hi = sizeof tools / sizeof *tools;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((unsigned char)tools[mid].name[0] < c0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < sizeof tools / sizeof *tools && (unsigned char)tools[lo].name[0] == c0; lo++)
        if (prog.n == tools[lo].len && memcmp(prog.p, tools[lo].name, prog.n) == 0)
            return tools[lo].kind;
    return TOOL_UNKNOWN;
}

/* The part of a word that names a path, if any: `--root=/x` names /x. */
static df_slice path_part(df_slice v)
{
    for (size_t i = v.n; i-- > 0;)
        if (v.p[i] == '=' && i + 1 < v.n && v.p[i + 1] == '/')
            return (df_slice){v.p + i + 1, v.n - i - 1};
    return v;
}

static bool is_url(df_slice v)
{
    for (size_t i = 0; i + 2 < v.n; i++)
        if (v.p[i] == ':' && v.p[i + 1] == '/' && v.p[i + 2] == '/')
            return true;
    return false;
}

static bool has_slash(df_slice v)
{
    return memchr(v.p, '/', v.n) != NULL;
}

/* Could v name a path or a URL, or expand (bash braces) to one? */
static bool has_slash_or_brace(df_slice v)
{
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] == '/' || v.p[i] == '{')
            return true;
    return false;
}

/* Does a package manager's operand name a package file (.deb, .rpm, .apk)? */
static bool package_file(df_slice v)
{
    if (v.n < 4 || v.p[v.n - 4] != '.')
        return false;
    df_slice ext = {v.p + v.n - 3, 3};
    return slice_eq_str(ext, "deb") || slice_eq_str(ext, "rpm") || slice_eq_str(ext, "apk");
}

/* c's footprint; p is its program word (sh_program), before c->nwords. */
static bool command_footprint(fpb *f, const sh_cmd *c, size_t p, df_slice script)
{
    const sh_word *pw = &c->words[p];
    if (!pw->literal)
        return refuse(f, "a command named by a variable");
    df_slice prog = pw->value;
    if (has_slash(prog)) {
        if (!add_path(f, prog))
            return false;
        prog = rw_path_base(prog);
    }
    tool_kind kind = tool_of(prog);
    bool pkg = kind == TOOL_PKG, account = kind == TOOL_ACCOUNT;
    bool files = kind == TOOL_FILE, sys = kind == TOOL_SYSTEM;
    if (kind == TOOL_EXPORT)
        return true; /* variables for the known programs after it */
    if (kind == TOOL_NEUTRAL) {
        if (slice_eq_str(prog, "set"))
            for (size_t i = p + 1; i < c->nwords; i++) {
                df_slice v = c->words[i].value;
                if (!c->words[i].literal || !v.n || (v.p[0] != '-' && v.p[0] != '+' &&
                                                     !slice_eq_str(v, "pipefail")))
                    return refuse(f, "set with positional parameters");
            }
        return true;
    }
    if (kind == TOOL_UNKNOWN)
        return refuse(f, "a program whose effects are not known");
    bool owner = files && (slice_eq_str(prog, "chown") || slice_eq_str(prog, "chgrp"));
    if (pkg || account || sys || owner)
        f->fp->system = true; /* chown and chgrp read the account database */
    if (pkg || sys)
        f->fp->config = true;
    bool operand_seen = false, options_done = false;
    for (size_t i = p + 1; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        df_slice raw = {script.p + w->off, w->len};
        if (!w->literal) {
            if (has_slash(raw) || files || account)
                return refuse(f, "a path that depends on a variable");
            continue; /* a package name or version with a variable */
        }
        df_slice v = w->value;
        if (!files && !has_slash_or_brace(v)) {
            /* a package name or an option: neither a URL nor, unless a glob or a package
             * file, a path (path_part(v) is v) */
            if ((w->glob || (pkg && package_file(v))) && !add_path_word(f, w))
                return false;
            continue;
        }
        if (is_url(v))
            continue;
        bool option = !options_done && v.n > 1 && v.p[0] == '-';
        if (slice_eq_str(v, "--")) {
            options_done = true;
            continue;
        }
        if (files) {
            if (option) {
                /* an option's value may name a path: --reference=/x, --target-directory=d */
                const char *eq = memchr(v.p, '=', v.n);
                if (eq) {
                    sh_word ow = *w;
                    ow.value = (df_slice){eq + 1, v.n - (size_t)(eq + 1 - v.p)};
                    df_slice name = {v.p, (size_t)(eq - v.p)};
                    if (ow.value.n && (has_slash(ow.value) || ow.value.p[0] == '.' ||
                                       slice_eq_str(name, "--reference") ||
                                       slice_eq_str(name, "--target-directory")) &&
                        !add_path_word(f, &ow))
                        return false;
                }
                continue;
            }
            if (!operand_seen && (owner || slice_eq_str(prog, "chmod"))) {
                operand_seen = true; /* the mode or owner (or a --reference file) */
                if (has_slash(v) && !add_path_word(f, w))
                    return false;
                continue;
            }
            operand_seen = true;
            if (!add_path_word(f, w))
                return false;
            continue;
        }
        df_slice part = path_part(v);
        if (has_slash(part) || w->glob || memchr(v.p, '{', v.n) || (pkg && package_file(v))) {
            sh_word pw2 = *w;
            pw2.value = part;
            if (!add_path_word(f, &pw2))
                return false;
        }
    }
    return true;
}

/* Is the program word cd, chdir, pushd or popd? */
static bool changes_directory(const sh_word *w)
{
    df_slice v = w->value;
    if (!w->literal || v.n < 2 || v.n > 5 || (v.p[0] != 'c' && v.p[0] != 'p'))
        return false;
    return (v.n == 2 && memcmp(v.p, "cd", 2) == 0) || (v.n == 5 && memcmp(v.p, "chdir", 5) == 0) ||
           (v.n == 5 && memcmp(v.p, "pushd", 5) == 0) || (v.n == 4 && memcmp(v.p, "popd", 4) == 0);
}

static void footprint_of(df_doc *doc, const df_node *n, df_slice wd, rw_footprint *fp)
{
    memset(fp, 0, sizeof *fp);
    fp->ok = true;
    fpb f = {doc, fp, wd, 0};
    if (n->kind != DF_RUN || (n->flags & DF_N_JSON) || n->nheredocs || n->nargs != 1) {
        refuse(&f, "not a shell-form RUN");
        return;
    }
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice fl = n->bflags[i].v, v;
        if (slice_has_prefix(fl, "--network=") || slice_has_prefix(fl, "--security="))
            continue;
        if (!slice_has_prefix(fl, "--mount=")) {
            refuse(&f, "a RUN flag");
            return;
        }
        df_slice m = {fl.p + 8, fl.n - 8};
        if (memchr(m.p, '"', m.n) || memchr(m.p, '\'', m.n) || memchr(m.p, '$', m.n)) {
            refuse(&f, "a quoted or variable --mount");
            return;
        }
        if (rw_mount_key(m, "target", &v) || rw_mount_key(m, "dst", &v) ||
            rw_mount_key(m, "destination", &v)) {
            if (!add_path(&f, v))
                return;
        } else if (!rw_mount_key(m, "type", &v) ||
                   !(slice_eq_str(v, "secret") || slice_eq_str(v, "ssh"))) {
            refuse(&f, "a --mount without a target");
            return;
        } else {
            fp->system = true; /* secrets and ssh sockets mount under /run */
        }
    }
    fp->run = n;
    sh_script sc;
    if (!sh_parse_node(doc, n, &sc)) {
        refuse(&f, sc.why);
        return;
    }
    if (sc.compound || sc.heredoc || sc.background) {
        refuse(&f, "a compound command, heredoc or background job");
        return;
    }
    for (size_t i = 0; i < sc.ncmds; i++) {
        const sh_cmd *c = &sc.cmds[i];
        size_t p = sh_program(c);
        if (p < c->nwords && changes_directory(&c->words[p])) {
            refuse(&f, "a cd");
            return;
        }
        if (c->nredirs) {
            refuse(&f, "a redirection");
            return;
        }
        if (p >= c->nwords) {
            if (c->nwords != c->nassign) {
                refuse(&f, "an unknown command");
                return;
            }
            continue;
        }
        if (!command_footprint(&f, c, p, n->args[0].v))
            return;
    }
}

/* rw_run_footprint's answers for one reading of a RUN's script (sh_footprint_note), for the
 * last two working directories asked about (hoist asks in the stage's directory,
 * late-metadata in "/"). A footprint depends only on the node's flags and script, which the
 * reading is kept with (new text, new reading), and on the directory; the passes' later
 * rounds ask again about RUNs that nothing changed. */
typedef struct fp_memo {
    struct {
        df_slice wd;      /* wd.p == NULL: nothing known yet */
        const char *why;
        df_slice *paths;
        uint32_t npaths;  /* paths are words of the script */
        bool ok, system, config;
    } v[2];               /* the footprint's fields but run, which is the node asking */
    unsigned next;
} fp_memo;

/* wd as the memo keeps it: the caller's may not last, but the source's slices and "/" do */
static df_slice kept_dir(df_doc *doc, df_slice wd)
{
    if (wd.n == 0)
        return (df_slice){"", 0};
    if (wd.p >= doc->src.p && wd.p + wd.n <= doc->src.p + doc->src.n)
        return wd;
    if (wd.n == 1 && wd.p[0] == '/')
        return SLICE("/");
    return arena_slice(&doc->arena, wd.p, wd.n);
}

void rw_run_footprint(df_doc *doc, const df_node *n, df_slice wd, rw_footprint *fp)
{
    void **slot = sh_footprint_note(n);
    fp_memo *m = slot ? *slot : NULL;
    for (size_t i = 0; m && i < 2; i++)
        if (m->v[i].wd.p && m->v[i].wd.n == wd.n &&
            (wd.n == 0 || memcmp(m->v[i].wd.p, wd.p, wd.n) == 0)) {
            *fp = (rw_footprint){m->v[i].ok, m->v[i].why, m->v[i].system, m->v[i].config,
                                 m->v[i].paths, m->v[i].npaths, n};
            return;
        }
    footprint_of(doc, n, wd, fp);
    if (!(slot = sh_footprint_note(n))) /* refused before the script was read */
        return;
    if (!*slot)
        *slot = arena_alloc(&doc->arena, sizeof *m);
    m = *slot;
    unsigned k = m->next++ & 1;
    m->v[k].wd = kept_dir(doc, wd);
    m->v[k].why = fp->why;
    m->v[k].paths = fp->paths;
    m->v[k].npaths = (uint32_t)fp->npaths;
    m->v[k].ok = fp->ok;
    m->v[k].system = fp->system;
    m->v[k].config = fp->config;
}

bool rw_env_read(df_slice name)
{
    static const char *const exact[] = {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TMPDIR", "TMP", "TEMP", "LANG",
        "LANGUAGE", "TZ", "PWD", "OLDPWD", "IFS", "PS1", "PS2", "PS4", "ENV", "BASH_ENV",
        "CDPATH", "MAIL", "MAILPATH", "EDITOR", "VISUAL", "PAGER", "POSIXLY_CORRECT",
        "HOSTNAME", "COLUMNS", "LINES", "NO_COLOR", "TERMINFO", "GCONV_PATH", "SOURCE_DATE_EPOCH",
        "OPTIND", "OPTARG", "PPID", "UID", "EUID", "SHLVL", "HISTFILE", NULL,
    };
    static const char *const prefix[] = {
        "LC_", "LD_", "DEBIAN_", "DEBCONF_", "DPKG_", "APT_", "APK_", "DNF_", "YUM", "ZYPP",
        "RPM", "SSL_", "GNUPG", "GPG", "XDG_", "MALLOC", "NLS", "BASH", "ZSH", "SUDO_", NULL,
    };
    if (name.n == 0)
        return false;
    /* the names above are upper case: compare first letters before whole names */
    char first = name.p[0];
    if (first >= 'a' && first <= 'z')
        first = (char)(first - 'a' + 'A');
    for (size_t i = 0; exact[i]; i++)
        if (exact[i][0] == first && slice_eq_nocase(name, exact[i]))
            return true;
    for (size_t i = 0; prefix[i]; i++) {
        if (prefix[i][0] != first)
            continue;
        size_t k = strlen(prefix[i]);
        if (name.n >= k && strncasecmp(name.p, prefix[i], k) == 0)
            return true;
    }
    static const char suffix[] = "_proxy";
    size_t k = sizeof suffix - 1;
    return name.n >= k && strncasecmp(name.p + name.n - k, suffix, k) == 0;
}

/* ---- misc ---- */

bool rw_mount_key(df_slice m, const char *key, df_slice *value)
{
    size_t kn = strlen(key);
    size_t i = 0;
    while (i <= m.n) {
        size_t e = i;
        while (e < m.n && m.p[e] != ',')
            e++;
        df_slice item = {m.p + i, e - i};
        if (item.n >= kn && memcmp(item.p, key, kn) == 0) {
            if (item.n == kn) {
                *value = (df_slice){item.p + kn, 0};
                return true;
            }
            if (item.p[kn] == '=') {
                *value = (df_slice){item.p + kn + 1, item.n - kn - 1};
                return true;
            }
        }
        i = e + 1;
    }
    return false;
}

/* ---- merging ENV and LABEL ---- */

static bool kv_form(const df_doc *doc, const df_node *n)
{
    if (n->nargs < 3 || n->nargs % 3 || n->nheredocs || n->nbflags)
        return false;
    for (size_t i = 0; i < n->nargs; i += 3)
        if (!slice_eq_str(n->args[i + 2].v, "=") || !rw_literal(doc, n->args[i].v))
            return false;
    return true;
}

typedef struct keyset {
    df_slice *v;
    size_t n, cap;
} keyset;

static void keys_add(keyset *k, const df_node *n)
{
    for (size_t i = 0; i < n->nargs; i += 3) {
        if (k->n == k->cap) {
            k->cap = k->cap ? k->cap * 2 : 16;
            k->v = xrealloc(k->v, k->cap * sizeof *k->v);
        }
        k->v[k->n++] = n->args[i].v;
    }
}

static bool refers_to(df_doc *doc, const df_node *m, const keyset *k)
{
    for (size_t i = 0; i < m->nargs; i += 3) {
        df_slice *names;
        size_t nn = expand_references(&doc->arena, m->args[i + 1].v, doc->escape, &names);
        for (size_t a = 0; a < nn; a++)
            for (size_t b = 0; b < k->n; b++)
                if (slice_eq(names[a], k->v[b]))
                    return true;
    }
    return false;
}

/* The indentation of the last line of a multi-line text; false for a single line. */
static bool last_indent(df_slice t, df_slice *indent)
{
    while (t.n && strchr(" \t\r\n", t.p[t.n - 1]))
        t.n--;
    size_t ls = t.n;
    while (ls > 0 && t.p[ls - 1] != '\n')
        ls--;
    if (ls == 0)
        return false;
    size_t e = ls;
    while (e < t.n && (t.p[e] == ' ' || t.p[e] == '\t'))
        e++;
    *indent = (df_slice){t.p + ls, e - ls};
    return true;
}

/* n's text followed by a continuation and m's pairs as written, indented like n's continuation
 * lines, else like m's, else under the first key. */
static df_slice joined(df_doc *doc, const df_node *n, const df_node *m)
{
    df_slice t = n->text;
    while (t.n && strchr(" \t\r\n", t.p[t.n - 1]))
        t.n--;
    df_buf b = {0};
    buf_put_slice(&b, t);
    buf_putc(&b, ' ');
    buf_putc(&b, doc->escape);
    buf_put_slice(&b, ir_newline(doc));
    df_slice indent;
    if (last_indent(n->text, &indent) || last_indent(m->text, &indent))
        buf_put_slice(&b, indent);
    else
        for (size_t i = 0; i <= n->keyword.n; i++)
            buf_putc(&b, ' ');
    buf_put_slice(&b, rw_text_from(m, m->rest_off));
    df_slice out = buf_to_arena(&b, &doc->arena);
    buf_free(&b);
    return out;
}

/* Does the merged instruction read as n's pairs followed by m's, exactly? (A value with an
 * unbalanced quote would swallow the continuation and what follows.) */
static bool reads_as_pairs_of(const df_node *merged, const df_node *n, const df_node *m)
{
    if (merged->nargs != n->nargs + m->nargs)
        return false;
    for (size_t i = 0; i < n->nargs; i++)
        if (!slice_eq(merged->args[i].v, n->args[i].v))
            return false;
    for (size_t i = 0; i < m->nargs; i++)
        if (!slice_eq(merged->args[n->nargs + i].v, m->args[i].v))
            return false;
    return true;
}

bool rw_merge_kv(df_doc *doc, df_kind kind, bool independent, df_diags *d)
{
    bool changed = false;
    keyset keys = {0};
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        /* only a run of at least two can merge */
        if (n->kind != kind || !n->next || n->next->kind != kind || n->next->stage != n->stage ||
            !kv_form(doc, n))
            continue;
        keys.n = 0;
        keys_add(&keys, n); /* n's own keys count: a second run sees the merged instruction */
        for (df_node *m = n->next; m && m->kind == kind && m->stage == n->stage;
             m = n->next) {
            if (!kv_form(doc, m) || !rw_lead_blank(m->lead) || keys.n > 256 ||
                (independent && refers_to(doc, m, &keys)))
                break; /* (at most 256 keys: the dependency check stays linear) */
            df_slice text = joined(doc, n, m);
            df_node *check = rw_new_node(doc, text);
            if (!check || !reads_as_pairs_of(check, n, m))
                break;
            size_t before = n->nargs;
            keys_add(&keys, m);
            ir_node_adopt(doc, n, check); /* what rw_set_text(doc, n, text) would read again */
            if (n->nargs != before + m->nargs)
                break;
            rw_remove(doc, m, d);
            changed = true;
        }
    }
    free(keys.v);
    return changed;
}

void rw_dirs_add(rw_dirs *k, df_slice dir)
{
    if (!dir.n || k->n == RW_DIRS_LIMIT)
        return;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 8;
        k->v = xrealloc(k->v, k->cap * sizeof *k->v);
    }
    k->v[k->n++] = dir;
}

bool rw_dirs_has(const rw_dirs *k, df_slice dir)
{
    if (slice_eq_str(dir, "/"))
        return true;
    for (size_t i = 0; i < k->n; i++)
        if (rw_path_under(k->v[i], dir))
            return true;
    return false;
}
