/*
 * lint.h: `dfopt lint`, the review-bot mode, shared by lint.c (rules, findings from passes,
 * suppressions, the command), lint_config.c (.dfopt.yaml), lint_checks.c (checks without an
 * automatic fix) and lint_format.c (the output formats).
 *
 * A finding is a rule, a message and a byte range of the original source; positions are
 * 1-based lines and byte columns, the end exclusive. A finding from a pass also carries a fix:
 * a byte range of the original source and its replacement. The fixes of one file never overlap,
 * and applying all of them gives the text `dfopt` prints with the same passes.
 */
#ifndef DF_LINT_H
#define DF_LINT_H

#include "internal.h"

/* Ordered: a finding fails the run when its severity >= the failure threshold. */
typedef enum lint_severity {
    SEV_STYLE,
    SEV_INFO,
    SEV_WARNING,
    SEV_ERROR,
    SEV_NONE, /* as a threshold: never fail */
} lint_severity;

const char *lint_severity_name(lint_severity s);
/* Parses "error", "warning", "info", "style" (and "none" when allow_none); false if unknown. */
bool lint_severity_parse(const char *s, size_t n, bool allow_none, lint_severity *out);

/*
 * The rules, one table:
 *   X(ENUM, ID, name, severity, flags, hadolint codes, BuildKit check, message, explain)
 * the ID is DF and three digits; hadolint codes are comma-separated ("" for none);
 * a LR_PASS rule is the finding of the pass with the same name (its explain text is the pass's);
 * LR_OFF rules run only when enabled (config `rules: enable:`).
 */
enum { LR_PASS = 1u, LR_OFF = 2u };
#include "lint_rules.h"

typedef enum lint_rule_id {
#define X(e, id, name, sev, flags, dl, bk, msg, expl) R_##e,
    LINT_RULES(X)
#undef X
    R_COUNT
} lint_rule_id;

typedef struct lint_rule {
    const char *id;       /* "DF012" */
    const char *name;
    lint_severity severity;
    unsigned flags;
    const char *hadolint; /* "DL3014", "DL3030,DL3038" or "" */
    const char *buildkit; /* "JSONArgsRecommended", several comma-separated, or "" */
    const char *message;
    const char *explain;
} lint_rule;

extern const lint_rule lint_rules[R_COUNT];
/* A rule by ID ("DF012", any case) or name; NULL when none. */
const lint_rule *lint_rule_find(const char *s, size_t n);
/* The rule reporting what pipeline pass `name` changes (the generic R_PASS_GENERIC when the table has
 * no rule of that name). */
const lint_rule *lint_rule_for_pass(const char *name);
/* Does token (a DF ID, a rule name, a hadolint code or a BuildKit check name, any case) name
 * rule r? */
bool lint_rule_matches(const lint_rule *r, const char *tok, size_t n);

/* ---- configuration (lint_config.c) ---- */

typedef struct lint_config {
    const char *path;        /* where it was read from, NULL for defaults */
    int level;               /* -O level of the passes that report, -1 when unset */
    lint_severity fail_level;
    bool fail_level_set;
    bool rule_on[R_COUNT];   /* enabled (defaults: every rule without LR_OFF) */
    bool sev_set[R_COUNT];
    lint_severity sev[R_COUNT];
    char **pass_enable, **pass_disable; /* NULL-terminated lists of pass names */
    char **trusted;          /* trusted registries, NULL when the check is off */
} lint_config;

void lint_config_defaults(lint_config *c);
/* Reads a .dfopt.yaml into c (on top of the defaults). On an error returns false and sets *err
 * to a malloc'd `path:line:col: error: message`. */
bool lint_config_load(lint_config *c, const char *path, char **err);
void lint_config_free(lint_config *c);

/* ---- findings ---- */

typedef struct lint_fix {
    size_t off, len;  /* the replaced bytes of the original source */
    char *text;       /* the replacement (malloc'd) */
    size_t textlen;
} lint_fix;

typedef struct lint_finding {
    const lint_rule *rule;
    lint_severity severity; /* the rule's, after overrides */
    char *message;          /* malloc'd */
    size_t off, len;        /* byte range of the location */
    size_t line, col, end_line, end_col; /* 1-based; end exclusive */
    lint_fix *fix;          /* NULL when there is none */
    size_t group;           /* findings of passes that share one fix have the same group */
    size_t seq;             /* order of discovery (the last sort key) */
    char fingerprint[33];   /* stable across line moves, unique in the run */
} lint_finding;

typedef struct lint_file {
    const char *path;       /* as given on the command line; "<stdin>" for - */
    char *src;              /* the file's bytes (NULL when unreadable) */
    size_t len;
    size_t *lines;          /* start offsets of the lines */
    size_t nlines;
    lint_finding *v;
    size_t n, cap;
    bool error;             /* unreadable or unparsable: exit 2 */
    char *errtext;          /* I/O error text for stderr, malloc'd */
} lint_file;

/* Sets f up for src (len bytes, malloc'd; f owns it from now on) named path. */
void lint_file_init(lint_file *f, const char *path, char *src, size_t len);
/* Frees what f holds (not f itself). */
void lint_file_free(lint_file *f);

/* Findings from passes, as described at the top of lint.c: begin with the document printing
 * back as f->src; after each pass that may have changed it, lint_track_pass with the pass's name
 * and summary (both must outlive the tracker); lint_track_end adds the findings to f (cfg gives
 * severities, NULL for the rules' own) and frees the tracker. */
typedef struct lint_tracker lint_tracker;
lint_tracker *lint_track_begin(lint_file *f, const df_doc *doc);
void lint_track_pass(lint_tracker *t, const char *name, const char *summary);
void lint_track_end(lint_tracker *t, const lint_config *cfg);

/* Runs passes[i] for each i with run[i], in order, over doc (which must print back as f->src)
 * and adds to f one finding per pass and changed stretch of lines, with the fixes described at
 * the top of lint.c; cfg gives severities (NULL: the rules' own). Returns false when a pass
 * reported an error in d. */
bool lint_pass_findings(lint_file *f, df_doc *doc, const df_pass *passes, size_t npasses,
                        const bool *run, const lint_config *cfg, df_diags *d);

/* Sets every finding's line and column fields from its byte range. */
void lint_set_positions(lint_file *f);

/* What a check needs: the document, the config, and where findings go. */
typedef struct lint_ctx {
    df_doc *doc;
    const lint_config *cfg;
    lint_file *file;
} lint_ctx;

/* Reports rule r at source bytes [off, off + len) with a printf message (the rule's own message
 * when fmt is NULL). Disabled rules are dropped here. */
void lint_report(lint_ctx *cx, lint_rule_id r, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Runs every check over cx->doc (the parsed, unoptimized document). */
void lint_checks_run(lint_ctx *cx);

/* Line and column (1-based, byte columns, BOM bytes counted) of a source offset; an offset at
 * the end of a text whose last line ends in a newline is (last line + 1, 1). */
void lint_pos(const lint_file *f, size_t off, size_t *line, size_t *col);

/* The fix as whole lines, the form review tools turn into suggestions: lines [*first, *last]
 * (1-based, inclusive) with their line endings are replaced by *text, followed by a newline when
 * the replaced lines ended in one and *text is not empty. A pure insertion takes in the line
 * before it (the line after it at the start of the file). Returns false when the fix cannot be
 * written so (the replacement is one empty line, or the final newline changes); *text is
 * malloc'd when true. */
bool lint_fix_lines(const lint_file *f, const lint_fix *x, size_t *first, size_t *last,
                    char **text, size_t *textlen);

/* The fix with the common prefix and suffix of the old and new text taken off: source bytes
 * [*a, *b) become fix text [*t0, *t1). The form used where a fix is not line-based. */
void lint_fix_trim(const lint_file *f, const lint_fix *x, size_t *a, size_t *b, size_t *t0,
                   size_t *t1);

/* ---- formats (lint_format.c) ---- */

typedef enum lint_format {
    FMT_TTY,
    FMT_JSON,
    FMT_SARIF,
    FMT_RDJSON,
    FMT_RDJSONL,
    FMT_GITHUB,
    FMT_CHECKSTYLE,
    FMT_GITLAB,
} lint_format;

bool lint_format_parse(const char *s, lint_format *out);

/* What a report's summary and separators depend on, summed over files. */
typedef struct lint_totals {
    size_t files, with_findings, findings, fixes;
    size_t count[SEV_NONE]; /* findings by severity */
} lint_totals;

/*
 * The report of files in a format, made in parts so that a file's part can be made as soon as
 * the file is linted (in another process, even) and the file freed: lint_render_head, then for
 * each file in order its part from lint_render_file (which adds the file to *t, zeroed for one
 * part) passed to lint_render_append (which adds the separator the part needs after the files
 * before and the part's totals pt to *t), then lint_render_tail with the sums.
 */
void lint_render_head(df_buf *out, lint_format fmt);
void lint_render_file(df_buf *out, lint_format fmt, const lint_file *f, bool color,
                      lint_totals *t);
void lint_render_append(df_buf *out, lint_format fmt, const char *part, size_t len,
                        const lint_totals *pt, lint_totals *t);
void lint_render_tail(df_buf *out, lint_format fmt, const lint_totals *t);

/* The `dfopt lint` command (argv[0] is "lint"). */
int lint_main(int argc, char **argv);

#endif
