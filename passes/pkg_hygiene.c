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
    unsigned is;      /* IS_* of the tool and SUB_* of the subcommand (sub_props) */
} pcmd;

/* Is s the word w? Compared in place, as slice_eq_str would without a call: the lists this
 * is used on are short, and most words differ from every entry in their first byte or two
 * (the callers compare the first before). */
static inline bool is_word(df_slice s, const char *w)
{
    size_t j = 0;
    while (j < s.n && w[j] != '\0' && w[j] == s.p[j])
        j++;
    return j == s.n && w[j] == '\0';
}

/* Is s one of list (NULL-terminated)? */
static bool in_list(df_slice s, const char *const *list)
{
    char first = s.n ? s.p[0] : '\0';
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == first && is_word(s, list[i]))
            return true;
    return false;
}

/* What a manager's command is, looked up once when it is recognised (pcmd.is). */
enum {
    IS_APT_GET = 1u << 0,       /* the tool is apt-get */
    IS_APT = 1u << 1,           /* ... apt */
    SUB_INSTALL = 1u << 2,      /* the subcommand is `install` */
    SUB_INSTALL_LIKE = 1u << 3, /* the manager's cache or index is cleaned after it */
    SUB_NEEDS_YES = 1u << 4,    /* it asks for confirmation (apt-get and yum: -y, zypper: -n) */
    SUB_TO_APT_GET = 1u << 5,   /* `apt` becomes `apt-get` for it */
    SUB_REFRESH = 1u << 6,      /* it refreshes the index (apt and apk update, zypper refresh) */
    SUB_NO_INDEX = 1u << 7,     /* it reads no index: apt's lists, apk's, zypper's metadata */
    SUB_ADDS = 1u << 8,         /* apk add, apk upgrade */
};

/* Per manager, its subcommands that have one of the SUB_* properties. */
typedef struct sub_row {
    const char *name;
    unsigned is;
} sub_row;

enum { APT_INSTALL = SUB_INSTALL_LIKE | SUB_NEEDS_YES, APT_REMOVE = SUB_NEEDS_YES | SUB_NO_INDEX };
static const sub_row apt_subs[] = {
    {"install", APT_INSTALL | SUB_INSTALL | SUB_TO_APT_GET},
    {"update", SUB_REFRESH | SUB_TO_APT_GET},
    {"upgrade", APT_INSTALL}, {"dist-upgrade", APT_INSTALL}, {"full-upgrade", APT_INSTALL},
    {"build-dep", APT_INSTALL}, {"reinstall", APT_INSTALL},
    {"remove", APT_REMOVE | SUB_TO_APT_GET}, {"purge", APT_REMOVE | SUB_TO_APT_GET},
    {"autoremove", APT_REMOVE | SUB_TO_APT_GET}, {"autopurge", APT_REMOVE},
    {"clean", SUB_NO_INDEX}, {"autoclean", SUB_NO_INDEX}, {"mark", SUB_NO_INDEX},
    {NULL, 0}};
static const sub_row apk_subs[] = {
    {"add", SUB_ADDS}, {"update", SUB_REFRESH}, {"upgrade", SUB_ADDS}, {"del", SUB_NO_INDEX},
    {NULL, 0}};
enum { YUM_INSTALL = SUB_INSTALL_LIKE | SUB_NEEDS_YES };
static const sub_row yum_subs[] = {
    {"install", YUM_INSTALL | SUB_INSTALL}, {"update", YUM_INSTALL}, {"upgrade", YUM_INSTALL},
    {"groupinstall", YUM_INSTALL}, {"groupupdate", YUM_INSTALL}, {"reinstall", YUM_INSTALL},
    {"localinstall", YUM_INSTALL}, {"localupdate", YUM_INSTALL}, {"downgrade", YUM_INSTALL},
    {"distro-sync", YUM_INSTALL}, {"group", YUM_INSTALL}, {"module", YUM_INSTALL},
    {"builddep", YUM_INSTALL}, {"makecache", SUB_INSTALL_LIKE},
    {"remove", SUB_NEEDS_YES}, {"erase", SUB_NEEDS_YES}, {"groupremove", SUB_NEEDS_YES},
    {"autoremove", SUB_NEEDS_YES},
    {NULL, 0}};
enum { ZYPPER_INSTALL = SUB_INSTALL_LIKE | SUB_NEEDS_YES };
static const sub_row zypper_subs[] = {
    {"install", ZYPPER_INSTALL | SUB_INSTALL}, {"in", ZYPPER_INSTALL},
    {"update", ZYPPER_INSTALL}, {"up", ZYPPER_INSTALL}, {"dist-upgrade", ZYPPER_INSTALL},
    {"dup", ZYPPER_INSTALL}, {"patch", ZYPPER_INSTALL}, {"source-install", ZYPPER_INSTALL},
    {"si", ZYPPER_INSTALL},
    {"refresh", SUB_REFRESH}, {"ref", SUB_REFRESH},
    {"remove", SUB_NEEDS_YES | SUB_NO_INDEX}, {"rm", SUB_NEEDS_YES | SUB_NO_INDEX},
    {"clean", SUB_NO_INDEX}, {"cc", SUB_NO_INDEX}, {"addrepo", SUB_NO_INDEX},
    {"ar", SUB_NO_INDEX}, {"removerepo", SUB_NO_INDEX}, {"rr", SUB_NO_INDEX},
    {"repos", SUB_NO_INDEX}, {"lr", SUB_NO_INDEX}, {"modifyrepo", SUB_NO_INDEX},
    {"mr", SUB_NO_INDEX}, {"addlock", SUB_NO_INDEX}, {"al", SUB_NO_INDEX},
    {"removelock", SUB_NO_INDEX}, {"rl", SUB_NO_INDEX}, {"locks", SUB_NO_INDEX},
    {"ll", SUB_NO_INDEX},
    {NULL, 0}};
static const sub_row npm_subs[] = {
    {"install", SUB_INSTALL_LIKE | SUB_INSTALL}, {"ci", SUB_INSTALL_LIKE},
    {"i", SUB_INSTALL_LIKE}, {"in", SUB_INSTALL_LIKE}, {"add", SUB_INSTALL_LIKE},
    {"isntall", SUB_INSTALL_LIKE}, {"install-clean", SUB_INSTALL_LIKE},
    {"ic", SUB_INSTALL_LIKE}, {"install-ci-test", SUB_INSTALL_LIKE}, {"cit", SUB_INSTALL_LIKE},
    {"install-test", SUB_INSTALL_LIKE}, {"it", SUB_INSTALL_LIKE},
    {NULL, 0}};
static const sub_row yarn_subs[] = {{"install", SUB_INSTALL_LIKE | SUB_INSTALL}, {NULL, 0}};
static const sub_row install_only[] = {{"install", SUB_INSTALL}, {NULL, 0}}; /* pip, gem */
static const sub_row *const subs_of[] = {
    [M_APT] = apt_subs, [M_APK] = apk_subs,   [M_ZYPPER] = zypper_subs, [M_YUM] = yum_subs,
    [M_NPM] = npm_subs, [M_YARN] = yarn_subs, [M_PIP] = install_only,   [M_GEM] = install_only,
};

/* The SUB_* of subcommand s of manager m (its row in subs_of[m]). */
static unsigned sub_props(int m, df_slice s)
{
    char first = s.n ? s.p[0] : '\0';
    for (const sub_row *row = subs_of[m]; row->name; row++)
        if (row->name[0] == first && is_word(s, row->name))
            return row->is;
    return 0;
}

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

/* The word of c that names the program (sh_program; c->nwords when none) and, when that word
 * is literal, its basename: what recognise and runs_script start from. */
typedef struct program {
    size_t at;
    df_slice base;
} program;

static program program_of(const sh_cmd *c)
{
    program pr = {sh_program(c), {"", 0}};
    if (pr.at < c->nwords && c->words[pr.at].literal)
        pr.base = rs_basename(c->words[pr.at].value);
    return pr;
}

/* recognise, given c's program (program_of). */
static bool recognise_program(const sh_cmd *c, const program *pr, pcmd *pc)
{
    *pc = (pcmd){-1, c->nwords, c->nwords, {"", 0}, 0};
    size_t p = pr->at;
    if (p >= c->nwords || !c->words[p].literal)
        return false;
    /* by first letter: those starting with the letter are tools[lo] up to tools[hi] */
    static const struct {
        const char *name;
        size_t n;
        int mgr;
        unsigned is;
    } tools[] = {
        {"apt-get", 7, M_APT, IS_APT_GET}, {"apt", 3, M_APT, IS_APT}, {"apt-cache", 9, M_APT, 0},
        {"aptitude", 8, M_APT, 0}, {"apk", 3, M_APK, 0},  {"dnf", 3, M_YUM, 0},
        {"gem", 3, M_GEM, 0},     {"microdnf", 8, M_YUM, 0}, {"npm", 3, M_NPM, 0},
        {"yum", 3, M_YUM, 0},     {"yarn", 4, M_YARN, 0}, {"zypper", 6, M_ZYPPER, 0},
    };
    static const char *const *const argopts_of[] = {
        [M_APT] = apt_argopts, [M_APK] = apk_argopts,   [M_ZYPPER] = zypper_argopts,
        [M_YUM] = yum_argopts, [M_NPM] = npm_argopts,   [M_YARN] = yarn_argopts,
        [M_PIP] = pip_argopts, [M_GEM] = gem_argopts,
    };
    df_slice name = pr->base;
    int m = -1;
    unsigned is = 0;
    if (name.n < 3)
        return false;
    size_t lo = 0, hi = 0; /* 'p': pip and python, below */
    switch (name.p[0]) {
    case 'a': lo = 0, hi = 5; break;
    case 'd': lo = 5, hi = 6; break;
    case 'g': lo = 6, hi = 7; break;
    case 'm': lo = 7, hi = 8; break;
    case 'n': lo = 8, hi = 9; break;
    case 'y': lo = 9, hi = 11; break;
    case 'z': lo = 11, hi = 12; break;
    case 'p': break;
    default:
        return false;
    }
    for (size_t k = lo; k < hi && m < 0; k++)
        if (tools[k].n == name.n && memcmp(name.p, tools[k].name, name.n) == 0)
            m = tools[k].mgr, is = tools[k].is;
    if (m < 0 && name.p[0] == 'p' && versioned(name, "python")) { /* python -m pip */
        size_t i = p + 1;
        while (i < c->nwords && c->words[i].literal && python_flag(c->words[i].value))
            i++;
        if (sh_word_is(c, i, "-m") && sh_word_is(c, i + 1, "pip"))
            p = i + 1;
        else
            return false;
        name = c->words[p].value;
        m = M_PIP;
    } else if (m < 0) {
        if (name.p[0] != 'p' || !versioned(name, "pip"))
            return false;
        m = M_PIP;
    }
    pc->mgr = m;
    pc->prog = p;
    pc->tool = name;
    pc->sub = find_sub(c, p + 1, argopts_of[m]);
    pc->is = is | (pc->sub < c->nwords ? sub_props(m, c->words[pc->sub].value) : 0);
    return true;
}

/* Is c a package-manager command? Fills pc (mgr -1 when not). */
static bool recognise(const sh_cmd *c, pcmd *pc)
{
    program pr = program_of(c);
    return recognise_program(c, &pr, pc);
}

static bool sub_in(const sh_cmd *c, const pcmd *pc, const char *const *names)
{
    return pc->sub < c->nwords && in_list(c->words[pc->sub].value, names);
}

/* Has c's subcommand (pc: recognise's) one of the properties SUB_*? */
static bool sub_is(const pcmd *pc, unsigned props)
{
    return pc->is & props;
}

/* Is one of names (options: each starts with '-') among the literal words after the program
 * (a long option also as `name=value`)? */
static bool has_opt(const sh_cmd *c, const pcmd *pc, const char *const *names)
{
    for (size_t i = pc->prog + 1; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!w->literal)
            continue;
        df_slice v = w->value;
        if (v.n == 2 && v.p[0] == '-' && v.p[1] == '-')
            break;
        if (v.n < 2 || v.p[0] != '-')
            continue; /* every name is an option of two bytes or more */
        for (size_t k = 0; names[k]; k++) {
            const char *name = names[k];
            if (name[0] != v.p[0] || name[1] != v.p[1])
                continue;
            size_t j = 2; /* name matches v up to j */
            while (j < v.n && name[j] != '\0' && name[j] == v.p[j])
                j++;
            if (name[j] == '\0' && (j == v.n || (j > 2 && name[1] == '-' && v.p[j] == '=')))
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

static const char *const apk_update_flags[] = {"-U", "--update-cache", "--update", NULL};
static const char *const word_offline[] = {"--offline", NULL};

/* What c does to its manager's index or cache, as later commands see it. */
static ev category(const sh_cmd *c, const pcmd *pc)
{
    switch (pc->mgr) {
    case M_APT:
        if (!(pc->is & (IS_APT_GET | IS_APT)))
            return EV_USE; /* apt-cache, aptitude */
        if (sub_is(pc, SUB_REFRESH))
            return EV_REFRESH;
        return sub_is(pc, SUB_NO_INDEX) ? EV_NONE : EV_USE;
    case M_APK:
        if (sub_is(pc, SUB_REFRESH))
            return EV_REFRESH;
        if (sub_is(pc, SUB_ADDS)) {
            static const char *const nocache[] = {"--no-cache", NULL};
            if (has_opt(c, pc, nocache))
                return EV_NONE;
            return has_opt(c, pc, apk_update_flags) || has_short(c, pc, 'U') ? EV_REFRESH
                                                                               : EV_USE;
        }
        return sub_is(pc, SUB_NO_INDEX) ? EV_NONE : EV_USE;
    case M_ZYPPER:
        if (sub_is(pc, SUB_REFRESH))
            return EV_REFRESH;
        return sub_is(pc, SUB_NO_INDEX) ? EV_NONE : EV_USE;
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

/* The bytes of a token: letters, digits, . _ + - (TOKEN) and / (TOKEN_SLASH). */
enum { TOKEN = 1, TOKEN_SLASH = 2 };
static const unsigned char token_class[256] = {
    ['+'] = TOKEN, ['-'] = TOKEN, ['.'] = TOKEN, ['_'] = TOKEN, ['/'] = TOKEN_SLASH,
    ['0'] = TOKEN, ['1'] = TOKEN, ['2'] = TOKEN, ['3'] = TOKEN, ['4'] = TOKEN, ['5'] = TOKEN,
    ['6'] = TOKEN, ['7'] = TOKEN, ['8'] = TOKEN, ['9'] = TOKEN,
    ['A'] = TOKEN, ['B'] = TOKEN, ['C'] = TOKEN, ['D'] = TOKEN, ['E'] = TOKEN, ['F'] = TOKEN,
    ['G'] = TOKEN, ['H'] = TOKEN, ['I'] = TOKEN, ['J'] = TOKEN, ['K'] = TOKEN, ['L'] = TOKEN,
    ['M'] = TOKEN, ['N'] = TOKEN, ['O'] = TOKEN, ['P'] = TOKEN, ['Q'] = TOKEN, ['R'] = TOKEN,
    ['S'] = TOKEN, ['T'] = TOKEN, ['U'] = TOKEN, ['V'] = TOKEN, ['W'] = TOKEN, ['X'] = TOKEN,
    ['Y'] = TOKEN, ['Z'] = TOKEN,
    ['a'] = TOKEN, ['b'] = TOKEN, ['c'] = TOKEN, ['d'] = TOKEN, ['e'] = TOKEN, ['f'] = TOKEN,
    ['g'] = TOKEN, ['h'] = TOKEN, ['i'] = TOKEN, ['j'] = TOKEN, ['k'] = TOKEN, ['l'] = TOKEN,
    ['m'] = TOKEN, ['n'] = TOKEN, ['o'] = TOKEN, ['p'] = TOKEN, ['q'] = TOKEN, ['r'] = TOKEN,
    ['s'] = TOKEN, ['t'] = TOKEN, ['u'] = TOKEN, ['v'] = TOKEN, ['w'] = TOKEN, ['x'] = TOKEN,
    ['y'] = TOKEN, ['z'] = TOKEN,
};

/* The bits mentions gives a program's name (a token's last path component). */
static unsigned program_bits(df_slice base)
{
    /* by length: those of length n are names[by_len[n]] up to names[by_len[n + 1]] */
    static const struct {
        char name[19];
        unsigned bits;
    } names[] = {
        {"sh", MENTION_SCRIPT},
        {"apt", 1u << M_APT},   {"apk", 1u << M_APK},     {"yum", 1u << M_YUM},
        {"dnf", 1u << M_YUM},   {"npm", 1u << M_NPM},     {"ash", MENTION_SCRIPT},
        {"ksh", MENTION_SCRIPT}, {"zsh", MENTION_SCRIPT},
        {"yarn", 1u << M_YARN}, {"bash", MENTION_SCRIPT}, {"dash", MENTION_SCRIPT},
        {"mksh", MENTION_SCRIPT},
        {"zypper", 1u << M_ZYPPER},
        {"apt-get", 1u << M_APT},
        {"aptitude", 1u << M_APT}, {"microdnf", 1u << M_YUM},
        {"apt-cache", 1u << M_APT},
        {"add-apt-repository", 1u << M_APT},
    };
    static const unsigned char by_len[20] = {0,  0,  0,  1,  9,  13, 13, 14, 15, 17,
                                             18, 18, 18, 18, 18, 18, 18, 18, 18, 19};
    if (base.n < 2 || base.n > 18)
        return 0;
    switch (base.p[0]) { /* the first letters of the names above */
    case 'a': case 'b': case 'd': case 'k': case 'm': case 'n': case 's': case 'y': case 'z':
        break;
    default:
        return 0;
    }
    for (size_t k = by_len[base.n]; k < by_len[base.n + 1]; k++)
        if (names[k].name[0] == base.p[0] && memcmp(base.p, names[k].name, base.n) == 0)
            return names[k].bits;
    return 0;
}

/* The first byte from e on (n when none) that is not TOKEN (a / or the token's end). Four
 * bytes per bound check: this loop reads most of the bytes mentions is given. */
static inline size_t token_run_end(const unsigned char *u, size_t e, size_t n)
{
    for (; e + 4 <= n; e += 4) {
        if (token_class[u[e]] != TOKEN)
            return e;
        if (token_class[u[e + 1]] != TOKEN)
            return e + 1;
        if (token_class[u[e + 2]] != TOKEN)
            return e + 2;
        if (token_class[u[e + 3]] != TOKEN)
            return e + 3;
    }
    while (e < n && token_class[u[e]] == TOKEN)
        e++;
    return e;
}

/* The managers a text names as a program (bit 1 << M_*), plus MENTION_SCRIPT for what looks
 * like running a script and MENTION_OFFLINE for --offline. A path counts only in a bin
 * directory (/usr/bin/apt-get, not /etc/apt). One pass over the text: each token's last path
 * component is found as the token is read. */
static unsigned mentions(df_slice s)
{
    unsigned bits = 0;
    const unsigned char *u = (const unsigned char *)s.p;
    for (size_t i = 0; i < s.n;) {
        if (!token_class[u[i]]) {
            i++;
            continue;
        }
        size_t e = i, b = i; /* the token is [i, e), its last path component [b, e) */
        for (;;) {
            e = token_run_end(u, e, s.n);
            if (e == s.n || token_class[u[e]] != TOKEN_SLASH)
                break;
            b = ++e;
        }
        df_slice tok = {s.p + i, e - i};
        if (b == i || (b - i >= 4 && memcmp(s.p + b - 4, "bin/", 4) == 0))
            bits |= program_bits((df_slice){s.p + b, e - b});
        if ((tok.p[0] == '.' && (slice_has_prefix(tok, "./") || slice_has_prefix(tok, "../"))) ||
            (tok.n > 3 && memcmp(tok.p + tok.n - 3, ".sh", 3) == 0))
            bits |= MENTION_SCRIPT;
        if (tok.n == 9 && memcmp(tok.p, "--offline", 9) == 0)
            bits |= MENTION_OFFLINE;
        i = e;
    }
    return bits;
}

/* Does c (pr: its program_of) run a script the pass cannot see into: ./x, x.sh, `sh FILE`,
 * `curl ... | sh`, `source FILE`, or a program named by a variable? */
static bool runs_script(const sh_cmd *c, const program *pr)
{
    static const char *const shells[] = {"sh", "bash", "dash", "ash", "ksh", "zsh", "mksh",
                                         "source", ".", NULL};
    size_t p = pr->at;
    if (p >= c->nwords)
        return false;
    if (!c->words[p].literal)
        return true;
    df_slice v = c->words[p].value;
    if (slice_has_prefix(v, "./") || slice_has_prefix(v, "../") ||
        (v.n > 3 && memcmp(v.p + v.n - 3, ".sh", 3) == 0))
        return true;
    if (!in_list(pr->base, shells))
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

/* Per command of a script (run_entry.cmd): recognise's answer, and for a command that is not
 * a package manager's what its text mentions (mentions: bits 1 << M_*, MENTION_SCRIPT,
 * MENTION_OFFLINE) and CMD_RUNS_SCRIPT when runs_script holds. */
enum { CMD_RUNS_SCRIPT = 1u << 10 };

typedef struct cmd_info {
    pcmd pc;       /* pc.mgr -1: not a manager's command */
    program pr;    /* its program (program_of) */
    unsigned bits; /* for any other command, once the entry is full */
    uint8_t cat;   /* for a manager's command: category's answer (ev) */
    bool install;  /* ... and whether last_install counts it as an install (SUB_INSTALL_LIKE) */
} cmd_info;

/* What the pass keeps per script, beside its reading (sh_parse_node): a function of the
 * script's bytes, so it lives with the reading for the whole document (sh_note_node) and the
 * pass's later runs find it. It is made in two steps. summarise recognises each command's
 * program (cmd[].pc, runs): all that the gate, the flags and the choice of RUNs to act on
 * need, and all that a RUN running no manager costs when nothing before it reads what it
 * does. complete then reads what the other commands mention and whether they run a script
 * (cmd[].bits, the only place that calls mentions and runs_script on a readable script) and
 * works out classify's answer and the managers (full). The pipeline runs the pass again
 * after any pass changed the document, mostly elsewhere: flagged and cleaned keep what
 * phases 1 and 3 found last about the script, so an unchanged RUN in an unchanged setting is
 * not worked through again. */
typedef struct run_entry {
    uint32_t at[NTRACK]; /* classify's answer: cls.at (UINT32_MAX: SIZE_MAX) ... */
    uint8_t e[NTRACK];   /* ... and cls.e (full only) */
    uint8_t managers;    /* bit M_* per tracked manager a command runs or mentions (full only) */
    bool full;           /* complete has filled at, e, managers and cmd[].bits */
    uint16_t runs;       /* bit M_* per manager (pip and gem too) a command runs */
    uint32_t flagged;    /* phase_flags had nothing to add, given this flags_key (0: not known) */
    uint32_t cleaned;    /* cleanup_run changed nothing, given this cleanup_key (0: not known) */
    cmd_info *cmd;       /* per command */
} run_entry;

/* Fills ci's answers about c that the phases ask again and again (category, install-like),
 * once ci->pc is recognise's. */
static void know_command(const sh_cmd *c, cmd_info *ci)
{
    const pcmd *pc = &ci->pc;
    ci->cat = EV_NONE;
    ci->install = false;
    if (pc->mgr < 0 || pc->mgr >= NTRACK)
        return;
    ci->cat = (uint8_t)category(c, pc);
    ci->install = sub_is(pc, SUB_INSTALL_LIKE) ||
                  (pc->mgr == M_YARN && pc->sub >= c->nwords && /* a bare `yarn` */
                   !any_unquoted_variable(c, pc->prog + 1));
}

/* The manager command i of e's script runs (recognise's pc.mgr), or -1. */
static int cmd_mgr(const run_entry *e, size_t i)
{
    return e->cmd[i].pc.mgr;
}

/* What mentions and runs_script say about command c of r (pr: its program). */
static unsigned read_bits(const rs_run *r, const sh_cmd *c, const program *pr)
{
    unsigned bits = mentions((df_slice){r->script.p + c->off, c->end - c->off});
    if (runs_script(c, pr))
        bits |= CMD_RUNS_SCRIPT;
    return bits;
}

/* Is command c of r the command d of was (an earlier reading of the same node) as summarise
 * and complete see it: the same place and bytes in both scripts, the same words? A word's
 * value is read from its own bytes alone, so words at the same places within the same bytes
 * have the same values. */
static bool same_command(const rs_run *r, const sh_cmd *c, const rs_run *was, const sh_cmd *d)
{
    if (c->off != d->off || c->end != d->end || c->nwords != d->nwords ||
        c->nassign != d->nassign || c->end > r->script.n || d->end > was->script.n ||
        memcmp(r->script.p + c->off, was->script.p + d->off, c->end - c->off) != 0)
        return false;
    for (size_t k = 0; k < c->nwords; k++) {
        const sh_word *v = &c->words[k], *w = &d->words[k];
        if (v->off != w->off || v->len != w->len || v->literal != w->literal ||
            v->off < c->off || v->off + v->len > c->end)
            return false;
    }
    return true;
}

/* classify's answer and the managers of e (made by summarise for r), from what its commands
 * run, mention and whether they run a script (the first thing the RUN does to each tracked
 * manager's state; a refresh counts only on the top-level &&/; chain). */
static void settle(const rs_run *r, run_entry *e)
{
    for (int m = 0; m < NTRACK; m++)
        e->e[m] = EV_NONE, e->at[m] = UINT32_MAX;
    bool reliable = true, done[NTRACK] = {false};
    unsigned mgrs = 0;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        const cmd_info *ci = &e->cmd[i];
        int m = ci->pc.mgr;
        if (m >= 0) {
            mgrs |= 1u << m;
            if (m < NTRACK && !done[m]) {
                ev ce = ci->cat;
                if ((ce == EV_REFRESH && c->depth == 0 && reliable) || ce == EV_USE)
                    e->e[m] = (uint8_t)ce, e->at[m] = (uint32_t)i, done[m] = true;
            }
        } else if (ci->bits) {
            unsigned bits = ci->bits;
            bool script = bits & CMD_RUNS_SCRIPT;
            mgrs |= bits;
            for (int k = 0; k < NTRACK; k++) {
                if (done[k])
                    continue;
                bool cache_only = k == M_NPM || k == M_YARN;
                if (((bits & (1u << k)) && (!cache_only || (bits & MENTION_OFFLINE))) ||
                    (script && (k == M_APT || k == M_APK || k == M_ZYPPER)))
                    e->e[k] = EV_USE, e->at[k] = UINT32_MAX, done[k] = true;
            }
        }
        if (c->depth != 0 || (c->op != SH_AND && c->op != SH_SEQ && c->op != SH_END))
            reliable = false;
    }
    e->managers = (uint8_t)(mgrs & ((1u << NTRACK) - 1));
    e->full = true;
}

/* Makes e (summarise's, for r) full: the bits of each command that runs no manager, then
 * settle. */
static void complete(const rs_run *r, run_entry *e)
{
    for (size_t i = 0; i < r->sh.ncmds; i++)
        if (e->cmd[i].pc.mgr < 0)
            e->cmd[i].bits = read_bits(r, &r->sh.cmds[i], &e->cmd[i].pr);
    settle(r, e);
}

/* Fills e for r (readable): per command its program and recognise's answer, and the managers
 * the commands run; with full, complete's part too. prev, when not NULL, is the full entry of
 * was, an earlier reading of the node's script (before an edit of the pass): a command that
 * is the same in both (same_command: those before the edit) keeps its answers there. */
static void summarise(df_doc *doc, const rs_run *r, run_entry *e, const run_entry *prev,
                      const rs_run *was, bool full)
{
    size_t ncmds = r->sh.ncmds;
    e->cmd = arena_alloc_raw(&doc->arena, (ncmds ? ncmds : 1) * sizeof *e->cmd); /* filled */
    for (size_t i = 0; i < ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        cmd_info *ci = &e->cmd[i];
        if (prev && prev->full && i < was->sh.ncmds &&
            same_command(r, c, was, &was->sh.cmds[i])) {
            *ci = prev->cmd[i];
        } else {
            ci->pr = program_of(c);
            ci->bits = 0;
            if (!recognise_program(c, &ci->pr, &ci->pc) && full)
                ci->bits = read_bits(r, c, &ci->pr);
            know_command(c, ci);
        }
        if (ci->pc.mgr >= 0)
            e->runs |= 1u << ci->pc.mgr;
    }
    if (full)
        settle(r, e);
}

/* rs_open, with what the pass keeps about the script: its full entry (made on the first call
 * for this reading, or completed), or NULL when the script is not readable (out->ok false).
 * prev and was: as for summarise, or NULL. */
static run_entry *reopen_entry(df_doc *doc, df_node *n, rs_run *out, const run_entry *prev,
                               const rs_run *was)
{
    if (!rs_open(doc, n, out))
        return NULL;
    void **note = sh_note_node(n);
    run_entry *e = note ? *note : NULL;
    if (!e) {
        e = arena_alloc(&doc->arena, sizeof *e);
        summarise(doc, out, e, prev, was, true);
        if (note)
            *note = e;
    } else if (!e->full) {
        complete(out, e);
    }
    return e;
}

static run_entry *open_entry(df_doc *doc, df_node *n, rs_run *out)
{
    return reopen_entry(doc, n, out, NULL, NULL);
}

/* entry_of when n's script has no entry yet: reads and summarises it. Kept out of line so
 * that the usual call, which finds the entry, stays a few instructions. */
__attribute__((noinline)) static run_entry *summarised(df_doc *doc, df_node *n)
{
    rs_run r;
    if (!rs_open(doc, n, &r))
        return NULL;
    run_entry *e = arena_alloc(&doc->arena, sizeof *e);
    summarise(doc, &r, e, NULL, NULL, false);
    void **note = sh_note_node(n);
    if (note)
        *note = e;
    return e;
}

/* n's entry, full or not (what summarise fills is there), or NULL when n's script is not
 * readable; once the script has been summarised, found without filling an rs_run. */
static run_entry *entry_of(df_doc *doc, df_node *n)
{
    if (n && n->kind == DF_RUN && !(n->flags & DF_N_JSON) && n->nargs >= 1 && !n->nheredocs) {
        void **note = sh_note_node(n); /* NULL once n has new text */
        run_entry *known = note ? *note : NULL; /* made by summarise: the reading was ok */
        if (known)
            return known;
    }
    return summarised(doc, n);
}

/* e (n's entry_of, or NULL), made full. */
static run_entry *made_full(df_doc *doc, df_node *n, run_entry *e)
{
    if (e && !e->full) {
        rs_run r;
        rs_open(doc, n, &r);
        complete(&r, e);
    }
    return e;
}

/* entry_of, full. */
static run_entry *full_entry_of(df_doc *doc, df_node *n)
{
    return made_full(doc, n, entry_of(doc, n));
}

/* For callers that need only the reading; returns out->ok. */
static bool open_run(df_doc *doc, df_node *n, rs_run *out)
{
    return rs_open(doc, n, out);
}

/* ---- what a RUN does to each manager's state ---- */

/* classify's answer for a RUN that is not readable (exec form, heredocs, a script that does
 * not parse): judged by the words of its text. */
static void classify_text(const df_node *n, cls out[NTRACK])
{
    if (!n || n->kind != DF_RUN)
        return;
    unsigned bits = mentions(n->flags & DF_N_JSON ? n->logical : n->text);
    for (int m = 0; m < NTRACK; m++) {
        bool cache_only = m == M_NPM || m == M_YARN;
        if ((bits & (1u << m)) && (!cache_only || (bits & MENTION_OFFLINE)))
            out[m].e = EV_USE;
        if ((bits & MENTION_SCRIPT) && (m == M_APT || m == M_APK || m == M_ZYPPER))
            out[m].e = EV_USE;
    }
}

/* What n (a RUN, or ONBUILD's RUN; entry its script's entry, NULL when not readable) does
 * first to each tracked manager's state. A refresh counts only on the top-level &&/; chain. */
static void answer(const df_node *n, const run_entry *entry, cls out[NTRACK])
{
    if (entry) {
        for (int m = 0; m < NTRACK; m++)
            out[m] = (cls){entry->e[m], entry->at[m] == UINT32_MAX ? SIZE_MAX : entry->at[m]};
        return;
    }
    for (int m = 0; m < NTRACK; m++)
        out[m] = (cls){EV_NONE, SIZE_MAX};
    classify_text(n, out);
}

/* answer for n; returns n's entry (NULL when not readable). */
static run_entry *classify(df_doc *doc, df_node *n, cls out[NTRACK])
{
    run_entry *entry = full_entry_of(doc, n);
    answer(n, entry, out);
    return entry;
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

/* Does t name what shows Yarn 2+ (any case): corepack, berry, set version, set-version, a
 * yarnrc, .yarn/, yarnPath, yarn-path? One walk over t, trying the marks where their first
 * letter occurs. */
static bool shows_yarn2(df_slice t)
{
    static const struct {
        const char *s;
        size_t n;
    } marks[] = {{"corepack", 8}, {"berry", 5},  {"set version", 11}, {"set-version", 11},
                 {"yarnrc", 6},   {"yarnpath", 8}, {"yarn-path", 9},   {".yarn/", 6}};
    /* per byte, 1 + the first mark that starts with it (either case); those that start with
     * the same letter follow it, and each has a lower-case letter second */
    static const unsigned char first[256] = {['c'] = 1, ['C'] = 1, ['b'] = 2, ['B'] = 2,
                                             ['s'] = 3, ['S'] = 3, ['y'] = 5, ['Y'] = 5,
                                             ['.'] = 8};
    for (size_t i = 0; i + 5 <= t.n; i++) { /* the shortest mark is 5 bytes */
        unsigned f = first[(unsigned char)t.p[i]];
        if (!f)
            continue;
        char lead = marks[f - 1].s[0], second = (char)(t.p[i + 1] | 0x20);
        for (size_t k = f - 1; k < sizeof marks / sizeof *marks && marks[k].s[0] == lead; k++)
            if (marks[k].s[1] == second && t.n - i >= marks[k].n &&
                strncasecmp(t.p + i + 2, marks[k].s + 2, marks[k].n - 2) == 0)
                return true;
    }
    return false;
}

/* n's facts (ENV_*, YARN_UNSURE) other than those in have (the stage's so far: a stage's
 * facts only accumulate). Each is read only for a RUN that runs its manager (pip's flag, npm's
 * and yarn's cleanups), so only those of the managers in runs (bit M_*: those run by the RUNs
 * of n's stage from n on and by the stages built on it) are looked for. */
static unsigned node_facts(const df_node *n, unsigned runs, unsigned have)
{
    unsigned want = (runs & (1u << M_PIP) ? ENV_PIP : 0) | (runs & (1u << M_NPM) ? ENV_NPM : 0) |
                    (runs & (1u << M_YARN) ? ENV_YARN | YARN_UNSURE : 0);
    want &= ~have;
    unsigned f = 0;
    if (n->kind == DF_ENV || n->kind == DF_ARG) {
        if ((want & ENV_PIP) && (slice_contains_nocase(n->logical, "PIP_NO_CACHE_DIR") ||
                                 slice_contains_nocase(n->logical, "PIP_CACHE_DIR")))
            f |= ENV_PIP;
        if ((want & ENV_NPM) && slice_contains_nocase(n->logical, "npm_config_cache"))
            f |= ENV_NPM;
        if ((want & ENV_YARN) && slice_contains_nocase(n->logical, "YARN_CACHE_FOLDER"))
            f |= ENV_YARN;
    }
    if (!(want & YARN_UNSURE))
        return f;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && !copies_named_files(n))
        return f | YARN_UNSURE;
    if (shows_yarn2(n->text))
        return f | YARN_UNSURE;
    return f;
}

/* Does n change what `apt-get update` would fetch: does its text name /etc/apt, sources.list,
 * apt-key, add-apt-repository, --add-architecture or /var/lib/apt? */
static bool touches_apt_sources(const df_node *n)
{
    /* four of those hold "apt": they are looked for around each place "apt" occurs */
    static const struct {
        const char *before, *after;
    } around[] = {{"/etc/", ""}, {"", "-key"}, {"add-", "-repository"}, {"/var/lib/", ""}};
    df_slice t = n->text;
    const char *end = t.p + t.n;
    for (const char *p = t.p; (p = memmem(p, (size_t)(end - p), "apt", 3)); p++) {
        for (size_t k = 0; k < sizeof around / sizeof *around; k++) {
            size_t nb = strlen(around[k].before), na = strlen(around[k].after);
            if ((size_t)(p - t.p) >= nb && memcmp(p - nb, around[k].before, nb) == 0 &&
                (size_t)(end - p) >= 3 + na && memcmp(p + 3, around[k].after, na) == 0)
                return true;
        }
    }
    if (memmem(t.p, t.n, "sources.list", 12) || memmem(t.p, t.n, "--add-architecture", 18))
        return true;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && n->nargs >= 1) {
        df_slice dest = n->args[n->nargs - 1].v;
        if (slice_eq_str(dest, "/") || slice_eq_str(dest, "/etc") || slice_eq_str(dest, "/etc/"))
            return true;
    }
    return false;
}

/* What phase 1 learns about a RUN the pass may act on. */
enum {
    RUN_NONROOT = 1u << 0, /* its user may not be root (a USER other than root/0) */
    RUN_YARN_OK = 1u << 1, /* yarn's cache may be cleaned */
    RUN_PIP_ENV = 1u << 2, /* its stage sets pip's cache location */
    RUN_NPM_ENV = 1u << 3, /* ... npm's */
    RUN_POSIX = 1u << 4,   /* its stage's shell is POSIX: the pass may edit it (the other
                            * flags are set only then) */
    RUN_MOUNT = 1u << 5,   /* it has a --mount (rs_has_mount; the pass edits only its script,
                            * never its flags) */
};

/* A RUN of a stage that runs a package manager (run_entry.runs) when the pass starts. Every
 * edit of the pass is made to such a RUN, and no phase makes another RUN run one (an edit
 * adds words to a manager's command, or commands of a manager the RUN already runs), so the
 * phases walk these instead of the document. The pass moves no node and drops one only in
 * phase 3, the node it is at: the list stays in document order, and a walk of the document
 * finds a node's runner by stepping through the list beside it. */
typedef struct runner {
    df_node *n;
    unsigned runs;  /* run_entry.runs when the pass starts */
    unsigned rest;  /* runs of it and of the runners after it in its stage */
    unsigned flags; /* RUN_* (phase 1) */
} runner;

/* Per stage. */
typedef struct stage_info {
    size_t runners;      /* its RUNs that run a manager (phase 3) */
    unsigned facts;      /* ENV_*, YARN_UNSURE as of the node being looked at (phase 1) */
    unsigned runs;       /* bit M_* per manager its runners run */
    unsigned heirs;      /* ... the runners of the stages built on it, directly or not, run:
                          * they inherit its facts */
    bool read[NTRACK];   /* per tracked manager: an ONBUILD RUN, or a stage copying out of this
                          * one, reads its state */
    bool down[NTRACK];   /* ... a stage built on this one does (phase 3) */
    bool nonroot;        /* the user may not be root (phase 1) */
    bool onb_user;       /* ONBUILD USER */
    bool upstream;       /* it, or a stage it builds on, has a runner: else no RUN that
                          * phase 3 acts on sees what read says */
    bool base_runs;      /* a stage it builds on has such a RUN (phase 3) */
} stage_info;

typedef struct ctx {
    df_doc *doc;
    df_diags *d;
    int level;
    stage_info *st;      /* per stage */
    runner *run;         /* the runners, in document order */
    size_t nrun;
    rs_style style;      /* file_style's answer, once have_style */
    bool have_style;
} ctx;

/* The file's continuation style (rs_doc_style) as it was when the pass started, for the
 * commands append adds. It is worked out on first use, and every change the pass makes is
 * preceded by a call, but for an append to a RUN that shows its own style, which leaves the
 * answer as it was (append): no change of the pass can alter it. */
static rs_style file_style(ctx *x)
{
    if (!x->have_style) {
        x->style = rs_doc_style(x->doc);
        x->have_style = true;
    }
    return x->style;
}

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

/* Does apt command c (pc: recognise's) assume yes: -y, --yes, --assume-yes, -q=2, -qq, ...? */
static bool apt_assumes_yes(const sh_cmd *c, const pcmd *pc)
{
    static const char *const yes[] = {"-y", "--yes", "--assume-yes", "-q=2", "--quiet=2", NULL};
    if (has_opt(c, pc, yes) || has_short(c, pc, 'y'))
        return true;
    for (size_t i = pc->prog + 1; i < c->nwords; i++) /* -qq implies -y */
        if (c->words[i].literal && c->words[i].value.n > 2 && c->words[i].value.p[1] != '-' &&
            memmem(c->words[i].value.p, c->words[i].value.n, "qq", 2))
            return true;
    return false;
}

/* c: a package manager's command (known: what recognise found); flags: its RUN's RUN_*. */
static void flag_command(const ctx *x, const rs_run *r, const sh_cmd *c, const pcmd *known,
                         unsigned flags, ir_edits *e)
{
    const pcmd pc = *known;
    if (c->depth != 0)
        return;
    bool mount = flags & RUN_MOUNT;
    const sh_word *sub = pc.sub < c->nwords ? &c->words[pc.sub] : NULL;
    const sh_word *prog = &c->words[pc.prog];
    switch (pc.mgr) {
    case M_APT: {
        bool apt = (pc.is & IS_APT) && slice_eq_str(prog->value, "apt");
        if (!sub || (!apt && !(pc.is & IS_APT_GET)))
            return;
        if (apt && sub_is(&pc, SUB_TO_APT_GET))
            ir_edit_add(e, r->base + prog->off, prog->len, SLICE("apt-get"));
        bool yes_wanted = sub_is(&pc, SUB_NEEDS_YES);
        bool rec_wanted = x->level >= 2 && sub_is(&pc, SUB_INSTALL);
        if (!yes_wanted && !rec_wanted)
            return; /* no option to add: update, clean, ... */
        static const char *const configured[] = {"-o", "-c", "--option", "--config-file", NULL};
        bool conf = has_opt(c, &pc, configured);
        for (size_t i = pc.prog + 1; i < c->nwords && !conf; i++) { /* -oX, -cFILE */
            df_slice v = c->words[i].value;
            conf = c->words[i].literal && v.n >= 2 && v.p[0] == '-' &&
                   (v.p[1] == 'o' || v.p[1] == 'c');
        }
        if (conf)
            return;
        static const char *const recommends[] = {"--no-install-recommends",
                                                 "--install-recommends", NULL};
        bool yes_needed = yes_wanted && !apt_assumes_yes(c, &pc);
        bool no_rec = rec_wanted && !has_opt(c, &pc, recommends) &&
                      !any_unquoted_variable(c, pc.prog + 1);
        if (yes_needed)
            put_edit(e, r, sub, no_rec ? " -y --no-install-recommends" : " -y");
        else if (no_rec) /* after the options that follow the subcommand: install -y --no-... */
            put_edit(e, r, &c->words[last_option(c, pc.sub, apt_argopts)],
                     " --no-install-recommends");
        return;
    }
    case M_APK: {
        static const char *const nocache[] = {"--no-cache", NULL};
        if (sub && !mount && sub_is(&pc, SUB_ADDS) && !has_opt(c, &pc, nocache) &&
            !has_opt(c, &pc, apk_update_flags) && !has_short(c, &pc, 'U'))
            put_edit(e, r, sub, " --no-cache");
        return;
    }
    case M_YUM: {
        static const char *const yes[] = {"-y", "--assumeyes", "--assume-yes", NULL};
        if (sub && sub_is(&pc, SUB_NEEDS_YES) && !has_opt(c, &pc, yes) &&
            !has_short(c, &pc, 'y'))
            put_edit(e, r, sub, " -y");
        return;
    }
    case M_ZYPPER: {
        static const char *const nonint[] = {"-n", "--non-interactive", "-y", "--no-confirm",
                                             NULL};
        if (sub && sub_is(&pc, SUB_NEEDS_YES) && !has_opt(c, &pc, nonint))
            put_edit(e, r, prog, " -n");
        return;
    }
    case M_PIP: {
        static const char *const cache[] = {"--no-cache-dir", "--cache-dir", NULL};
        bool env = flags & RUN_PIP_ENV;
        for (size_t i = 0; i < pc.prog && !env; i++)
            env = slice_contains_nocase(c->words[i].value, "PIP_");
        if (sub && !mount && !env && sub_is(&pc, SUB_INSTALL) && !has_opt(c, &pc, cache))
            put_edit(e, r, sub, " --no-cache-dir");
        return;
    }
    case M_GEM: {
        static const char *const doc[] = {"--no-document", "-N", "--document", "--no-rdoc",
                                          "--no-ri", "--rdoc", "--ri", NULL};
        if (x->level >= 2 && sub && sub_is(&pc, SUB_INSTALL) && !has_opt(c, &pc, doc))
            put_edit(e, r, sub, " --no-document");
        return;
    }
    default:
        return;
    }
}

/* What flag_command reads of a RUN's setting, beside its script: the level, RUN_MOUNT and
 * RUN_PIP_ENV; never 0. */
static uint32_t flags_key(const ctx *x, const runner *ru)
{
    return 1u | (ru->flags & RUN_MOUNT ? 2u : 0) | (ru->flags & RUN_PIP_ENV ? 4u : 0) |
           (uint32_t)(x->level & 0xff) << 8;
}

static bool phase_flags(ctx *x, const runner *ru)
{
    df_node *n = ru->n;
    run_entry *entry = entry_of(x->doc, n);
    if (!entry || !entry->runs)
        return false;
    uint32_t key = flags_key(x, ru);
    if (entry->flagged == key)
        return false; /* an earlier run found nothing to add */
    rs_run r;
    open_run(x->doc, n, &r);
    ir_edits e = {0};
    for (size_t i = 0; i < r.sh.ncmds; i++)
        if (cmd_mgr(entry, i) >= 0) /* flag_command edits only a manager's command */
            flag_command(x, &r, &r.sh.cmds[i], &entry->cmd[i].pc, ru->flags, &e);
    if (e.n == 0) {
        free(e.v);
        entry->flagged = key;
        return false;
    }
    file_style(x);
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
        if (pc.mgr != M_APT || !(pc.is & IS_APT_GET) || !sub_is(&pc, SUB_INSTALL_LIKE))
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
           (pc.is & (IS_APT_GET | IS_APT)) && sub_is(&pc, SUB_INSTALL_LIKE);
}

/* The `apt-get update` a later install of the stage may take, and whether what lies between
 * them is known to leave apt's sources alone. That is found out only when an install asks,
 * one node at a time from where the last question stopped: nodes after the stage's last
 * install are never looked at. */
typedef struct apt_update {
    df_node *run;    /* the RUN whose top-level chain refreshes the lists; NULL: none */
    size_t at;       /* its update command */
    df_slice update; /* that command's text */
    df_node *next;   /* the first node not yet known to be inert (run itself at first) */
    bool dirty;      /* one is not */
} apt_update;

/* May the update move from u->run to just before n (a later node of its stage)? Everything
 * it would move across must be inert: the rest of the update's RUN, which must also run as
 * plainly as the install's (no builder flags), and every node between (apt_inert_node). */
static bool update_may_move(df_doc *doc, apt_update *u, const df_node *n)
{
    while (!u->dirty && u->next != n) {
        df_node *m = u->next;
        if (m == u->run) {
            rs_run r;
            open_run(doc, m, &r);
            u->dirty = touches_apt_sources(m) || m->nbflags != 0 ||
                       !apt_inert_range(&r, u->at + 1, r.sh.ncmds);
        } else {
            u->dirty = !apt_inert_node(doc, m);
        }
        u->next = m->next;
    }
    return !u->dirty;
}

static bool phase_apt_update(ctx *x)
{
    bool changed = false;
    apt_update u = {0};
    int stage = -2;
    /* only a RUN that runs apt may take the update or give it: one that merely mentions apt
     * reads the lists at no command the update could go in front of. Stages are runs of
     * nodes, so the update is forgotten where the runners change stage. */
    for (size_t i = 0; i < x->nrun; i++) {
        df_node *n = x->run[i].n;
        if (!(x->run[i].runs & (1u << M_APT)))
            continue;
        if (n->stage != stage) {
            stage = n->stage;
            u.run = NULL;
        }
        run_entry *en = entry_of(x->doc, n);
        if (!en || !(en->runs & (1u << M_APT)))
            continue;
        en = made_full(x->doc, n, en);
        if (en->e[M_APT] == EV_NONE)
            continue; /* neither an install nor an update to read */
        cls c[NTRACK];
        answer(n, en, c);
        rs_run r;
        open_run(x->doc, n, &r);
        if (c[M_APT].e == EV_USE && u.run && (x->run[i].flags & RUN_POSIX) && n->nbflags == 0 &&
            c[M_APT].at != SIZE_MAX && update_insertable(&r, c[M_APT].at) &&
            update_may_move(x->doc, &u, n)) {
            df_buf b = {0};
            buf_put_slice(&b, u.update);
            buf_puts(&b, " && ");
            size_t at = r.sh.cmds[c[M_APT].at].off;
            file_style(x);
            if (rs_splice(x->doc, &r, at, at, buf_to_arena(&b, &x->doc->arena), x->d)) {
                changed = true;
                classify(x->doc, n, c);
                open_run(x->doc, n, &r);
            }
            buf_free(&b);
        }
        if (c[M_APT].e == EV_REFRESH) {
            const sh_cmd *cmd = &r.sh.cmds[c[M_APT].at];
            u = (apt_update){n, c[M_APT].at, {r.script.p + cmd->off, cmd->end - cmd->off}, n,
                             false};
        }
    }
    return changed;
}

/* ---- phase 3: cleanups, walking back from the end ---- */

/* Is r (e its entry) nothing but `apt-get update` (or `apk update`) commands? Which manager,
 * else -1. */
static int lone_update(const rs_run *r, const run_entry *e)
{
    if (!r->ok || r->sh.compound || r->sh.ncmds == 0 || r->n->nbflags)
        return -1;
    int mgr = -1;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        const pcmd pc = e->cmd[i].pc;
        if (c->depth != 0 || (c->op != SH_AND && c->op != SH_SEQ && c->op != SH_END) ||
            (pc.mgr != M_APT && pc.mgr != M_APK) ||
            !sub_is(&pc, SUB_REFRESH) || e->cmd[i].cat != EV_REFRESH ||
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

/* The last top-level command of manager m that is install-like (SUB_INSTALL_LIKE; for yarn
 * also a bare `yarn`), SIZE_MAX when none; *last_any is the last command that may fill m's
 * cache or index again: install-like at any depth, one that reads or refreshes the index, or
 * an unread mention. e is r's entry: a script that neither runs nor mentions m has neither. */
static size_t last_install(const rs_run *r, const run_entry *e, int m, size_t *last_any)
{
    size_t found = SIZE_MAX;
    *last_any = SIZE_MAX;
    if (!(e->managers & (1u << m)))
        return found;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const cmd_info *ci = &e->cmd[i];
        if (ci->pc.mgr == m) {
            if (ci->install || ci->cat != EV_NONE)
                *last_any = i;
            if (r->sh.cmds[i].depth == 0 && ci->install)
                found = i;
        } else if (ci->pc.mgr < 0 && (ci->bits & (1u << m))) {
            *last_any = i; /* mentioned where it is not read */
        }
    }
    return found;
}

/* Is there a top-level command after index `after` that removes a path starting with one of
 * prefixes (rm ... PATH) or runs `tool sub` (e.g. `dnf clean`)? e is r's entry. */
static bool cleaned_after(const rs_run *r, const run_entry *e, size_t after,
                          const char *const *prefixes, int m, const char *sub)
{
    for (size_t i = after == SIZE_MAX ? 0 : after + 1; i < r->sh.ncmds; i++) {
        const sh_cmd *c = &r->sh.cmds[i];
        if (c->depth != 0)
            continue;
        size_t p = e->cmd[i].pr.at;
        if (prefixes && sh_word_is(c, p, "rm")) {
            for (size_t k = p + 1; k < c->nwords; k++) {
                df_slice raw = {r->script.p + c->words[k].off, c->words[k].len};
                for (size_t j = 0; prefixes[j]; j++)
                    if (slice_has_prefix(c->words[k].value, prefixes[j]) ||
                        memmem(raw.p, raw.n, prefixes[j], strlen(prefixes[j])))
                        return true;
            }
        }
        const pcmd pc = e->cmd[i].pc;
        if (sub && pc.mgr == m && pc.sub < c->nwords) {
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
static bool keeps_programs(const rs_run *r, const run_entry *e, size_t after,
                           const char *const *needed)
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
        size_t p = e->cmd[i].pr.at;
        if (p >= c->nwords)
            continue; /* assignments, redirections only */
        if (!c->words[p].literal)
            return false;
        const pcmd pc = e->cmd[i].pc;
        if (pc.mgr >= 0) {
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

/* Appends prefix + cmd to n's script; re-reads r and its entry *en. */
static bool append(ctx *x, df_node *n, rs_run *r, run_entry **en, df_slice prefix,
                   const char *cmd)
{
    /* n's own style, else the file's (file_style): a node that shows its own style shows the
     * same one after new lines in that style at its end, so an append to it leaves the file's
     * style as it was and need not work it out */
    rs_style st;
    if (!rs_own_style(x->doc, n, &st))
        st = file_style(x);
    df_buf b = {0};
    df_slice line = slice_from(cmd);
    if (prefix.n) { /* rs_append copies the command: the buffer need not outlive it */
        buf_put_slice(&b, prefix);
        buf_puts(&b, cmd);
        line = (df_slice){b.p, b.len};
    }
    bool ok = rs_append(x->doc, r, line, &st, x->d);
    buf_free(&b);
    rs_run was = *r; /* its reading stays in the arena: the commands before the new ones */
    *en = reopen_entry(x->doc, n, r, *en, *en ? &was : NULL);
    return ok;
}

/* Does command i of e's script read or refresh m's index or cache, or might it (an unread
 * mention of m, a script)? */
static bool uses(const run_entry *e, size_t i, int m)
{
    const pcmd *pc = &e->cmd[i].pc;
    if (pc->mgr >= 0)
        return pc->mgr == m && e->cmd[i].cat != EV_NONE;
    return (e->cmd[i].bits & (1u << m)) || (e->cmd[i].bits & CMD_RUNS_SCRIPT);
}

/* apk: --no-cache for `apk add -U` (its index is then not kept), and drop `apk update` when
 * every add after it keeps no index; with the update gone, an `apk add -U` before it may keep
 * no index either, so the first step runs again (the pass's own fixpoint). later_use: a later
 * RUN reads the index; mount: n has a --mount. */
static bool apk_cleanup(ctx *x, df_node *n, rs_run *r, bool later_use, bool mount)
{
    if (later_use || mount || !r->ok)
        return false;
    run_entry *en = open_entry(x->doc, n, r);
    bool changed = false, used = false;
    ir_edits e = {0};
    for (size_t i = r->sh.ncmds; i-- > 0;) { /* from the end: what later commands read */
        const sh_cmd *c = &r->sh.cmds[i];
        const pcmd pc = en->cmd[i].pc;
        if (c->depth == 0 && !used && pc.mgr == M_APK &&
            pc.sub < c->nwords && sub_is(&pc, SUB_ADDS) && en->cmd[i].cat == EV_REFRESH)
            put_edit(&e, r, &c->words[pc.sub], " --no-cache"); /* keeps no index now */
        else
            used |= uses(en, i, M_APK);
    }
    if (e.n) {
        file_style(x);
        changed = ir_edit_apply(x->doc, n, &e, x->d);
        en = open_entry(x->doc, n, r);
    } else {
        free(e.v);
    }
    if (!r->ok || r->sh.compound)
        return changed;
    size_t upd = SIZE_MAX, nupd = 0, last_use = 0;
    bool adds = false;
    for (size_t i = 0; i < r->sh.ncmds; i++) {
        const pcmd pc = en->cmd[i].pc;
        if (uses(en, i, M_APK))
            last_use = i;
        if (pc.mgr != M_APK)
            continue;
        if (sub_is(&pc, SUB_REFRESH))
            upd = i, nupd++;
        else if (upd != SIZE_MAX && sub_is(&pc, SUB_ADDS) && en->cmd[i].cat == EV_NONE)
            adds = true;
    }
    if (nupd != 1 || !adds || upd + 1 >= r->sh.ncmds || r->sh.cmds[upd].op != SH_AND ||
        last_use > upd)
        return changed;
    for (size_t k = 0; k < upd; k++)
        if (r->sh.cmds[k].op != SH_AND && r->sh.cmds[k].op != SH_SEQ)
            return changed;
    file_style(x);
    if (rs_splice(x->doc, r, r->sh.cmds[upd].off, r->sh.cmds[upd + 1].off, SLICE(""), x->d)) {
        open_run(x->doc, n, r);
        apk_cleanup(x, n, r, later_use, mount); /* no update left: it stops there */
        changed = true;
    }
    return changed;
}

/* The cleanups of n, a RUN of a POSIX stage (flags: its RUN_*); next: what later RUNs do to
 * each manager's state. Each starts from a manager's command of the script, so a script that
 * runs or mentions none (run_entry.managers) has nothing to clean. */
static bool cleanup_run(ctx *x, df_node *n, unsigned flags, const ev next[NTRACK])
{
    static const char *const apt_lists[] = {"/var/lib/apt/lists", NULL};
    static const char *const yum_cache[] = {"/var/cache/yum", "/var/cache/dnf", NULL};
    static const char *const npm_cache[] = {"/.npm", NULL};
    bool changed = false;
    rs_run r;
    run_entry *en = open_entry(x->doc, n, &r);
    if (!en)
        return false;
    if (en->managers & (1u << M_APK)) {
        changed |= apk_cleanup(x, n, &r, next[M_APK] == EV_USE, flags & RUN_MOUNT);
        en = open_entry(x->doc, n, &r); /* as it left the script */
    }
    if (flags & RUN_MOUNT)
        return changed;
    size_t any, at;
    cls c[NTRACK];
    answer(n, en, c);
    if (!en)
        return changed; /* unreadable now: no refresh to act on */
    /* apt: the RUN refreshed the lists itself and installs: remove them at its end */
    at = last_install(&r, en, M_APT, &any);
    if (c[M_APT].e == EV_REFRESH && at != SIZE_MAX && at > c[M_APT].at &&
        next[M_APT] != EV_USE && !cleaned_after(&r, en, any, apt_lists, M_APT, NULL)) {
        /* the rm must be allowed to empty the lists: as a user known to be root it runs
         * plainly; otherwise the update and the install ran through the same sudo words, and
         * the rm does too (sudo still installed when it runs) */
        pcmd ipc = en->cmd[at].pc, upc = en->cmd[c[M_APT].at].pc;
        static const char *const sudo_needed[] = {"sudo", NULL};
        if (!(flags & RUN_NONROOT))
            changed |= append(x, n, &r, &en, SLICE(""), "rm -rf /var/lib/apt/lists/*");
        else if (via_sudo(&r, at, &ipc) && via_sudo(&r, c[M_APT].at, &upc) &&
                 slice_eq(wrappers(&r, at, &ipc), wrappers(&r, c[M_APT].at, &upc)) &&
                 keeps_programs(&r, en, at, sudo_needed))
            changed |= append(x, n, &r, &en, wrappers(&r, at, &ipc), "rm -rf /var/lib/apt/lists/*");
    }
    if (!r.ok)
        return changed;
    /* zypper */
    at = last_install(&r, en, M_ZYPPER, &any);
    if (at != SIZE_MAX && next[M_ZYPPER] != EV_USE &&
        !cleaned_after(&r, en, any, NULL, M_ZYPPER, "clean")) {
        pcmd pc = en->cmd[at].pc;
        bool sudo = via_sudo(&r, at, &pc);
        const char *const needed[] = {"zypper", sudo ? "sudo" : NULL, NULL};
        if ((sudo || !(flags & RUN_NONROOT)) && keeps_programs(&r, en, at, needed))
            changed |= append(x, n, &r, &en, wrappers(&r, at, &pc), "zypper clean -a");
    }
    if (!r.ok)
        return changed;
    /* yum, dnf, microdnf */
    at = last_install(&r, en, M_YUM, &any);
    if (at != SIZE_MAX && next[M_YUM] != EV_USE &&
        !cleaned_after(&r, en, any, yum_cache, M_YUM, "clean")) {
        pcmd pc = en->cmd[at].pc;
        const char *tool = slice_eq_str(pc.tool, "dnf")   ? "dnf"
                           : slice_eq_str(pc.tool, "yum") ? "yum"
                                                          : "microdnf";
        bool nonroot = flags & RUN_NONROOT, sudo = via_sudo(&r, at, &pc);
        const char *const needed[] = {tool, sudo ? "sudo" : NULL, NULL};
        if ((sudo || !nonroot) && keeps_programs(&r, en, at, needed)) {
            /* `<wrappers>dnf clean all && <sudo wrappers>rm -rf /var/cache/dnf` */
            df_buf b = {0};
            buf_puts(&b, tool);
            buf_puts(&b, " clean all && ");
            if (nonroot)
                buf_put_slice(&b, wrappers(&r, at, &pc));
            buf_puts(&b, slice_eq_str(pc.tool, "dnf") ? "rm -rf /var/cache/dnf"
                                                      : "rm -rf /var/cache/yum");
            buf_putc(&b, '\0');
            changed |= append(x, n, &r, &en, wrappers(&r, at, &pc), b.p);
            buf_free(&b);
        }
    }
    if (!r.ok)
        return changed;
    /* npm */
    at = last_install(&r, en, M_NPM, &any);
    if (at != SIZE_MAX && next[M_NPM] != EV_USE && !(flags & RUN_NPM_ENV) &&
        !cleaned_after(&r, en, any, npm_cache, M_NPM, "cache")) {
        const sh_cmd *ic = &r.sh.cmds[at];
        pcmd pc = en->cmd[at].pc;
        static const char *const cacheopt[] = {"--cache", NULL};
        bool cache_set = has_opt(ic, &pc, cacheopt);
        for (size_t i = 0; i < pc.prog && !cache_set; i++)
            cache_set = slice_contains_nocase(ic->words[i].value, "cache");
        static const char *const needed[] = {"npm", "node", "sudo", NULL};
        if (!cache_set && keeps_programs(&r, en, at, needed))
            changed |= append(x, n, &r, &en, wrappers(&r, at, &pc), "npm cache clean --force");
    }
    if (!r.ok)
        return changed;
    /* yarn (1.x only) */
    at = last_install(&r, en, M_YARN, &any);
    if (at != SIZE_MAX && next[M_YARN] != EV_USE && (flags & RUN_YARN_OK) &&
        !cleaned_after(&r, en, any, NULL, M_YARN, "cache")) {
        const sh_cmd *ic = &r.sh.cmds[at];
        pcmd pc = en->cmd[at].pc;
        static const char *const frozen[] = {"--frozen-lockfile", NULL};
        static const char *const cacheopt[] = {"--cache-folder", NULL};
        bool cache_set = has_opt(ic, &pc, cacheopt);
        for (size_t i = 0; i < pc.prog && !cache_set; i++)
            cache_set = slice_contains_nocase(ic->words[i].value, "cache");
        static const char *const needed[] = {"yarn", "node", "sudo", NULL};
        if (!cache_set && has_opt(ic, &pc, frozen) && keeps_programs(&r, en, at, needed))
            changed |= append(x, n, &r, &en, wrappers(&r, at, &pc), "yarn cache clean");
    }
    return changed;
}

/* What phase 3 reads of a RUN's setting, beside its script (lone_update, cleanup_run):
 * whether the RUN has builder flags, whether its neighbours are RUNs of its stage, its RUN_*
 * flags and next; never 0. */
static uint32_t cleanup_key(const df_node *n, unsigned flags, bool neighbours,
                            const ev next[NTRACK])
{
    uint32_t key = 1u | (n->nbflags ? 2u : 0) | (neighbours ? 4u : 0) |
                   (uint32_t)(flags & 0x3f) << 3;
    for (int m = 0; m < NTRACK; m++)
        key |= (uint32_t)next[m] << (10 + 2 * m); /* an ev is 0, 1 or 2 */
    return key;
}

/* Could copying src out of another stage take a package manager's index or cache with it?
 * (COPY --from and RUN --mount from= read the stage's final filesystem.) Paths are resolved
 * against the stage root; anything not literal counts as yes. */
static bool reads_metadata(df_slice src)
{
    static const struct {
        const char *s;
        size_t n;
    } dirs[] = {{"/var/lib/apt/lists", 18}, {"/var/cache/apt", 14}, {"/var/cache/apk", 14},
                {"/var/cache/yum", 14},     {"/var/cache/dnf", 14}, {"/var/cache/zypp", 15},
                {"/var/lib/zypp", 13},      {"/root/.npm", 10},     {"/root/.cache", 12},
                {"/usr/local/share/.cache", 23}};
    char path[4096];
    size_t n = 0;
    if (src.n + 2 >= sizeof path)
        return true;
    for (size_t i = 0; i < src.n; i++)
        if (src.p[i] == '$' || src.p[i] == '*' || src.p[i] == '?' || src.p[i] == '[')
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
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        const char *d = dirs[i].s;
        size_t k = dirs[i].n;
        if (path[1] != d[1])
            continue; /* either is a prefix of the other: both start "/v", "/r" or "/u" */
        /* src contains the directory, or lies inside it */
        if ((n <= k && memcmp(d, path, n) == 0 && (n == k || d[n] == '/')) ||
            (n > k && memcmp(path, d, k) == 0 && path[k] == '/'))
            return true;
    }
    return false;
}

/* The from= and the source of a RUN's --mount flag v (source "/" when absent); false when it
 * has no from=. */
static bool mount_from(df_slice v, df_slice *ref, df_slice *source)
{
    if (!slice_has_prefix(v, "--mount="))
        return false;
    *ref = (df_slice){NULL, 0}, *source = SLICE("/");
    for (size_t i = 8; i < v.n;) {
        const char *comma = memchr(v.p + i, ',', v.n - i);
        size_t e = comma ? (size_t)(comma - v.p) : v.n;
        df_slice kv = {v.p + i, e - i};
        if (slice_has_prefix(kv, "from="))
            *ref = (df_slice){kv.p + 5, kv.n - 5};
        else if (slice_has_prefix(kv, "source="))
            *source = (df_slice){kv.p + 7, kv.n - 7};
        else if (slice_has_prefix(kv, "src="))
            *source = (df_slice){kv.p + 4, kv.n - 4};
        i = e + 1;
    }
    return ref->p != NULL;
}

/* Does a COPY/ADD copy package metadata (one of its sources)? */
static bool copies_metadata(const df_node *n)
{
    for (size_t i = 0; i + 1 < n->nargs; i++)
        if (reads_metadata(n->args[i].v))
            return true;
    return false;
}

/* A --from or mount from= that names no stage as written but holds a variable (or, in a mount,
 * a quote): it may name any stage. */
static bool loose_ref(df_slice ref, bool mount)
{
    return memchr(ref.p, '$', ref.n) || (mount && memchr(ref.p, '"', ref.n));
}

/* Marks info[s].read[m] for the stages from..to-1. */
static void mark_read(stage_info *info, size_t from, size_t to)
{
    for (size_t s = from; s < to; s++)
        for (int m = 0; m < NTRACK; m++)
            info[s].read[m] = true;
}

/* Marks, in info[stage].read[m], the stages top copies package metadata out of (COPY/ADD
 * --from, RUN --mount from=, also inside ONBUILD); a --from that is not a known stage name or
 * index but holds a variable marks every stage. What is copied is read only out of a stage
 * whose read phase 3 consults (upstream). */
static void copies_out(const df_doc *doc, const df_node *top, stage_info *info)
{
    const df_node *n = top->kind == DF_ONBUILD && top->sub ? top->sub : top;
    size_t before = top->stage < 0 ? 0 : (size_t)top->stage;
    size_t limit = top->kind == DF_ONBUILD ? doc->nstages : before;
    df_slice from;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && node_flag(n, "from", &from)) {
        int ref = sema_stage_ref(doc, from, limit);
        bool all = ref < 0 && loose_ref(from, false);
        if ((all || (ref >= 0 && info[ref].upstream)) && copies_metadata(n))
            mark_read(info, all ? 0 : (size_t)ref, all ? doc->nstages : (size_t)ref + 1);
    }
    if (n->kind != DF_RUN)
        return;
    for (size_t f = 0; f < n->nbflags; f++) {
        df_slice ref, source;
        if (!mount_from(n->bflags[f].v, &ref, &source))
            continue;
        int st = sema_stage_ref(doc, ref, limit);
        bool all = st < 0 && loose_ref(ref, true);
        if ((all || (st >= 0 && info[st].upstream)) && reads_metadata(source))
            mark_read(info, all ? 0 : (size_t)st, all ? doc->nstages : (size_t)st + 1);
    }
}

bool pkg_reads_every_stage(const df_node *top)
{
    const df_node *n = top->kind == DF_ONBUILD && top->sub ? top->sub : top;
    df_slice from, source;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && node_flag(n, "from", &from))
        return loose_ref(from, false) && copies_metadata(n);
    for (size_t f = 0; n->kind == DF_RUN && f < n->nbflags; f++)
        if (mount_from(n->bflags[f].v, &from, &source) && loose_ref(from, true) &&
            reads_metadata(source))
            return true;
    return false;
}

/* Counts, per stage, the RUNs that run a manager (the only ones phase 3 may act on), and
 * marks the stages built, directly or not, on a stage that has one. */
static void count_runners(ctx *x)
{
    df_doc *doc = x->doc;
    for (size_t i = 0; i < x->nrun; i++) { /* the RUNs that may still run one */
        run_entry *en = entry_of(doc, x->run[i].n);
        if (en && en->runs)
            x->st[x->run[i].n->stage].runners++;
    }
    for (size_t s = 0; s < doc->nstages; s++) {
        int b = doc->stages[s].base_stage;
        if (b >= 0)
            x->st[s].base_runs = (size_t)b >= s || x->st[b].runners || x->st[b].base_runs;
    }
}

/* From the end of the document, RUN by RUN: next holds what the later RUNs of the stage and
 * of the stages built on it do first to each manager's state, which is what a RUN acted on
 * must know. What a RUN does is read for next only when a RUN of its stage before it, or of
 * a stage it builds on, runs a manager: otherwise no RUN that may be acted on ever reads it. */
static bool phase_cleanup(ctx *x)
{
    df_doc *doc = x->doc;
    bool changed = false;
    ev next[NTRACK];
    int cur = -2;
    size_t left = 0; /* the RUNs of stage cur that run a manager, from its start up to n */
    size_t k = x->nrun; /* the runners before n */
    count_runners(x);
    for (df_node *n = ir_walk_last(doc), *prev; n; n = prev) {
        prev = ir_walk_prev(doc, n);
        if (n->stage != cur) {
            if (cur >= 0 && doc->stages[cur].base_stage >= 0)
                for (int m = 0; m < NTRACK; m++)
                    x->st[doc->stages[cur].base_stage].down[m] |= next[m] == EV_USE;
            cur = n->stage;
            for (int m = 0; m < NTRACK; m++)
                next[m] = cur >= 0 && (x->st[cur].down[m] || x->st[cur].read[m]) ? EV_USE
                                                                                  : EV_NONE;
            left = cur >= 0 ? x->st[cur].runners : 0;
        }
        if (cur < 0 || n->kind != DF_RUN)
            continue;
        const runner *ru = k && x->run[k - 1].n == n ? &x->run[--k] : NULL;
        run_entry *en = ru ? entry_of(x->doc, n) : NULL;
        bool running = en && en->runs; /* a manager */
        if (running && left)
            left--; /* now those before n */
        /* a RUN that runs no manager has nothing to act on: what it mentions is not read
         * (lone_update wants updates only, every cleanup an install) */
        if (running && (ru->flags & RUN_POSIX)) { /* a RUN to act on */
            bool neighbours = n->prev && n->prev->kind == DF_RUN && n->prev->stage == cur &&
                              n->next && n->next->kind == DF_RUN && n->next->stage == cur;
            uint32_t key = cleanup_key(n, ru->flags, neighbours, next);
            if (en->cleaned != key) { /* else an earlier run found nothing to do */
                rs_run r;
                open_run(x->doc, n, &r);
                int lone = lone_update(&r, en);
                if (lone >= 0 && next[lone] != EV_USE && !neighbours) {
                    file_style(x);
                    drop_node(doc, n, x->d);
                    changed = true;
                    continue;
                }
                bool edited = cleanup_run(x, n, ru->flags, next);
                run_entry *now = entry_of(x->doc, n); /* as the cleanup left it */
                if (!edited && now == en)
                    en->cleaned = key;
                changed |= edited;
                en = now;
            }
        }
        if (!left && !x->st[cur].base_runs)
            continue; /* no RUN before n is acted on with next */
        /* what n does first to each manager's state is what the RUNs before it see next */
        cls c[NTRACK];
        en = made_full(x->doc, n, ru ? en : entry_of(x->doc, n));
        if (en) {
            for (int m = 0; m < NTRACK; m++)
                if (en->e[m] != EV_NONE)
                    next[m] = en->e[m];
            continue;
        }
        answer(n, NULL, c);
        for (int m = 0; m < NTRACK; m++)
            if (c[m].e != EV_NONE)
                next[m] = c[m].e;
    }
    return changed;
}

PASS(pkg_hygiene)
{
    /* the managers the readable RUNs run: the phases and facts that concern only a manager
     * outside them have nothing to act on (each needs a recognised command). Every edit is
     * made to a manager's command or after one (a flag, the apt update, a cleanup, a dropped
     * update), and the commands the pass adds run only a manager already there, so a
     * document whose RUNs run none is left as it is. */
    unsigned runs = 0;
    enum { SMALL = 16 }; /* a small document's runners and stages stay on the stack */
    runner run_small[SMALL], *run = run_small;
    size_t nrun = 0, cap = SMALL;
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        run_entry *e = n->kind == DF_RUN ? entry_of(doc, n) : NULL;
        if (!e || !e->runs)
            continue;
        runs |= e->runs;
        if (n->stage < 0)
            continue; /* phase 1 gives it no flags: no phase acts on it */
        if (nrun == cap)
            run = grow_from_local(run, run_small, &cap, nrun, sizeof *run);
        run[nrun++] = (runner){n, e->runs, e->runs, 0};
    }
    if (!runs)
        return false;
    ctx x = {.doc = doc, .d = d, .level = doc->opt ? doc->opt->level : 1, .run = run,
             .nrun = nrun};
    size_t ns = doc->nstages;
    stage_info st_small[SMALL];
    stage_info *st = x.st = ns + 1 <= SMALL ? memset(st_small, 0, (ns + 1) * sizeof *st)
                                            : xcalloc(ns + 1, sizeof *x.st);
    /* which facts phase 1 looks for where (a stage's facts reach the stages built on it; a
     * base stage comes first), and whose read phase 3 consults */
    for (size_t i = nrun; i-- > 0;) {
        int s = run[i].n->stage;
        st[s].runs |= run[i].runs;
        if (i + 1 < nrun && run[i + 1].n->stage == s)
            run[i].rest |= run[i + 1].rest;
    }
    for (size_t s = ns; s-- > 0;)
        if (doc->stages[s].base_stage >= 0)
            st[doc->stages[s].base_stage].heirs |= st[s].runs | st[s].heirs;
    for (size_t s = 0; s < ns; s++)
        st[s].upstream = st[s].runs ||
                         (doc->stages[s].base_stage >= 0 && st[doc->stages[s].base_stage].upstream);
    rs_shells shells;
    rs_shells_init(&shells, doc);
    bool changed = false;
    if (doc->facts && doc->facts->reads_all) /* another part of the file's (segment.c) */
        mark_read(st, 0, ns);
    /* phase 1, in document order: per-stage facts, and flags on each command */
    size_t k = 0; /* the runners before n */
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        rs_shells_step(&shells, doc, n);
        if (n->kind == DF_COPY || n->kind == DF_ADD || n->kind == DF_RUN || n->kind == DF_ONBUILD)
            copies_out(doc, n, st); /* the stages others copy package metadata out of */
        if (n->stage < 0)
            continue;
        size_t s = (size_t)n->stage;
        if (n->kind == DF_FROM && doc->stages[s].base_stage >= 0) {
            const stage_info *b = &st[doc->stages[s].base_stage];
            st[s].facts = b->facts;
            st[s].nonroot = b->nonroot || b->onb_user;
        }
        if (n->kind == DF_USER)
            st[s].nonroot = !is_root_user(n);
        if (n->kind == DF_ONBUILD && n->sub && n->sub->kind == DF_USER)
            st[s].onb_user = true;
        unsigned want = st[s].heirs | (k < nrun && run[k].n->stage == n->stage ? run[k].rest : 0);
        if (want)
            st[s].facts |= node_facts(n, want, st[s].facts);
        if (n->kind == DF_ONBUILD && n->sub && n->sub->kind == DF_RUN && st[s].upstream) {
            cls c[NTRACK];
            classify(doc, n->sub, c);
            for (int m = 0; m < NTRACK; m++)
                st[s].read[m] |= c[m].e != EV_NONE;
        }
        if (k == nrun || run[k].n != n)
            continue;
        runner *ru = &run[k++];
        if (!rs_shells_posix(&shells, n))
            continue;
        unsigned facts = st[s].facts;
        ru->flags = RUN_POSIX | (rs_has_mount(n) ? RUN_MOUNT : 0) |
                    (st[s].nonroot ? RUN_NONROOT : 0) |
                    (facts & (YARN_UNSURE | ENV_YARN) ? 0 : RUN_YARN_OK) |
                    (facts & ENV_PIP ? RUN_PIP_ENV : 0) | (facts & ENV_NPM ? RUN_NPM_ENV : 0);
    }
    for (size_t i = 0; i < nrun; i++)
        if (run[i].flags & RUN_POSIX)
            changed |= phase_flags(&x, &run[i]);
    /* phase 2, in document order: apt-get update into the install that relies on it */
    if (runs & (1u << M_APT))
        changed |= phase_apt_update(&x);
    /* phase 3, from the end: what later RUNs read is known when a RUN is cleaned */
    changed |= phase_cleanup(&x);
    rs_shells_free(&shells);
    if (st != st_small)
        free(st);
    if (run != run_small)
        free(run);
    return changed;
}
