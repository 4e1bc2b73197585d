/*
 * lint_format.c: the findings of `dfopt lint` in the formats people and CI systems read.
 *
 *   tty         file:line:col: severity: message [ID name; hadolint DLxxxx; BuildKit Check],
 *               the source line, a caret line, and the fix as -/+ lines
 *   json        dfopt's own: {"version", "tool", "findings": [...], "summary"}
 *   sarif       SARIF 2.1.0: tool.driver.rules[] (the whole rule table), results with
 *               partialFingerprints and fixes (columns counted in Unicode code points)
 *   rdjson      reviewdog's DiagnosticResult; fixes are `suggestions`, written line-based so
 *   rdjsonl     reviewdog turns them into GitHub/GitLab suggestions; rdjsonl: one Diagnostic
 *               per line
 *   github      GitHub Actions workflow commands (::error/::warning/::notice file=...::msg)
 *   checkstyle  Checkstyle XML
 *   gitlab      GitLab Code Quality (Code Climate) JSON
 *
 * Every format lists files in the order given and findings by position. A report is made in
 * parts (a head, one part per file, a tail; see lint.h): a file's part depends only on the file,
 * so files can be rendered as they are done, and the parts joined in order later.
 */
#include "lint.h"

#include <stdarg.h>
#include <string.h>

static const char *const format_names[] = {
    [FMT_TTY] = "tty",       [FMT_JSON] = "json",     [FMT_SARIF] = "sarif",
    [FMT_RDJSON] = "rdjson", [FMT_RDJSONL] = "rdjsonl", [FMT_GITHUB] = "github",
    [FMT_CHECKSTYLE] = "checkstyle", [FMT_GITLAB] = "gitlab",
};

bool lint_format_parse(const char *s, lint_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(s, format_names[i]) == 0) {
            *out = (lint_format)i;
            return true;
        }
    return false;
}

static void put_num(df_buf *b, size_t v)
{
    char d[24];
    size_t i = sizeof d;
    do
        d[--i] = (char)('0' + v % 10);
    while (v /= 10);
    buf_put(b, d + i, sizeof d - i);
}

/* buf_printf for what the formats write per finding, without the cost of vsnprintf: only %s,
 * %zu and %% (the compiler checks the arguments as for printf). */
static void put(df_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(df_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p;) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_puts(b, p);
            break;
        }
        buf_put(b, p, (size_t)(pct - p));
        if (pct[1] == 's') {
            buf_puts(b, va_arg(ap, const char *));
            p = pct + 2;
        } else if (pct[1] == 'z' && pct[2] == 'u') {
            put_num(b, va_arg(ap, size_t));
            p = pct + 3;
        } else if (pct[1] == '%') {
            buf_putc(b, '%');
            p = pct + 2;
        } else {
            die("put: unsupported conversion in \"%s\"", fmt);
        }
    }
    va_end(ap);
}

static void jstr(df_buf *b, const char *s, size_t n)
{
    /* most text (rule names, paths, messages) is printable ASCII without '"' or '\\', which
     * json_quote would copy byte for byte: copied whole */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
            json_quote(b, (df_slice){s, n});
            return;
        }
    }
    buf_putc(b, '"');
    buf_put(b, s, n);
    buf_putc(b, '"');
}

static void jcstr(df_buf *b, const char *s)
{
    jstr(b, s, strlen(s));
}

/* A comma-separated list (hadolint codes, BuildKit names) as a JSON array. */
static void jcodes(df_buf *b, const char *list)
{
    buf_putc(b, '[');
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (p != list)
            buf_putc(b, ',');
        jstr(b, p, n);
        p = e ? e + 1 : p + n;
    }
    buf_putc(b, ']');
}

/* The 1-based column of byte column col on line `line`, counted in code points. */
static size_t cp_col(const lint_file *f, size_t line, size_t col)
{
    if (line == 0 || line > f->nlines)
        return col;
    size_t s = f->lines[line - 1], n = 1;
    for (size_t i = s; i < s + col - 1 && i < f->len; i++)
        n += ((unsigned char)f->src[i] & 0xC0) != 0x80;
    return n;
}

/* A file path as a relative URI reference: unreserved bytes and '/' kept, the rest %XX. */
static void put_uri(df_buf *b, const char *path)
{
    df_buf u = {0};
    buf_put(&u, "", 0);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            buf_putc(&u, (char)*p);
        else
            buf_printf(&u, "%%%02X", *p);
    }
    jstr(b, u.p, u.len);
    buf_free(&u);
}

static const char *display_path(const lint_file *f)
{
    return strcmp(f->path, "-") == 0 ? "<stdin>" : f->path;
}

/* ---- tty ---- */

static const char *sev_color(lint_severity s)
{
    switch (s) {
    case SEV_ERROR: return "\033[1;31m";
    case SEV_WARNING: return "\033[1;35m";
    case SEV_INFO: return "\033[1;36m";
    default: return "\033[1;34m";
    }
}

/* Text from the Dockerfile for a terminal: control characters (escape sequences) as '?', one
 * byte for one, so a hostile file cannot drive the terminal and carets still line up. */
static void tty_safe(df_buf *b, const char *s, size_t n)
{
    size_t start = b->len;
    buf_put(b, s, n);
    for (char *p = b->p + start, *e = b->p + b->len; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            *p = '?';
    }
}

/* Prints the lines of s, each prefixed by tag (and coloured), a missing final newline added. */
static void tty_lines(df_buf *b, const char *s, size_t n, const char *tag, const char *color)
{
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        size_t shown = e;
        while (shown > i && s[shown - 1] == '\r')
            shown--;
        put(b, "%s  %s ", color ? color : "", tag);
        tty_safe(b, s + i, shown - i);
        put(b, "%s\n", color ? "\033[0m" : "");
        i = e + 1;
    }
}

static void tty_file(df_buf *b, const lint_file *f, bool color)
{
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        const lint_rule *r = g->rule;
        if (color)
            buf_puts(b, "\033[1m");
        put(b, "%s:%zu:%zu: ", display_path(f), g->line, g->col);
        put(b, "%s%s:%s ", color ? sev_color(g->severity) : "",
                   lint_severity_name(g->severity), color ? "\033[0m\033[1m" : "");
        tty_safe(b, g->message, strlen(g->message));
        put(b, " [%s %s", r->id, r->name);
        if (r->hadolint[0])
            put(b, "; hadolint %s", r->hadolint);
        if (r->buildkit[0])
            put(b, "; BuildKit %s", r->buildkit);
        put(b, "]%s\n", color ? "\033[0m" : "");
        /* the source line and a caret line under the located part of it */
        if (g->line >= 1 && g->line <= f->nlines) {
            size_t s = f->lines[g->line - 1], e = s;
            while (e < f->len && f->src[e] != '\n')
                e++;
            while (e > s && f->src[e - 1] == '\r')
                e--;
            if (e > s) {
                tty_safe(b, f->src + s, e - s);
                buf_putc(b, '\n');
                size_t c0 = g->col - 1, c1 = g->end_line == g->line ? g->end_col - 1 : e - s;
                if (c1 > e - s)
                    c1 = e - s;
                /* one mark per character: UTF-8 continuation bytes take no column */
                for (size_t c = 0; c < c0 && c < e - s; c++)
                    if (((unsigned char)f->src[s + c] & 0xC0) != 0x80)
                        buf_putc(b, f->src[s + c] == '\t' ? '\t' : ' ');
                if (color)
                    buf_puts(b, "\033[1;32m");
                buf_putc(b, '^');
                for (size_t c = c0 + 1; c < c1; c++)
                    if (((unsigned char)f->src[s + c] & 0xC0) != 0x80)
                        buf_putc(b, '~');
                buf_puts(b, color ? "\033[0m\n" : "\n");
            }
        }
        if (g->fix) {
            size_t l0, c0, l1, c1;
            lint_pos(f, g->fix->off, &l0, &c0);
            lint_pos(f, g->fix->off + g->fix->len, &l1, &c1);
            const char *what = g->fix->textlen == 0 ? "delete" : "replace";
            if (g->fix->len == 0)
                put(b, "  fix: insert before line %zu:\n", l0);
            else if (c1 == 1 && l1 - 1 == l0)
                put(b, "  fix: %s line %zu:\n", what, l0);
            else
                put(b, "  fix: %s lines %zu-%zu:\n", what, l0, c1 == 1 ? l1 - 1 : l1);
            tty_lines(b, f->src + g->fix->off, g->fix->len, "-", color ? "\033[31m" : NULL);
            tty_lines(b, g->fix->text, g->fix->textlen, "+", color ? "\033[32m" : NULL);
        }
    }
}

static void tty_tail(df_buf *b, const lint_totals *t)
{
    const size_t *count = t->count;
    size_t total = t->findings, with = t->with_findings, fixes = t->fixes;
    if (total == 0)
        return;
    put(b, "%zu finding%s in %zu file%s:", total, total == 1 ? "" : "s", with,
               with == 1 ? "" : "s");
    const char *sep = " ";
    for (int s = SEV_ERROR; s >= SEV_STYLE; s--) {
        if (!count[s])
            continue;
        bool plural = count[s] > 1 && (s == SEV_ERROR || s == SEV_WARNING);
        put(b, "%s%zu %s%s", sep, count[s], lint_severity_name((lint_severity)s),
                   plural ? "s" : "");
        sep = ", ";
    }
    put(b, "; %zu with a fix\n", fixes);
}

/* ---- json ---- */

static void json_pos(df_buf *b, const char *prefix, size_t line, size_t col)
{
    put(b, "\"%sline\": %zu, \"%scolumn\": %zu", prefix, line, prefix, col);
}

static void json_head(df_buf *b)
{
    put(b, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"dfopt\", \"version\": \"%s\"},\n"
                  "  \"findings\": [",
               DFOPT_VERSION);
}

static void json_file(df_buf *b, const lint_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        buf_puts(b, i ? ",\n    {" : "\n    {");
        buf_puts(b, "\"file\": ");
        jcstr(b, display_path(f));
        buf_puts(b, ", \"rule\": ");
        jcstr(b, g->rule->id);
        buf_puts(b, ", \"name\": ");
        jcstr(b, g->rule->name);
        put(b, ", \"severity\": \"%s\", \"message\": ", lint_severity_name(g->severity));
        jcstr(b, g->message);
        buf_puts(b, ", ");
        json_pos(b, "", g->line, g->col);
        buf_puts(b, ", ");
        json_pos(b, "end_", g->end_line, g->end_col);
        buf_puts(b, ", \"hadolint\": ");
        jcodes(b, g->rule->hadolint);
        buf_puts(b, ", \"buildkit\": ");
        jcodes(b, g->rule->buildkit);
        put(b, ", \"fingerprint\": \"%s\", \"fix\": ", g->fingerprint);
        if (g->fix) {
            size_t l0, c0, l1, c1;
            lint_pos(f, g->fix->off, &l0, &c0);
            lint_pos(f, g->fix->off + g->fix->len, &l1, &c1);
            buf_puts(b, "{");
            json_pos(b, "", l0, c0);
            buf_puts(b, ", ");
            json_pos(b, "end_", l1, c1);
            put(b, ", \"offset\": %zu, \"length\": %zu, \"replacement\": ", g->fix->off,
                       g->fix->len);
            jstr(b, g->fix->text, g->fix->textlen);
            buf_puts(b, "}");
        } else {
            buf_puts(b, "null");
        }
        buf_puts(b, "}");
    }
}

static void json_tail(df_buf *b, const lint_totals *t)
{
    put(b, "%s],\n  \"summary\": {\"files\": %zu, \"findings\": %zu",
               t->findings ? "\n  " : "", t->files, t->findings);
    for (int s = SEV_ERROR; s >= SEV_STYLE; s--)
        put(b, ", \"%s\": %zu", lint_severity_name((lint_severity)s), t->count[s]);
    buf_puts(b, "}\n}\n");
}

/* ---- sarif ---- */

static const char *sarif_level(lint_severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static void sarif_region(df_buf *b, const lint_file *f, size_t l0, size_t c0, size_t l1,
                         size_t c1)
{
    put(b, "{\"startLine\": %zu, \"startColumn\": %zu, \"endLine\": %zu, \"endColumn\": %zu}",
               l0, cp_col(f, l0, c0), l1, cp_col(f, l1, c1));
}

static void sarif_head(df_buf *b)
{
    buf_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
                "      \"tool\": {\n        \"driver\": {\n          \"name\": \"dfopt\",\n");
    put(b, "          \"version\": \"%s\",\n          \"semanticVersion\": \"%s\",\n"
                  "          \"rules\": [",
               DFOPT_VERSION, DFOPT_VERSION);
    for (size_t i = 0; i < R_COUNT; i++) {
        const lint_rule *r = &lint_rules[i];
        /* a pass rule points at the pass's own text, which changes with the pass */
        df_buf pass_text = {0};
        if (!r->explain)
            put(&pass_text, "%s. Fixed by the optimizer pass `%s`, whose exact edit is the "
                                   "fix; `dfopt --explain %s` describes it.",
                       r->message, r->name, r->name);
        const char *explain = r->explain ? r->explain : pass_text.p;
        buf_puts(b, i ? ",\n            {" : "\n            {");
        buf_puts(b, "\"id\": ");
        jcstr(b, r->id);
        buf_puts(b, ", \"name\": ");
        jcstr(b, r->name);
        buf_puts(b, ", \"shortDescription\": {\"text\": ");
        jcstr(b, r->message);
        buf_puts(b, "}, \"fullDescription\": {\"text\": ");
        jcstr(b, explain ? explain : r->message);
        put(b, "}, \"defaultConfiguration\": {\"level\": \"%s\", \"enabled\": %s}",
                   sarif_level(r->severity), r->flags & LR_OFF ? "false" : "true");
        buf_puts(b, ", \"properties\": {\"hadolint\": ");
        jcodes(b, r->hadolint);
        buf_puts(b, ", \"buildkit\": ");
        jcodes(b, r->buildkit);
        put(b, ", \"tags\": [\"dockerfile\"%s]}}",
                   r->flags & LR_PASS ? ", \"optimization\"" : "");
        buf_free(&pass_text);
    }
    buf_puts(b, "\n          ]\n        }\n      },\n"
                "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
}

static void sarif_file(df_buf *b, const lint_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        buf_puts(b, i ? ",\n        {" : "\n        {");
        buf_puts(b, "\"ruleId\": ");
        jcstr(b, g->rule->id);
        put(b, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ",
                   (size_t)(g->rule - lint_rules), sarif_level(g->severity));
        jcstr(b, g->message);
        buf_puts(b, "},\n          \"locations\": [{\"physicalLocation\": "
                    "{\"artifactLocation\": {\"uri\": ");
        put_uri(b, display_path(f));
        buf_puts(b, "}, \"region\": ");
        sarif_region(b, f, g->line, g->col, g->end_line, g->end_col);
        put(b, "}}],\n          \"partialFingerprints\": {\"dfopt/v1\": \"%s\"}",
                   g->fingerprint);
        if (g->fix) {
            size_t l0, c0, l1, c1;
            lint_pos(f, g->fix->off, &l0, &c0);
            lint_pos(f, g->fix->off + g->fix->len, &l1, &c1);
            buf_puts(b, ",\n          \"fixes\": [{\"description\": {\"text\": ");
            df_buf d = {0};
            put(&d, "Apply the %s rewrite", g->rule->name);
            jstr(b, d.p, d.len);
            buf_free(&d);
            buf_puts(b, "}, \"artifactChanges\": [{\"artifactLocation\": {\"uri\": ");
            put_uri(b, display_path(f));
            buf_puts(b, "}, \"replacements\": [{\"deletedRegion\": ");
            sarif_region(b, f, l0, c0, l1, c1);
            buf_puts(b, ", \"insertedContent\": {\"text\": ");
            jstr(b, g->fix->text, g->fix->textlen);
            buf_puts(b, "}}]}]}]");
        }
        buf_puts(b, "}");
    }
}

/* ---- reviewdog ---- */

static const char *rd_severity(lint_severity s)
{
    return s == SEV_ERROR ? "ERROR" : s == SEV_WARNING ? "WARNING" : "INFO";
}

static void rd_diagnostic(df_buf *b, const lint_file *f, const lint_finding *g)
{
    buf_puts(b, "{\"message\": ");
    jcstr(b, g->message);
    buf_puts(b, ", \"location\": {\"path\": ");
    jcstr(b, display_path(f));
    put(b, ", \"range\": {\"start\": {\"line\": %zu, \"column\": %zu}, "
                  "\"end\": {\"line\": %zu, \"column\": %zu}}}",
               g->line, g->col, g->end_line, g->end_col);
    put(b, ", \"severity\": \"%s\", \"source\": {\"name\": \"dfopt\"}, \"code\": {\"value\": ",
               rd_severity(g->severity));
    jcstr(b, g->rule->id);
    buf_puts(b, "}");
    if (g->fix) {
        size_t first, last, tl;
        char *t;
        buf_puts(b, ", \"suggestions\": [{\"range\": ");
        if (lint_fix_lines(f, g->fix, &first, &last, &t, &tl)) {
            put(b, "{\"start\": {\"line\": %zu}, \"end\": {\"line\": %zu}}, \"text\": ",
                       first, last);
            jstr(b, t, tl);
            free(t);
        } else {
            size_t a, e, t0, t1, l0, c0, l1, c1;
            lint_fix_trim(f, g->fix, &a, &e, &t0, &t1);
            lint_pos(f, a, &l0, &c0);
            lint_pos(f, e, &l1, &c1);
            put(b, "{\"start\": {\"line\": %zu, \"column\": %zu}, "
                          "\"end\": {\"line\": %zu, \"column\": %zu}}, \"text\": ",
                       l0, c0, l1, c1);
            jstr(b, g->fix->text + t0, t1 - t0);
        }
        buf_puts(b, "}]");
    }
    buf_puts(b, ", \"original_output\": ");
    df_buf o = {0};
    put(&o, "%s:%zu:%zu: %s: %s [%s]", display_path(f), g->line, g->col,
               lint_severity_name(g->severity), g->message, g->rule->id);
    jstr(b, o.p, o.len);
    buf_free(&o);
    buf_puts(b, "}");
}

static void rdjson_file(df_buf *b, const lint_file *f, bool lines)
{
    for (size_t i = 0; i < f->n; i++) {
        if (!lines)
            buf_puts(b, i ? ",\n    " : "\n    ");
        rd_diagnostic(b, f, &f->v[i]);
        if (lines)
            buf_putc(b, '\n');
    }
}

/* ---- github ---- */

/* Workflow command escaping: data escapes % CR LF; property values also : and ,. */
static void gh_escape(df_buf *b, const char *s, size_t n, bool property)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i; /* a run that needs no escape is copied whole */
        while (j < n && s[j] != '%' && s[j] != '\r' && s[j] != '\n' &&
               !(property && (s[j] == ':' || s[j] == ',')))
            j++;
        buf_put(b, s + i, j - i);
        if (j == n)
            break;
        char c = s[j];
        buf_puts(b, c == '%' ? "%25" : c == '\r' ? "%0D" : c == '\n' ? "%0A" : c == ':' ? "%3A" : "%2C");
        i = j + 1;
    }
}

static void github_file(df_buf *b, const lint_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        const char *cmd = g->severity == SEV_ERROR     ? "error"
                          : g->severity == SEV_WARNING ? "warning"
                                                       : "notice";
        put(b, "::%s file=", cmd);
        const char *path = display_path(f);
        gh_escape(b, path, strlen(path), true);
        put(b, ",line=%zu,endLine=%zu,col=%zu,endColumn=%zu,title=", g->line,
                   g->end_line, g->col, g->end_col);
        df_buf t = {0};
        put(&t, "%s %s", g->rule->id, g->rule->name);
        if (g->rule->hadolint[0])
            put(&t, " (hadolint %s)", g->rule->hadolint);
        gh_escape(b, t.p, t.len, true);
        buf_free(&t);
        buf_puts(b, "::");
        df_buf m = {0};
        buf_puts(&m, g->message);
        if (g->fix) {
            size_t l0, c0, l1, c1;
            lint_pos(f, g->fix->off, &l0, &c0);
            lint_pos(f, g->fix->off + g->fix->len, &l1, &c1);
            size_t last = l1 - (c1 == 1 && l1 > l0);
            put(&m, "\nSuggested fix: %s line%s %zu",
                       g->fix->textlen ? "replace" : "delete", last > l0 ? "s" : "", l0);
            if (last > l0)
                put(&m, "-%zu", last);
            buf_puts(&m, g->fix->textlen ? " with:\n" : "");
            buf_put(&m, g->fix->text, g->fix->textlen);
            while (m.len && (m.p[m.len - 1] == '\n' || m.p[m.len - 1] == '\r'))
                m.p[--m.len] = '\0';
        }
        gh_escape(b, m.p, m.len, false);
        buf_free(&m);
        buf_putc(b, '\n');
    }
}

/* ---- checkstyle ---- */

static void xml_escape(df_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': buf_puts(b, "&amp;"); i++; continue;
        case '<': buf_puts(b, "&lt;"); i++; continue;
        case '>': buf_puts(b, "&gt;"); i++; continue;
        case '"': buf_puts(b, "&quot;"); i++; continue;
        case '\'': buf_puts(b, "&apos;"); i++; continue;
        case '\t': buf_puts(b, "&#9;"); i++; continue;
        case '\n': buf_puts(b, "&#10;"); i++; continue;
        case '\r': buf_puts(b, "&#13;"); i++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            buf_puts(b, "&#xFFFD;"); /* not allowed in XML 1.0 */
            i++;
        } else if (c < 0x80) {
            buf_putc(b, (char)c);
            i++;
        } else {
            size_t w;
            uint32_t r = utf8_decode(s + i, n - i, &w);
            if (r == 0xFFFE || r == 0xFFFF)
                r = 0xFFFD;
            utf8_append(b, r);
            i += w;
        }
    }
}

static void checkstyle_file(df_buf *b, const lint_file *f)
{
    const char *path = display_path(f);
    buf_puts(b, "  <file name=\"");
    xml_escape(b, path, strlen(path));
    if (f->n == 0) {
        buf_puts(b, "\"/>\n");
        return;
    }
    buf_puts(b, "\">\n");
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        const char *sev = g->severity == SEV_ERROR     ? "error"
                          : g->severity == SEV_WARNING ? "warning"
                                                       : "info";
        put(b, "    <error line=\"%zu\" column=\"%zu\" severity=\"%s\" message=\"",
                   g->line, g->col, sev);
        xml_escape(b, g->message, strlen(g->message));
        put(b, "\" source=\"dfopt.%s\"/>\n", g->rule->id);
    }
    buf_puts(b, "  </file>\n");
}

/* ---- gitlab ---- */

static const char *gitlab_severity(lint_severity s)
{
    switch (s) {
    case SEV_ERROR: return "critical";
    case SEV_WARNING: return "major";
    case SEV_INFO: return "minor";
    default: return "info";
    }
}

static void gitlab_file(df_buf *b, const lint_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const lint_finding *g = &f->v[i];
        buf_puts(b, i ? ",\n  {" : "\n  {");
        buf_puts(b, "\"type\": \"issue\", \"engine_name\": \"dfopt\", \"check_name\": ");
        jcstr(b, g->rule->id);
        buf_puts(b, ", \"description\": ");
        df_buf d = {0};
        put(&d, "%s: %s", g->rule->name, g->message);
        jstr(b, d.p, d.len);
        buf_free(&d);
        put(b, ", \"severity\": \"%s\", \"fingerprint\": \"%s\", \"location\": "
                      "{\"path\": ",
                   gitlab_severity(g->severity), g->fingerprint);
        jcstr(b, display_path(f));
        put(b, ", \"lines\": {\"begin\": %zu, \"end\": %zu}}}", g->line, g->end_line);
    }
}

/* ---- a report in parts ---- */

void lint_render_head(df_buf *out, lint_format fmt)
{
    switch (fmt) {
    case FMT_JSON: json_head(out); break;
    case FMT_SARIF: sarif_head(out); break;
    case FMT_RDJSON:
        buf_puts(out, "{\n  \"source\": {\"name\": \"dfopt\"},\n  \"diagnostics\": [");
        break;
    case FMT_CHECKSTYLE:
        buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
        break;
    case FMT_GITLAB: buf_puts(out, "["); break;
    case FMT_TTY: case FMT_RDJSONL: case FMT_GITHUB: break;
    }
}

void lint_render_file(df_buf *out, lint_format fmt, const lint_file *f, bool color,
                      lint_totals *t)
{
    switch (fmt) {
    case FMT_TTY: tty_file(out, f, color); break;
    case FMT_JSON: json_file(out, f); break;
    case FMT_SARIF: sarif_file(out, f); break;
    case FMT_RDJSON: rdjson_file(out, f, false); break;
    case FMT_RDJSONL: rdjson_file(out, f, true); break;
    case FMT_GITHUB: github_file(out, f); break;
    case FMT_CHECKSTYLE: checkstyle_file(out, f); break;
    case FMT_GITLAB: gitlab_file(out, f); break;
    }
    t->files++;
    t->with_findings += f->n > 0;
    t->findings += f->n;
    for (size_t i = 0; i < f->n; i++) {
        t->count[f->v[i].severity]++;
        t->fixes += f->v[i].fix != NULL;
    }
}

void lint_render_append(df_buf *out, lint_format fmt, const char *part, size_t len,
                        const lint_totals *pt, lint_totals *t)
{
    bool comma = fmt == FMT_JSON || fmt == FMT_SARIF || fmt == FMT_RDJSON || fmt == FMT_GITLAB;
    if (comma && t->findings && pt->findings)
        buf_putc(out, ',');
    buf_put(out, part, len);
    t->files += pt->files;
    t->with_findings += pt->with_findings;
    t->findings += pt->findings;
    t->fixes += pt->fixes;
    for (size_t s = 0; s < SEV_NONE; s++)
        t->count[s] += pt->count[s];
}

void lint_render_tail(df_buf *out, lint_format fmt, const lint_totals *t)
{
    switch (fmt) {
    case FMT_TTY: tty_tail(out, t); break;
    case FMT_JSON: json_tail(out, t); break;
    case FMT_SARIF:
        put(out, "%s]\n    }\n  ]\n}\n", t->findings ? "\n      " : "");
        break;
    case FMT_RDJSON: put(out, "%s]\n}\n", t->findings ? "\n  " : ""); break;
    case FMT_CHECKSTYLE: buf_puts(out, "</checkstyle>\n"); break;
    case FMT_GITLAB: buf_puts(out, t->findings ? "\n]\n" : "]\n"); break;
    case FMT_RDJSONL: case FMT_GITHUB: break;
    }
}
