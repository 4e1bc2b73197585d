/*
 * graph.c: the stage graph, and the `dfopt graph` command that draws it.
 *
 * Nodes are the stages and the images they use. An edge says that a stage needs another stage
 * or an image:
 *
 *   FROM   the stage builds on it              (df_stage.base_stage, or its base image)
 *   COPY   COPY/ADD --from=                     (a stage name or index, else an image)
 *   mount  RUN --mount=...,from=...             (resolved the same way)
 *
 * BuildKit resolves `--from` names over every stage of the file (a COPY may name a stage
 * defined later), and a number as a stage index; anything else is an image. A stage is live
 * when the target (the last stage, or `--target NAME`) reaches it along these edges.
 *
 * The graph is uncertain when a reference cannot be resolved from the text alone: a variable
 * in a FROM image that could make it a stage name (`FROM build-${MODE}`: the ARG default names
 * one stage, `--build-arg` may name another; `golang:${V}` cannot be a stage name), a variable in --from or a mount's from= (BuildKit expands it with the stage's
 * ARGs), a quoted --mount value, or ONBUILD holding --from (its trigger runs in whichever stage
 * builds on it). Then every stage is live.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

/* `from=` inside a --mount value (comma-separated key=value fields); false when absent. */
static bool mount_from(df_slice v, df_slice *from, bool *quoted)
{
    *quoted = memchr(v.p, '"', v.n) || memchr(v.p, '\'', v.n);
    const char *p = v.p, *end = v.p + v.n;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t n = (size_t)((comma ? comma : end) - p);
        /* most fields are type=, target=, source=: the first letter tells them apart */
        if (n >= 5 && (p[0] == 'f' || p[0] == 'F') && strncasecmp(p, "from=", 5) == 0) {
            *from = (df_slice){p + 5, n - 5};
            return true;
        }
        if (!comma)
            return false;
        p = comma + 1;
    }
}

/* Does n (an ONBUILD trigger) name another stage or image with --from? */
static bool refers_to_stage(const df_node *n)
{
    df_slice v;
    bool quoted;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && node_flag(n, "from", &v))
        return true;
    for (size_t i = 0; n->kind == DF_RUN && i < n->nbflags; i++) {
        df_slice f = n->bflags[i].v;
        if (slice_has_prefix(f, "--mount=") &&
            mount_from((df_slice){f.p + 8, f.n - 8}, &v, &quoted))
            return true;
    }
    return false;
}

/* The edges while graph_build collects them: on the stack for the usual few, else on the
 * heap; copied once into the document's arena when complete, so the arena keeps the graph and
 * none of the outgrown arrays. */
enum { LOCAL_EDGES = 16 };
typedef struct edge_list {
    graph_edge *v; /* local, or on the heap when more are found */
    size_t n, cap;
    graph_edge local[LOCAL_EDGES];
} edge_list;

static void add_edge(edge_list *l, graph_edge e)
{
    if (l->n == l->cap)
        l->v = grow_from_local(l->v, l->local, &l->cap, l->n, sizeof *l->v);
    l->v[l->n++] = e;
}

static void uncertain(graph *g, const df_node *n, const char *why)
{
    if (!g->uncertain) {
        g->uncertain = true;
        g->why = why;
        g->why_node = n;
    }
}

/* graph_node_refs, inlined where the caller's ref is known (graph_build) */
static inline __attribute__((always_inline)) const char *
node_refs(const df_node *n, graph_ref_fn ref, void *ctx)
{
    const char *why = NULL;
    df_slice v;
    bool quoted;
    if ((n->kind == DF_COPY || n->kind == DF_ADD) && node_flag(n, "from", &v)) {
        if (memchr(v.p, '$', v.n))
            return "a --from value holds a variable";
        ref(ctx, n, v, GE_COPY);
    } else if (n->kind == DF_RUN) {
        for (size_t i = 0; i < n->nbflags; i++) {
            df_slice f = n->bflags[i].v, from;
            if (!slice_has_prefix(f, "--mount="))
                continue;
            f.p += 8, f.n -= 8;
            if (!mount_from(f, &from, &quoted))
                continue;
            if (quoted || memchr(from.p, '$', from.n)) {
                if (!why)
                    why = quoted ? "a --mount value is quoted" : "a --from value holds a variable";
            } else {
                ref(ctx, n, from, GE_MOUNT);
            }
        }
    } else if (n->kind == DF_ONBUILD && n->sub && refers_to_stage(n->sub)) {
        return "ONBUILD refers to another stage";
    }
    return why;
}

const char *graph_node_refs(const df_node *n, graph_ref_fn ref, void *ctx)
{
    return node_refs(n, ref, ctx);
}

typedef struct build_ctx {
    df_doc *doc;
    edge_list *l;
} build_ctx;

/* An edge from n's stage to what ref names (a stage, else an image). */
static void ref_edge(void *ctx, const df_node *n, df_slice ref, graph_edge_kind kind)
{
    build_ctx *b = ctx;
    int to = sema_stage_ref(b->doc, ref, b->doc->nstages);
    add_edge(b->l, (graph_edge){n->stage, to, to < 0 ? ref : (df_slice){"", 0}, kind, n});
}

bool graph_base_may_name_stage(df_slice base)
{
    if (!base.n || !memchr(base.p, '$', base.n))
        return false; /* no variable: it names what it says */
    bool var = false;
    for (size_t i = 0; i < base.n; i++) {
        char c = base.p[i];
        if (c == '$') {
            var = true;
            if (i + 1 < base.n && base.p[i + 1] == '{') {
                size_t depth = 0;
                for (i++; i < base.n; i++) {
                    depth += base.p[i] == '{';
                    if (base.p[i] == '}' && --depth == 0)
                        break;
                }
            } else {
                while (i + 1 < base.n && (base.p[i + 1] == '_' || (base.p[i + 1] >= 'a' && base.p[i + 1] <= 'z') ||
                                          (base.p[i + 1] >= 'A' && base.p[i + 1] <= 'Z') ||
                                          (base.p[i + 1] >= '0' && base.p[i + 1] <= '9')))
                    i++;
            }
            continue;
        }
        /* a stage name is [a-z][a-z0-9-_.]* (case-insensitive): `golang:${V}` is an image */
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return var;
}

void graph_build(df_doc *doc, graph *g)
{
    memset(g, 0, sizeof *g);
    edge_list l;
    l.v = l.local;
    l.n = 0;
    l.cap = LOCAL_EDGES;
    build_ctx b = {doc, &l};
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->stage < 0)
            continue;
        if (n->kind == DF_FROM) {
            const df_stage *s = &doc->stages[n->stage];
            /* the default picks one stage, a --build-arg may pick another */
            if (graph_base_may_name_stage(s->base))
                uncertain(g, n, "a FROM image holds a variable that may name a stage");
            add_edge(&l, (graph_edge){n->stage, s->base_stage,
                                      s->base_stage < 0 ? s->base_expanded : (df_slice){"", 0},
                                      GE_FROM, n});
        } else if (n->kind == DF_COPY || n->kind == DF_ADD || n->kind == DF_RUN ||
                   n->kind == DF_ONBUILD) {
            const char *why = node_refs(n, ref_edge, &b);
            if (why)
                uncertain(g, n, why);
        }
    }
    if (l.n) {
        g->edges = arena_alloc_raw(&doc->arena, l.n * sizeof *g->edges);
        memcpy(g->edges, l.v, l.n * sizeof *g->edges);
        g->nedges = l.n;
    }
    if (l.v != l.local)
        free(l.v);
}

int graph_target(const df_doc *doc, const char *name)
{
    if (doc->nstages == 0)
        return -1;
    if (!name)
        return (int)doc->nstages - 1;
    for (size_t i = 0; i < doc->nstages; i++)
        if (slice_eq_nocase(doc->stages[i].name, name))
            return (int)i;
    return -1;
}

void graph_live(const df_doc *doc, const graph *g, int target, bool *live)
{
    size_t ns = doc->nstages;
    for (size_t i = 0; i < ns; i++)
        live[i] = g->uncertain;
    if (g->uncertain || target < 0 || (size_t)target >= ns)
        return;
    /* edges are grouped by the stage that uses them (document order): index them (on the
     * stack for the usual handful of stages) */
    enum { LOCAL_STAGES = 32 };
    size_t local_first[LOCAL_STAGES + 1] = {0};
    int local_stack[LOCAL_STAGES];
    bool local = ns <= LOCAL_STAGES;
    size_t *first = local ? local_first : xcalloc(ns + 1, sizeof *first);
    for (size_t i = 0; i < g->nedges; i++)
        first[g->edges[i].from_stage + 1]++;
    for (size_t i = 0; i < ns; i++)
        first[i + 1] += first[i];
    int *stack = local ? local_stack : xmalloc(ns * sizeof *stack);
    size_t top = 0;
    live[target] = true;
    stack[top++] = target;
    while (top > 0) {
        int s = stack[--top];
        for (size_t i = first[s]; i < first[s + 1]; i++) {
            int to = g->edges[i].to_stage;
            if (to >= 0 && !live[to]) {
                live[to] = true;
                stack[top++] = to;
            }
        }
    }
    if (!local) {
        free(stack);
        free(first);
    }
}

/* ---- printing ---- */

/* The distinct images, in the order first named, and where each is. */
typedef struct images {
    df_slice *v;
    size_t n, cap;
    name_index index;
} images;

static size_t image_id(images *im, df_slice name)
{
    size_t i = name_index_get(&im->index, name);
    if (i)
        return i - 1;
    if (im->n == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 8;
        im->v = xrealloc(im->v, im->cap * sizeof *im->v);
    }
    im->v[im->n] = name;
    name_index_put(&im->index, name, im->n);
    return im->n++;
}

/* Text safe inside a DOT "..." or a Mermaid "..." label. */
static void put_label(df_buf *b, df_slice s, bool mermaid)
{
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == '"')
            buf_puts(b, mermaid ? "#quot;" : "\\\"");
        else if (c == '\\' && !mermaid)
            buf_puts(b, "\\\\");
        else if ((unsigned char)c < 0x20)
            buf_putc(b, ' ');
        else
            buf_putc(b, c);
    }
}

static const char *edge_name(graph_edge_kind k)
{
    return k == GE_FROM ? "FROM" : k == GE_COPY ? "COPY" : "mount";
}

/* Is edge i the same (from, to, kind) as an earlier edge of its stage? */
static bool duplicate(const graph *g, size_t i)
{
    const graph_edge *e = &g->edges[i];
    for (size_t j = i; j-- > 0 && g->edges[j].from_stage == e->from_stage;) {
        const graph_edge *f = &g->edges[j];
        if (f->kind == e->kind && f->to_stage == e->to_stage &&
            (e->to_stage >= 0 || slice_eq(f->image, e->image)))
            return true;
    }
    return false;
}

void graph_print(df_doc *doc, const graph *g, int target, graph_format format, df_buf *out)
{
    bool mm = format == GRAPH_MERMAID;
    bool *live = xcalloc(doc->nstages + 1, sizeof *live);
    graph_live(doc, g, target, live);
    images im = {0};
    for (size_t i = 0; i < g->nedges; i++)
        if (g->edges[i].to_stage < 0)
            image_id(&im, g->edges[i].image);
    if (mm) {
        buf_puts(out, "flowchart LR\n");
    } else {
        buf_puts(out, "digraph stages {\n  rankdir=LR;\n"
                      "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                      "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    }
    for (size_t i = 0; i < im.n; i++) {
        buf_printf(out, mm ? "  i%zu([\"" : "  i%zu [shape=ellipse, color=gray40, label=\"", i);
        put_label(out, im.v[i], mm);
        buf_puts(out, mm ? "\"])\n" : "\"];\n");
    }
    for (size_t i = 0; i < doc->nstages; i++) {
        const df_stage *s = &doc->stages[i];
        buf_printf(out, mm ? "  s%zu[\"" : "  s%zu [label=\"", i);
        if (s->name.n) {
            put_label(out, s->name, mm);
        } else {
            buf_printf(out, "stage %zu", i);
        }
        buf_puts(out, "\"");
        if (!mm) {
            if ((int)i == target)
                buf_puts(out, ", penwidth=2.5");
            if (!live[i])
                buf_puts(out, ", style=\"rounded,dashed\", fontcolor=gray50, color=gray50");
        }
        buf_puts(out, mm ? "]\n" : "];\n");
    }
    for (size_t i = 0; i < g->nedges; i++) {
        const graph_edge *e = &g->edges[i];
        if (duplicate(g, i))
            continue;
        char src[32];
        if (e->to_stage >= 0)
            snprintf(src, sizeof src, "s%d", e->to_stage);
        else
            snprintf(src, sizeof src, "i%zu", image_id(&im, e->image));
        if (mm)
            buf_printf(out, "  %s -->|%s| s%d\n", src, edge_name(e->kind), e->from_stage);
        else
            buf_printf(out, "  %s -> s%d [label=\"%s\"%s];\n", src, e->from_stage,
                       edge_name(e->kind), e->kind == GE_FROM ? "" : ", style=dashed");
    }
    if (mm) {
        buf_puts(out, "  classDef target stroke-width:3px\n"
                      "  classDef dead stroke-dasharray:5 5,color:#888\n");
        if (target >= 0)
            buf_printf(out, "  class s%d target\n", target);
        for (size_t i = 0; i < doc->nstages; i++)
            if (!live[i])
                buf_printf(out, "  class s%zu dead\n", i);
    } else {
        buf_puts(out, "}\n");
    }
    free(im.v);
    name_index_free(&im.index);
    free(live);
}

/* ---- `dfopt graph` ---- */

static const char graph_usage[] =
    "usage: dfopt graph [--format=dot|mermaid] [--target NAME] [FILE|-]\n"
    "Print the stage graph of a Dockerfile: stages and images, with FROM, COPY --from and\n"
    "RUN --mount from= edges; the target (the last stage, or NAME) is drawn bold and the stages\n"
    "it does not need dashed.\n";

static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    df_buf b = {0};
    buf_put(&b, "", 0);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    bool err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        fprintf(stderr, "dfopt: %s: read error\n", path);
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

int graph_main(int argc, char **argv)
{
    graph_format format = GRAPH_DOT;
    const char *target = NULL, *path = NULL;
    bool options_done = false; /* after `--`, an argument is the file even with a leading - */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (options_done && !path) {
            path = a;
            continue;
        }
        if (options_done)
            ;
        else if (strncmp(a, "--format=", 9) == 0)
            v = a + 9;
        else if (strcmp(a, "--format") == 0 && i + 1 < argc)
            v = argv[++i];
        if (v) {
            if (strcmp(v, "dot") == 0)
                format = GRAPH_DOT;
            else if (strcmp(v, "mermaid") == 0)
                format = GRAPH_MERMAID;
            else {
                fprintf(stderr, "dfopt graph: --format takes dot or mermaid, not '%s'\n", v);
                return 2;
            }
        } else if (strncmp(a, "--target=", 9) == 0) {
            target = a + 9;
        } else if (strcmp(a, "--target") == 0 && i + 1 < argc) {
            target = argv[++i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(graph_usage, stdout);
            return 0;
        } else if ((a[0] != '-' || strcmp(a, "-") == 0) && !path) {
            path = a;
        } else {
            fprintf(stderr, "dfopt graph: unexpected argument '%s'\n%s", a, graph_usage);
            return 2;
        }
    }
    if (!path)
        path = "-";
    size_t len;
    char *src = slurp(path, &len);
    if (!src)
        return 2;
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, src, len, d);
    int status = 0;
    if (!doc) {
        status = 2;
    } else {
        int t = graph_target(doc, target);
        if (t < 0) {
            fprintf(stderr, "dfopt graph: %s\n",
                    target ? "no stage has the --target name" : "the file has no stage");
            status = 2;
        } else {
            graph g;
            graph_build(doc, &g);
            if (g.uncertain)
                diag_add(d, DIAG_NOTE, doc, g.why_node->src_off, g.why_node->keyword.n,
                         "%s: every stage is drawn as needed", g.why);
            df_buf b = {0};
            graph_print(doc, &g, t, format, &b);
            if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
                fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
                status = 2;
            }
            buf_free(&b);
        }
    }
    df_diags_print(d, stderr, false);
    df_doc_free(doc);
    df_diags_free(d);
    free(src);
    return status;
}
