/*
 * lint_checks.c: the checks of `dfopt lint` that have no automatic fix.
 *
 * They read the parsed, unoptimized document: instructions with their arguments and flags
 * (positions via node_src_offset), the stages of sema.c, and RUN scripts through the shell
 * model of shell.c (simple commands with their words and offsets). A check reports only what it
 * can tell from the file itself: where an answer depends on something it cannot see (a variable,
 * the base image's configuration, a compound shell command), it stays silent, except for rules
 * that say so in their explanation.
 *
 * One walk over the instructions keeps per-stage state (WORKDIR, USER, SHELL, ENV names); a
 * stage built FROM an earlier stage starts with that stage's state, as BuildKit does.
 */
#include "lint.h"
#include "expand.h"
#include "shell.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

/* ---- positions and reports ---- */

/* Source span of logical-line bytes [loff, loff + llen) of n. */
static void lspan(const df_node *n, size_t loff, size_t llen, size_t *off, size_t *len)
{
    *off = node_src_offset(n, loff);
    *len = 0;
    if (*off != SIZE_MAX && llen > 0) {
        size_t end = node_src_offset(n, loff + llen - 1);
        *len = end != SIZE_MAX && end >= *off ? end + 1 - *off : llen;
    }
}

static void report_l(lint_ctx *cx, lint_rule_id r, const df_node *n, size_t loff, size_t llen,
                     const char *msg)
{
    size_t off, len;
    lspan(n, loff, llen, &off, &len);
    lint_report(cx, r, off, len, "%s", msg);
}

static void report_arg(lint_ctx *cx, lint_rule_id r, const df_node *top, const df_arg *a,
                       const char *msg)
{
    report_l(cx, r, top, a->off, a->v.n, msg);
}

static void report_kw(lint_ctx *cx, lint_rule_id r, const df_node *n, const char *msg)
{
    report_l(cx, r, n, (size_t)(n->keyword.p - n->logical.p), n->keyword.n, msg);
}

/* From the keyword to the end of the logical line. */
static void report_node(lint_ctx *cx, lint_rule_id r, const df_node *n, const char *msg)
{
    size_t k = (size_t)(n->keyword.p - n->logical.p);
    size_t end = n->logical.n;
    while (end > k && (n->logical.p[end - 1] == ' ' || n->logical.p[end - 1] == '\t' ||
                       n->logical.p[end - 1] == '\r'))
        end--;
    report_l(cx, r, n, k, end - k, msg);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    char *s;
    va_list ap;
    va_start(ap, f);
    int n = vasprintf(&s, f, ap);
    va_end(ap);
    if (n < 0)
        die("out of memory");
    return s;
}

/* Reports with a formatted message (freed here). */
static void report_arg_m(lint_ctx *cx, lint_rule_id r, const df_node *n, const df_arg *a, char *m)
{
    report_arg(cx, r, n, a, m);
    free(m);
}

/* ---- small helpers ---- */

static bool has_char(df_slice s, char c)
{
    return memchr(s.p, c, s.n) != NULL;
}

static bool is_upper_word(df_slice s)
{
    bool any = false;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] >= 'a' && s.p[i] <= 'z')
            return false;
        any |= s.p[i] >= 'A' && s.p[i] <= 'Z';
    }
    return any;
}

static bool is_lower_word(df_slice s)
{
    bool any = false;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] >= 'A' && s.p[i] <= 'Z')
            return false;
        any |= s.p[i] >= 'a' && s.p[i] <= 'z';
    }
    return any;
}

static bool ends_with(df_slice s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.n >= n && strncasecmp(s.p + s.n - n, suffix, n) == 0;
}

static bool is_abs_path(df_slice s)
{
    return (s.n > 0 && (s.p[0] == '/' || s.p[0] == '\\')) ||
           (s.n >= 2 && ((s.p[0] | 0x20) >= 'a' && (s.p[0] | 0x20) <= 'z') && s.p[1] == ':');
}

/* A --mount flag of type cache whose target contains part. */
static bool cache_mount(const df_node *n, const char *part)
{
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (!slice_has_prefix(f, "--mount="))
            continue;
        char *s = strndup(f.p, f.n);
        bool hit = s && strstr(s, "type=cache") && strstr(s, part);
        free(s);
        if (hit)
            return true;
    }
    return false;
}

/* ---- per-stage state ---- */

typedef struct stage_state {
    bool workdir_abs, workdir_any;
    const df_node *user;       /* the last USER, inherited from a base stage */
    bool shell_set, pipefail;  /* SHELL in the stage; SHELL with -o pipefail */
    bool shell_posix;          /* that SHELL is a POSIX-like shell */
    bool pip_no_cache;         /* ENV PIP_NO_CACHE_DIR */
    const df_node *cmd, *entrypoint, *healthcheck;
    df_slice *names;           /* ENV/ARG names set in the stage */
    size_t nnames, cap;        /* cap 0: names is shared with a base stage, copied on growth */
} stage_state;

static void add_name(stage_state *s, df_arena *a, df_slice name)
{
    if (s->nnames >= s->cap) { /* full, or (cap 0) still the base stage's array */
        size_t cap = s->nnames < 8 ? 16 : 2 * s->nnames;
        df_slice *v = arena_alloc(a, cap * sizeof *v);
        if (s->nnames)
            memcpy(v, s->names, s->nnames * sizeof *v);
        s->names = v;
        s->cap = cap;
    }
    s->names[s->nnames++] = name;
}

/* ---- RUN scripts ---- */

typedef struct script {
    const df_node *n;
    bool logical;       /* offsets are in n's logical line (from base), else in the source */
    size_t base;
    sh_script sc;
    const df_stage *stage;
    bool final_stage;
} script;

typedef struct file_state {
    lint_ctx *cx;
    const df_node *first_curl, *first_wget;
    size_t curl_off, curl_len, wget_off, wget_len;
} file_state;

static void word_span(const script *s, const sh_word *w, size_t *off, size_t *len)
{
    if (s->logical) {
        lspan(s->n, s->base + w->off, w->len, off, len);
    } else {
        *off = s->base + w->off;
        *len = w->len;
    }
}

static void report_word(lint_ctx *cx, lint_rule_id r, const script *s, const sh_word *w, char *m)
{
    size_t off, len;
    word_span(s, w, &off, &len);
    lint_report(cx, r, off, len, "%s", m);
    free(m);
}

/* Reports from word a of c to word b of d. */
static void report_words(lint_ctx *cx, lint_rule_id r, const script *s, const sh_word *a,
                         const sh_word *b, char *m)
{
    size_t o1, l1, o2, l2;
    word_span(s, a, &o1, &l1);
    word_span(s, b, &o2, &l2);
    lint_report(cx, r, o1, o2 + l2 > o1 ? o2 + l2 - o1 : l1, "%s", m);
    free(m);
}

static bool word_is(const sh_cmd *c, size_t i, const char *s)
{
    return sh_word_is(c, i, s);
}

static bool word_in(const sh_cmd *c, size_t i, const char *const *list)
{
    for (; *list; list++)
        if (sh_word_is(c, i, *list))
            return true;
    return false;
}

static bool is_option(const sh_cmd *c, size_t i)
{
    return i < c->nwords && c->words[i].value.n > 1 && c->words[i].value.p[0] == '-';
}

/* Any word of c after `from` equal to one of list. */
static bool any_word(const sh_cmd *c, size_t from, const char *const *list)
{
    for (size_t i = from; i < c->nwords; i++)
        if (word_in(c, i, list))
            return true;
    return false;
}

/* A short option cluster (-qy) holding letter ch, or a long option equal to one of longs. */
static bool has_flag(const sh_cmd *c, size_t from, char ch, const char *const *longs)
{
    for (size_t i = from; i < c->nwords; i++) {
        df_slice v = c->words[i].value;
        if (!c->words[i].literal || v.n < 2 || v.p[0] != '-')
            continue;
        if (v.p[1] != '-' && ch && memchr(v.p + 1, ch, v.n - 1))
            return true;
        if (longs && word_in(c, i, longs))
            return true;
    }
    return false;
}

/* The first non-option word after i (skipping options that take a value), or nwords. */
static size_t subcommand(const sh_cmd *c, size_t i, const char *const *with_value)
{
    for (i++; i < c->nwords; i++) {
        if (!is_option(c, i))
            return i;
        if (with_value && word_in(c, i, with_value))
            i++;
    }
    return c->nwords;
}

/* Does the script (any command) run program name with a word starting with prefix? */
static bool script_has(const script *s, const char *prog, const char *prefix)
{
    for (size_t k = 0; k < s->sc.ncmds; k++) {
        const sh_cmd *c = &s->sc.cmds[k];
        size_t p = sh_program(c);
        if (!word_is(c, p, prog))
            continue;
        if (!prefix)
            return true;
        for (size_t i = p + 1; i < c->nwords; i++)
            if (slice_has_prefix(c->words[i].value, prefix))
                return true;
    }
    return false;
}

/* Package words after the subcommand: non-options that are literal, skipping option values. */
typedef void (*pkg_fn)(lint_ctx *cx, const script *s, const sh_cmd *c, size_t i);

static void each_package(lint_ctx *cx, const script *s, const sh_cmd *c, size_t sub,
                         const char *const *with_value, pkg_fn fn)
{
    for (size_t i = sub + 1; i < c->nwords; i++) {
        if (is_option(c, i)) {
            if (with_value && word_in(c, i, with_value))
                i++;
            continue;
        }
        if (!c->words[i].literal || c->words[i].value.n == 0)
            continue;
        fn(cx, s, c, i);
    }
}

static void apt_pin(lint_ctx *cx, const script *s, const sh_cmd *c, size_t i)
{
    df_slice v = c->words[i].value;
    if (has_char(v, '=') || ends_with(v, ".deb") || has_char(v, '/'))
        return;
    report_word(cx, R_APT_PIN, s, &c->words[i],
                fmt("apt-get install '%.*s' without a version (%.*s=VERSION)", SLICE_ARG(v),
                    SLICE_ARG(v)));
}

static void apk_pin(lint_ctx *cx, const script *s, const sh_cmd *c, size_t i)
{
    df_slice v = c->words[i].value;
    if (has_char(v, '=') || has_char(v, '~') || has_char(v, '>') || has_char(v, '<') ||
        ends_with(v, ".apk"))
        return;
    report_word(cx, R_APK_PIN, s, &c->words[i],
                fmt("apk add '%.*s' without a version", SLICE_ARG(v)));
}

static void pip_pin(lint_ctx *cx, const script *s, const sh_cmd *c, size_t i)
{
    df_slice v = c->words[i].value;
    if (has_char(v, '=') || has_char(v, '>') || has_char(v, '<') || has_char(v, '@') ||
        has_char(v, '/') || has_char(v, '~') || v.p[0] == '.' || ends_with(v, ".whl") ||
        ends_with(v, ".tar.gz") || ends_with(v, ".zip"))
        return;
    report_word(cx, R_PIP_PIN, s, &c->words[i],
                fmt("pip install '%.*s' without a version (%.*s==VERSION)", SLICE_ARG(v),
                    SLICE_ARG(v)));
}

static void npm_pin(lint_ctx *cx, const script *s, const sh_cmd *c, size_t i)
{
    df_slice v = c->words[i].value;
    /* @scope/name has its version after a second @ */
    const char *at = v.n > 1 ? memchr(v.p + 1, '@', v.n - 1) : NULL;
    if (at || has_char(v, ':') || v.p[0] == '.' || v.p[0] == '/' || ends_with(v, ".tgz") ||
        (has_char(v, '/') && v.p[0] != '@'))
        return;
    report_word(cx, R_NPM_PIN, s, &c->words[i],
                fmt("npm install '%.*s' without a version (%.*s@VERSION)", SLICE_ARG(v),
                    SLICE_ARG(v)));
}

static void gem_pin(lint_ctx *cx, const script *s, const sh_cmd *c, size_t i)
{
    df_slice v = c->words[i].value;
    if (has_char(v, ':') || ends_with(v, ".gem"))
        return;
    report_word(cx, R_GEM_PIN, s, &c->words[i],
                fmt("gem install '%.*s' without a version", SLICE_ARG(v)));
}

static const char *const shells[] = {"sh", "bash", "zsh", "ash", "dash", "ksh", "/bin/sh",
                                     "/bin/bash", "/usr/bin/bash", "/bin/ash", "/bin/dash",
                                     "/usr/bin/env", NULL};

static void check_apt(lint_ctx *cx, const script *s, const sh_cmd *c, size_t p, size_t k)
{
    static const char *const with_value[] = {"-o", "-c", "-t", "--option", "--config-file",
                                             "--target-release", NULL};
    static const char *const yes[] = {"--yes", "--assume-yes", "-qq", "--quiet=2", "-q=2", NULL};
    size_t sub = subcommand(c, p, with_value);
    if (sub >= c->nwords)
        return;
    df_slice prog = c->words[p].value;
    if (word_is(c, sub, "upgrade") || word_is(c, sub, "dist-upgrade") ||
        word_is(c, sub, "full-upgrade"))
        report_word(cx, R_PKG_UPGRADE, s, &c->words[sub],
                    fmt("'%.*s %.*s' upgrades the base image's packages; use a newer base image",
                        SLICE_ARG(prog), SLICE_ARG(c->words[sub].value)));
    if (!word_is(c, sub, "install"))
        return;
    bool piped_yes = k > 0 && s->sc.cmds[k - 1].op == SH_PIPE &&
                     word_is(&s->sc.cmds[k - 1], sh_program(&s->sc.cmds[k - 1]), "yes");
    if (!has_flag(c, p + 1, 'y', yes) && !piped_yes)
        report_word(cx, R_APT_NO_YES, s, &c->words[sub],
                    fmt("'%.*s install' without -y waits for a confirmation", SLICE_ARG(prog)));
    bool norec = false;
    for (size_t i = p + 1; i < c->nwords; i++) {
        df_slice v = c->words[i].value;
        norec |= slice_eq_str(v, "--no-install-recommends") ||
                 (c->words[i].literal && v.p && v.n >= 20 &&
                  (memmem(v.p, v.n, "Install-Recommends=false", 24) ||
                   memmem(v.p, v.n, "Install-Recommends=0", 20)));
    }
    if (!norec)
        report_word(cx, R_APT_NO_RECOMMENDS, s, &c->words[sub],
                    fmt("'%.*s install' without --no-install-recommends", SLICE_ARG(prog)));
    each_package(cx, s, c, sub, with_value, apt_pin);
}

/* Checks one simple command of a RUN script. */
static void check_command(file_state *fs, const script *s, size_t k)
{
    lint_ctx *cx = fs->cx;
    const sh_cmd *c = &s->sc.cmds[k];
    if (c->nwords <= c->nassign)
        return;
    size_t first = c->nassign;
    if (word_is(c, first, "sudo"))
        report_word(cx, R_SUDO, s, &c->words[first],
                    fmt("sudo in RUN; switch users with USER instead"));
    size_t p = sh_program(c);
    if (p >= c->nwords || !c->words[p].literal)
        return;
    df_slice prog = c->words[p].value;
    /* the program's base name: /usr/bin/apt-get -> apt-get */
    const char *slash = NULL;
    for (size_t i = 0; i < prog.n; i++)
        if (prog.p[i] == '/')
            slash = prog.p + i;
    df_slice name = slash ? (df_slice){slash + 1, prog.n - (size_t)(slash + 1 - prog.p)} : prog;

    if (slice_eq_str(name, "cd") && c->depth == 0 && !s->sc.compound)
        report_word(cx, R_CD_IN_RUN, s, &c->words[p],
                    fmt("cd in RUN; use WORKDIR to change the directory"));

    if (slice_eq_str(name, "curl") || slice_eq_str(name, "wget")) {
        bool curl = slice_eq_str(name, "curl");
        size_t off, len;
        word_span(s, &c->words[p], &off, &len);
        if (curl && !fs->first_curl) {
            fs->first_curl = s->n;
            fs->curl_off = off, fs->curl_len = len;
        } else if (!curl && !fs->first_wget) {
            fs->first_wget = s->n;
            fs->wget_off = off, fs->wget_len = len;
        }
        if (c->op == SH_PIPE && k + 1 < s->sc.ncmds) {
            const sh_cmd *d = &s->sc.cmds[k + 1];
            size_t q = sh_program(d);
            if (q < d->nwords && word_in(d, q, shells))
                report_words(cx, R_CURL_PIPE_SH, s, &c->words[p], &d->words[q],
                             fmt("'%.*s | %.*s' runs a download unverified; save it, check its "
                                 "checksum, then run it",
                                 SLICE_ARG(name), SLICE_ARG(d->words[q].value)));
        }
        static const char *const quiet[] = {"--quiet", "--no-verbose", "--output-file", NULL};
        bool progress = false;
        for (size_t i = p + 1; i < c->nwords; i++)
            progress |= slice_has_prefix(c->words[i].value, "--progress");
        if (!curl && !progress && !has_flag(c, p + 1, 'q', quiet) &&
            !has_flag(c, p + 1, 0, (const char *const[]){"-nv", "-o", NULL}))
            report_word(cx, R_WGET_PROGRESS, s, &c->words[p],
                        fmt("wget without --progress=dot:giga, -q or -nv fills the build log"));
    }
    /* sh -c "$(curl ...)" */
    if (word_in(c, p, shells) && word_is(c, p + 1, "-c") && p + 2 < c->nwords) {
        df_slice v = c->words[p + 2].value;
        if (memmem(v.p, v.n, "$(curl", 6) || memmem(v.p, v.n, "$(wget", 6) ||
            memmem(v.p, v.n, "`curl", 5) || memmem(v.p, v.n, "`wget", 5))
            report_words(cx, R_CURL_PIPE_SH, s, &c->words[p], &c->words[p + 2],
                         fmt("'%.*s -c \"$(curl ...)\"' runs a download unverified",
                             SLICE_ARG(name)));
    }

    if (slice_eq_str(name, "apt-get")) {
        check_apt(cx, s, c, p, k);
    } else if (slice_eq_str(name, "apt")) {
        report_word(cx, R_APT_VS_APT_GET, s, &c->words[p],
                    fmt("apt is for interactive use; use apt-get"));
        check_apt(cx, s, c, p, k);
    } else if (slice_eq_str(name, "apk")) {
        static const char *const with_value[] = {"-X", "--repository", "-p", "--root", "-t",
                                                 "--virtual", "--arch", NULL};
        size_t sub = subcommand(c, p, with_value);
        if (word_is(c, sub, "upgrade"))
            report_word(cx, R_PKG_UPGRADE, s, &c->words[sub],
                        fmt("'apk upgrade' upgrades the base image's packages; use a newer base "
                            "image"));
        if (word_is(c, sub, "add")) {
            if (!any_word(c, p + 1, (const char *const[]){"--no-cache", NULL}) &&
                !cache_mount(s->n, "/var/cache/apk") && !cache_mount(s->n, "/etc/apk/cache"))
                report_word(cx, R_APK_NO_CACHE, s, &c->words[sub],
                            fmt("apk add without --no-cache leaves the index in the layer"));
            each_package(cx, s, c, sub, with_value, apk_pin);
        }
    } else if (slice_eq_str(name, "pip") || slice_eq_str(name, "pip3") ||
               ((slice_has_prefix(name, "python")) && word_is(c, p + 1, "-m") &&
                (word_is(c, p + 2, "pip") || word_is(c, p + 2, "pip3")))) {
        size_t at = slice_has_prefix(name, "python") ? p + 2 : p;
        static const char *const with_value[] = {
            "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
            "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
            "--trusted-host", "--platform", "--python-version", "--src", "--upgrade-strategy",
            NULL};
        size_t sub = subcommand(c, at, with_value);
        if (word_is(c, sub, "install")) {
            bool nocache = any_word(c, at + 1, (const char *const[]){"--no-cache-dir", NULL});
            if (!nocache && !cache_mount(s->n, "pip"))
                report_word(cx, R_PIP_NO_CACHE, s, &c->words[sub],
                            fmt("pip install without --no-cache-dir keeps its cache in the "
                                "layer"));
            each_package(cx, s, c, sub, with_value, pip_pin);
        }
    } else if (slice_eq_str(name, "npm")) {
        size_t sub = subcommand(c, p, NULL);
        if (word_is(c, sub, "install") || word_is(c, sub, "i") || word_is(c, sub, "add"))
            each_package(cx, s, c, sub, (const char *const[]){"--prefix", "--registry", NULL},
                         npm_pin);
    } else if (slice_eq_str(name, "gem")) {
        size_t sub = subcommand(c, p, NULL);
        if (word_is(c, sub, "install") &&
            !any_word(c, sub + 1, (const char *const[]){"-v", "--version", NULL}))
            each_package(cx, s, c, sub,
                         (const char *const[]){"-i", "--install-dir", "-n", "--bindir",
                                               "--source", NULL},
                         gem_pin);
    } else if (slice_eq_str(name, "yum") || slice_eq_str(name, "dnf") ||
               slice_eq_str(name, "microdnf") || slice_eq_str(name, "zypper")) {
        bool zypper = slice_eq_str(name, "zypper");
        static const char *const with_value[] = {"--setopt", "--enablerepo", "--disablerepo",
                                                 "--installroot", "--releasever", "-x",
                                                 "--exclude", "--repo", "-r", NULL};
        size_t sub = subcommand(c, p, with_value);
        if (sub >= c->nwords)
            return;
        static const char *const installs[] = {"install", "in", "groupinstall", "localinstall",
                                               "reinstall", "update", "upgrade", "up", "remove",
                                               "rm", "erase", "dist-upgrade", "dup", NULL};
        bool pkgs = false;
        for (size_t i = sub + 1; i < c->nwords; i++)
            pkgs |= !is_option(c, i);
        if ((zypper && (word_is(c, sub, "dist-upgrade") || word_is(c, sub, "dup"))) ||
            (!zypper && (word_is(c, sub, "upgrade") || word_is(c, sub, "update") ||
                         word_is(c, sub, "distro-sync")) && !pkgs))
            report_word(cx, R_PKG_UPGRADE, s, &c->words[sub],
                        fmt("'%.*s %.*s' upgrades the base image's packages; use a newer base "
                            "image",
                            SLICE_ARG(name), SLICE_ARG(c->words[sub].value)));
        if (word_in(c, sub, installs)) {
            bool yes = zypper ? has_flag(c, p + 1, 'n', (const char *const[]){
                                    "--non-interactive", "--no-confirm", "-y", NULL})
                              : has_flag(c, p + 1, 'y', (const char *const[]){"--assumeyes",
                                                                              NULL});
            if (!yes)
                report_word(cx, R_RPM_NO_YES, s, &c->words[sub],
                            fmt("'%.*s %.*s' without %s waits for a confirmation",
                                SLICE_ARG(name), SLICE_ARG(c->words[sub].value),
                                zypper ? "-n" : "-y"));
        }
        if (word_is(c, sub, "install") || word_is(c, sub, "in")) {
            bool cleaned = zypper ? script_has(s, "zypper", "clean") ||
                                        script_has(s, "zypper", "cc")
                                  : script_has(s, "yum", "clean") ||
                                        script_has(s, "dnf", "clean") ||
                                        script_has(s, "microdnf", "clean");
            if (!cleaned && !cache_mount(s->n, "/var/cache"))
                report_word(cx, R_RPM_NO_CLEAN, s, &c->words[sub],
                            fmt("'%.*s install' without '%s' in the same RUN",
                                SLICE_ARG(name), zypper ? "zypper clean" : "clean all"));
        }
    } else if (slice_eq_str(name, "ln")) {
        bool symbolic = false;
        for (size_t i = p + 1; i < c->nwords; i++)
            symbolic |= is_option(c, i) && c->words[i].value.p[1] != '-' &&
                        memchr(c->words[i].value.p, 's', c->words[i].value.n);
        if (symbolic && c->nwords > p + 2 && word_is(c, c->nwords - 1, "/bin/sh"))
            report_word(cx, R_SHELL_SYMLINK, s, &c->words[c->nwords - 1],
                        fmt("replacing /bin/sh changes the shell of every program; use SHELL"));
    } else {
        static const char *const pointless[] = {"ssh", "vim", "nano", "shutdown", "service",
                                                "ps", "free", "top", "kill", "mount", "ifconfig",
                                                NULL};
        if (word_in(c, p, pointless))
            report_word(cx, R_POINTLESS_CMD, s, &c->words[p],
                        fmt("'%.*s' makes no sense while building an image", SLICE_ARG(name)));
    }
}

/* apt lists (final stage), pipefail, then every command. */
static void check_script(file_state *fs, script *s, const stage_state *st)
{
    lint_ctx *cx = fs->cx;
    if (!s->sc.ok)
        return; /* unbalanced quotes or parentheses: nothing is certain */
    bool pipefail = st && st->pipefail;
    bool warned_pipe = false;
    for (size_t k = 0; k < s->sc.ncmds; k++) {
        const sh_cmd *c = &s->sc.cmds[k];
        if (word_is(c, c->nassign, "set")) {
            for (size_t i = c->nassign + 1; i < c->nwords; i++)
                pipefail |= word_is(c, i, "pipefail") ||
                            (i + 1 < c->nwords && slice_has_prefix(c->words[i].value, "-") &&
                             word_is(c, i + 1, "pipefail"));
        }
        if (c->op == SH_PIPE && !pipefail && !warned_pipe && !(st && st->shell_set && !st->shell_posix)) {
            warned_pipe = true;
            const sh_cmd *d = k + 1 < s->sc.ncmds ? &s->sc.cmds[k + 1] : c;
            if (d->nwords > 0 && c->nwords > 0)
                report_words(cx, R_PIPEFAIL, s, &c->words[0], &d->words[d->nwords - 1],
                             fmt("a failure before the pipe is ignored; set -o pipefail (or "
                                 "SHELL with -o pipefail)"));
        }
        check_command(fs, s, k);
    }
    if (s->final_stage) {
        for (size_t k = 0; k < s->sc.ncmds; k++) {
            const sh_cmd *c = &s->sc.cmds[k];
            size_t p = sh_program(c);
            if (!(word_is(c, p, "apt-get") || word_is(c, p, "apt")))
                continue;
            size_t sub = subcommand(c, p, (const char *const[]){"-o", "-c", "-t", NULL});
            if (!word_is(c, sub, "install"))
                continue;
            if (!script_has(s, "rm", "/var/lib/apt/lists") && !cache_mount(s->n, "/var/lib/apt"))
                report_word(cx, R_APT_LISTS, s, &c->words[sub],
                            fmt("apt-get lists stay in the layer; end the RUN with "
                                "'rm -rf /var/lib/apt/lists/*'"));
            break;
        }
    }
}

static bool is_shell_name(df_slice s)
{
    for (const char *const *p = shells; *p; p++)
        if (slice_eq_str(s, *p))
            return true;
    return false;
}

/* The scripts of a RUN: its shell-form command line, and heredoc bodies run as scripts. */
static void check_run(file_state *fs, const df_node *n, const df_doc *doc, const df_stage *stage,
                      bool final, const stage_state *st)
{
    if ((n->flags & DF_N_JSON) || n->nargs != 1)
        return;
    script s = {n, true, n->args[0].off, {0}, stage, final};
    /* the document's reading of the script, which the passes then reuse */
    sh_parse_node((df_doc *)doc, n, &s.sc);
    check_script(fs, &s, st);
    /* RUN <<EOF (or RUN sh <<EOF): the body is the script */
    if (n->nheredocs == 0 || !s.sc.ok || s.sc.ncmds != 1)
        return;
    const sh_cmd *c = &s.sc.cmds[0];
    if (c->nwords > c->nassign && !is_shell_name(c->words[c->nassign].value))
        return;
    for (size_t i = 0; i < n->nheredocs; i++) {
        df_slice body = n->heredocs[i].body;
        if (body.p < doc->src.p || body.p + body.n > doc->src.p + doc->src.n)
            continue;
        script b = {n, false, (size_t)(body.p - doc->src.p), {0}, stage, final};
        sh_parse_stable(&((df_doc *)doc)->arena, body, &b.sc); /* a slice of the source */
        check_script(fs, &b, st);
    }
}

/* ---- FROM ---- */

static const char *const platform_args[] = {
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS",
    "BUILDARCH", "BUILDVARIANT", NULL};

typedef struct globals {
    df_slice *names, *values;
    bool *has_default;
    size_t n;
    name_index index; /* where the last of each name is */
} globals;

static bool global_lookup(void *ctx, df_slice name, df_slice *value)
{
    globals *g = ctx;
    size_t i = name_index_get(&g->index, name);
    if (i) {
        *value = g->has_default[i - 1] ? g->values[i - 1] : (df_slice){"", 0};
        return true;
    }
    for (const char *const *p = platform_args; *p; p++)
        if (slice_eq_str(name, *p)) {
            *value = SLICE("linux/amd64");
            return true;
        }
    return false;
}

static void collect_globals(df_doc *doc, globals *g)
{
    size_t cap = 0;
    for (df_node *n = doc->head; n && n->kind != DF_FROM; n = n->next) {
        if (n->kind != DF_ARG)
            continue;
        for (size_t i = 0; i < n->nargs; i++) {
            df_slice w = n->args[i].v;
            const char *eq = memchr(w.p, '=', w.n);
            if (g->n == cap) {
                cap = cap ? 2 * cap : 8;
                g->names = xrealloc(g->names, cap * sizeof *g->names);
                g->values = xrealloc(g->values, cap * sizeof *g->values);
                g->has_default = xrealloc(g->has_default, cap * sizeof *g->has_default);
            }
            g->names[g->n] = eq ? (df_slice){w.p, (size_t)(eq - w.p)} : w;
            g->has_default[g->n] = eq != NULL;
            g->values[g->n] = (df_slice){"", 0};
            if (eq) {
                expand_error err;
                df_slice v;
                if (expand_word(&doc->arena, (df_slice){eq + 1, w.n - (size_t)(eq + 1 - w.p)},
                                doc->escape, global_lookup, g, false, &v, &err))
                    g->values[g->n] = v;
            }
            name_index_put(&g->index, g->names[g->n], g->n);
            g->n++;
        }
    }
}

/* registry/path:tag@digest -> its parts (any may be empty). */
static void image_parts(df_slice ref, df_slice *registry, df_slice *tag, bool *digest)
{
    *digest = has_char(ref, '@');
    if (*digest)
        ref.n = (size_t)((const char *)memchr(ref.p, '@', ref.n) - ref.p);
    size_t last_slash = 0;
    bool slash = false;
    for (size_t i = 0; i < ref.n; i++)
        if (ref.p[i] == '/')
            last_slash = i, slash = true;
    *tag = (df_slice){"", 0};
    for (size_t i = slash ? last_slash : 0; i < ref.n; i++)
        if (ref.p[i] == ':') {
            *tag = (df_slice){ref.p + i + 1, ref.n - i - 1};
            break;
        }
    *registry = SLICE("docker.io");
    if (slash) {
        const char *first = memchr(ref.p, '/', ref.n);
        df_slice comp = {ref.p, (size_t)(first - ref.p)};
        if (has_char(comp, '.') || has_char(comp, ':') || slice_eq_str(comp, "localhost"))
            *registry = comp;
    }
}

static bool trusted(char *const *list, df_slice registry, df_slice ref)
{
    for (; *list; list++) {
        size_t n = strlen(*list);
        if (slice_eq_str(registry, *list))
            return true;
        if (ref.n > n && strncmp(ref.p, *list, n) == 0 && ref.p[n] == '/')
            return true;
        if (strcmp(*list, "docker.io") == 0 && slice_eq_str(registry, "index.docker.io"))
            return true;
    }
    return false;
}

/* first_named[i]: the first stage with the name of stage i (i when unnamed). */
static void check_from(lint_ctx *cx, df_doc *doc, const df_node *n, const df_stage *st,
                       globals *g, const size_t *first_named)
{
    if (n->nargs == 0)
        return;
    const df_arg *img = &n->args[0];
    df_slice base = st->base_expanded;
    /* variables: declared? a valid reference with the defaults? */
    df_slice *refs;
    size_t nrefs = expand_references(&doc->arena, img->v, doc->escape, &refs);
    bool undefined = false;
    for (size_t i = 0; i < nrefs; i++) {
        df_slice v;
        if (!global_lookup(g, refs[i], &v)) {
            undefined = true;
            report_arg_m(cx, R_UNDEFINED_ARG_IN_FROM, n, img,
                         fmt("FROM uses $%.*s, which no ARG before the first FROM declares",
                             SLICE_ARG(refs[i])));
        }
    }
    if (nrefs && !undefined) {
        df_slice v;
        expand_error err;
        if (expand_word(&doc->arena, img->v, doc->escape, global_lookup, g, false, &v, &err) &&
            (v.n == 0 || v.p[v.n - 1] == ':' || v.p[v.n - 1] == '@' || v.p[0] == ':'))
            report_arg_m(cx, R_INVALID_DEFAULT_ARG, n, img,
                         fmt("with the ARG defaults the base image is '%.*s'", SLICE_ARG(v)));
    }
    if (st->base_stage < 0 && !has_char(base, '$') && !slice_eq_nocase(base, "scratch")) {
        df_slice registry, tag;
        bool digest;
        image_parts(base, &registry, &tag, &digest);
        if (!digest && tag.n == 0)
            report_arg_m(cx, R_BASE_UNTAGGED, n, img,
                         fmt("base image '%.*s' has no tag or digest; pin a version",
                             SLICE_ARG(base)));
        else if (!digest && slice_eq_str(tag, "latest"))
            report_arg_m(cx, R_BASE_LATEST, n, img,
                         fmt("base image '%.*s' uses the 'latest' tag; pin a version",
                             SLICE_ARG(base)));
        if (cx->cfg->trusted && !trusted(cx->cfg->trusted, registry, base))
            report_arg_m(cx, R_UNTRUSTED_REGISTRY, n, img,
                         fmt("base image '%.*s' comes from %.*s, which is not a trusted "
                             "registry",
                             SLICE_ARG(base), SLICE_ARG(registry)));
    }
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (!slice_has_prefix(f, "--platform="))
            continue;
        df_slice v = {f.p + 11, f.n - 11};
        if (slice_eq_str(v, "$TARGETPLATFORM") || slice_eq_str(v, "${TARGETPLATFORM}"))
            report_arg_m(cx, R_REDUNDANT_TARGET_PLATFORM, n, &n->bflags[i],
                         fmt("--platform=%.*s is the default", SLICE_ARG(v)));
        else if (!has_char(v, '$'))
            report_arg_m(cx, R_FROM_PLATFORM_CONST, n, &n->bflags[i],
                         fmt("FROM --platform=%.*s pins one platform", SLICE_ARG(v)));
    }
    if (n->nargs >= 3 && slice_eq_nocase(n->args[1].v, "as")) {
        df_slice kw = n->keyword, as = n->args[1].v, name = n->args[2].v;
        if ((is_upper_word(kw) && !is_upper_word(as)) || (is_lower_word(kw) && !is_lower_word(as)))
            report_arg_m(cx, R_FROM_AS_CASING, n, &n->args[1],
                         fmt("'%.*s' and '%.*s' differ in case", SLICE_ARG(kw), SLICE_ARG(as)));
        if (!is_lower_word(name) && !has_char(name, '$')) {
            bool upper = false;
            for (size_t i = 0; i < name.n; i++)
                upper |= name.p[i] >= 'A' && name.p[i] <= 'Z';
            if (upper)
                report_arg_m(cx, R_STAGE_NAME_CASING, n, &n->args[2],
                             fmt("stage name '%.*s' should be lower case", SLICE_ARG(name)));
        }
        if (slice_eq_nocase(name, "scratch") || slice_eq_nocase(name, "context"))
            report_arg_m(cx, R_RESERVED_STAGE, n, &n->args[2],
                         fmt("'%.*s' is reserved and cannot name a stage", SLICE_ARG(name)));
        if (st->prev_same >= 0) {
            size_t line = doc->stages[first_named[st->index]].from->line;
            report_arg_m(cx, R_DUPLICATE_STAGE, n, &n->args[2],
                         fmt("stage name '%.*s' is already used on line %zu", SLICE_ARG(name),
                             line));
        }
    }
}

/* ---- other instructions ---- */

static bool secret_word(const char *w, size_t n)
{
    static const char *const words[] = {"apikey", "auth", "credential", "credentials", "key",
                                        "password", "pword", "passwd", "secret", "token", NULL};
    for (const char *const *p = words; *p; p++)
        if (strlen(*p) == n && strncasecmp(w, *p, n) == 0)
            return true;
    return false;
}

/* BuildKit's rule: a secret word delimited by '_' or the ends, and no `public` word. */
static bool secret_name(df_slice name)
{
    bool secret = false;
    size_t i = 0;
    while (i <= name.n) {
        size_t j = i;
        while (j < name.n && name.p[j] != '_')
            j++;
        if (j - i == 6 && strncasecmp(name.p + i, "public", 6) == 0)
            return false;
        secret |= secret_word(name.p + i, j - i);
        i = j + 1;
    }
    return secret;
}

static void check_secret(lint_ctx *cx, const df_node *n, const df_arg *a, df_slice name)
{
    if (secret_name(name))
        report_l(cx, R_SECRET_ARG_ENV, n, a->off, name.n,
                 n->kind == DF_ARG ? "ARG name looks like a secret; its value is kept in the "
                                     "image history (use a secret mount)"
                                   : "ENV name looks like a secret; its value is kept in the "
                                     "image (use a secret mount)");
}

static void check_expose(lint_ctx *cx, const df_node *n)
{
    for (size_t i = 0; i < n->nargs; i++) {
        df_slice v = n->args[i].v;
        if (has_char(v, '$'))
            continue;
        const char *slash = memchr(v.p, '/', v.n);
        df_slice port = slash ? (df_slice){v.p, (size_t)(slash - v.p)} : v;
        if (slash) {
            df_slice proto = {slash + 1, v.n - port.n - 1};
            if (!is_lower_word(proto))
                report_arg_m(cx, R_EXPOSE_PROTO_CASING, n, &n->args[i],
                             fmt("protocol '%.*s' should be lower case", SLICE_ARG(proto)));
        }
        if (has_char(port, ':')) {
            report_arg_m(cx, R_EXPOSE_FORMAT, n, &n->args[i],
                         fmt("EXPOSE %.*s: an IP address or host port does not belong here",
                             SLICE_ARG(v)));
            continue;
        }
        unsigned long num = 0;
        bool bad = false;
        for (size_t k = 0; k < port.n; k++) {
            char c = port.p[k];
            if (c == '-') {
                num = 0;
                continue;
            }
            if (c < '0' || c > '9')
                break;
            num = num * 10 + (unsigned long)(c - '0');
            bad |= num > 65535;
        }
        if (bad)
            report_arg_m(cx, R_EXPOSE_PORT, n, &n->args[i],
                         fmt("port %.*s is outside 0-65535", SLICE_ARG(port)));
    }
}

static bool valid_label_key(df_slice k)
{
    if (k.n == 0)
        return false;
    for (size_t i = 0; i < k.n; i++) {
        char c = k.p[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && c != '.' && c != '-')
            return false;
        if (!alnum && (i == 0 || i + 1 == k.n))
            return false;
    }
    return !slice_has_prefix(k, "com.docker.") && !slice_has_prefix(k, "io.docker.") &&
           !slice_has_prefix(k, "org.dockerproject.");
}

static void check_copy(lint_ctx *cx, df_doc *doc, const df_node *n, const df_stage *st,
                       const stage_state *ss)
{
    df_slice from;
    if (n->kind == DF_COPY && node_flag(n, "from", &from) && !has_char(from, '$')) {
        const df_arg *flag = &n->bflags[0];
        for (size_t i = 0; i < n->nbflags; i++)
            if (slice_has_prefix(n->bflags[i].v, "--from"))
                flag = &n->bflags[i];
        bool digits = from.n > 0;
        for (size_t i = 0; i < from.n; i++)
            digits &= from.p[i] >= '0' && from.p[i] <= '9';
        bool own = st && st->name.n && st->name.n == from.n && strncasecmp(st->name.p, from.p, from.n) == 0;
        if (own || (digits && st && (size_t)strtoul(from.p, NULL, 10) == st->index))
            report_arg_m(cx, R_COPY_FROM_SELF, n, flag,
                         fmt("COPY --from=%.*s names the stage it is in", SLICE_ARG(from)));
        else if (sema_stage_ref(doc, from, st ? st->index : 0) < 0 && !has_char(from, '/') &&
                 !has_char(from, ':') && !has_char(from, '@') && !has_char(from, '.'))
            report_arg_m(cx, R_COPY_FROM_UNKNOWN, n, flag,
                         fmt(digits ? "COPY --from=%.*s: there is no such stage before this one"
                                    : "COPY --from=%.*s names no earlier stage; it would be "
                                      "pulled as an image",
                             SLICE_ARG(from)));
    }
    if (n->nheredocs || (n->flags & DF_N_JSON && n->nargs < 2) || n->nargs < 2)
        return;
    df_slice dest = n->args[n->nargs - 1].v;
    if (n->nargs > 2 && !has_char(dest, '$') && !ends_with(dest, "/") && !ends_with(dest, "\\"))
        report_arg_m(cx, R_COPY_DEST_SLASH, n, &n->args[n->nargs - 1],
                     fmt("%s of %zu sources to '%.*s': the destination must end with '/'",
                         n->kind == DF_COPY ? "COPY" : "ADD", n->nargs - 1, SLICE_ARG(dest)));
    if (n->kind == DF_COPY && !is_abs_path(dest) && !has_char(dest, '$') && !ss->workdir_any)
        report_arg_m(cx, R_COPY_RELATIVE_DEST, n, &n->args[n->nargs - 1],
                     fmt("COPY to relative '%.*s' without a WORKDIR in the stage",
                         SLICE_ARG(dest)));
}

static void check_add(lint_ctx *cx, const df_node *n)
{
    if (n->nheredocs || n->nargs < 2)
        return;
    df_slice sum;
    bool checksum = node_flag(n, "checksum", &sum);
    bool local_only = true;
    static const char *const archives[] = {".tar", ".tgz", ".tar.gz", ".gz", ".xz", ".txz",
                                           ".bz2", ".tbz", ".tbz2", ".zst", ".tzst", ".lz4",
                                           ".lzma", ".tlz", NULL};
    for (size_t i = 0; i + 1 < n->nargs; i++) {
        df_slice v = n->args[i].v;
        bool url = slice_has_prefix(v, "http://") || slice_has_prefix(v, "https://");
        bool git = slice_has_prefix(v, "git@") || slice_has_prefix(v, "git://") ||
                   ends_with(v, ".git") || memmem(v.p, v.n, ".git#", 5);
        if (url && !git && !checksum)
            report_arg_m(cx, R_ADD_NO_CHECKSUM, n, &n->args[i],
                         fmt("ADD %.*s without --checksum=sha256:... takes whatever the server "
                             "sends",
                             SLICE_ARG(v)));
        if (url || git || has_char(v, '$') || memmem(v.p, v.n, "://", 3))
            local_only = false;
        for (const char *const *a = archives; *a; a++)
            if (ends_with(v, *a))
                local_only = false;
    }
    if (local_only)
        report_kw(cx, R_ADD_LOCAL, n, "ADD of local files and directories; COPY does exactly "
                                      "that");
}

/* Empty lines between the first and the last line of an instruction without heredocs. */
static void check_continuation(lint_ctx *cx, const df_doc *doc, const df_node *n)
{
    if (n->nheredocs || n->src_off == SIZE_MAX)
        return;
    const char *t = n->text.p;
    size_t i = 0, len = n->text.n;
    const char *nl = memchr(t, '\n', len);
    if (!nl)
        return;
    i = (size_t)(nl - t) + 1;
    while (i < len) {
        const char *e = memchr(t + i, '\n', len - i);
        size_t end = e ? (size_t)(e - t) : len;
        bool blank = true;
        for (size_t k = i; k < end; k++)
            blank &= t[k] == ' ' || t[k] == '\t' || t[k] == '\r';
        if (blank && e && end + 1 < len) {
            lint_report(cx, R_EMPTY_CONTINUATION, n->src_off + i, 0,
                        "empty line inside a continuation");
            return;
        }
        i = end + 1;
    }
    (void)doc;
}

static bool root_user(df_slice u)
{
    return slice_eq_str(u, "root") || slice_eq_str(u, "0") || slice_has_prefix(u, "root:") ||
           slice_has_prefix(u, "0:");
}

/* ---- the walk ---- */

void lint_checks_run(lint_ctx *cx)
{
    df_doc *doc = cx->doc;
    file_state fs = {cx, NULL, NULL, 0, 0, 0, 0};
    globals g = {0};
    collect_globals(doc, &g);
    stage_state *ss = arena_alloc(&doc->arena, (doc->nstages + 1) * sizeof *ss);
    /* sema links each named stage to the previous one of the same name */
    size_t *first_named = arena_alloc(&doc->arena, (doc->nstages + 1) * sizeof *first_named);
    for (size_t i = 0; i < doc->nstages; i++) {
        int prev = doc->stages[i].prev_same;
        first_named[i] = prev >= 0 ? first_named[prev] : i;
    }
    stage_state none = {0};
    size_t upper = 0, lower = 0;
    for (df_node *n = doc->head; n; n = n->next) {
        upper += is_upper_word(n->keyword);
        lower += is_lower_word(n->keyword);
    }
    for (df_node *n = doc->head; n; n = n->next) {
        const df_stage *st = n->stage >= 0 ? &doc->stages[n->stage] : NULL;
        stage_state *s = st ? &ss[st->index] : &none;
        bool final = st && st->index + 1 == doc->nstages;
        bool lower_rule = lower > upper;
        if (lower_rule ? !is_lower_word(n->keyword) : !is_upper_word(n->keyword)) {
            char *m = fmt("'%.*s' should be written %s like the other instructions",
                          SLICE_ARG(n->keyword), lower_rule ? "in lower case" : "in upper case");
            report_kw(cx, R_INSTRUCTION_CASING, n, m);
            free(m);
        }
        check_continuation(cx, doc, n);
        if (!st && n->kind != DF_ARG && n->kind != DF_FROM) {
            report_kw(cx, R_INSTRUCTION_ORDER, n, "only ARG may come before the first FROM");
            continue;
        }
        switch (n->kind) {
        case DF_FROM:
            if (st->base_stage >= 0) {
                *s = ss[st->base_stage]; /* a stage on a stage starts with its state */
                s->cap = 0;
            } else {
                memset(s, 0, sizeof *s);
            }
            s->cmd = s->entrypoint = s->healthcheck = NULL;
            check_from(cx, doc, n, st, &g, first_named);
            break;
        case DF_ARG:
            for (size_t i = 0; i < n->nargs; i++) {
                df_slice w = n->args[i].v;
                const char *eq = memchr(w.p, '=', w.n);
                df_slice name = eq ? (df_slice){w.p, (size_t)(eq - w.p)} : w;
                check_secret(cx, n, &n->args[i], name);
                if (st)
                    add_name(s, &doc->arena, name);
            }
            break;
        case DF_ENV: {
            size_t first_new = s->nnames;
            for (size_t i = 0; i + 1 < n->nargs; i += 3) {
                df_slice name = n->args[i].v, value = n->args[i + 1].v;
                check_secret(cx, n, &n->args[i], name);
                if (i + 2 < n->nargs && n->args[i + 2].v.n == 0)
                    report_node(cx, R_LEGACY_KV, n,
                                "'ENV key value' is the legacy form; write ENV key=value");
                df_slice *refs;
                size_t nrefs = expand_references(&doc->arena, value, doc->escape, &refs);
                for (size_t r = 0; r < nrefs; r++) {
                    bool here = false;
                    for (size_t k = 0; k < i && !here; k += 3)
                        here = slice_eq(n->args[k].v, refs[r]);
                    bool before = false;
                    for (size_t k = 0; here && k < first_new && !before; k++)
                        before = slice_eq(s->names[k], refs[r]);
                    if (here && !before)
                        report_arg_m(cx, R_ENV_SELF_REF, n, &n->args[i + 1],
                                     fmt("$%.*s is set by this same ENV; its new value is not "
                                         "visible here",
                                         SLICE_ARG(refs[r])));
                }
                if (slice_eq_str(name, "PIP_NO_CACHE_DIR"))
                    s->pip_no_cache = true;
                add_name(s, &doc->arena, name);
            }
            break;
        }
        case DF_LABEL:
            for (size_t i = 0; i + 1 < n->nargs; i += 3) {
                df_slice key = n->args[i].v;
                if (i + 2 < n->nargs && n->args[i + 2].v.n == 0)
                    report_node(cx, R_LEGACY_KV, n,
                                "'LABEL key value' is the legacy form; write LABEL key=value");
                df_slice k = key;
                if (k.n >= 2 && k.p[0] == '"' && k.p[k.n - 1] == '"')
                    k = (df_slice){k.p + 1, k.n - 2};
                if (!has_char(k, '$') && !valid_label_key(k))
                    report_arg_m(cx, R_LABEL_KEY, n, &n->args[i],
                                 fmt("label key '%.*s' is not a lower-case reverse-DNS key",
                                     SLICE_ARG(k)));
            }
            break;
        case DF_RUN: {
            lint_file *f = cx->file;
            size_t found = f->n;
            check_run(&fs, n, doc, st, final, s);
            if (s->pip_no_cache) {
                /* drop pip findings on this RUN: ENV PIP_NO_CACHE_DIR disables the cache */
                size_t k = found;
                for (size_t i = found; i < f->n; i++) {
                    lint_finding *x = &f->v[i];
                    bool drop = x->rule == &lint_rules[R_PIP_NO_CACHE] && x->off >= n->src_off &&
                                x->off < n->src_off + n->text.n;
                    if (drop)
                        free(x->message);
                    else
                        f->v[k++] = *x;
                }
                f->n = k;
            }
            break;
        }
        case DF_WORKDIR:
            if (n->nargs == 1) {
                df_slice v = n->args[0].v;
                if (is_abs_path(v) || has_char(v, '$'))
                    s->workdir_abs = true;
                else if (!s->workdir_abs)
                    report_arg_m(cx, R_WORKDIR_RELATIVE, n, &n->args[0],
                                 fmt("WORKDIR %.*s is relative to the base image's directory",
                                     SLICE_ARG(v)));
                s->workdir_any = true;
            }
            break;
        case DF_USER:
            s->user = n;
            break;
        case DF_SHELL:
            s->shell_set = true;
            s->pipefail = false;
            s->shell_posix = false;
            if (n->nargs > 0) {
                df_slice sh = n->args[0].v;
                const char *sl = memrchr(sh.p, '/', sh.n);
                df_slice base = sl ? (df_slice){sl + 1, sh.n - (size_t)(sl + 1 - sh.p)} : sh;
                s->shell_posix = slice_eq_str(base, "sh") || slice_eq_str(base, "bash") ||
                                 slice_eq_str(base, "zsh") || slice_eq_str(base, "ash") ||
                                 slice_eq_str(base, "dash") || slice_eq_str(base, "ksh");
            }
            for (size_t i = 0; i < n->nargs; i++)
                s->pipefail |= slice_eq_str(n->args[i].v, "pipefail");
            break;
        case DF_CMD:
        case DF_ENTRYPOINT:
        case DF_HEALTHCHECK: {
            const df_node **last = n->kind == DF_CMD          ? &s->cmd
                                   : n->kind == DF_ENTRYPOINT ? &s->entrypoint
                                                              : &s->healthcheck;
            lint_rule_id r = n->kind == DF_CMD          ? R_MULTIPLE_CMD
                             : n->kind == DF_ENTRYPOINT ? R_MULTIPLE_ENTRYPOINT
                                                        : R_MULTIPLE_HEALTHCHECK;
            if (*last) {
                char *m = fmt("this %s is overridden by the one on line %zu",
                              kind_name(n->kind), n->line);
                for (char *c = m + 5; *c && *c != ' '; c++)
                    *c = (char)(*c - 'a' + 'A');
                report_node(cx, r, *last, m);
                free(m);
            }
            *last = n;
            if (n->kind != DF_HEALTHCHECK && !(n->flags & DF_N_JSON) && n->nargs > 0 &&
                !s->shell_set)
                report_arg_m(cx, R_JSON_ARGS, n, &n->args[0],
                             fmt("%s in shell form: the program runs under /bin/sh -c and does "
                                 "not get signals; use the JSON form",
                                 n->kind == DF_CMD ? "CMD" : "ENTRYPOINT"));
            break;
        }
        case DF_COPY:
            check_copy(cx, doc, n, st, s);
            break;
        case DF_ADD:
            check_add(cx, n);
            check_copy(cx, doc, n, st, s);
            break;
        case DF_EXPOSE:
            check_expose(cx, n);
            break;
        case DF_ONBUILD:
            if (n->sub && (n->sub->kind == DF_FROM || n->sub->kind == DF_ONBUILD ||
                           n->sub->kind == DF_MAINTAINER))
                report_kw(cx, R_ONBUILD_FORBIDDEN, n,
                          "ONBUILD cannot trigger FROM, ONBUILD or MAINTAINER");
            break;
        default:
            break;
        }
    }
    if (fs.first_curl && fs.first_wget) {
        bool wget_later = fs.wget_off > fs.curl_off;
        lint_report(cx, R_WGET_AND_CURL, wget_later ? fs.wget_off : fs.curl_off,
                    wget_later ? fs.wget_len : fs.curl_len,
                    "both wget and curl are used; one download tool is enough");
    }
    if (doc->nstages > 0) {
        const df_stage *last = &doc->stages[doc->nstages - 1];
        const stage_state *s = &ss[last->index];
        if (s->user && s->user->nargs > 0 && root_user(s->user->args[0].v)) {
            report_arg(cx, R_USER_ROOT, s->user, &s->user->args[0],
                       "the final stage runs as root; switch to an unprivileged USER at the end");
        } else if (!s->user && last->from->nargs > 0) {
            df_slice base = last->base_expanded;
            bool nonroot = memmem(base.p, base.n, "nonroot", 7) != NULL;
            if (!nonroot)
                report_arg(cx, R_USER_MISSING, last->from, &last->from->args[0],
                           "the final stage sets no USER; containers run as the base image's "
                           "user (often root)");
        }
    }
    free(g.names);
    free(g.values);
    free(g.has_default);
    name_index_free(&g.index);
}
