/*
 * sema.c: the semantic layer over the parsed instructions.
 *
 *   - stages: each FROM opens a stage with its name (`AS name`), base image, platform and index;
 *     a base naming an earlier stage (case-insensitive, as BuildKit compares them) links to it;
 *   - global ARGs (before the first FROM) are expanded into FROM bases, as BuildKit does;
 *   - `--from=` values of COPY/RUN --mount resolve to a stage by name or index (sema_stage_ref).
 */
#include "internal.h"
#include "expand.h"

#include <strings.h>
#include <string.h>

bool node_flag(const df_node *n, const char *name, df_slice *value)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (f.n < 2 + len || memcmp(f.p + 2, name, len) != 0)
            continue;
        if (f.n == 2 + len) {
            *value = (df_slice){f.p + f.n, 0};
            return true;
        }
        if (f.p[2 + len] == '=') {
            *value = (df_slice){f.p + 3 + len, f.n - 3 - len};
            return true;
        }
    }
    return false;
}

int sema_stage_ref(const df_doc *doc, df_slice ref, size_t before)
{
    if (ref.n == 0)
        return -1;
    bool digits = true;
    size_t idx = 0;
    for (size_t i = 0; i < ref.n; i++) {
        if (ref.p[i] < '0' || ref.p[i] > '9') {
            digits = false;
            break;
        }
        idx = idx * 10 + (size_t)(ref.p[i] - '0');
        if (idx > doc->nstages)
            break;
    }
    if (digits)
        return idx < before && idx < doc->nstages ? (int)idx : -1;
    for (size_t i = before < doc->nstages ? before : doc->nstages; i-- > 0;) {
        df_slice name = doc->stages[i].name;
        if (name.n == ref.n && strncasecmp(name.p, ref.p, ref.n) == 0)
            return (int)i;
    }
    return -1;
}

typedef struct globals {
    df_slice *names, *values;
    size_t n;
} globals;

static bool global_lookup(void *ctx, df_slice name, df_slice *value)
{
    globals *g = ctx;
    for (size_t i = g->n; i-- > 0;)
        if (slice_eq(g->names[i], name)) {
            *value = g->values[i];
            return true;
        }
    return false;
}

static void global_args(df_doc *doc, globals *g)
{
    size_t cap = 0;
    for (df_node *n = doc->head; n && n->kind != DF_FROM; n = n->next) {
        if (n->kind != DF_ARG)
            continue;
        for (size_t i = 0; i < n->nargs; i++) {
            df_slice w = n->args[i].v, value = {"", 0};
            const char *eq = memchr(w.p, '=', w.n);
            df_slice name = eq ? (df_slice){w.p, (size_t)(eq - w.p)} : w;
            if (!eq)
                continue; /* declared without a default: stays unset */
            expand_error err;
            if (!expand_word(&doc->arena, (df_slice){eq + 1, w.n - name.n - 1}, doc->escape,
                             global_lookup, g, true, &value, &err))
                continue;
            if (g->n == cap) {
                cap = cap ? cap * 2 : 8;
                g->names = xrealloc(g->names, cap * sizeof *g->names);
                g->values = xrealloc(g->values, cap * sizeof *g->values);
            }
            g->names[g->n] = name;
            g->values[g->n++] = value;
        }
    }
}

void sema_stages(df_doc *doc, df_diags *d)
{
    (void)d;
    globals g = {0};
    global_args(doc, &g);
    size_t count = 0;
    for (df_node *n = doc->head; n; n = n->next)
        count += n->kind == DF_FROM;
    doc->stages = count ? arena_alloc(&doc->arena, count * sizeof *doc->stages) : NULL;
    doc->nstages = count;
    int stage = -1;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind == DF_FROM) {
            df_stage *s = &doc->stages[++stage];
            memset(s, 0, sizeof *s);
            s->index = (size_t)stage;
            s->from = n;
            s->base_stage = -1;
            if (n->nargs > 0)
                s->base = s->base_expanded = n->args[0].v;
            if (n->nargs >= 3 && slice_eq_nocase(n->args[1].v, "as"))
                s->name = n->args[2].v;
            node_flag(n, "platform", &s->platform);
            expand_error err;
            if (s->base.n)
                expand_word(&doc->arena, s->base, doc->escape, global_lookup, &g, true,
                            &s->base_expanded, &err);
            s->base_stage = sema_stage_ref(doc, s->base_expanded, (size_t)stage);
            if (s->base_stage >= 0 && s->base_expanded.n &&
                s->base_expanded.p[0] >= '0' && s->base_expanded.p[0] <= '9')
                s->base_stage = -1; /* FROM 0 is an image name, not a stage index */
        }
        n->stage = stage;
    }
    free(g.names);
    free(g.values);
}
