/*
 * multistage_steps.c: what the commands of a RUN do, for the multistage pass: package installs,
 * user creation, commands without effect, dependency fetches and builds of each ecosystem (Go,
 * Rust, Node, Java, C/C++, Python, .NET) and moves of their outputs. Every command either is
 * understood (and its effect recorded in the ms state) or makes the pass refuse.
 */
#include "multistage.h"

#include <string.h>

/* ---- reading one RUN ---- */

typedef struct run {
    ms *m;
    df_node *n;
    df_slice script;
    sh_cmd *c;
    size_t p;             /* index of the program word */
    const char *cwd;
    bool build, prep, pkg, users, pkg_runtime;
    char cls;             /* the current command's piece class (see item), 0 for none */
    size_t *drop, ndrop, capdrop; /* see item */
} run;

/* The value of word i of the current command, variables expanded; NULL when unknown. */
static const char *word(run *r, size_t i)
{
    if (i >= r->c->nwords)
        return NULL;
    sh_word *w = &r->c->words[i];
    if (w->literal)
        return arena_strndup(r->m->a, w->value.p, w->value.n);
    df_slice raw = {r->script.p + w->off, w->len};
    if (memchr(raw.p, '`', raw.n) || memmem(raw.p, raw.n, "$(", 2))
        return NULL;
    return ms_expand(r->m, raw);
}

static bool word_is(run *r, size_t i, const char *s)
{
    return sh_word_is(r->c, i, s);
}

/* The path of a word relative to the command's directory; NULL (refused) when unknown. */
static const char *path_arg(run *r, size_t i)
{
    const char *v = word(r, i);
    if (!v) {
        ms_refuse(r->m, r->n, "line %zu: a path in `" SLICE_FMT "` holds a variable whose value "
               "is not known", r->n->line, SLICE_ARG(r->c->words[r->p].value));
        return NULL;
    }
    const char *p = ms_path_join(r->m->a, r->cwd, slice_from(v));
    if (!p)
        ms_refuse(r->m, r->n, "line %zu: the relative path %s is used with no WORKDIR set",
               r->n->line, v);
    return p;
}

/* Value of option `name` (as `name V`, `name=V`) among the command's words; NULL when absent;
 * *bad when present but unknown. */
static const char *option(run *r, const char *name, const char *alt, bool *present)
{
    *present = false;
    size_t n = strlen(name), na = alt ? strlen(alt) : 0;
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        const char *hit = NULL;
        size_t hn = 0;
        if ((w.n == n && memcmp(w.p, name, n) == 0) || (alt && w.n == na && memcmp(w.p, alt, na) == 0)) {
            *present = true;
            return path_arg(r, i + 1);
        }
        if (w.n > n && memcmp(w.p, name, n) == 0 && w.p[n] == '=')
            hit = name, hn = n;
        else if (alt && w.n > na && memcmp(w.p, alt, na) == 0 && w.p[na] == '=')
            hit = alt, hn = na;
        if (hit) {
            *present = true;
            const char *v = word(r, i);
            if (!v) {
                ms_refuse(r->m, r->n, "line %zu: %s holds an unknown variable", r->n->line, name);
                return NULL;
            }
            const char *p = ms_path_join(r->m->a, r->cwd, slice_from(v + hn + 1));
            if (!p)
                ms_refuse(r->m, r->n, "line %zu: the relative path %s is used with no WORKDIR set",
                       r->n->line, v + hn + 1);
            return p;
        }
    }
    return NULL;
}

static bool has_word(run *r, const char *s)
{
    for (size_t i = r->p + 1; i < r->c->nwords; i++)
        if (word_is(r, i, s))
            return true;
    return false;
}

/* Does the command (or the stage's ENV/ARG) set name=value? */
static bool assigned(run *r, const char *name, const char *value)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->p; i++) {
        df_slice w = r->c->words[i].value;
        if (w.n > n && memcmp(w.p, name, n) == 0 && w.p[n] == '=')
            return slice_eq_str((df_slice){w.p + n + 1, w.n - n - 1}, value);
    }
    const char *v = ms_var_value(r->m, name);
    return v && strcmp(v, value) == 0;
}

static bool project(run *r)
{
    if (!r->cwd)
        return ms_refuse(r->m, r->n, "line %zu: the build runs in the base image's working "
                      "directory, which the Dockerfile does not set (no WORKDIR)", r->n->line);
    if (strcmp(r->cwd, "/") == 0)
        return ms_refuse(r->m, r->n, "line %zu: the build runs in /, so everything is its "
                      "project directory", r->n->line);
    ms_add_region(r->m, r->cwd, false, false);
    return true;
}

static void set_eco(ms *m, eco e)
{
    m->eco = e;
}

/* Packages that only build software: never needed by the program at run time. */
static bool build_tool_package(df_slice p)
{
    static const char *const tools[] = {
        "gcc", "g++", "gcc-c++", "cpp", "clang", "llvm", "make", "cmake", "ninja-build",
        "ninja", "meson", "build-essential", "build-base", "pkg-config", "pkgconf",
        "pkgconfig", "autoconf", "automake", "libtool", "bison", "flex", "binutils",
        "libc6-dev", "libc-dev", "musl-dev", "linux-headers", "linux-libc-dev", "glibc-devel",
        "kernel-headers", "patch", "m4",
        /* language toolchains whose output is a native binary: not needed to run it */
        "golang-go", "golang", "go", "rustc", "cargo", "rust",
    };
    const char *eq = memchr(p.p, '=', p.n); /* apt/apk version pins */
    if (eq)
        p.n = (size_t)(eq - p.p);
    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
        if (slice_eq_str(p, tools[i]))
            return true;
    /* versioned compilers: gcc-12, g++-13, clang-17 */
    static const char *const versioned[] = {"gcc-", "g++-", "clang-", "llvm-", "golang-"};
    for (size_t i = 0; i < sizeof versioned / sizeof *versioned; i++) {
        size_t k = strlen(versioned[i]);
        if (p.n > k && memcmp(p.p, versioned[i], k) == 0 && p.p[k] >= '0' && p.p[k] <= '9')
            return true;
    }
    return false;
}

/* apt-get, apt, apk, dnf, yum, microdnf, zypper. */
static bool package_command(run *r, df_slice prog)
{
    static const char *const managers[] = {"apt-get", "apt", "apk", "dnf", "yum", "microdnf",
                                           "zypper"};
    bool mgr = false;
    for (size_t i = 0; i < sizeof managers / sizeof *managers; i++)
        mgr |= ms_is_str(prog, managers[i]);
    if (!mgr)
        return false;
    r->pkg = true;
    r->cls = 'p';
    if (ms_is_str(prog, "apk"))
        r->m->apk = true;
    bool install = false;
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (!install) {
            bool apt_like = ms_is_str(prog, "apt-get") || ms_is_str(prog, "apt") || ms_is_str(prog, "apk");
            if (ms_is_str(w, "install") || ms_is_str(w, "add") || ms_is_str(w, "in"))
                install = true;
            else if (ms_is_str(w, "upgrade") || ms_is_str(w, "dist-upgrade") ||
                     ms_is_str(w, "full-upgrade") || ms_is_str(w, "up") ||
                     (ms_is_str(w, "update") && !apt_like))
                r->pkg_runtime = true; /* upgrades change the image's packages */
            continue;
        }
        if (w.n && w.p[0] == '-') {
            if (ms_is_str(w, "--virtual") || ms_is_str(w, "-t"))
                i++;
            continue;
        }
        if (ms_is_str(w, "libstdc++") || ms_is_str(w, "libstdc++6"))
            r->m->libstdcxx = true;
        if (ms_is_str(w, "libgcc") || ms_is_str(w, "libgcc-s1") || ms_is_str(w, "libgcc1"))
            r->m->libgcc = true;
        if (!r->c->words[i].literal || !build_tool_package(w)) {
            r->pkg_runtime = true;
        } else if (r->n->nargs && !(r->n->flags & DF_N_JSON)) {
            r->drop = ms_grow(r->drop, r->ndrop, &r->capdrop, 2 * sizeof *r->drop);
            r->drop[2 * r->ndrop] = r->n->args[0].off + r->c->words[i].off;
            r->drop[2 * r->ndrop++ + 1] = r->c->words[i].len;
        }
    }
    return true;
}

static bool user_command(run *r, df_slice prog)
{
    if (ms_is_str(prog, "useradd") || ms_is_str(prog, "adduser") || ms_is_str(prog, "groupadd") ||
        ms_is_str(prog, "addgroup")) {
        r->users = true;
        r->cls = 'u';
        return true;
    }
    return false;
}

/* Commands with no effect on files. */
static bool inert_command(df_slice prog)
{
    static const char *const inert[] = {
        "true", ":", "echo", "printf", "ls", "pwd", "cat", "which", "uname", "id", "whoami",
        "sleep", "date", "test", "[", "sha256sum", "sha1sum", "md5sum", "du", "df", "tree",
        "file", "ldd", "head", "tail", "wc", "grep", "nproc", "rm", "env",
    };
    for (size_t i = 0; i < sizeof inert / sizeof *inert; i++)
        if (ms_is_str(prog, inert[i]))
            return true;
    return false;
}

/* ---- the ecosystems ---- */

static bool go_command(run *r)
{
    const char *sub = word(r, r->p + 1);
    ms *m = r->m;
    if (!sub)
        return ms_refuse(m, r->n, "line %zu: `go` with an unknown subcommand", r->n->line);
    if (strcmp(sub, "build") == 0) {
        bool present;
        const char *out = option(r, "-o", NULL, &present);
        if (m->why)
            return false;
        if (!present)
            return ms_refuse(m, r->n, "line %zu: `go build` without -o: the binary's name comes "
                          "from the module, which the Dockerfile does not show", r->n->line);
        if (!project(r))
            return false;
        for (size_t i = r->p + 2; i < r->c->nwords; i++) {
            df_slice w = r->c->words[i].value;
            if (ms_is_str(w, "-race") || (slice_has_prefix(w, "-buildmode") &&
                                       !slice_has_prefix(w, "-buildmode=exe") &&
                                       !slice_has_prefix(w, "-buildmode=pie")))
                m->race = true;
        }
        ms_add_region(m, out, true, true);
        if (assigned(r, "CGO_ENABLED", "0"))
            m->cgo_off = true;
        set_eco(m, ECO_GO);
        r->build = true;
        return true;
    }
    if (strcmp(sub, "install") == 0 || strcmp(sub, "get") == 0) {
        m->tools_in_path = true;
        r->prep = true;
        return true;
    }
    static const char *const prep[] = {"mod", "vet", "test", "generate", "version", "env",
                                       "work", "fmt", "list", "clean"};
    for (size_t i = 0; i < sizeof prep / sizeof *prep; i++)
        if (strcmp(sub, prep[i]) == 0) {
            r->prep = true;
            return true;
        }
    return ms_refuse(m, r->n, "line %zu: `go %s` is not a step dfopt knows", r->n->line, sub);
}

static bool cargo_command(run *r)
{
    const char *sub = word(r, r->p + 1);
    ms *m = r->m;
    if (!sub)
        return ms_refuse(m, r->n, "line %zu: `cargo` with an unknown subcommand", r->n->line);
    if (strcmp(sub, "build") == 0) {
        if (!project(r))
            return false;
        bool present;
        const char *dir = option(r, "--target-dir", NULL, &present);
        const char *env = ms_var_value(m, "CARGO_TARGET_DIR");
        if (!dir && env)
            dir = ms_path_join(m->a, r->cwd, slice_from(env));
        if (!dir)
            dir = ms_path_join(m->a, r->cwd, SLICE("target"));
        df_buf b = {0};
        buf_puts(&b, dir);
        for (size_t i = r->p + 2; i < r->c->nwords; i++)
            if (word_is(r, i, "--target") && i + 1 < r->c->nwords) {
                const char *t = word(r, i + 1);
                if (!t)
                    return ms_refuse(m, r->n, "line %zu: --target holds an unknown variable",
                                  r->n->line);
                buf_printf(&b, "/%s", t);
            }
        buf_puts(&b, has_word(r, "--release") || has_word(r, "-r") ? "/release" : "/debug");
        if (m->why)
            return false;
        ms_add_region(m, arena_strndup(m->a, b.p, b.len), false, true);
        buf_free(&b);
        set_eco(m, ECO_RUST);
        r->build = true;
        return true;
    }
    if (strcmp(sub, "install") == 0) {
        bool present;
        const char *root = option(r, "--root", NULL, &present);
        if (m->why)
            return false;
        if (!root && has_word(r, "--path"))
            return ms_refuse(m, r->n, "line %zu: `cargo install --path` without --root installs "
                          "into CARGO_HOME/bin, which the Dockerfile does not set", r->n->line);
        if (!root) {
            m->tools_in_path = true; /* into CARGO_HOME/bin */
            r->prep = true;
            return true;
        }
        ms_add_region(m, root, true, true);
        set_eco(m, ECO_RUST);
        r->build = true;
        return true;
    }
    static const char *const prep[] = {"fetch", "test", "check", "clippy", "fmt", "version",
                                       "--version", "vendor", "generate-lockfile", "update"};
    for (size_t i = 0; i < sizeof prep / sizeof *prep; i++)
        if (strcmp(sub, prep[i]) == 0) {
            r->prep = true;
            return true;
        }
    return ms_refuse(m, r->n, "line %zu: `cargo %s` is not a step dfopt knows", r->n->line, sub);
}

/* The first non-option word after the program, and its index. */
static const char *subcommand(run *r, size_t *at)
{
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (w.n && w.p[0] == '-')
            continue;
        *at = i;
        return word(r, i);
    }
    *at = r->c->nwords;
    return NULL;
}

static bool script_name_ok(const char *s, bool *build)
{
    *build = ms_has_prefix_str(s, "build");
    return *build || ms_has_prefix_str(s, "test") || ms_has_prefix_str(s, "lint") ||
           ms_has_prefix_str(s, "check") || ms_has_prefix_str(s, "typecheck") ||
           ms_has_prefix_str(s, "format:check");
}

static bool node_command(run *r, char pm)
{
    ms *m = r->m;
    size_t at;
    const char *sub = subcommand(r, &at);
    bool global = has_word(r, "-g") || has_word(r, "--global") ||
                  (sub && strcmp(sub, "global") == 0);
    if (global) {
        m->tools_in_path = true;
        r->prep = true;
        return true;
    }
    const char *script = NULL;
    if (sub && (strcmp(sub, "run") == 0 || strcmp(sub, "run-script") == 0)) {
        size_t at2;
        r->p = at; /* the script name is the next non-option word */
        script = subcommand(r, &at2);
        if (!script)
            return ms_refuse(m, r->n, "line %zu: `run` without a script name", r->n->line);
    } else if (sub && pm != 'n' && strcmp(sub, "install") && strcmp(sub, "add") &&
               strcmp(sub, "i") && strcmp(sub, "fetch") && strcmp(sub, "prune") &&
               strcmp(sub, "config") && strcmp(sub, "cache") && strcmp(sub, "audit") &&
               strcmp(sub, "remove")) {
        script = sub; /* yarn build, pnpm build */
    }
    if (script) {
        bool build;
        if (!script_name_ok(script, &build))
            return ms_refuse(m, r->n, "line %zu: the package script `%s` may do anything",
                          r->n->line, script);
        if (!project(r))
            return false;
        if (build) {
            if (!m->node_pm)
                return ms_refuse(m, r->n, "line %zu: the Node build runs before any dependency "
                              "install", r->n->line);
            set_eco(m, ECO_NODE);
            m->node_project = r->cwd;
            r->build = true;
        } else {
            r->prep = true;
        }
        return true;
    }
    if (!sub || strcmp(sub, "ci") == 0 || strcmp(sub, "install") == 0 ||
        strcmp(sub, "i") == 0 || strcmp(sub, "add") == 0 || strcmp(sub, "fetch") == 0) {
        if (pm == 'n' && !sub)
            return ms_refuse(m, r->n, "line %zu: `npm` without a command", r->n->line);
        if (!project(r))
            return false;
        m->node_pm = pm;
        r->prep = true;
        return true;
    }
    static const char *const prep[] = {"test", "prune", "config", "cache", "audit", "version",
                                       "--version", "-v", "remove", "ls", "list"};
    for (size_t i = 0; i < sizeof prep / sizeof *prep; i++)
        if (strcmp(sub, prep[i]) == 0) {
            r->prep = true;
            return true;
        }
    return ms_refuse(m, r->n, "line %zu: `%s %s` is not a step dfopt knows", r->n->line,
                  pm == 'n' ? "npm" : pm == 'y' ? "yarn" : "pnpm", sub);
}

static bool java_command(run *r, bool maven)
{
    ms *m = r->m;
    bool build = false;
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (ms_is_str(w, "-f") || ms_is_str(w, "--file") || ms_is_str(w, "-p") ||
            ms_is_str(w, "--project-dir") || slice_has_prefix(w, "--file=") ||
            slice_has_prefix(w, "--project-dir="))
            return ms_refuse(m, r->n, "line %zu: the build names another project directory",
                          r->n->line);
        if (ms_is_str(w, "-s") || ms_is_str(w, "--settings") || ms_is_str(w, "-P") || ms_is_str(w, "-pl") ||
            ms_is_str(w, "--projects") || ms_is_str(w, "-T") || ms_is_str(w, "-x") ||
            ms_is_str(w, "--exclude-task") || ms_is_str(w, "-gs")) {
            i++;
            continue;
        }
        if (w.n && w.p[0] == '-')
            continue;
        if (maven ? ms_is_str(w, "package") || ms_is_str(w, "install") || ms_is_str(w, "verify")
                  : ms_is_str(w, "build") || ms_is_str(w, "assemble") || ms_is_str(w, "bootJar") ||
                        ms_is_str(w, "jar") || ms_is_str(w, "shadowJar"))
            build = true;
    }
    if (!project(r))
        return false;
    if (build) {
        set_eco(m, ECO_JAVA);
        r->build = true;
    } else {
        r->prep = true;
    }
    return true;
}

static bool dotnet_command(run *r)
{
    ms *m = r->m;
    const char *sub = word(r, r->p + 1);
    if (!sub)
        return ms_refuse(m, r->n, "line %zu: `dotnet` with an unknown subcommand", r->n->line);
    if (strcmp(sub, "publish") == 0) {
        bool present;
        const char *out = option(r, "-o", "--output", &present);
        if (m->why)
            return false;
        if (!out)
            return ms_refuse(m, r->n, "line %zu: `dotnet publish` without -o: the output "
                          "directory is not named", r->n->line);
        if (!project(r))
            return false;
        ms_add_region(m, out, true, true);
        set_eco(m, ECO_DOTNET);
        r->build = true;
        return true;
    }
    if (strcmp(sub, "tool") == 0 && (has_word(r, "-g") || has_word(r, "--global"))) {
        m->tools_in_path = true;
        r->prep = true;
        return true;
    }
    static const char *const prep[] = {"restore", "build", "test", "tool", "--info",
                                       "--version", "nuget", "workload", "dev-certs"};
    for (size_t i = 0; i < sizeof prep / sizeof *prep; i++)
        if (strcmp(sub, prep[i]) == 0) {
            r->prep = true;
            return project(r);
        }
    return ms_refuse(m, r->n, "line %zu: `dotnet %s` is not a step dfopt knows", r->n->line, sub);
}

/* A dedicated install prefix: not a directory the base image shares. */
static bool dedicated(const char *p)
{
    static const char *const shared[] = {"/", "/usr", "/usr/local", "/opt", "/etc", "/var",
                                         "/srv", "/home", "/root", "/tmp", "/bin", "/sbin",
                                         "/lib", "/lib64", "/usr/lib", "/usr/bin", "/app"};
    for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
        if (strcmp(p, shared[i]) == 0)
            return false;
    return true;
}

static bool install_into(run *r, const char *prefix)
{
    ms *m = r->m;
    if (!prefix)
        prefix = m->prefix;
    if (!prefix)
        return ms_refuse(m, r->n, "line %zu: `install` into the default prefix /usr/local, "
                      "which the base image shares: the installed files are not known",
                      r->n->line);
    if (!dedicated(prefix))
        return ms_refuse(m, r->n, "line %zu: `install` into %s, which the base image shares: "
                      "the installed files are not known", r->n->line, prefix);
    ms_add_region(m, prefix, true, true);
    set_eco(m, ECO_C);
    r->build = true;
    return true;
}

static bool make_command(run *r)
{
    ms *m = r->m;
    const char *dir = r->cwd;
    const char *prefix = NULL;
    bool install = false;
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (ms_is_str(w, "-C") && i + 1 < r->c->nwords) {
            dir = path_arg(r, ++i);
            if (!dir)
                return false;
        } else if (slice_has_prefix(w, "DESTDIR=")) {
            return ms_refuse(m, r->n, "line %zu: DESTDIR installs are not followed",
                          r->n->line);
        } else if (slice_has_prefix(w, "PREFIX=") || slice_has_prefix(w, "prefix=")) {
            const char *v = word(r, i);
            if (!v || !(prefix = ms_path_join(m->a, r->cwd, slice_from(v + 7))))
                return ms_refuse(m, r->n, "line %zu: the install prefix is not known",
                              r->n->line);
        } else if (ms_is_str(w, "install")) {
            install = true;
        }
    }
    const char *saved = r->cwd;
    r->cwd = dir;
    bool ok = project(r);
    r->cwd = saved;
    if (!ok)
        return false;
    if (install)
        return install_into(r, prefix);
    ms_add_region(m, dir, false, true);
    set_eco(m, ECO_C);
    r->build = true;
    return true;
}

static bool cmake_command(run *r)
{
    ms *m = r->m;
    bool present;
    if (has_word(r, "--build")) {
        const char *dir = option(r, "--build", NULL, &present);
        if (!dir || !project(r))
            return false;
        ms_add_region(m, dir, false, true);
        set_eco(m, ECO_C);
        r->build = true;
        return true;
    }
    if (has_word(r, "--install")) {
        const char *prefix = option(r, "--prefix", NULL, &present);
        if (m->why || !project(r))
            return false;
        return install_into(r, prefix);
    }
    /* configure: remember the install prefix */
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (slice_has_prefix(w, "-DCMAKE_INSTALL_PREFIX=")) {
            const char *v = word(r, i);
            const char *eq = v ? strchr(v, '=') : NULL;
            if (!eq || !(m->prefix = ms_path_join(m->a, r->cwd, slice_from(eq + 1))))
                return ms_refuse(m, r->n, "line %zu: CMAKE_INSTALL_PREFIX is not known",
                              r->n->line);
        }
    }
    r->prep = true;
    return project(r);
}

static bool configure_command(run *r)
{
    bool present;
    const char *prefix = option(r, "--prefix", NULL, &present);
    if (r->m->why)
        return false;
    if (prefix)
        r->m->prefix = prefix;
    r->prep = true;
    return project(r);
}

/* The venv whose bin/ comes first in PATH, or NULL. */
static const char *venv_on_path(ms *m)
{
    for (size_t i = 0; i < m->nregions; i++)
        if (m->regions[i].whole &&
            ms_on_env_path(m, ms_path_join(m->a, m->regions[i].path, SLICE("bin"))))
            return m->regions[i].path;
    return NULL;
}

static bool python_command(run *r, const char *prog, bool module_pip)
{
    ms *m = r->m;
    /* python -m venv DIR, virtualenv DIR */
    if (!module_pip) {
        size_t at = r->p + 1;
        bool venv = strcmp(ms_base_name(prog), "virtualenv") == 0;
        if (!venv && word_is(r, at, "-m") && (word_is(r, at + 1, "venv") ||
                                             word_is(r, at + 1, "virtualenv"))) {
            venv = true;
            at += 2;
        }
        if (!venv)
            return false;
        while (at < r->c->nwords && r->c->words[at].value.n &&
               r->c->words[at].value.p[0] == '-')
            at++;
        const char *dir = path_arg(r, at);
        if (!dir)
            return false;
        ms_add_region(m, dir, true, true);
        r->prep = true;
        return true;
    }
    /* pip */
    size_t at;
    r->p += strcmp(ms_base_name(prog), "pip") && strcmp(ms_base_name(prog), "pip3") ? 2 : 0;
    const char *sub = subcommand(r, &at);
    if (!sub)
        return ms_refuse(m, r->n, "line %zu: `pip` without a command", r->n->line);
    if (strcmp(sub, "wheel") == 0 || strcmp(sub, "download") == 0 ||
        strcmp(sub, "--version") == 0 || strcmp(sub, "list") == 0 || strcmp(sub, "check") == 0 ||
        strcmp(sub, "config") == 0 || strcmp(sub, "cache") == 0) {
        r->prep = true;
        return project(r);
    }
    if (strcmp(sub, "install") != 0)
        return ms_refuse(m, r->n, "line %zu: `pip %s` is not a step dfopt knows", r->n->line, sub);
    bool present;
    const char *target = option(r, "--prefix", NULL, &present);
    if (!target && !m->why)
        target = option(r, "--target", "-t", &present);
    if (m->why)
        return false;
    if (!target && has_word(r, "--user")) {
        if (m->user.n && !ms_is_str(m->user, "root") && !ms_is_str(m->user, "0"))
            return ms_refuse(m, r->n, "line %zu: `pip install --user` as USER " SLICE_FMT,
                          r->n->line, SLICE_ARG(m->user));
        target = "/root/.local";
    }
    if (!target) {
        /* into the venv its path names, or the one first in PATH */
        const region *v = prog[0] == '/' ? ms_region_of(m, prog) : NULL;
        if (v && v->whole)
            target = v->path;
        else if (prog[0] != '/')
            target = venv_on_path(m);
    }
    if (!target) {
        /* upgrading the installer itself changes nothing the program uses */
        bool only_tools = true;
        for (size_t i = at + 1; i < r->c->nwords; i++) {
            df_slice w = r->c->words[i].value;
            if (w.n && w.p[0] == '-')
                continue;
            only_tools &= ms_is_str(w, "pip") || ms_is_str(w, "setuptools") || ms_is_str(w, "wheel");
        }
        if (only_tools) {
            r->prep = true;
            return true;
        }
        return ms_refuse(m, r->n, "line %zu: pip installs into the system site-packages, which "
                      "the base image shares: use a virtualenv, --prefix or --target",
                      r->n->line);
    }
    for (size_t i = at + 1; i < r->c->nwords; i++)
        if (word_is(r, i, "-e") || word_is(r, i, "--editable"))
            return ms_refuse(m, r->n, "line %zu: an editable install points into the source tree",
                          r->n->line);
    ms_add_region(m, target, true, true);
    set_eco(m, ECO_PYTHON);
    r->build = true;
    return project(r);
}

/* cp, mv, install, ln: build outputs moved to a new place, which becomes an output. */
static bool move_command(run *r, df_slice prog)
{
    ms *m = r->m;
    bool is_install = ms_is_str(prog, "install");
    const char **srcs = arena_alloc(m->a, r->c->nwords * sizeof *srcs);
    size_t nsrc = 0;
    const char *dest = NULL, *tdir = NULL;
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (w.n && w.p[0] == '-') {
            if (ms_is_str(w, "-t") || ms_is_str(w, "--target-directory")) {
                if (!(tdir = path_arg(r, ++i)))
                    return false;
            } else if (is_install && (ms_is_str(w, "-m") || ms_is_str(w, "-o") || ms_is_str(w, "-g"))) {
                i++;
            } else if (is_install && ms_is_str(w, "-d")) {
                return ms_refuse(m, r->n, "line %zu: `install -d` creates directories the "
                              "runtime may need", r->n->line);
            }
            continue;
        }
        const char *p = path_arg(r, i);
        if (!p)
            return false;
        srcs[nsrc++] = p;
    }
    if (!tdir) {
        if (nsrc < 2)
            return ms_refuse(m, r->n, "line %zu: `" SLICE_FMT "` without a destination",
                          r->n->line, SLICE_ARG(prog));
        dest = srcs[--nsrc];
    }
    static const char *const dirs[] = {"/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin",
                                       "/usr/sbin", "/sbin", "/usr/local/lib", "/usr/lib",
                                       "/opt", "/srv"};
    bool into_dir = tdir || nsrc > 1;
    if (dest) {
        df_slice last = r->c->words[r->c->nwords - 1].value;
        into_dir |= last.n && last.p[last.n - 1] == '/';
        for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
            into_dir |= strcmp(dest, dirs[i]) == 0;
        for (size_t i = 0; i < m->nregions; i++)
            into_dir |= strcmp(dest, m->regions[i].path) == 0 && !m->regions[i].whole;
    }
    const char *dir = tdir ? tdir : dest;
    for (size_t i = 0; i < nsrc; i++) {
        if (!ms_region_of(m, srcs[i]))
            return ms_refuse(m, r->n, "line %zu: `" SLICE_FMT "` copies %s, which the build did "
                          "not produce", r->n->line, SLICE_ARG(prog), srcs[i]);
        const char *to = into_dir ? ms_path_join(m->a, dir, slice_from(ms_base_name(srcs[i]))) : dest;
        if (!ms_region_of(m, to) || !ms_region_of(m, to)->whole)
            ms_add_region(m, to, true, true);
    }
    r->build = true;
    return true;
}

/* rm of package manager caches and lists only (repeated with the package installs). */
static bool cleanup(run *r)
{
    static const char *const dirs[] = {"/var/lib/apt/lists", "/var/cache", "/var/log", "/tmp"};
    size_t paths = 0;
    for (size_t i = r->p + 1; i < r->c->nwords; i++) {
        df_slice w = r->c->words[i].value;
        if (w.n && w.p[0] == '-')
            continue;
        bool ok = false;
        for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
            size_t n = strlen(dirs[k]);
            ok |= w.n >= n && memcmp(w.p, dirs[k], n) == 0 && (w.n == n || w.p[n] == '/');
        }
        if (!ok)
            return false;
        paths++;
    }
    return paths > 0;
}

/* One simple command of a RUN. */
static bool command(run *r)
{
    ms *m = r->m;
    sh_cmd *c = r->c;
    r->p = sh_program(c);
    if (r->p >= c->nwords) {
        /* NAME=value alone: a shell variable for what follows */
        return true;
    }
    if (!c->words[r->p].literal)
        return ms_refuse(m, r->n, "line %zu: the program name holds a variable", r->n->line);
    df_slice prog = c->words[r->p].value;
    const char *progs = arena_strndup(m->a, prog.p, prog.n);
    const char *base = ms_base_name(progs);
    df_slice bs = slice_from(base);
    if (ms_is_str(prog, "cd")) {
        const char *d = path_arg(r, r->p + 1);
        if (!d)
            return false;
        r->cwd = d;
        return true;
    }
    if (ms_is_str(prog, "set") || ms_is_str(prog, "export")) {
        for (size_t i = r->p + 1; i < c->nwords; i++) {
            df_slice w = c->words[i].value;
            const char *eq = memchr(w.p, '=', w.n);
            if (ms_is_str(prog, "set") ? !(w.n && (w.p[0] == '-' || w.p[0] == '+')) &&
                                          !ms_is_str(w, "pipefail")
                                    : !eq)
                return ms_refuse(m, r->n, "line %zu: `" SLICE_FMT "` changes the shell in a way "
                              "dfopt does not follow", r->n->line, SLICE_ARG(prog));
            if (eq) {
                const char *v = word(r, i);
                const char *veq = v ? strchr(v, '=') : NULL;
                ms_set_var(m, (df_slice){w.p, (size_t)(eq - w.p)},
                        veq ? slice_from(veq + 1) : (df_slice){"", 0}, veq != NULL);
            }
        }
        return true;
    }
    if (package_command(r, prog) || user_command(r, prog))
        return true;
    if (ms_is_str(prog, "mkdir") || ms_is_str(prog, "chmod") || ms_is_str(prog, "chown") ||
        ms_is_str(prog, "strip") || ms_is_str(prog, "touch")) {
        bool first = !ms_is_str(prog, "mkdir") && !ms_is_str(prog, "strip") && !ms_is_str(prog, "touch");
        for (size_t i = r->p + 1; i < c->nwords; i++) {
            df_slice w = c->words[i].value;
            if (w.n && w.p[0] == '-')
                continue;
            if (first) { /* the mode or owner */
                first = false;
                continue;
            }
            const char *p = path_arg(r, i);
            if (!p)
                return false;
            ms_add_check(m, p, r->n);
        }
        r->prep = true;
        return true;
    }
    if (inert_command(prog)) {
        if (ms_is_str(prog, "rm"))
            r->cls = cleanup(r) ? 'r' : 0;
        return true;
    }
    if (ms_is_str(prog, "cp") || ms_is_str(prog, "mv") || ms_is_str(prog, "install") ||
        ms_is_str(prog, "ln"))
        return move_command(r, prog);
    if (ms_is_str(prog, "go"))
        return go_command(r);
    if (ms_is_str(prog, "cargo"))
        return cargo_command(r);
    if (ms_is_str(prog, "npm"))
        return node_command(r, 'n');
    if (ms_is_str(prog, "yarn"))
        return node_command(r, 'y');
    if (ms_is_str(prog, "pnpm"))
        return node_command(r, 'p');
    if (ms_is_str(prog, "corepack") || ms_is_str(prog, "npx")) {
        if (ms_is_str(prog, "corepack"))
            m->tools_in_path = true;
        r->prep = true;
        return project(r);
    }
    if (ms_is_str(bs, "mvn") || ms_is_str(bs, "mvnw"))
        return java_command(r, true);
    if (ms_is_str(bs, "gradle") || ms_is_str(bs, "gradlew"))
        return java_command(r, false);
    if (ms_is_str(prog, "dotnet"))
        return dotnet_command(r);
    if (ms_is_str(prog, "make") || ms_is_str(prog, "gmake"))
        return make_command(r);
    if (ms_is_str(prog, "ninja")) {
        bool install = has_word(r, "install");
        if (!project(r))
            return false;
        if (install)
            return install_into(r, NULL);
        ms_add_region(m, r->cwd, false, true);
        set_eco(m, ECO_C);
        r->build = true;
        return true;
    }
    if (ms_is_str(prog, "cmake"))
        return cmake_command(r);
    if (ms_is_str(bs, "configure"))
        return configure_command(r);
    if (ms_is_str(prog, "autoreconf") || ms_is_str(bs, "autogen.sh") || ms_is_str(prog, "aclocal") ||
        ms_is_str(prog, "automake") || ms_is_str(prog, "autoconf")) {
        r->prep = true;
        return project(r);
    }
    if (ms_is_str(bs, "pip") || ms_is_str(bs, "pip3"))
        return python_command(r, progs, true);
    if (ms_has_prefix_str(base, "python") || ms_is_str(bs, "virtualenv")) {
        if (word_is(r, r->p + 1, "-m") && (word_is(r, r->p + 2, "pip")))
            return python_command(r, progs, true);
        if (python_command(r, progs, false))
            return true;
        if (m->why)
            return false;
    }
    return ms_refuse(m, r->n, "line %zu: RUN runs `%s`, whose effect on the image dfopt cannot "
                  "determine", r->n->line, progs);
}

/* Are the output redirections of [from, to) of the script only to /dev/null or a descriptor? */
static bool redirects_ok(df_slice s, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < s.n; i++) {
        if (s.p[i] != '>')
            continue;
        size_t k = i + 1;
        if (k < s.n && s.p[k] == '>')
            k++;
        while (k < s.n && (s.p[k] == ' ' || s.p[k] == '\t'))
            k++;
        if (k < s.n && s.p[k] == '&')
            continue;
        if (s.n - k < 9 || memcmp(s.p + k, "/dev/null", 9) != 0)
            return false;
    }
    return true;
}

bool ms_scan_run(ms *m, df_node *n, item *it)
{
    if (n->nheredocs)
        return ms_refuse(m, n, "line %zu: a RUN with a heredoc is not followed", n->line);
    df_slice v;
    if (node_flag(n, "mount", &v)) {
        /* cache and secret mounts are build-time only; a bind from a stage or image is not */
        for (size_t i = 0; i < n->nbflags; i++)
            if (slice_has_prefix(n->bflags[i].v, "--mount=") &&
                memmem(n->bflags[i].v.p, n->bflags[i].v.n, "from=", 5))
                return ms_refuse(m, n, "line %zu: RUN mounts another image", n->line);
    }
    run r = {.m = m, .n = n, .cwd = m->workdir};
    sh_script s;
    sh_cmd one;
    if (n->flags & DF_N_JSON) {
        memset(&one, 0, sizeof one);
        one.words = arena_alloc(m->a, (n->nargs + 1) * sizeof *one.words);
        for (size_t i = 0; i < n->nargs; i++)
            one.words[i] = (sh_word){0, 0, n->args[i].v, true, false};
        one.nwords = n->nargs;
        s = (sh_script){.cmds = &one, .ncmds = 1, .ok = true};
        r.script = (df_slice){"", 0};
    } else {
        r.script = n->nargs ? n->args[0].v : (df_slice){"", 0};
        sh_parse(m->a, r.script, &s);
        if (!s.ok)
            return ms_refuse(m, n, "line %zu: the RUN script cannot be read with certainty (%s)",
                          n->line, s.why);
        if (s.compound || s.background || s.heredoc)
            return ms_refuse(m, n, "line %zu: the RUN script has compound commands, a heredoc or "
                          "a background job", n->line);
    }
    it->pieces = arena_alloc(m->a, (s.ncmds + 1) * sizeof *it->pieces);
    it->ncmds = s.ncmds;
    for (size_t i = 0; i < s.ncmds; i++) {
        r.c = &s.cmds[i];
        size_t to = i + 1 < s.ncmds ? s.cmds[i + 1].off : r.script.n;
        bool ok = !r.c->nredirs || redirects_ok(r.script, r.c->off, to);
        if (r.c->op != SH_SEQ && r.c->op != SH_AND && r.c->op != SH_END)
            it->other_ops = true;
        if (!ok)
            ms_refuse(m, n, "line %zu: a command writes its output to a file", n->line);
        r.cls = 0;
        if (!ok || !command(&r)) {
            free(r.drop);
            return false;
        }
        if (r.cls)
            it->pieces[it->npieces++] = (struct piece){r.c->off, r.c->end, r.cls};
    }
    if (r.build || r.prep) {
        if (m->user.n && !ms_is_str(m->user, "root") && !ms_is_str(m->user, "0") &&
            !slice_has_prefix(m->user, "root:") && !slice_has_prefix(m->user, "0:"))
            m->build_nonroot = true;
    }
    it->k = r.build ? K_BUILD : r.prep ? K_PREP : r.pkg ? K_PKG : r.users ? K_USERS : K_PREP;
    it->pkg_runtime = r.pkg && r.pkg_runtime;
    if (r.ndrop) {
        it->drop = arena_alloc(m->a, 2 * r.ndrop * sizeof *it->drop);
        memcpy(it->drop, r.drop, 2 * r.ndrop * sizeof *it->drop);
        it->ndrop = r.ndrop;
    }
    free(r.drop);
    if (it->pkg_runtime)
        m->pkg_replay = true;
    return true;
}
