/*
 * spec.c: the shape of a `dfopt gen` spec, as tables, and the two things made from them:
 *
 *   spec_check   walks a loaded YAML tree against the tables: unknown keys (with a suggestion),
 *                duplicate keys, wrong value types, values outside their choices, missing required
 *                keys, and the document-level rules (`stages` or the keys of one stage, `build`);
 *   spec_schema  prints the tables as the JSON Schema in docs/spec.schema.json.
 *
 * The rules about what values may contain (characters a Dockerfile cannot carry, names, ports,
 * durations) belong to the renderer (gen_emit.c), which knows where each value goes.
 */
#include "gen.h"

#include <stdarg.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the tables ---- */

static const spec_field mount_fields[] = {
    {"type", F_WORD, NULL, SF_REQUIRED, "cache|secret|ssh|bind|tmpfs", "what is mounted"},
    {"target", F_WORD, NULL, 0, NULL, "where it is mounted in the build container"},
    {"source", F_WORD, NULL, 0, NULL, "path inside `from` to mount (bind, cache)"},
    {"from", F_WORD, NULL, 0, NULL, "stage or image the source comes from (bind, cache)"},
    {"id", F_WORD, NULL, 0, NULL, "cache id, secret id or ssh agent id"},
    {"sharing", F_WORD, NULL, 0, "shared|private|locked", "how concurrent builds share a cache"},
    {"mode", F_WORD, NULL, 0, NULL, "file mode of the mount (cache, secret, ssh)"},
    {"uid", F_WORD, NULL, 0, NULL, "owner user id (cache, secret, ssh)"},
    {"gid", F_WORD, NULL, 0, NULL, "owner group id (cache, secret, ssh)"},
    {"required", F_BOOL, NULL, 0, NULL, "fail when the secret or ssh agent is not provided"},
    {"readonly", F_BOOL, NULL, 0, NULL, "mount read-only (bind, cache)"},
    {"env", F_WORD, NULL, 0, NULL, "expose the secret as this environment variable (secret)"},
    {"size", F_WORD, NULL, 0, NULL, "size limit (tmpfs)"},
};
static const spec_obj mount_obj = {"mount", "a mount", mount_fields, N(mount_fields), NULL, false,
                                   NULL, NULL, "a RUN --mount", false};

static const spec_field run_fields[] = {
    {"commands", F_WORDS, NULL, 0, NULL,
     "shell commands, joined with && into one RUN (a multi-line one makes a heredoc script)"},
    {"exec", F_LIST, NULL, 0, NULL, "exec form instead of commands: the program and its arguments"},
    {"mounts", F_OBJS, &mount_obj, 0, NULL, "RUN --mount: caches, secrets, ssh agents, binds"},
    {"network", F_WORD, NULL, 0, "default|none|host", "RUN --network"},
    {"security", F_WORD, NULL, 0, "sandbox|insecure", "RUN --security"},
};
static const spec_obj run_obj = {"run", "a run", run_fields, N(run_fields), "commands", false,
                                 NULL, NULL,
                                 "one RUN instruction: a command, a list of commands, or this", false};

static const spec_field copy_fields[] = {
    {"src", F_WORDS, NULL, 0, NULL, "source paths (or globs) in the context or in `from`"},
    {"content", F_WORD, NULL, 0, NULL, "the file's text, written with a heredoc (instead of src)"},
    {"dest", F_WORD, NULL, SF_REQUIRED, NULL, "destination; a directory ends with /"},
    {"from", F_WORD, NULL, 0, NULL, "copy from this stage or image instead of the context"},
    {"chown", F_WORD, NULL, 0, NULL, "owner user[:group] of the copied files"},
    {"chmod", F_WORD, NULL, 0, NULL, "mode of the copied files"},
    {"link", F_BOOL, NULL, 0, NULL, "COPY --link: an independent layer"},
    {"parents", F_BOOL, NULL, 0, NULL, "COPY --parents: keep the source's parent directories"},
    {"exclude", F_WORDS, NULL, 0, NULL, "patterns of files not to copy"},
};
static const spec_obj copy_obj = {"copy", "a copy entry", copy_fields, N(copy_fields), NULL,
                                  false, NULL, NULL, "one COPY instruction", false};

static const spec_field add_fields[] = {
    {"src", F_WORDS, NULL, SF_REQUIRED, NULL, "sources: context paths, URLs, git repositories"},
    {"dest", F_WORD, NULL, SF_REQUIRED, NULL, "destination; a directory ends with /"},
    {"checksum", F_WORD, NULL, 0, NULL, "ADD --checksum of a remote source (sha256:...)"},
    {"chown", F_WORD, NULL, 0, NULL, "owner user[:group] of the added files"},
    {"chmod", F_WORD, NULL, 0, NULL, "mode of the added files"},
    {"link", F_BOOL, NULL, 0, NULL, "ADD --link: an independent layer"},
    {"keep_git_dir", F_BOOL, NULL, 0, NULL, "keep the .git directory of a git source"},
    {"exclude", F_WORDS, NULL, 0, NULL, "patterns of files not to add"},
};
static const spec_obj add_obj = {"add", "an add entry", add_fields, N(add_fields), NULL, false,
                                 NULL, NULL, "one ADD instruction (remote files, archives)", false};

static const spec_field health_fields[] = {
    {"test", F_COMMAND, NULL, SF_REQUIRED, NULL,
     "the check: a shell command, or a list for exec form"},
    {"interval", F_WORD, NULL, 0, NULL, "time between checks (30s, 1m30s)"},
    {"timeout", F_WORD, NULL, 0, NULL, "time before a check counts as failed"},
    {"start_period", F_WORD, NULL, 0, NULL, "start-up time during which failures do not count"},
    {"start_interval", F_WORD, NULL, 0, NULL, "time between checks during the start period"},
    {"retries", F_INT, NULL, 0, NULL, "consecutive failures that make the container unhealthy"},
};
static const spec_obj health_obj = {"healthcheck", "a healthcheck", health_fields,
                                    N(health_fields), "test", false, "none", NULL,
                                    "HEALTHCHECK; `none` disables the base image's check", false};

static const spec_field package_fields[] = {
    {"apt", F_WORDS, NULL, 0, NULL, "Debian/Ubuntu packages (apt-get)"},
    {"apk", F_WORDS, NULL, 0, NULL, "Alpine packages"},
    {"dnf", F_WORDS, NULL, 0, NULL, "Fedora/RHEL packages (dnf)"},
    {"yum", F_WORDS, NULL, 0, NULL, "RHEL/CentOS 7 packages (yum)"},
    {"microdnf", F_WORDS, NULL, 0, NULL, "UBI minimal packages (microdnf)"},
    {"zypper", F_WORDS, NULL, 0, NULL, "openSUSE/SLES packages"},
    {"pip", F_WORDS, NULL, 0, NULL, "Python packages"},
    {"npm", F_WORDS, NULL, 0, NULL, "Node packages, installed globally"},
    {"gem", F_WORDS, NULL, 0, NULL, "Ruby gems"},
};
static const spec_obj packages_obj = {"packages", "a packages mapping", package_fields,
                                      N(package_fields), NULL, false, NULL, NULL,
                                      "packages to install, per package manager; one RUN each", false};

static const spec_obj step_obj;

/* The first three keys are the stage's header, the last is `steps`; the ones between can also be
 * steps (step_obj's fields are that slice). */
static const spec_field stage_fields[] = {
    {"from", F_WORD, NULL, SF_REQUIRED, NULL, "base image, or the name of an earlier stage"},
    {"name", F_WORD, NULL, 0, NULL, "stage name (FROM ... AS name)"},
    {"platform", F_WORD, NULL, 0, NULL, "FROM --platform"},
    {"args", F_ARGMAP, NULL, SF_STEP, NULL, "ARG: build arguments with defaults (null: none)"},
    {"shell", F_LIST, NULL, SF_STEP, NULL, "SHELL: the shell for shell-form commands"},
    {"env", F_MAP, NULL, SF_STEP, NULL, "ENV: environment variables"},
    {"labels", F_MAP, NULL, SF_STEP, NULL, "LABEL: image labels"},
    {"packages", F_OBJ, &packages_obj, SF_STEP, NULL, "packages to install, per manager"},
    {"workdir", F_WORD, NULL, SF_STEP, NULL, "WORKDIR"},
    {"copy", F_OBJS, &copy_obj, SF_STEP, NULL, "COPY entries"},
    {"add", F_OBJS, &add_obj, SF_STEP, NULL, "ADD entries"},
    {"run", F_OBJ, &run_obj, SF_STEP, NULL, "one RUN: commands, mounts, network"},
    {"user", F_WORD, NULL, SF_STEP, NULL, "USER the container runs as (set after the build steps)"},
    {"expose", F_WORDS, NULL, SF_STEP, NULL, "EXPOSE: ports, e.g. 8080 or 53/udp"},
    {"volumes", F_WORDS, NULL, SF_STEP, NULL, "VOLUME: mount points"},
    {"healthcheck", F_OBJ, &health_obj, SF_STEP, NULL, "HEALTHCHECK"},
    {"stopsignal", F_WORD, NULL, SF_STEP, NULL, "STOPSIGNAL"},
    {"entrypoint", F_COMMAND, NULL, SF_STEP, NULL, "ENTRYPOINT: a list (exec form) or a string"},
    {"cmd", F_COMMAND, NULL, SF_STEP, NULL, "CMD: a list (exec form) or a string"},
    {"steps", F_STEPS, &step_obj, 0, NULL,
     "instructions in order, each a one-key mapping (after the keys above, before `user`)"},
};
const spec_obj spec_stage_obj = {"stage", "a stage", stage_fields, N(stage_fields), NULL, false,
                                 NULL, NULL, "one build stage", true};
static const spec_obj step_obj = {"step", "a step", stage_fields + 3, N(stage_fields) - 4, NULL,
                                  true, NULL, NULL, "one instruction of a stage's steps", false};

static const spec_field go_fields[] = {
    {"version", F_WORD, NULL, 0, NULL, "Go version: the golang image tag (default 1)"},
    {"main", F_WORD, NULL, 0, NULL, "package to build (default .)"},
    {"binary", F_WORD, NULL, 0, NULL, "name of the executable (default app)"},
    {"cgo", F_BOOL, NULL, 0, NULL, "build with cgo (default false: a static binary)"},
    {"ldflags", F_WORD, NULL, 0, NULL, "go build -ldflags (default -s -w)"},
    {"builder", F_WORD, NULL, 0, NULL, "builder image instead of golang:VERSION"},
};
static const spec_field node_fields[] = {
    {"version", F_WORD, NULL, 0, NULL, "Node version: the node image tag prefix (default 22)"},
    {"script", F_WORD, NULL, 0, NULL, "npm script that builds the app (npm run SCRIPT)"},
    {"main", F_WORD, NULL, 0, NULL, "file node runs (default index.js)"},
    {"builder", F_WORD, NULL, 0, NULL, "builder image instead of node:VERSION-slim"},
};
static const spec_field java_fields[] = {
    {"version", F_WORD, NULL, 0, NULL, "JDK version (default 21)"},
    {"tool", F_WORD, NULL, 0, "maven|gradle", "build tool (default maven)"},
    {"jar", F_WORD, NULL, 0, NULL, "path (glob) of the built jar, relative to the project"},
    {"builder", F_WORD, NULL, 0, NULL, "builder image instead of the tool's JDK image"},
};
static const spec_field rust_fields[] = {
    {"version", F_WORD, NULL, 0, NULL, "Rust version: the rust image tag (default 1)"},
    {"binary", F_WORD, NULL, SF_REQUIRED, NULL, "name of the binary target"},
    {"builder", F_WORD, NULL, 0, NULL, "builder image instead of rust:VERSION"},
};
static const spec_field python_fields[] = {
    {"version", F_WORD, NULL, 0, NULL, "Python version (default 3.12)"},
    {"requirements", F_WORD, NULL, 0, NULL, "requirements file (default requirements.txt)"},
    {"main", F_WORD, NULL, 0, NULL, "script python runs (default app.py)"},
    {"builder", F_WORD, NULL, 0, NULL, "builder image instead of python:VERSION-slim"},
};
static const spec_obj go_obj = {"build_go", "a Go build", go_fields, N(go_fields), NULL, false,
                                NULL, NULL, "Go: builder stage with module cache, static binary", false};
static const spec_obj node_obj = {"build_node", "a Node build", node_fields, N(node_fields), NULL,
                                  false, NULL, NULL, "Node: npm ci, build script, production deps", false};
static const spec_obj java_obj = {"build_java", "a Java build", java_fields, N(java_fields), NULL,
                                  false, NULL, NULL, "Java: Maven or Gradle jar on a JRE", false};
static const spec_obj rust_obj = {"build_rust", "a Rust build", rust_fields, N(rust_fields), NULL,
                                  false, NULL, NULL, "Rust: cargo build --release", false};
static const spec_obj python_obj = {"build_python", "a Python build", python_fields,
                                    N(python_fields), NULL, false, NULL, NULL,
                                    "Python: a virtualenv built in the builder stage", false};

static const spec_field build_fields[] = {
    {"go", F_OBJ, &go_obj, 0, NULL, "a Go module"},
    {"node", F_OBJ, &node_obj, 0, NULL, "a Node.js app (npm)"},
    {"java", F_OBJ, &java_obj, 0, NULL, "a Java app (Maven or Gradle)"},
    {"rust", F_OBJ, &rust_obj, 0, NULL, "a Rust crate"},
    {"python", F_OBJ, &python_obj, 0, NULL, "a Python app (pip)"},
};
static const spec_obj build_obj = {"build", "a build", build_fields, N(build_fields), NULL, true,
                                   NULL, NULL,
                                   "an ecosystem shorthand: a builder stage, then the top-level "
                                   "keys as the runtime stage", false};

static const spec_field document_fields[] = {
    {"syntax", F_WORD, NULL, 0, NULL,
     "the # syntax= directive (default docker/dockerfile:1; empty: none)"},
    {"escape", F_WORD, NULL, 0, "\\|`", "the # escape= character (default \\)"},
    {"global_args", F_ARGMAP, NULL, 0, NULL, "ARGs before the first FROM (usable in `from`)"},
    {"ignore", F_WORDS, NULL, 0, NULL, ".dockerignore patterns (written beside -o FILE)"},
    {"stages", F_OBJS, &spec_stage_obj, 0, NULL, "the stages, in order"},
    {"build", F_OBJ, &build_obj, 0, NULL, "an ecosystem shorthand (go, node, java, rust, python)"},
};
const spec_obj spec_document = {"document", "the document", document_fields,
                                N(document_fields), NULL, false, NULL, &spec_stage_obj,
                                "a dfopt gen spec: `stages`, or the keys of one stage", true};

/* ---- checking ---- */

typedef struct checker {
    const df_doc *src;
    df_diags *d;
} checker;

static void check_value(checker *c, const ynode *v, const spec_field *f);

static bool is_scalar(const ynode *n)
{
    return n->kind == YN_SCALAR && n->type != YS_NULL;
}

bool spec_true(const ynode *n)
{
    return n && n->kind == YN_SCALAR && n->type == YS_BOOL && n->truth;
}

static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[64];
    if (nb >= N(row))
        return SIZE_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t corner = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = corner + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            corner = up;
        }
    }
    return row[nb];
}

static const spec_field *find_field(const spec_obj *o, df_slice key)
{
    for (size_t i = 0; i < o->nfields; i++)
        if (slice_eq_str(key, o->fields[i].key))
            return &o->fields[i];
    return NULL;
}

/* The closest key of o (and o->also) to key, within two edits, or NULL. */
static const char *suggest(const spec_obj *o, df_slice key)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (const spec_obj *x = o; x; x = x->also)
        for (size_t i = 0; i < x->nfields; i++) {
            const char *k = x->fields[i].key;
            size_t dist = distance(key.p, key.n, k, strlen(k));
            if (dist < bestd && dist < strlen(k)) {
                bestd = dist;
                best = k;
            }
        }
    return best;
}

static bool in_choices(df_slice v, const char *choices)
{
    for (const char *p = choices; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (v.n == n && memcmp(v.p, p, n) == 0)
            return true;
        p = e ? e + 1 : p + n;
    }
    return false;
}

static void choices_list(df_buf *b, const char *choices)
{
    for (const char *p = choices; *p; p++) {
        if (*p == '|')
            buf_puts(b, ", ");
        else
            buf_putc(b, *p);
    }
}

static void check_word(checker *c, const ynode *v, const spec_field *f, const char *what)
{
    if (!is_scalar(v)) {
        yaml_error(c->d, c->src, v, "%s must be a string, not %s", what, yaml_what(v));
        return;
    }
    if (f->choices && !in_choices(v->text, f->choices)) {
        df_buf b = {0};
        choices_list(&b, f->choices);
        yaml_error(c->d, c->src, v, "%s must be one of %s, not '" SLICE_FMT "'", what, b.p,
                   SLICE_ARG(v->text));
        buf_free(&b);
    }
}

static void check_list(checker *c, const ynode *v, const spec_field *f, const char *what)
{
    for (size_t i = 0; i < v->n; i++) {
        if (!is_scalar(v->v[i]))
            yaml_error(c->d, c->src, v->v[i], "an item of %s must be a string, not %s", what,
                       yaml_what(v->v[i]));
        else if (f->choices)
            check_word(c, v->v[i], f, what);
    }
}

static int cmp_keys(const void *a, const void *b)
{
    const ynode *x = *(const ynode *const *)a, *y = *(const ynode *const *)b;
    size_t n = x->text.n < y->text.n ? x->text.n : y->text.n;
    int r = n ? memcmp(x->text.p, y->text.p, n) : 0;
    if (r)
        return r;
    if (x->text.n != y->text.n)
        return x->text.n < y->text.n ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Keys must be strings and unique; duplicates are found by sorting (no quadratic scan). */
static bool check_keys(checker *c, const ynode *m, const char *what)
{
    bool ok = true;
    const ynode **keys = xmalloc((m->n ? m->n : 1) * sizeof *keys);
    size_t nk = 0;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->v[2 * i];
        if (!is_scalar(k)) {
            yaml_error(c->d, c->src, k, "a key in %s must be a string, not %s", what,
                       yaml_what(k));
            ok = false;
        } else {
            keys[nk++] = k;
        }
    }
    qsort(keys, nk, sizeof *keys, cmp_keys);
    for (size_t i = 1; i < nk; i++) {
        if (slice_eq(keys[i]->text, keys[i - 1]->text) && keys[i] != keys[i - 1]) {
            size_t line, col;
            ir_line_col(c->src, keys[i - 1]->off, &line, &col);
            const ynode *later = keys[i]->off > keys[i - 1]->off ? keys[i] : keys[i - 1];
            yaml_error(c->d, c->src, later, "duplicate key '" SLICE_FMT "' (also on line %zu)",
                       SLICE_ARG(keys[i]->text), line);
            ok = false;
        }
    }
    free(keys);
    return ok;
}

static void check_map(checker *c, const ynode *v, const spec_field *f, bool nulls)
{
    char what[96];
    snprintf(what, sizeof what, "'%s'", f->key);
    if (v->kind != YN_MAP) {
        yaml_error(c->d, c->src, v, "'%s' must be a mapping of names to values, not %s", f->key,
                   yaml_what(v));
        return;
    }
    check_keys(c, v, what);
    for (size_t i = 0; i < v->n; i++) {
        const ynode *k = v->v[2 * i], *x = v->v[2 * i + 1];
        if (x->kind == YN_SCALAR && (nulls || x->type != YS_NULL))
            continue;
        if (k->kind == YN_SCALAR)
            yaml_error(c->d, c->src, x, "the value of '" SLICE_FMT "' in '%s' must be a string, "
                       "not %s", SLICE_ARG(k->text), f->key, yaml_what(x));
    }
}

static void check_obj(checker *c, const ynode *m, const spec_obj *o);

static void check_value(checker *c, const ynode *v, const spec_field *f)
{
    char what[96];
    snprintf(what, sizeof what, "'%s'", f->key);
    switch (f->type) {
    case F_WORD:
        check_word(c, v, f, what);
        break;
    case F_WORDS:
        if (v->kind == YN_SEQ)
            check_list(c, v, f, what);
        else if (!is_scalar(v))
            yaml_error(c->d, c->src, v, "%s must be a string or a list of strings, not %s", what,
                       yaml_what(v));
        break;
    case F_LIST:
        if (v->kind == YN_SEQ)
            check_list(c, v, f, what);
        else
            yaml_error(c->d, c->src, v, "%s must be a list of strings, not %s", what,
                       yaml_what(v));
        break;
    case F_COMMAND:
        if (v->kind == YN_SEQ) {
            check_list(c, v, f, what);
        } else if (!is_scalar(v)) {
            yaml_error(c->d, c->src, v, "%s must be a string or a list of strings, not %s", what,
                       yaml_what(v));
        }
        break;
    case F_MAP:
    case F_ARGMAP:
        check_map(c, v, f, f->type == F_ARGMAP);
        break;
    case F_BOOL:
        if (v->kind != YN_SCALAR || v->type != YS_BOOL)
            yaml_error(c->d, c->src, v, "%s must be true or false, not %s", what, yaml_what(v));
        break;
    case F_INT:
        if (v->kind != YN_SCALAR || v->type != YS_INT || v->text.p[0] == '-')
            yaml_error(c->d, c->src, v, "%s must be a whole number, not %s", what,
                       v->kind == YN_SCALAR && v->type == YS_INT ? "a negative one"
                                                                 : yaml_what(v));
        break;
    case F_OBJ:
        if (v->kind == YN_MAP) {
            check_obj(c, v, f->obj);
        } else if (f->obj->scalar && is_scalar(v) && slice_eq_str(v->text, f->obj->scalar)) {
            /* e.g. healthcheck: none */
        } else if (f->obj->shorthand) {
            check_value(c, v, find_field(f->obj, slice_from(f->obj->shorthand)));
        } else {
            yaml_error(c->d, c->src, v, "%s must be a mapping, not %s", what, yaml_what(v));
        }
        break;
    case F_OBJS:
        if (v->kind == YN_MAP) {
            check_obj(c, v, f->obj);
        } else if (v->kind == YN_SEQ) {
            for (size_t i = 0; i < v->n; i++) {
                if (v->v[i]->kind == YN_MAP)
                    check_obj(c, v->v[i], f->obj);
                else
                    yaml_error(c->d, c->src, v->v[i], "an item of %s must be %s (a mapping), "
                               "not %s", what, f->obj->noun, yaml_what(v->v[i]));
            }
        } else {
            yaml_error(c->d, c->src, v, "%s must be a list of mappings, not %s", what,
                       yaml_what(v));
        }
        break;
    case F_STEPS:
        if (v->kind != YN_SEQ) {
            yaml_error(c->d, c->src, v, "%s must be a list of steps, not %s", what, yaml_what(v));
            break;
        }
        for (size_t i = 0; i < v->n; i++) {
            if (v->v[i]->kind == YN_MAP)
                check_obj(c, v->v[i], f->obj);
            else
                yaml_error(c->d, c->src, v->v[i], "a step must be a mapping with one key, like "
                           "`- run: make`, not %s", yaml_what(v->v[i]));
        }
        break;
    }
}

static void key_names(df_buf *b, const spec_obj *o)
{
    for (size_t i = 0; i < o->nfields; i++)
        buf_printf(b, "%s%s", i ? ", " : "", o->fields[i].key);
}

static void check_obj(checker *c, const ynode *m, const spec_obj *o)
{
    check_keys(c, m, o->noun);
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->v[2 * i], *v = m->v[2 * i + 1];
        if (!is_scalar(k))
            continue;
        const spec_field *f = find_field(o, k->text);
        if (!f && o->also)
            f = find_field(o->also, k->text);
        if (!f && o->extensions && slice_has_prefix(k->text, "x-"))
            continue; /* an extension key: a place for anchors, ignored */
        if (!f) {
            const char *s = suggest(o, k->text);
            if (s)
                yaml_error(c->d, c->src, k, "unknown key '" SLICE_FMT "' in %s; did you mean "
                           "'%s'?", SLICE_ARG(k->text), o->noun, s);
            else {
                df_buf b = {0};
                key_names(&b, o);
                if (o->also)
                    buf_printf(&b, ", or the keys of %s", o->also->noun);
                yaml_error(c->d, c->src, k, "unknown key '" SLICE_FMT "' in %s (it takes %s)",
                           SLICE_ARG(k->text), o->noun, b.p);
                buf_free(&b);
            }
            continue;
        }
        check_value(c, v, f);
    }
    if (o->one_key && m->n != 1) {
        df_buf b = {0};
        key_names(&b, o);
        yaml_error(c->d, c->src, m, "%s has exactly one key (one of %s); this one has %zu",
                   o->noun, b.p, m->n);
        buf_free(&b);
    }
    for (size_t i = 0; i < o->nfields; i++)
        if ((o->fields[i].flags & SF_REQUIRED) && !yaml_get(m, o->fields[i].key))
            yaml_error(c->d, c->src, m, "%s needs the key '%s'", o->noun, o->fields[i].key);
}

/* The document: `stages`, or one stage's keys at the top level (with `build` optionally). */
static void check_document(checker *c, const ynode *root)
{
    if (root->kind != YN_MAP) {
        yaml_error(c->d, c->src, root, "a spec must be a mapping (keys like `from:` or "
                   "`stages:`), not %s", yaml_what(root));
        return;
    }
    check_obj(c, root, &spec_document);
    const ynode *stages = yaml_key(root, "stages"), *build = yaml_key(root, "build");
    const ynode *first_stage_key = NULL;
    for (size_t i = 0; i < root->n && !first_stage_key; i++) {
        const ynode *k = root->v[2 * i];
        if (is_scalar(k) && !find_field(&spec_document, k->text) &&
            find_field(&spec_stage_obj, k->text))
            first_stage_key = k;
    }
    if (stages && first_stage_key)
        yaml_error(c->d, c->src, first_stage_key, "'" SLICE_FMT "' is a key of a stage; with "
                   "`stages`, put it inside one of them", SLICE_ARG(first_stage_key->text));
    else if (stages && build)
        yaml_error(c->d, c->src, build, "`build` makes its own stages and cannot be combined "
                   "with `stages`");
    else if (!stages && !build && !yaml_key(root, "from"))
        yaml_error(c->d, c->src, root, "the spec needs `from` (one stage), `stages`, or `build`");
}

bool spec_check(const df_doc *src, const ynode *root, df_diags *d)
{
    checker c = {src, d};
    size_t before = d->nerrors;
    check_document(&c, root);
    return d->nerrors == before;
}

/* ---- the JSON Schema ---- */

typedef struct jw {
    df_buf *b;
    int depth;
    bool first[32];
} jw;

static void jw_indent(jw *w)
{
    buf_putc(w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        buf_puts(w->b, "  ");
}

static void jw_item(jw *w)
{
    if (w->depth == 0)
        return;
    if (!w->first[w->depth])
        buf_putc(w->b, ',');
    w->first[w->depth] = false;
    jw_indent(w);
}

static void jw_open(jw *w, char c)
{
    buf_putc(w->b, c);
    w->first[++w->depth] = true;
}

static void jw_close(jw *w, char c)
{
    bool empty = w->first[w->depth];
    w->depth--;
    if (!empty)
        jw_indent(w);
    buf_putc(w->b, c);
}

static void jw_key(jw *w, const char *k)
{
    jw_item(w);
    json_quote(w->b, slice_from(k));
    buf_puts(w->b, ": ");
}

static void jw_str(jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    json_quote(w->b, slice_from(v));
}

#define SCALAR_TYPES "[\"string\", \"number\", \"boolean\"]"

static void schema_scalar(jw *w, const char *choices)
{
    jw_open(w, '{');
    if (choices) {
        jw_key(w, "enum");
        buf_putc(w->b, '[');
        for (const char *p = choices; *p;) {
            const char *e = strchr(p, '|');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (p != choices)
                buf_puts(w->b, ", ");
            json_quote(w->b, (df_slice){p, n});
            p = e ? e + 1 : p + n;
        }
        buf_putc(w->b, ']');
    } else {
        jw_key(w, "type");
        buf_puts(w->b, SCALAR_TYPES);
    }
    jw_close(w, '}');
}

static void schema_list(jw *w, const char *choices)
{
    jw_open(w, '{');
    jw_str(w, "type", "array");
    jw_key(w, "items");
    schema_scalar(w, choices);
    jw_close(w, '}');
}

static void schema_ref(jw *w, const spec_obj *o)
{
    jw_open(w, '{');
    char ref[64];
    snprintf(ref, sizeof ref, "#/$defs/%s", o->name);
    jw_str(w, "$ref", ref);
    jw_close(w, '}');
}

static void schema_field(jw *w, const spec_field *f);

/* The schema of a field's value (without its description). */
static void schema_type(jw *w, const spec_field *f)
{
    switch (f->type) {
    case F_WORD:
        schema_scalar(w, f->choices);
        return;
    case F_WORDS:
    case F_COMMAND:
        jw_open(w, '{');
        jw_key(w, "anyOf");
        jw_open(w, '[');
        jw_item(w);
        schema_scalar(w, f->choices);
        jw_item(w);
        schema_list(w, f->choices);
        jw_close(w, ']');
        jw_close(w, '}');
        return;
    case F_LIST:
        schema_list(w, f->choices);
        return;
    case F_MAP:
    case F_ARGMAP:
        jw_open(w, '{');
        jw_str(w, "type", "object");
        jw_key(w, "additionalProperties");
        jw_open(w, '{');
        jw_key(w, "type");
        buf_puts(w->b, f->type == F_MAP ? SCALAR_TYPES
                                        : "[\"string\", \"number\", \"boolean\", \"null\"]");
        jw_close(w, '}');
        jw_close(w, '}');
        return;
    case F_BOOL:
        jw_open(w, '{');
        jw_str(w, "type", "boolean");
        jw_close(w, '}');
        return;
    case F_INT:
        jw_open(w, '{');
        jw_str(w, "type", "integer");
        jw_key(w, "minimum");
        buf_puts(w->b, "0");
        jw_close(w, '}');
        return;
    case F_OBJ:
        if (!f->obj->shorthand && !f->obj->scalar) {
            schema_ref(w, f->obj);
            return;
        }
        jw_open(w, '{');
        jw_key(w, "anyOf");
        jw_open(w, '[');
        jw_item(w);
        schema_ref(w, f->obj);
        if (f->obj->scalar) {
            jw_item(w);
            jw_open(w, '{');
            jw_str(w, "const", f->obj->scalar);
            jw_close(w, '}');
        }
        if (f->obj->shorthand) {
            jw_item(w);
            schema_type(w, find_field(f->obj, slice_from(f->obj->shorthand)));
        }
        jw_close(w, ']');
        jw_close(w, '}');
        return;
    case F_OBJS:
        jw_open(w, '{');
        jw_key(w, "anyOf");
        jw_open(w, '[');
        jw_item(w);
        jw_open(w, '{');
        jw_str(w, "type", "array");
        jw_key(w, "items");
        schema_ref(w, f->obj);
        jw_close(w, '}');
        jw_item(w);
        schema_ref(w, f->obj);
        jw_close(w, ']');
        jw_close(w, '}');
        return;
    case F_STEPS:
        jw_open(w, '{');
        jw_str(w, "type", "array");
        jw_key(w, "items");
        schema_ref(w, f->obj);
        jw_close(w, '}');
        return;
    }
}

static void schema_field(jw *w, const spec_field *f)
{
    /* {"description": ..., <the type's keys>}: the type is written, then its opening brace is
     * reused by splicing the description in front */
    df_buf t = {0};
    jw tw = {&t, w->depth, {0}};
    schema_type(&tw, f);
    /* t is "{...}" at w's depth; put the description first inside it */
    jw_open(w, '{');
    jw_str(w, "description", f->doc);
    const char *inner = t.p + 1;                 /* after '{' */
    size_t len = t.len - 2;                      /* without the braces */
    while (len && (inner[len - 1] == ' ' || inner[len - 1] == '\n'))
        len--;                                    /* the closing brace's indentation */
    if (len) {
        buf_putc(w->b, ',');
        buf_put(w->b, inner, len);
        w->first[w->depth] = false;
    }
    jw_close(w, '}');
    buf_free(&t);
}

static void schema_properties(jw *w, const spec_obj *o, bool top)
{
    for (const spec_obj *x = o; x; x = x->also) {
        for (size_t i = 0; i < x->nfields; i++) {
            jw_key(w, x->fields[i].key);
            schema_field(w, &x->fields[i]);
        }
        if (!top)
            break;
    }
}

static void schema_object(jw *w, const spec_obj *o, bool top)
{
    jw_str(w, "description", o->doc);
    jw_str(w, "type", "object");
    jw_key(w, "properties");
    jw_open(w, '{');
    schema_properties(w, o, top);
    jw_close(w, '}');
    bool any = false;
    for (size_t i = 0; i < o->nfields && !top; i++)
        any |= (o->fields[i].flags & SF_REQUIRED) != 0;
    if (any) {
        jw_key(w, "required");
        buf_putc(w->b, '[');
        bool first = true;
        for (size_t i = 0; i < o->nfields; i++)
            if (o->fields[i].flags & SF_REQUIRED) {
                buf_puts(w->b, first ? "" : ", ");
                json_quote(w->b, slice_from(o->fields[i].key));
                first = false;
            }
        buf_putc(w->b, ']');
    }
    if (o->one_key) {
        jw_key(w, "minProperties");
        buf_puts(w->b, "1");
        jw_key(w, "maxProperties");
        buf_puts(w->b, "1");
    }
    if (o->extensions) {
        jw_key(w, "patternProperties");
        jw_open(w, '{');
        jw_key(w, "^x-");
        jw_open(w, '{');
        jw_str(w, "description", "an extension key, ignored: a place for YAML anchors");
        jw_close(w, '}');
        jw_close(w, '}');
    }
    jw_key(w, "additionalProperties");
    buf_puts(w->b, "false");
}

/* Objects in the order they are first referenced, depth first from the document. */
static void collect(const spec_obj *o, const spec_obj **seen, size_t *n, size_t cap)
{
    for (size_t i = 0; i < *n; i++)
        if (seen[i] == o)
            return;
    if (*n == cap)
        die("too many spec objects");
    seen[(*n)++] = o;
    for (const spec_obj *x = o; x; x = x->also)
        for (size_t i = 0; i < x->nfields; i++)
            if (x->fields[i].obj)
                collect(x->fields[i].obj, seen, n, cap);
}

/* The document's rules: something to build; with `stages`, no stage keys and no `build`. */
static void schema_document_rules(jw *w)
{
    jw_key(w, "anyOf");
    buf_puts(w->b, "[{\"required\": [\"from\"]}, {\"required\": [\"stages\"]}, "
                   "{\"required\": [\"build\"]}]");
    jw_key(w, "dependentSchemas");
    jw_open(w, '{');
    jw_key(w, "stages");
    jw_open(w, '{');
    jw_key(w, "properties");
    jw_open(w, '{');
    jw_key(w, "build");
    buf_puts(w->b, "false");
    for (size_t i = 0; i < spec_stage_obj.nfields; i++) {
        jw_key(w, spec_stage_obj.fields[i].key);
        buf_puts(w->b, "false");
    }
    jw_close(w, '}');
    jw_close(w, '}');
    jw_close(w, '}');
}

void spec_schema(df_buf *out)
{
    const spec_obj *objs[32];
    size_t n = 0;
    collect(&spec_document, objs, &n, N(objs));
    jw w = {out, 0, {0}};
    jw_open(&w, '{');
    jw_str(&w, "$schema", "https://json-schema.org/draft/2020-12/schema");
    jw_str(&w, "title", "dfopt gen spec");
    schema_object(&w, &spec_document, true);
    schema_document_rules(&w);
    jw_key(&w, "$defs");
    jw_open(&w, '{');
    for (size_t i = 1; i < n; i++) { /* objs[0] is the document */
        jw_key(&w, objs[i]->name);
        jw_open(&w, '{');
        schema_object(&w, objs[i], false);
        jw_close(&w, '}');
    }
    jw_close(&w, '}');
    jw_close(&w, '}');
    buf_putc(out, '\n');
}
