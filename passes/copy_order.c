/*
 * copy-order (-O2): dependency manifests first. A stage that copies the whole build context and
 * then installs dependencies becomes: copy only the manifests, install, copy the rest. Source
 * edits then no longer re-run the install.
 *
 *     COPY . .                      COPY package.json package-lock.json ./
 *     RUN npm ci            ==>     RUN npm ci
 *     RUN npm run build             COPY . .
 *                                   RUN npm run build
 *
 * Requires:   a parsed document with stages; the build context (doc_context), read through
 *             .dockerignore: the manifests must be seen to exist and to be all the install reads.
 * Guarantees: the install steps run on the same manifests in the same directory and produce the
 *             same dependencies; the later `COPY . .` then brings the same sources. The RUNs
 *             moved before the full copy consist only of recognised install commands and
 *             harmless ones (cache cleaning, package-manager installs, rm/mkdir of absolute paths
 *             outside the destination), run in the directory the context was copied to, and
 *             nothing the install writes there (node_modules, vendor, obj, .gradle, .venv, ...)
 *             exists in the context, so the second copy cannot overwrite it; an install that may
 *             rewrite a lockfile the context holds must be the frozen kind (npm ci, yarn
 *             --frozen-lockfile, pnpm --frozen-lockfile, bundle --frozen/--deployment, cargo
 *             --locked, pipenv --deploy, dotnet --locked-mode), or the second copy would put the
 *             old lockfile back. `go mod download` is assumed to leave a go.sum it was given
 *             as it is. It is -O2 because the install step no longer sees the other source
 *             files.
 * Ecosystems: npm (npm ci/install), yarn (v1), pnpm (install, fetch), pip (-r files, followed
 *             recursively), pipenv (--system), poetry (--no-root), Go (go mod download), Cargo
 *             (cargo fetch, with src/main.rs or src/lib.rs so the manifest has a target), Maven
 *             (dependency:go-offline/resolve, mvnw + .mvn), Gradle (dependencies, gradlew +
 *             gradle/), Bundler (bundle install), Composer (composer install), .NET (dotnet
 *             restore of a project at the context root).
 * Refuses:    when the install may need other sources: npm lifecycle scripts (unless
 *             --ignore-scripts), workspaces, file:/link:/workspace: dependencies, dependencies
 *             whose own install scripts read project files (prisma, @prisma/client, husky,
 *             patch-package, lefthook, simple-git-hooks, yorkie, pre-commit; a "prisma" key),
 *             yarn 2+ (.yarnrc.yml), pnpm workspaces or pnpmfiles; editable or local pip
 *             requirements (a path, a name the context holds, any archive extension such as
 *             .tgz or .tar.bz2), `pip install .`; poetry without --no-root or with path dependencies; go.mod local
 *             replaces, go.work, vendor/; Cargo workspaces or path dependencies, `cargo build`
 *             (the dummy-main trick can leave a stale binary); Maven modules, parents or system
 *             paths; Gradle subprojects, buildSrc, local files or script plugins; gemspec or
 *             path gems; Composer scripts or classmap autoloading without --no-scripts /
 *             --no-autoloader, path repositories; .NET project references, solutions or
 *             several projects. Also: no build context; a copy of anything but the whole context
 *             (`COPY . DEST` with only --chown/--chmod/--link); a destination that is not the
 *             install's working directory; anything else between the copy and the install (only
 *             ENV, ARG, LABEL, EXPOSE, USER, STOPSIGNAL, and WORKDIR for an absolute destination);
 *             redirections, cd or unknown commands in the install RUN; file names that would
 *             need quoting.
 */
#include "../compiler/internal.h"
#include "../compiler/context.h"
#include "../compiler/rewrite.h"

#include <string.h>

enum { MANIFEST_MAX = 4u << 20 };

typedef struct plan {
    df_doc *doc;
    const df_context *ctx;
    df_slice dest;          /* absolute directory the context is copied to */
    df_slice files[64];     /* manifests, context-relative; dirs[i] for directories */
    bool dirs[64];
    size_t n;
    bool node, composer, bundler_path, dotnet, gradle, poetry; /* their output directories */
    bool refused;
} plan;

static bool refuse(plan *p)
{
    p->refused = true;
    return false;
}

static bool has(const plan *p, const char *rel)
{
    return ctx_stat(p->ctx, slice_from(rel), NULL) != CTX_NONE;
}

static void add(plan *p, df_slice rel, bool dir)
{
    for (size_t i = 0; i < p->n; i++)
        if (slice_eq(p->files[i], rel))
            return;
    if (p->n == 64) {
        refuse(p);
        return;
    }
    p->dirs[p->n] = dir;
    p->files[p->n++] = rel;
}

/* Adds rel when it exists; a required one that is missing refuses. */
static bool want(plan *p, const char *rel, bool required)
{
    ctx_kind k = ctx_stat(p->ctx, slice_from(rel), NULL);
    if (k == CTX_FILE || k == CTX_DIR) {
        add(p, slice_from(rel), k == CTX_DIR);
        return true;
    }
    return required ? refuse(p) : true;
}

static df_slice read(plan *p, const char *rel)
{
    df_slice s = {NULL, 0};
    if (!ctx_read(p->ctx, &p->doc->arena, slice_from(rel), MANIFEST_MAX, &s))
        return (df_slice){NULL, 0};
    return s;
}

static bool contains(df_slice s, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= s.n; i++)
        if (memcmp(s.p + i, needle, k) == 0)
            return true;
    return false;
}

static bool word_has(const sh_cmd *c, size_t from, const char *w)
{
    for (size_t i = from; i < c->nwords; i++)
        if (sh_word_is(c, i, w))
            return true;
    return false;
}

/* Non-option words after index from (the subcommand and its operands). */
static size_t operands(const sh_cmd *c, size_t from, size_t *first)
{
    size_t n = 0;
    *first = c->nwords;
    for (size_t i = from; i < c->nwords; i++) {
        df_slice v = c->words[i].value;
        if (v.n && v.p[0] == '-')
            continue;
        if (n++ == 0)
            *first = i;
    }
    return n;
}

static bool is_url(df_slice v)
{
    return contains(v, "://");
}

/* ---- package.json ---- */

/* A small scan of JSON: the top-level keys, the keys inside "scripts", and every string
 * value. Refuses what makes an npm-style install read other files. */
static bool package_json_ok(plan *p, bool scripts_run)
{
    static const char *const lifecycle[] = {"preinstall", "install", "postinstall", "prepublish",
                                            "preprepare", "prepare", "postprepare",
                                            "dependencies", NULL};
    static const char *const local[] = {"file:", "link:", "workspace:", "portal:", "patch:",
                                        "git+file:", "./", "../", "/", "~/", NULL};
    /* dependencies whose own install scripts read the project's files (schema.prisma,
     * patches/, .git hooks config): the install needs more than the manifests */
    static const char *const readers[] = {"prisma", "@prisma/client", "@prisma/engines",
                                          "husky", "patch-package", "lefthook",
                                          "simple-git-hooks", "yorkie", "pre-commit", NULL};
    df_slice s = read(p, "package.json");
    if (!s.p)
        return refuse(p);
    int depth = 0;
    df_slice top = {NULL, 0};
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        if (c != '"')
            continue;
        size_t start = ++i;
        while (i < s.n && s.p[i] != '"')
            i += s.p[i] == '\\' ? 2 : 1;
        if (i >= s.n)
            return refuse(p);
        df_slice str = {s.p + start, i - start};
        size_t j = i + 1;
        while (j < s.n && strchr(" \t\r\n", s.p[j]))
            j++;
        bool key = j < s.n && s.p[j] == ':';
        if (key && depth == 1) {
            top = str;
            if (slice_eq_str(str, "workspaces") || slice_eq_str(str, "patchedDependencies") ||
                slice_eq_str(str, "pnpm") || (slice_eq_str(str, "prisma") && scripts_run))
                return refuse(p);
        } else if (key && depth == 2 && scripts_run && rw_ends_with(top, "ependencies")) {
            for (size_t k = 0; readers[k]; k++)
                if (slice_eq_str(str, readers[k]))
                    return refuse(p);
        } else if (key && depth == 2 && slice_eq_str(top, "scripts") && scripts_run) {
            for (size_t k = 0; lifecycle[k]; k++)
                if (slice_eq_str(str, lifecycle[k]))
                    return refuse(p);
        } else if (!key) {
            for (size_t k = 0; local[k]; k++)
                if (slice_has_prefix(str, local[k]))
                    return refuse(p);
        }
    }
    return true;
}

/* ---- the ecosystems ---- */

static bool no_paths(const sh_cmd *c, size_t from)
{
    for (size_t i = from; i < c->nwords; i++) {
        if (!c->words[i].literal || c->words[i].glob)
            return false;
        df_slice v = c->words[i].value;
        if (memchr(v.p, '/', v.n) && !is_url(v))
            return false;
    }
    return true;
}

static bool node_modules_ok(plan *p)
{
    p->node = true;
    return want(p, ".npmrc", false);
}

static int npm(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (!no_paths(c, i + 1))
        return refuse(p), -1;
    if (nops == 0)
        return refuse(p), -1;
    df_slice sub = c->words[first].value;
    bool global = word_has(c, i + 1, "-g") || word_has(c, i + 1, "--global");
    if (slice_eq_str(sub, "config")) {
        for (size_t k = i + 1; k < c->nwords; k++)
            if (contains(c->words[k].value, "project"))
                return refuse(p), -1; /* writes ./.npmrc */
        return 0;
    }
    if (slice_eq_str(sub, "cache"))
        return 0;
    if ((slice_eq_str(sub, "install") || slice_eq_str(sub, "i")) && global)
        return want(p, ".npmrc", false) ? 0 : -1;
    if (!(slice_eq_str(sub, "ci") || ((slice_eq_str(sub, "install") || slice_eq_str(sub, "i")) &&
                                      nops == 1)))
        return refuse(p), -1;
    /* npm install may rewrite the lockfile, which the later full copy would undo */
    if (!slice_eq_str(sub, "ci") && (has(p, "package-lock.json") || has(p, "npm-shrinkwrap.json")))
        return refuse(p), -1;
    bool scripts = !word_has(c, i + 1, "--ignore-scripts");
    if (!want(p, "package.json", true) || !package_json_ok(p, scripts) ||
        !want(p, "package-lock.json", false) || !want(p, "npm-shrinkwrap.json", false) ||
        !node_modules_ok(p))
        return -1;
    return 1;
}

static int yarn(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (!no_paths(c, i + 1))
        return refuse(p), -1;
    df_slice sub = nops ? c->words[first].value : SLICE("install");
    if (slice_eq_str(sub, "cache") || slice_eq_str(sub, "config") ||
        (slice_eq_str(sub, "global") && nops >= 2))
        return want(p, ".yarnrc", false) && want(p, ".npmrc", false) ? 0 : -1; /* read from . */
    if (!slice_eq_str(sub, "install") || nops > 1)
        return refuse(p), -1;
    if (has(p, ".yarnrc.yml") || has(p, ".pnp.cjs"))
        return refuse(p), -1;
    if (has(p, "yarn.lock") && !word_has(c, i + 1, "--frozen-lockfile") &&
        !word_has(c, i + 1, "--pure-lockfile") && !word_has(c, i + 1, "--immutable"))
        return refuse(p), -1; /* it may rewrite yarn.lock */
    bool scripts = !word_has(c, i + 1, "--ignore-scripts");
    if (!want(p, "package.json", true) || !package_json_ok(p, scripts) ||
        !want(p, "yarn.lock", false) || !want(p, ".yarnrc", false) || !node_modules_ok(p))
        return -1;
    return 1;
}

static int pnpm(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (!no_paths(c, i + 1) || nops == 0)
        return refuse(p), -1;
    df_slice sub = c->words[first].value;
    bool global = word_has(c, i + 1, "-g") || word_has(c, i + 1, "--global");
    if (slice_eq_str(sub, "store") || ((slice_eq_str(sub, "add") ||
                                        slice_eq_str(sub, "install")) && global))
        return want(p, ".npmrc", false) ? 0 : -1; /* read from . */
    bool fetch = slice_eq_str(sub, "fetch");
    if (!(fetch || slice_eq_str(sub, "install") || slice_eq_str(sub, "i")) || nops > 1)
        return refuse(p), -1;
    if (has(p, "pnpm-workspace.yaml") || has(p, ".pnpmfile.cjs"))
        return refuse(p), -1;
    if (!fetch && has(p, "pnpm-lock.yaml") && !word_has(c, i + 1, "--frozen-lockfile"))
        return refuse(p), -1; /* it may rewrite pnpm-lock.yaml */
    bool scripts = !fetch && !word_has(c, i + 1, "--ignore-scripts");
    if (!want(p, "package.json", !fetch) ||
        (has(p, "package.json") && !package_json_ok(p, scripts)) ||
        !want(p, "pnpm-lock.yaml", fetch) || !node_modules_ok(p))
        return -1;
    return 1;
}

/* Could a requirement name a local path rather than a package index name: a directory or an
 * archive (pip installs `pkg.tgz`, `x.tar.bz2`, `dist/x.whl` from files), or anything the
 * build context holds under that name (relative to the working directory or to the
 * requirements file's directory dir, "/"-rooted)? */
static bool local_requirement(plan *p, df_slice dir, df_slice name)
{
    static const char *const archives[] = {".whl", ".zip", ".tar", ".tgz", ".tbz", ".tbz2",
                                           ".txz", ".tlz", ".tzst", ".gz", ".bz2", ".xz",
                                           ".lz", ".lzma", ".zst", ".egg", ".7z", NULL};
    if (!name.n || memchr(name.p, '/', name.n) || memchr(name.p, '\\', name.n) ||
        name.p[0] == '.' || name.p[0] == '~')
        return true;
    for (size_t i = 0; archives[i]; i++) {
        size_t k = strlen(archives[i]);
        if (name.n >= k) {
            bool eq = true;
            for (size_t j = 0; j < k && eq; j++)
                eq = (name.p[name.n - k + j] | 0x20) == archives[i][j];
            if (eq)
                return true;
        }
    }
    if (ctx_stat(p->ctx, ctx_clean(&p->doc->arena, name), NULL) != CTX_NONE)
        return true;
    df_slice joined = rw_path_join(&p->doc->arena, dir, name);
    return ctx_stat(p->ctx, ctx_clean(&p->doc->arena, joined), NULL) != CTX_NONE;
}

/* A requirements file and those it includes (-r/-c), relative to its directory. */
static bool requirements(plan *p, df_slice rel, int depth)
{
    if (depth > 8)
        return refuse(p);
    df_slice clean = ctx_clean(&p->doc->arena, rel);
    if (ctx_stat(p->ctx, clean, NULL) != CTX_FILE)
        return refuse(p);
    add(p, clean, false);
    df_slice s;
    if (!ctx_read(p->ctx, &p->doc->arena, clean, MANIFEST_MAX, &s))
        return refuse(p);
    df_slice dir = rw_path_dir(rw_path_join(&p->doc->arena, SLICE("/"), clean));
    for (size_t i = 0; i < s.n;) {
        size_t e = i;
        while (e < s.n && s.p[e] != '\n')
            e++;
        df_slice line = {s.p + i, e - i};
        i = e + 1;
        for (size_t k = 0; k < line.n; k++)
            if (line.p[k] == '#' && (k == 0 || line.p[k - 1] == ' ' || line.p[k - 1] == '\t')) {
                line.n = k;
                break;
            }
        while (line.n && strchr(" \t\r", line.p[0]))
            line.p++, line.n--;
        while (line.n && strchr(" \t\r\\", line.p[line.n - 1]))
            line.n--;
        if (!line.n)
            continue;
        bool include = slice_has_prefix(line, "-r") || slice_has_prefix(line, "-c") ||
                       slice_has_prefix(line, "--requirement") ||
                       slice_has_prefix(line, "--constraint");
        if (include) {
            size_t k = 2;
            while (k < line.n && line.p[k] != ' ' && line.p[k] != '=' && line.p[k] != '\t' &&
                   line.p[1] == '-')
                k++;
            while (k < line.n && strchr(" \t=", line.p[k]))
                k++;
            df_slice target = {line.p + k, line.n - k};
            if (!target.n || is_url(target) || memchr(target.p, '$', target.n))
                return refuse(p);
            df_slice joined = rw_path_join(&p->doc->arena, dir, target);
            if (!requirements(p, (df_slice){joined.p + 1, joined.n - 1}, depth + 1))
                return false;
            continue;
        }
        if (slice_has_prefix(line, "-e") || slice_has_prefix(line, "--editable") ||
            slice_has_prefix(line, "-f") || slice_has_prefix(line, "--find-links") ||
            line.p[0] == '.' || line.p[0] == '/' || line.p[0] == '~' ||
            contains(line, "file:") || memchr(line.p, '$', line.n))
            return refuse(p);
        if (line.p[0] != '-' && !is_url(line)) {
            /* a requirement: a path-like one (dir/ or a local archive) reads other files */
            size_t k = 0;
            while (k < line.n && !strchr(" ;@[<>=!~", line.p[k]))
                k++;
            df_slice name = {line.p, k};
            if (local_requirement(p, dir, name))
                return refuse(p);
        }
    }
    return true;
}

static const char *const pip_valued[] = {
    "-i", "--index-url", "--extra-index-url", "--trusted-host", "--platform",
    "--python-version", "--implementation", "--abi", "--progress-bar", "--root-user-action",
    "--retries", "--timeout", "--proxy", "--upgrade-strategy", "--only-binary", "--no-binary",
    "-C", "--config-settings", "--global-option", "-t", "--target", "--prefix", "--root",
    "--cache-dir", "--log", "-w", "--wheel-dir", "--report", NULL,
};

static bool valued(df_slice v, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (slice_eq_str(v, list[k]))
            return true;
    return false;
}

static int pip(plan *p, const sh_cmd *c, size_t i)
{
    if (i >= c->nwords)
        return refuse(p), -1;
    df_slice sub = c->words[i].value;
    if (slice_eq_str(sub, "cache") || slice_eq_str(sub, "config") ||
        slice_eq_str(sub, "--version") || slice_eq_str(sub, "freeze") || slice_eq_str(sub, "list"))
        return 0;
    if (!slice_eq_str(sub, "install") && !slice_eq_str(sub, "wheel"))
        return refuse(p), -1;
    bool reads = false;
    for (size_t k = i + 1; k < c->nwords; k++) {
        const sh_word *w = &c->words[k];
        df_slice v = w->value;
        if (!w->literal || w->glob)
            return refuse(p), -1;
        df_slice file = {NULL, 0};
        if (slice_eq_str(v, "-r") || slice_eq_str(v, "--requirement") ||
            slice_eq_str(v, "-c") || slice_eq_str(v, "--constraint")) {
            if (k + 1 >= c->nwords || !c->words[k + 1].literal)
                return refuse(p), -1;
            file = c->words[++k].value;
        } else if (slice_has_prefix(v, "--requirement=") || slice_has_prefix(v, "--constraint=")) {
            const char *eq = memchr(v.p, '=', v.n);
            file = (df_slice){eq + 1, v.n - (size_t)(eq + 1 - v.p)};
        } else if (v.n > 2 && (slice_has_prefix(v, "-r") || slice_has_prefix(v, "-c")) &&
                   v.p[2] != '-') {
            file = (df_slice){v.p + 2, v.n - 2};
        } else if (v.n && v.p[0] == '-') {
            if (slice_eq_str(v, "-e") || slice_eq_str(v, "--editable") ||
                slice_eq_str(v, "-f") || slice_eq_str(v, "--find-links") ||
                slice_eq_str(v, "--src"))
                return refuse(p), -1;
            df_slice val = v;
            if (valued(v, pip_valued)) {
                if (k + 1 >= c->nwords)
                    return refuse(p), -1;
                val = c->words[++k].value;
            } else if (memchr(v.p, '=', v.n)) {
                const char *eq = memchr(v.p, '=', v.n);
                val = (df_slice){eq + 1, v.n - (size_t)(eq + 1 - v.p)};
            } else {
                continue;
            }
            if (memchr(val.p, '/', val.n) && !is_url(val) && !rw_path_abs(val))
                return refuse(p), -1;
            if (rw_path_abs(val) && rw_path_under(rw_path_clean(&p->doc->arena, val), p->dest))
                return refuse(p), -1;
            continue;
        } else {
            /* a requirement named on the command line: never a path or a local project */
            if (slice_eq_str(v, ".") || (memchr(v.p, '/', v.n) && !is_url(v)))
                return refuse(p), -1;
            size_t e = 0;
            while (e < v.n && !strchr(";@[<>=!~", v.p[e]))
                e++;
            if (!is_url(v) && local_requirement(p, SLICE("/"), (df_slice){v.p, e}))
                return refuse(p), -1;
            continue;
        }
        if (!file.n || is_url(file) || !requirements(p, file, 0))
            return refuse(p), -1;
        reads = true;
    }
    return reads ? 1 : 0;
}

static int pipenv(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    if (operands(c, i + 1, &first) != 1 || !no_paths(c, i + 1) ||
        !(sh_word_is(c, first, "install") || sh_word_is(c, first, "sync")) ||
        !word_has(c, i + 1, "--system"))
        return refuse(p), -1;
    if (sh_word_is(c, first, "install") && has(p, "Pipfile.lock") &&
        !word_has(c, i + 1, "--deploy"))
        return refuse(p), -1; /* it may rewrite Pipfile.lock */
    df_slice pf = read(p, "Pipfile");
    if (!pf.p || contains(pf, "path") || contains(pf, "editable"))
        return refuse(p), -1;
    return want(p, "Pipfile", true) && want(p, "Pipfile.lock", false) ? 1 : -1;
}

static int poetry(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (nops == 0 || !no_paths(c, i + 1))
        return refuse(p), -1;
    if (sh_word_is(c, first, "config"))
        return word_has(c, i + 1, "--local") ? (refuse(p), -1) : 0;
    if (!sh_word_is(c, first, "install") || !word_has(c, i + 1, "--no-root") ||
        word_has(c, i + 1, "--only-root"))
        return refuse(p), -1;
    /* option values (--only main, --without dev, --extras x) are operands too: allow words */
    df_slice py = read(p, "pyproject.toml");
    if (!py.p || contains(py, "path =") || contains(py, "path=") || contains(py, "develop"))
        return refuse(p), -1;
    p->poetry = true;
    return want(p, "pyproject.toml", true) && want(p, "poetry.lock", false) &&
                   want(p, "poetry.toml", false)
               ? 1
               : -1;
}

static int gomod(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    if (operands(c, i + 1, &first) != 2 || !sh_word_is(c, first, "mod") ||
        !sh_word_is(c, first + 1, "download") || !no_paths(c, i + 1))
        return refuse(p), -1;
    if (has(p, "go.work") || has(p, "vendor"))
        return refuse(p), -1;
    df_slice m = read(p, "go.mod");
    if (!m.p)
        return refuse(p), -1;
    for (size_t k = 0; k + 2 < m.n; k++)
        if (m.p[k] == '=' && m.p[k + 1] == '>') {
            size_t j = k + 2;
            while (j < m.n && (m.p[j] == ' ' || m.p[j] == '\t'))
                j++;
            if (j < m.n && (m.p[j] == '.' || m.p[j] == '/'))
                return refuse(p), -1;
        }
    return want(p, "go.mod", true) && want(p, "go.sum", false) ? 1 : -1;
}

static int cargo(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    if (operands(c, i + 1, &first) != 1 || !sh_word_is(c, first, "fetch") || !no_paths(c, i + 1))
        return refuse(p), -1;
    df_slice m = read(p, "Cargo.toml");
    if (!m.p || contains(m, "[workspace") || contains(m, "path =") || contains(m, "path=") ||
        contains(m, "[[bin]]") || contains(m, "[lib]"))
        return refuse(p), -1;
    bool target = has(p, "src/main.rs") || has(p, "src/lib.rs");
    if (!target || (has(p, "Cargo.lock") && !word_has(c, i + 1, "--locked") &&
                    !word_has(c, i + 1, "--frozen")))
        return refuse(p), -1; /* without --locked it may rewrite Cargo.lock */
    return want(p, "Cargo.toml", true) && want(p, "Cargo.lock", false) &&
                   want(p, "src/main.rs", false) && want(p, "src/lib.rs", false) &&
                   want(p, ".cargo/config.toml", false) && want(p, ".cargo/config", false)
               ? 1
               : -1;
}

static int maven(plan *p, const sh_cmd *c, size_t i, bool wrapper)
{
    static const char *const goals[] = {"dependency:go-offline", "dependency:resolve",
                                        "dependency:resolve-plugins", NULL};
    bool any = false;
    for (size_t k = i + 1; k < c->nwords; k++) {
        const sh_word *w = &c->words[k];
        df_slice v = w->value;
        if (!w->literal || w->glob || memchr(v.p, '/', v.n))
            return refuse(p), -1;
        if (slice_eq_str(v, "-f") || slice_eq_str(v, "--file") || slice_eq_str(v, "-s") ||
            slice_eq_str(v, "--settings") || slice_eq_str(v, "-pl") || slice_eq_str(v, "-P"))
            return refuse(p), -1;
        if (v.n && v.p[0] == '-')
            continue;
        if (!valued(v, goals))
            return refuse(p), -1;
        any = true;
    }
    df_slice pom = read(p, "pom.xml");
    if (!any || !pom.p || contains(pom, "<modules>") || contains(pom, "<parent>") ||
        contains(pom, "<systemPath>"))
        return refuse(p), -1;
    if (wrapper && (!want(p, "mvnw", true) || !want(p, ".mvn", true)))
        return -1;
    return want(p, "pom.xml", true) ? 1 : -1;
}

static int gradle(plan *p, const sh_cmd *c, size_t i, bool wrapper)
{
    bool any = false;
    for (size_t k = i + 1; k < c->nwords; k++) {
        const sh_word *w = &c->words[k];
        df_slice v = w->value;
        if (!w->literal || w->glob || memchr(v.p, '/', v.n) || slice_eq_str(v, "-p") ||
            slice_eq_str(v, "-b") || slice_eq_str(v, "-c") || slice_eq_str(v, "-I") ||
            slice_eq_str(v, "--init-script"))
            return refuse(p), -1;
        if (v.n && v.p[0] == '-')
            continue;
        if (!slice_eq_str(v, "dependencies"))
            return refuse(p), -1;
        any = true;
    }
    if (!any || has(p, "buildSrc") || has(p, ".gradle"))
        return refuse(p), -1;
    static const char *const builds[] = {"build.gradle", "build.gradle.kts", NULL};
    static const char *const settings[] = {"settings.gradle", "settings.gradle.kts", NULL};
    bool found = false;
    for (size_t k = 0; builds[k]; k++) {
        df_slice s = read(p, builds[k]);
        if (!s.p)
            continue;
        found = true;
        if (contains(s, "files(") || contains(s, "fileTree(") || contains(s, "apply from") ||
            contains(s, "apply(from"))
            return refuse(p), -1;
        add(p, slice_from(builds[k]), false);
    }
    for (size_t k = 0; settings[k]; k++) {
        df_slice s = read(p, settings[k]);
        if (!s.p)
            continue;
        if (contains(s, "include") || contains(s, "apply"))
            return refuse(p), -1;
        add(p, slice_from(settings[k]), false);
    }
    if (!found || !want(p, "gradle.properties", false) || !want(p, "gradle", wrapper))
        return refuse(p), -1;
    p->gradle = true;
    return !wrapper || want(p, "gradlew", true) ? 1 : -1;
}

static int bundle(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (nops == 0)
        return refuse(p), -1;
    df_slice sub = c->words[first].value;
    if (slice_eq_str(sub, "config")) {
        /* may write ./.bundle/config, which the full copy would put back */
        bool global = word_has(c, i + 1, "--global");
        return !global && has(p, ".bundle") ? (refuse(p), -1) : 0;
    }
    if (!slice_eq_str(sub, "install") || word_has(c, i + 1, "--binstubs") ||
        word_has(c, i + 1, "--gemfile"))
        return refuse(p), -1;
    for (size_t k = i + 1; k < c->nwords; k++)
        if (!c->words[k].literal || c->words[k].glob ||
            (memchr(c->words[k].value.p, '/', c->words[k].value.n) &&
             !rw_path_abs(c->words[k].value)))
            return refuse(p), -1;
    if (word_has(c, i + 1, "--path") || word_has(c, i + 1, "--deployment"))
        p->bundler_path = true;
    if (has(p, "Gemfile.lock") && !word_has(c, i + 1, "--frozen") &&
        !word_has(c, i + 1, "--deployment"))
        return refuse(p), -1; /* it may rewrite Gemfile.lock */
    df_slice g = read(p, "Gemfile");
    if (!g.p || contains(g, "gemspec") || contains(g, "path:") || contains(g, ":path") ||
        contains(g, "eval_gemfile") || contains(g, "require_relative") || contains(g, "File.") ||
        contains(g, "git: \".") || contains(g, "git: '."))
        return refuse(p), -1;
    return want(p, "Gemfile", true) && want(p, "Gemfile.lock", false) &&
                   want(p, ".bundle", false) && want(p, ".ruby-version", false) &&
                   want(p, ".tool-versions", false)
               ? 1
               : -1;
}

static int gem(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    if (operands(c, i + 1, &first) == 0 || !no_paths(c, i + 1) ||
        !(sh_word_is(c, first, "install") || sh_word_is(c, first, "update")))
        return refuse(p), -1;
    for (size_t k = i + 1; k < c->nwords; k++)
        if (rw_ends_with(c->words[k].value, ".gem") || sh_word_is(c, k, "-g") ||
            sh_word_is(c, k, "--file"))
            return refuse(p), -1;
    return 0;
}

static int composer(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (!no_paths(c, i + 1) || nops == 0)
        return refuse(p), -1;
    df_slice sub = c->words[first].value;
    if (slice_eq_str(sub, "self-update") || (slice_eq_str(sub, "global") && nops >= 2))
        return 0;
    if (!slice_eq_str(sub, "install") || nops != 1)
        return refuse(p), -1;
    df_slice j = read(p, "composer.json");
    if (!j.p || contains(j, "\"path\""))
        return refuse(p), -1;
    bool no_scripts = word_has(c, i + 1, "--no-scripts");
    bool no_autoloader = word_has(c, i + 1, "--no-autoloader");
    bool optimize = word_has(c, i + 1, "-o") || word_has(c, i + 1, "--optimize-autoloader") ||
                    word_has(c, i + 1, "-a") || word_has(c, i + 1, "--classmap-authoritative") ||
                    word_has(c, i + 1, "--apcu-autoloader");
    if ((contains(j, "\"scripts\"") && !no_scripts) ||
        (!no_autoloader && (optimize || contains(j, "\"classmap\"") || contains(j, "\"files\""))))
        return refuse(p), -1;
    p->composer = true;
    return want(p, "composer.json", true) && want(p, "composer.lock", false) &&
                   want(p, "auth.json", false)
               ? 1
               : -1;
}

typedef struct projects {
    plan *p;
    size_t count;
    bool bad;
} projects;

static bool project_visit(void *arg, df_slice rel, ctx_kind kind)
{
    projects *pr = arg;
    if (kind != CTX_FILE || memchr(rel.p, '/', rel.n))
        return true;
    if (rw_ends_with(rel, ".csproj") || rw_ends_with(rel, ".fsproj") ||
        rw_ends_with(rel, ".vbproj")) {
        pr->count++;
        df_slice s;
        if (!ctx_read(pr->p->ctx, &pr->p->doc->arena, rel, MANIFEST_MAX, &s) ||
            contains(s, "ProjectReference") || contains(s, "<Import"))
            pr->bad = true;
        add(pr->p, rel, false);
    } else if (rw_ends_with(rel, ".sln") || rw_ends_with(rel, ".slnx")) {
        pr->bad = true;
    }
    return true;
}

static int dotnet(plan *p, const sh_cmd *c, size_t i)
{
    size_t first;
    size_t nops = operands(c, i + 1, &first);
    if (nops == 0 || !no_paths(c, i + 1))
        return refuse(p), -1;
    df_slice sub = c->words[first].value;
    if (slice_eq_str(sub, "tool") && word_has(c, i + 1, "-g"))
        return 0;
    if (!slice_eq_str(sub, "restore"))
        return refuse(p), -1;
    /* options that name files are refused (no_paths, --configfile, --packages); an operand
     * must be the one project at the root */
    static const char *const values[] = {"-r", "--runtime", "-s", "--source", "-v",
                                         "--verbosity", "-a", "--arch", "--os", NULL};
    df_slice operand = {NULL, 0};
    for (size_t k = first + 1; k < c->nwords; k++) {
        df_slice v = c->words[k].value;
        if (slice_eq_str(v, "--configfile") || slice_eq_str(v, "--packages") || operand.p)
            return refuse(p), -1;
        if (valued(v, values))
            k++;
        else if (!(v.n && v.p[0] == '-'))
            operand = v;
    }
    if (has(p, "obj") || has(p, "bin") ||
        (has(p, "packages.lock.json") && !word_has(c, i + 1, "--locked-mode")))
        return refuse(p), -1; /* restore may rewrite packages.lock.json */
    projects pr = {p, 0, false};
    ctx_walk(p->ctx, SLICE("."), project_visit, &pr);
    if (pr.bad || pr.count != 1 || (operand.p && (ctx_stat(p->ctx, operand, NULL) != CTX_FILE ||
                                                   memchr(operand.p, '/', operand.n))))
        return refuse(p), -1;
    static const char *const extra[] = {"NuGet.Config", "NuGet.config", "nuget.config",
                                        "Directory.Build.props", "Directory.Build.targets",
                                        "Directory.Packages.props", "global.json",
                                        "packages.lock.json", NULL};
    for (size_t k = 0; extra[k]; k++) {
        df_slice s = read(p, extra[k]);
        if (s.p && contains(s, "<Import"))
            return refuse(p), -1;
        if (!want(p, extra[k], false))
            return -1;
    }
    p->dotnet = true;
    return 1;
}

/* Commands that may run with the install: cache cleaning, package managers, removing or
 * creating absolute paths outside the destination. 0 harmless, -1 refuse. */
static int other(plan *p, const sh_cmd *c, size_t i)
{
    static const char *const ok[] = {"apt-get", "apt", "apk", "dnf", "yum", "microdnf",
                                     "echo", "true", "set", "rm", "mkdir", "export", NULL};
    df_slice prog = c->words[i].value;
    if (slice_eq_str(prog, "corepack"))
        return sh_word_is(c, i + 1, "enable") ? 0 : (refuse(p), -1);
    if (!valued(prog, ok))
        return refuse(p), -1;
    bool files = slice_eq_str(prog, "rm") || slice_eq_str(prog, "mkdir");
    for (size_t k = i + 1; k < c->nwords; k++) {
        const sh_word *w = &c->words[k];
        df_slice v = w->value;
        if (!w->literal) {
            if (files)
                return refuse(p), -1;
            continue;
        }
        if (v.n && v.p[0] == '-')
            continue;
        bool pathy = files || memchr(v.p, '/', v.n) || w->glob;
        if (!pathy || is_url(v))
            continue;
        /* a glob or brace stands for the directory of its fixed prefix */
        size_t cut = 0;
        while (cut < v.n && !strchr("*?[{", v.p[cut]))
            cut++;
        if (cut < v.n)
            while (cut > 0 && v.p[cut - 1] != '/')
                cut--;
        df_slice fixed = {v.p, cut};
        if (!rw_path_abs(fixed) ||
            rw_path_overlap(rw_path_clean(&p->doc->arena, fixed), p->dest))
            return refuse(p), -1;
    }
    return 0;
}

/* 1: installs from manifests (recorded in p), 0: harmless, -1: refuse. */
static int command(plan *p, const sh_cmd *c)
{
    if (c->nredirs)
        return refuse(p), -1;
    size_t i = sh_program(c);
    if (i >= c->nwords)
        return c->nwords == c->nassign ? 0 : (refuse(p), -1);
    if (!c->words[i].literal)
        return refuse(p), -1;
    df_slice prog = c->words[i].value;
    bool wrapper = slice_has_prefix(prog, "./");
    if (wrapper)
        prog = (df_slice){prog.p + 2, prog.n - 2};
    if (slice_eq_str(prog, "mvnw") || slice_eq_str(prog, "gradlew"))
        wrapper = true;
    if (wrapper && !(slice_eq_str(prog, "mvnw") || slice_eq_str(prog, "gradlew")))
        return refuse(p), -1;
    if (slice_eq_str(prog, "npm"))
        return npm(p, c, i);
    if (slice_eq_str(prog, "yarn"))
        return yarn(p, c, i);
    if (slice_eq_str(prog, "pnpm"))
        return pnpm(p, c, i);
    if (slice_eq_str(prog, "pip") || slice_eq_str(prog, "pip3") ||
        (slice_has_prefix(prog, "pip3.") && prog.n <= 7))
        return pip(p, c, i + 1);
    if ((slice_eq_str(prog, "python") || slice_has_prefix(prog, "python3")) &&
        sh_word_is(c, i + 1, "-m") && (sh_word_is(c, i + 2, "pip") || sh_word_is(c, i + 2, "pip3")))
        return pip(p, c, i + 3);
    if (slice_eq_str(prog, "pipenv"))
        return pipenv(p, c, i);
    if (slice_eq_str(prog, "poetry"))
        return poetry(p, c, i);
    if (slice_eq_str(prog, "go"))
        return gomod(p, c, i);
    if (slice_eq_str(prog, "cargo"))
        return cargo(p, c, i);
    if (slice_eq_str(prog, "mvn") || slice_eq_str(prog, "mvnw"))
        return maven(p, c, i, wrapper);
    if (slice_eq_str(prog, "gradle") || slice_eq_str(prog, "gradlew"))
        return gradle(p, c, i, wrapper);
    if (slice_eq_str(prog, "bundle") || slice_eq_str(prog, "bundler"))
        return bundle(p, c, i);
    if (slice_eq_str(prog, "gem"))
        return gem(p, c, i);
    if (slice_eq_str(prog, "composer"))
        return composer(p, c, i);
    if (slice_eq_str(prog, "dotnet"))
        return dotnet(p, c, i);
    return other(p, c, i);
}

/* RUN r (in the destination directory): 1 installs, 0 harmless, -1 refuse. */
static int run_kind(plan *p, const df_node *r)
{
    if ((r->flags & DF_N_JSON) || r->nargs != 1 || r->nheredocs)
        return -1;
    for (size_t i = 0; i < r->nbflags; i++) {
        df_slice f = r->bflags[i].v, v;
        if (slice_has_prefix(f, "--network="))
            continue;
        if (!slice_has_prefix(f, "--mount="))
            return -1;
        df_slice m = {f.p + 8, f.n - 8};
        if (rw_mount_key(m, "type", &v) && slice_eq_str(v, "secret"))
            continue;
        if (!rw_mount_key(m, "type", &v) || !(slice_eq_str(v, "cache") || slice_eq_str(v, "tmpfs")))
            return -1;
        if (!rw_mount_key(m, "target", &v) && !rw_mount_key(m, "dst", &v) &&
            !rw_mount_key(m, "destination", &v))
            return -1;
        if (!rw_path_abs(v) || rw_path_overlap(rw_path_clean(&p->doc->arena, v), p->dest))
            return -1;
    }
    sh_script sc;
    if (!sh_parse_node(p->doc, r, &sc) || sc.compound || sc.heredoc ||
        sc.background)
        return -1;
    int kind = 0;
    for (size_t i = 0; i < sc.ncmds; i++) {
        size_t prog = sh_program(&sc.cmds[i]);
        if (prog < sc.cmds[i].nwords && sh_word_is(&sc.cmds[i], prog, "cd"))
            return -1;
        int k = command(p, &sc.cmds[i]);
        if (k < 0 || p->refused)
            return -1;
        if (k > 0)
            kind = 1;
    }
    return kind;
}

/* Does the context hold something the install writes into the destination? */
static bool outputs_clash(plan *p)
{
    return (p->node && has(p, "node_modules")) || (p->composer && has(p, "vendor")) ||
           (p->bundler_path && has(p, "vendor/bundle")) ||
           (p->dotnet && (has(p, "obj") || has(p, "bin"))) ||
           (p->gradle && (has(p, ".gradle") || has(p, "build"))) ||
           (p->poetry && has(p, ".venv"));
}

static bool plain_name(df_slice s)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("._+@-/", c)))
            return false;
    }
    return s.n > 0;
}

/* The directory part of a context-relative path ("" at the root). */
static df_slice rel_dir(df_slice rel)
{
    size_t i = rel.n;
    while (i > 0 && rel.p[i - 1] != '/')
        i--;
    return (df_slice){rel.p, i ? i - 1 : 0};
}

/* The COPY instructions for the manifests, all with c's flags: the files of each directory
 * (the root first) in one, each manifest directory in its own. */
static size_t manifest_copies(plan *p, const df_node *c, df_node **out, size_t max)
{
    df_doc *doc = p->doc;
    df_slice dest = c->args[c->nargs - 1].v;
    df_buf head = {0};
    for (size_t i = 0; i < c->nbflags; i++) {
        buf_put_slice(&head, c->bflags[i].v);
        buf_putc(&head, ' ');
    }
    size_t count = 0;
    bool done[64] = {0};
    for (size_t i = 0; i < p->n && count < max; i++) {
        if (done[i])
            continue;
        df_slice dir = p->dirs[i] ? p->files[i] : rel_dir(p->files[i]);
        df_buf b = {0};
        buf_put(&b, head.p ? head.p : "", head.len);
        for (size_t k = i; k < p->n; k++) {
            bool same = p->dirs[i] ? k == i : !p->dirs[k] && slice_eq(rel_dir(p->files[k]), dir);
            if (done[k] || !same)
                continue;
            done[k] = true;
            buf_put_slice(&b, p->files[k]);
            buf_putc(&b, ' ');
        }
        if (slice_eq_str(dest, ".") || slice_eq_str(dest, "./")) {
            buf_puts(&b, "./");
        } else {
            buf_put_slice(&b, dest);
            if (dest.p[dest.n - 1] != '/')
                buf_putc(&b, '/');
        }
        if (dir.n) {
            buf_put_slice(&b, dir);
            buf_putc(&b, '/');
        }
        df_node *m = rw_new_node(doc, rw_line(doc, c, "COPY", (df_slice){b.p, b.len}));
        buf_free(&b);
        if (!m) {
            count = 0;
            break;
        }
        out[count++] = m;
    }
    buf_free(&head);
    return count;
}

/* Splits the copy c when the instructions after it install from manifests. */
static bool split(df_doc *doc, df_node *c, df_slice wd, df_diags *d)
{
    if (c->nargs != 2 || c->nheredocs || !slice_eq_str(ctx_clean(&doc->arena, c->args[0].v), ".") ||
        !rw_literal(doc, c->args[0].v))
        return false;
    for (size_t i = 0; i < c->nbflags; i++) {
        df_slice f = c->bflags[i].v;
        if (!((slice_has_prefix(f, "--chown=") || slice_has_prefix(f, "--chmod=")) &&
              rw_literal(doc, f)) && !slice_eq_str(f, "--link"))
            return false;
    }
    df_slice dest_word = c->args[1].v;
    plan p = {.doc = doc, .ctx = doc_context(doc)};
    if (!p.ctx)
        return false;
    p.dest = rw_wd_resolve(doc, wd, dest_word);
    if (!p.dest.n)
        return false;
    df_slice cur = wd;
    df_node *last = NULL;
    bool installs = false;
    for (df_node *m = c->next; m && m->kind != DF_FROM; m = m->next) {
        if (m->kind == DF_ENV || m->kind == DF_ARG || m->kind == DF_LABEL ||
            m->kind == DF_EXPOSE || m->kind == DF_USER || m->kind == DF_STOPSIGNAL)
            continue;
        if (m->kind == DF_WORKDIR) {
            if (!rw_path_abs(dest_word) || m->nargs != 1)
                break;
            cur = rw_wd_resolve(doc, cur, m->args[0].v);
            continue;
        }
        if (m->kind != DF_RUN || !cur.n || !slice_eq(cur, p.dest))
            break;
        size_t before = p.n;
        int k = run_kind(&p, m);
        if (k < 0) {
            p.n = before; /* manifests of a refused RUN are not needed */
            break;
        }
        last = m;
        installs |= k > 0;
    }
    if (!installs || !last || outputs_clash(&p))
        return false;
    for (size_t i = 0; i < p.n; i++)
        if (!plain_name(p.files[i]))
            return false;
    df_node *copies[64];
    size_t nc = manifest_copies(&p, c, copies, 64);
    if (!nc)
        return false;
    /* the first new COPY takes the blank lines above c; c keeps its comments */
    size_t blank = 0;
    for (size_t i = 0; i < c->lead.n; i++) {
        if (!strchr(" \t\r\n", c->lead.p[i]))
            break;
        if (c->lead.p[i] == '\n')
            blank = i + 1;
    }
    copies[0]->lead = (df_slice){c->lead.p, blank};
    c->lead = (df_slice){c->lead.p + blank, c->lead.n - blank};
    for (size_t i = 0; i < nc; i++) {
        ir_insert_before(doc, c, copies[i]);
        copies[i]->stage = c->stage;
    }
    rw_move_after(doc, c, last, d);
    return true;
}

PASS(copy_order)
{
    bool changed = false;
    rw_wd wd;
    rw_wd_init(&wd, doc);
    for (df_node *n = doc->head, *next; n; n = next) {
        next = n->next; /* a split copy moves down; it is met again there and left alone */
        if (n->kind == DF_COPY && split(doc, n, wd.cur, d))
            changed = true;
        rw_wd_step(&wd, doc, n);
    }
    rw_wd_free(&wd);
    return changed;
}
