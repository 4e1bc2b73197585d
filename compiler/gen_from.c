/*
 * gen_from.c: `dfopt gen --from-dockerfile`: a parsed Dockerfile written as a spec.
 *
 * Every stage becomes `from`/`name`/`platform` plus `steps`, one step per instruction in order,
 * so generating from the spec gives back the same instructions (see gen_emit.c). Values are
 * turned back into spec text: a Dockerfile word (ENV values, paths, ...) has its quotes and
 * escapes resolved, its references kept, and its literal dollars written `$$`; shell commands and
 * exec-form lists are taken as they are. Comments, blank lines and the `check` directive are not
 * part of a spec and are dropped.
 *
 * What the spec cannot say is an error naming the instruction: ONBUILD, unknown instructions,
 * heredocs other than a whole RUN script or one COPY file, flags the spec has no key for, and
 * words it cannot represent (quotes inside ${...}, special parameters like $@).
 *
 * The YAML is written with libyaml's emitter (created and deleted here, in pairs), which picks a
 * quoting style for every scalar; scalars that YAML would read as null are forced into quotes.
 */
#include "gen.h"

#include <string.h>
#include <yaml.h>

typedef struct from {
    const df_doc *doc;
    df_diags *d;
    yaml_emitter_t em;
    bool failed;          /* an instruction cannot be expressed (reported) */
    df_buf *out;
    size_t base;          /* where this spec starts in out */
    struct origin {       /* where each instruction's part of the spec starts */
        size_t off;
        const df_node *n;
    } *origins;
    size_t norigins;
    bool emit_error;
    df_arena scratch;
} from;

/* ---- the emitter ---- */

static int write_out(void *data, unsigned char *buffer, size_t size)
{
    buf_put(data, (const char *)buffer, size);
    return 1;
}

/* Emits e; once something failed, events are only released (the output is discarded). */
static void emit(from *f, yaml_event_t *e)
{
    if (f->failed || f->emit_error)
        yaml_event_delete(e);
    else if (!yaml_emitter_emit(&f->em, e))
        f->emit_error = true;
}

static bool resolves_to_null(df_slice s)
{
    return s.n == 0 || slice_eq_str(s, "~") || slice_eq_str(s, "null") ||
           slice_eq_str(s, "Null") || slice_eq_str(s, "NULL");
}

static void scalar(from *f, df_slice s)
{
    yaml_event_t e;
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (resolves_to_null(s))
        style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
    else if (memchr(s.p, '\n', s.n))
        style = YAML_LITERAL_SCALAR_STYLE;
    if (!yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)(s.p ? s.p : ""), (int)s.n,
                                      1, 1, style))
        die("out of memory");
    emit(f, &e);
}

static void str(from *f, const char *s)
{
    scalar(f, slice_from(s));
}

static void null_scalar(from *f)
{
    yaml_event_t e;
    if (!yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)"null", 4, 1, 0,
                                      YAML_PLAIN_SCALAR_STYLE))
        die("out of memory");
    emit(f, &e);
}

static void bool_scalar(from *f, bool v)
{
    yaml_event_t e;
    const char *t = v ? "true" : "false";
    if (!yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)t, (int)strlen(t), 1, 0,
                                      YAML_PLAIN_SCALAR_STYLE))
        die("out of memory");
    emit(f, &e);
}

static void map_start(from *f, bool flow)
{
    yaml_event_t e;
    if (!yaml_mapping_start_event_initialize(&e, NULL, NULL, 1,
                                             flow ? YAML_FLOW_MAPPING_STYLE
                                                  : YAML_BLOCK_MAPPING_STYLE))
        die("out of memory");
    emit(f, &e);
}

static void map_end(from *f)
{
    yaml_event_t e;
    yaml_mapping_end_event_initialize(&e);
    emit(f, &e);
}

static void seq_start(from *f, bool flow)
{
    yaml_event_t e;
    if (!yaml_sequence_start_event_initialize(&e, NULL, NULL, 1,
                                              flow ? YAML_FLOW_SEQUENCE_STYLE
                                                   : YAML_BLOCK_SEQUENCE_STYLE))
        die("out of memory");
    emit(f, &e);
}

static void seq_end(from *f)
{
    yaml_event_t e;
    yaml_sequence_end_event_initialize(&e);
    emit(f, &e);
}

/* ---- errors ---- */

static void cannot(from *f, const df_node *n, const char *why)
{
    size_t off = n->src_off == SIZE_MAX ? SIZE_MAX : n->src_off;
    diag_add(f->d, DIAG_ERROR, f->doc, off, n->keyword.n,
             "%.*s cannot be expressed in a spec: %s", (int)n->keyword.n, n->keyword.p, why);
    f->failed = true;
}

/* ---- words ---- */

/* A word value: written as spec text, or an error on n. */
static bool word_scalar(from *f, const df_node *n, df_slice w)
{
    df_slice s;
    const char *why = quote_unword(&f->scratch, w, f->doc->escape, &s);
    if (why) {
        df_buf b = {0};
        buf_printf(&b, "a value has %s", why);
        cannot(f, n, b.p);
        buf_free(&b);
        return false;
    }
    scalar(f, s);
    return true;
}

/* A flag value is written as it is; it cannot hold quotes, escapes or a literal "$$". */
static bool flag_value_ok(from *f, const df_node *n, df_slice v)
{
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] == '"' || v.p[i] == '\'' || v.p[i] == f->doc->escape ||
            (v.p[i] == '$' && i + 1 < v.n && v.p[i + 1] == '$')) {
            cannot(f, n, "a flag value has quotes, escapes or $$");
            return false;
        }
    return true;
}

/* ---- instructions ---- */

static df_slice flag_name(df_slice flag, df_slice *value, bool *has_value)
{
    df_slice s = {flag.p + 2, flag.n - 2};
    const char *eq = memchr(s.p, '=', s.n);
    *has_value = eq != NULL;
    *value = eq ? (df_slice){eq + 1, (size_t)(s.p + s.n - eq - 1)} : (df_slice){s.p + s.n, 0};
    return eq ? (df_slice){s.p, (size_t)(eq - s.p)} : s;
}

static bool bool_flag(df_slice v, bool has_value, bool *out)
{
    if (!has_value || slice_eq_str(v, "true")) {
        *out = true;
        return true;
    }
    if (slice_eq_str(v, "false")) {
        *out = false;
        return true;
    }
    return false;
}

/* key: value pairs of ENV and LABEL, from the parser's (key, value, separator) triples. */
static void pairs(from *f, const df_node *n, const char *key)
{
    map_start(f, false);
    str(f, key);
    map_start(f, false);
    for (size_t i = 0; i + 1 < n->nargs; i += 3) {
        if (!word_scalar(f, n, n->args[i].v) || !word_scalar(f, n, n->args[i + 1].v))
            break;
    }
    map_end(f);
    map_end(f);
}

static void args_step(from *f, const df_node *n)
{
    map_start(f, false);
    str(f, "args");
    map_start(f, false);
    for (size_t i = 0; i < n->nargs; i++) {
        df_slice a = n->args[i].v;
        const char *eq = memchr(a.p, '=', a.n);
        scalar(f, (df_slice){a.p, eq ? (size_t)(eq - a.p) : a.n});
        if (!eq)
            null_scalar(f);
        else if (!word_scalar(f, n, (df_slice){eq + 1, (size_t)(a.p + a.n - eq - 1)}))
            break;
    }
    map_end(f);
    map_end(f);
}

static void one_word(from *f, const df_node *n, const char *key)
{
    map_start(f, false);
    str(f, key);
    if (n->nargs == 1)
        word_scalar(f, n, n->args[0].v);
    else
        cannot(f, n, "it does not have exactly one argument");
    map_end(f);
}

static void words_list(from *f, const df_node *n, const char *key, size_t first)
{
    map_start(f, false);
    str(f, key);
    seq_start(f, true);
    for (size_t i = first; i < n->nargs; i++)
        if (!word_scalar(f, n, n->args[i].v))
            break;
    seq_end(f);
    map_end(f);
}

static void literal_list(from *f, const df_node *n, size_t first)
{
    seq_start(f, true);
    for (size_t i = first; i < n->nargs; i++)
        scalar(f, n->args[i].v);
    seq_end(f);
}

/* CMD, ENTRYPOINT: exec form as a list, shell form as a string. */
static void command(from *f, const df_node *n, const char *key)
{
    map_start(f, false);
    str(f, key);
    if (n->flags & DF_N_JSON)
        literal_list(f, n, 0);
    else if (n->nargs == 1)
        scalar(f, n->args[0].v);
    else
        cannot(f, n, "unexpected arguments");
    map_end(f);
}

static void copy_step(from *f, const df_node *n, bool add)
{
    static const char *const value_flags[] = {"from", "chown", "chmod", "checksum", NULL};
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice v;
        bool has;
        df_slice name = flag_name(n->bflags[i].v, &v, &has);
        bool known = slice_eq_str(name, "link") || slice_eq_str(name, "exclude") ||
                     slice_eq_str(name, "chown") || slice_eq_str(name, "chmod") ||
                     (!add && (slice_eq_str(name, "from") || slice_eq_str(name, "parents"))) ||
                     (add && (slice_eq_str(name, "checksum") || slice_eq_str(name, "keep-git-dir")));
        if (!known) {
            df_buf why = {0};
            buf_printf(&why, "the flag --%.*s has no key in a spec", SLICE_ARG(name));
            cannot(f, n, why.p);
            buf_free(&why);
            return;
        }
        if (has && !flag_value_ok(f, n, v))
            return;
    }
    bool content = n->nheredocs > 0;
    if (content && (add || n->nheredocs != 1 || n->nargs != 2 ||
                    !slice_eq(n->args[0].v, n->heredocs[0].word) ||
                    (n->heredocs[0].expand &&
                     (memchr(n->heredocs[0].body.p, '$', n->heredocs[0].body.n) ||
                      memchr(n->heredocs[0].body.p, f->doc->escape, n->heredocs[0].body.n))))) {
        cannot(f, n, "only a single literal heredoc file can be written as `content`");
        return;
    }
    if (n->nargs < 2) {
        cannot(f, n, "it needs a source and a destination");
        return;
    }
    map_start(f, false);
    str(f, add ? "add" : "copy");
    map_start(f, false);
    if (content) {
        str(f, "content");
        df_slice body = n->heredocs[0].body;
        if (n->heredocs[0].chomp) {
            df_buf b = {0};
            for (size_t i = 0; i < body.n;) {
                while (i < body.n && body.p[i] == '\t')
                    i++;
                const char *nl = memchr(body.p + i, '\n', body.n - i);
                size_t e = nl ? (size_t)(nl - body.p) + 1 : body.n;
                buf_put(&b, body.p + i, e - i);
                i = e;
            }
            body = buf_to_arena(&b, &f->scratch);
            buf_free(&b);
        }
        scalar(f, body);
    } else {
        str(f, "src");
        if (n->nargs == 2) {
            word_scalar(f, n, n->args[0].v);
        } else {
            seq_start(f, true);
            for (size_t i = 0; i + 1 < n->nargs; i++)
                if (!word_scalar(f, n, n->args[i].v))
                    break;
            seq_end(f);
        }
    }
    str(f, "dest");
    word_scalar(f, n, n->args[n->nargs - 1].v);
    for (const char *const *k = value_flags; *k; k++) {
        df_slice v;
        if (node_flag(n, *k, &v)) {
            str(f, *k);
            scalar(f, v);
        }
    }
    static const char *const bools[] = {"link", "parents", "keep-git-dir", NULL};
    for (const char *const *k = bools; *k; k++) {
        df_slice v;
        bool on;
        if (!node_flag(n, *k, &v))
            continue;
        if (!bool_flag(v, v.n > 0, &on)) {
            cannot(f, n, "a boolean flag has a value other than true or false");
            break;
        }
        str(f, strcmp(*k, "keep-git-dir") == 0 ? "keep_git_dir" : *k);
        bool_scalar(f, on);
    }
    bool any_exclude = false;
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice v;
        bool has;
        if (!slice_eq_str(flag_name(n->bflags[i].v, &v, &has), "exclude"))
            continue;
        if (!any_exclude) {
            str(f, "exclude");
            seq_start(f, true);
            any_exclude = true;
        }
        scalar(f, v);
    }
    if (any_exclude)
        seq_end(f);
    map_end(f);
    map_end(f);
}

/* One --mount=... value as a mapping, keys in the order gen_emit.c writes them. */
static bool mount(from *f, const df_node *n, df_slice spec)
{
    enum { TYPE, TARGET, SOURCE, FROM_, ID, SHARING, MODE, UID, GID, REQUIRED, READONLY, ENV,
           SIZE, NKEYS, RW = NKEYS };
    static const char *const canon[] = {"type", "target", "source", "from", "id", "sharing",
                                        "mode", "uid", "gid", "required", "readonly", "env",
                                        "size"};
    static const struct { const char *name; int key; } aliases[] = {
        {"type", TYPE}, {"target", TARGET}, {"dst", TARGET}, {"destination", TARGET},
        {"source", SOURCE}, {"src", SOURCE}, {"from", FROM_}, {"id", ID}, {"sharing", SHARING},
        {"mode", MODE}, {"uid", UID}, {"gid", GID}, {"required", REQUIRED},
        {"readonly", READONLY}, {"ro", READONLY}, {"env", ENV}, {"size", SIZE}, {"rw", RW},
        {"readwrite", RW},
    };
    if (memchr(spec.p, '"', spec.n) || memchr(spec.p, '\'', spec.n)) {
        cannot(f, n, "a --mount with quoted fields");
        return false;
    }
    df_slice values[NKEYS] = {{0}};
    bool set[NKEYS] = {0}, truth[NKEYS] = {0};
    values[TYPE] = SLICE("bind");
    set[TYPE] = true;
    for (size_t i = 0; i < spec.n;) {
        const char *comma = memchr(spec.p + i, ',', spec.n - i);
        size_t e = comma ? (size_t)(comma - spec.p) : spec.n;
        df_slice field = {spec.p + i, e - i};
        i = e + 1;
        const char *eq = memchr(field.p, '=', field.n);
        df_slice key = {field.p, eq ? (size_t)(eq - field.p) : field.n};
        df_slice value = eq ? (df_slice){eq + 1, (size_t)(field.p + field.n - eq - 1)}
                            : (df_slice){"", 0};
        int k = -1;
        for (size_t a = 0; a < sizeof aliases / sizeof aliases[0] && k < 0; a++)
            if (slice_eq_str(key, aliases[a].name))
                k = aliases[a].key;
        if (k < 0) {
            cannot(f, n, "a --mount field the spec has no key for");
            return false;
        }
        if (k == REQUIRED || k == READONLY || k == RW) {
            bool on;
            if (!bool_flag(value, eq != NULL, &on)) {
                cannot(f, n, "a --mount boolean with a value other than true or false");
                return false;
            }
            if (k == RW)
                k = READONLY, on = !on;
            set[k] = true;
            truth[k] = on;
            continue;
        }
        if (!flag_value_ok(f, n, value))
            return false;
        set[k] = true;
        values[k] = value;
    }
    map_start(f, true);
    for (int k = 0; k < NKEYS; k++) {
        if (!set[k] || ((k == REQUIRED || k == READONLY) && !truth[k]))
            continue;
        str(f, canon[k]);
        if (k == REQUIRED || k == READONLY)
            bool_scalar(f, true);
        else
            scalar(f, values[k]);
    }
    map_end(f);
    return true;
}

/* The RUN script of `RUN <<EOF` (one heredoc and nothing else), without its last newline. */
static bool heredoc_script(from *f, const df_node *n, df_slice *out)
{
    if (n->nheredocs != 1 || n->nargs != 1)
        return false;
    df_slice a = n->args[0].v;
    while (a.n && (a.p[a.n - 1] == ' ' || a.p[a.n - 1] == '\t'))
        a.n--;
    if (!slice_eq(a, n->heredocs[0].word) || n->heredocs[0].fd)
        return false;
    df_slice body = n->heredocs[0].body;
    df_buf b = {0};
    for (size_t i = 0; i < body.n;) {
        if (n->heredocs[0].chomp)
            while (i < body.n && body.p[i] == '\t')
                i++;
        const char *nl = memchr(body.p + i, '\n', body.n - i);
        size_t e = nl ? (size_t)(nl - body.p) + 1 : body.n;
        buf_put(&b, body.p + i, e - i);
        i = e;
    }
    while (b.len && b.p[b.len - 1] == '\n')
        b.len--;
    *out = buf_to_arena(&b, &f->scratch);
    buf_free(&b);
    return true;
}

static void run_step(from *f, const df_node *n)
{
    df_slice script = {0};
    if (n->nheredocs && !heredoc_script(f, n, &script)) {
        cannot(f, n, "a heredoc that is not the whole command");
        return;
    }
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice v;
        bool has;
        df_slice name = flag_name(n->bflags[i].v, &v, &has);
        if (!slice_eq_str(name, "mount") && !slice_eq_str(name, "network") &&
            !slice_eq_str(name, "security")) {
            df_buf why = {0};
            buf_printf(&why, "the flag --%.*s has no key in a spec", SLICE_ARG(name));
            cannot(f, n, why.p);
            buf_free(&why);
            return;
        }
        if (!slice_eq_str(name, "mount") && !flag_value_ok(f, n, v))
            return;
    }
    df_slice network, security, v;
    bool has_network = node_flag(n, "network", &network);
    bool has_security = node_flag(n, "security", &security);
    bool simple = n->nbflags == 0 && !(n->flags & DF_N_JSON);
    map_start(f, false);
    str(f, "run");
    if (simple) {
        scalar(f, n->nheredocs ? script : n->nargs ? n->args[0].v : (df_slice){"", 0});
        map_end(f);
        return;
    }
    map_start(f, false);
    if (n->flags & DF_N_JSON) {
        str(f, "exec");
        literal_list(f, n, 0);
    } else {
        str(f, "commands");
        scalar(f, n->nheredocs ? script : n->nargs ? n->args[0].v : (df_slice){"", 0});
    }
    bool any = false;
    for (size_t i = 0; i < n->nbflags && !f->failed; i++) {
        bool has;
        if (!slice_eq_str(flag_name(n->bflags[i].v, &v, &has), "mount"))
            continue;
        if (!any) {
            str(f, "mounts");
            seq_start(f, false);
            any = true;
        }
        mount(f, n, v);
    }
    if (any)
        seq_end(f);
    if (has_network) {
        str(f, "network");
        scalar(f, network);
    }
    if (has_security) {
        str(f, "security");
        scalar(f, security);
    }
    map_end(f);
    map_end(f);
}

static void healthcheck_step(from *f, const df_node *n)
{
    map_start(f, false);
    str(f, "healthcheck");
    if (n->nargs >= 1 && slice_eq_nocase(n->args[0].v, "NONE")) {
        str(f, "none");
        map_end(f);
        return;
    }
    if (n->nargs < 2 || !slice_eq_nocase(n->args[0].v, "CMD")) {
        cannot(f, n, "it has no CMD");
        map_end(f);
        return;
    }
    map_start(f, false);
    str(f, "test");
    if (n->flags & DF_N_JSON)
        literal_list(f, n, 1);
    else
        scalar(f, n->args[1].v);
    static const char *const keys[][2] = {{"interval", "interval"}, {"timeout", "timeout"},
                                          {"start-period", "start_period"},
                                          {"start-interval", "start_interval"},
                                          {"retries", "retries"}};
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice v;
        bool has, known = false;
        df_slice name = flag_name(n->bflags[i].v, &v, &has);
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !known; k++)
            known = slice_eq_str(name, keys[k][0]);
        if (!known) {
            cannot(f, n, "a flag the spec has no key for");
            break;
        }
    }
    for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !f->failed; k++) {
        df_slice v;
        if (node_flag(n, keys[k][0], &v)) {
            str(f, keys[k][1]);
            scalar(f, v);
        }
    }
    map_end(f);
    map_end(f);
}

static void step(from *f, const df_node *n)
{
    if (n->nbflags && n->kind != DF_COPY && n->kind != DF_ADD && n->kind != DF_RUN &&
        n->kind != DF_HEALTHCHECK) {
        cannot(f, n, "it has a flag the spec has no key for");
        return;
    }
    switch (n->kind) {
    case DF_ARG: args_step(f, n); break;
    case DF_ENV: pairs(f, n, "env"); break;
    case DF_LABEL: pairs(f, n, "labels"); break;
    case DF_MAINTAINER:
        map_start(f, false);
        str(f, "labels");
        map_start(f, false);
        str(f, "maintainer");
        {
            /* MAINTAINER is not expanded: its text is literal */
            df_buf b = {0};
            if (n->nargs)
                quote_literal(&b, n->args[0].v);
            scalar(f, (df_slice){b.p ? b.p : "", b.len});
            buf_free(&b);
        }
        map_end(f);
        map_end(f);
        break;
    case DF_WORKDIR: one_word(f, n, "workdir"); break;
    case DF_USER: one_word(f, n, "user"); break;
    case DF_STOPSIGNAL: one_word(f, n, "stopsignal"); break;
    case DF_EXPOSE: words_list(f, n, "expose", 0); break;
    case DF_VOLUME: words_list(f, n, "volumes", 0); break;
    case DF_COPY: copy_step(f, n, false); break;
    case DF_ADD: copy_step(f, n, true); break;
    case DF_RUN: run_step(f, n); break;
    case DF_CMD: command(f, n, "cmd"); break;
    case DF_ENTRYPOINT: command(f, n, "entrypoint"); break;
    case DF_SHELL:
        map_start(f, false);
        str(f, "shell");
        literal_list(f, n, 0);
        map_end(f);
        break;
    case DF_HEALTHCHECK: healthcheck_step(f, n); break;
    case DF_ONBUILD: cannot(f, n, "ONBUILD triggers have no key in a spec"); break;
    default: cannot(f, n, "the spec has no key for this instruction"); break;
    }
}

/* The FROM header of a stage: from, name, platform. */
static void stage_header(from *f, const df_stage *s)
{
    const df_node *n = s->from;
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice v;
        bool has;
        if (!slice_eq_str(flag_name(n->bflags[i].v, &v, &has), "platform")) {
            cannot(f, n, "a FROM flag other than --platform");
            return;
        }
        if (!flag_value_ok(f, n, v))
            return;
    }
    str(f, "from");
    word_scalar(f, n, s->base);
    if (s->name.n) {
        str(f, "name");
        scalar(f, s->name);
    }
    if (s->platform.n) {
        str(f, "platform");
        scalar(f, s->platform);
    }
}

/* Notes that the spec text from here on comes from node n. */
static void origin(from *f, const df_node *n)
{
    if (f->failed || f->emit_error)
        return;
    if (!yaml_emitter_flush(&f->em))
        f->emit_error = true;
    f->origins = xrealloc(f->origins, (f->norigins + 1) * sizeof *f->origins);
    f->origins[f->norigins++] = (struct origin){f->out->len - f->base, n};
}

static void stage_body(from *f, const df_stage *s)
{
    origin(f, s->from);
    stage_header(f, s);
    const df_node *n = s->from->next;
    if (!n || n->kind == DF_FROM)
        return;
    str(f, "steps");
    seq_start(f, false);
    for (; n && n->kind != DF_FROM && !f->failed; n = n->next) {
        origin(f, n);
        step(f, n);
    }
    seq_end(f);
}

/* The spec must generate: gen's own checks run on it, and what they reject is reported as an
 * instruction the spec cannot express (a stage name BuildKit would refuse, a value no Dockerfile
 * place can carry, ...), at the instruction the offending part of the spec came from. */
static void check_generates(from *f)
{
    df_slice spec = {f->out->p + f->base, f->out->len - f->base};
    df_doc *holder = ir_doc_new("spec", spec.p, spec.n);
    df_diags *check = df_diags_new();
    gen_output go = {0};
    ynode *root = yaml_load(holder, check);
    bool ok = root && spec_check(holder, root, check) && gen_emit(holder, root, check, &go);
    if (!ok && check->n) {
        const diag *g = &check->v[0];
        size_t off = 0;
        for (size_t line = 1; line < g->line && off < spec.n; off++)
            line += spec.p[off] == '\n';
        const df_node *n = NULL; /* before any instruction: the directives */
        for (size_t i = 0; i < f->norigins && f->origins[i].off <= off; i++)
            n = f->origins[i].n;
        if (n) {
            cannot(f, n, g->message);
        } else {
            diag_add(f->d, DIAG_ERROR, f->doc, 0, 0,
                     "the parser directives cannot be expressed in a spec: %s", g->message);
            f->failed = true;
        }
    }
    buf_free(&go.dockerfile);
    buf_free(&go.ignore);
    df_diags_free(check);
    df_doc_free(holder);
}

bool gen_from_dockerfile(const df_doc *doc, df_diags *d, df_buf *out)
{
    from f = {.doc = doc, .d = d, .out = out, .base = out->len};
    if (!yaml_emitter_initialize(&f.em))
        die("out of memory");
    yaml_emitter_set_output(&f.em, write_out, out);
    yaml_emitter_set_unicode(&f.em, 1);
    yaml_emitter_set_width(&f.em, -1);
    yaml_emitter_set_indent(&f.em, 2);
    yaml_event_t e;
    yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
    emit(&f, &e);
    yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1);
    emit(&f, &e);
    map_start(&f, false);
    if (doc->syntax.n && (quote_problem(doc->syntax, false, false) ||
                          !quote_chars_ok(doc->syntax, "._:/@-"))) {
        diag_add(d, DIAG_ERROR, doc, 0, 0, "the syntax directive cannot be expressed in a spec: "
                 "it is not an image reference");
        f.failed = true;
    }
    str(&f, "syntax");
    scalar(&f, doc->syntax);
    if (doc->escape != '\\') {
        str(&f, "escape");
        scalar(&f, (df_slice){&doc->escape, 1});
    }
    const df_node *n = doc->head;
    if (n && n->kind == DF_ARG) {
        str(&f, "global_args");
        map_start(&f, false);
        for (; n && n->kind != DF_FROM && !f.failed; n = n->next) {
            origin(&f, n);
            if (n->kind != DF_ARG) {
                cannot(&f, n, "only ARG can come before the first FROM");
                break;
            }
            for (size_t i = 0; i < n->nargs; i++) {
                df_slice a = n->args[i].v;
                const char *eq = memchr(a.p, '=', a.n);
                scalar(&f, (df_slice){a.p, eq ? (size_t)(eq - a.p) : a.n});
                if (!eq)
                    null_scalar(&f);
                else if (!word_scalar(&f, n, (df_slice){eq + 1, (size_t)(a.p + a.n - eq - 1)}))
                    break;
            }
        }
        map_end(&f);
    } else if (n && n->kind != DF_FROM) {
        cannot(&f, n, "only ARG can come before the first FROM");
    }
    if (doc->nstages == 1) {
        stage_body(&f, &doc->stages[0]);
    } else if (doc->nstages > 1) {
        str(&f, "stages");
        seq_start(&f, false);
        for (size_t i = 0; i < doc->nstages && !f.failed; i++) {
            map_start(&f, false);
            stage_body(&f, &doc->stages[i]);
            map_end(&f);
        }
        seq_end(&f);
    }
    map_end(&f);
    yaml_document_end_event_initialize(&e, 1);
    emit(&f, &e);
    yaml_stream_end_event_initialize(&e);
    emit(&f, &e);
    if (f.emit_error && !f.failed)
        die("YAML emitter: %s", f.em.problem ? f.em.problem : "failed");
    yaml_emitter_delete(&f.em);
    arena_free(&f.scratch);
    if (!f.failed)
        check_generates(&f);
    free(f.origins);
    return !f.failed;
}
