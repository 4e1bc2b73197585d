/*
 * config.c: a model of the image configuration a Dockerfile's last stage produces, for the
 * pipeline harness's check that -O1 keeps it.
 *
 * The model follows BuildKit's dispatcher for what ends up in the image config:
 *   - a FROM naming an earlier stage starts from that stage's config, any other FROM from an
 *     empty one; ARGs are scoped to their stage, and `ARG x` takes a global ARG's default;
 *   - ENV, LABEL, USER, WORKDIR, STOPSIGNAL, EXPOSE and VOLUME values are expanded (quotes
 *     removed, $refs resolved against the ENVs and ARGs declared so far, unknown ones kept as
 *     written); each ENV/LABEL instruction expands all its values against the state before it;
 *   - ENV keeps its first-definition order (the image's Env list), labels, ports and volumes are
 *     sets; a relative WORKDIR joins the previous one; EXPOSE 80 is 80/tcp;
 *   - CMD/ENTRYPOINT in shell form are the current SHELL plus the string; ENTRYPOINT clears a
 *     CMD not set in the same stage; HEALTHCHECK shell form is CMD-SHELL;
 *   - ONBUILD triggers are kept in order, as keyword, flags and arguments.
 * MAINTAINER is modelled as the `maintainer` label: the maintainer pass's documented rewrite
 * (it drops only the deprecated Author field, which this model leaves out).
 * Strings are rendered as JSON strings, as the image config is stored: invalid UTF-8 becomes
 * U+FFFD there (Go's encoding/json), so it does here.
 */
#include "fuzz.h"
#include "../compiler/expand.h"

#include <string.h>

typedef struct kv {
    df_slice k, v;
} kv;

typedef struct kvlist {
    kv *v;
    size_t n, cap;
} kvlist;

typedef struct state {
    kvlist env, labels, args, ports, volumes, onbuild;
    df_slice cmd, entrypoint, user, workdir, stopsignal, healthcheck, shell;
    bool has_cmd, has_entrypoint, cmd_set;
} state;

static void kv_set(kvlist *l, df_slice k, df_slice v)
{
    for (size_t i = 0; i < l->n; i++)
        if (slice_eq(l->v[i].k, k)) {
            l->v[i].v = v;
            return;
        }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (kv){k, v};
}

static void kv_push(kvlist *l, df_slice k)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (kv){k, {"", 0}};
}

static const kv *kv_get(const kvlist *l, df_slice k)
{
    for (size_t i = l->n; i-- > 0;)
        if (slice_eq(l->v[i].k, k))
            return &l->v[i];
    return NULL;
}

static kvlist kv_copy(const kvlist *l)
{
    kvlist c = {0};
    if (l->n) {
        c.v = xmalloc(l->n * sizeof *c.v);
        memcpy(c.v, l->v, l->n * sizeof *c.v);
        c.n = c.cap = l->n;
    }
    return c;
}

static void state_free(state *s)
{
    free(s->env.v);
    free(s->labels.v);
    free(s->args.v);
    free(s->ports.v);
    free(s->volumes.v);
    free(s->onbuild.v);
}

typedef struct model {
    df_arena a;
    char escape;
    kvlist globals;
    state *stages;
    size_t nstages;
    df_buf b;
} model;

static df_slice keep(model *m)
{
    return buf_to_arena(&m->b, &m->a);
}

static bool lookup(void *ctx, df_slice name, df_slice *value)
{
    const state *s = ctx;
    const kv *e = kv_get(&s->env, name);
    if (!e)
        e = kv_get(&s->args, name);
    if (e)
        *value = e->v;
    return e != NULL;
}

static bool lookup_globals(void *ctx, df_slice name, df_slice *value)
{
    const kv *e = kv_get(ctx, name);
    if (e)
        *value = e->v;
    return e != NULL;
}

/* The word expanded against s (or the globals when s is NULL); a failed expansion is its own
 * value, so two documents that fail alike still compare equal. */
static df_slice expand(model *m, const state *s, const kvlist *globals, df_slice word)
{
    df_slice out;
    expand_error err;
    bool ok = s ? expand_word(&m->a, word, m->escape, lookup, (void *)s, true, &out, &err)
                : expand_word(&m->a, word, m->escape, lookup_globals, (void *)globals, true,
                              &out, &err);
    if (ok)
        return out;
    m->b.len = 0;
    buf_printf(&m->b, "<expansion error: %s>", err.message);
    return keep(m);
}

/* A list of strings as canonical text: ["a", "b"]. */
static df_slice render_list(model *m, const df_slice *prefix, size_t nprefix, const df_arg *args,
                            size_t nargs)
{
    m->b.len = 0;
    buf_putc(&m->b, '[');
    for (size_t i = 0; i < nprefix; i++) {
        if (i)
            buf_puts(&m->b, ", ");
        json_quote(&m->b, prefix[i]);
    }
    for (size_t i = 0; i < nargs; i++) {
        if (i + nprefix)
            buf_puts(&m->b, ", ");
        json_quote(&m->b, args[i].v);
    }
    buf_putc(&m->b, ']');
    return keep(m);
}

/* CMD/ENTRYPOINT: exec form as its list, shell form as the current SHELL list plus the string. */
static df_slice command(model *m, const state *s, const df_node *n, const df_arg *args,
                        size_t nargs)
{
    if (n->flags & DF_N_JSON)
        return render_list(m, NULL, 0, args, nargs);
    m->b.len = 0;
    buf_put(&m->b, s->shell.p, s->shell.n - 1); /* the shell list without its closing ']' */
    for (size_t i = 0; i < nargs; i++) {
        buf_puts(&m->b, ", ");
        json_quote(&m->b, args[i].v);
    }
    buf_putc(&m->b, ']');
    return keep(m);
}

/* path.Clean for an absolute path */
static df_slice clean_path(model *m, df_slice p)
{
    df_buf out = {0};
    buf_putc(&out, '/');
    size_t i = 0;
    while (i < p.n) {
        while (i < p.n && p.p[i] == '/')
            i++;
        size_t s = i;
        while (i < p.n && p.p[i] != '/')
            i++;
        df_slice seg = {p.p + s, i - s};
        if (seg.n == 0 || slice_eq_str(seg, "."))
            continue;
        if (slice_eq_str(seg, "..")) {
            while (out.len > 1 && out.p[out.len - 1] != '/')
                out.len--;
            if (out.len > 1)
                out.len--;
            out.p[out.len] = '\0';
            continue;
        }
        if (out.len > 1)
            buf_putc(&out, '/');
        buf_put_slice(&out, seg);
    }
    df_slice r = buf_to_arena(&out, &m->a);
    buf_free(&out);
    return r;
}

static df_slice node_text(model *m, const df_node *n)
{
    m->b.len = 0;
    buf_puts(&m->b, kind_name(n->kind));
    for (size_t i = 0; i < n->nbflags; i++) {
        buf_putc(&m->b, ' ');
        json_quote(&m->b, n->bflags[i].v);
    }
    for (size_t i = 0; i < n->nargs; i++) {
        buf_putc(&m->b, ' ');
        json_quote(&m->b, n->args[i].v);
    }
    return keep(m);
}

static void apply_arg(model *m, state *s, kvlist *globals, const df_node *n)
{
    for (size_t i = 0; i < n->nargs; i++) {
        df_slice w = n->args[i].v;
        const char *eq = memchr(w.p, '=', w.n);
        df_slice name = eq ? (df_slice){w.p, (size_t)(eq - w.p)} : w;
        if (eq) {
            df_slice v = expand(m, s, globals, (df_slice){eq + 1, w.n - name.n - 1});
            kv_set(s ? &s->args : globals, name, v);
        } else if (s && kv_get(&m->globals, name)) {
            kv_set(&s->args, name, kv_get(&m->globals, name)->v);
        }
    }
}

/* ENV and LABEL: every triple expanded against the state before the instruction. */
static void apply_pairs(model *m, state *s, kvlist *into, const df_node *n)
{
    state before = *s;
    before.env = kv_copy(&s->env);
    kvlist set = {0};
    for (size_t i = 0; i + 1 < n->nargs; i += 3) {
        df_slice k = expand(m, &before, NULL, n->args[i].v);
        df_slice v = expand(m, &before, NULL, n->args[i + 1].v);
        kv_set(&set, k, v);
    }
    for (size_t i = 0; i < set.n; i++)
        kv_set(into, set.v[i].k, set.v[i].v);
    free(set.v);
    free(before.env.v);
}

static void apply(model *m, state *s, const df_node *n)
{
    df_slice v;
    switch (n->kind) {
    case DF_ARG:
        apply_arg(m, s, NULL, n);
        break;
    case DF_ENV:
        apply_pairs(m, s, &s->env, n);
        break;
    case DF_LABEL:
        apply_pairs(m, s, &s->labels, n);
        break;
    case DF_MAINTAINER:
        if (n->nargs)
            kv_set(&s->labels, SLICE("maintainer"), n->args[0].v);
        break;
    case DF_USER:
        if (n->nargs)
            s->user = expand(m, s, NULL, n->args[0].v);
        break;
    case DF_STOPSIGNAL:
        if (n->nargs)
            s->stopsignal = expand(m, s, NULL, n->args[0].v);
        break;
    case DF_WORKDIR:
        if (!n->nargs)
            break;
        v = expand(m, s, NULL, n->args[0].v);
        if (v.n && v.p[0] != '/') {
            m->b.len = 0;
            buf_put_slice(&m->b, s->workdir);
            buf_putc(&m->b, '/');
            buf_put_slice(&m->b, v);
            v = keep(m);
        }
        s->workdir = clean_path(m, v);
        break;
    case DF_EXPOSE:
        for (size_t i = 0; i < n->nargs; i++) {
            v = expand(m, s, NULL, n->args[i].v);
            m->b.len = 0;
            const char *slash = memchr(v.p, '/', v.n);
            buf_put(&m->b, v.p, slash ? (size_t)(slash - v.p) : v.n);
            buf_putc(&m->b, '/');
            for (const char *p = slash ? slash + 1 : "tcp"; slash ? p < v.p + v.n : *p; p++)
                buf_putc(&m->b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
            kv_set(&s->ports, keep(m), (df_slice){"", 0});
        }
        break;
    case DF_VOLUME:
        for (size_t i = 0; i < n->nargs; i++)
            kv_set(&s->volumes, expand(m, s, NULL, n->args[i].v), (df_slice){"", 0});
        break;
    case DF_CMD:
        s->cmd = command(m, s, n, n->args, n->nargs);
        s->has_cmd = s->cmd_set = true;
        break;
    case DF_ENTRYPOINT:
        s->entrypoint = command(m, s, n, n->args, n->nargs);
        s->has_entrypoint = true;
        if (!s->cmd_set)
            s->has_cmd = false;
        break;
    case DF_SHELL:
        s->shell = render_list(m, NULL, 0, n->args, n->nargs);
        break;
    case DF_HEALTHCHECK: {
        df_slice flags = render_list(m, NULL, 0, n->bflags, n->nbflags);
        df_slice type = n->nargs ? n->args[0].v : (df_slice){"", 0};
        df_slice cmd;
        if (slice_eq_nocase(type, "CMD") && !(n->flags & DF_N_JSON)) {
            df_slice pre = SLICE("CMD-SHELL");
            cmd = render_list(m, &pre, 1, n->args + 1, n->nargs - 1);
        } else if (n->nargs) {
            /* the type is upper-cased when the image is built: `cmd [...]` is `CMD [...]` */
            df_buf up = {0};
            for (size_t i = 0; i < type.n; i++)
                buf_putc(&up, type.p[i] >= 'a' && type.p[i] <= 'z' ? (char)(type.p[i] - 32)
                                                                  : type.p[i]);
            df_slice t = buf_to_arena(&up, &m->a);
            buf_free(&up);
            cmd = render_list(m, &t, 1, n->args + 1, n->nargs - 1);
        } else {
            cmd = render_list(m, NULL, 0, n->args, n->nargs);
        }
        m->b.len = 0;
        buf_printf(&m->b, SLICE_FMT " " SLICE_FMT, SLICE_ARG(flags), SLICE_ARG(cmd));
        s->healthcheck = keep(m);
        break;
    }
    case DF_ONBUILD:
        if (n->sub)
            kv_push(&s->onbuild, node_text(m, n->sub));
        break;
    default:
        break;
    }
}

static int cmp_kv(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    size_t n = x->k.n < y->k.n ? x->k.n : y->k.n;
    int c = memcmp(x->k.p, y->k.p, n);
    if (c)
        return c;
    return x->k.n < y->k.n ? -1 : x->k.n > y->k.n;
}

static void render_map(df_buf *out, const char *title, kvlist *l, bool sort, bool values)
{
    if (sort && l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_kv);
    buf_printf(out, "%s:", title);
    for (size_t i = 0; i < l->n; i++) {
        buf_putc(out, ' ');
        json_quote(out, l->v[i].k);
        if (values) {
            buf_putc(out, '=');
            json_quote(out, l->v[i].v);
        }
    }
    buf_putc(out, '\n');
}

static void render_field(df_buf *out, const char *title, bool set, df_slice v)
{
    buf_printf(out, "%s: ", title);
    if (set)
        buf_put_slice(out, v);
    else
        buf_puts(out, "(unset)");
    buf_putc(out, '\n');
}

char *fuzz_config(const df_doc *doc)
{
    model m = {.escape = doc->escape};
    m.stages = xcalloc(doc->nstages + 1, sizeof *m.stages);
    df_slice sh[] = {SLICE("/bin/sh"), SLICE("-c")};
    df_slice default_shell = {0};
    state *cur = NULL;
    for (const df_node *n = doc->head; n; n = n->next) {
        if (n->stage < 0 || (size_t)n->stage >= doc->nstages) {
            if (n->kind == DF_ARG)
                apply_arg(&m, NULL, &m.globals, n);
            continue;
        }
        if (n->kind == DF_FROM && n == doc->stages[n->stage].from) {
            if (!default_shell.p)
                default_shell = render_list(&m, sh, 2, NULL, 0);
            cur = &m.stages[n->stage];
            int base = doc->stages[n->stage].base_stage;
            if (base >= 0 && base < n->stage) {
                const state *b = &m.stages[base];
                *cur = *b;
                cur->env = kv_copy(&b->env);
                cur->labels = kv_copy(&b->labels);
                cur->ports = kv_copy(&b->ports);
                cur->volumes = kv_copy(&b->volumes);
                cur->onbuild = kv_copy(&b->onbuild);
                cur->args = (kvlist){0};
                cur->cmd_set = false;
            } else {
                cur->shell = default_shell;
            }
            continue;
        }
        if (cur)
            apply(&m, cur, n);
    }
    df_buf out = {0};
    buf_printf(&out, "stages: %zu\n", doc->nstages);
    if (cur) {
        render_map(&out, "env", &cur->env, false, true);
        render_map(&out, "labels", &cur->labels, true, true);
        render_field(&out, "cmd", cur->has_cmd, cur->cmd);
        render_field(&out, "entrypoint", cur->has_entrypoint, cur->entrypoint);
        render_field(&out, "user", cur->user.n, cur->user);
        render_field(&out, "workdir", cur->workdir.n, cur->workdir);
        render_map(&out, "ports", &cur->ports, true, false);
        render_map(&out, "volumes", &cur->volumes, true, false);
        render_field(&out, "stopsignal", cur->stopsignal.n, cur->stopsignal);
        render_field(&out, "healthcheck", cur->healthcheck.n, cur->healthcheck);
        render_field(&out, "shell", true, cur->shell);
        render_map(&out, "onbuild", &cur->onbuild, false, false);
    }
    for (size_t i = 0; i < doc->nstages; i++)
        state_free(&m.stages[i]);
    free(m.stages);
    free(m.globals.v);
    buf_free(&m.b);
    arena_free(&m.a);
    if (!out.p)
        buf_put(&out, "", 0);
    return out.p;
}
