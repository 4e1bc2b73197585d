/*
 * yaml.c: the YAML loader of `dfopt gen`, over libyaml's event API.
 *
 * Events become a tree of ynodes (gen.h) allocated in the source document's arena:
 *
 *   stream      := STREAM-START document STREAM-END        exactly one document
 *   document    := DOCUMENT-START node DOCUMENT-END
 *   node        := SCALAR | ALIAS | SEQUENCE-START node* SEQUENCE-END
 *                | MAPPING-START (node node)* MAPPING-END
 *
 * An alias is another pointer to its anchor's node, so a document with many aliases costs no more
 * memory than it is long. What it would cost expanded is counted as it is read: every node counts
 * one, every alias counts the whole subtree it names, and the document is refused once the sum
 * passes YAML_NODE_LIMIT (so `&a [*b, *b, ...]` chains are refused after a few events, not followed
 * into memory exhaustion). An alias to a node that is still open (it would contain itself) is an
 * error. Merge keys (`<<: *base` or `<<: [*a, *b]`) are resolved when their mapping closes: keys
 * written in the mapping win over merged ones, and earlier merged mappings win over later ones.
 *
 * Positions: libyaml marks count characters; each is turned into a byte offset with a cursor that
 * walks the (UTF-8, as libyaml verified) source forward, so all positions cost O(file size) in
 * total. Errors are then ordinary dfopt diagnostics at byte offsets: `file:line:col` with the
 * source line and a caret. libyaml handles are created and deleted in pairs in yaml_load.
 */
#include "gen.h"

#include <stdarg.h>
#include <string.h>
#include <yaml.h>

/* ---- anchors: an open-addressing table of name -> node ---- */

typedef struct anchor {
    df_slice name;
    ynode *node;
} anchor;

typedef struct anchors {
    anchor *v;
    size_t cap, n;
} anchors;

static size_t hash(df_slice s)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < s.n; i++)
        h = (h ^ (unsigned char)s.p[i]) * 1099511628211u;
    return h;
}

static anchor *anchor_slot(anchors *t, df_slice name)
{
    size_t i = hash(name) & (t->cap - 1);
    while (t->v[i].node && !slice_eq(t->v[i].name, name))
        i = (i + 1) & (t->cap - 1);
    return &t->v[i];
}

static void anchor_put(anchors *t, df_arena *a, df_slice name, ynode *node)
{
    if (2 * (t->n + 1) > t->cap) {
        anchors bigger = {xcalloc(t->cap ? t->cap * 2 : 16, sizeof(anchor)), t->cap ? t->cap * 2 : 16, 0};
        for (size_t i = 0; i < t->cap; i++)
            if (t->v[i].node) {
                *anchor_slot(&bigger, t->v[i].name) = t->v[i];
                bigger.n++;
            }
        free(t->v);
        *t = bigger;
    }
    anchor *s = anchor_slot(t, name);
    if (!s->node) {
        s->name = arena_slice(a, name.p, name.n);
        t->n++;
    }
    s->node = node; /* a redefined anchor names the newer node from here on */
}

static ynode *anchor_get(anchors *t, df_slice name)
{
    return t->cap ? anchor_slot(t, name)->node : NULL;
}

/* ---- the loader ---- */

typedef struct loader {
    df_doc *src;
    df_diags *d;
    df_arena *arena;
    size_t ci, bi;       /* position cursor: character index ci is byte offset bi */
    ynode *stack[YAML_DEPTH_LIMIT];
    size_t depth;
    anchors anchors;
    size_t total;        /* expanded nodes so far */
    ynode *root;
    bool failed;
} loader;

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Byte offset of libyaml's character index. */
static size_t byte_at(loader *L, size_t index)
{
    const char *s = L->src->src.p;
    size_t n = L->src->src.n;
    if (index < L->ci)
        L->ci = L->bi = 0;
    while (L->ci < index && L->bi < n) {
        L->bi += utf8_len((unsigned char)s[L->bi]);
        L->ci++;
    }
    return L->bi < n ? L->bi : n;
}

static void verror(df_diags *d, const df_doc *src, size_t off, size_t len, const char *fmt,
                   va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        die("bad error format");
    char *msg = xmalloc((size_t)n + 1);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    diag_add(d, DIAG_ERROR, src, off, len, "%s", msg);
    free(msg);
}

void yaml_error(df_diags *d, const df_doc *src, const ynode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t off = at ? at->off : 0;
    size_t len = !at ? 1 : at->kind == YN_SCALAR && at->end > at->off ? at->end - at->off : 1;
    verror(d, src, off, len, fmt, ap);
    va_end(ap);
}

static void lerror(loader *L, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void lerror(loader *L, size_t off, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(L->d, L->src, off, len, fmt, ap);
    va_end(ap);
    L->failed = true;
}

static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Counts w more expanded nodes; false (reported at off) past the limit. */
static bool count(loader *L, size_t w, size_t off)
{
    L->total = sat_add(L->total, w);
    if (L->total <= YAML_NODE_LIMIT)
        return true;
    lerror(L, off, 1,
           "the document expands to more than %d nodes with its aliases; refusing to expand it",
           YAML_NODE_LIMIT);
    return false;
}

static void push_child(loader *L, ynode *parent, ynode *child)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        ynode **v = arena_alloc(L->arena, cap * sizeof *v);
        if (parent->n)
            memcpy(v, parent->v, parent->n * sizeof *v);
        parent->v = v;
        parent->cap = cap;
    }
    parent->v[parent->n++] = child;
}

/* Attaches a finished (or aliased) node to the open collection, or makes it the root. */
static void attach(loader *L, ynode *n)
{
    if (L->depth == 0) {
        L->root = n;
        return;
    }
    ynode *parent = L->stack[L->depth - 1];
    push_child(L, parent, n);
}

static bool is_one_of(df_slice s, const char *const *words)
{
    for (; *words; words++)
        if (slice_eq_str(s, *words))
            return true;
    return false;
}

/* YAML 1.1 resolution of a plain scalar (the subset dfopt's types need, as PyYAML resolves). */
static void resolve(ynode *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const yes[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On",
                                      "ON", NULL};
    static const char *const no[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off",
                                     "OFF", NULL};
    df_slice s = n->text;
    if (is_one_of(s, nulls)) {
        n->type = YS_NULL;
    } else if (is_one_of(s, yes) || is_one_of(s, no)) {
        n->type = YS_BOOL;
        n->truth = is_one_of(s, yes);
    } else {
        size_t i = s.n && (s.p[0] == '-' || s.p[0] == '+');
        bool digits = i < s.n;
        for (; i < s.n && digits; i++)
            digits = s.p[i] >= '0' && s.p[i] <= '9';
        n->type = digits ? YS_INT : YS_STR;
    }
}

static ynode *new_node(loader *L, yn_kind kind, const yaml_event_t *e)
{
    ynode *n = arena_alloc(L->arena, sizeof *n);
    n->kind = kind;
    n->off = byte_at(L, e->start_mark.index);
    n->end = byte_at(L, e->end_mark.index);
    n->weight = 1;
    return n;
}

/* Only `!!str` (forces a string) and the implicit collection tags are accepted. */
static bool tag_ok(loader *L, const yaml_char_t *tag, ynode *n, bool scalar)
{
    if (!tag)
        return true;
    const char *t = (const char *)tag;
    if ((scalar && strcmp(t, YAML_STR_TAG) == 0) || (!scalar && (strcmp(t, YAML_MAP_TAG) == 0 ||
                                                                 strcmp(t, YAML_SEQ_TAG) == 0)))
        return true;
    lerror(L, n->off, n->end > n->off ? n->end - n->off : 1,
           "the tag '%s' is not supported in a spec", t);
    return false;
}

static void add_anchor(loader *L, const yaml_char_t *name, ynode *n)
{
    if (name)
        anchor_put(&L->anchors, L->arena, slice_from((const char *)name), n);
}

static bool is_merge_key(const ynode *k)
{
    return k->kind == YN_SCALAR && k->plain && slice_eq_str(k->text, "<<");
}

/* A set of key texts, for merge resolution. */
static bool set_add(anchors *set, df_arena *a, df_slice key, ynode *mark)
{
    if (set->cap && anchor_slot(set, key)->node)
        return false;
    anchor_put(set, a, key, mark);
    return true;
}

/* Resolves the merge keys of mapping m (just closed). */
static bool merge(loader *L, ynode *m)
{
    bool any = false;
    for (size_t i = 0; i < m->n && !any; i++)
        any = is_merge_key(m->v[2 * i]);
    if (!any)
        return true;
    anchors seen = {0};
    bool ok = true;
    for (size_t i = 0; i < m->n; i++) /* explicit keys win over merged ones */
        if (!is_merge_key(m->v[2 * i]) && m->v[2 * i]->kind == YN_SCALAR)
            set_add(&seen, L->arena, m->v[2 * i]->text, m->v[2 * i]);
    ynode out = {0};
    for (size_t i = 0; i < m->n && ok; i++) {
        ynode *k = m->v[2 * i], *v = m->v[2 * i + 1];
        if (!is_merge_key(k)) {
            push_child(L, &out, k);
            push_child(L, &out, v);
            continue;
        }
        size_t nsrc = v->kind == YN_SEQ ? v->n : 1;
        for (size_t s = 0; s < nsrc && ok; s++) {
            ynode *from = v->kind == YN_SEQ ? v->v[s] : v;
            if (from->kind != YN_MAP) {
                lerror(L, from->off, 1, "a merge key '<<' takes a mapping or a list of mappings");
                ok = false;
                break;
            }
            for (size_t j = 0; j < from->n && ok; j++) {
                ynode *fk = from->v[2 * j], *fv = from->v[2 * j + 1];
                if (fk->kind == YN_SCALAR && !set_add(&seen, L->arena, fk->text, fk))
                    continue;
                ok = count(L, sat_add(fk->weight, fv->weight), k->off);
                push_child(L, &out, fk);
                push_child(L, &out, fv);
            }
        }
    }
    free(seen.v);
    m->v = out.v;
    m->n = out.n / 2;
    m->cap = out.cap;
    return ok;
}

static void on_scalar(loader *L, const yaml_event_t *e)
{
    ynode *n = new_node(L, YN_SCALAR, e);
    const char *v = (const char *)e->data.scalar.value;
    n->text = arena_slice(L->arena, v, e->data.scalar.length);
    bool plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !e->data.scalar.tag;
    if (!tag_ok(L, e->data.scalar.tag, n, true))
        return;
    n->plain = plain;
    if (plain)
        resolve(n);
    add_anchor(L, e->data.scalar.anchor, n);
    if (count(L, 1, n->off))
        attach(L, n);
}

static void on_start(loader *L, const yaml_event_t *e, yn_kind kind)
{
    ynode *n = new_node(L, kind, e);
    const yaml_char_t *tag = kind == YN_MAP ? e->data.mapping_start.tag : e->data.sequence_start.tag;
    const yaml_char_t *name =
        kind == YN_MAP ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
    if (!tag_ok(L, tag, n, false))
        return;
    if (L->depth == YAML_DEPTH_LIMIT) {
        lerror(L, n->off, 1, "collections nested more than %d deep", YAML_DEPTH_LIMIT);
        return;
    }
    if (!count(L, 1, n->off))
        return;
    n->open = true;
    add_anchor(L, name, n);
    attach(L, n);
    L->stack[L->depth++] = n;
}

static void on_end(loader *L, const yaml_event_t *e)
{
    ynode *n = L->stack[--L->depth];
    n->end = byte_at(L, e->end_mark.index);
    n->open = false;
    if (n->kind == YN_MAP) {
        if (n->n % 2)
            unreachable();
        n->n /= 2;
        if (!merge(L, n))
            return;
    }
    size_t w = 1;
    size_t items = n->kind == YN_MAP ? 2 * n->n : n->n;
    for (size_t i = 0; i < items; i++)
        w = sat_add(w, n->v[i]->weight);
    n->weight = w;
}

static void on_alias(loader *L, const yaml_event_t *e)
{
    df_slice name = slice_from((const char *)e->data.alias.anchor);
    size_t off = byte_at(L, e->start_mark.index), end = byte_at(L, e->end_mark.index);
    ynode *target = anchor_get(&L->anchors, name);
    if (!target) {
        lerror(L, off, end - off, "no anchor '&" SLICE_FMT "' is defined before this alias",
               SLICE_ARG(name));
        return;
    }
    if (target->open) {
        lerror(L, off, end - off, "the alias '*" SLICE_FMT "' is inside the node it names",
               SLICE_ARG(name));
        return;
    }
    if (count(L, target->weight, off))
        attach(L, target);
}

/* libyaml's own error at its mark, with a note at the construct it was reading. */
static void parser_error(loader *L, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        die("out of memory");
    size_t off = p->error == YAML_READER_ERROR ? p->problem_offset
                                               : byte_at(L, p->problem_mark.index);
    const char *problem = p->problem ? p->problem : "cannot read the YAML";
    if (p->error == YAML_READER_ERROR && p->problem_value != -1)
        lerror(L, off, 1, "%s (byte 0x%02x)", problem, (unsigned)p->problem_value & 0xFFu);
    else
        lerror(L, off, 1, "%s", problem);
    if (p->context)
        diag_add(L->d, DIAG_NOTE, L->src, byte_at(L, p->context_mark.index), 1, "%s, started here",
                 p->context);
}

ynode *yaml_load(df_doc *src, df_diags *d)
{
    loader L = {.src = src, .d = d, .arena = &src->arena};
    if (src->src.n > YAML_INPUT_LIMIT) {
        diag_addf_plain(d, DIAG_ERROR, "%s: larger than the %u MiB spec limit", src->name,
                        YAML_INPUT_LIMIT >> 20);
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        die("out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->src.p, src->src.n);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    int documents = 0;
    bool done = false;
    while (!done && !L.failed) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            parser_error(&L, &parser);
            break;
        }
        switch (e.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                lerror(&L, byte_at(&L, e.start_mark.index), 3,
                       "a spec is one YAML document; a second one starts here");
            break;
        case YAML_SCALAR_EVENT: on_scalar(&L, &e); break;
        case YAML_ALIAS_EVENT: on_alias(&L, &e); break;
        case YAML_SEQUENCE_START_EVENT: on_start(&L, &e, YN_SEQ); break;
        case YAML_MAPPING_START_EVENT: on_start(&L, &e, YN_MAP); break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: on_end(&L, &e); break;
        case YAML_STREAM_END_EVENT: done = true; break;
        default: break;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&parser);
    free(L.anchors.v);
    if (L.failed)
        return NULL;
    if (!L.root || (L.root->kind == YN_SCALAR && L.root->type == YS_NULL)) {
        diag_add(d, DIAG_ERROR, src, 0, 0, "the spec is empty");
        return NULL;
    }
    return L.root;
}

/* ---- queries ---- */

ynode *yaml_key(const ynode *m, const char *key)
{
    if (!m || m->kind != YN_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++) {
        ynode *k = m->v[2 * i];
        if (k->kind == YN_SCALAR && slice_eq_str(k->text, key))
            return k;
    }
    return NULL;
}

ynode *yaml_get(const ynode *m, const char *key)
{
    if (!m || m->kind != YN_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++) {
        ynode *k = m->v[2 * i];
        if (k->kind == YN_SCALAR && slice_eq_str(k->text, key))
            return m->v[2 * i + 1];
    }
    return NULL;
}

const char *yaml_what(const ynode *n)
{
    if (n->kind == YN_SEQ)
        return "a list";
    if (n->kind == YN_MAP)
        return "a mapping";
    switch (n->type) {
    case YS_NULL: return "null";
    case YS_BOOL: return "a boolean";
    case YS_INT:
    case YS_FLOAT: return "a number";
    default: return "a string";
    }
}
