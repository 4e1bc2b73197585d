/*
 * stats.c: the figures of `dfopt --stats` (see stats.h) and their two renderings.
 *
 * Package installs: a RUN's script (shell form, the script of `["sh", "-c", script]`, and the
 * bodies of its heredocs) is read with the sh model (shell.h). A command installs when its
 * program (sudo/env wrappers skipped) is a package manager and its subcommand installs. The
 * install is clean when, in the same RUN,
 *   - the command itself keeps no cache (`apk add --no-cache`, `pip install --no-cache-dir`);
 *   - a later command cleans the manager's cache (`dnf clean all`, `npm cache clean`, `pip cache
 *     purge`, `yarn cache clean`, `zypper clean`) or removes its directory with rm
 *     (`rm -rf /var/lib/apt/lists/...` for apt, whose index files `apt-get clean` keeps);
 *   - the RUN mounts a cache or tmpfs over that directory (--mount=type=cache,target=...);
 *   - for pip, ENV PIP_NO_CACHE_DIR was set earlier in the stage.
 * A script the sh model cannot read is not counted either way.
 */
#include "stats.h"
#include "context.h"
#include "shell.h"

#include <string.h>
#include <sys/stat.h>

/* ---- package managers ---- */

typedef enum { M_APT, M_APK, M_DNF, M_ZYPPER, M_PIP, M_NPM, M_YARN, M_NONE } mgr;

typedef struct mgr_info {
    const char *const *cache; /* directories a cleanup removes (NULL-terminated) */
    const char *self_clean;   /* an option of the install command that keeps no cache */
    const char *valued;       /* options whose value is the next word, space-separated */
} mgr_info;

static const char *const apt_cache[] = {"/var/lib/apt/lists", NULL};
static const char *const apk_cache[] = {"/var/cache/apk", "/etc/apk/cache", NULL};
static const char *const dnf_cache[] = {"/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5",
                                        NULL};
static const char *const zypper_cache[] = {"/var/cache/zypp", NULL};
static const char *const pip_cache[] = {"/root/.cache/pip", NULL};
static const char *const npm_cache[] = {"/root/.npm", NULL};
static const char *const yarn_cache[] = {"/usr/local/share/.cache/yarn", "/root/.cache/yarn",
                                         NULL};

static const mgr_info mgrs[] = {
    [M_APT] = {apt_cache, NULL, " -o -c -t "},
    [M_APK] = {apk_cache, "--no-cache", " -X --repository -t --virtual -p --root --arch "},
    [M_DNF] = {dnf_cache, NULL, " -x --exclude --setopt --installroot --releasever "},
    [M_ZYPPER] = {zypper_cache, NULL, " -r --repo --from "},
    [M_PIP] = {pip_cache, "--no-cache-dir",
               " -r --requirement -c --constraint -i --index-url --extra-index-url -f "
               "--find-links -t --target --prefix --root --trusted-host --src --platform "
               "--python-version --implementation --abi --cache-dir --log --proxy --retries "
               "--timeout --exists-action --cert --client-cert --upgrade-strategy --only-binary "
               "--no-binary -C --config-settings --global-option "},
    [M_NPM] = {npm_cache, NULL, " -w --workspace --registry --cache --prefix "},
    [M_YARN] = {yarn_cache, NULL, " --cache-folder --modules-folder "},
};

/* The script a RUN's command words come from, for the raw text of non-literal words. */
typedef struct script {
    df_slice text;
    sh_script sh;
} script;

static df_slice word_text(const script *s, const sh_word *w)
{
    if (w->literal)
        return w->value;
    return (df_slice){s->text.p + w->off, w->len};
}

static df_slice base_name(df_slice p)
{
    size_t i = p.n;
    while (i > 0 && p.p[i - 1] != '/')
        i--;
    return (df_slice){p.p + i, p.n - i};
}

static bool word_eq(const sh_cmd *c, size_t i, const char *s)
{
    return sh_word_is(c, i, s);
}

static bool dash(const sh_cmd *c, size_t i)
{
    return i < c->nwords && c->words[i].value.n > 0 && c->words[i].value.p[0] == '-';
}

/* Is option word o (without "=value") one of the space-separated names in list? */
static bool in_list(const char *list, df_slice o)
{
    if (!list || o.n == 0 || memchr(o.p, '=', o.n))
        return false;
    for (const char *p = strstr(list, " "); p && p[1]; p = strchr(p + 1, ' ')) {
        const char *e = strchr(p + 1, ' ');
        if (e && (size_t)(e - p - 1) == o.n && memcmp(p + 1, o.p, o.n) == 0)
            return true;
    }
    return false;
}

/* The index of the first operand after word i (options and their values skipped). */
static size_t operand(const sh_cmd *c, size_t i, const char *valued)
{
    while (i < c->nwords && dash(c, i)) {
        if (in_list(valued, c->words[i].value))
            i++;
        i++;
    }
    return i;
}

/* Which manager c runs and where its subcommand is (*sub; c->nwords when there is none). */
static mgr manager(const sh_cmd *c, size_t *sub, const char **name)
{
    size_t p = sh_program(c);
    if (p >= c->nwords || !c->words[p].literal)
        return M_NONE;
    df_slice b = base_name(c->words[p].value);
    if (slice_has_prefix(b, "python") && word_eq(c, p + 1, "-m") && p + 2 < c->nwords &&
        slice_has_prefix(c->words[p + 2].value, "pip")) {
        p += 2;
        b = c->words[p].value;
    }
    static const struct {
        const char *name;
        mgr m;
    } names[] = {
        {"apt-get", M_APT}, {"apt", M_APT},      {"aptitude", M_APT}, {"apk", M_APK},
        {"dnf", M_DNF},     {"dnf5", M_DNF},     {"yum", M_DNF},      {"microdnf", M_DNF},
        {"tdnf", M_DNF},    {"zypper", M_ZYPPER}, {"npm", M_NPM},      {"yarn", M_YARN},
    };
    mgr m = M_NONE;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (slice_eq_str(b, names[i].name)) {
            m = names[i].m;
            *name = names[i].name;
        }
    if (m == M_NONE && slice_has_prefix(b, "pip")) {
        size_t k = 3;
        while (k < b.n && ((b.p[k] >= '0' && b.p[k] <= '9') || b.p[k] == '.'))
            k++;
        if (k == b.n) {
            m = M_PIP;
            *name = "pip";
        }
    }
    if (m != M_NONE)
        *sub = operand(c, p + 1, mgrs[m].valued);
    return m;
}

/* Does c install packages with manager m (subcommand at sub)? */
static bool installs(const sh_cmd *c, mgr m, size_t sub)
{
    switch (m) {
    case M_APT:
    case M_DNF:
        return word_eq(c, sub, "install") || word_eq(c, sub, "groupinstall");
    case M_APK:
        return word_eq(c, sub, "add");
    case M_ZYPPER:
        return word_eq(c, sub, "install") || word_eq(c, sub, "in");
    case M_PIP:
        return word_eq(c, sub, "install");
    case M_NPM:
        return word_eq(c, sub, "install") || word_eq(c, sub, "i") || word_eq(c, sub, "ci") ||
               word_eq(c, sub, "add");
    case M_YARN:
        return sub >= c->nwords || word_eq(c, sub, "install") || word_eq(c, sub, "add");
    case M_NONE:
        break;
    }
    return false;
}

/* Does c clean manager m's cache with the manager itself? */
static bool cleans_itself(const sh_cmd *c, mgr m, size_t sub)
{
    switch (m) {
    case M_DNF:
        return word_eq(c, sub, "clean");
    case M_ZYPPER:
        return word_eq(c, sub, "clean") || word_eq(c, sub, "cc");
    case M_PIP:
    case M_NPM:
    case M_YARN:
        return word_eq(c, sub, "cache") &&
               (word_eq(c, sub + 1, "purge") || word_eq(c, sub + 1, "clean"));
    case M_APK:
        return word_eq(c, sub, "cache") && word_eq(c, sub + 1, "clean");
    case M_APT:
    case M_NONE:
        break;
    }
    return false;
}

/* p (a path as written, "~/" and "$HOME/" read as /root/) covers directory dir: it is dir or
 * inside it (`/var/lib/apt/lists/x`), or an ancestor at least two levels deep (`/root/.cache`). */
static bool covers(df_slice p, const char *dir)
{
    char path[512];
    size_t n = 0;
    while (p.n && (p.p[0] == '"' || p.p[0] == '\''))
        p.p++, p.n--;
    while (p.n && (p.p[p.n - 1] == '"' || p.p[p.n - 1] == '\'' || p.p[p.n - 1] == '/'))
        p.n--;
    static const char *const homes[] = {"~/", "$HOME/", "${HOME}/"};
    for (size_t i = 0; i < 3; i++)
        if (slice_has_prefix(p, homes[i])) {
            size_t k = strlen(homes[i]);
            memcpy(path, "/root/", 6);
            n = 6;
            p.p += k;
            p.n -= k;
            break;
        }
    if (p.n + n >= sizeof path)
        return false;
    memcpy(path + n, p.p, p.n);
    n += p.n;
    path[n] = '\0';
    size_t dn = strlen(dir);
    if (n >= dn && memcmp(path, dir, dn) == 0 && (n == dn || path[dn] == '/' || path[dn] == '*'))
        return true;
    size_t slashes = 0;
    for (size_t i = 0; i < n; i++)
        slashes += path[i] == '/';
    return slashes >= 2 && n < dn && memcmp(dir, path, n) == 0 && dir[n] == '/';
}

static bool covers_cache(df_slice p, mgr m)
{
    for (const char *const *d = mgrs[m].cache; *d; d++)
        if (covers(p, *d))
            return true;
    return false;
}

/* Does c remove manager m's cache directory (rm with a path that covers it)? */
static bool removes_cache(const script *s, const sh_cmd *c, mgr m)
{
    size_t p = sh_program(c);
    if (p >= c->nwords || !c->words[p].literal || !slice_eq_str(base_name(c->words[p].value), "rm"))
        return false;
    for (size_t i = p + 1; i < c->nwords; i++)
        if (!dash(c, i) && covers_cache(word_text(s, &c->words[i]), m))
            return true;
    return false;
}

/* Does the RUN mount a cache or tmpfs over manager m's cache? */
static bool mounts_cache(const df_node *n, mgr m)
{
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (!slice_has_prefix(f, "--mount="))
            continue;
        bool cache = false;
        df_slice target = {0};
        for (const char *p = f.p + 8, *end = f.p + f.n; p < end;) {
            const char *e = memchr(p, ',', (size_t)(end - p));
            df_slice kv = {p, (size_t)((e ? e : end) - p)};
            if (slice_eq_str(kv, "type=cache") || slice_eq_str(kv, "type=tmpfs"))
                cache = true;
            static const char *const keys[] = {"target=", "dst=", "destination="};
            for (size_t k = 0; k < 3; k++)
                if (slice_has_prefix(kv, keys[k]))
                    target = (df_slice){kv.p + strlen(keys[k]), kv.n - strlen(keys[k])};
            p = e ? e + 1 : end;
        }
        if (cache && target.n)
            for (const char *const *d = mgrs[m].cache; *d; d++)
                if (covers(target, *d))
                    return true;
    }
    return false;
}

typedef struct collector {
    df_doc *doc;
    df_stats *st;
    size_t cap;
    bool pip_no_cache; /* ENV PIP_NO_CACHE_DIR in the current stage */
} collector;

static void add_install(collector *k, size_t line, const char *name, const script *s,
                        const sh_cmd *c, size_t sub, mgr m)
{
    df_stats *st = k->st;
    if (st->ninstalls == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 8;
        stats_install *v = arena_alloc(&k->doc->arena, k->cap * sizeof *v);
        if (st->ninstalls)
            memcpy(v, st->installs, st->ninstalls * sizeof *v);
        st->installs = v;
    }
    stats_install *in = &st->installs[st->ninstalls++];
    *in = (stats_install){.line = line, .manager = name};
    size_t first = m == M_YARN && sub >= c->nwords ? c->nwords : sub + 1;
    size_t np = 0;
    for (size_t i = first; i < c->nwords; i++)
        np += !dash(c, i);
    in->packages = np ? arena_alloc(&k->doc->arena, np * sizeof *in->packages) : NULL;
    for (size_t i = first; i < c->nwords; i++) {
        if (dash(c, i)) {
            if (in_list(mgrs[m].valued, c->words[i].value))
                i++;
            continue;
        }
        in->packages[in->npackages++] = word_text(s, &c->words[i]);
    }
}

/* Does any command of scripts[t], from command `from` on, clean manager m's cache? */
static bool cleaned(const script *scripts, size_t t, size_t from, mgr m)
{
    const script *s = &scripts[t];
    for (size_t j = from; j < s->sh.ncmds; j++) {
        size_t sub;
        const char *name;
        const sh_cmd *c = &s->sh.cmds[j];
        if (removes_cache(s, c, m) || (manager(c, &sub, &name) == m && cleans_itself(c, m, sub)))
            return true;
    }
    return false;
}

/* The installs of scripts[t] (one of RUN n's nall scripts, in order: the command line, then its
 * heredoc bodies) that nothing later in the same RUN cleans up after. */
static void scan_script(collector *k, const df_node *n, size_t line, const script *all,
                        size_t nall, size_t t)
{
    const script *s = &all[t];
    for (size_t i = 0; i < s->sh.ncmds; i++) {
        const sh_cmd *c = &s->sh.cmds[i];
        size_t sub;
        const char *name = NULL;
        mgr m = manager(c, &sub, &name);
        if (m == M_NONE || !installs(c, m, sub))
            continue;
        bool clean = mounts_cache(n, m) || (m == M_PIP && k->pip_no_cache);
        for (size_t w = sub; w < c->nwords && !clean; w++)
            clean = mgrs[m].self_clean && word_eq(c, w, mgrs[m].self_clean);
        for (size_t u = t; u < nall && !clean; u++)
            clean = cleaned(all, u, u == t ? i + 1 : 0, m);
        if (!clean)
            add_install(k, line, name, s, c, sub, m);
    }
}

static bool is_shell(df_slice prog)
{
    df_slice b = base_name(prog);
    return slice_eq_str(b, "sh") || slice_eq_str(b, "bash") || slice_eq_str(b, "dash") ||
           slice_eq_str(b, "ash");
}

static void scan_run(collector *k, const df_node *n, size_t line)
{
    script all[8];
    size_t nall = 0;
    if (!(n->flags & DF_N_JSON)) {
        if (n->nargs > 0)
            all[nall++].text = n->args[0].v;
        for (size_t i = 0; i < n->nheredocs && nall < 8; i++)
            all[nall++].text = n->heredocs[i].body;
    } else if (n->nargs >= 3 && is_shell(n->args[0].v) && slice_eq_str(n->args[1].v, "-c")) {
        all[nall++].text = n->args[2].v;
    }
    /* a script the sh model cannot read is left out: no claim either way */
    for (size_t i = 0; i < nall; i++)
        if (!sh_parse(&k->doc->arena, all[i].text, &all[i].sh))
            all[i].sh.ncmds = 0;
    for (size_t i = 0; i < nall; i++)
        scan_script(k, n, line, all, nall, i);
}

/* ---- COPY sources ---- */

static bool heredoc_source(const df_node *n, df_slice s)
{
    return n->nheredocs > 0 && slice_has_prefix(s, "<<");
}

static bool has_glob(df_slice s)
{
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == '*' || s.p[i] == '?' || s.p[i] == '[')
            return true;
    return false;
}

static bool is_context_copy(df_doc *doc, const df_node *n)
{
    df_slice from;
    if ((n->kind != DF_COPY && n->kind != DF_ADD) || node_flag(n, "from", &from))
        return false;
    for (size_t i = 0; i + 1 < n->nargs; i++) {
        df_slice s = n->args[i].v;
        if (heredoc_source(n, s))
            continue;
        df_slice c = ctx_clean(&doc->arena, s);
        if (slice_eq_str(c, ".") || slice_eq_str(c, "*"))
            return true;
    }
    return false;
}

/* Does pattern match rel or one of its parent directories? */
static bool match_up(df_slice pattern, df_slice rel)
{
    for (size_t i = 1; i <= rel.n; i++)
        if ((i == rel.n || rel.p[i] == '/') && ctx_match(pattern, (df_slice){rel.p, i}))
            return true;
    return false;
}

typedef struct measure {
    df_doc *doc;
    const char *dir;
    const df_node *n;
    df_slice source;  /* the clean source */
    bool glob;        /* source is a pattern: rel must match it */
    stats_copy *out;
} measure;

static bool visit(void *arg, df_slice rel, ctx_kind kind)
{
    measure *m = arg;
    if (kind != CTX_FILE)
        return true;
    if (m->glob && !match_up(m->source, rel))
        return true;
    /* --exclude patterns are relative to the source directory */
    df_slice below = rel;
    if (!m->glob && !slice_eq_str(m->source, ".") && rel.n > m->source.n &&
        rel.p[m->source.n] == '/')
        below = (df_slice){rel.p + m->source.n + 1, rel.n - m->source.n - 1};
    for (size_t i = 0; i < m->n->nbflags; i++) {
        df_slice f = m->n->bflags[i].v;
        if (slice_has_prefix(f, "--exclude=") &&
            match_up((df_slice){f.p + 10, f.n - 10}, below))
            return true;
    }
    df_buf path = {0};
    buf_printf(&path, "%s/" SLICE_FMT, m->dir, SLICE_ARG(rel));
    struct stat st;
    if (stat(path.p, &st) == 0) {
        m->out->files++;
        m->out->bytes += (unsigned long long)st.st_size;
    } else {
        m->out->complete = false;
    }
    buf_free(&path);
    return true;
}

/* Is source s of n a remote file or a variable (not something to look up in the context)? */
static bool remote_or_variable(const df_doc *doc, df_slice s)
{
    return memchr(s.p, '$', s.n) || memchr(s.p, doc->escape, s.n) || memmem(s.p, s.n, "://", 3) ||
           slice_has_prefix(s, "git@");
}

/* Does n (a COPY or ADD) copy anything from the build context? */
static bool from_context(const df_doc *doc, const df_node *n)
{
    df_slice from;
    if ((n->kind != DF_COPY && n->kind != DF_ADD) || node_flag(n, "from", &from))
        return false;
    for (size_t i = 0; i + 1 < n->nargs; i++)
        if (!heredoc_source(n, n->args[i].v) && !remote_or_variable(doc, n->args[i].v))
            return true;
    return false;
}

static void measure_copy(df_doc *doc, const df_context *ctx, const char *dir, const df_node *n,
                         stats_copy *out)
{
    out->complete = true;
    for (size_t i = 0; i + 1 < n->nargs; i++) {
        df_slice s = n->args[i].v;
        if (heredoc_source(n, s))
            continue;
        if (remote_or_variable(doc, s)) {
            out->complete = false; /* a variable may name anything; a remote file is not here */
            continue;
        }
        measure m = {doc, dir, n, ctx_clean(&doc->arena, s), false, out};
        m.glob = has_glob(m.source);
        if (!ctx_walk(ctx, m.glob ? SLICE(".") : m.source, visit, &m))
            out->complete = false;
    }
}

/* ---- collecting ---- */

static size_t newlines(df_slice s)
{
    size_t k = 0;
    for (const char *p = s.p, *e = s.p + s.n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        k++;
    return k;
}

static bool env_sets(const df_node *n, const char *key)
{
    for (size_t i = 0; i + 1 < n->nargs; i += 3)
        if (slice_eq_str(n->args[i].v, key))
            return n->args[i + 1].v.n > 0;
    return false;
}

void stats_collect(df_doc *doc, const char *context_dir, df_stats *out)
{
    *out = (df_stats){.stages = doc->nstages};
    collector k = {doc, out, 0, false};
    df_context *ctx = context_dir ? ctx_open(&doc->arena, context_dir) : NULL;
    size_t copies_cap = 0;
    if (ctx)
        out->copies = arena_alloc(&doc->arena, sizeof *out->copies); /* present, maybe empty */
    size_t line = 1;     /* the line each node starts on in the printed document */
    int seen_copy = -2;  /* the stage whose whole-context COPY has been seen */
    for (df_node *n = doc->head; n; n = n->next) {
        line += newlines(n->lead);
        out->instructions++;
        if (n->kind == DF_FROM)
            k.pip_no_cache = false;
        if (n->kind == DF_ENV && env_sets(n, "PIP_NO_CACHE_DIR"))
            k.pip_no_cache = true;
        if (n->kind == DF_RUN || n->kind == DF_COPY || n->kind == DF_ADD)
            out->layers++;
        if (seen_copy == n->stage && n->stage >= 0)
            out->after_context_copy++;
        else if (n->stage >= 0 && is_context_copy(doc, n)) {
            seen_copy = n->stage;
            if (!out->context_copy_line)
                out->context_copy_line = line;
        }
        if (n->kind == DF_RUN)
            scan_run(&k, n, line);
        if (ctx && from_context(doc, n)) {
            if (out->ncopies == copies_cap) {
                copies_cap = copies_cap ? 2 * copies_cap : 8;
                stats_copy *v = arena_alloc(&doc->arena, copies_cap * sizeof *v);
                if (out->ncopies)
                    memcpy(v, out->copies, out->ncopies * sizeof *v);
                out->copies = v;
            }
            stats_copy *c = &out->copies[out->ncopies++];
            *c = (stats_copy){.line = line, .text = n->logical};
            measure_copy(doc, ctx, context_dir, n, c);
        }
        line += newlines(n->text);
    }
}

/* ---- reports ---- */

static void human(df_buf *b, unsigned long long n)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (n < 1024) {
        buf_printf(b, "%llu B", n);
        return;
    }
    double v = (double)n / 1024;
    size_t u = 0;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        u++;
    }
    buf_printf(b, "%.1f %s", v, units[u]);
}

static void row(df_buf *b, const char *label, size_t before, size_t after)
{
    buf_printf(b, "  %-44s %8zu %8zu\n", label, before, after);
}

static void line_text(df_buf *b, df_slice s, size_t max)
{
    bool cut = s.n > max;
    buf_put(b, s.p, cut ? max - 3 : s.n);
    if (cut)
        buf_puts(b, "...");
}

void stats_print_text(df_buf *b, const char *file, const df_stats *before, const df_stats *after,
                      const char *const *fired, size_t nfired)
{
    buf_printf(b, "%s\n  %-44s %8s %8s\n", file, "", "before", "after");
    row(b, "stages", before->stages, after->stages);
    row(b, "instructions", before->instructions, after->instructions);
    row(b, "layers (RUN, COPY, ADD)", before->layers, after->layers);
    if (before->context_copy_line || after->context_copy_line)
        row(b, "instructions after the COPY of the context", before->after_context_copy,
            after->after_context_copy);
    else
        buf_printf(b, "  %-44s %8s %8s\n", "instructions after the COPY of the context", "-",
                   "-");
    row(b, "package installs without cache cleanup", before->ninstalls, after->ninstalls);
    buf_puts(b, "  passes fired:");
    for (size_t i = 0; i < nfired; i++)
        buf_printf(b, "%s %s", i ? "," : "", fired[i]);
    buf_puts(b, nfired ? "\n" : " none\n");
    if (after->ninstalls)
        buf_puts(b, "  installs without cleanup (lines of the optimized file):\n");
    for (size_t i = 0; i < after->ninstalls; i++) {
        const stats_install *in = &after->installs[i];
        buf_printf(b, "    line %zu: %s install", in->line, in->manager);
        for (size_t j = 0; j < in->npackages && j < 6; j++)
            buf_printf(b, " " SLICE_FMT, SLICE_ARG(in->packages[j]));
        if (in->npackages > 6)
            buf_printf(b, " (+%zu)", in->npackages - 6);
        buf_putc(b, '\n');
    }
    if (after->copies && after->ncopies)
        buf_puts(b, "  COPY from the build context (lines of the optimized file):\n");
    for (size_t i = 0; after->copies && i < after->ncopies; i++) {
        const stats_copy *c = &after->copies[i];
        buf_printf(b, "    line %zu: ", c->line);
        line_text(b, c->text, 40);
        buf_printf(b, ": %s%zu file%s, ", c->complete ? "" : "at least ", c->files,
                   c->files == 1 ? "" : "s");
        human(b, c->bytes);
        buf_putc(b, '\n');
    }
}

static void json_stats(df_buf *b, const df_stats *s)
{
    buf_printf(b, "{\"stages\":%zu,\"instructions\":%zu,\"layers\":%zu,\"context_copy_line\":",
               s->stages, s->instructions, s->layers);
    if (s->context_copy_line)
        buf_printf(b, "%zu", s->context_copy_line);
    else
        buf_puts(b, "null");
    buf_printf(b, ",\"after_context_copy\":%zu,\"installs_without_cleanup\":[",
               s->after_context_copy);
    for (size_t i = 0; i < s->ninstalls; i++) {
        const stats_install *in = &s->installs[i];
        buf_printf(b, "%s{\"line\":%zu,\"manager\":\"%s\",\"packages\":[", i ? "," : "", in->line,
                   in->manager);
        for (size_t j = 0; j < in->npackages; j++) {
            if (j)
                buf_putc(b, ',');
            json_quote(b, in->packages[j]);
        }
        buf_puts(b, "]}");
    }
    buf_putc(b, ']');
    if (s->copies) {
        buf_puts(b, ",\"copies\":[");
        for (size_t i = 0; i < s->ncopies; i++) {
            const stats_copy *c = &s->copies[i];
            buf_printf(b, "%s{\"line\":%zu,\"instruction\":", i ? "," : "", c->line);
            json_quote(b, c->text);
            buf_printf(b, ",\"files\":%zu,\"bytes\":%llu,\"complete\":%s}", c->files, c->bytes,
                       c->complete ? "true" : "false");
        }
        buf_putc(b, ']');
    }
    buf_putc(b, '}');
}

void stats_print_json(df_buf *b, const char *file, const df_stats *before, const df_stats *after,
                      const char *const *fired, size_t nfired)
{
    buf_puts(b, "{\"file\":");
    json_quote(b, slice_from(file));
    buf_puts(b, ",\"passes_fired\":[");
    for (size_t i = 0; i < nfired; i++) {
        if (i)
            buf_putc(b, ',');
        json_quote(b, slice_from(fired[i]));
    }
    buf_puts(b, "],\"before\":");
    json_stats(b, before);
    buf_puts(b, ",\"after\":");
    json_stats(b, after);
    buf_puts(b, "}\n");
}
