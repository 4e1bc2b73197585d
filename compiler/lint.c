/*
 * lint.c: `dfopt lint`, findings with exact positions and fixes, for people and review bots.
 *
 *   dfopt lint [options] FILE...
 *
 * For each file: parse it (a parse error is a DF000 finding), run the checks of lint_checks.c
 * over the untouched document, then run the selected passes one at a time and turn what each
 * changes into findings whose fixes are the pass's exact edit (below). Suppressions (pragmas,
 * `# check=skip=`, the config) are applied, positions and fingerprints computed, and all files
 * are rendered in the order given, whatever --jobs is.
 *
 * Findings from passes
 * --------------------
 * Before each pass the document is printed, after it printed again, and the line diff between
 * the two (diff_hunks) says what the pass changed. Passes run one after the other, so a later
 * pass sees the earlier ones' output; to report against the original file, every line of the
 * current text carries the original line it still is (or -1 for a line a pass wrote). A hunk's
 * region is the stretch of original lines between the nearest surviving lines around it.
 * At the end the original lines that survived every pass cut the file into gaps; each gap
 * that changed is one fix (the original lines of the gap are replaced by the final lines between
 * the same survivors), reported once per pass whose regions fall in it. Two passes that touch
 * the same or adjacent lines thus share one fix: the first pass's finding carries it, the
 * others refer to it. The fixes never overlap, and applying all of them gives exactly the text
 * the passes print; the work is linear in the size of the texts per pass.
 */
#include "lint.h"
#include "anchor.h"
#include "diff.h"
#include "io.h"
#include "parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

/* ---- the rule table ---- */

const lint_rule lint_rules[R_COUNT] = {
#define X(e, id, nm, sev, fl, dl, bk, msg, expl) [R_##e] = {id, nm, sev, fl, dl, bk, msg, expl},
    LINT_RULES(X)
#undef X
};

static const char *const severity_names[] = {"style", "info", "warning", "error", "none"};

const char *lint_severity_name(lint_severity s)
{
    return severity_names[s];
}

bool lint_severity_parse(const char *s, size_t n, bool allow_none, lint_severity *out)
{
    for (int i = SEV_STYLE; i <= SEV_NONE; i++) {
        if (strlen(severity_names[i]) == n && strncasecmp(s, severity_names[i], n) == 0) {
            if (i == SEV_NONE && !allow_none)
                return false;
            *out = (lint_severity)i;
            return true;
        }
    }
    return false;
}

/* Is tok one of the comma-separated items of list (case-insensitive)? */
static bool in_list(const char *list, const char *tok, size_t n)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncasecmp(p, tok, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

bool lint_rule_matches(const lint_rule *r, const char *tok, size_t n)
{
    return (strlen(r->id) == n && strncasecmp(r->id, tok, n) == 0) ||
           (strlen(r->name) == n && strncasecmp(r->name, tok, n) == 0) ||
           (r->hadolint[0] && in_list(r->hadolint, tok, n)) ||
           (r->buildkit[0] && in_list(r->buildkit, tok, n));
}

const lint_rule *lint_rule_find(const char *s, size_t n)
{
    for (size_t i = 0; i < R_COUNT; i++) {
        const lint_rule *r = &lint_rules[i];
        if ((strlen(r->id) == n && strncasecmp(r->id, s, n) == 0) ||
            (strlen(r->name) == n && strncasecmp(r->name, s, n) == 0))
            return r;
    }
    return NULL;
}

const lint_rule *lint_rule_for_pass(const char *name)
{
    for (size_t i = R_PASS_GENERIC + 1; i < R_COUNT; i++) /* the pass rules come last */
        if ((lint_rules[i].flags & LR_PASS) && lint_rules[i].name[0] == name[0] &&
            strcmp(lint_rules[i].name, name) == 0)
            return &lint_rules[i];
    return &lint_rules[R_PASS_GENERIC];
}

static size_t rule_index(const lint_rule *r)
{
    return (size_t)(r - lint_rules);
}

/* ---- files, lines, positions ---- */

void lint_file_init(lint_file *f, const char *path, char *src, size_t len)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    f->src = src;
    f->len = len;
    /* a line starts at 0 and after every '\n' but a final one */
    const char *end = src + len - (len > 0), *q;
    size_t n = 1;
    for (q = src; len > 0 && (q = memchr(q, '\n', (size_t)(end - q))); q++)
        n++;
    f->lines = xmalloc(n * sizeof *f->lines);
    f->nlines = 0;
    if (f->len == 0) {
        f->lines[0] = 0;
        return;
    }
    f->lines[f->nlines++] = 0;
    for (q = src; (q = memchr(q, '\n', (size_t)(end - q))); q++)
        f->lines[f->nlines++] = (size_t)(q - src) + 1;
}

/* Offset of the start of line k (0-based); the end of the text for k == nlines. */
static size_t line_start(const lint_file *f, size_t k)
{
    return k < f->nlines ? f->lines[k] : f->len;
}

void lint_pos(const lint_file *f, size_t off, size_t *line, size_t *col)
{
    if (f->nlines == 0) {
        *line = *col = 1;
        return;
    }
    if (off >= f->len && f->len > 0 && f->src[f->len - 1] == '\n') {
        *line = f->nlines + 1;
        *col = 1;
        return;
    }
    size_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = lo + 1;
    *col = off - f->lines[lo] + 1;
}

/* The end of the content of the line holding off (before its \r\n or \n). */
static size_t content_end(const lint_file *f, size_t off)
{
    size_t e = off;
    while (e < f->len && f->src[e] != '\n')
        e++;
    while (e > off && f->src[e - 1] == '\r')
        e--;
    return e;
}

/* Sets the finding's line/column fields from off and len (the end exclusive, not past the
 * content of its line). */
static void set_position(const lint_file *f, lint_finding *g)
{
    if (g->line)
        return; /* placed by fix_location */
    lint_pos(f, g->off, &g->line, &g->col);
    if (g->len == 0) {
        g->end_line = g->line;
        g->end_col = g->col;
        return;
    }
    size_t last = g->off + g->len - 1;
    while (last > g->off && (f->src[last] == '\n' || f->src[last] == '\r'))
        last--;
    lint_pos(f, last, &g->end_line, &g->end_col);
    g->end_col++;
}

void lint_set_positions(lint_file *f)
{
    for (size_t i = 0; i < f->n; i++)
        set_position(f, &f->v[i]);
}

static char *read_whole(const char *path, size_t *len, char **err)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    df_buf e = {0};
    if (fd < 0) {
        buf_printf(&e, "dfopt: %s: %s\n", path, strerror(errno));
        *err = e.p;
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        buf_printf(&e, "dfopt: %s: is a directory\n", path);
        *err = e.p;
        close(fd);
        return NULL;
    }
    df_buf b = {0};
    buf_put(&b, "", 0);
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            buf_printf(&e, "dfopt: %s: %s\n", path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > (1u << 30)) {
            buf_printf(&e, "dfopt: %s: larger than the 1 GiB input limit\n", path);
            break;
        }
        buf_put(&b, chunk, (size_t)n);
    }
    if (fd != STDIN_FILENO)
        close(fd);
    if (e.p) {
        buf_free(&b);
        *err = e.p;
        return NULL;
    }
    *len = b.len;
    return b.p;
}

/* ---- findings ---- */

static lint_finding *new_finding(lint_file *f, const lint_rule *r, const lint_config *cfg)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 16;
        f->v = xrealloc(f->v, f->cap * sizeof *f->v);
    }
    lint_finding *g = &f->v[f->n++];
    memset(g, 0, sizeof *g);
    g->rule = r;
    g->seq = f->n - 1;
    size_t i = rule_index(r);
    g->severity = cfg && cfg->sev_set[i] ? cfg->sev[i] : r->severity;
    g->group = SIZE_MAX;
    return g;
}

static char *vformat(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        die("out of memory");
    return s;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *d = xmalloc(n + 1);
    memcpy(d, s, n + 1);
    return d;
}

void lint_report(lint_ctx *cx, lint_rule_id r, size_t off, size_t len, const char *fmt, ...)
{
    if (!cx->cfg->rule_on[r])
        return;
    if (off == SIZE_MAX || off > cx->file->len) {
        off = 0;
        len = 0;
    }
    if (off + len > cx->file->len)
        len = cx->file->len - off;
    lint_finding *g = new_finding(cx->file, &lint_rules[r], cx->cfg);
    g->off = off;
    g->len = len;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        g->message = vformat(fmt, ap);
        va_end(ap);
    } else {
        g->message = xstrdup(lint_rules[r].message);
    }
}

/* ---- suppressions ---- */

/* One `ignore=` list: the rules it names apply to source bytes [from, to). */
typedef struct ignore {
    size_t from, to;
    df_slice list;
    bool global;
} ignore;

typedef struct ignores {
    ignore *v;
    size_t n, cap;
    df_slice check_skip;   /* # check=skip=... */
    bool check_error;      /* # check=error=true */
    bool ordered;          /* neither from nor to decreases along v */
} ignores;

static void add_ignore(ignores *ig, ignore x)
{
    if (ig->n == ig->cap) {
        ig->cap = ig->cap ? 2 * ig->cap : 8;
        ig->v = xrealloc(ig->v, ig->cap * sizeof *ig->v);
    }
    ig->v[ig->n++] = x;
}

/* Does the comma-separated list name rule r? */
static bool list_names(df_slice list, const lint_rule *r)
{
    size_t i = 0;
    while (i < list.n) {
        size_t j = i;
        while (j < list.n && list.p[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && (list.p[a] == ' ' || list.p[a] == '\t'))
            a++;
        while (b > a && (list.p[b - 1] == ' ' || list.p[b - 1] == '\t'))
            b--;
        if (b > a && (lint_rule_matches(r, list.p + a, b - a) ||
                      (b - a == 3 && strncasecmp(list.p + a, "all", 3) == 0)))
            return true;
        i = j + 1;
    }
    return false;
}

static bool skip_word(const char **p, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - *p) < n || strncasecmp(*p, w, n) != 0)
        return false;
    *p += n;
    return true;
}

/* A comment line `# dfopt [global] ignore=LIST` or `# hadolint [global] ignore=LIST`. */
static void pragma_line(ignores *ig, const char *p, const char *end, size_t from, size_t to)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != '#')
        return;
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (!skip_word(&p, end, "dfopt") && !skip_word(&p, end, "hadolint"))
        return;
    if (p >= end || (*p != ' ' && *p != '\t'))
        return;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    bool global = skip_word(&p, end, "global");
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (!skip_word(&p, end, "ignore="))
        return;
    const char *e = p;
    while (e < end && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n')
        e++;
    add_ignore(ig, (ignore){from, to, {p, (size_t)(e - p)}, global});
}

/* The pragmas of a document: each node's lead lines apply to that node (lead and text). */
static void collect_ignores(const df_doc *doc, ignores *ig)
{
    for (const df_node *n = doc->head; n; n = n->next) {
        if (n->src_off == SIZE_MAX || n->lead.n == 0)
            continue;
        size_t lead_off = (size_t)(n->lead.p - doc->src.p);
        const char *p = n->lead.p, *end = n->lead.p + n->lead.n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            pragma_line(ig, p, le, lead_off, n->src_off + n->text.n);
            p = nl ? nl + 1 : end;
        }
    }
    ig->ordered = true;
    for (size_t i = 1; i < ig->n; i++)
        ig->ordered &= ig->v[i].from >= ig->v[i - 1].from && ig->v[i].to >= ig->v[i - 1].to;
    /* # check=skip=A,B;error=true */
    df_slice c = doc->check;
    size_t i = 0;
    while (i < c.n) {
        size_t j = i;
        while (j < c.n && c.p[j] != ';')
            j++;
        df_slice item = {c.p + i, j - i};
        while (item.n && (item.p[0] == ' ' || item.p[0] == '\t'))
            item.p++, item.n--;
        if (item.n >= 5 && strncasecmp(item.p, "skip=", 5) == 0)
            ig->check_skip = (df_slice){item.p + 5, item.n - 5};
        else if (item.n >= 6 && strncasecmp(item.p, "error=", 6) == 0)
            ig->check_error = item.n == 10 && strncasecmp(item.p + 6, "true", 4) == 0;
        i = j + 1;
    }
}

/* Is rule r suppressed for the whole file? */
static bool ignored_globally(const ignores *ig, const lint_rule *r)
{
    for (size_t i = 0; i < ig->n; i++)
        if (ig->v[i].global && list_names(ig->v[i].list, r))
            return true;
    /* check=skip names BuildKit checks; `all` skips every rule that maps to one */
    if (r->buildkit[0] && ig->check_skip.n) {
        if (ig->check_skip.n == 3 && strncasecmp(ig->check_skip.p, "all", 3) == 0)
            return true;
        df_slice s = ig->check_skip;
        size_t i = 0;
        while (i < s.n) {
            size_t j = i;
            while (j < s.n && s.p[j] != ',')
                j++;
            if (j > i && in_list(r->buildkit, s.p + i, j - i))
                return true;
            i = j + 1;
        }
    }
    return false;
}

/* Is finding g suppressed? global[r]: rule r is suppressed for the whole file. */
static bool ignored_at(const ignores *ig, const bool *global, const lint_finding *g)
{
    if (global[rule_index(g->rule)])
        return true;
    if (!ig->ordered) {
        for (size_t i = 0; i < ig->n; i++)
            if (!ig->v[i].global && g->off >= ig->v[i].from && g->off < ig->v[i].to &&
                list_names(ig->v[i].list, g->rule))
                return true;
        return false;
    }
    /* the lists whose range holds g: before the first with from > g->off, back to the last
     * with to <= g->off */
    size_t lo = 0, hi = ig->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ig->v[mid].from <= g->off)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i-- > 0 && ig->v[i].to > g->off;)
        if (!ig->v[i].global && list_names(ig->v[i].list, g->rule))
            return true;
    return false;
}

/* ---- findings from passes ---- */

static bool listed(char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

typedef struct lint_opts {
    int level;              /* -1: the config's, else 1 */
    const char *passes;     /* --passes=LIST, NULL for the level's set */
    const char *skip;       /* --skip=LIST */
} lint_opts;

static bool csv_has(const char *list, const char *name)
{
    return list && in_list(list, name, strlen(name));
}

/* Which passes report: the level's set (or --passes), less --skip, the config's disabled passes
 * and passes whose rule is disabled or globally ignored, plus the config's enabled ones. */
static bool pass_selected(const df_pass *p, const lint_opts *o, const lint_config *cfg,
                          const ignores *ig)
{
    int level = o->level >= 0 ? o->level : cfg->level >= 0 ? cfg->level : 1;
    bool run = o->passes ? csv_has(o->passes, p->name)
                         : level >= p->level || listed(cfg->pass_enable, p->name);
    if (!run || csv_has(o->skip, p->name) || listed(cfg->pass_disable, p->name))
        return false;
    const lint_rule *r = lint_rule_for_pass(p->name);
    return cfg->rule_on[rule_index(r)] && !ignored_globally(ig, r);
}

/* A text split into lines (after each '\n'). */
typedef struct lines {
    const char *p;
    size_t len;
    size_t *start; /* n + 1 entries: start[n] == len */
    size_t n;
} lines;

static void split_lines(lines *l, const char *p, size_t len)
{
    const char *end = p + len, *q;
    size_t n = 0;
    for (q = p; len > 0 && (q = memchr(q, '\n', (size_t)(end - q))); q++)
        n++;
    n += len > 0 && p[len - 1] != '\n';
    l->p = p;
    l->len = len;
    l->n = n;
    l->start = xmalloc((n + 1) * sizeof *l->start);
    size_t k = 0;
    l->start[k++] = 0;
    for (q = p; k < n && (q = memchr(q, '\n', (size_t)(end - q))); q++)
        l->start[k++] = (size_t)(q - p) + 1;
    l->start[n] = len;
}

/* A pass's change as a region of original lines [lo, hi). */
typedef struct region {
    size_t pass;   /* index in pipeline[] */
    size_t lo, hi;
} region;

typedef struct regions {
    region *v;
    size_t n, cap;
} regions;

/* One hunk-at-a-time pass over the changes h[0, nh) turning cur into next: updates the
 * original-line map and records the regions; frees h. map has one entry per line of cur (an
 * original line index, or -1). */
static long *track_pass(const lines *cur, const lines *next, diff_hunk *h, size_t nh, long *map,
                        size_t norig, size_t pass, regions *rs)
{
    /* the nearest surviving original line at or before each line of cur */
    long *before = xmalloc((cur->n + 1) * sizeof *before);
    long last = -1;
    for (size_t i = 0; i < cur->n; i++) {
        if (map[i] >= 0)
            last = map[i];
        before[i] = last;
    }
    long *after = xmalloc((cur->n + 1) * sizeof *after);
    long first = (long)norig;
    after[cur->n] = first;
    for (size_t i = cur->n; i-- > 0;) {
        if (map[i] >= 0)
            first = map[i];
        after[i] = first;
    }
    long *nmap = xmalloc((next->n + 1) * sizeof *nmap);
    size_t ia = 0, ib = 0;
    for (size_t k = 0; k < nh; k++) {
        while (ia < h[k].a0)
            nmap[ib++] = map[ia++];
        if (rs->n == rs->cap) {
            rs->cap = rs->cap ? 2 * rs->cap : 16;
            rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
        }
        long lo = h[k].a0 > 0 ? before[h[k].a0 - 1] + 1 : 0;
        long hi = after[h[k].a0 + h[k].alen];
        rs->v[rs->n++] = (region){pass, (size_t)lo, (size_t)hi};
        ia += h[k].alen;
        for (size_t j = 0; j < h[k].blen; j++)
            nmap[ib++] = -1;
    }
    while (ia < cur->n)
        nmap[ib++] = map[ia++];
    free(h);
    free(before);
    free(after);
    free(map);
    return nmap;
}

/* A changed gap: original lines [g0, g1) become final lines [f0, f1). */
typedef struct gap {
    size_t g0, g1, f0, f1;
    size_t first_finding; /* SIZE_MAX until reported */
} gap;

void lint_fix_trim(const lint_file *f, const lint_fix *x, size_t *a, size_t *b, size_t *t0,
                   size_t *t1)
{
    size_t p = 0;
    while (p < x->len && p < x->textlen && f->src[x->off + p] == x->text[p])
        p++;
    size_t s = 0;
    while (s < x->len - p && s < x->textlen - p &&
           f->src[x->off + x->len - 1 - s] == x->text[x->textlen - 1 - s])
        s++;
    *a = x->off + p;
    *b = x->off + x->len - s;
    *t0 = p;
    *t1 = x->textlen - s;
}

/* The location of a fix: the lines of lint_fix_lines (review tools require the same lines),
 * narrowed to the columns that change on the first and the last line; for a fix that is not
 * line-based, its trimmed range. Sets the position fields directly. */
static void fix_location(const lint_file *f, const lint_fix *x, lint_finding *g)
{
    size_t first, last, tl;
    char *t;
    if (!lint_fix_lines(f, x, &first, &last, &t, &tl)) {
        size_t a, b, t0, t1;
        lint_fix_trim(f, x, &a, &b, &t0, &t1);
        g->off = a;
        g->len = b - a;
        lint_pos(f, a, &g->line, &g->col);
        lint_pos(f, b, &g->end_line, &g->end_col);
        return;
    }
    free(t);
    size_t a = line_start(f, first - 1);
    size_t last_begin = line_start(f, last - 1);
    size_t b = content_end(f, last_begin);
    g->line = first;
    g->end_line = last;
    g->col = 1;
    g->end_col = b - last_begin + 1;
    if (x->len > 0) {
        /* skip the common prefix on the first line and the common suffix on the last, leaving
         * at least one byte on each */
        size_t p = 0, lim = content_end(f, a) - a;
        while (p + 1 < lim && p < x->textlen && f->src[a + p] == x->text[p])
            p++;
        size_t s = 0, te = x->textlen;
        while (te > 0 && (x->text[te - 1] == '\n' || x->text[te - 1] == '\r'))
            te--;
        while (s + 1 < b - last_begin && s < te && (first < last || b - s > a + p + 1) &&
               f->src[b - 1 - s] == x->text[te - 1 - s])
            s++;
        g->col = p + 1;
        g->end_col = b - s - last_begin + 1;
        a += p;
        b -= s;
    }
    g->off = a;
    g->len = b > a ? b - a : 0;
}

/* The state between passes: the original lines, the current text, which original line each
 * current line still is, and the regions each pass changed. */
/* A document of more lines than this is compared through its nodes after each pass (anchor.h):
 * a line diff of the whole text costs its length times the number of changes, which both grow
 * with the document. Shorter ones are compared as a whole. */
enum { ANCHOR_LINES = 2000 };

struct lint_tracker {
    lint_file *f;
    const df_doc *doc;
    lines orig, cur;
    char *ctext;
    size_t clen;
    doc_chunks chunks; /* how ctext was printed */
    long *map;
    regions rs;
    const char **names, **summaries; /* the passes that changed something, by first change */
    const lint_rule **rules;         /* and their rules */
    size_t npasses;
};

lint_tracker *lint_track_begin(lint_file *f, const df_doc *doc)
{
    lint_tracker *t = xcalloc(1, sizeof *t);
    t->f = f;
    t->doc = doc;
    split_lines(&t->orig, f->src, f->len);
    t->ctext = df_doc_print(doc, &t->clen);
    split_lines(&t->cur, t->ctext, t->clen);
    doc_chunks_of(doc, &t->chunks);
    t->map = xmalloc((t->cur.n + 1) * sizeof *t->map);
    for (size_t i = 0; i < t->cur.n; i++)
        t->map[i] = i < t->orig.n ? (long)i : -1;
    return t;
}

void lint_track_pass(lint_tracker *t, const char *name, const char *summary)
{
    doc_chunks nchunks = {0};
    doc_chunks_of(t->doc, &nchunks);
    if (doc_chunks_same(&t->chunks, &nchunks)) {
        doc_chunks_free(&nchunks);
        return;
    }
    size_t nlen;
    char *ntext = df_doc_print(t->doc, &nlen);
    if (nlen == t->clen && memcmp(ntext, t->ctext, nlen) == 0) {
        doc_chunks_free(&t->chunks);
        t->chunks = nchunks;
        free(ntext);
        return;
    }
    size_t pi = 0;
    while (pi < t->npasses && strcmp(t->names[pi], name) != 0)
        pi++;
    if (pi == t->npasses) {
        t->names = xrealloc(t->names, (t->npasses + 1) * sizeof *t->names);
        t->summaries = xrealloc(t->summaries, (t->npasses + 1) * sizeof *t->summaries);
        t->rules = xrealloc(t->rules, (t->npasses + 1) * sizeof *t->rules);
        t->names[pi] = name;
        t->summaries[pi] = summary;
        t->rules[pi] = lint_rule_for_pass(name);
        t->npasses++;
    }
    lines next;
    split_lines(&next, ntext, nlen);
    diff_hunk *h;
    size_t nh = t->cur.n > ANCHOR_LINES
                    ? anchored_hunks(&t->chunks, t->ctext, t->cur.start, t->cur.n, &nchunks,
                                     ntext, next.start, next.n, &h)
                    : diff_hunks(t->ctext, t->clen, ntext, nlen, &h);
    t->map = track_pass(&t->cur, &next, h, nh, t->map, t->orig.n, pi, &t->rs);
    doc_chunks_free(&t->chunks);
    t->chunks = nchunks;
    free(t->cur.start);
    free(t->ctext);
    t->cur = next;
    t->ctext = ntext;
    t->clen = nlen;
}

void lint_track_end(lint_tracker *t, const lint_config *cfg)
{
    lint_file *f = t->f;
    lines orig = t->orig, cur = t->cur;
    const char *ctext = t->ctext;
    long *map = t->map;
    regions rs = t->rs;
    /* gaps between the original lines that survived */
    gap *gaps = xmalloc((orig.n + 1) * sizeof *gaps);
    size_t ngaps = 0, start = 0;
    long prev = -1;
    for (size_t i = 0; i <= cur.n; i++) {
        long o1 = i < cur.n ? map[i] : (long)orig.n;
        if (i < cur.n && o1 < 0)
            continue;
        size_t g0 = (size_t)(prev + 1), g1 = (size_t)o1;
        if (g1 > g0 || i > start) {
            size_t a0 = orig.start[g0], a1 = orig.start[g1];
            size_t b0 = cur.start[start], b1 = cur.start[i];
            if (a1 - a0 != b1 - b0 || memcmp(f->src + a0, ctext + b0, a1 - a0) != 0)
                gaps[ngaps++] = (gap){g0, g1, start, i, SIZE_MAX};
        }
        prev = o1;
        start = i + 1;
    }

    /* each region to its gap; findings in gap order, then pass order */
    size_t *owner = xmalloc((rs.n + 1) * sizeof *owner);
    for (size_t k = 0; k < rs.n; k++) {
        owner[k] = SIZE_MAX;
        size_t lo = 0, hi = ngaps;
        while (lo < hi) { /* first gap with g1 >= region.hi */
            size_t mid = (lo + hi) / 2;
            if (gaps[mid].g1 < rs.v[k].hi)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ngaps && gaps[lo].g0 <= rs.v[k].lo)
            owner[k] = lo;
    }
    /* the regions of each gap, in region order: those of gap gi are
     * order[first[gi], first[gi + 1]) */
    size_t *first = xcalloc(ngaps + 2, sizeof *first), *order = xmalloc((rs.n + 1) * sizeof *order);
    for (size_t k = 0; k < rs.n; k++)
        if (owner[k] != SIZE_MAX)
            first[owner[k] + 2]++;
    for (size_t gi = 0; gi < ngaps; gi++)
        first[gi + 2] += first[gi + 1];
    for (size_t k = 0; k < rs.n; k++)
        if (owner[k] != SIZE_MAX)
            order[first[owner[k] + 1]++] = k;
    for (size_t gi = 0; gi < ngaps; gi++) {
        const gap *gp = &gaps[gi];
        lint_fix *fix = xcalloc(1, sizeof *fix);
        fix->off = orig.start[gp->g0];
        fix->len = orig.start[gp->g1] - fix->off;
        fix->textlen = cur.start[gp->f1] - cur.start[gp->f0];
        fix->text = xmalloc(fix->textlen + 1);
        memcpy(fix->text, ctext + cur.start[gp->f0], fix->textlen);
        fix->text[fix->textlen] = '\0';
        size_t *fidx = xmalloc((t->npasses + 1) * sizeof *fidx); /* pass -> its finding */
        for (size_t j = 0; j <= t->npasses; j++)
            fidx[j] = SIZE_MAX;
        size_t base = f->n, carrier = SIZE_MAX;
        for (size_t o = first[gi]; o < first[gi + 1]; o++) {
            size_t k = order[o];
            if (fidx[rs.v[k].pass] != SIZE_MAX) { /* changed these lines again: it is last */
                carrier = fidx[rs.v[k].pass];
                continue;
            }
            const char *pname = t->names[rs.v[k].pass];
            const lint_rule *r = t->rules[rs.v[k].pass];
            lint_finding *g = new_finding(f, r, cfg);
            if (rule_index(r) == R_PASS_GENERIC) {
                df_buf m = {0};
                buf_printf(&m, "%s (pass %s)", t->summaries[rs.v[k].pass], pname);
                g->message = m.p;
            } else {
                g->message = xstrdup(r->message);
            }
            g->group = gi;
            fix_location(f, fix, g);
            carrier = fidx[rs.v[k].pass] = f->n - 1;
        }
        /* the fix goes with the pass that changed these lines last: the text is its output */
        if (carrier == SIZE_MAX) { /* cannot happen: every change comes from a pass's hunk */
            free(fix->text);
            free(fix);
        } else {
            f->v[carrier].fix = fix;
            for (size_t j = base; j < f->n; j++) {
                if (j == carrier)
                    continue;
                df_buf m = {0};
                buf_printf(&m, "%s (fixed together with %s %s)", f->v[j].message,
                           f->v[carrier].rule->id, f->v[carrier].rule->name);
                free(f->v[j].message);
                f->v[j].message = m.p;
            }
        }
        free(fidx);
    }
    free(first);
    free(order);
    free(owner);
    free(gaps);
    free(rs.v);
    free(map);
    free(cur.start);
    free(t->ctext);
    doc_chunks_free(&t->chunks);
    free(orig.start);
    free(t->names);
    free(t->summaries);
    free(t->rules);
    free(t);
}

bool lint_pass_findings(lint_file *f, df_doc *doc, const df_pass *passes, size_t npasses,
                        const bool *run, const lint_config *cfg, df_diags *d)
{
    size_t errors = d->nerrors;
    lint_tracker *t = lint_track_begin(f, doc);
    bool changed = false, each = ir_check_each_pass();
    for (size_t pi = 0; pi < npasses; pi++) {
        if (!run[pi])
            continue;
        if (passes[pi].run(doc, d)) {
            changed = true;
            if (doc->stages_stale)
                sema_stages(doc, d);
            lint_track_pass(t, passes[pi].name, passes[pi].summary);
            ir_check_pass(doc, passes[pi].name, each);
        }
    }
    ir_check_passes(doc, changed, each);
    lint_track_end(t, cfg);
    return d->nerrors == errors;
}

bool lint_fix_lines(const lint_file *f, const lint_fix *x, size_t *first, size_t *last,
                    char **text, size_t *textlen)
{
    size_t a, b, l0, l1;
    lint_pos(f, x->off, &l0, &a);
    if (a != 1)
        return false;
    df_buf t = {0};
    size_t end = x->off + x->len;
    if (x->len == 0) {
        /* an insertion: take in a neighbouring whole line */
        if (l0 > 1) {
            size_t s = line_start(f, l0 - 2);
            buf_put(&t, f->src + s, x->off - s);
            buf_put(&t, x->text, x->textlen);
            l1 = l0 - 1;
            l0 = l1;
            end = x->off;
        } else if (f->nlines > 0) {
            buf_put(&t, x->text, x->textlen);
            size_t e = line_start(f, 1);
            buf_put(&t, f->src, e);
            l1 = 1;
            end = e;
        } else {
            return false;
        }
    } else {
        lint_pos(f, end, &l1, &b);
        if (b != 1 && end != f->len)
            return false;
        if (b == 1)
            l1--; /* ends at the start of line l1: the last replaced line is the one before */
        buf_put(&t, x->text, x->textlen);
    }
    bool eol = end > 0 && f->src[end - 1] == '\n';
    if (!t.p)
        buf_put(&t, "", 0);
    if (eol) {
        if (t.len > 0 && (t.p[t.len - 1] != '\n' || t.len == 1)) {
            buf_free(&t);
            return false;
        }
        if (t.len > 0)
            t.p[--t.len] = '\0';
    } else if (t.len > 0 && t.p[t.len - 1] == '\n') {
        buf_free(&t);
        return false;
    }
    *first = l0;
    *last = l1;
    *text = t.p;
    *textlen = t.len;
    return true;
}

/* ---- fingerprints ---- */

/* Writes h as 16 lower-case hex digits and a NUL. */
static void put_hex(char *out, uint64_t h)
{
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = "0123456789abcdef"[h & 15];
    out[16] = '\0';
}

/* A finding's key and its index, sorted by key and then index. */
typedef struct keyed {
    uint64_t key;
    size_t i;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Rule, file and the located text with runs of blanks collapsed, so a finding keeps its
 * fingerprint when lines move; the occurrence count among equal keys makes it unique. */
static void fingerprints(lint_file *f)
{
    keyed *keys = xmalloc((f->n + 1) * sizeof *keys);
    for (size_t i = 0; i < f->n; i++) {
        lint_finding *g = &f->v[i];
        uint64_t h = fnv1a(FNV_OFFSET, g->rule->id, strlen(g->rule->id));
        h = fnv1a(h, "\0", 1);
        h = fnv1a(h, f->path, strlen(f->path));
        h = fnv1a(h, "\0", 1);
        bool blank = false;
        for (size_t k = g->off; k < g->off + g->len && k < f->len; k++) {
            char c = f->src[k];
            bool b = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\';
            if (b && !blank)
                h = fnv1a(h, " ", 1);
            else if (!b)
                h = fnv1a(h, &c, 1);
            blank = b;
        }
        h = fnv1a(h, g->message, strlen(g->message));
        keys[i] = (keyed){h, i};
    }
    /* the occurrence of a key: how many findings before this one have it */
    if (f->n > 1)
        qsort(keys, f->n, sizeof *keys, cmp_keyed);
    size_t occurrence = 0;
    for (size_t k = 0; k < f->n; k++) {
        occurrence = k > 0 && keys[k].key == keys[k - 1].key ? occurrence + 1 : 0;
        uint64_t h1 = fnv1a(keys[k].key, &occurrence, sizeof occurrence);
        uint64_t h2 = fnv1a(h1 ^ 0x9e3779b97f4a7c15u, "dfopt", 5);
        put_hex(f->v[keys[k].i].fingerprint, h1);
        put_hex(f->v[keys[k].i].fingerprint + 16, h2);
    }
    free(keys);
}

/* ---- one file ---- */

static int cmp_findings(const void *pa, const void *pb)
{
    const lint_finding *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    size_t ra = rule_index(a->rule), rb = rule_index(b->rule);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq; /* as found: the sort is stable */
}

static void free_finding(lint_finding *g)
{
    free(g->message);
    if (g->fix) {
        free(g->fix->text);
        free(g->fix);
    }
}

void lint_file_free(lint_file *f)
{
    for (size_t k = 0; k < f->n; k++)
        free_finding(&f->v[k]);
    free(f->v);
    free(f->src);
    free(f->lines);
    free(f->errtext);
    f->v = NULL;
    f->src = NULL;
    f->lines = NULL;
    f->errtext = NULL;
    f->n = f->cap = 0;
}

/* Drops suppressed findings; a suppressed finding's shared fix is withheld from its group. */
static void apply_ignores(lint_file *f, const ignores *ig)
{
    size_t ngroups = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].group != SIZE_MAX && f->v[i].group + 1 > ngroups)
            ngroups = f->v[i].group + 1;
    bool *withheld = xcalloc(ngroups + 1, sizeof *withheld);
    bool *drop = xcalloc(f->n + 1, sizeof *drop);
    bool global[R_COUNT];
    for (size_t r = 0; r < R_COUNT; r++)
        global[r] = ig->n + ig->check_skip.n > 0 && ignored_globally(ig, &lint_rules[r]);
    for (size_t i = 0; i < f->n; i++) {
        drop[i] = f->v[i].rule != &lint_rules[R_PARSE_ERROR] && ignored_at(ig, global, &f->v[i]);
        if (drop[i] && f->v[i].group != SIZE_MAX)
            withheld[f->v[i].group] = true;
        if (ig->check_error && f->v[i].rule->buildkit[0])
            f->v[i].severity = SEV_ERROR;
    }
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        lint_finding *g = &f->v[i];
        if (drop[i] || (g->group != SIZE_MAX && withheld[g->group])) {
            if (drop[i]) {
                free_finding(g);
                continue;
            }
            if (g->fix) {
                free(g->fix->text);
                free(g->fix);
                g->fix = NULL;
            }
        }
        f->v[k++] = *g;
    }
    f->n = k;
    free(withheld);
    free(drop);
}

/* Do two comma-separated lists share an item? */
static bool lists_meet(const char *a, const char *b)
{
    for (const char *p = a; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (in_list(b, p, n))
            return true;
        p = e ? e + 1 : p + n;
    }
    return false;
}

static bool share_code(const lint_rule *a, const lint_rule *b)
{
    return lists_meet(a->hadolint, b->hadolint) || lists_meet(a->buildkit, b->buildkit);
}

/* A stretch of original bytes [lo, hi] a fix spans, keyed by the check rule it covers
 * (R_COUNT: a fix that deletes lines, which covers any check rule). */
typedef struct cover {
    size_t key, lo, hi;
} cover;

static int cmp_cover(const void *pa, const void *pb)
{
    const cover *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* Is there a cover with key k, lo <= a and hi >= b? v is sorted by (key, lo) and hi holds the
 * running maximum of hi within each key. */
static bool covered_by(const cover *v, size_t n, size_t k, size_t a, size_t b)
{
    size_t lo = 0, hi = n; /* the first entry not before (k, a + 1) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < k || (v[mid].key == k && v[mid].lo <= a))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && v[lo - 1].key == k && v[lo - 1].hi >= b;
}

static void add_cover(cover **v, size_t *n, size_t *cap, cover c)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        *v = xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = c;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

/* Drops check findings where a pass with a rule of the same meaning has a fix covering them,
 * and those on lines a fix deletes outright. A check finding g is covered by a fix x that
 * deletes (x->textlen == 0) when x spans all of g, and by any fix x of the group of a pass
 * finding whose rule shares a code with g's when g starts within x or at its end. The covers
 * are collected once, sorted, and each finding is looked up by binary search: n log n. */
static void drop_covered(lint_file *f)
{
    cover *cv = NULL;
    size_t ncv = 0, capcv = 0;
    bool check_rule[R_COUNT] = {0}, pass_rule[R_COUNT] = {0};
    size_t ngroups = 0, nfix = 0;
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        if (g->rule->flags & LR_PASS)
            pass_rule[rule_index(g->rule)] = true;
        else
            check_rule[rule_index(g->rule)] = true;
        if (g->group != SIZE_MAX && g->group + 1 > ngroups)
            ngroups = g->group + 1;
        nfix += g->fix != NULL;
        const lint_fix *x = g->fix;
        if (x && x->textlen == 0)
            add_cover(&cv, &ncv, &capcv, (cover){R_COUNT, x->off, x->off + x->len});
    }
    /* share[c][p]: check rule c shares a code with pass rule p */
    bool(*share)[R_COUNT] = xcalloc(R_COUNT, sizeof *share);
    for (size_t c = 0; c < R_COUNT; c++)
        for (size_t p = 0; check_rule[c] && p < R_COUNT; p++)
            share[c][p] = pass_rule[p] && share_code(&lint_rules[c], &lint_rules[p]);
    /* the fixes of each group: fixes sorted by group, (group, index) pairs */
    size_t *byg = xmalloc((nfix + 1) * 2 * sizeof *byg), nb = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].fix) {
            byg[2 * nb] = f->v[i].group;
            byg[2 * nb + 1] = i;
            nb++;
        }
    qsort(byg, nb, 2 * sizeof *byg, cmp_size);
    /* for each pass finding p and each check rule c sharing a code with it, the fixes of p's
     * group cover c; a group's pass rules are each taken once */
    bool *seen = xcalloc((ngroups + 1) * R_COUNT, sizeof *seen);
    for (size_t j = 0; j < f->n; j++) {
        const lint_finding *p = &f->v[j];
        if (!(p->rule->flags & LR_PASS))
            continue;
        size_t gk = p->group == SIZE_MAX ? ngroups : p->group, pr = rule_index(p->rule);
        if (seen[gk * R_COUNT + pr])
            continue;
        seen[gk * R_COUNT + pr] = true;
        size_t lo = 0, hi = nb; /* the first fix of the group */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (byg[2 * mid] < p->group)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t q = lo; q < nb && byg[2 * q] == p->group; q++) {
            const lint_fix *x = f->v[byg[2 * q + 1]].fix;
            for (size_t c = 0; c < R_COUNT; c++)
                if (share[c][pr])
                    add_cover(&cv, &ncv, &capcv, (cover){c, x->off, x->off + x->len});
        }
    }
    free(seen);
    free(byg);
    free(share);
    if (ncv > 1)
        qsort(cv, ncv, sizeof *cv, cmp_cover);
    for (size_t i = 1; i < ncv; i++)
        if (cv[i].key == cv[i - 1].key && cv[i - 1].hi > cv[i].hi)
            cv[i].hi = cv[i - 1].hi;
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        lint_finding *g = &f->v[i];
        bool covered = !(g->rule->flags & LR_PASS) &&
                       (covered_by(cv, ncv, R_COUNT, g->off, g->off + g->len) ||
                        covered_by(cv, ncv, rule_index(g->rule), g->off, g->off));
        if (covered)
            free_finding(g);
        else
            f->v[k++] = *g;
    }
    f->n = k;
    free(cv);
}

static void pass_fired(void *arg, const char *pass)
{
    const df_pass *p = pipeline_find(pass);
    lint_track_pass(arg, pass, p ? p->summary : pass);
}

/* The selected pipeline passes through df_doc_optimize (so they see the options and the build
 * context exactly as under `dfopt`), each change tracked. */
static bool run_passes(lint_file *f, df_doc *doc, const lint_opts *o, const lint_config *cfg,
                       const ignores *ig, df_diags *d)
{
    df_buf names = {0};
    for (size_t i = 0; i < pipeline_len; i++)
        if (pass_selected(&pipeline[i], o, cfg, ig)) {
            if (names.len)
                buf_putc(&names, ',');
            buf_puts(&names, pipeline[i].name);
        }
    if (!names.len) {
        buf_free(&names);
        return true;
    }
    /* the build context: the file's directory when it is a regular file, opened when a pass
     * first asks for it (doc_context) */
    if (strcmp(f->path, "-") != 0)
        doc->context_file = f->path;
    lint_tracker *t = lint_track_begin(f, doc);
    /* the level too: a pass may do more at -O2 than at -O1 */
    int level = o->level >= 0 ? o->level : cfg->level >= 0 ? cfg->level : 1;
    df_options opt = {.level = level, .passes = names.p,
                      .pass_fired = pass_fired, .pass_fired_arg = t};
#ifndef NDEBUG
    opt.check = ir_check_each_pass();
#endif
    size_t errors = d->nerrors;
    int r = df_doc_optimize(doc, &opt, d);
    lint_track_end(t, cfg);
    buf_free(&names);
    return r >= 0 && d->nerrors == errors;
}

static void lint_one(lint_file *f, const lint_opts *o, const lint_config *cfg)
{
    char *err = NULL;
    size_t len = 0;
    char *src = read_whole(f->path, &len, &err);
    if (!src) {
        f->error = true;
        f->errtext = err;
        return;
    }
    lint_file_init(f, f->path, src, len);
    const char *name = strcmp(f->path, "-") == 0 ? "<stdin>" : f->path;
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse(name, f->src, f->len, d);
    lint_ctx cx = {doc, cfg, f};
    if (!doc) {
        f->error = true;
        for (size_t i = 0; i < d->n; i++) {
            const diag *dg = &d->v[i];
            size_t off = 0, span = 0;
            if (dg->line > 0 && dg->line <= f->nlines) {
                off = f->lines[dg->line - 1] + dg->col - 1;
                /* diagnostics count columns after a BOM; findings count its bytes */
                if (dg->line == 1 && f->len >= 3 && memcmp(f->src, "\xEF\xBB\xBF", 3) == 0)
                    off += 3;
                span = dg->end_col > dg->col ? dg->end_col - dg->col : 0;
            }
            lint_finding *g = new_finding(f, &lint_rules[R_PARSE_ERROR], NULL);
            g->off = off < f->len ? off : f->len;
            g->len = g->off + span <= f->len ? span : 0;
            g->message = xstrdup(dg->message);
        }
    } else {
        ignores ig = {0};
        collect_ignores(doc, &ig);
        lint_checks_run(&cx);
        bool ok = run_passes(f, doc, o, cfg, &ig, d);
        if (!ok) {
            df_buf b = {0};
            diag_render(d, &b, false);
            f->errtext = b.p;
            f->error = true;
        }
        apply_ignores(f, &ig);
        drop_covered(f);
        free(ig.v);
    }
    lint_set_positions(f);
    if (f->n > 1)
        qsort(f->v, f->n, sizeof *f->v, cmp_findings);
    fingerprints(f);
    df_doc_free(doc);
    df_diags_free(d);
}

/* ---- configuration lookup ---- */

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directories repo_config has looked at, each with the .dfopt.yaml of its repository (NULL
 * for none), so the files of one tree look its ancestors up once: open addressing by name. */
typedef struct dir_memo {
    char **dir, **config; /* dir[i] NULL: a free slot */
    size_t cap, used;
} dir_memo;

static size_t memo_slot(const dir_memo *m, const char *dir, size_t n)
{
    size_t i = (size_t)fnv1a(FNV_OFFSET, dir, n) & (m->cap - 1);
    while (m->dir[i] && (strlen(m->dir[i]) != n || memcmp(m->dir[i], dir, n) != 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void memo_put(dir_memo *m, const char *dir, size_t n, const char *config)
{
    if (2 * (m->used + 1) > m->cap) {
        dir_memo old = *m;
        m->cap = old.cap ? 2 * old.cap : 64;
        m->dir = xcalloc(m->cap, sizeof *m->dir);
        m->config = xcalloc(m->cap, sizeof *m->config);
        for (size_t i = 0; i < old.cap; i++)
            if (old.dir[i]) {
                size_t k = memo_slot(m, old.dir[i], strlen(old.dir[i]));
                m->dir[k] = old.dir[i];
                m->config[k] = old.config[i];
            }
        free(old.dir);
        free(old.config);
    }
    size_t k = memo_slot(m, dir, n);
    if (m->dir[k])
        return;
    m->dir[k] = xmalloc(n + 1);
    memcpy(m->dir[k], dir, n);
    m->dir[k][n] = '\0';
    m->config[k] = config ? xstrdup(config) : NULL;
    m->used++;
}

static void memo_free(dir_memo *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->dir[i]);
        free(m->config[i]);
    }
    free(m->dir);
    free(m->config);
}

/* The .dfopt.yaml at the root of the repository holding path (the nearest ancestor directory
 * with a .git), or NULL. malloc'd. */
static char *repo_config(const char *path, dir_memo *m)
{
    if (strcmp(path, "-") == 0)
        return NULL;
    char *abs = realpath(path, NULL);
    if (!abs)
        return NULL;
    /* the ancestors abs[0, end) from the nearest up, until one is known or has a .git */
    df_buf b = {0};
    char *config = NULL;
    size_t end = strlen(abs), top = end;
    for (;;) {
        while (end > 0 && abs[end - 1] != '/')
            end--;
        if (end == 0)
            break; /* no ancestor has a .git */
        end--;
        if (m->cap) {
            size_t k = memo_slot(m, abs, end);
            if (m->dir[k]) {
                config = m->config[k] ? xstrdup(m->config[k]) : NULL;
                break;
            }
        }
        b.len = 0;
        buf_put(&b, abs, end);
        buf_puts(&b, "/.git");
        if (access(b.p, F_OK) == 0) {
            b.len = end;
            buf_puts(&b, "/.dfopt.yaml");
            if (is_file(b.p))
                config = xstrdup(b.p);
            memo_put(m, abs, end, config);
            break;
        }
    }
    /* every directory passed on the way has the answer found */
    for (size_t e = end; e < top; e++)
        if (abs[e] == '/' && e > end)
            memo_put(m, abs, e, config);
    free(abs);
    buf_free(&b);
    return config;
}

/* ---- the command ---- */

static const char usage[] =
    "usage: dfopt lint [options] FILE...\n"
    "Report findings, with fixes where a pass knows the exact edit; files are not changed.\n"
    "\n"
    "  --format=FMT        tty (default), json, sarif, rdjson, rdjsonl, github, checkstyle,\n"
    "                      gitlab\n"
    "  -o FILE             write the report to FILE instead of stdout\n"
    "  -O0, -O1, -O2, --level=N\n"
    "                      the passes whose changes are findings (default -O1; -O0: none)\n"
    "  --passes=LIST       only these passes report; --skip=LIST: not these\n"
    "  --enable=LIST       turn rules on (IDs, names, hadolint codes, BuildKit check names)\n"
    "  --disable=LIST      turn rules off\n"
    "  --fail-level=SEV    exit 1 on a finding at or above SEV: error, warning (default),\n"
    "                      info, style, none\n"
    "  --config FILE       read FILE instead of looking for .dfopt.yaml\n"
    "  --no-config         use no configuration file\n"
    "  -j N, --jobs N      lint at most N files at a time (default: one per core, or\n"
    "                      DFOPT_JOBS; the output is the same, in the order given)\n"
    "  --color=WHEN        auto (default: stdout is a terminal and NO_COLOR unset), always, never\n"
    "  --list-rules        print the rule table\n"
    "  --explain ID        describe a rule (DF012, a rule name, or a hadolint code)\n"
    "  --help\n"
    "\n"
    "Inline: `# dfopt ignore=DF012,DF020` before an instruction, `# dfopt global ignore=...`,\n"
    "`# hadolint ignore=DL3008` and BuildKit's `# check=skip=...` are honoured.\n"
    "Exit status: 0 no finding at or above the fail level, 1 findings, 2 errors.\n";

static int lint_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "dfopt lint: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'dfopt lint --help'.\n");
    return EXIT_ERROR;
}

static const char *opt_value(const char *arg, const char *name, int *i, int argc, char **argv)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static void list_rules(FILE *out)
{
    fprintf(out, "%-6s %-30s %-8s %-22s %s\n", "ID", "NAME", "SEVERITY", "HADOLINT", "BUILDKIT");
    for (size_t i = 0; i < R_COUNT; i++) {
        const lint_rule *r = &lint_rules[i];
        fprintf(out, "%-6s %-30s %-8s %-22s %s%s\n", r->id, r->name,
                lint_severity_name(r->severity), r->hadolint[0] ? r->hadolint : "-",
                r->buildkit[0] ? r->buildkit : "-", r->flags & LR_OFF ? "  (off by default)" : "");
    }
}

static int explain(const char *what)
{
    const lint_rule *r = lint_rule_find(what, strlen(what));
    for (size_t i = 0; !r && i < R_COUNT; i++)
        if (lint_rule_matches(&lint_rules[i], what, strlen(what)))
            r = &lint_rules[i];
    if (!r)
        return lint_usage("--explain: no rule '%s' (see dfopt lint --list-rules)", what);
    printf("%s %s (%s%s)\n", r->id, r->name, lint_severity_name(r->severity),
           r->flags & LR_OFF ? ", off by default" : "");
    if (r->hadolint[0])
        printf("hadolint: %s\n", r->hadolint);
    if (r->buildkit[0])
        printf("BuildKit: %s\n", r->buildkit);
    printf("\n%s\n\n", r->message);
    if (r->explain) {
        fputs(r->explain, stdout);
    } else {
        const char *text = df_pass_explain(r->name);
        printf("Fixed by the pass `%s`; the fix is its exact edit.\n\n", r->name);
        if (text)
            fputs(text, stdout);
    }
    return EXIT_OK;
}

/* Applies --enable/--disable (comma-separated rule tokens) to c; false on an unknown token. */
static bool toggle_rules(lint_config *c, const char *list, bool on, const char **bad)
{
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool any = false;
        for (size_t i = 0; i < R_COUNT; i++)
            if (n && lint_rule_matches(&lint_rules[i], p, n)) {
                c->rule_on[i] = on;
                any = true;
            }
        if (n && !any) {
            *bad = p;
            return false;
        }
        p = e ? e + 1 : NULL;
    }
    return true;
}

/* ---- many files ----
 *
 * Files are linted by par_each (parallel.c), spread over the cores like `dfopt FILE...`. Each
 * file is linted, rendered as its part of the report (lint_render_file) and freed at once;
 * the part goes to standard output as a record, a part_head and the text, while standard
 * output is an in-memory file. par_each leaves there the records in file order, as if the files
 * had been done in turn, and the report is then the head, the parts joined in that order, and
 * the tail. A file's errors go to standard error as it is done, in order too. */

enum { PART_MAGIC = 0x6466706c };

typedef struct part_head {
    size_t magic;
    size_t len; /* the part's bytes, after this head */
    lint_totals t;
} part_head;

typedef struct lint_run {
    const char **paths;
    const lint_config **cfgs; /* each file's configuration */
    const lint_opts *opts;
    lint_format fmt;
    bool color;
} lint_run;

/* Lints file i and writes its record (a par_fn); returns its exit status. */
static int lint_item(void *arg, size_t i)
{
    const lint_run *r = arg;
    const lint_config *cfg = r->cfgs[i];
    lint_file f = {0};
    f.path = r->paths[i];
    lint_one(&f, r->opts, cfg);
    part_head h = {PART_MAGIC, 0, {0}};
    df_buf rec = {0};
    buf_put(&rec, (const char *)&h, sizeof h);
    lint_render_file(&rec, r->fmt, &f, r->color, &h.t);
    h.len = rec.len - sizeof h;
    memcpy(rec.p, &h, sizeof h);
    int status = f.error ? EXIT_ERROR : EXIT_OK;
    lint_severity fail = cfg->fail_level_set ? cfg->fail_level : SEV_WARNING;
    for (size_t k = 0; k < f.n && status == EXIT_OK; k++)
        if (fail != SEV_NONE && f.v[k].severity >= fail)
            status = EXIT_FINDINGS;
    if (!io_write_all(STDOUT_FILENO, rec.p, rec.len)) {
        fprintf(stderr, "dfopt lint: %s: cannot keep the findings: %s\n", f.path,
                strerror(errno));
        status = EXIT_ERROR;
    }
    if (f.errtext)
        fputs(f.errtext, stderr);
    buf_free(&rec);
    lint_file_free(&f);
    return status;
}

/* Points standard output at a new, empty in-memory file (a temporary file where there is no
 * memfd) and returns that file's descriptor, with the real standard output in *saved (-1 when
 * it was closed); -1 on failure. */
static int capture_stdout(int *saved)
{
    fflush(stdout);
    int fd = memfd_create("dfopt-lint", MFD_CLOEXEC);
    if (fd < 0) {
        const char *dir = getenv("TMPDIR");
        df_buf t = {0};
        buf_printf(&t, "%s/dfopt-lint-XXXXXX", dir && *dir ? dir : "/tmp");
        fd = mkostemp(t.p, O_CLOEXEC);
        if (fd >= 0)
            unlink(t.p);
        buf_free(&t);
        if (fd < 0)
            return -1;
    }
    if (fd <= STDERR_FILENO) { /* a standard stream was closed: keep clear of them */
        int moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
        close(fd);
        if (moved < 0)
            return -1;
        fd = moved;
    }
    *saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (dup2(fd, STDOUT_FILENO) < 0) {
        if (*saved >= 0)
            close(*saved);
        close(fd);
        return -1;
    }
    return fd;
}

static void restore_stdout(int saved)
{
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    } else {
        close(STDOUT_FILENO);
    }
}

static bool read_all(FILE *in, void *p, size_t n)
{
    return n == 0 || fread(p, 1, n, in) == n;
}

/* Writes the report from the records in fd (from its start) to out; false when a record is
 * missing or damaged (a worker that died has left a message and the status already) or a write
 * fails. */
static bool write_report(int fd, size_t nfiles, lint_format fmt, FILE *out)
{
    int in_fd = lseek(fd, 0, SEEK_SET) == 0 ? dup(fd) : -1;
    FILE *in = in_fd >= 0 ? fdopen(in_fd, "r") : NULL;
    if (!in) {
        if (in_fd >= 0)
            close(in_fd);
        return false;
    }
    lint_totals t = {0};
    df_buf b = {0};
    char *part = NULL;
    size_t cap = 0;
    bool ok = true;
    lint_render_head(&b, fmt);
    for (size_t i = 0; i < nfiles; i++) {
        part_head h;
        if (!read_all(in, &h, sizeof h) || h.magic != PART_MAGIC) {
            ok = false;
            break;
        }
        if (h.len > cap) {
            cap = h.len;
            free(part);
            part = xmalloc(cap);
        }
        if (!read_all(in, part, h.len)) {
            ok = false;
            break;
        }
        lint_render_append(&b, fmt, part, h.len, &h.t, &t);
        if (b.len >= 1 << 16) {
            ok &= fwrite(b.p, 1, b.len, out) == b.len;
            b.len = 0;
        }
    }
    lint_render_tail(&b, fmt, &t);
    if (b.len)
        ok &= fwrite(b.p, 1, b.len, out) == b.len;
    buf_free(&b);
    free(part);
    fclose(in);
    return ok;
}

typedef struct cli_overrides {
    const char *enable, *disable, *fail_level;
} cli_overrides;

/* Loads (once) the config at path with the command line applied on top. */
static lint_config *config_for(const char *path, lint_config ***cache, char ***paths, size_t *n,
                               const cli_overrides *ov, bool *failed)
{
    for (size_t i = 0; i < *n; i++)
        if ((!path && !(*paths)[i]) || (path && (*paths)[i] && strcmp(path, (*paths)[i]) == 0))
            return (*cache)[i];
    lint_config *c = xcalloc(1, sizeof *c);
    lint_config_defaults(c);
    char *err = NULL;
    if (path && !lint_config_load(c, path, &err)) {
        fputs(err, stderr);
        free(err);
        *failed = true;
    }
    const char *bad = NULL;
    if (!toggle_rules(c, ov->enable, true, &bad) || !toggle_rules(c, ov->disable, false, &bad)) {
        fprintf(stderr, "dfopt lint: unknown rule in '%s' (see --list-rules)\n", bad);
        *failed = true;
    }
    if (ov->fail_level) {
        c->fail_level_set = true;
        lint_severity_parse(ov->fail_level, strlen(ov->fail_level), true, &c->fail_level);
    }
    *cache = xrealloc(*cache, (*n + 1) * sizeof **cache);
    *paths = xrealloc(*paths, (*n + 1) * sizeof **paths);
    (*cache)[*n] = c;
    (*paths)[*n] = path ? xstrdup(path) : NULL;
    (*n)++;
    return c;
}

static bool names_known(const char *list)
{
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bool found = false;
        for (size_t i = 0; i < pipeline_len && !found; i++)
            found = strlen(pipeline[i].name) == len && strncmp(pipeline[i].name, p, len) == 0;
        if (len && !found) {
            fprintf(stderr, "dfopt lint: unknown pass '%.*s' (see dfopt --list-passes)\n",
                    (int)len, p);
            return false;
        }
        p = e ? e + 1 : NULL;
    }
    return true;
}

int lint_main(int argc, char **argv)
{
    lint_opts o = {.level = -1};
    lint_format fmt = FMT_TTY;
    const char *color = "auto", *config = NULL, *output = NULL;
    bool no_config = false, options_done = false;
    cli_overrides ov = {0};
    const char *jobs = NULL; /* -j N */
    const char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    int status = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            paths[npaths++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            goto out;
        } else if (strcmp(a, "--list-rules") == 0) {
            list_rules(stdout);
            goto out;
        } else if ((v = opt_value(a, "--explain", &i, argc, argv))) {
            status = explain(v);
            goto out;
        } else if (strcmp(a, "-O0") == 0 || strcmp(a, "-O1") == 0 || strcmp(a, "-O2") == 0) {
            o.level = a[2] - '0';
        } else if ((v = opt_value(a, "--level", &i, argc, argv))) {
            if (strlen(v) != 1 || v[0] < '0' || v[0] > '2') {
                status = lint_usage("--level takes 0, 1 or 2, not '%s'", v);
                goto out;
            }
            o.level = v[0] - '0';
        } else if ((v = opt_value(a, "--format", &i, argc, argv)) ||
                   (strcmp(a, "-f") == 0 && i + 1 < argc && (v = argv[++i]))) {
            if (!lint_format_parse(v, &fmt)) {
                status = lint_usage("--format: unknown format '%s' (tty, json, sarif, rdjson, "
                                    "rdjsonl, github, checkstyle, gitlab)", v);
                goto out;
            }
        } else if ((v = opt_value(a, "--passes", &i, argc, argv))) {
            o.passes = v;
        } else if ((v = opt_value(a, "--skip", &i, argc, argv))) {
            o.skip = v;
        } else if ((v = opt_value(a, "--enable", &i, argc, argv))) {
            ov.enable = v;
        } else if ((v = opt_value(a, "--disable", &i, argc, argv))) {
            ov.disable = v;
        } else if ((v = opt_value(a, "--fail-level", &i, argc, argv))) {
            lint_severity s;
            if (!lint_severity_parse(v, strlen(v), true, &s)) {
                status = lint_usage("--fail-level takes error, warning, info, style or none, "
                                    "not '%s'", v);
                goto out;
            }
            ov.fail_level = v;
        } else if ((v = opt_value(a, "--config", &i, argc, argv))) {
            config = v;
        } else if (strcmp(a, "--no-config") == 0) {
            no_config = true;
        } else if ((v = opt_value(a, "--jobs", &i, argc, argv)) ||
                   (strncmp(a, "-j", 2) == 0 && (v = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : NULL))) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256) {
                status = lint_usage("--jobs takes a number from 1 to 256, not '%s'", v);
                goto out;
            }
            jobs = v;
        } else if ((v = opt_value(a, "--color", &i, argc, argv))) {
            color = v;
        } else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc) {
            output = argv[++i];
        } else {
            status = lint_usage("unknown option '%s'", a);
            goto out;
        }
    }
    if (npaths == 0) {
        status = lint_usage("%s", "no input files (use - for standard input)");
        goto out;
    }
    if (!names_known(o.passes) || !names_known(o.skip)) {
        status = EXIT_ERROR;
        goto out;
    }
    bool use_color;
    if (strcmp(color, "always") == 0)
        use_color = true;
    else if (strcmp(color, "never") == 0)
        use_color = false;
    else if (strcmp(color, "auto") == 0)
        use_color = !output && isatty(STDOUT_FILENO) && !no_color_env();
    else {
        status = lint_usage("--color takes auto, always or never, not '%s'", color);
        goto out;
    }

    /* configs, loaded before any worker starts */
    lint_config **cache = NULL;
    char **cpaths = NULL;
    size_t ncache = 0;
    bool failed = false;
    const lint_config **cfgs = xcalloc(npaths, sizeof *cfgs);
    char *local = !config && !no_config && is_file(".dfopt.yaml") ? xstrdup(".dfopt.yaml") : NULL;
    dir_memo dirs = {0};
    for (size_t i = 0; i < npaths; i++) {
        char *found = NULL;
        const char *cp = no_config ? NULL : config ? config : local;
        if (!cp && !no_config)
            cp = found = repo_config(paths[i], &dirs);
        cfgs[i] = config_for(cp, &cache, &cpaths, &ncache, &ov, &failed);
        free(found);
    }
    memo_free(&dirs);
    free(local);
    int saved = -1, parts = failed ? -1 : capture_stdout(&saved);
    if (failed) {
        status = EXIT_ERROR;
    } else if (parts < 0) {
        fprintf(stderr, "dfopt lint: cannot make a temporary file: %s\n", strerror(errno));
        status = EXIT_ERROR;
    } else {
        /* a file read from standard input is linted here; -j N caps the workers */
        bool may_fork = true;
        for (size_t i = 0; i < npaths; i++)
            may_fork &= strcmp(paths[i], "-") != 0;
        if (jobs)
            setenv("DFOPT_JOBS", jobs, 1);
        lint_run run = {paths, cfgs, &o, fmt, use_color};
        status = par_each(npaths, may_fork, lint_item, &run);
        restore_stdout(saved);
        FILE *fp = output ? fopen(output, "w") : stdout;
        if (!fp) {
            fprintf(stderr, "dfopt lint: %s: %s\n", output, strerror(errno));
            status = EXIT_ERROR;
        } else {
            if (!write_report(parts, npaths, fmt, fp))
                status = EXIT_ERROR;
            if ((output ? fclose(fp) : fflush(fp)) != 0) {
                fprintf(stderr, "dfopt lint: write error: %s\n", strerror(errno));
                status = EXIT_ERROR;
            }
        }
        close(parts);
    }
    free(cfgs);
    for (size_t i = 0; i < ncache; i++) {
        lint_config_free(cache[i]);
        free(cache[i]);
        free(cpaths[i]);
    }
    free(cache);
    free(cpaths);
out:
    free(paths);
    return status;
}
