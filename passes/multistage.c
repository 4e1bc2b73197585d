/*
 * multistage: splits a single-stage build into a builder stage and a runtime stage.
 *
 *   FROM golang:1.22                       FROM golang:1.22 AS build
 *   WORKDIR /src                           WORKDIR /src
 *   COPY go.mod main.go ./                 COPY go.mod main.go ./
 *   ENV CGO_ENABLED=0                      ENV CGO_ENABLED=0
 *   RUN go build -o /out/app .             RUN go build -o /out/app .
 *   EXPOSE 8080                 =>
 *   ENTRYPOINT ["/out/app"]                FROM gcr.io/distroless/static-debian12
 *                                          WORKDIR /src
 *                                          ENV CGO_ENABLED=0
 *                                          COPY --from=build /out/app /out/app
 *                                          EXPOSE 8080
 *                                          ENTRYPOINT ["/out/app"]
 *
 * Requires:   current stages. The document has exactly one stage, built on an image.
 * Guarantees: the builder stage is the original up to and including the last RUN that builds
 *             or moves build outputs, byte for byte (its FROM gains `AS build`; a Node build RUN
 *             gains `&& npm prune --omit=dev` or its yarn/pnpm equivalent). The runtime stage
 *             starts from the runtime base and holds, in their original order: every ARG, ENV,
 *             WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, ENTRYPOINT, CMD and
 *             MAINTAINER; the user-creation commands of RUNs, and their package-manager commands
 *             (build tools left out) when some package is not a build tool; the COPY/ADD
 *             of files the build does not read (outside its project directory; every one for
 *             Python, whose program is its source); and a `COPY --from=build` of each path the
 *             program (ENTRYPOINT/CMD) and HEALTHCHECK use that the build produced, at the same
 *             absolute path. COPY --from keeps owners and modes.
 * Refuses:    (each with a reason, printed as a note under --passes=multistage and listed by
 *             --explain multistage) when the stage holds SHELL, ONBUILD or a heredoc; a RUN runs
 *             a command that is not a package install, user creation, a recognised
 *             dependency-fetch or build step, a move of build outputs, or a command without
 *             effect; a RUN after the build does anything but create users or install packages;
 *             the build runs as a non-root USER; there is no ENTRYPOINT/CMD; a path or program
 *             the command uses is neither produced by the build at a known path, copied from the
 *             context, nor certainly provided by the runtime image (a program name is trusted to
 *             the base image only when the runtime base is the same image and the build
 *             installed no tool into PATH); a relative path (a relative WORKDIR too: the base
 *             image's directory is not known) is used with no WORKDIR before it, or the working
 *             directory grows longer than the system allows; a variable
 *             cannot be resolved; the program (or the script a shell runs) is a file a COPY from
 *             the build context may have put in place (sources looked up in the context;
 *             without one a source with no file extension may be a directory), rather than a
 *             known output; the build writes other files beside a path the runtime copies (in
 *             its directory); a Go, Rust or C build copies in source-tree files the program may
 *             read at run time (templates/, static/, public/, assets/, views/, config/, *.html,
 *             *.tmpl, *.yaml, *.json, *.toml, .env, ...), looked for in the context; without a
 *             context, a Go build whose COPY sources are not only *.go, go.mod and go.sum; a
 *             C/C++ build on Alpine (or with apk) that does not install libstdc++ and libgcc by
 *             name (there they come only with the compiler packages the runtime leaves out).
 * Runtime base: the builder's image, except these well-known runtime images: golang with
 *             CGO_ENABLED=0 (a static binary) -> gcr.io/distroless/static-debian12;
 *             maven:V-eclipse-temurin-N[-S], gradle:V-jdkN[-S], eclipse-temurin:N[-jdk][-S]
 *             -> eclipse-temurin:N-jre[-S]; mcr.microsoft.com/dotnet/sdk:M.m[-S] ->
 *             mcr.microsoft.com/dotnet/aspnet:M.m[-S]. Each only when the runtime stage runs no
 *             RUN, the program and HEALTHCHECK use nothing but build outputs and that image's
 *             own runtime (java, dotnet; no shell for distroless), USER is unset, numeric, root,
 *             or a user the image has; maven also needs an explicit ENTRYPOINT (its image has
 *             its own). --runtime-base IMAGE overrides the choice.
 * Assumes:    build tools write only inside the project directory (where they run) and the
 *             output paths named on their command lines; the program reads no file of the
 *             build tree other than those its command line names (plus, for Node,
 *             node_modules and package.json; for .NET and venvs, the whole output directory).
 *             Packages that are build tools only (compilers, make, cmake, pkg-config, headers
 *             of the C library, ...) are not needed at run time: glibc distributions' base
 *             images carry libstdc++ and libgcc_s (their package managers need them). ARG
 *             defaults are the values.
 * Linear in the document.
 */
#include "multistage.h"
#include "../compiler/context.h"
#include "../compiler/rewrite.h"

#include <stdarg.h>
#include <string.h>

/* ---- small helpers ---- */

bool ms_refuse(ms *m, const df_node *n, const char *fmt, ...)
{
    if (!m->why) {
        df_buf b = {0};
        va_list ap;
        va_start(ap, fmt);
        char tmp[512];
        vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        buf_puts(&b, tmp);
        m->why = arena_strndup(m->a, b.p, b.len);
        m->why_node = n;
        buf_free(&b);
    }
    return false;
}

void *ms_grow(void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(v, *cap * size);
}

bool ms_is_str(df_slice s, const char *t)
{
    return slice_eq_str(s, t);
}

bool ms_has_prefix_str(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* dir joined with p ("." and ".." resolved, no trailing slash but for "/"); NULL when p is
 * relative and dir unknown. */
const char *ms_path_join(df_arena *a, const char *dir, df_slice p)
{
    if (p.n == 0 || p.p[0] != '/') {
        if (!dir)
            return NULL;
    }
    df_buf b = {0};
    if (p.n == 0 || p.p[0] != '/')
        buf_puts(&b, dir);
    buf_putc(&b, '/');
    buf_put_slice(&b, p);
    /* normalize in place: components onto a stack */
    char *out = arena_alloc(a, b.len + 2);
    size_t o = 0;
    for (size_t i = 0; i < b.len;) {
        while (i < b.len && b.p[i] == '/')
            i++;
        size_t e = i;
        while (e < b.len && b.p[e] != '/')
            e++;
        size_t len = e - i;
        if (len == 0 || (len == 1 && b.p[i] == '.')) {
            /* nothing */
        } else if (len == 2 && b.p[i] == '.' && b.p[i + 1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, b.p + i, len);
            o += len;
        }
        i = e;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    buf_free(&b);
    return out;
}

/* Is p dir itself or inside it? */
bool ms_under(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    if (strcmp(dir, "/") == 0)
        return true;
    return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

const char *ms_base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- variables (ARG defaults and ENV values, as known from the text) ---- */

bool ms_lookup(void *ctx, df_slice name, df_slice *value)
{
    ms *m = ctx;
    for (size_t i = m->nvars; i-- > 0;)
        if (slice_eq(m->vars[i].name, name)) {
            *value = m->vars[i].value;
            return m->vars[i].known;
        }
    return false;
}

void ms_set_var(ms *m, df_slice name, df_slice value, bool known)
{
    m->vars = ms_grow(m->vars, m->nvars, &m->capvars, sizeof *m->vars);
    m->vars[m->nvars++] = (var){name, value, known};
}

const char *ms_var_value(ms *m, const char *name)
{
    df_slice v;
    if (!ms_lookup(m, slice_from(name), &v))
        return NULL;
    return arena_strndup(m->a, v.p, v.n);
}

/* Expands a Dockerfile word; NULL when a variable is unknown or it does not parse. */
const char *ms_expand(ms *m, df_slice w)
{
    df_slice out;
    expand_error err;
    if (!expand_word(m->a, w, m->doc->escape, ms_lookup, m, true, &out, &err) ||
        memchr(out.p, '$', out.n))
        return NULL;
    return arena_strndup(m->a, out.p, out.n);
}

/* ---- regions ---- */

void ms_add_region(ms *m, const char *path, bool whole, bool program)
{
    df_slice p = slice_from(path);
    size_t i = name_index_get(&m->region_index, p);
    if (i) { /* a region of this path already: found by hash, not by comparing with each */
        m->regions[i - 1].whole |= whole;
        m->regions[i - 1].program |= program;
        return;
    }
    m->regions = ms_grow(m->regions, m->nregions, &m->capregions, sizeof *m->regions);
    name_index_put(&m->region_index, p, m->nregions);
    m->regions[m->nregions++] = (region){path, whole, program};
}

/* The region holding p, the innermost one; NULL when none. */
const region *ms_region_of(const ms *m, const char *p)
{
    const region *best = NULL;
    for (size_t i = 0; i < m->nregions; i++)
        if (ms_under(p, m->regions[i].path) &&
            (!best || strlen(m->regions[i].path) > strlen(best->path)))
            best = &m->regions[i];
    return best;
}

void ms_add_check(ms *m, const char *path, const df_node *n)
{
    m->checks = ms_grow(m->checks, m->nchecks, &m->capchecks, sizeof *m->checks);
    m->checks[m->nchecks++] = (struct check){path, n};
}

/* ---- the scan over the stage ---- */

static bool scan(ms *m)
{
    df_doc *doc = m->doc;
    size_t count = 0;
    for (df_node *n = doc->stages[0].from->next; n; n = n->next)
        count++;
    m->items = arena_alloc(m->a, (count + 1) * sizeof *m->items);
    for (df_node *n = doc->stages[0].from->next; n; n = n->next) {
        item *it = &m->items[m->nitems++];
        *it = (item){.n = n, .k = K_CONFIG};
        switch (n->kind) {
        case DF_ARG:
            for (size_t i = 0; i < n->nargs; i++) {
                df_slice w = n->args[i].v;
                const char *eq = memchr(w.p, '=', w.n);
                df_slice name = eq ? (df_slice){w.p, (size_t)(eq - w.p)} : w;
                const char *val = eq ? ms_expand(m, (df_slice){eq + 1, w.n - name.n - 1}) : NULL;
                ms_set_var(m, name, val ? slice_from(val) : (df_slice){"", 0}, val != NULL);
            }
            break;
        case DF_ENV:
            for (size_t i = 0; i + 1 < n->nargs; i += 3) { /* (name, value, "=") triples */
                const char *val = ms_expand(m, n->args[i + 1].v);
                ms_set_var(m, n->args[i].v, val ? slice_from(val) : (df_slice){"", 0},
                        val != NULL);
            }
            break;
        case DF_WORKDIR: {
            const char *w = n->nargs ? ms_expand(m, n->args[0].v) : NULL;
            if (!w)
                return ms_refuse(m, n, "line %zu: the WORKDIR holds a variable whose value is not "
                              "known", n->line);
            /* relative to the base image's directory, which only the image knows */
            m->workdir = ms_path_join(m->a, m->workdir, slice_from(w));
            if (!m->workdir)
                return ms_refuse(m, n, "line %zu: the relative WORKDIR %s is used with no "
                                       "WORKDIR set before it", n->line, w);
            if (strlen(m->workdir) >= RW_PATH_MAX) /* a chain of relative WORKDIRs */
                return ms_refuse(m, n, "line %zu: the working directory is longer than the "
                                       "system allows (%d bytes)", n->line, RW_PATH_MAX - 1);
            break;
        }
        case DF_USER:
            m->user = n->nargs ? n->args[0].v : (df_slice){"", 0};
            break;
        case DF_ENTRYPOINT:
            m->entry = n;
            break;
        case DF_CMD:
            m->cmd = n;
            break;
        case DF_HEALTHCHECK:
            m->health = n;
            break;
        case DF_LABEL:
        case DF_EXPOSE:
        case DF_VOLUME:
        case DF_STOPSIGNAL:
        case DF_MAINTAINER:
            break;
        case DF_COPY:
        case DF_ADD: {
            df_slice from;
            if (node_flag(n, "from", &from)) {
                it->k = K_COPYIMG;
                break;
            }
            if (n->nheredocs)
                return ms_refuse(m, n, "line %zu: a COPY with a heredoc is not followed", n->line);
            const char *dest = n->nargs ? ms_expand(m, n->args[n->nargs - 1].v) : NULL;
            if (!dest || !(dest = ms_path_join(m->a, m->workdir, slice_from(dest))))
                return ms_refuse(m, n, "line %zu: the destination is not known (a variable, or a "
                              "relative path with no WORKDIR)", n->line);
            it->k = K_COPY;
            it->dest = dest;
            break;
        }
        case DF_RUN:
            if (!ms_scan_run(m, n, it))
                return false;
            break;
        case DF_SHELL:
            return ms_refuse(m, n, "line %zu: SHELL changes how RUN and CMD are read", n->line);
        case DF_ONBUILD:
            return ms_refuse(m, n, "line %zu: ONBUILD triggers belong to the image", n->line);
        case DF_FROM:
        case DF_UNKNOWN:
        case DF_NKINDS:
            return ms_refuse(m, n, "line %zu: an instruction dfopt does not know", n->line);
        }
        if (it->k == K_BUILD) {
            m->split = m->nitems - 1;
            m->have_build = true;
        }
    }
    if (!m->have_build)
        return ms_refuse(m, m->doc->stages[0].from, "no build step that dfopt recognises (go build "
                      "-o, cargo build, npm/yarn/pnpm run build, mvn package, gradle build, "
                      "make, cmake --build, pip install into a venv or prefix, dotnet publish "
                      "-o)");
    if (m->build_nonroot)
        return ms_refuse(m, m->items[m->split].n, "the build runs as USER " SLICE_FMT ": the owner "
                      "of the directories it creates would differ", SLICE_ARG(m->user));
    for (size_t i = m->split + 1; i < m->nitems; i++) {
        item *it = &m->items[i];
        if (it->k == K_PREP || it->k == K_BUILD)
            return ms_refuse(m, it->n, "line %zu: a build step after the build, in what would be "
                          "the runtime stage", it->n->line);
        if (it->k == K_PKG || it->k == K_USERS)
            m->runs_in_runtime = true;
    }
    for (size_t i = 0; i < m->nchecks; i++)
        if (!ms_region_of(m, m->checks[i].path) && !ms_under(m->checks[i].path, "/tmp"))
            return ms_refuse(m, m->checks[i].n, "line %zu: the RUN changes %s, outside the "
                          "build's directories: the runtime may need it",
                          m->checks[i].n->line, m->checks[i].path);
    return true;
}

/* ---- what the program uses ---- */

static void add_copy(ms *m, const char *p)
{
    for (size_t i = 0; i < m->ncopies; i++)
        if (ms_under(p, m->copies[i]))
            return;
    m->copies = ms_grow(m->copies, m->ncopies, &m->capcopies, sizeof *m->copies);
    m->copies[m->ncopies++] = p;
}

/* The runtime programs an ecosystem's runtime image provides. */
static bool eco_program(eco e, const char *name)
{
    switch (e) {
    case ECO_NODE:
        return strcmp(name, "node") == 0;
    case ECO_JAVA:
        return strcmp(name, "java") == 0;
    case ECO_PYTHON:
        return strcmp(name, "python") == 0 || strcmp(name, "python3") == 0;
    case ECO_DOTNET:
        return strcmp(name, "dotnet") == 0;
    default:
        return false;
    }
}

/* Is p provided by a COPY from the context that the runtime stage repeats? */
static bool copied_from_context(const ms *m, const char *p)
{
    for (size_t i = 0; i < m->nitems; i++) {
        const item *it = &m->items[i];
        if (it->k != K_COPY)
            continue;
        bool replayed = i > m->split || m->eco == ECO_PYTHON || !ms_region_of(m, it->dest);
        if (replayed && ms_under(p, it->dest))
            return true;
    }
    return false;
}

/* ---- files the build context put in place ---- */

/* rel (a clean context path) joined with rest (relative, may be empty). */
static df_slice ctx_join(ms *m, df_slice rel, const char *rest)
{
    if (!*rest)
        return rel;
    df_buf b = {0};
    if (!ms_is_str(rel, "."))
        buf_printf(&b, SLICE_FMT "/", SLICE_ARG(rel));
    buf_puts(&b, rest);
    df_slice out = arena_slice(m->a, b.p, b.len);
    buf_free(&b);
    return out;
}

/* Could a COPY/ADD from the build context have put the file p in place? Each source is looked
 * up in the context; without one, a source with no file extension (or `.`, a trailing slash)
 * may be a directory holding anything. Variables, globs, URLs and ADD of a local file (an
 * archive ADD unpacks) count as yes. */
static bool from_context(ms *m, const char *p)
{
    const df_context *ctx = doc_context(m->doc);
    for (size_t i = 0; i < m->nitems; i++) {
        const item *it = &m->items[i];
        if (it->k != K_COPY || !ms_under(p, it->dest))
            continue;
        const df_node *n = it->n;
        const char *rest = p + (strcmp(it->dest, "/") == 0 ? 0 : strlen(it->dest));
        while (*rest == '/')
            rest++;
        for (size_t k = 0; k + 1 < n->nargs; k++) {
            const char *src = ms_expand(m, n->args[k].v);
            if (!src || strpbrk(src, "*?[") || strstr(src, "://"))
                return true;
            df_slice rel = ctx_clean(m->a, slice_from(src));
            const char *slash = memrchr(rel.p, '/', rel.n);
            df_slice base = slash ? (df_slice){slash + 1, rel.n - (size_t)(slash + 1 - rel.p)} : rel;
            bool named = !*rest || slice_eq_str(base, rest); /* p is the copied file itself */
            if (!ctx) {
                const char *dot = memrchr(base.p, '.', base.n);
                bool maybe_dir = ms_is_str(rel, ".") || src[strlen(src) - 1] == '/' || !dot ||
                                 dot == base.p;
                if (maybe_dir || named)
                    return true;
                continue;
            }
            ctx_kind ck = ctx_stat(ctx, rel, NULL);
            if (ck == CTX_OTHER || (ck == CTX_FILE && (named || n->kind == DF_ADD)) ||
                (ck == CTX_DIR && (!*rest || ctx_stat(ctx, ctx_join(m, rel, rest), NULL) != CTX_NONE)))
                return true;
        }
    }
    return false;
}

/* A path the program uses: copy it from the build, or know the runtime has it. */
static bool use_path(ms *m, const df_node *n, const char *p, bool program)
{
    const region *r = ms_region_of(m, p);
    if (r && r->whole) {
        add_copy(m, r->path);
        return true;
    }
    if (r && m->eco != ECO_PYTHON) {
        if (program && !r->program)
            return ms_refuse(m, n, "line %zu: the program %s is in the source tree, not an output "
                          "of the build", n->line, p);
        if (program && from_context(m, p))
            return ms_refuse(m, n, "line %zu: the program %s is a file the build context may "
                          "have put there (under a COPY destination), not a known output of the "
                          "build: what it runs or reads is not known", n->line, p);
        if (m->eco == ECO_NODE) {
            /* the top directory under the project: dist/ or build/ */
            const char *proj = m->node_project;
            if (!proj || !ms_under(p, proj) || strcmp(p, proj) == 0)
                return ms_refuse(m, n, "line %zu: %s is not inside the Node project", n->line, p);
            const char *rest = p + (strcmp(proj, "/") == 0 ? 0 : strlen(proj)) + 1;
            const char *slash = strchr(rest, '/');
            size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
            if (!slash || !((len == 4 && memcmp(rest, "dist", 4) == 0) ||
                            (len == 5 && memcmp(rest, "build", 5) == 0)))
                return ms_refuse(m, n, "line %zu: the Node program %s is not under dist/ or "
                              "build/, so what the build produced is not known", n->line, p);
            add_copy(m, ms_path_join(m->a, proj, (df_slice){rest, len}));
            return true;
        }
        add_copy(m, p);
        return true;
    }
    if (copied_from_context(m, p))
        return true;
    if (r) /* Python: the source tree must come from the context */
        return ms_refuse(m, n, "line %zu: %s is in the build tree but not copied from the "
                      "context", n->line, p);
    /* outside everything the build wrote: the runtime has it when it is the same image */
    m->needs_same_base = true;
    return true;
}

/* The value of the last ENV PATH so far, as written; NULL when PATH is never set. */
static const df_slice *env_path(const ms *m)
{
    for (size_t i = m->nitems; i-- > 0;) {
        const df_node *e = m->items[i].n;
        for (size_t k = 0; e->kind == DF_ENV && k + 1 < e->nargs; k += 3)
            if (ms_is_str(e->args[k].v, "PATH"))
                return &e->args[k + 1].v;
    }
    return NULL;
}

/* Does the last ENV PATH name dir (before any variable)? */
bool ms_on_env_path(ms *m, const char *dir)
{
    const df_slice *raw = env_path(m);
    df_slice value;
    expand_error err;
    if (!raw || !expand_word(m->a, *raw, m->doc->escape, ms_lookup, m, true, &value, &err))
        return false;
    const df_slice *v = &value;
    for (size_t s = 0; s < v->n;) {
        size_t t = s;
        while (t < v->n && v->p[t] != ':')
            t++;
        df_slice part = {v->p + s, t - s};
        if (!memchr(part.p, '$', part.n) && slice_eq_str(part, dir))
            return true;
        s = t + 1;
    }
    return false;
}

/* Is dir on the final PATH: named by ENV PATH, or a standard directory of the base image's
 * PATH while ENV PATH keeps $PATH (or is never set)? */
static bool on_path(ms *m, const char *dir)
{
    static const char *const std[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                      "/usr/bin", "/sbin", "/bin"};
    if (ms_on_env_path(m, dir))
        return true;
    const df_slice *v = env_path(m);
    if (v && !memmem(v->p, v->n, "$PATH", 5) && !memmem(v->p, v->n, "${PATH}", 7))
        return false;
    for (size_t i = 0; i < sizeof std / sizeof *std; i++)
        if (strcmp(dir, std[i]) == 0)
            return true;
    return false;
}

/* A program named without a slash, looked up in PATH. */
static bool use_program_name(ms *m, const df_node *n, const char *name)
{
    for (size_t i = 0; i < m->nregions; i++) {
        const region *r = &m->regions[i];
        if (!r->whole)
            continue;
        /* an output file in a PATH directory, or an output directory whose bin/ is on PATH */
        const char *slash = strrchr(r->path, '/');
        char *dir = arena_strndup(m->a, r->path, slash == r->path ? 1 : (size_t)(slash - r->path));
        if (strcmp(slash + 1, name) == 0 && on_path(m, dir)) {
            add_copy(m, r->path);
            return true;
        }
        const char *bin = ms_path_join(m->a, r->path, SLICE("bin"));
        if (ms_on_env_path(m, bin)) {
            add_copy(m, r->path);
            return true;
        }
    }
    if (eco_program(m->eco, name))
        return true;
    if (m->tools_in_path)
        return ms_refuse(m, n, "line %zu: the program `%s` is not an output of the build, and the "
                      "build installed tools into PATH: it may be one of them", n->line, name);
    m->needs_same_base = true;
    m->uses_other_program = true;
    return true;
}

/* Does an argument name a file? It has a slash (not a URL) or a file extension. */
static bool looks_like_path(const char *a)
{
    if (strstr(a, "://"))
        return false;
    if (strchr(a, '/'))
        return true;
    const char *dot = strrchr(a, '.');
    if (!dot || dot == a || !dot[1])
        return false;
    for (const char *p = dot + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9' && p > dot + 1)))
            return false;
    for (const char *p = a; p < dot; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return false;
    return true;
}

/* One command line (program and arguments) that runs in the runtime image. */
static bool use_argv(ms *m, const df_node *n, const char **argv, size_t argc)
{
    size_t i = 0;
    while (i < argc && (strcmp(argv[i], "exec") == 0 || strchr(argv[i], '=') == argv[i] + 0))
        i++;
    if (i >= argc)
        return true;
    const char *prog = argv[i];
    if (strcmp(prog, "npm") == 0 || strcmp(prog, "yarn") == 0 || strcmp(prog, "pnpm") == 0 ||
        strcmp(prog, "npx") == 0)
        return ms_refuse(m, n, "line %zu: the program is a package script (%s), whose files are "
                      "not known", n->line, prog);
    for (size_t k = i; k < argc; k++)
        if (strpbrk(argv[k], "*?["))
            return ms_refuse(m, n, "line %zu: the command uses a wildcard (%s): which file it "
                          "names is not known", n->line, argv[k]);
    if (strchr(prog, '/')) {
        const char *p = ms_path_join(m->a, m->workdir, slice_from(prog));
        if (!p)
            return ms_refuse(m, n, "line %zu: the relative program path %s with no WORKDIR",
                          n->line, prog);
        if (!use_path(m, n, p, true))
            return false;
    } else if (!use_program_name(m, n, prog)) {
        return false;
    }
    /* `sh script` (and other shells): the script is the program */
    static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh"};
    bool shell = false;
    for (size_t k = 0; k < sizeof shells / sizeof *shells; k++)
        shell |= strcmp(ms_base_name(prog), shells[k]) == 0;
    for (i++; i < argc; i++) {
        const char *a = argv[i];
        bool script = shell;
        shell = false;
        if (script && a[0] == '-') { /* a shell option; after -c comes a command string */
            shell = strcmp(a, "-c") != 0;
            continue;
        }
        if (script && !looks_like_path(a))
            return ms_refuse(m, n, "line %zu: the shell runs %s, which is not a file dfopt can "
                          "follow", n->line, a);
        if (script) {
            const char *p = ms_path_join(m->a, m->workdir, slice_from(a));
            if (!p)
                return ms_refuse(m, n, "line %zu: the relative path %s with no WORKDIR", n->line,
                              a);
            if (!use_path(m, n, p, true))
                return false;
            continue;
        }
        if (a[0] == '-') {
            const char *eq = strchr(a, '=');
            if (!eq || !looks_like_path(eq + 1))
                continue;
            a = eq + 1;
        }
        if (!looks_like_path(a))
            continue;
        const char *p = ms_path_join(m->a, m->workdir, slice_from(a));
        if (!p)
            return ms_refuse(m, n, "line %zu: the relative path %s with no WORKDIR", n->line, a);
        if (!use_path(m, n, p, false))
            return false;
    }
    return true;
}

/* ENTRYPOINT/CMD/HEALTHCHECK arguments: exec form as they are, shell form through sh. */
static bool use_command(ms *m, const df_node *n, const df_arg *args, size_t nargs, bool json)
{
    if (json) {
        const char **argv = arena_alloc(m->a, (nargs + 1) * sizeof *argv);
        for (size_t i = 0; i < nargs; i++)
            argv[i] = arena_strndup(m->a, args[i].v.p, args[i].v.n);
        return use_argv(m, n, argv, nargs);
    }
    m->needs_shell = true;
    df_slice script = nargs ? args[0].v : (df_slice){"", 0};
    sh_script s;
    sh_parse(m->a, script, &s);
    if (!s.ok || s.compound || s.heredoc)
        return ms_refuse(m, n, "line %zu: the shell command cannot be read with certainty",
                      n->line);
    for (size_t i = 0; i < s.ncmds; i++) {
        sh_cmd *c = &s.cmds[i];
        const char **argv = arena_alloc(m->a, (c->nwords + 1) * sizeof *argv);
        size_t argc = 0;
        for (size_t k = sh_program(c); k < c->nwords; k++) {
            sh_word *w = &c->words[k];
            if (w->literal) {
                argv[argc++] = arena_strndup(m->a, w->value.p, w->value.n);
                continue;
            }
            const char *v = ms_expand(m, (df_slice){script.p + w->off, w->len});
            if (!v)
                return ms_refuse(m, n, "line %zu: the command uses a variable whose value is not "
                              "known", n->line);
            argv[argc++] = v;
        }
        if (!use_argv(m, n, argv, argc))
            return false;
    }
    return true;
}

static bool analyse_program(ms *m)
{
    const df_node *e = m->entry, *c = m->cmd;
    if (!e && !c)
        return ms_refuse(m, m->doc->stages[0].from, "no ENTRYPOINT or CMD: the program is the base "
                      "image's, and what it needs is not known");
    if (e && (e->flags & DF_N_JSON) && c) {
        /* an exec-form ENTRYPOINT takes CMD as its arguments */
        if (!(c->flags & DF_N_JSON))
            return ms_refuse(m, c, "line %zu: a shell-form CMD as arguments of ENTRYPOINT",
                          c->line);
        df_arg *all = arena_alloc(m->a, (e->nargs + c->nargs + 1) * sizeof *all);
        memcpy(all, e->args, e->nargs * sizeof *all);
        memcpy(all + e->nargs, c->args, c->nargs * sizeof *all);
        if (!use_command(m, e, all, e->nargs + c->nargs, true))
            return false;
    } else if (e) {
        if (!use_command(m, e, e->args, e->nargs, e->flags & DF_N_JSON))
            return false;
    } else if (!use_command(m, c, c->args, c->nargs, c->flags & DF_N_JSON)) {
        return false;
    }
    const df_node *h = m->health;
    if (h && h->nargs >= 2 && slice_eq_nocase(h->args[0].v, "CMD")) {
        /* HEALTHCHECK CMD ["a","b"] gives the elements; the shell form one string */
        if (!use_command(m, h, h->args + 1, h->nargs - 1, h->flags & DF_N_JSON))
            return false;
    }
    return true;
}

/* ---- the runtime base ---- */

/* The image part and tag of a reference (no digest); false when it has a digest. */
static bool split_ref(const char *ref, df_slice *name, df_slice *tag)
{
    if (strchr(ref, '@'))
        return false;
    const char *slash = strrchr(ref, '/');
    const char *colon = strrchr(slash ? slash : ref, ':');
    *name = (df_slice){ref, colon ? (size_t)(colon - ref) : strlen(ref)};
    *tag = colon ? slice_from(colon + 1) : (df_slice){"", 0};
    return true;
}

static bool user_known(const ms *m, const char *const *extra)
{
    df_slice u = m->user;
    if (!u.n || ms_is_str(u, "root") || slice_has_prefix(u, "root:") || ms_is_str(u, "nobody"))
        return true;
    bool digits = true;
    for (size_t i = 0; i < u.n; i++)
        digits &= (u.p[i] >= '0' && u.p[i] <= '9') || u.p[i] == ':';
    if (digits)
        return true;
    for (; extra && *extra; extra++)
        if (ms_is_str(u, *extra))
            return true;
    return false;
}

/* The well-known runtime image for the builder's image, or NULL. */
static const char *runtime_variant(ms *m, const char *base, bool *has_shell)
{
    df_slice name, tag;
    if (!split_ref(base, &name, &tag))
        return NULL;
    df_buf b = {0};
    const char *out = NULL;
    *has_shell = true;
    if ((ms_is_str(name, "golang") || ms_is_str(name, "docker.io/library/golang")) && m->cgo_off &&
        !m->race && m->eco == ECO_GO) {
        static const char *const users[] = {"nonroot", NULL};
        if (user_known(m, users)) {
            *has_shell = false;
            out = "gcr.io/distroless/static-debian12";
        }
    } else if (m->eco == ECO_JAVA && user_known(m, NULL)) {
        /* maven:V-eclipse-temurin-N[-S], gradle:V-jdkN[-S], eclipse-temurin:N[-jdk][-S] */
        const char *t = arena_strndup(m->a, tag.p, tag.n);
        const char *jdk = NULL, *suffix = "";
        char version[32] = "";
        if (ms_is_str(name, "maven") && m->entry) {
            const char *p = strstr(t, "-eclipse-temurin-");
            if (p)
                jdk = p + strlen("-eclipse-temurin-");
        } else if (ms_is_str(name, "gradle")) {
            const char *p = strstr(t, "-jdk");
            if (p && p[4] >= '0' && p[4] <= '9')
                jdk = p + 4;
        } else if (ms_is_str(name, "eclipse-temurin")) {
            jdk = t;
        }
        if (jdk) {
            size_t k = 0;
            while (jdk[k] && jdk[k] != '-' && k + 1 < sizeof version)
                k++;
            memcpy(version, jdk, k);
            version[k] = '\0';
            suffix = jdk + k;
            if (ms_has_prefix_str(suffix, "-jdk"))
                suffix += 4;
            bool ok = k > 0 && version[0] >= '0' && version[0] <= '9';
            static const char *const known[] = {"", "-jammy", "-focal", "-noble", "-alpine",
                                                "-ubi9-minimal", "-centos7"};
            bool ks = false;
            for (size_t i = 0; i < sizeof known / sizeof *known; i++)
                ks |= strcmp(suffix, known[i]) == 0;
            if (ok && ks) {
                buf_printf(&b, "eclipse-temurin:%s-jre%s", version, suffix);
                out = arena_strndup(m->a, b.p, b.len);
            }
        }
    } else if (m->eco == ECO_DOTNET && ms_is_str(name, "mcr.microsoft.com/dotnet/sdk")) {
        static const char *const users[] = {"app", NULL};
        /* M.m[-suffix]: runtime tags follow the same pattern; SDK patch versions do not */
        size_t k = 0, dots = 0;
        while (k < tag.n && ((tag.p[k] >= '0' && tag.p[k] <= '9') || tag.p[k] == '.'))
            dots += tag.p[k++] == '.';
        if (k > 0 && dots == 1 && user_known(m, users)) {
            buf_printf(&b, "mcr.microsoft.com/dotnet/aspnet:" SLICE_FMT, SLICE_ARG(tag));
            out = arena_strndup(m->a, b.p, b.len);
        }
    }
    buf_free(&b);
    return out;
}

/* ---- emitting ---- */

static df_node *new_node(ms *m, df_diags *d, const char *text)
{
    df_node *n = ir_node_from_text(m->doc, arena_slice(m->a, text, strlen(text)), d);
    if (!n)
        die("multistage: generated text does not parse: %s", text);
    return n;
}

/* A path fit to write unquoted in COPY. */
static bool plain_path(const char *p)
{
    for (; *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'' || *p == '$' || *p == '\\' ||
            *p == '`' || *p == '*' || *p == '?' || *p == '[')
            return false;
    return true;
}

static const char *node_prune(ms *m, const char *base)
{
    switch (m->node_pm) {
    case 'y':
        return "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline";
    case 'p':
        return "pnpm prune --prod";
    default: {
        /* npm 7 and later (Node 15+) know --omit=dev; older ones --production */
        df_slice name, tag;
        if (split_ref(base, &name, &tag) && ms_is_str(name, "node")) {
            int major = 0;
            size_t k = 0;
            while (k < tag.n && tag.p[k] >= '0' && tag.p[k] <= '9')
                major = major * 10 + (tag.p[k++] - '0');
            if (k == 0 || major >= 15)
                return "npm prune --omit=dev";
        }
        return "npm prune --production";
    }
    }
}

/* How many commands of a RUN the runtime stage repeats: user creation always, package
 * commands and their cleanup when some RUN installs a package the program may need. */
static size_t replayed_pieces(const ms *m, const item *it)
{
    size_t n = 0;
    for (size_t i = 0; i < it->npieces; i++)
        n += it->pieces[i].cls == 'u' || m->pkg_replay;
    return n;
}

/* `RUN [flags] a && b`: the repeated commands of a RUN, build-tool package words left out. */
static void synthesize(ms *m, const item *it, df_buf *b)
{
    const df_node *n = it->n;
    ir_keyword(n, b, "RUN");
    for (size_t i = 0; i < n->nbflags; i++)
        buf_printf(b, " " SLICE_FMT, SLICE_ARG(n->bflags[i].v));
    df_slice script = n->args[0].v;
    const char *sep = " ";
    for (size_t i = 0; i < it->npieces; i++) {
        const struct piece *p = &it->pieces[i];
        if (p->cls != 'u' && !m->pkg_replay)
            continue;
        buf_puts(b, sep);
        sep = " && ";
        for (size_t at = p->off; at < p->end;) {
            size_t skip = 0;
            for (size_t k = 0; k < it->ndrop; k++)
                if (it->drop[2 * k] - n->args[0].off == at)
                    skip = it->drop[2 * k + 1];
            if (skip) {
                at += skip;
                while (at < p->end && (script.p[at] == ' ' || script.p[at] == '\t'))
                    at++;
                continue;
            }
            /* a line continuation inside the command becomes a space */
            if (script.p[at] == '\n' || script.p[at] == '\r')
                buf_putc(b, ' ');
            else
                buf_putc(b, script.p[at]);
            at++;
        }
        while (b->len && b->p[b->len - 1] == ' ')
            b->len--;
    }
}

/* Leaves the build-tool packages out of a repeated package RUN (each word with the blank
 * before it); the RUN is repeated whole when an edit would cross a line continuation. */
static void drop_words(df_doc *doc, df_node *n, const item *it, df_diags *d)
{
    ir_edits e = {0};
    for (size_t i = 0; i < it->ndrop; i++) {
        size_t off = it->drop[2 * i], len = it->drop[2 * i + 1];
        if (off > 0 && (n->logical.p[off - 1] == ' ' || n->logical.p[off - 1] == '\t'))
            off--, len++;
        ir_edit_add(&e, off, len, (df_slice){"", 0});
    }
    df_node saved = *n;
    if (!ir_edit_apply(doc, n, &e, d))
        *n = saved;
}

static bool emit(ms *m, df_diags *d, const char *runtime_base)
{
    df_doc *doc = m->doc;
    df_node *from = doc->stages[0].from;
    df_slice nl = ir_newline(doc);
    df_buf b = {0};
    /* the builder: FROM ... AS build */
    const char *stage = "build";
    if (doc->stages[0].name.n) {
        stage = arena_strndup(m->a, doc->stages[0].name.p, doc->stages[0].name.n);
    } else {
        ir_edits e = {0};
        df_buf as = {0};
        buf_putc(&as, ' ');
        ir_keyword(from, &as, "AS");
        buf_puts(&as, " build");
        size_t end = from->args[from->nargs - 1].off + from->args[from->nargs - 1].v.n;
        ir_edit_add(&e, end, 0, buf_to_arena(&as, &doc->arena));
        buf_free(&as);
        if (!ir_edit_apply(doc, from, &e, d))
            return ms_refuse(m, from, "the FROM line cannot be given a stage name");
    }
    df_node *at = m->items[m->split].n;
    /* the builder's last step for Node: drop development dependencies */
    if (m->eco == ECO_NODE) {
        /* appended to the build RUN (`&& prune`), or a RUN of its own when that RUN is in exec
         * form or holds a comment */
        df_slice script = at->nargs ? at->args[0].v : (df_slice){"", 0};
        bool append = !(at->flags & DF_N_JSON) && at->nargs == 1 && !memchr(script.p, '#', script.n);
        bool cd = (m->node_project && m->workdir && strcmp(m->node_project, m->workdir) != 0) ||
                  memmem(script.p, script.n, "cd ", 3);
        const char *prune = node_prune(m, arena_strndup(m->a, doc->stages[0].base_expanded.p,
                                                        doc->stages[0].base_expanded.n));
        b.len = 0;
        if (!append) {
            ir_keyword(from, &b, "RUN");
            buf_putc(&b, ' ');
        } else {
            buf_puts(&b, " && ");
        }
        if (cd)
            buf_printf(&b, "cd %s && ", m->node_project);
        buf_puts(&b, prune);
        if (append) {
            ir_edits e = {0};
            ir_edit_add(&e, at->args[0].off + script.n, 0, buf_to_arena(&b, &doc->arena));
            append = ir_edit_apply(doc, at, &e, d);
            if (!append) {
                b.len = 0;
                ir_keyword(from, &b, "RUN");
                buf_printf(&b, " %s%s%s", cd ? "cd " : "", cd ? m->node_project : "",
                           cd ? " && " : "");
                buf_puts(&b, prune);
            }
        }
        if (!append) {
            buf_put_slice(&b, nl);
            df_node *n = new_node(m, d, b.p);
            ir_insert_after(doc, at, n);
            at = n;
        }
    }
    /* the runtime stage */
    b.len = 0;
    buf_put_slice(&b, nl);
    ir_keyword(from, &b, "FROM");
    df_slice platform = doc->stages[0].platform;
    if (platform.n)
        buf_printf(&b, " --platform=" SLICE_FMT, SLICE_ARG(platform));
    buf_printf(&b, " %s", runtime_base);
    buf_put_slice(&b, nl);
    df_node *rt = new_node(m, d, b.p);
    ir_insert_after(doc, at, rt);
    at = rt;
    df_node *copies_from = NULL; /* replayed COPYs a replayed RUN may go before */
    for (size_t i = 0; i <= m->split; i++) {
        item *it = &m->items[i];
        size_t np = replayed_pieces(m, it);
        bool replay = it->k == K_CONFIG || it->k == K_COPYIMG || np > 0 ||
                      (it->k == K_COPY && (m->eco == ECO_PYTHON || !ms_region_of(m, it->dest)));
        if (!replay)
            continue;
        b.len = 0;
        if (it->n->kind == DF_RUN && np < it->ncmds) {
            /* only the RUN's package and user commands, in their order */
            synthesize(m, it, &b);
            buf_put_slice(&b, nl);
        } else {
            buf_put_slice(&b, it->n->text);
            if (b.len && b.p[b.len - 1] != '\n')
                buf_put_slice(&b, nl);
        }
        df_node *copy = new_node(m, d, b.p);
        if (it->n->kind == DF_RUN && np == it->ncmds && it->ndrop)
            drop_words(doc, copy, it, d);
        if (it->n->kind == DF_RUN && copies_from) {
            /* package and account commands never read files copied outside the system tree:
             * the RUN goes first (as the hoist pass orders them) */
            ir_insert_before(doc, copies_from, copy);
            continue;
        }
        ir_insert_after(doc, at, copy);
        at = copy;
        if (it->k == K_COPY && strcmp(it->dest, "/") != 0 &&
            !rw_path_system(slice_from(it->dest)))
            copies_from = copies_from ? copies_from : copy;
        else
            copies_from = NULL;
    }
    if (m->eco == ECO_NODE) {
        add_copy(m, ms_path_join(m->a, m->node_project, SLICE("node_modules")));
        add_copy(m, ms_path_join(m->a, m->node_project, SLICE("package.json")));
    }
    for (size_t i = 0; i < m->ncopies; i++) {
        b.len = 0;
        ir_keyword(from, &b, "COPY");
        buf_printf(&b, " --from=%s %s %s", stage, m->copies[i], m->copies[i]);
        buf_put_slice(&b, nl);
        df_node *copy = new_node(m, d, b.p);
        ir_insert_after(doc, at, copy);
        at = copy;
    }
    buf_free(&b);
    return true;
}

/* ---- what the build leaves beside the program ---- */

/* Files a program may read at run time from the source tree: web templates and assets,
 * configuration. The build files of Go, Rust and C projects are not among them. */
static bool asset_path(df_slice rel)
{
    static const char *const dirs[] = {"templates", "template", "static", "public", "assets",
                                       "views", "web", "www", "html", "config", "configs",
                                       "conf", "locales", "i18n", "translations", "migrations",
                                       "resources"};
    static const char *const exts[] = {"html", "htm", "tmpl", "tpl", "gohtml", "css", "js",
                                       "json", "yaml", "yml", "toml", "ini", "conf", "cfg",
                                       "env", "properties", "xml", "sql"};
    static const char *const build_files[] = {
        "go.mod", "go.sum", "go.work", "go.work.sum", "Cargo.toml", "Cargo.lock",
        "rust-toolchain.toml", "rustfmt.toml", "clippy.toml", "deny.toml", "build.rs",
        "CMakeLists.txt", "CMakePresets.json", "compile_commands.json", "vcpkg.json",
        "meson.build", "Makefile", "conanfile.txt"};
    for (size_t i = 0; i < rel.n;) {
        size_t e = i;
        while (e < rel.n && rel.p[e] != '/')
            e++;
        df_slice c = {rel.p + i, e - i};
        bool last = e == rel.n;
        if (c.n && c.p[0] == '.' && !ms_is_str(c, ".") && !slice_has_prefix(c, ".env"))
            return false; /* .git, .github, editor settings */
        if (!last && (ms_is_str(c, "vendor") || ms_is_str(c, "testdata") || ms_is_str(c, "tests") ||
                      ms_is_str(c, "target") || ms_is_str(c, "node_modules")))
            return false;
        for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++)
            if (ms_is_str(c, dirs[k]))
                return true;
        if (last) {
            if (slice_has_prefix(c, ".env"))
                return true;
            for (size_t k = 0; k < sizeof build_files / sizeof *build_files; k++)
                if (ms_is_str(c, build_files[k]))
                    return false;
            const char *dot = memrchr(c.p, '.', c.n);
            df_slice ext = dot ? (df_slice){dot + 1, c.n - (size_t)(dot + 1 - c.p)} : (df_slice){"", 0};
            for (size_t k = 0; dot && k < sizeof exts / sizeof *exts; k++)
                if (ms_is_str(ext, exts[k]))
                    return true;
        }
        i = e + 1;
    }
    return false;
}

typedef struct assetscan {
    ms *m;
    const char *found;
} assetscan;

static bool asset_visit(void *arg, df_slice rel, ctx_kind what)
{
    assetscan *a = arg;
    (void)what;
    if (!asset_path(rel))
        return true;
    a->found = arena_strndup(a->m->a, rel.p, rel.n);
    return false;
}

/* Go, Rust and C programs are copied alone, without the source tree: refuse when that tree
 * holds files the program may read at run time (templates, static files, configuration). With
 * a build context the COPY sources are looked at; without one, a Go build whose sources are not
 * only *.go, go.mod and go.sum files is refused. */
static bool no_assets(ms *m)
{
    if (m->eco != ECO_GO && m->eco != ECO_RUST && m->eco != ECO_C)
        return true;
    const df_context *ctx = doc_context(m->doc);
    for (size_t i = 0; i <= m->split; i++) {
        const item *it = &m->items[i];
        if (it->k != K_COPY || !ms_region_of(m, it->dest))
            continue; /* repeated in the runtime stage */
        for (size_t k = 0; k + 1 < it->n->nargs; k++) {
            const char *src = ms_expand(m, it->n->args[k].v);
            if (!src)
                return ms_refuse(m, it->n, "line %zu: a COPY source holds a variable whose "
                              "value is not known", it->n->line);
            df_slice rel = ctx_clean(m->a, slice_from(src));
            if (!ctx) {
                if (m->eco == ECO_GO && !rw_ends_with(rel, ".go") && !ms_is_str(rel, "go.mod") &&
                    !ms_is_str(rel, "go.sum"))
                    return ms_refuse(m, it->n, "line %zu: with no build context to look at, COPY "
                                  "%s may bring templates, static files or configuration the "
                                  "program reads at run time", it->n->line, src);
                continue;
            }
            assetscan a = {m, NULL};
            bool complete;
            if (strpbrk(src, "*?["))
                complete = ctx_walk(ctx, SLICE("."), asset_visit, &a);
            else
                complete = ctx_walk(ctx, rel, asset_visit, &a);
            if (a.found)
                return ms_refuse(m, it->n, "line %zu: the source tree holds %s, which the program "
                              "may read at run time: the runtime stage has only the program",
                              it->n->line, a.found);
            if (!complete)
                return ms_refuse(m, it->n, "line %zu: COPY %s brings in too many files to look "
                              "at", it->n->line, src);
        }
    }
    return true;
}

/* The build wrote other files into the directory of a path the runtime copies (`go build -o
 * /out/app && cp -r static /out/static`): the program may read them beside itself. */
static bool nothing_beside(ms *m)
{
    for (size_t i = 0; i < m->ncopies; i++) {
        const char *c = m->copies[i];
        const char *slash = strrchr(c, '/');
        if (!slash || slash == c)
            continue; /* in /: everything is beside it */
        const char *dir = arena_strndup(m->a, c, (size_t)(slash - c));
        for (size_t k = 0; k < m->nregions; k++) {
            const region *r = &m->regions[k];
            if (!r->whole || !ms_under(r->path, dir) || ms_under(r->path, c) ||
                ms_under(c, r->path))
                continue;
            bool copied = false;
            for (size_t j = 0; j < m->ncopies; j++)
                copied |= ms_under(r->path, m->copies[j]);
            if (!copied)
                return ms_refuse(m, m->items[m->split].n, "the build also writes %s beside %s, "
                              "which the program may read: only %s would be copied", r->path, c,
                              c);
        }
    }
    return true;
}

/* On Alpine (musl) the C++ runtime (libstdc++) and libgcc_s arrive only with the compiler
 * packages, which the runtime stage leaves out; other distributions' base images carry them
 * (their package managers depend on them). */
static bool c_runtime_libraries(ms *m)
{
    if (m->eco != ECO_C || (m->libstdcxx && m->libgcc))
        return true;
    df_slice base = m->doc->stages[0].base_expanded;
    if (!m->apk && !memmem(base.p, base.n, "alpine", 6))
        return true;
    return ms_refuse(m, m->items[m->split].n, "a C/C++ build on Alpine: libstdc++ and libgcc_s "
                  "come with the compiler packages, which the runtime stage leaves out (install "
                  "libstdc++ and libgcc by name to keep them)");
}

/* ---- the pass ---- */

static bool asked(const df_doc *doc)
{
    const char *p = doc->opt ? doc->opt->passes : NULL;
    for (; p && *p; p += strcspn(p, ","), p += *p == ',')
        if (strcspn(p, ",") == 10 && strncmp(p, "multistage", 10) == 0)
            return true;
    return false;
}

static bool split(ms *m, df_diags *d)
{
    df_doc *doc = m->doc;
    /* silently: this is also the pass's own output, on a later round; a part of a large file
     * (segment.c) is one of several stages */
    if (doc->nstages != 1 || (doc->facts && doc->facts->of_parts))
        return false;
    const df_stage *st = &doc->stages[0];
    if (st->base_stage >= 0 || slice_eq_nocase(st->base_expanded, "scratch") || !st->from->nargs)
        return ms_refuse(m, st->from, "the stage is not built on an image");
    if (!scan(m) || !analyse_program(m) || !c_runtime_libraries(m) || !nothing_beside(m) ||
        !no_assets(m))
        return false;
    for (size_t i = 0; i <= m->split; i++) {
        const item *it = &m->items[i];
        size_t np = replayed_pieces(m, it);
        if (np && np < it->ncmds && (it->other_ops || (it->n->flags & DF_N_JSON)))
            return ms_refuse(m, it->n, "line %zu: the RUN's package or user commands are joined "
                             "to its other commands by || or a pipe", it->n->line);
    }
    for (size_t i = 0; i < m->ncopies; i++)
        if (!plain_path(m->copies[i]))
            return ms_refuse(m, m->items[m->split].n, "the output path %s needs quoting",
                          m->copies[i]);
    if (m->ncopies == 0 && m->eco != ECO_PYTHON)
        return ms_refuse(m, m->entry ? m->entry : m->cmd, "the program uses nothing the build "
                      "produced");
    const char *base = arena_strndup(m->a, st->base.p, st->base.n);
    const char *runtime = doc->opt && doc->opt->runtime_base ? doc->opt->runtime_base : NULL;
    if (!runtime) {
        bool has_shell = true;
        const char *expanded = arena_strndup(m->a, st->base_expanded.p, st->base_expanded.n);
        const char *variant = runtime_variant(m, expanded, &has_shell);
        bool any_runs = m->runs_in_runtime || m->pkg_replay;
        for (size_t i = 0; i <= m->split; i++)
            any_runs |= replayed_pieces(m, &m->items[i]) > 0;
        if (variant && !m->needs_same_base && !any_runs && (has_shell || !m->needs_shell))
            runtime = variant;
        else
            runtime = base;
    }
    return emit(m, d, runtime);
}

PASS(multistage)
{
    ms m = {.doc = doc, .a = &doc->arena};
    bool changed = split(&m, d);
    if (!changed && m.why && asked(doc)) {
        const df_node *n = m.why_node;
        if (n && (n->src_off != SIZE_MAX || n->line))
            diag_node(d, DIAG_NOTE, doc, n, n->src_off, n->keyword.n, "multistage: not split: %s",
                      m.why);
        else
            diag_addf_plain(d, DIAG_NOTE, "multistage: not split: %s", m.why);
    }
    free(m.vars);
    free(m.regions);
    name_index_free(&m.region_index);
    free(m.checks);
    free(m.copies);
    return changed;
}
