/*
 * pkg-hygiene: a package manager's install and its cleanup in the same RUN, so package indexes
 * and download caches never reach a layer.
 *
 * Requires:   a parsed document with stages computed. It runs after merge-run, so an update
 *             and its install usually share a RUN already.
 * Guarantees: the same packages end up installed; caches and indexes are removed in the layer
 *             that created them. Per manager (commands found through sudo/env/command/nice
 *             wrappers and &&, ;, || chains; only top-level (depth-0) commands are edited):
 *   apt-get/apt  `apt` becomes `apt-get` (install, update, remove, purge, autoremove); `-y`
 *                unless already assumed (-y, --yes, --assume-yes, -qq); at -O2 `install` gets
 *                `--no-install-recommends` (it changes the package set);
 *                an install that relies on the lists of an earlier RUN of its stage gets that
 *                RUN's `apt-get update` in front of it; a RUN that is nothing but
 *                `apt-get update` is then dropped;
 *                a RUN that updates and installs ends by emptying /var/lib/apt/lists (rm -rf).
 *   apk          `add`/`upgrade` get `--no-cache`; then an `apk update` in the same RUN (or a RUN
 *                that is only `apk update`) is dropped.
 *   yum/dnf/microdnf  `-y`; `<mgr> clean all && rm -rf /var/cache/<yum|dnf>` appended.
 * Appended commands run as the install did: the manager's own (clean) with the install's
 * wrappers; rm plainly as a user known to be root, else with the install's sudo words
 * (`sudo dnf clean all && sudo rm -rf /var/cache/dnf`). The user is root unless a USER other
 * than root/0 (any group) comes earlier in the stage or a stage it builds on, or that stage has
 * ONBUILD USER; an external base image's own user is taken to be root.
 *   zypper       `-n`; `zypper clean -a` appended.
 *   pip          `install` gets `--no-cache-dir`.
 *   npm          `npm cache clean --force` appended after `npm ci`/`npm install`.
 *   yarn         `yarn cache clean` appended after `yarn install --frozen-lockfile` (Yarn 1).
 *   gem          at -O2 `install` gets `--no-document` (no rdoc/ri: it changes the files).
 *   go           nothing: removing the module or build cache is never needed for correctness
 *                and `go clean -modcache` would break later builds in the stage.
 * Already-clean RUNs are left alone, so a second run changes nothing.
 * Refuses (checked in code):
 *   - RUNs that are not shell form, have heredocs, do not parse as sh, or run in a stage whose
 *     shell is not POSIX (see rs_shells); commands inside compound commands or subshells;
 *   - a command whose subcommand cannot be read for sure (a variable before it, an unknown
 *     option that may take a value): nothing is added to it;
 *   - every cleanup and cache flag when the RUN has a --mount other than a secret or ssh mount
 *     (a cache mount is where the user keeps that cache on purpose);
 *   - removing apt lists, the apk index or zypper metadata (emptying /var/lib/apt/lists,
 *     dropping `apk update`, `zypper clean -a`) when a later RUN of the stage, of a stage built
 *     FROM it, or an ONBUILD RUN of the stage may read them before refreshing them itself: it
 *     mentions the manager in a way the pass does not read (xargs, sh -c, a subshell), uses
 *     them (apt-get install without its own update first, apk add without --no-cache,
 *     zypper in), or runs a script that might (./x, *.sh, sh FILE, curl | sh);
 *   - the apt update moved into an install: when the earlier update is in another stage, when
 *     the update's RUN or the install's has builder flags (--network=none!), when the install
 *     is not on the top-level && / ; chain (after ||, |, or in a compound), or when anything
 *     it would move across (the rest of the update's RUN, the instructions between, the
 *     install RUN's commands before the install) is not known to leave apt's sources, keys and
 *     the user alone (apt_inert_node): USER, SHELL, VOLUME, dpkg -i, a script, any program
 *     outside a short inert list, an install of a release, keyring or ca-certificates
 *     package, a redirection or expansion, a mention of /etc, sources.list, apt-key,
 *     --add-architecture, an ENV/ARG naming a proxy, apt, a path, certificates, a COPY/ADD
 *     whose destination is not under /app, /src, /opt, /srv, /home, /tmp and the like;
 *   - any cleanup as a user that may not be root when the install did not run through sudo
 *     (for apt, when the update and the install did not use the same sudo words); npm and
 *     yarn clean the user's own cache and need no sudo;
 *   - any cleanup when a command after the install in its RUN may remove what the cleanup
 *     runs (the manager, node, sudo): npm uninstall -g npm, rm of .../node_modules/npm or a
 *     bin or lib directory, apt-get purge of those, autoremove, a script, sh -c, or any
 *     program not known to leave installed software alone (keeps_programs);
 *   - dropping a RUN that only updates when its neighbours are two RUNs of the stage (they
 *     would become adjacent and merge-run would join them on the next run);
 *   - pip/npm/yarn cleanup when their cache location is set (--cache-dir, --cache,
 *     --cache-folder, PIP_*, npm_config_cache, YARN_CACHE_FOLDER in the command or an ENV/ARG
 *     of the stage), npm/yarn cleanup when a later RUN works --offline;
 *   - yarn cleanup unless the stage (and those it builds on) shows Yarn 1: `--frozen-lockfile`,
 *     no corepack, .yarnrc, .yarn/, yarnPath, and every COPY/ADD before it copies named files
 *     (with Yarn 2+ the cache may hold the project's own packages).
 * Assumes what Docker's own guidance assumes: an image built FROM the result runs its own
 * `apt-get update` before installing; and, where `apt` becomes `apt-get`, that apt's
 * configuration deletes downloaded .debs as `apt` does (docker-clean in the official Debian and
 * Ubuntu images and the images built on them).
 */
#include "runscript.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

enum { M_APT, M_APK, M_ZYPPER, M_YUM, M_NPM, M_YARN, M_PIP, M_GEM };
#define NTRACK (M_YARN + 1) /* managers whose state later RUNs may read */

typedef enum { EV_NONE, EV_USE, EV_REFRESH } ev;

/* ---- recognising package-manager commands ---- */

typedef struct pcmd {
    int mgr;          /* M_*, or -1 */
    size_t prog, sub; /* word indexes; sub == nwords when it cannot be read */
    df_slice tool;    /* the program's basename: apt-get, apt, dnf, pip3, ... */
} pcmd;

static const char *const apt_argopts[] = {
    "-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release",
    "--default-release", "--host-architecture", NULL};
static const char *const apk_argopts[] = {
    "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir",
    "--repositories-file", "--wait", "--cache-max-age", "--progress-fd", "--timeout", NULL};
static const char *const yum_argopts[] = {
    "-c", "--config", "--installroot", "--releasever", "-d", "--debuglevel", "-e",
    "--errorlevel", "--enablerepo", "--disablerepo", "-x", "--exclude", "--repo", "--repoid",
    "--setopt", "--forcearch", "--color", "--rpmverbosity", "--downloaddir", "--destdir",
    "--disableplugin", "--enableplugin", "--comment", "--advisory", "--bz", "--cve",
    "--sec-severity", "--secseverity", NULL};
static const char *const zypper_argopts[] = {
    "-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir",
    "--solv-cache-dir", "--pkg-cache-dir", "-R", "--root", "--installroot", "--userdata", NULL};
static const char *const pip_argopts[] = {
    "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert",
    "--client-cert", "--cache-dir", "--python", "--use-feature", "--use-deprecated",
    "--keyring-provider", NULL};
static const char *const npm_argopts[] = {
    "--prefix", "--cache", "--registry", "--userconfig", "--globalconfig", "--loglevel", "-C",
    "--workspace", "-w", NULL};
static const char *const yarn_argopts[] = {
    "--cwd", "--cache-folder", "--modules-folder", "--mutex", "--network-timeout",
    "--global-folder", "--link-folder", "--preferred-cache-folder", "--registry",
    "--use-yarnrc", NULL};
static const char *const gem_argopts[] = {"--config-file", NULL};

static bool in_list(df_slice s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (slice_eq_str(s, list[i]))
            return true;
    return false;
}

/* name is stem followed by version digits and dots only: pip, pip3, pip3.11, python3.9 */
static bool versioned(df_slice name, const char *stem)
{
    size_t m = strlen(stem);
    if (name.n < m || memcmp(name.p, stem, m) != 0)
        return false;
    for (size_t i = m; i < name.n; i++)
        if (!((name.p[i] >= '0' && name.p[i] <= '9') || name.p[i] == '.'))
            return false;
    return true;
}

/* The first word from i on that is not an option; nwords when there is none or when a word
 * that is not literal comes first. */
static size_t find_sub(const sh_cmd *c, size_t i, const char *const *argopts)
{
    for (; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!w->literal)
            return c->nwords;
        if (w->value.n == 0 || w->value.p[0] != '-')
            return i;
        if (slice_eq_str(w->value, "--"))
            return c->nwords;
        if (!memchr(w->value.p, '=', w->value.n) && in_list(w->value, argopts))
            i++;
    }
    return c->nwords;
}

/* python's options that take no value, as a cluster: -I -s -S -E -u -B -q -O -b -R -v */
static bool python_flag(df_slice v)
{
    if (v.n < 2 || v.p[0] != '-')
        return false;
    for (size_t i = 1; i < v.n; i++)
        if (!strchr("IsSEuBqObRv", v.p[i]))
            return false;
    return true;
}

/* Is c a package-manager command? Fills pc (mgr -1 when not). */
static bool recognise(const sh_cmd *c, pcmd *pc)
{
    *pc = (pcmd){-1, c->nwords, c->nwords, {"", 0}};
    size_t p = sh_program(c);
    if (p >= c->nwords || !c->words[p].literal)
        return false;
    df_slice name = rs_basename(c->words[p].value);
    const char *const *argopts;
    int m;
    if (name.n < 3 || !memchr("adgmnpyz", name.p[0], 8)) /* the first letters of those below */
        return false;
    if (slice_eq_str(name, "apt-get") || slice_eq_str(name, "apt") ||
        slice_eq_str(name, "apt-cache") || slice_eq_str(name, "aptitude"))
        m = M_APT, argopts = apt_argopts;
    else if (slice_eq_str(name, "apk"))
        m = M_APK, argopts = apk_argopts;
    else if (slice_eq_str(name, "yum") || slice_eq_str(name, "dnf") ||
             slice_eq_str(name, "microdnf"))
        m = M_YUM, argopts = yum_argopts;
    else if (slice_eq_str(name, "zypper"))
        m = M_ZYPPER, argopts = zypper_argopts;
    else if (slice_eq_str(name, "npm"))
        m = M_NPM, argopts = npm_argopts;
    else if (slice_eq_str(name, "yarn"))
        m = M_YARN, argopts = yarn_argopts;
    else if (slice_eq_str(name, "gem"))
        m = M_GEM, argopts = gem_argopts;
    else if (versioned(name, "pip"))
        m = M_PIP, argopts = pip_argopts;
    else if (versioned(name, "python")) {
        size_t i = p + 1;
        while (i < c->nwords && c->words[i].literal && python_flag(c->words[i].value))
            i++;
        if (sh_word_is(c, i, "-m") && sh_word_is(c, i + 1, "pip"))
            p = i + 1;
        else
            return false;
        name = c->words[p].value;
        m = M_PIP, argopts = pip_argopts;
    } else
        return false;
    pc->mgr = m;
    pc->prog = p;
    pc->tool = name;
    pc->sub = find_sub(c, p + 1, argopts);
    return true;
}

static bool sub_in(const sh_cmd *c, const pcmd *pc, const char *const *names)
{
    return pc->sub < c->nwords && in_list(c->words[pc->sub].value, names);
}

/* Is one of names among the literal words after the program (a long option also as
 * `name=value`)? */
static bool has_opt(const sh_cmd *c, const pcmd *pc, const char *const *names)
{
    for (size_t i = pc->prog + 1; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!w->literal)
            continue;
        if (slice_eq_str(w->value, "--"))
            break;
        for (size_t k = 0; names[k]; k++) {
            size_t m = strlen(names[k]);
            if (slice_eq_str(w->value, names[k]) ||
                (m > 2 && names[k][1] == '-' && w->value.n > m && w->value.p[m] == '=' &&
                 memcmp(w->value.p, names[k], m) == 0))
                return true;
        }
    }
    return false;
}

/* A short-option cluster (-qy) after the program with the letter in it. */
static bool has_short(const sh_cmd *c, const pcmd *pc, char letter)
{
    for (size_t i = pc->prog + 1; i < c->nwords; i++) {
        df_slice v = c->words[i].value;
        if (!c->words[i].literal || v.n < 2 || v.p[0] != '-' || v.p[1] == '-')
            continue;
        bool letters = true;
        for (size_t k = 1; k < v.n && letters; k++)
            letters = (v.p[k] >= 'a' && v.p[k] <= 'z') || (v.p[k] >= 'A' && v.p[k] <= 'Z');
        if (letters && memchr(v.p + 1, letter, v.n - 1))
            return true;
    }
    return false;
}

/* The last word of the options right after word i (an option's value included), or i. */
static size_t last_option(const sh_cmd *c, size_t i, const char *const *argopts)
{
    size_t last = i;
    for (size_t k = i + 1; k < c->nwords; k++) {
        const sh_word *w = &c->words[k];
        if (!w->literal || w->value.n < 2 || w->value.p[0] != '-' ||
            slice_eq_str(w->value, "--"))
            break;
        if (!memchr(w->value.p, '=', w->value.n) && in_list(w->value, argopts)) {
            if (k + 1 >= c->nwords || !c->words[k + 1].literal)
                break;
            k++;
        }
        last = k;
    }
    return last;
}

static bool any_unquoted_variable(const sh_cmd *c, size_t from)
{
    for (size_t i = from; i < c->nwords; i++)
        if (!c->words[i].literal)
            return true;
    return false;
}

static const char *const apt_install_like[] = {
    "install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall", NULL};
static const char *const apt_needs_yes[] = {
    "install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove",
    "autopurge", "build-dep", "reinstall", NULL};
static const char *const apt_to_apt_get[] = {
    "install", "update", "remove", "purge", "autoremove", NULL};
static const char *const apt_no_lists[] = {
    "clean", "autoclean", "remove", "purge", "autoremove", "autopurge", "mark", NULL};
static const char *const apk_adds[] = {"add", "upgrade", NULL};
static const char *const apk_no_index[] = {"del", NULL};
static const char *const apk_update_flags[] = {"-U", "--update-cache", "--update", NULL};
static const char *const yum_install_like[] = {
    "install", "update", "upgrade", "groupinstall", "groupupdate", "reinstall", "localinstall",
    "localupdate", "downgrade", "distro-sync", "group", "module", "builddep", "makecache",
    NULL};
static const char *const yum_needs_yes[] = {
    "install", "update", "upgrade", "remove", "erase", "reinstall", "downgrade",
    "groupinstall", "groupupdate", "groupremove", "localinstall", "localupdate",
    "distro-sync", "autoremove", "group", "module", "builddep", NULL};
static const char *const zypper_install_like[] = {
    "install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si",
    NULL};
static const char *const zypper_needs_n[] = {
    "install", "in", "remove", "rm", "update", "up", "dist-upgrade", "dup", "patch",
    "source-install", "si", NULL};
static const char *const zypper_refresh[] = {"refresh", "ref", NULL};
static const char *const zypper_no_metadata[] = {
    "remove", "rm", "clean", "cc", "addrepo", "ar", "removerepo", "rr", "repos", "lr",
    "modifyrepo", "mr", "addlock", "al", "removelock", "rl", "locks", "ll", NULL};
static const char *const npm_install_like[] = {
    "install", "i", "in", "ci", "add", "isntall", "install-clean", "ic", "install-ci-test",
    "cit", "install-test", "it", NULL};
static const char *const word_update[] = {"update", NULL};
static const char *const word_install[] = {"install", NULL};
static const char *const word_offline[] = {"--offline", NULL};

/* What c does to its manager's index or cache, as later commands see it. */
static ev category(const sh_cmd *c, const pcmd *pc)
{
    switch (pc->mgr) {
    case M_APT:
        if (!slice_eq_str(pc->tool, "apt-get") && !slice_eq_str(pc->tool, "apt"))
            return EV_USE; /* apt-cache, aptitude */
        if (sub_in(c, pc, word_update))
            return EV_REFRESH;
        return sub_in(c, pc, apt_no_lists) ? EV_NONE : EV_USE;
    case M_APK:
        if (sub_in(c, pc, word_update))
            return EV_REFRESH;
        if (sub_in(c, pc, apk_adds)) {
            static const char *const nocache[] = {"--no-cache", NULL};
            if (has_opt(c, pc, nocache))
                return EV_NONE;
            return has_opt(c, pc, apk_update_flags) || has_short(c, pc, 'U') ? EV_REFRESH
                                                                               : EV_USE;
        }
        return sub_in(c, pc, apk_no_index) ? EV_NONE : EV_USE;
    case M_ZYPPER:
        if (sub_in(c, pc, zypper_refresh))
            return EV_REFRESH;
        return sub_in(c, pc, zypper_no_metadata) ? EV_NONE : EV_USE;
    case M_YUM: {
        static const char *const cacheonly[] = {"-C", "--cacheonly", NULL};
        return has_opt(c, pc, cacheonly) ? EV_USE : EV_NONE;
    }
    case M_NPM:
    case M_YARN:
        return has_opt(c, pc, word_offline) ? EV_USE : EV_NONE;
    default:
        return EV_NONE;
    }
}

/* ---- what a command or a text mentions ---- */

enum { MENTION_SCRIPT = 1u << 8, MENTION_OFFLINE = 1u << 9 };

static bool token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '+' || c == '-' || c == '/';
}

/* The managers a text names as a program (bit 1 << M_*), plus MENTION_SCRIPT for what looks
 * like running a script and MENTION_OFFLINE for --offline. A path counts only in a bin
 * directory (/usr/bin/apt-get, not /etc/apt). */
static unsigned mentions(df_slice s)
{
    static const struct {
        const char *name;
        int mgr;
    } tools[] = {
        {"apt", M_APT},      {"apt-get", M_APT}, {"apt-cache", M_APT},
        {"aptitude", M_APT}, {"add-apt-repository", M_APT}, {"apk", M_APK},
        {"zypper", M_ZYPPER}, {"yum", M_YUM},    {"dnf", M_YUM},
        {"microdnf", M_YUM}, {"npm", M_NPM},     {"yarn", M_YARN},
    };
    static const char *shells[] = {"sh", "bash", "dash", "ash", "ksh", "zsh", "mksh"};
    unsigned bits = 0;
    for (size_t i = 0; i < s.n;) {
        if (!token_char(s.p[i])) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < s.n && token_char(s.p[e]))
            e++;
        df_slice tok = {s.p + i, e - i}, base = rs_basename(tok);
        bool program = base.n == tok.n ||
                       (tok.n - base.n >= 4 && memcmp(tok.p + tok.n - base.n - 4, "bin/", 4) == 0);
        /* every name below starts with one of these letters */
        program &= base.n > 1 && memchr("abdkmnsyz", base.p[0], 9) != NULL;
        if (program)
            for (size_t k = 0; k < sizeof tools / sizeof *tools; k++)
                if (slice_eq_str(base, tools[k].name))
                    bits |= 1u << tools[k].mgr;
        if (slice_has_prefix(tok, "./") || slice_has_prefix(tok, "../") ||
            (tok.n > 3 && memcmp(tok.p + tok.n - 3, ".sh", 3) == 0))
            bits |= MENTION_SCRIPT;
        if (program)
            for (size_t k = 0; k < sizeof shells / sizeof *shells; k++)
                if (slice_eq_str(base, shells[k]))
                    bits |= MENTION_SCRIPT;
        if (tok.p[0] == '-' && slice_eq_str(tok, "--offline"))
            bits |= MENTION_OFFLINE;
        i = e;
    }
    return bits;
}

/* Does c run a script the pass cannot see into: ./x, x.sh, `sh FILE`, `curl ... | sh`,
 * `source FILE`, or a program named by a variable? */
static bool runs_script(const sh_cmd *c)
{
    static const char *const shells[] = {"sh", "bash", "dash", "ash", "ksh", "zsh", "mksh",
                                         "source", ".", NULL};
    size_t p = sh_program(c);
    if (p >= c->nwords)
        return false;
    if (!c->words[p].literal)
        return true;
    df_slice v = c->words[p].value;
    if (slice_has_prefix(v, "./") || slice_has_prefix(v, "../") ||
        (v.n > 3 && memcmp(v.p + v.n - 3, ".sh", 3) == 0))
        return true;
    if (!in_list(rs_basename(v), shells))
        return false;
    for (size_t i = p + 1; i < c->nwords; i++) {
        df_slice o = c->words[i].value;
        if (!c->words[i].literal || o.n < 2 || o.p[0] != '-')
            break;
        if (o.p[1] != '-' && memchr(o.p, 'c', o.n))
            return false; /* sh -c STRING: its text is scanned for mentions */
    }
    return true;
}

/* ---- RUN scripts, each read once per document ---- */

/* The pass reads a RUN's script in several phases and rounds: rs_open takes the reading the
 * node keeps (sh_parse_node), shared read-only, until the node gets new text. */
typedef struct cls {
    int e;         /* ev: the first event in the RUN */
    size_t at;     /* the command it comes from (SIZE_MAX when from unread text) */
} cls;

/* What the pass keeps per script, beside its reading (sh_parse_node): a function of the
 * script's bytes, so it lives with the reading for the whole document (sh_note_node) and the
 * pass's later runs find it. */
typedef struct run_entry {
    uint32_t at[NTRACK]; /* classify's answer: cls.at (UINT32_MAX: SIZE_MAX) ... */
    uint8_t e[NTRACK];   /* ... and cls.e */
    bool classified;     /* at and e are filled */
    uint8_t managers;    /* 1 + bit M_* per manager a command runs or mentions; 0: not known */
} run_entry;

/* rs_open, with the reading the document keeps: the entry kept for the script, or NULL when
 * it did not open (or has nothing to key on). */
static run_entry *open_entry(df_doc *doc, df_node *n, rs_run *out)
{
    if (!rs_open(doc, n, out))
        return NULL;
    void **note = sh_note_node(n);
    if (!note)
        return NULL;
    if (!*note)
        *note = arena_alloc(&doc->arena, sizeof(run_entry)); /* zeroed: nothing known yet */
    return *note;
}

/* For callers that need only the reading; returns out->ok. */
static bool open_run(df_doc *doc, df_node *n, rs_run *out)
{
    return rs_open(doc, n, out);
}

/* ---- what a RUN does to each manager's state ---- */

/* Reads n (a RUN, or ONBUILD's RUN) into r and tells, per tracked manager, the first thing it
 * does to that manager's state. A refresh counts only on the top-level &&/; chain. */
static void classify(df_doc *doc, df_node *n, rs_run *r, cls out[NTRACK])
{
    for (int m = 0; m < NTRACK; m++)
        out[m] = (cls){EV_NONE, SIZE_MAX};
    run_entry *entry = open_entry(doc, n, r);
    if (entry && entry->classified) {
        for (int m = 0; m < NTRACK; m++)
            out[m] = (cls){entry->e[m], entry->at[m] == UINT32_MAX ? SIZE_MAX : entry->at[m]};
        return;
    }
    if (!r->ok) {
        if (!n || n->kind != DF_RUN)
            return;
        /* exec form, heredocs, or a script that does not parse: judge by its words */
        df_slice text = n->text;
        if (n->flags & DF_N_JSON) {
            text = n->logical;
        }
        unsigned bits = mentions(text);
        for (int m = 0; m < NTRACK; m++) {
            bool cache_only = m == M_NPM || m == M_YARN;
            if ((bits & (1u << m)) && (!cache_only || (bits & MENTION_OFFLINE)))
                out[m].e = EV_USE;
            if ((bits & MENTION_SCRIPT) && (m == M_APT || m == M_APK || m == M_ZYPPER))
                out[m].e = EV_USE;
        }
        return;
    }
    bool reliable = true, done[NTRACK] = {false};
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        pcmd pc;
        if (recognise(c, &pc)) {
            int m = pc.mgr;
            if (m < NTRACK && !done[m]) {
                ev e = category(c, &pc);
                if (e == EV_REFRESH && c->depth == 0 && reliable)
                    out[m] = (cls){EV_REFRESH, i}, done[m] = true;
                else if (e == EV_USE)
                    out[m] = (cls){EV_USE, i}, done[m] = true;
            }
        } else {
            unsigned bits = mentions((df_slice){r->script.p + c->off, c->end - c->off});
            bool script = runs_script(c);
            for (int m = 0; m < NTRACK; m++) {
                if (done[m])
                    continue;
                bool cache_only = m == M_NPM || m == M_YARN;
                if (((bits & (1u << m)) && (!cache_only || (bits & MENTION_OFFLINE))) ||
                    (script && (m == M_APT || m == M_APK || m == M_ZYPPER)))
                    out[m] = (cls){EV_USE, SIZE_MAX}, done[m] = true;
            }
        }
        if (c->depth != 0 || (c->op != SH_AND && c->op != SH_SEQ && c->op != SH_END))
            reliable = false;
    }
    if (entry && r->sh.ncmds < UINT32_MAX) {
        for (int m = 0; m < NTRACK; m++) {
            entry->e[m] = (uint8_t)out[m].e;
            entry->at[m] = out[m].at == SIZE_MAX ? UINT32_MAX : (uint32_t)out[m].at;
        }
        entry->classified = true;
    }
}

/* The managers r's commands run or mention (bit 1 << M_*): a manager outside it has no
 * install, refresh or mention in the script, so last_install finds nothing for it. */
static unsigned managers(df_doc *doc, rs_run *r)
{
    run_entry *entry = open_entry(doc, r->n, r);
    if (entry && entry->managers)
        return entry->managers - 1;
    unsigned bits = 0;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        pcmd pc;
        if (recognise(c, &pc))
            bits |= pc.mgr >= 0 ? 1u << pc.mgr : 0;
        else
            bits |= mentions((df_slice){r->script.p + c->off, c->end - c->off});
    }
    bits &= (1u << NTRACK) - 1;
    if (entry)
        entry->managers = (uint8_t)(bits + 1);
    return bits;
}

/* ---- per-stage facts gathered in document order ---- */

enum {
    ENV_PIP = 1u << 0,  /* PIP_NO_CACHE_DIR / PIP_CACHE_DIR set */
    ENV_NPM = 1u << 1,  /* npm_config_cache set */
    ENV_YARN = 1u << 2, /* YARN_CACHE_FOLDER set */
    YARN_UNSURE = 1u << 3, /* Yarn 2+ possible */
};


/* Does a COPY/ADD bring in only named files (a name with an extension, no glob, not `.`, not
 * from a stage, an image or a URL, not a yarn config)? */
static bool copies_named_files(const df_node *n)
{
    df_slice v;
    if (node_flag(n, "from", &v) || n->nheredocs || n->nargs < 2)
        return false;
    for (size_t i = 0; i + 1 < n->nargs; i++) {
        df_slice s = n->args[i].v, b = rs_basename(s);
        if (b.n == 0 || b.p[0] == '.' || !memchr(b.p, '.', b.n) || memchr(s.p, '*', s.n) ||
            memchr(s.p, '?', s.n) || memchr(s.p, '[', s.n) || memchr(s.p, ':', s.n) ||
            memchr(s.p, '$', s.n))
            return false;
    }
    return true;
}

static unsigned node_facts(const df_node *n, bool yarn)
{
    unsigned f = 0;
    if (n->kind == DF_ENV || n->kind == DF_ARG) {
        if (slice_contains_nocase(n->logical, "PIP_NO_CACHE_DIR") ||
            slice_contains_nocase(n->logical, "PIP_CACHE_DIR"))
            f |= ENV_PIP;
        if (slice_contains_nocase(n->logical, "npm_config_cache"))
            f |= ENV_NPM;
        if (slice_contains_nocase(n->logical, "YARN_CACHE_FOLDER"))
            f |= ENV_YARN;
    }
    static const char *yarn2[] = {"corepack", "yarnrc", ".yarn/", "yarnpath", "yarn-path",
                                  "berry", "set version", "set-version"};
    for (size_t k = 0; yarn && k < sizeof yarn2 / sizeof *yarn2; k++)
        if (slice_contains_nocase(n->text, yarn2[k]))
            f |= YARN_UNSURE;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && !copies_named_files(n))
        f |= YARN_UNSURE;
    return f;
}

/* Does n change what `apt-get update` would fetch? */
static bool touches_apt_sources(const df_node *n)
{
    static const char *marks[] = {"/etc/apt", "sources.list", "apt-key", "add-apt-repository",
                                  "--add-architecture", "/var/lib/apt"};
    bool apt = memmem(n->text.p, n->text.n, "apt", 3) != NULL; /* in all marks but two */
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
        if ((apt || !strstr(marks[k], "apt")) &&
            memmem(n->text.p, n->text.n, marks[k], strlen(marks[k])))
            return true;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && n->nargs >= 1) {
        df_slice dest = n->args[n->nargs - 1].v;
        if (slice_eq_str(dest, "/") || slice_eq_str(dest, "/etc") || slice_eq_str(dest, "/etc/"))
            return true;
    }
    return false;
}

/* A set of nodes (sorted pointers). */
typedef struct nodeset {
    uintptr_t *v;
    size_t n, cap;
} nodeset;

static void set_add(nodeset *s, const df_node *n)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (uintptr_t)n;
}

static int ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

static void set_seal(nodeset *s)
{
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, ptr_cmp);
}

static bool set_has(const nodeset *s, const df_node *n)
{
    uintptr_t key = (uintptr_t)n;
    return s->n && bsearch(&key, s->v, s->n, sizeof *s->v, ptr_cmp);
}

typedef struct ctx {
    df_doc *doc;
    df_diags *d;
    int level;
    unsigned *facts;     /* per stage, as of the node being looked at (phase 1) */
    bool *onbuild;       /* per stage and tracked manager: an ONBUILD RUN reads its state */
    nodeset posix;       /* RUNs in a POSIX-shell stage */
    nodeset yarn_ok;     /* RUNs where yarn's cache may be cleaned */
    nodeset pip_env;     /* RUNs whose stage sets pip's cache location */
    nodeset npm_env;     /* ... npm's */
    nodeset nonroot;     /* RUNs whose user may not be root (a USER other than root/0) */
    rs_style file_style;
} ctx;

/* Is a USER instruction's user root for sure: root or 0, with any group? */
static bool is_root_user(const df_node *n)
{
    if (n->nargs != 1)
        return false;
    df_slice u = n->args[0].v;
    const char *colon = memchr(u.p, ':', u.n);
    if (colon)
        u.n = (size_t)(colon - u.p);
    return slice_eq_str(u, "root") || slice_eq_str(u, "0");
}

/* ---- phase 1: flags on each command ---- */

static void put_edit(ir_edits *e, const rs_run *r, const sh_word *w, const char *ins)
{
    ir_edit_add(e, r->base + w->off + w->len, 0, slice_from(ins));
}

static void flag_command(ctx *x, const rs_run *r, const sh_cmd *c, ir_edits *e)
{
    pcmd pc;
    if (c->depth != 0 || !recognise(c, &pc))
        return;
    df_node *n = r->n;
    bool mount = rs_has_mount(n);
    const sh_word *sub = pc.sub < c->nwords ? &c->words[pc.sub] : NULL;
    const sh_word *prog = &c->words[pc.prog];
    switch (pc.mgr) {
    case M_APT: {
        bool apt = slice_eq_str(prog->value, "apt") && slice_eq_str(pc.tool, "apt");
        if (!sub || (!apt && !slice_eq_str(pc.tool, "apt-get")))
            return;
        if (apt && sub_in(c, &pc, apt_to_apt_get))
            ir_edit_add(e, r->base + prog->off, prog->len, SLICE("apt-get"));
        static const char *const configured[] = {"-o", "-c", "--option", "--config-file", NULL};
        bool conf = has_opt(c, &pc, configured);
        for (size_t i = pc.prog + 1; i < c->nwords && !conf; i++)
            conf = c->words[i].literal && (slice_has_prefix(c->words[i].value, "-o") ||
                                           slice_has_prefix(c->words[i].value, "-c"));
        if (conf)
            return;
        static const char *const yes[] = {"-y", "--yes", "--assume-yes", "-q=2", "--quiet=2",
                                          NULL};
        bool has_yes = has_opt(c, &pc, yes) || has_short(c, &pc, 'y');
        for (size_t i = pc.prog + 1; i < c->nwords && !has_yes; i++) /* -qq implies -y */
            has_yes = c->words[i].literal && c->words[i].value.n > 2 &&
                      c->words[i].value.p[1] != '-' &&
                      memmem(c->words[i].value.p, c->words[i].value.n, "qq", 2);
        static const char *const recommends[] = {"--no-install-recommends",
                                                 "--install-recommends", NULL};
        bool yes_needed = sub_in(c, &pc, apt_needs_yes) && !has_yes;
        bool no_rec = x->level >= 2 && sub_in(c, &pc, word_install) &&
                      !has_opt(c, &pc, recommends) && !any_unquoted_variable(c, pc.prog + 1);
        if (yes_needed)
            put_edit(e, r, sub, no_rec ? " -y --no-install-recommends" : " -y");
        else if (no_rec) /* after the options that follow the subcommand: install -y --no-... */
            put_edit(e, r, &c->words[last_option(c, pc.sub, apt_argopts)],
                     " --no-install-recommends");
        return;
    }
    case M_APK: {
        static const char *const nocache[] = {"--no-cache", NULL};
        if (sub && !mount && sub_in(c, &pc, apk_adds) && !has_opt(c, &pc, nocache) &&
            !has_opt(c, &pc, apk_update_flags) && !has_short(c, &pc, 'U'))
            put_edit(e, r, sub, " --no-cache");
        return;
    }
    case M_YUM: {
        static const char *const yes[] = {"-y", "--assumeyes", "--assume-yes", NULL};
        if (sub && sub_in(c, &pc, yum_needs_yes) && !has_opt(c, &pc, yes) &&
            !has_short(c, &pc, 'y'))
            put_edit(e, r, sub, " -y");
        return;
    }
    case M_ZYPPER: {
        static const char *const nonint[] = {"-n", "--non-interactive", "-y", "--no-confirm",
                                             NULL};
        if (sub && sub_in(c, &pc, zypper_needs_n) && !has_opt(c, &pc, nonint))
            put_edit(e, r, prog, " -n");
        return;
    }
    case M_PIP: {
        static const char *const cache[] = {"--no-cache-dir", "--cache-dir", NULL};
        bool env = set_has(&x->pip_env, n);
        for (size_t i = 0; i < pc.prog && !env; i++)
            env = slice_contains_nocase(c->words[i].value, "PIP_");
        if (sub && !mount && !env && sub_in(c, &pc, word_install) && !has_opt(c, &pc, cache))
            put_edit(e, r, sub, " --no-cache-dir");
        return;
    }
    case M_GEM: {
        static const char *const doc[] = {"--no-document", "-N", "--document", "--no-rdoc",
                                          "--no-ri", "--rdoc", "--ri", NULL};
        if (x->level >= 2 && sub && sub_in(c, &pc, word_install) && !has_opt(c, &pc, doc))
            put_edit(e, r, sub, " --no-document");
        return;
    }
    default:
        return;
    }
}

static bool phase_flags(ctx *x, df_node *n)
{
    rs_run r;
    if (!open_run(x->doc, n, &r))
        return false;
    ir_edits e = {0};
    for (size_t i = 0; i < r.sh.ncmds; i++)
        flag_command(x, &r, &r.sh.cmds[i], &e);
    if (e.n == 0) {
        free(e.v);
        return false;
    }
    return ir_edit_apply(x->doc, n, &e, x->d);
}

/* ---- phase 2: apt-get update next to the install that needs it ---- */

/* Does the text of s name one of names (case-insensitive)? */
static bool names_any(df_slice s, const char *const *names)
{
    for (size_t k = 0; names[k]; k++)
        if (slice_contains_nocase(s, names[k]))
            return true;
    return false;
}

/* Is c known to leave apt's sources, keys and configuration alone, so that `apt-get update`
 * may run after it instead of before? Only a short list of programs with literal words, no
 * redirection (its target is not read), no glob, nothing naming apt's files; an apt-get
 * install of a package that may bring sources or keys (a *-release, *-keyring, ca-certificates,
 * ...) is not. dpkg, scripts and every other program may add a repository. */
static bool apt_inert(const rs_run *r, const sh_cmd *c)
{
    static const char *const inert[] = {
        "mkdir", "ln", "chmod", "chown", "chgrp", "touch", "useradd", "groupadd", "adduser",
        "addgroup", "usermod", "groupmod", "true", ":", "test", "[", "ls", "echo", "printf",
        "rm", "ldconfig", "sleep", "pwd", "id", "whoami", "date", "uname", NULL};
    static const char *const risky_pkgs[] = {
        "release", "keyring", "ca-certificates", "apt", "software-properties", "repo",
        "sources", "gpg", "gnupg", "key", NULL};
    df_slice text = {r->script.p + c->off, c->end - c->off};
    if (c->depth != 0 || c->nredirs || c->negated || memchr(text.p, '$', text.n) ||
        memchr(text.p, '`', text.n))
        return false;
    static const char *const marks[] = {"/etc", "sources.list", "apt-key", "/usr/share/keyrings",
                                        "/var/lib/apt", "--add-architecture", NULL};
    if (names_any(text, marks))
        return false;
    for (size_t i = 0; i < c->nwords; i++)
        if (!c->words[i].literal || c->words[i].glob)
            return false;
    pcmd pc;
    if (recognise(c, &pc)) {
        if (pc.mgr != M_APT || !slice_eq_str(pc.tool, "apt-get") ||
            !sub_in(c, &pc, apt_install_like))
            return false;
        for (size_t i = pc.sub + 1; i < c->nwords; i++)
            if (names_any(c->words[i].value, risky_pkgs))
                return false;
        return true;
    }
    size_t p = sh_program(c);
    if (p >= c->nwords)
        return c->nwords == c->nassign && c->nassign == 0;
    for (size_t i = c->nassign; i < p; i++) /* sudo -u x, env A=b, nice, time */
        if (sh_word_is(c, i, "env"))
            return false; /* env -C/-S and friends: not read */
    return in_list(c->words[p].value, inert);
}

/* Are the commands [from, to) of r all apt_inert? */
static bool apt_inert_range(const rs_run *r, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < r->sh.ncmds; i++)
        if (!apt_inert(r, &r->sh.cmds[i]))
            return false;
    return true;
}

/* May `apt-get update`, done before n, be done after n instead with the same result: n leaves
 * apt's sources and the user that runs RUN alone? A RUN of inert commands (apt_inert), image
 * metadata, WORKDIR, ENV/ARG that name no proxy, apt, path, certificate or temp setting, and
 * COPY/ADD into a known application or temporary directory qualify; USER, SHELL, VOLUME,
 * every other COPY/ADD and every other RUN do not. */
static bool apt_inert_node(df_doc *doc, df_node *n)
{
    static const char *const env_risky[] = {"proxy", "apt", "path", "ld_", "ssl", "cert",
                                             "tmp", "home", "gnupg", NULL};
    static const char *const dirs[] = {"/app", "/src", "/srv", "/opt", "/home", "/usr/src",
                                       "/usr/local/src", "/var/www", "/workspace", "/code",
                                       "/build", "/data", "/tmp", NULL};
    if (touches_apt_sources(n))
        return false;
    switch (n->kind) {
    case DF_LABEL: case DF_EXPOSE: case DF_MAINTAINER: case DF_STOPSIGNAL: case DF_HEALTHCHECK:
    case DF_CMD: case DF_ENTRYPOINT: case DF_WORKDIR: case DF_ONBUILD:
        return true;
    case DF_ENV: case DF_ARG:
        return !names_any(n->logical, env_risky);
    case DF_COPY: case DF_ADD: {
        if (n->nargs < 2 && !n->nheredocs)
            return false;
        df_slice dest = n->args[n->nargs - 1].v;
        if (memchr(dest.p, '$', dest.n) || memmem(dest.p, dest.n, "..", 2))
            return false;
        for (size_t k = 0; dirs[k]; k++) {
            size_t m = strlen(dirs[k]);
            if (slice_has_prefix(dest, dirs[k]) && (dest.n == m || dest.p[m] == '/'))
                return true;
        }
        return false;
    }
    case DF_RUN: {
        rs_run r;
        return n->nbflags == 0 && open_run(doc, n, &r) && !r.sh.compound &&
               apt_inert_range(&r, 0, r.sh.ncmds);
    }
    default:
        return false;
    }
}

/* May `apt-get update && ` go in front of command i? The commands before it must be inert
 * (apt_inert): the update moves after them. */
static bool update_insertable(const rs_run *r, size_t i)
{
    if (!r->ok || r->sh.compound || i >= r->sh.ncmds || !apt_inert_range(r, 0, i))
        return false;
    for (size_t k = 0; k < i; k++)
        if (r->sh.cmds[k].depth != 0 || (r->sh.cmds[k].op != SH_AND && r->sh.cmds[k].op != SH_SEQ))
            return false;
    const sh_cmd *c = &r->sh.cmds[i];
    pcmd pc;
    return c->depth == 0 && !c->negated && recognise(c, &pc) && pc.mgr == M_APT &&
           (slice_eq_str(pc.tool, "apt-get") || slice_eq_str(pc.tool, "apt")) &&
           sub_in(c, &pc, apt_install_like);
}

static bool phase_apt_update(ctx *x)
{
    bool changed = false;
    df_slice update = {0};
    bool have = false, dirty = false;
    int stage = -2;
    for (df_node *n = x->doc->head; n; n = n->next) {
        if (n->stage != stage) {
            stage = n->stage;
            have = dirty = false;
        }
        /* dirty matters only after an update (which sets it afresh) and stays once set */
        if (n->kind != DF_RUN) {
            if (have && !dirty)
                dirty = !apt_inert_node(x->doc, n);
            continue;
        }
        rs_run r;
        cls c[NTRACK];
        classify(x->doc, n, &r, c);
        if (c[M_APT].e == EV_USE && have && !dirty && set_has(&x->posix, n) && n->nbflags == 0 &&
            c[M_APT].at != SIZE_MAX && update_insertable(&r, c[M_APT].at)) {
            df_buf b = {0};
            buf_put_slice(&b, update);
            buf_puts(&b, " && ");
            size_t at = r.sh.cmds[c[M_APT].at].off;
            if (rs_splice(x->doc, &r, at, at, buf_to_arena(&b, &x->doc->arena), x->d)) {
                changed = true;
                classify(x->doc, n, &r, c);
            }
            buf_free(&b);
        }
        if (c[M_APT].e == EV_REFRESH) {
            /* what follows the update in its RUN must be inert too: the update moves after it;
             * and the update's RUN must run as plainly as the install's (no builder flags) */
            const sh_cmd *u = &r.sh.cmds[c[M_APT].at];
            update = (df_slice){r.script.p + u->off, u->end - u->off};
            have = true;
            dirty = touches_apt_sources(n) || n->nbflags != 0 ||
                    !apt_inert_range(&r, c[M_APT].at + 1, r.sh.ncmds);
        } else if (have && !dirty) {
            dirty = !apt_inert_node(x->doc, n);
        }
    }
    return changed;
}

/* ---- phase 3: cleanups, walking back from the end ---- */

/* Is r nothing but `apt-get update` (or `apk update`) commands? Which manager, else -1. */
static int lone_update(const rs_run *r)
{
    if (!r->ok || r->sh.compound || r->sh.ncmds == 0 || r->n->nbflags)
        return -1;
    int mgr = -1;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        pcmd pc;
        if (c->depth != 0 || (c->op != SH_AND && c->op != SH_SEQ && c->op != SH_END) ||
            !recognise(c, &pc) || (pc.mgr != M_APT && pc.mgr != M_APK) ||
            !sub_in(c, &pc, word_update) || category(c, &pc) != EV_REFRESH ||
            (mgr >= 0 && mgr != pc.mgr))
            return -1;
        mgr = pc.mgr;
    }
    return mgr;
}

/* Removes n; its lead (comments, blank lines) goes to the next node or the trailer. A file that
 * ended without a newline still does (a blank lead is then dropped). */
static void drop_node(df_doc *doc, df_node *n, df_diags *d)
{
    bool no_eol = !n->next && doc->trailer.n == 0 &&
                  (n->text.n == 0 || n->text.p[n->text.n - 1] != '\n');
    bool blank = true;
    for (size_t i = 0; i < n->lead.n && blank; i++)
        blank = n->lead.p[i] == ' ' || n->lead.p[i] == '\t' || n->lead.p[i] == '\r' ||
                n->lead.p[i] == '\n';
    df_buf b = {0};
    if (!blank || !no_eol) {
        buf_put_slice(&b, n->lead);
        if (n->next) {
            buf_put_slice(&b, n->next->lead);
            n->next->lead = buf_to_arena(&b, &doc->arena);
        } else {
            buf_put_slice(&b, doc->trailer);
            doc->trailer = buf_to_arena(&b, &doc->arena);
        }
    }
    ir_unlink(doc, n);
    if (no_eol) {
        df_slice *last = doc->trailer.n ? &doc->trailer : doc->tail ? &doc->tail->text : NULL;
        df_slice t = last ? *last : (df_slice){NULL, 0};
        if (t.n && t.p[t.n - 1] == '\n')
            t.n -= t.n >= 2 && t.p[t.n - 2] == '\r' ? 2 : 1;
        if (last == &doc->trailer)
            doc->trailer = t;
        else if (last && t.n)
            ir_node_set_text(doc, doc->tail, t, d);
    }
    buf_free(&b);
}

/* The last top-level command of manager m that is install-like (names: the subcommands),
 * SIZE_MAX when none; *last_any is the last command that may fill m's cache or index again:
 * install-like at any depth, one that reads or refreshes the index, or an unread mention. */
static size_t last_install(const rs_run *r, int m, const char *const *names, size_t *last_any)
{
    size_t found = SIZE_MAX;
    *last_any = SIZE_MAX;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        pcmd pc;
        if (recognise(c, &pc)) {
            if (pc.mgr != m)
                continue;
            bool bare_yarn = m == M_YARN && pc.sub >= c->nwords &&
                             !any_unquoted_variable(c, pc.prog + 1);
            bool install = sub_in(c, &pc, names) || bare_yarn;
            if (install || category(c, &pc) != EV_NONE)
                *last_any = i;
            if (c->depth == 0 && install)
                found = i;
        } else if (mentions((df_slice){r->script.p + c->off, c->end - c->off}) & (1u << m)) {
            *last_any = i;
        }
    }
    return found;
}

/* Is there a top-level command after index `after` that removes a path starting with one of
 * prefixes (rm ... PATH) or runs `tool sub` (e.g. `dnf clean`)? */
static bool cleaned_after(const rs_run *r, size_t after, const char *const *prefixes, int m,
                          const char *sub)
{
    for (size_t i = after == SIZE_MAX ? 0 : after + 1; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        if (c->depth != 0)
            continue;
        size_t p = sh_program(c);
        if (prefixes && sh_word_is(c, p, "rm")) {
            for (size_t k = p + 1; k < c->nwords; k++) {
                df_slice raw = {r->script.p + c->words[k].off, c->words[k].len};
                for (size_t j = 0; prefixes[j]; j++)
                    if (slice_has_prefix(c->words[k].value, prefixes[j]) ||
                        memmem(raw.p, raw.n, prefixes[j], strlen(prefixes[j])))
                        return true;
            }
        }
        pcmd pc;
        if (sub && recognise(c, &pc) && pc.mgr == m && pc.sub < c->nwords) {
            df_slice s = c->words[pc.sub].value;
            if (slice_eq_str(s, sub) || (m == M_ZYPPER && slice_eq_str(s, "cc")) ||
                (m == M_NPM && slice_eq_str(s, "cache") && pc.sub + 1 < c->nwords &&
                 (slice_eq_str(c->words[pc.sub + 1].value, "clean") ||
                  slice_eq_str(c->words[pc.sub + 1].value, "clear") ||
                  slice_eq_str(c->words[pc.sub + 1].value, "rm"))) ||
                (m == M_YARN && slice_eq_str(s, "cache")))
                return true;
        }
    }
    return false;
}

/* The wrappers before command i's program (sudo -u x, env A=b), assignments left out. */
static df_slice wrappers(const rs_run *r, size_t i, const pcmd *pc)
{
    const sh_cmd *c = &r->sh.cmds[i];
    size_t from = c->nassign < c->nwords ? c->words[c->nassign].off : c->off;
    return (df_slice){r->script.p + from, c->words[pc->prog].off - from};
}

/* Does command i run its program through sudo (a wrapper that changes the user)? */
static bool via_sudo(const rs_run *r, size_t i, const pcmd *pc)
{
    const sh_cmd *c = &r->sh.cmds[i];
    for (size_t k = c->nassign; k < pc->prog; k++)
        if (sh_word_is(c, k, "sudo"))
            return true;
    return false;
}

/* Is every command of r after index `after` known to leave the programs named in needed (the
 * manager, node, sudo: what the cleanup will run) installed? A command qualifies when its
 * program is literal and either a package manager's command that removes nothing, or removes
 * only literal packages none of which names a needed program (no autoremove: it removes what
 * it likes), or a program from a list of ones that do not uninstall software, which when it
 * handles files (rm, mv, cp, ln, find) names no needed program, bin or lib directory, /usr,
 * /opt or node_modules (rm -rf /usr/local/lib/node_modules/npm). Anything else (sh -c, a
 * script, an unknown program) may remove the manager. */
static bool keeps_programs(const rs_run *r, size_t after, const char *const *needed)
{
    static const char *const removals[] = {
        "remove", "purge", "autoremove", "autopurge", "del", "erase", "uninstall", "un",
        "unlink", "rm", "r", "remove-orphans", "prune", "dedupe", "ddp", "clean-deps", NULL};
    static const char *const sweeping[] = {"autoremove", "autopurge", "remove-orphans", NULL};
    static const char *const known[] = {
        "echo", "printf", "mkdir", "touch", "chmod", "chown", "chgrp", "ln", "cp", "mv", "rm",
        "true", ":", "test", "[", "ls", "cat", "sed", "grep", "awk", "head", "tail", "find",
        "useradd", "groupadd", "adduser", "addgroup", "usermod", "ldconfig", "locale-gen",
        "make", "cmake", "ninja", "go", "cargo", "gcc", "cc", "g++", "node", "npx", "python",
        "python3", "git", "curl", "wget", "tar", "unzip", "gzip", "gunzip", "sleep", "pwd",
        "id", "whoami", "date", "uname", "tsc", "dpkg-query", "which", "update-ca-certificates",
        NULL};
    static const char *const dirs[] = {"bin/", "/bin", "/lib", "/usr/local", "node_modules",
                                       "/usr", "/opt", NULL};
    for (size_t i = after == SIZE_MAX ? 0 : after + 1; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        size_t p = sh_program(c);
        if (p >= c->nwords)
            continue; /* assignments, redirections only */
        if (!c->words[p].literal)
            return false;
        pcmd pc;
        if (recognise(c, &pc)) {
            if (pc.sub >= c->nwords) {
                if (c->nwords == pc.prog + 1)
                    continue; /* a bare `yarn` */
                return false; /* unread */
            }
            if (!sub_in(c, &pc, removals))
                continue;
            if (sub_in(c, &pc, sweeping) || any_unquoted_variable(c, pc.sub + 1))
                return false;
            for (size_t k = pc.sub + 1; k < c->nwords; k++)
                if (names_any(c->words[k].value, needed))
                    return false;
            continue;
        }
        if (!in_list(rs_basename(c->words[p].value), known))
            return false;
        if (sh_word_is(c, p, "rm") || sh_word_is(c, p, "mv") || sh_word_is(c, p, "find") ||
            sh_word_is(c, p, "cp") || sh_word_is(c, p, "ln")) {
            if (any_unquoted_variable(c, p + 1))
                return false;
            for (size_t k = p + 1; k < c->nwords; k++) {
                df_slice v = c->words[k].value;
                if ((slice_has_prefix(v, "/tmp/") || slice_has_prefix(v, "/var/tmp/")) &&
                    !memmem(v.p, v.n, "..", 2))
                    continue; /* scratch space holds no installed program */
                if (names_any(v, needed))
                    return false;
                if (slice_eq_str(v, "/") || slice_eq_str(v, "/*"))
                    return false;
                for (size_t j = 0; dirs[j]; j++)
                    if (memmem(v.p, v.n, dirs[j], strlen(dirs[j])) &&
                        !slice_has_prefix(v, "/usr/share/doc") &&
                        !slice_has_prefix(v, "/usr/share/man") &&
                        !slice_has_prefix(v, "/usr/src"))
                        return false;
            }
        }
    }
    return true;
}

/* Appends prefix + cmd to n's script; re-reads r. */
static bool append(ctx *x, df_node *n, rs_run *r, df_slice prefix, const char *cmd)
{
    df_buf b = {0};
    buf_put_slice(&b, prefix);
    buf_puts(&b, cmd);
    rs_style st = rs_node_style(x->doc, n, x->file_style);
    bool ok = rs_append(x->doc, r, buf_to_arena(&b, &x->doc->arena), &st, x->d);
    buf_free(&b);
    open_run(x->doc, n, r);
    return ok;
}

/* Does command c read or refresh m's index or cache, or might it (an unread mention of m, a
 * script)? */
static bool uses(const rs_run *r, const sh_cmd *c, int m)
{
    pcmd pc;
    if (recognise(c, &pc))
        return pc.mgr == m && category(c, &pc) != EV_NONE;
    return (mentions((df_slice){r->script.p + c->off, c->end - c->off}) & (1u << m)) ||
           runs_script(c);
}

/* apk: --no-cache for `apk add -U` (its index is then not kept), and drop `apk update` when
 * every add after it keeps no index. later_use: a later RUN reads the index. */
static bool apk_cleanup(ctx *x, df_node *n, rs_run *r, bool later_use)
{
    if (later_use || rs_has_mount(n) || !r->ok)
        return false;
    bool changed = false, used = false;
    ir_edits e = {0};
    for (size_t i = r->sh.ncmds; i-- > 0;) { /* from the end: what later commands read */
        const sh_cmd *c = &r->sh.cmds[i];
        pcmd pc;
        if (c->depth == 0 && !used && recognise(c, &pc) && pc.mgr == M_APK &&
            pc.sub < c->nwords && sub_in(c, &pc, apk_adds) && category(c, &pc) == EV_REFRESH)
            put_edit(&e, r, &c->words[pc.sub], " --no-cache"); /* keeps no index now */
        else
            used |= uses(r, c, M_APK);
    }
    if (e.n) {
        changed = ir_edit_apply(x->doc, n, &e, x->d);
        open_run(x->doc, n, r);
    } else {
        free(e.v);
    }
    if (!r->ok || r->sh.compound)
        return changed;
    size_t upd = SIZE_MAX, nupd = 0, last_use = 0;
    bool adds = false;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        pcmd pc;
        if (uses(r, c, M_APK))
            last_use = i;
        if (!recognise(c, &pc) || pc.mgr != M_APK)
            continue;
        if (sub_in(c, &pc, word_update))
            upd = i, nupd++;
        else if (upd != SIZE_MAX && sub_in(c, &pc, apk_adds) && category(c, &pc) == EV_NONE)
            adds = true;
    }
    if (nupd != 1 || !adds || upd + 1 >= r->sh.ncmds || r->sh.cmds[upd].op != SH_AND ||
        last_use > upd)
        return changed;
    for (size_t k = 0; k < upd; k++)
        if (r->sh.cmds[k].op != SH_AND && r->sh.cmds[k].op != SH_SEQ)
            return changed;
    if (rs_splice(x->doc, r, r->sh.cmds[upd].off, r->sh.cmds[upd + 1].off, SLICE(""), x->d)) {
        changed = true;
        open_run(x->doc, n, r);
    }
    return changed;
}

static bool cleanup_run(ctx *x, df_node *n, const ev next[NTRACK])
{
    static const char *const apt_lists[] = {"/var/lib/apt/lists", NULL};
    static const char *const yum_cache[] = {"/var/cache/yum", "/var/cache/dnf", NULL};
    static const char *const npm_cache[] = {"/.npm", NULL};
    bool changed = false;
    rs_run r;
    cls c[NTRACK];
    classify(x->doc, n, &r, c);
    if (!r.ok)
        return false;
    if (managers(x->doc, &r) & (1u << M_APK))
        changed |= apk_cleanup(x, n, &r, next[M_APK] == EV_USE);
    if (rs_has_mount(n))
        return changed;
    size_t any, at;
    classify(x->doc, n, &r, c);
    /* apt: the RUN refreshed the lists itself and installs: remove them at its end */
    unsigned mgrs = managers(x->doc, &r);
    at = mgrs & (1u << M_APT) ? last_install(&r, M_APT, apt_install_like, &any) : SIZE_MAX;
    if (c[M_APT].e == EV_REFRESH && at != SIZE_MAX && at > c[M_APT].at &&
        next[M_APT] != EV_USE && !cleaned_after(&r, any, apt_lists, M_APT, NULL)) {
        /* the rm must be allowed to empty the lists: as a user known to be root it runs
         * plainly; otherwise the update and the install ran through the same sudo words, and
         * the rm does too (sudo still installed when it runs) */
        pcmd ipc, upc;
        recognise(&r.sh.cmds[at], &ipc);
        recognise(&r.sh.cmds[c[M_APT].at], &upc);
        static const char *const sudo_needed[] = {"sudo", NULL};
        if (!set_has(&x->nonroot, n))
            changed |= append(x, n, &r, SLICE(""), "rm -rf /var/lib/apt/lists/*");
        else if (via_sudo(&r, at, &ipc) && via_sudo(&r, c[M_APT].at, &upc) &&
                 slice_eq(wrappers(&r, at, &ipc), wrappers(&r, c[M_APT].at, &upc)) &&
                 keeps_programs(&r, at, sudo_needed))
            changed |= append(x, n, &r, wrappers(&r, at, &ipc), "rm -rf /var/lib/apt/lists/*");
    }
    if (!r.ok)
        return changed;
    /* zypper */
    mgrs = managers(x->doc, &r);
    at = mgrs & (1u << M_ZYPPER) ? last_install(&r, M_ZYPPER, zypper_install_like, &any)
                                 : SIZE_MAX;
    if (at != SIZE_MAX && next[M_ZYPPER] != EV_USE &&
        !cleaned_after(&r, any, NULL, M_ZYPPER, "clean")) {
        pcmd pc;
        recognise(&r.sh.cmds[at], &pc);
        bool sudo = via_sudo(&r, at, &pc);
        const char *const needed[] = {"zypper", sudo ? "sudo" : NULL, NULL};
        if ((sudo || !set_has(&x->nonroot, n)) && keeps_programs(&r, at, needed))
            changed |= append(x, n, &r, wrappers(&r, at, &pc), "zypper clean -a");
    }
    if (!r.ok)
        return changed;
    /* yum, dnf, microdnf */
    mgrs = managers(x->doc, &r);
    at = mgrs & (1u << M_YUM) ? last_install(&r, M_YUM, yum_install_like, &any) : SIZE_MAX;
    if (at != SIZE_MAX && next[M_YUM] != EV_USE &&
        !cleaned_after(&r, any, yum_cache, M_YUM, "clean")) {
        pcmd pc;
        recognise(&r.sh.cmds[at], &pc);
        const char *tool = slice_eq_str(pc.tool, "dnf")   ? "dnf"
                           : slice_eq_str(pc.tool, "yum") ? "yum"
                                                          : "microdnf";
        bool nonroot = set_has(&x->nonroot, n), sudo = via_sudo(&r, at, &pc);
        const char *const needed[] = {tool, sudo ? "sudo" : NULL, NULL};
        if ((sudo || !nonroot) && keeps_programs(&r, at, needed)) {
            /* `<wrappers>dnf clean all && <sudo wrappers>rm -rf /var/cache/dnf` */
            df_buf b = {0};
            buf_puts(&b, tool);
            buf_puts(&b, " clean all && ");
            if (nonroot)
                buf_put_slice(&b, wrappers(&r, at, &pc));
            buf_puts(&b, slice_eq_str(pc.tool, "dnf") ? "rm -rf /var/cache/dnf"
                                                      : "rm -rf /var/cache/yum");
            buf_putc(&b, '\0');
            changed |= append(x, n, &r, wrappers(&r, at, &pc), b.p);
            buf_free(&b);
        }
    }
    if (!r.ok)
        return changed;
    /* npm */
    mgrs = managers(x->doc, &r);
    at = mgrs & (1u << M_NPM) ? last_install(&r, M_NPM, npm_install_like, &any) : SIZE_MAX;
    if (at != SIZE_MAX && next[M_NPM] != EV_USE && !set_has(&x->npm_env, n) &&
        !cleaned_after(&r, any, npm_cache, M_NPM, "cache")) {
        const sh_cmd *ic = &r.sh.cmds[at];
        pcmd pc;
        recognise(ic, &pc);
        static const char *const cacheopt[] = {"--cache", NULL};
        bool cache_set = has_opt(ic, &pc, cacheopt);
        for (size_t i = 0; i < pc.prog && !cache_set; i++)
            cache_set = slice_contains_nocase(ic->words[i].value, "cache");
        static const char *const needed[] = {"npm", "node", "sudo", NULL};
        if (!cache_set && keeps_programs(&r, at, needed))
            changed |= append(x, n, &r, wrappers(&r, at, &pc), "npm cache clean --force");
    }
    if (!r.ok)
        return changed;
    /* yarn (1.x only) */
    mgrs = managers(x->doc, &r);
    at = mgrs & (1u << M_YARN) ? last_install(&r, M_YARN, word_install, &any) : SIZE_MAX;
    if (at != SIZE_MAX && next[M_YARN] != EV_USE && set_has(&x->yarn_ok, n) &&
        !cleaned_after(&r, any, NULL, M_YARN, "cache")) {
        const sh_cmd *ic = &r.sh.cmds[at];
        pcmd pc;
        recognise(ic, &pc);
        static const char *const frozen[] = {"--frozen-lockfile", NULL};
        static const char *const cacheopt[] = {"--cache-folder", NULL};
        bool cache_set = has_opt(ic, &pc, cacheopt);
        for (size_t i = 0; i < pc.prog && !cache_set; i++)
            cache_set = slice_contains_nocase(ic->words[i].value, "cache");
        static const char *const needed[] = {"yarn", "node", "sudo", NULL};
        if (!cache_set && has_opt(ic, &pc, frozen) && keeps_programs(&r, at, needed))
            changed |= append(x, n, &r, wrappers(&r, at, &pc), "yarn cache clean");
    }
    return changed;
}

/* Could copying src out of another stage take a package manager's index or cache with it?
 * (COPY --from and RUN --mount from= read the stage's final filesystem.) Paths are resolved
 * against the stage root; anything not literal counts as yes. */
static bool reads_metadata(df_slice src)
{
    static const char *const dirs[] = {"/var/lib/apt/lists", "/var/cache/apt", "/var/cache/apk",
                                       "/var/cache/yum", "/var/cache/dnf", "/var/cache/zypp",
                                       "/var/lib/zypp", "/root/.npm", "/root/.cache",
                                       "/usr/local/share/.cache", NULL};
    char path[4096];
    size_t n = 0;
    if (src.n + 2 >= sizeof path || memchr(src.p, '$', src.n) || memchr(src.p, '*', src.n) ||
        memchr(src.p, '?', src.n) || memchr(src.p, '[', src.n))
        return true;
    if (src.n == 0 || src.p[0] != '/')
        path[n++] = '/';
    memcpy(path + n, src.p, src.n);
    n += src.n;
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n >= 2 && path[n - 1] == '.' && path[n - 2] == '/')
        n -= 2; /* "/." and "./" are the root */
    if (n <= 1)
        return true;
    for (size_t i = 0; dirs[i]; i++) {
        size_t k = strlen(dirs[i]);
        /* src contains the directory, or lies inside it */
        if ((n <= k && memcmp(dirs[i], path, n) == 0 && (n == k || dirs[i][n] == '/')) ||
            (n > k && memcmp(path, dirs[i], k) == 0 && path[k] == '/'))
            return true;
    }
    return false;
}

/* Marks, in readers[stage * NTRACK + m], the stages another stage copies package metadata out
 * of (COPY/ADD --from, RUN --mount from=, also inside ONBUILD); a --from that is not a known
 * stage name or index but holds a variable marks every stage. */
static void cross_stage_readers(df_doc *doc, bool *readers)
{
    for (df_node *top = doc->head; top; top = top->next) {
        const df_node *n = top->kind == DF_ONBUILD && top->sub ? top->sub : top;
        size_t before = top->stage < 0 ? 0 : (size_t)top->stage;
        df_slice from;
        if ((n->kind == DF_COPY || n->kind == DF_ADD) && node_flag(n, "from", &from)) {
            int ref = sema_stage_ref(doc, from, top->kind == DF_ONBUILD ? doc->nstages : before);
            bool all = ref < 0 && memchr(from.p, '$', from.n);
            bool hit = false;
            for (size_t i = 0; i + 1 < n->nargs && !hit; i++)
                hit = reads_metadata(n->args[i].v);
            if (hit && (ref >= 0 || all))
                for (size_t s = all ? 0 : (size_t)ref; s < (all ? doc->nstages : (size_t)ref + 1); s++)
                    for (int m = 0; m < NTRACK; m++)
                        readers[s * NTRACK + (size_t)m] = true;
        }
        if (n->kind != DF_RUN)
            continue;
        for (size_t f = 0; f < n->nbflags; f++) {
            df_slice v = n->bflags[f].v;
            if (!slice_has_prefix(v, "--mount="))
                continue;
            df_slice ref = {NULL, 0}, source = SLICE("/");
            for (size_t i = 8; i < v.n;) {
                const char *comma = memchr(v.p + i, ',', v.n - i);
                size_t e = comma ? (size_t)(comma - v.p) : v.n;
                df_slice kv = {v.p + i, e - i};
                if (slice_has_prefix(kv, "from="))
                    ref = (df_slice){kv.p + 5, kv.n - 5};
                else if (slice_has_prefix(kv, "source="))
                    source = (df_slice){kv.p + 7, kv.n - 7};
                else if (slice_has_prefix(kv, "src="))
                    source = (df_slice){kv.p + 4, kv.n - 4};
                i = e + 1;
            }
            if (!ref.p || !reads_metadata(source))
                continue;
            int st = sema_stage_ref(doc, ref, top->kind == DF_ONBUILD ? doc->nstages : before);
            bool all = st < 0 && (memchr(ref.p, '$', ref.n) || memchr(ref.p, '"', ref.n));
            if (st >= 0 || all)
                for (size_t s = all ? 0 : (size_t)st; s < (all ? doc->nstages : (size_t)st + 1); s++)
                    for (int m = 0; m < NTRACK; m++)
                        readers[s * NTRACK + (size_t)m] = true;
        }
    }
}

static bool phase_cleanup(ctx *x)
{
    df_doc *doc = x->doc;
    size_t ns = doc->nstages;
    bool changed = false;
    bool *down = xcalloc(ns * NTRACK + 1, sizeof *down); /* a stage built on s reads m */
    ev next[NTRACK];
    int cur = -2;
    for (df_node *n = doc->tail, *prev; n; n = prev) {
        prev = n->prev;
        if (n->stage != cur) {
            if (cur >= 0 && doc->stages[cur].base_stage >= 0)
                for (int m = 0; m < NTRACK; m++)
                    down[(size_t)doc->stages[cur].base_stage * NTRACK + (size_t)m] |=
                        next[m] == EV_USE;
            cur = n->stage;
            for (int m = 0; m < NTRACK; m++)
                next[m] = cur >= 0 && (down[(size_t)cur * NTRACK + (size_t)m] ||
                                       x->onbuild[(size_t)cur * NTRACK + (size_t)m])
                              ? EV_USE
                              : EV_NONE;
        }
        if (cur < 0 || n->kind != DF_RUN)
            continue;
        if (set_has(&x->posix, n)) {
            rs_run r;
            open_run(x->doc, n, &r);
            int lone = lone_update(&r);
            bool neighbours = n->prev && n->prev->kind == DF_RUN && n->prev->stage == cur &&
                              n->next && n->next->kind == DF_RUN && n->next->stage == cur;
            if (lone >= 0 && next[lone] != EV_USE && !neighbours) {
                drop_node(doc, n, x->d);
                changed = true;
                continue;
            }
            changed |= cleanup_run(x, n, next);
        }
        rs_run r;
        cls c[NTRACK];
        classify(x->doc, n, &r, c);
        for (int m = 0; m < NTRACK; m++)
            if (c[m].e != EV_NONE)
                next[m] = c[m].e;
    }
    free(down);
    return changed;
}

PASS(pkg_hygiene)
{
    ctx x = {.doc = doc, .d = d, .level = doc->opt ? doc->opt->level : 1};
    size_t ns = doc->nstages;
    x.facts = xcalloc(ns + 1, sizeof *x.facts);
    x.onbuild = xcalloc(ns * NTRACK + 1, sizeof *x.onbuild);
    x.file_style = rs_doc_style(doc);
    bool *nonroot = xcalloc(ns + 1, sizeof *nonroot);    /* per stage: the user may not be root */
    bool *onb_user = xcalloc(ns + 1, sizeof *onb_user);  /* per stage: ONBUILD USER */
    cross_stage_readers(doc, x.onbuild); /* stages others copy package metadata out of */
    /* the managers the readable RUNs run or mention: the phases and facts that concern
     * only a manager outside them have nothing to act on (each needs a recognised command) */
    unsigned all = 0;
    bool *yarn = xcalloc(ns + 1, sizeof *yarn); /* per stage: it, or one built on it, runs yarn */
    for (df_node *n = doc->head; n; n = n->next) {
        rs_run r;
        if (n->kind == DF_RUN && open_run(doc, n, &r)) {
            unsigned m = managers(doc, &r);
            all |= m;
            if ((m & (1u << M_YARN)) && n->stage >= 0)
                yarn[n->stage] = true;
        }
    }
    for (size_t s = ns; s-- > 0;) /* a base stage's facts reach the stages built on it */
        if (yarn[s] && doc->stages[s].base_stage >= 0)
            yarn[doc->stages[s].base_stage] = true;
    rs_shells shells;
    rs_shells_init(&shells, doc);
    bool changed = false;
    /* phase 1, in document order: per-stage facts, and flags on each command */
    for (df_node *n = doc->head; n; n = n->next) {
        rs_shells_step(&shells, doc, n);
        if (n->stage < 0)
            continue;
        size_t s = (size_t)n->stage;
        if (n->kind == DF_FROM && doc->stages[s].base_stage >= 0) {
            size_t b = (size_t)doc->stages[s].base_stage;
            x.facts[s] = x.facts[b];
            nonroot[s] = nonroot[b] || onb_user[b];
        }
        if (n->kind == DF_USER)
            nonroot[s] = !is_root_user(n);
        if (n->kind == DF_ONBUILD && n->sub && n->sub->kind == DF_USER)
            onb_user[s] = true;
        x.facts[s] |= node_facts(n, yarn[s]);
        if (n->kind == DF_ONBUILD && n->sub && n->sub->kind == DF_RUN) {
            rs_run r;
            cls c[NTRACK];
            classify(doc, n->sub, &r, c);
            for (int m = 0; m < NTRACK; m++)
                x.onbuild[s * NTRACK + (size_t)m] |= c[m].e != EV_NONE;
        }
        if (n->kind != DF_RUN || !rs_shells_posix(&shells, n))
            continue;
        set_add(&x.posix, n);
        if (nonroot[s])
            set_add(&x.nonroot, n);
        if (!(x.facts[s] & (YARN_UNSURE | ENV_YARN)))
            set_add(&x.yarn_ok, n);
        if (x.facts[s] & ENV_PIP)
            set_add(&x.pip_env, n);
        if (x.facts[s] & ENV_NPM)
            set_add(&x.npm_env, n);
    }
    set_seal(&x.posix);
    set_seal(&x.yarn_ok);
    set_seal(&x.pip_env);
    set_seal(&x.npm_env);
    set_seal(&x.nonroot);
    free(nonroot);
    free(onb_user);
    free(yarn);
    for (df_node *n = doc->head; n; n = n->next)
        if (n->kind == DF_RUN && set_has(&x.posix, n))
            changed |= phase_flags(&x, n);
    /* phase 2, in document order: apt-get update into the install that relies on it */
    if (all & (1u << M_APT))
        changed |= phase_apt_update(&x);
    /* phase 3, from the end: what later RUNs read is known when a RUN is cleaned */
    changed |= phase_cleanup(&x);
    rs_shells_free(&shells);
    free(x.facts);
    free(x.onbuild);
    free(x.posix.v);
    free(x.yarn_ok.v);
    free(x.pip_env.v);
    free(x.npm_env.v);
    free(x.nonroot.v);
    return changed;
}
