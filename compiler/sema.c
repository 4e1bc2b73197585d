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

#include <string.h>

bool node_flag(const df_node *n, const char *name, df_slice *value)
{
    if (n->nbflags == 0)
        return false; /* most instructions: no need to measure the name */
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

/* ASCII case-folded FNV-1a: stage names compare case-insensitively. */
static size_t name_hash(df_slice name)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < name.n; i++) {
        unsigned char c = (unsigned char)name.p[i];
        h = (h ^ ascii_fold(c)) * 0x100000001b3u;
    }
    return (size_t)h;
}

/* The slot of name in doc->stage_names: the one holding a stage of that name, or the empty one
 * where it would go. */
static int *name_slot(const df_doc *doc, df_slice name)
{
    size_t mask = doc->stages_cap * 2 - 1;
    for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
        int *slot = &doc->stage_names[i];
        if (*slot == 0)
            return slot;
        if (slices_eq_nocase(doc->stages[*slot - 1].name, name))
            return slot;
    }
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
        if (idx > doc->stage_base + doc->nstages)
            break;
    }
    if (digits) { /* a part's stages are numbered as in its file (segment.c) */
        if (idx < doc->stage_base)
            return -1;
        idx -= doc->stage_base;
        return idx < before && idx < doc->nstages ? (int)idx : -1;
    }
    if (!doc->stage_names)
        return -1;
    /* the last stage of that name, then back along its earlier namesakes */
    int i = *name_slot(doc, ref) - 1;
    while (i >= 0 && (size_t)i >= before)
        i = doc->stages[i].prev_same;
    return i;
}

/* Does expanding w (quotes, escapes, variables) leave it as it is? */
static bool plain_word(df_slice w, char escape)
{
    /* both escape characters are marked: one look-up per byte, and a marked byte that is the
     * other escape character is plain */
    static const bool special[256] = {['$'] = true, ['\''] = true, ['"'] = true,
                                      ['\\'] = true, ['`'] = true};
    for (size_t i = 0; i < w.n; i++) {
        char c = w.p[i];
        if (special[(unsigned char)c] && (c == escape || (c != '\\' && c != '`')))
            return false;
    }
    return true;
}

/* The global ARGs with a default, in order, and where the last of each name is. */
typedef struct globals {
    df_slice *names, *values;
    size_t n, cap;
    name_index index;
} globals;

static bool global_lookup(void *ctx, df_slice name, df_slice *value)
{
    globals *g = ctx;
    size_t i = name_index_get(&g->index, name);
    if (!i)
        return false;
    *value = g->values[i - 1];
    return true;
}

static void global_add(globals *g, df_slice name, df_slice value)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 8;
        g->names = xrealloc(g->names, g->cap * sizeof *g->names);
        g->values = xrealloc(g->values, g->cap * sizeof *g->values);
    }
    g->names[g->n] = name;
    g->values[g->n] = value;
    name_index_put(&g->index, name, g->n++); /* a later ARG of the name wins */
}

static void global_args(df_doc *doc, globals *g)
{
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
            df_slice raw = {eq + 1, w.n - name.n - 1};
            if (plain_word(raw, doc->escape))
                value = raw;
            else if (!expand_word(&doc->arena, raw, doc->escape, global_lookup, g, true, &value,
                                  &err))
                continue;
            global_add(g, name, value);
        }
    }
}

/* A FROM's base with the global ARGs' defaults substituted (sema_stages' base_expanded). */
static df_slice expand_base(char escape, df_arena *arena, globals *g, df_slice base)
{
    df_slice out = base;
    expand_error err;
    if (base.n && !plain_word(base, escape))
        expand_word(arena, base, escape, global_lookup, g, true, &out, &err);
    return out;
}

struct sema_globals {
    globals g;
};

sema_globals *sema_globals_read(df_doc *doc)
{
    sema_globals *sg = xcalloc(1, sizeof *sg);
    global_args(doc, &sg->g);
    return sg;
}

df_slice sema_expand_base(sema_globals *sg, char escape, df_arena *arena, df_slice base)
{
    globals none = {0};
    return expand_base(escape, arena, sg ? &sg->g : &none, base);
}

static void globals_free(globals *g)
{
    free(g->names);
    free(g->values);
    name_index_free(&g->index);
}

void sema_globals_free(sema_globals *sg)
{
    if (!sg)
        return;
    globals_free(&sg->g);
    free(sg);
}

void sema_stages(df_doc *doc, df_diags *d)
{
    (void)d;
    globals g = {0};
    global_args(doc, &g);
    size_t count = 0;
    for (df_node *n = doc->head; n; n = n->next)
        count += n->kind == DF_FROM;
    if (count > doc->stages_cap) { /* passes re-run this: grow only, the arena never frees */
        size_t cap = 8;
        while (cap < count)
            cap *= 2;
        doc->stages = arena_alloc_raw(&doc->arena, cap * sizeof *doc->stages); /* set below */
        doc->stage_names = arena_alloc(&doc->arena, cap * 2 * sizeof *doc->stage_names);
        doc->stages_cap = cap;
    } else if (doc->stage_names) {
        memset(doc->stage_names, 0, doc->stages_cap * 2 * sizeof *doc->stage_names);
    }
    doc->nstages = count;
    int stage = -1;
    /* the lengths of the stage names so far (bit 63: 63 or more): a base of another length
     * names no earlier stage, and most bases are image names, looked up for nothing */
    uint64_t name_lengths = 0;
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->kind == DF_FROM) {
            df_stage *s = &doc->stages[++stage];
            *s = (df_stage){.from = n, .index = (size_t)stage, .base_stage = -1, .prev_same = -1};
            if (n->nargs > 0)
                s->base = s->base_expanded = n->args[0].v;
            if (n->nargs >= 3 && slice_eq_nocase(n->args[1].v, "as"))
                s->name = n->args[2].v;
            node_flag(n, "platform", &s->platform);
            s->base_expanded = expand_base(doc->escape, &doc->arena, &g, s->base);
            size_t blen = s->base_expanded.n < 63 ? s->base_expanded.n : 63;
            if ((name_lengths >> blen) & 1)
                s->base_stage = sema_stage_ref(doc, s->base_expanded, (size_t)stage);
            if (s->base_stage >= 0 && s->base_expanded.n &&
                s->base_expanded.p[0] >= '0' && s->base_expanded.p[0] <= '9')
                s->base_stage = -1; /* FROM 0 is an image name, not a stage index */
            if (s->name.n) {
                name_lengths |= (uint64_t)1 << (s->name.n < 63 ? s->name.n : 63);
                int *slot = name_slot(doc, s->name);
                s->prev_same = *slot - 1;
                *slot = stage + 1;
            }
        }
        n->stage = stage;
    }
    globals_free(&g);
    doc->stages_stale = false;
}
