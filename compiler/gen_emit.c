/*
 * gen_emit.c: a checked spec (spec.c) rendered as Dockerfile text.
 *
 * Layout of the output:
 *
 *   # syntax=...             directives (syntax, escape)
 *   ARG ...                  global_args
 *   FROM ... AS build        the builder stage of a `build` shorthand, if any
 *   FROM ...                 each stage; its keys in this order, whatever order the spec uses:
 *                            args shell env labels packages workdir copy add run steps
 *                            user expose volumes healthcheck stopsignal entrypoint cmd
 *
 * Every value lands in a place with its own rules and is written by that place's encoder:
 * Dockerfile words (ENV/LABEL/ARG values, WORKDIR, USER, FROM) by quote_dq, paths (COPY, ADD,
 * VOLUME) and ports by quote_esc, shell words in RUN (package names, build settings) by quote_sh
 * (gen_quote.c); exec-form lists (CMD, ENTRYPOINT, SHELL, RUN exec, HEALTHCHECK) by json_quote;
 * multi-line RUN scripts and COPY contents as heredocs with a quoted delimiter that no line of
 * the body equals. Before writing, each value is checked for what its place can carry: a line
 * break in an ENV value, a blank in a flag, a port that is not a port, a package name that
 * starts with '-' are errors at the value's position. So no value can end an instruction early,
 * continue it onto the next line, open a heredoc, read as a flag or start another instruction.
 */
#include "gen.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

typedef struct gen {
    const df_doc *src;
    df_diags *d;
    df_buf *out;
    char esc;
    df_slice *names;     /* stage names so far */
    size_t nnames;
    bool labs;           /* a feature of the labs channel is used (COPY --parents) */
} gen;

static void bad(gen *g, const ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(gen *g, const ynode *at, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *msg = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    va_end(ap);
    yaml_error(g->d, g->src, at, "%s", msg);
    free(msg);
}

/* " \" + newline + indentation: a continuation line. */
static void cont(gen *g, const char *indent)
{
    buf_putc(g->out, ' ');
    buf_putc(g->out, g->esc);
    buf_putc(g->out, '\n');
    buf_puts(g->out, indent);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* ---- checked values ---- */

/* Reports and returns false when v cannot be written as a word. */
static bool word_ok(gen *g, const ynode *v, const char *what, bool newline_ok)
{
    const char *why = quote_problem(v->text, newline_ok, false);
    if (why)
        bad(g, v, "%s cannot contain %s", what, why);
    return !why;
}


static bool has_blank(df_slice s)
{
    for (size_t i = 0; i < s.n; i++)
        if (is_blank(s.p[i]) || s.p[i] == '\r')
            return true;
    return false;
}

/* A value after a builder flag (--chown=...): no blanks, quotes or the escape character; mount
 * options also no commas. */
static bool flag_ok(gen *g, const ynode *v, const char *what, bool mount)
{
    if (!word_ok(g, v, what, false))
        return false;
    df_slice s = v->text;
    if (s.n == 0) {
        bad(g, v, "%s cannot be empty", what);
        return false;
    }
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (is_blank(c) || c == '"' || c == '\'' || c == g->esc || (mount && c == ',')) {
            bad(g, v, "%s cannot contain %s", what,
                is_blank(c) ? "blanks" : c == ',' ? "commas" : c == g->esc ? "the escape character"
                                                                            : "quotes");
            return false;
        }
    }
    return true;
}

/* Image references and stage names: letters, digits, . _ : / @ - and references. */
static bool image_ok(gen *g, const ynode *v, const char *what)
{
    if (!word_ok(g, v, what, false))
        return false;
    if (v->text.n == 0 || !quote_chars_ok(v->text, "._:/@-")) {
        bad(g, v, "%s is not an image reference or stage name", what);
        return false;
    }
    return true;
}

static bool matches_name(df_slice s, bool dots)
{
    if (s.n == 0 || !((s.p[0] >= 'a' && s.p[0] <= 'z') || (s.p[0] >= 'A' && s.p[0] <= 'Z') ||
                      s.p[0] == '_'))
        return false;
    for (size_t i = 1; i < s.n; i++)
        if (!is_name_char(s.p[i]) && !(dots && (s.p[i] == '.' || s.p[i] == '-')))
            return false;
    return true;
}

/* A plain literal made of letters, digits and the characters in extra. */
static bool literal_ok(gen *g, const ynode *v, const char *what, const char *extra,
                       const char *shape)
{
    for (size_t i = 0; i < v->text.n; i++)
        if (!is_name_char(v->text.p[i]) && !strchr(extra, v->text.p[i])) {
            bad(g, v, "%s must be %s", what, shape);
            return false;
        }
    if (v->text.n == 0) {
        bad(g, v, "%s must be %s", what, shape);
        return false;
    }
    return true;
}

/* A word used inside a shell command: simple references only, and not an option. */
static bool sh_ok(gen *g, const ynode *v, const char *what)
{
    const char *why = quote_problem(v->text, false, true);
    if (why) {
        bad(g, v, "%s cannot contain %s", what, why);
        return false;
    }
    if (v->text.n == 0 || v->text.p[0] == '-') {
        bad(g, v, "%s cannot %s", what, v->text.n ? "start with '-'" : "be empty");
        return false;
    }
    return true;
}

/* Go duration syntax, as HEALTHCHECK flags take it. */
static bool duration_ok(gen *g, const ynode *v, const char *what)
{
    df_slice s = v->text;
    size_t i = 0;
    bool ok = s.n > 0;
    while (ok && i < s.n) {
        size_t start = i;
        while (i < s.n && ((s.p[i] >= '0' && s.p[i] <= '9') || s.p[i] == '.'))
            i++;
        ok = i > start;
        static const char *const units[] = {"ns", "us", "ms", "s", "m", "h", NULL};
        size_t u = 0;
        for (const char *const *p = units; *p && ok && !u; p++)
            if (s.n - i >= strlen(*p) && memcmp(s.p + i, *p, strlen(*p)) == 0)
                u = strlen(*p);
        ok = ok && u;
        i += u;
    }
    if (!ok)
        bad(g, v, "%s must be a duration like 30s, 1m30s or 500ms", what);
    return ok;
}

/* Shell-form command text for CMD, ENTRYPOINT and HEALTHCHECK: one line, not read back as JSON,
 * not continued onto the next line. */
static bool shell_form_ok(gen *g, const ynode *v, const char *what)
{
    df_slice s = v->text;
    const char *why = NULL;
    for (size_t i = 0; i < s.n && !why; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == '\n' || c == '\r')
            why = "cannot span lines; use a list (exec form)";
        else if ((c < 0x20 && c != '\t') || c == 0x7f)
            why = "cannot contain control characters";
    }
    size_t a = 0, e = s.n;
    while (a < e && (s.p[a] == ' ' || s.p[a] == '\t'))
        a++;
    while (e > a && (s.p[e - 1] == ' ' || s.p[e - 1] == '\t'))
        e--;
    if (!why && a == e)
        why = "cannot be empty";
    if (!why && e - a >= 2 && s.p[a] == '-' && s.p[a + 1] == '-')
        why = "cannot start with '--', which would be read as a flag; use a list (exec form)";
    if (!why && s.p[e - 1] == g->esc)
        why = "cannot end with the escape character, which would continue the instruction";
    if (!why && s.p[a] == '[') {
        df_arena tmp = {0};
        df_slice *el;
        size_t *offs, n;
        if (json_string_array(&tmp, (df_slice){s.p + a, e - a}, &el, &offs, &n) == JSON_OK)
            why = "would be read as a JSON (exec form) list; write it as a YAML list";
        arena_free(&tmp);
    }
    if (why)
        bad(g, v, "%s %s", what, why);
    return !why;
}

/* ---- instructions ---- */

static df_slice trimmed(df_slice s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n' || s.p[0] == '\r'))
        s.p++, s.n--;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\n' ||
                   s.p[s.n - 1] == '\r'))
        s.n--;
    return s;
}

static void put_json_list(gen *g, const ynode *list)
{
    buf_putc(g->out, '[');
    for (size_t i = 0; i < list->n; i++) {
        if (i)
            buf_puts(g->out, ", ");
        json_quote(g->out, list->v[i]->text);
    }
    buf_putc(g->out, ']');
}

/* A literal exec-form list: no NUL bytes. */
static bool exec_ok(gen *g, const ynode *list, const char *what)
{
    for (size_t i = 0; i < list->n; i++)
        if (memchr(list->v[i]->text.p, '\0', list->v[i]->text.n)) {
            bad(g, list->v[i], "%s cannot contain a NUL byte", what);
            return false;
        }
    return true;
}

/* Before the next item of an instruction: a blank, or a continuation line. */
static void sep(gen *g, size_t *count)
{
    if ((*count)++)
        cont(g, "    ");
    else
        buf_putc(g->out, ' ');
}

static bool pairs_ok(gen *g, const ynode *m, bool label)
{
    bool ok = true;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->v[2 * i], *v = m->v[2 * i + 1];
        if (label) {
            ok &= word_ok(g, k, "a label name", false);
            if (k->text.n == 0 || memchr(k->text.p, '=', k->text.n)) {
                bad(g, k, "a label name cannot be empty or contain '='");
                ok = false;
            }
        } else if (!matches_name(k->text, true)) {
            bad(g, k, "'" SLICE_FMT "' is not a variable name (letters, digits, _ . -; not "
                "starting with a digit)", SLICE_ARG(k->text));
            ok = false;
        }
        ok &= word_ok(g, v, label ? "a label value" : "an ENV value", false);
    }
    return ok;
}

static void put_pairs(gen *g, const ynode *m, size_t *count)
{
    for (size_t i = 0; i < m->n; i++) {
        sep(g, count);
        quote_dq(g->out, m->v[2 * i]->text, g->esc);
        buf_putc(g->out, '=');
        quote_dq(g->out, m->v[2 * i + 1]->text, g->esc);
    }
}

/* ENV, LABEL: KEY=value pairs, one per continuation line. */
static void emit_pairs(gen *g, const char *kw, const ynode *m, bool label)
{
    if (!pairs_ok(g, m, label) || m->n == 0)
        return;
    size_t count = 0;
    buf_puts(g->out, kw);
    put_pairs(g, m, &count);
    buf_putc(g->out, '\n');
}

/* ARG: one instruction naming every argument, NAME or NAME=default. */
static void emit_args(gen *g, const ynode *m)
{
    bool ok = true;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->v[2 * i], *v = m->v[2 * i + 1];
        if (!matches_name(k->text, true)) {
            bad(g, k, "'" SLICE_FMT "' is not a build argument name (letters, digits, _ . -; not "
                "starting with a digit)", SLICE_ARG(k->text));
            ok = false;
        }
        if (v->type != YS_NULL)
            ok &= word_ok(g, v, "an ARG default", false);
    }
    if (!ok || m->n == 0)
        return;
    size_t count = 0;
    buf_puts(g->out, "ARG");
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->v[2 * i], *v = m->v[2 * i + 1];
        sep(g, &count);
        buf_put_slice(g->out, k->text);
        if (v->type != YS_NULL) {
            buf_putc(g->out, '=');
            quote_dq(g->out, v->text, g->esc);
        }
    }
    buf_putc(g->out, '\n');
}

static void emit_word(gen *g, const char *kw, const ynode *v, const char *what)
{
    if (!word_ok(g, v, what, false))
        return;
    if (v->text.n == 0) {
        bad(g, v, "%s cannot be empty", what);
        return;
    }
    buf_puts(g->out, kw);
    buf_putc(g->out, ' ');
    quote_dq(g->out, v->text, g->esc);
    buf_putc(g->out, '\n');
}

/* A list node, or a one-item view of a scalar. */
typedef struct items {
    const ynode *const *v;
    size_t n;
} items;

static items items_of(const ynode *const *self)
{
    const ynode *n = *self;
    if (n->kind == YN_SEQ)
        return (items){(const ynode *const *)n->v, n->n};
    return (items){self, 1};
}

/* The heredoc delimiter: EOF, or EOF1, EOF2, ... when a line of body is one already. */
static void delimiter(df_slice body, char *out, size_t cap)
{
    for (unsigned k = 0;; k++) {
        if (k)
            snprintf(out, cap, "EOF%u", k);
        else
            snprintf(out, cap, "EOF");
        size_t n = strlen(out);
        bool clash = false;
        for (const char *p = body.p, *e = body.p + body.n; p < e && !clash;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            df_slice line = trimmed((df_slice){p, (size_t)((nl ? nl : e) - p)});
            while (line.n && line.p[0] == '\t')
                line.p++, line.n--;
            clash = line.n == n && memcmp(line.p, out, n) == 0;
            p = nl ? nl + 1 : e;
        }
        if (!clash)
            return;
    }
}

/* Appends the heredoc body and its terminator (the instruction's line is already written). */
static void put_heredoc_body(gen *g, df_slice body, const char *delim)
{
    buf_put_slice(g->out, body);
    if (!body.n || body.p[body.n - 1] != '\n')
        buf_putc(g->out, '\n');
    buf_puts(g->out, delim);
    buf_putc(g->out, '\n');
}

/* Does a command need a heredoc to reach the shell unchanged? (several lines, a trailing escape
 * character that would continue the instruction, a `<<` BuildKit would read as a heredoc, or a
 * leading '[' it might read as JSON or '-' it might read as a flag) */
static bool needs_heredoc(gen *g, df_slice cmd)
{
    return memchr(cmd.p, '\n', cmd.n) || (cmd.n && cmd.p[cmd.n - 1] == g->esc) ||
           memmem(cmd.p, cmd.n, "<<", 2) || (cmd.n && (cmd.p[0] == '[' || cmd.p[0] == '-'));
}

static bool command_ok(gen *g, const ynode *c)
{
    for (size_t i = 0; i < c->text.n; i++) {
        unsigned char ch = (unsigned char)c->text.p[i];
        if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f) {
            bad(g, c, "a command cannot contain %s", ch ? "control characters" : "a NUL byte");
            return false;
        }
    }
    if (trimmed(c->text).n == 0) {
        bad(g, c, "a command cannot be empty");
        return false;
    }
    return true;
}

static void put_mount(gen *g, const ynode *m)
{
    static const char *const keys[] = {"target", "source", "from", "id", "sharing", "mode",
                                       "uid", "gid", "required", "readonly", "env", "size", NULL};
    buf_puts(g->out, "--mount=type=");
    buf_put_slice(g->out, yaml_get(m, "type")->text);
    for (const char *const *k = keys; *k; k++) {
        const ynode *v = yaml_get(m, *k);
        if (!v)
            continue;
        if (v->type == YS_BOOL && (strcmp(*k, "required") == 0 || strcmp(*k, "readonly") == 0)) {
            if (v->truth)
                buf_printf(g->out, ",%s=true", *k);
            continue;
        }
        buf_printf(g->out, ",%s=", *k);
        buf_put_slice(g->out, v->text);
    }
}

static bool mount_ok(gen *g, const ynode *m)
{
    bool ok = true;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->v[2 * i], *v = m->v[2 * i + 1];
        char what[64];
        snprintf(what, sizeof what, "the mount's '%.*s'", SLICE_ARG(k->text));
        if (v->type != YS_BOOL)
            ok &= flag_ok(g, v, what, true);
    }
    df_slice type = yaml_get(m, "type")->text;
    bool needs_target = slice_eq_str(type, "cache") || slice_eq_str(type, "bind") ||
                        slice_eq_str(type, "tmpfs");
    if (needs_target && !yaml_get(m, "target")) {
        bad(g, m, "a %.*s mount needs 'target'", SLICE_ARG(type));
        ok = false;
    }
    if (slice_eq_str(type, "secret") && !yaml_get(m, "id") && !yaml_get(m, "target") &&
        !yaml_get(m, "env")) {
        bad(g, m, "a secret mount needs 'id' (or 'target' or 'env')");
        ok = false;
    }
    return ok;
}

/* RUN: a command, a list of commands (joined with &&), or {commands|exec, mounts, network}. */
static void emit_run(gen *g, const ynode *const *self)
{
    const ynode *r = *self;
    const ynode *cmds = r->kind == YN_MAP ? yaml_get(r, "commands") : r;
    const ynode *exec = r->kind == YN_MAP ? yaml_get(r, "exec") : NULL;
    const ynode *mounts = r->kind == YN_MAP ? yaml_get(r, "mounts") : NULL;
    const ynode *network = r->kind == YN_MAP ? yaml_get(r, "network") : NULL;
    const ynode *security = r->kind == YN_MAP ? yaml_get(r, "security") : NULL;
    if (!cmds == !exec) {
        bad(g, r, "a run needs either 'commands' or 'exec'");
        return;
    }
    bool ok = true;
    items cl = {0};
    if (cmds) {
        cl = items_of(r->kind == YN_MAP ? (const ynode *const *)&cmds : self);
        if (cl.n == 0) {
            bad(g, cmds, "a run needs at least one command");
            return;
        }
        for (size_t i = 0; i < cl.n; i++)
            ok &= command_ok(g, cl.v[i]);
    } else {
        if (exec->n == 0) {
            bad(g, exec, "'exec' needs at least the program");
            return;
        }
        ok &= exec_ok(g, exec, "an exec argument");
    }
    items ml = {0};
    if (mounts) {
        ml = items_of((const ynode *const *)&mounts);
        for (size_t i = 0; i < ml.n; i++)
            ok &= mount_ok(g, ml.v[i]);
    }
    if (!ok)
        return;
    size_t nflags = ml.n + (network != NULL) + (security != NULL);
    buf_puts(g->out, "RUN");
    for (size_t i = 0; i < ml.n; i++) {
        if (i)
            cont(g, "    ");
        else
            buf_putc(g->out, ' ');
        put_mount(g, ml.v[i]);
    }
    const ynode *extra[] = {network, security};
    const char *names[] = {"network", "security"};
    for (size_t i = 0; i < 2; i++) {
        if (!extra[i])
            continue;
        if (ml.n)
            cont(g, "    ");
        else
            buf_putc(g->out, ' ');
        buf_printf(g->out, "--%s=" SLICE_FMT, names[i], SLICE_ARG(extra[i]->text));
    }
    if (exec) {
        buf_putc(g->out, ' ');
        put_json_list(g, exec);
        buf_putc(g->out, '\n');
        return;
    }
    bool heredoc = false;
    for (size_t i = 0; i < cl.n; i++)
        heredoc |= needs_heredoc(g, trimmed(cl.v[i]->text));
    if (!heredoc) {
        for (size_t i = 0; i < cl.n; i++) {
            if (i)
                cont(g, "    && ");
            else if (nflags)
                cont(g, "    ");
            else
                buf_putc(g->out, ' ');
            buf_put_slice(g->out, trimmed(cl.v[i]->text));
        }
        buf_putc(g->out, '\n');
        return;
    }
    /* a script: one command as it is, several under `set -e` (like && stops at a failure) */
    df_buf body = {0};
    if (cl.n > 1)
        buf_puts(&body, "set -e\n");
    for (size_t i = 0; i < cl.n; i++) {
        df_slice c = cl.v[i]->text;
        while (c.n && (c.p[c.n - 1] == '\n' || c.p[c.n - 1] == ' ' || c.p[c.n - 1] == '\t'))
            c.n--;
        while (c.n && c.p[0] == '\n')
            c.p++, c.n--;
        buf_put_slice(&body, c);
        buf_putc(&body, '\n');
    }
    char delim[32];
    delimiter((df_slice){body.p, body.len}, delim, sizeof delim);
    buf_printf(g->out, " <<'%s'\n", delim);
    put_heredoc_body(g, (df_slice){body.p, body.len}, delim);
    buf_free(&body);
}

/* COPY and ADD entries. */
static void emit_copy(gen *g, const ynode *e, bool add)
{
    const char *kw = add ? "ADD" : "COPY";
    const ynode *src = yaml_get(e, "src"), *dest = yaml_get(e, "dest");
    const ynode *content = add ? NULL : yaml_get(e, "content");
    bool ok = true;
    if (!add && !src == !content) {
        bad(g, e, "a copy entry needs either 'src' or 'content'");
        return;
    }
    if (content && yaml_get(e, "from")) {
        bad(g, yaml_get(e, "from"), "'from' cannot be combined with 'content'");
        return;
    }
    items sl = src ? items_of((const ynode *const *)&src) : (items){0};
    if (src && sl.n == 0) {
        bad(g, src, "'src' needs at least one path");
        return;
    }
    for (size_t i = 0; i < sl.n; i++) {
        ok &= word_ok(g, sl.v[i], "a source path", true);
        if (sl.v[i]->text.n == 0) {
            bad(g, sl.v[i], "a source path cannot be empty");
            ok = false;
        }
    }
    ok &= word_ok(g, dest, "'dest'", true);
    if (dest->text.n == 0) {
        bad(g, dest, "'dest' cannot be empty");
        ok = false;
    }
    if (sl.n > 1 && dest->text.n && dest->text.p[dest->text.n - 1] != '/') {
        bad(g, dest, "with several sources, 'dest' must be a directory ending in /");
        ok = false;
    }
    if (content && memchr(content->text.p, '\0', content->text.n)) {
        bad(g, content, "'content' cannot contain a NUL byte");
        ok = false;
    }
    static const char *const flags[] = {"from", "chown", "chmod", "checksum", NULL};
    for (const char *const *f = flags; *f; f++) {
        const ynode *v = yaml_get(e, *f);
        char what[32];
        snprintf(what, sizeof what, "'%s'", *f);
        if (v && !flag_ok(g, v, what, false))
            ok = false;
    }
    items xl = {0};
    const ynode *exclude = yaml_get(e, "exclude");
    if (exclude) {
        xl = items_of((const ynode *const *)&exclude);
        for (size_t i = 0; i < xl.n; i++)
            ok &= flag_ok(g, xl.v[i], "an exclude pattern", false);
    }
    if (!ok)
        return;
    buf_puts(g->out, kw);
    for (const char *const *f = flags; *f; f++) {
        const ynode *v = yaml_get(e, *f);
        if (v)
            buf_printf(g->out, " --%s=" SLICE_FMT, *f, SLICE_ARG(v->text));
    }
    static const char *const bools[] = {"link", "parents", "keep_git_dir", NULL};
    for (const char *const *f = bools; *f; f++)
        if (spec_true(yaml_get(e, *f)))
            buf_printf(g->out, " --%s", strcmp(*f, "keep_git_dir") == 0 ? "keep-git-dir" : *f);
    g->labs |= spec_true(yaml_get(e, "parents"));
    for (size_t i = 0; i < xl.n; i++)
        buf_printf(g->out, " --exclude=" SLICE_FMT, SLICE_ARG(xl.v[i]->text));
    if (content && has_blank(dest->text)) {
        bad(g, dest, "with 'content', 'dest' cannot contain blanks");
        return;
    }
    if (content) {
        char delim[32];
        delimiter(content->text, delim, sizeof delim);
        buf_printf(g->out, " <<'%s' ", delim);
        quote_esc(g->out, dest->text, g->esc, false);
        buf_putc(g->out, '\n');
        put_heredoc_body(g, content->text, delim);
        return;
    }
    bool json = has_blank(dest->text);
    for (size_t i = 0; i < sl.n; i++)
        json |= has_blank(sl.v[i]->text);
    if (json) {
        buf_puts(g->out, " [");
        for (size_t i = 0; i <= sl.n; i++) {
            df_buf w = {0};
            quote_esc(&w, i < sl.n ? sl.v[i]->text : dest->text, g->esc, true);
            json_quote(g->out, (df_slice){w.p ? w.p : "", w.len});
            buf_puts(g->out, i < sl.n ? ", " : "]");
            buf_free(&w);
        }
    } else {
        for (size_t i = 0; i <= sl.n; i++) {
            buf_putc(g->out, ' ');
            quote_esc(g->out, i < sl.n ? sl.v[i]->text : dest->text, g->esc, false);
        }
    }
    buf_putc(g->out, '\n');
}

static void emit_entries(gen *g, const ynode *const *self, bool add)
{
    items l = items_of(self);
    for (size_t i = 0; i < l.n; i++)
        emit_copy(g, l.v[i], add);
}

/* CMD, ENTRYPOINT: a list is exec form, a string shell form. */
static void emit_command(gen *g, const char *kw, const ynode *v)
{
    if (v->kind == YN_SEQ) {
        if (!exec_ok(g, v, kw))
            return;
        buf_printf(g->out, "%s ", kw);
        put_json_list(g, v);
    } else {
        char what[32];
        snprintf(what, sizeof what, "a shell-form %s", kw);
        if (!shell_form_ok(g, v, what))
            return;
        buf_printf(g->out, "%s " SLICE_FMT, kw, SLICE_ARG(trimmed(v->text)));
    }
    buf_putc(g->out, '\n');
}

static void emit_shell(gen *g, const ynode *v)
{
    if (v->n == 0) {
        bad(g, v, "'shell' needs at least the program");
        return;
    }
    if (!exec_ok(g, v, "a shell argument"))
        return;
    buf_puts(g->out, "SHELL ");
    put_json_list(g, v);
    buf_putc(g->out, '\n');
}

static void emit_expose(gen *g, const ynode *const *self)
{
    items l = items_of(self);
    bool ok = true;
    for (size_t i = 0; i < l.n; i++) {
        const ynode *p = l.v[i];
        if (!word_ok(g, p, "a port", false))
            ok = false;
        else if (p->text.n == 0 || !quote_chars_ok(p->text, "/-") ||
                 !((p->text.p[0] >= '0' && p->text.p[0] <= '9') || p->text.p[0] == '$')) {
            bad(g, p, "a port must look like 8080, 8080/tcp, 53/udp or 8000-8010");
            ok = false;
        }
    }
    if (!ok || l.n == 0)
        return;
    buf_puts(g->out, "EXPOSE");
    for (size_t i = 0; i < l.n; i++) {
        buf_putc(g->out, ' ');
        quote_esc(g->out, l.v[i]->text, g->esc, false);
    }
    buf_putc(g->out, '\n');
}

static void emit_volumes(gen *g, const ynode *const *self)
{
    items l = items_of(self);
    bool ok = true;
    for (size_t i = 0; i < l.n; i++) {
        ok &= word_ok(g, l.v[i], "a volume", true);
        if (l.v[i]->text.n == 0) {
            bad(g, l.v[i], "a volume cannot be empty");
            ok = false;
        }
    }
    if (!ok || l.n == 0)
        return;
    buf_puts(g->out, "VOLUME [");
    for (size_t i = 0; i < l.n; i++) {
        df_buf w = {0};
        quote_esc(&w, l.v[i]->text, g->esc, true);
        if (i)
            buf_puts(g->out, ", ");
        json_quote(g->out, (df_slice){w.p ? w.p : "", w.len});
        buf_free(&w);
    }
    buf_puts(g->out, "]\n");
}

static void emit_healthcheck(gen *g, const ynode *h)
{
    if (h->kind == YN_SCALAR && slice_eq_str(h->text, "none")) {
        buf_puts(g->out, "HEALTHCHECK NONE\n");
        return;
    }
    const ynode *test = h->kind == YN_MAP ? yaml_get(h, "test") : h;
    if (test->kind == YN_SEQ && test->n == 0) {
        bad(g, test, "a healthcheck test needs at least the program");
        return;
    }
    bool ok = test->kind == YN_SEQ ? exec_ok(g, test, "a healthcheck argument")
                                   : shell_form_ok(g, test, "a shell-form healthcheck test");
    static const char *const durations[] = {"interval", "timeout", "start_period",
                                            "start_interval", NULL};
    for (const char *const *k = durations; *k && h->kind == YN_MAP; k++) {
        const ynode *v = yaml_get(h, *k);
        char what[32];
        snprintf(what, sizeof what, "'%s'", *k);
        if (v && !duration_ok(g, v, what))
            ok = false;
    }
    if (!ok)
        return;
    buf_puts(g->out, "HEALTHCHECK");
    for (const char *const *k = durations; *k && h->kind == YN_MAP; k++) {
        const ynode *v = yaml_get(h, *k);
        if (!v)
            continue;
        buf_puts(g->out, " --");
        for (const char *p = *k; *p; p++)
            buf_putc(g->out, *p == '_' ? '-' : *p);
        buf_printf(g->out, "=" SLICE_FMT, SLICE_ARG(v->text));
    }
    const ynode *retries = h->kind == YN_MAP ? yaml_get(h, "retries") : NULL;
    if (retries)
        buf_printf(g->out, " --retries=" SLICE_FMT, SLICE_ARG(retries->text));
    buf_puts(g->out, " CMD ");
    if (test->kind == YN_SEQ)
        put_json_list(g, test);
    else
        buf_put_slice(g->out, trimmed(test->text));
    buf_putc(g->out, '\n');
}

/* ---- packages ---- */

typedef struct manager {
    const char *key;
    const char *before;   /* a command before the install, or NULL */
    const char *install;  /* the install command, packages follow */
    const char *after;    /* cache cleanup (commands joined by " && "), or NULL */
} manager;

static const manager managers[] = {
    {"apt", "apt-get update",
     "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends",
     "rm -rf /var/lib/apt/lists/*"},
    {"apk", NULL, "apk add --no-cache", NULL},
    {"dnf", NULL, "dnf install -y --setopt=install_weak_deps=False", "dnf clean all"},
    {"yum", NULL, "yum install -y", "yum clean all && rm -rf /var/cache/yum"},
    {"microdnf", NULL, "microdnf install -y --nodocs --setopt=install_weak_deps=0",
     "microdnf clean all"},
    {"zypper", NULL, "zypper --non-interactive install --no-recommends", "zypper clean --all"},
    {"pip", NULL, "pip install --no-cache-dir", NULL},
    {"npm", NULL, "npm install --global", "npm cache clean --force"},
    {"gem", NULL, "gem install --no-document", NULL},
};

static int cmp_text(const void *a, const void *b)
{
    const ynode *x = *(const ynode *const *)a, *y = *(const ynode *const *)b;
    size_t n = x->text.n < y->text.n ? x->text.n : y->text.n;
    int r = n ? memcmp(x->text.p, y->text.p, n) : 0;
    return r ? r : (x->text.n > y->text.n) - (x->text.n < y->text.n);
}

/* One RUN per manager: install (sorted, without duplicates) and clean the caches. */
static void emit_packages(gen *g, const ynode *p)
{
    for (size_t m = 0; m < sizeof managers / sizeof managers[0]; m++) {
        const ynode *list = yaml_get(p, managers[m].key);
        if (!list)
            continue;
        items l = items_of((const ynode *const *)&list);
        bool ok = true;
        for (size_t i = 0; i < l.n; i++)
            ok &= sh_ok(g, l.v[i], "a package name");
        if (!ok || l.n == 0)
            continue;
        const ynode **sorted = xmalloc(l.n * sizeof *sorted);
        memcpy(sorted, l.v, l.n * sizeof *sorted);
        qsort(sorted, l.n, sizeof *sorted, cmp_text);
        size_t n = 0;
        for (size_t i = 0; i < l.n; i++)
            if (!n || !slice_eq(sorted[n - 1]->text, sorted[i]->text))
                sorted[n++] = sorted[i];
        buf_puts(g->out, "RUN ");
        if (managers[m].before) {
            buf_puts(g->out, managers[m].before);
            cont(g, "    && ");
        }
        buf_puts(g->out, managers[m].install);
        for (size_t i = 0; i < n; i++) {
            if (n > 1)
                cont(g, "        ");
            else
                buf_putc(g->out, ' ');
            quote_sh(g->out, sorted[i]->text);
        }
        for (const char *a = managers[m].after; a && *a;) {
            const char *e = strstr(a, " && ");
            cont(g, "    && ");
            buf_put(g->out, a, e ? (size_t)(e - a) : strlen(a));
            a = e ? e + 4 : NULL;
        }
        buf_putc(g->out, '\n');
        free(sorted);
    }
}

/* ---- stages ---- */

/* What a `build` shorthand puts into its runtime stage where the spec says nothing. */
typedef struct runtime {
    const char *from;        /* default base image (allocated) */
    const char *env;         /* ENV pairs text, each "K=v", '\n'-separated, or NULL */
    const char *workdir;
    const char *artifacts;   /* instructions copying the build's output, each ending in '\n' */
    const char *user;        /* only when `from` is the default image */
    const char *entrypoint;  /* JSON, used when the spec has no entrypoint */
    const char *cmd;         /* JSON, used when the spec has neither entrypoint nor cmd */
} runtime;

static void emit_key(gen *g, const char *key, const ynode *const *self);

static void emit_steps(gen *g, const ynode *steps)
{
    for (size_t i = 0; i < steps->n; i++) {
        const ynode *s = steps->v[i];
        char key[32];
        snprintf(key, sizeof key, "%.*s", SLICE_ARG(s->v[0]->text));
        emit_key(g, key, (const ynode *const *)&s->v[1]);
    }
}

static void emit_key(gen *g, const char *key, const ynode *const *self)
{
    const ynode *v = *self;
    if (strcmp(key, "args") == 0)
        emit_args(g, v);
    else if (strcmp(key, "shell") == 0)
        emit_shell(g, v);
    else if (strcmp(key, "env") == 0)
        emit_pairs(g, "ENV", v, false);
    else if (strcmp(key, "labels") == 0)
        emit_pairs(g, "LABEL", v, true);
    else if (strcmp(key, "packages") == 0)
        emit_packages(g, v);
    else if (strcmp(key, "workdir") == 0)
        emit_word(g, "WORKDIR", v, "'workdir'");
    else if (strcmp(key, "copy") == 0)
        emit_entries(g, self, false);
    else if (strcmp(key, "add") == 0)
        emit_entries(g, self, true);
    else if (strcmp(key, "run") == 0)
        emit_run(g, self);
    else if (strcmp(key, "steps") == 0)
        emit_steps(g, v);
    else if (strcmp(key, "user") == 0)
        emit_word(g, "USER", v, "'user'");
    else if (strcmp(key, "expose") == 0)
        emit_expose(g, self);
    else if (strcmp(key, "volumes") == 0)
        emit_volumes(g, self);
    else if (strcmp(key, "healthcheck") == 0)
        emit_healthcheck(g, v);
    else if (strcmp(key, "stopsignal") == 0) {
        if (word_ok(g, v, "'stopsignal'", false) &&
            literal_ok(g, v, "'stopsignal'", "${}", "a signal name or number (SIGTERM, 9)"))
            emit_word(g, "STOPSIGNAL", v, "'stopsignal'");
    } else if (strcmp(key, "entrypoint") == 0)
        emit_command(g, "ENTRYPOINT", v);
    else if (strcmp(key, "cmd") == 0)
        emit_command(g, "CMD", v);
    else
        unreachable();
}

static const char *const stage_order[] = {
    "args", "shell", "env", "labels", "packages", "workdir", "copy", "add", "run", "steps",
    "user", "expose", "volumes", "healthcheck", "stopsignal", "entrypoint", "cmd", NULL,
};

/* ENV of a runtime stage: the shorthand's defaults the spec does not override, then the spec's. */
static void emit_runtime_env(gen *g, const runtime *rt, const ynode *env)
{
    if (env && !pairs_ok(g, env, false))
        return;
    size_t count = 0;
    buf_puts(g->out, "ENV");
    for (const char *p = rt->env; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        df_slice name = {p, (size_t)((const char *)memchr(p, '=', len) - p)};
        bool overridden = false;
        for (size_t i = 0; env && i < env->n && !overridden; i++)
            overridden = slice_eq(env->v[2 * i]->text, name);
        if (!overridden) {
            sep(g, &count);
            buf_put(g->out, p, len);
        }
        p = e ? e + 1 : p + len;
    }
    if (env)
        put_pairs(g, env, &count);
    if (count) {
        buf_putc(g->out, '\n');
    } else {
        g->out->len -= 3; /* no pairs after all: take "ENV" back */
        g->out->p[g->out->len] = '\0';
    }
}

static void emit_from(gen *g, const ynode *stage, const char *default_from)
{
    const ynode *from = yaml_get(stage, "from"), *name = yaml_get(stage, "name");
    const ynode *platform = yaml_get(stage, "platform");
    bool ok = true;
    if (from)
        ok &= image_ok(g, from, "'from'");
    if (platform)
        ok &= flag_ok(g, platform, "'platform'", false);
    if (name) {
        if (!matches_name(name->text, true) || name->text.p[0] == '_') {
            bad(g, name, "a stage name starts with a letter and has letters, digits, _ . and -");
            ok = false;
        }
        for (size_t i = 0; i < g->nnames && ok; i++)
            if (g->names[i].n == name->text.n &&
                strncasecmp(g->names[i].p, name->text.p, name->text.n) == 0) {
                bad(g, name, "another stage is already named '" SLICE_FMT "' (names ignore case)",
                    SLICE_ARG(g->names[i]));
                ok = false;
            }
    }
    buf_puts(g->out, "FROM ");
    if (platform && ok)
        buf_printf(g->out, "--platform=" SLICE_FMT " ", SLICE_ARG(platform->text));
    if (from)
        quote_dq(g->out, from->text, g->esc);
    else
        buf_puts(g->out, default_from);
    if (name && ok) {
        buf_puts(g->out, " AS ");
        buf_put_slice(g->out, name->text);
        g->names = xrealloc(g->names, (g->nnames + 1) * sizeof *g->names);
        g->names[g->nnames++] = name->text;
    }
    buf_putc(g->out, '\n');
}

static void emit_stage(gen *g, const ynode *stage, const runtime *rt)
{
    emit_from(g, stage, rt ? rt->from : NULL);
    bool user_from = yaml_get(stage, "from") != NULL;
    for (const char *const *k = stage_order; *k; k++) {
        const ynode *const *v = NULL;
        for (size_t i = 0; i < stage->n; i++)
            if (slice_eq_str(stage->v[2 * i]->text, *k))
                v = (const ynode *const *)&stage->v[2 * i + 1];
        if (rt) {
            if (strcmp(*k, "env") == 0) {
                emit_runtime_env(g, rt, v ? *v : NULL);
                continue;
            }
            if (strcmp(*k, "workdir") == 0 && !v && rt->workdir)
                buf_printf(g->out, "WORKDIR %s\n", rt->workdir);
            if (strcmp(*k, "copy") == 0 && rt->artifacts)
                buf_puts(g->out, rt->artifacts);
            if (strcmp(*k, "user") == 0 && !v && rt->user && !user_from)
                buf_printf(g->out, "USER %s\n", rt->user);
            if (strcmp(*k, "entrypoint") == 0 && !v && rt->entrypoint)
                buf_printf(g->out, "ENTRYPOINT %s\n", rt->entrypoint);
            if (strcmp(*k, "cmd") == 0 && !v && rt->cmd && !yaml_get(stage, "entrypoint"))
                buf_printf(g->out, "CMD %s\n", rt->cmd);
        }
        if (v)
            emit_key(g, *k, v);
    }
}

/* ---- build shorthands ---- */

/* A setting of a shorthand, or its default. */
static df_slice setting(const ynode *b, const char *key, const char *def)
{
    const ynode *v = yaml_get(b, key);
    return v ? v->text : slice_from(def);
}

static bool settings_ok(gen *g, const ynode *b)
{
    bool ok = true;
    const ynode *v;
    if ((v = yaml_get(b, "version")))
        ok &= literal_ok(g, v, "'version'", ".-", "an image tag like 1.22 or 3.12");
    if ((v = yaml_get(b, "builder")))
        ok &= image_ok(g, v, "'builder'");
    if ((v = yaml_get(b, "binary")))
        ok &= literal_ok(g, v, "'binary'", ".-", "a file name (letters, digits, . _ -)");
    if ((v = yaml_get(b, "main")))
        ok &= word_ok(g, v, "'main'", false) && sh_ok(g, v, "'main'");
    if ((v = yaml_get(b, "script")))
        ok &= sh_ok(g, v, "'script'");
    if ((v = yaml_get(b, "ldflags"))) {
        const char *why = quote_problem(v->text, false, true);
        if (why)
            bad(g, v, "'ldflags' cannot contain %s", why);
        ok &= !why;
    }
    if ((v = yaml_get(b, "jar")))
        ok &= literal_ok(g, v, "'jar'", "./*?-", "a path or glob (letters, digits, . / * ? _ -)");
    if ((v = yaml_get(b, "requirements")))
        ok &= literal_ok(g, v, "'requirements'", "./-", "a path (letters, digits, . / _ -)");
    return ok;
}

/* The builder stage text of a shorthand and the runtime stage's defaults. */
static bool emit_build(gen *g, const ynode *build, runtime *rt, df_buf *keep)
{
    const ynode *k = build->v[0], *b = build->v[1]; /* checked: a mapping (`go: {}` for defaults) */
    if (!settings_ok(g, b))
        return false;
    df_buf *o = g->out;
    df_buf *s = keep; /* runtime strings live in keep, '\0'-separated */
    size_t mark[8], nm = 0;
#define KEEP(...) (mark[nm++] = s->len, buf_printf(s, __VA_ARGS__), buf_putc(s, '\0'))
    if (slice_eq_str(k->text, "go")) {
        df_slice version = setting(b, "version", "1"), binary = setting(b, "binary", "app");
        df_slice ldflags = setting(b, "ldflags", "-s -w");
        bool cgo = spec_true(yaml_get(b, "cgo"));
        const ynode *builder = yaml_get(b, "builder");
        buf_puts(o, "FROM ");
        if (builder)
            quote_dq(o, builder->text, g->esc);
        else
            buf_printf(o, "golang:" SLICE_FMT, SLICE_ARG(version));
        buf_puts(o, " AS build\nWORKDIR /src\nCOPY go.mod go.sum* ./\n");
        buf_puts(o, "RUN --mount=type=cache,target=/go/pkg/mod");
        cont(g, "    ");
        buf_puts(o, "go mod download\nCOPY . .\n");
        buf_puts(o, "RUN --mount=type=cache,target=/go/pkg/mod");
        cont(g, "    ");
        buf_puts(o, "--mount=type=cache,target=/root/.cache/go-build");
        cont(g, "    ");
        buf_printf(o, "CGO_ENABLED=%d go build -trimpath", cgo);
        if (ldflags.n) {
            buf_puts(o, " -ldflags=");
            quote_sh(o, ldflags);
        }
        buf_printf(o, " -o /out/" SLICE_FMT " ", SLICE_ARG(binary));
        quote_sh(o, setting(b, "main", "."));
        buf_puts(o, "\n\n");
        KEEP("%s", cgo ? "gcr.io/distroless/base-debian12:nonroot"
                       : "gcr.io/distroless/static-debian12:nonroot");
        KEEP("COPY --from=build /out/%.*s /%.*s\n", SLICE_ARG(binary), SLICE_ARG(binary));
        KEEP("nonroot:nonroot");
        KEEP("[\"/%.*s\"]", SLICE_ARG(binary));
        rt->from = s->p + mark[0], rt->artifacts = s->p + mark[1];
        rt->user = s->p + mark[2], rt->entrypoint = s->p + mark[3];
    } else if (slice_eq_str(k->text, "node")) {
        df_slice version = setting(b, "version", "22");
        const ynode *builder = yaml_get(b, "builder"), *script = yaml_get(b, "script");
        buf_puts(o, "FROM ");
        if (builder)
            quote_dq(o, builder->text, g->esc);
        else
            buf_printf(o, "node:" SLICE_FMT "-slim", SLICE_ARG(version));
        buf_puts(o, " AS build\nWORKDIR /app\nCOPY package.json package-lock.json* ./\n");
        buf_puts(o, "RUN --mount=type=cache,target=/root/.npm");
        cont(g, "    ");
        buf_puts(o, "npm ci\nCOPY . .\n");
        buf_puts(o, "RUN ");
        if (script) {
            buf_puts(o, "npm run ");
            quote_sh(o, script->text);
            cont(g, "    && ");
        }
        buf_puts(o, "npm prune --omit=dev\n\n");
        KEEP("node:%.*s-slim", SLICE_ARG(version));
        KEEP("NODE_ENV=production");
        KEEP("COPY --from=build /app ./\n");
        df_buf j = {0};
        json_quote(&j, setting(b, "main", "index.js"));
        KEEP("[\"node\", %s]", j.p);
        buf_free(&j);
        rt->from = s->p + mark[0], rt->env = s->p + mark[1], rt->workdir = "/app";
        rt->artifacts = s->p + mark[2], rt->user = "node", rt->cmd = s->p + mark[3];
    } else if (slice_eq_str(k->text, "java")) {
        df_slice version = setting(b, "version", "21");
        bool gradle = slice_eq_str(setting(b, "tool", "maven"), "gradle");
        df_slice jar = setting(b, "jar", gradle ? "build/libs/*.jar" : "target/*.jar");
        const ynode *builder = yaml_get(b, "builder");
        buf_puts(o, "FROM ");
        if (builder)
            quote_dq(o, builder->text, g->esc);
        else if (gradle)
            buf_printf(o, "gradle:8-jdk" SLICE_FMT, SLICE_ARG(version));
        else
            buf_printf(o, "maven:3-eclipse-temurin-" SLICE_FMT, SLICE_ARG(version));
        buf_puts(o, " AS build\nWORKDIR /src\n");
        const char *cache = gradle ? "/home/gradle/.gradle" : "/root/.m2";
        if (gradle) {
            buf_puts(o, "COPY . .\n");
        } else {
            buf_puts(o, "COPY pom.xml ./\n");
            buf_printf(o, "RUN --mount=type=cache,target=%s", cache);
            cont(g, "    ");
            buf_puts(o, "mvn -B -q dependency:go-offline\nCOPY src ./src\n");
        }
        buf_printf(o, "RUN --mount=type=cache,target=%s", cache);
        cont(g, "    ");
        buf_puts(o, gradle ? "gradle build -x test --no-daemon" : "mvn -B -q package -DskipTests");
        cont(g, "    && ");
        buf_puts(o, "mkdir -p /out");
        cont(g, "    && ");
        buf_printf(o, "cp " SLICE_FMT " /out/app.jar\n\n", SLICE_ARG(jar));
        KEEP("eclipse-temurin:%.*s-jre", SLICE_ARG(version));
        rt->from = s->p + mark[0], rt->workdir = "/app";
        rt->artifacts = "COPY --from=build /out/app.jar /app/app.jar\n";
        rt->entrypoint = "[\"java\", \"-jar\", \"/app/app.jar\"]";
    } else if (slice_eq_str(k->text, "rust")) {
        df_slice version = setting(b, "version", "1"), binary = setting(b, "binary", "");
        const ynode *builder = yaml_get(b, "builder");
        buf_puts(o, "FROM ");
        if (builder)
            quote_dq(o, builder->text, g->esc);
        else
            buf_printf(o, "rust:" SLICE_FMT, SLICE_ARG(version));
        buf_puts(o, " AS build\nWORKDIR /src\nCOPY . .\n");
        buf_puts(o, "RUN --mount=type=cache,target=/usr/local/cargo/registry");
        cont(g, "    ");
        buf_puts(o, "--mount=type=cache,target=/src/target");
        cont(g, "    ");
        buf_puts(o, "cargo build --release --locked");
        cont(g, "    && ");
        buf_puts(o, "mkdir -p /out");
        cont(g, "    && ");
        buf_printf(o, "cp target/release/" SLICE_FMT " /out/\n\n", SLICE_ARG(binary));
        KEEP("COPY --from=build /out/%.*s /usr/local/bin/%.*s\n", SLICE_ARG(binary),
             SLICE_ARG(binary));
        KEEP("[\"/usr/local/bin/%.*s\"]", SLICE_ARG(binary));
        rt->from = "debian:bookworm-slim", rt->artifacts = s->p + mark[0];
        rt->entrypoint = s->p + mark[1];
    } else if (slice_eq_str(k->text, "python")) {
        df_slice version = setting(b, "version", "3.12");
        df_slice req = setting(b, "requirements", "requirements.txt");
        const ynode *builder = yaml_get(b, "builder");
        buf_puts(o, "FROM ");
        if (builder)
            quote_dq(o, builder->text, g->esc);
        else
            buf_printf(o, "python:" SLICE_FMT "-slim", SLICE_ARG(version));
        buf_puts(o, " AS build\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\n");
        buf_printf(o, "WORKDIR /app\nCOPY " SLICE_FMT " ./\n", SLICE_ARG(req));
        buf_puts(o, "RUN --mount=type=cache,target=/root/.cache/pip");
        cont(g, "    ");
        buf_printf(o, "pip install -r " SLICE_FMT "\n\n", SLICE_ARG(req));
        KEEP("python:%.*s-slim", SLICE_ARG(version));
        df_buf j = {0};
        json_quote(&j, setting(b, "main", "app.py"));
        KEEP("[\"python\", %s]", j.p);
        buf_free(&j);
        rt->from = s->p + mark[0], rt->cmd = s->p + mark[1];
        rt->env = "PATH=/opt/venv/bin:$PATH\nPYTHONDONTWRITEBYTECODE=1\nPYTHONUNBUFFERED=1";
        rt->workdir = "/app";
        rt->artifacts = "COPY --from=build /opt/venv /opt/venv\nCOPY . .\n";
    } else {
        unreachable();
    }
#undef KEEP
    g->names = xrealloc(g->names, (g->nnames + 1) * sizeof *g->names);
    g->names[g->nnames++] = SLICE("build");
    return true;
}

/* ---- the document ---- */

static void emit_ignore(gen *g, const ynode *const *self, gen_output *out)
{
    items l = items_of(self);
    out->has_ignore = true;
    buf_put(&out->ignore, "", 0);
    for (size_t i = 0; i < l.n; i++) {
        const ynode *p = l.v[i];
        df_slice s = p->text;
        if (!word_ok(g, p, "an ignore pattern", false))
            continue;
        if (s.n == 0 || trimmed(s).n != s.n || s.p[0] == '#') {
            bad(g, p, "an ignore pattern cannot be empty, start with '#' or start or end with "
                "blanks");
            continue;
        }
        buf_put_slice(&out->ignore, s);
        buf_putc(&out->ignore, '\n');
    }
}

bool gen_emit(const df_doc *src, const ynode *root, df_diags *d, gen_output *out)
{
    gen g = {.src = src, .d = d, .out = &out->dockerfile, .esc = '\\'};
    size_t before = d->nerrors;
    const ynode *escape = yaml_get(root, "escape"), *syntax = yaml_get(root, "syntax");
    if (escape)
        g.esc = escape->text.p[0];
    bool directives = false;
    if (syntax && syntax->text.n) {
        if (image_ok(&g, syntax, "'syntax'"))
            buf_printf(g.out, "# syntax=" SLICE_FMT "\n", SLICE_ARG(syntax->text));
        directives = true;
    } else if (!syntax) {
        buf_puts(g.out, "# syntax=docker/dockerfile:1\n");
        directives = true;
    }
    size_t default_syntax_end = syntax ? 0 : g.out->len - 1;
    if (g.esc != '\\') {
        buf_printf(g.out, "# escape=%c\n", g.esc);
        directives = true;
    }
    if (directives)
        buf_putc(g.out, '\n');
    const ynode *args = yaml_get(root, "global_args");
    if (args && args->n) {
        emit_args(&g, args);
        buf_putc(g.out, '\n');
    }
    const ynode *stages = yaml_get(root, "stages"), *build = yaml_get(root, "build");
    if (stages) {
        items l = items_of((const ynode *const *)&stages);
        if (l.n == 0)
            yaml_error(d, src, stages, "'stages' needs at least one stage");
        for (size_t i = 0; i < l.n; i++) {
            if (i)
                buf_putc(g.out, '\n');
            emit_stage(&g, l.v[i], NULL);
        }
    } else if (build) {
        runtime rt = {0};
        df_buf keep = {0};
        if (emit_build(&g, build, &rt, &keep))
            emit_stage(&g, root, &rt);
        buf_free(&keep);
    } else {
        emit_stage(&g, root, NULL);
    }
    const ynode *const *ignore = NULL;
    for (size_t i = 0; i < root->n; i++)
        if (slice_eq_str(root->v[2 * i]->text, "ignore"))
            ignore = (const ynode *const *)&root->v[2 * i + 1];
    if (ignore)
        emit_ignore(&g, ignore, out);
    if (g.labs && default_syntax_end) {
        /* COPY --parents is in the labs channel: docker/dockerfile:1 -> docker/dockerfile:1-labs */
        df_buf rest = {0};
        buf_put(&rest, g.out->p + default_syntax_end, g.out->len - default_syntax_end);
        g.out->len = default_syntax_end;
        buf_puts(g.out, "-labs");
        buf_put(g.out, rest.p, rest.len);
        buf_free(&rest);
    }
    free(g.names);
    return d->nerrors == before;
}
