/*
 * internal.h: what dfopt's modules share. The public API is include/dfopt.h.
 *
 * The IR
 * ------
 * A document (df_doc) owns the source bytes, one arena, and a doubly linked list of instruction
 * nodes (df_node) in file order, grouped into stages by FROM. Every byte of the source belongs to
 * exactly one place:
 *
 *     doc->head->lead   node text   next->lead   next text ...   doc->trailer
 *
 *   lead     the whole lines before an instruction that are not part of it: comments, blank lines,
 *            parser directives, a BOM (for the first node);
 *   text     the instruction itself, from the start of its first physical line to the end of its
 *            last one, newline included: continuation lines, comment lines inside a continuation,
 *            and heredoc bodies with their terminators;
 *   trailer  whatever follows the last instruction.
 *
 * Printing concatenates these slices, so an untouched document prints back byte for byte. A pass
 * that edits an instruction gives it new text (arena-allocated) and the parsed fields are rebuilt
 * from that text by ir_node_set_text, so fields and text never disagree. All list surgery lives
 * in ir.c; passes never write prev/next themselves.
 *
 * The parsed fields follow BuildKit's parser exactly (the conformance dump is printed from them):
 * `logical` is the joined logical line (escape+newline removed, comment and empty lines inside a
 * continuation dropped); flags and args are BuildKit's values; each carries `off`, its byte offset
 * in the logical line, which segs map back to source line and column.
 */
#ifndef DF_INTERNAL_H
#define DF_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>

#include "../include/dfopt.h"
#include "kinds.h"
#include "util.h"

/* ---- instruction kinds ---- */

typedef enum df_kind {
#define X(id, kw, rule, props) DF_##id,
    DF_KINDS(X)
#undef X
    DF_UNKNOWN,
    DF_NKINDS
} df_kind;
_Static_assert(DF_NKINDS <= 256, "df_node.kind holds a df_kind in one byte");

const char *kind_name(df_kind k);     /* lower-case keyword, "unknown" */
unsigned kind_props(df_kind k);
df_kind kind_lookup(df_slice keyword); /* case-insensitive; DF_UNKNOWN when not a keyword */
void kind_lower(df_buf *b, df_slice keyword); /* Go's strings.ToLower, as BuildKit's dump */

/* ---- nodes ---- */

typedef struct df_arg {
    df_slice v;  /* value as BuildKit gives it (decoded for JSON) */
    size_t off;  /* where it starts in the top-level node's logical line */
} df_arg;

typedef struct df_heredoc {
    df_slice name;      /* delimiter, quotes removed */
    df_slice word;      /* the opener word as written, e.g. <<-"EOF" */
    size_t off;         /* opener word offset in the logical line */
    df_slice body;      /* content lines, newlines included, terminator excluded */
    bool chomp;         /* <<- : leading tabs stripped */
    bool expand;        /* delimiter unquoted: variables expand in the body */
    unsigned fd;        /* 3<<EOF */
} df_heredoc;

typedef struct df_seg {
    size_t loff;  /* offset in the logical line */
    size_t soff;  /* offset in the node text */
} df_seg;

enum {
    DF_N_JSON = 1u << 0,   /* arguments in JSON (exec) form */
    DF_N_EDITED = 1u << 1, /* text was re-rendered by a pass */
    DF_N_MERGED = 1u << 2, /* made by merge-run; kept across later edits of the node */
    DF_N_OPEN = 1u << 3,   /* the file ended inside its line continuation: whatever followed
                            * it would join it */
};

/* A document is mostly its nodes (one per instruction, a few hundred thousand in a big file):
 * kind and flags are narrow, and the counts that no other module takes the address of are
 * 32 bits, so that the fields pack without padding. */
enum { KW_LOWER = 1, KW_UPPER = 2 };
typedef struct df_node df_node;
struct df_node {
    df_node *prev, *next;
    uint8_t kind;          /* a df_kind */
    uint8_t kwcase;        /* the letters of keyword: KW_LOWER, KW_UPPER, both (parser.c) */
    uint16_t flags;        /* DF_N_* */
    int stage;             /* index in doc->stages; -1 before the first FROM */

    df_slice lead;         /* trivia before the instruction (see above) */
    df_slice text;         /* the instruction's bytes */
    size_t src_off;        /* offset of text in the source; SIZE_MAX when synthesized */
    size_t line;           /* 1-based line of the first physical line (0 when synthesized) */

    df_slice keyword;      /* as written */
    df_slice logical;      /* joined logical line, keyword first */
    df_arg *bflags;        /* builder flags: "--from=build", ... */
    size_t nbflags;
    df_arg *args;
    size_t nargs;
    df_seg *segs;
    df_heredoc *heredocs;
    uint32_t nsegs, nheredocs;
    df_node *sub;          /* ONBUILD's instruction (not in the list) */
    size_t rest_off;       /* where the arguments start in logical */
    struct df_script *script; /* a RUN's script as read by sh_parse_node; NULL before */
};

typedef struct df_stage {
    df_slice name;        /* AS name (case kept); empty when unnamed */
    df_slice base;        /* FROM image as written */
    df_slice base_expanded; /* with global ARG defaults substituted */
    df_slice platform;    /* --platform value, empty when absent */
    df_node *from;        /* the FROM node */
    size_t index;
    int base_stage;       /* index of the stage it builds on, -1 for an image */
    int prev_same;        /* the previous stage with the same name (case-insensitive), or -1 */
} df_stage;

/* What the passes know of the whole file as it was read, before any pass changed it: worked
 * out when df_doc_optimize starts (api.c facts_step), or once for all the parts of a large file
 * (segment.c), so that each part decides as the whole file would. */
typedef struct df_facts {
    size_t upper, lower;   /* keyword-case: keywords all upper case, all lower case */
    bool have_style;       /* rs_doc_style: the first command continuation of the file ... */
    df_slice indent;       /* ... its leading blanks ... */
    bool leading;          /* ... and whether `&&` starts the line (runscript.h rs_style) */
    /* set for the parts of a file alone (of_parts): what a pass would see in the others */
    bool of_parts;
    bool shell;            /* a SHELL instruction, alone or in ONBUILD (rw_has_shell) */
    bool uncertain;        /* dead-stage: some stage reference no text resolves */
    bool variable_from;    /* exec-form: a FROM whose variable may name a stage */
    bool reads_all;        /* pkg-hygiene: a --from with a variable copies package metadata */
} df_facts;

struct df_doc {
    df_arena arena;
    df_arena nodes;       /* the nodes alone (ir_node_new): a walk of the list reads memory
                           * in order, without the strings and arrays between them */
    const char *name;     /* file name for diagnostics */
    df_slice src;
    char escape;          /* '\\' or '`' */
    bool crlf;            /* the file's lines end in CRLF */
    df_slice syntax, check; /* directive values, empty when absent */
    size_t directives_end; /* source offset of the first line after the parser directives
                            * (SIZE_MAX: the whole source is directives, or none was read) */
    df_node *head, *tail;
    df_slice trailer;
    size_t nnodes;
    size_t read_upper, read_lower; /* keywords read from the source all upper, all lower case
                                    * (ONBUILD's included: parse_document_each) */
    df_stage *stages;
    size_t nstages;
    size_t stages_cap;    /* room in stages (sema_stages reuses it) */
    int *stage_names;     /* open-addressing table: 1 + last stage index per name, 0 empty;
                           * stages_cap * 2 slots (a power of two), NULL when no stages */
    size_t *line_starts;  /* offsets of the starts of each source line */
    size_t nlines;
    const df_options *opt; /* while df_doc_optimize runs: its options (passes read them) */
    /* The build context (context.h): opened when a pass first asks for it (doc_context),
     * from context_dir, else from the directory of context_file when that is a regular file;
     * the two name the caller's strings and are set only while df_doc_optimize runs. */
    struct df_context *context;
    const char *context_dir, *context_file;
    bool context_asked;   /* doc_context has looked: context is what it found */
    bool stages_stale;    /* a FROM or an instruction before the first FROM was added, removed
                           * or given new text since sema_stages (ir.c keeps the stage of the
                           * other nodes it links) */
    /* The RUN scripts' readings (sh_parse_node) by their bytes, one per distinct script (ir.c):
     * open addressing over readings_cap slots, a power of two (0 before the first reading). */
    struct reading **readings;
    size_t nreadings, readings_cap;
    /* What changed where while the passes run on a document of many stages (ir.c counts), so
     * that a pass run again looks only at the stages changed since its last run
     * (PASS_BY_STAGE; api.c): edits counts the changes to the list; stage_edit[s] is its value
     * after the last change in stage s (nstage_edit entries; NULL: nothing is tracked),
     * graph_edit after the last change to an instruction that may name another stage,
     * stages_edit after the last change to the stages themselves or to the global ARGs. */
    uint64_t edits, graph_edit, stages_edit;
    uint64_t kind_edit[DF_NKINDS]; /* after the last change to an instruction of each kind */
    uint64_t *stage_edit;
    size_t nstage_edit;
    /* While a PASS_BY_STAGE pass runs: the stages it must look at (ir_walk_first), NULL for
     * all. It sets walk_all_next when it refused something for a fact of the whole file that
     * a change elsewhere may turn (copy-chown's --chmod, refused for want of BuildKit syntax):
     * its next run then looks at every stage. */
    const bool *walk;
    bool walk_all_next;
    /* A part of a larger file (segment.c): its text is a slice of the file's (part), or the
     * file's head up to its first FROM and then the slice; lines and stages are numbered as in
     * the file, line_base lines and stage_base stages before the slice. */
    bool part;
    size_t line_base, stage_base;
    /* A part that starts with a copy of its file's global ARGs (jump_off bytes, line_jump
     * lines): line_base applies from line line_jump on (0: every line). */
    size_t jump_off, line_jump;
    const df_facts *facts; /* while df_doc_optimize runs: own_facts, or the file's (a part) */
    df_facts own_facts;
};

/* The document's build context, opened on first use (context.c); NULL when there is none. A
 * pass asks only once it knows it has something to look up, so most documents cost no system
 * call for it. */
struct df_context *doc_context(df_doc *doc);

/* ---- diagnostics (diag.c) ---- */

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
    diag_level level;
    const char *file;
    size_t line, col;       /* 1-based */
    size_t end_col;         /* exclusive, on the same line; == col for a point */
    char *message;
    char *source_line;      /* the line's text without its newline, NULL when unknown */
    bool whole_line;        /* the position is the instruction's line (it was rewritten since),
                             * col is where its keyword was */
} diag;

struct df_diags {
    diag *v;
    size_t n, cap;
    size_t nerrors;
};

/* Frees d's diagnostics and leaves it empty, for a sink on the stack: a pass that reads text it
 * wrote only counts what the reading reports, `df_diags scratch = {0}`. */
void diags_release(df_diags *d);
/* Drops the diagnostics on lines first..last. */
void diags_drop_lines(df_diags *d, size_t first, size_t last);
void diag_add(df_diags *d, diag_level level, const df_doc *doc, size_t src_off, size_t len,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* diag_add about node n at source offset off (SIZE_MAX: none): a node a pass rewrote has no
 * source offsets, so the diagnostic then points at the keyword of the line it came from. */
void diag_node(df_diags *d, diag_level level, const df_doc *doc, const df_node *n, size_t off,
               size_t len, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void diag_addf_plain(df_diags *d, diag_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_render(const df_diags *d, df_buf *out, bool color);

/* ---- lexer and parser (lexer.c, parser.c) ---- */

/* Parses the whole source into doc's node list; errors go to d. Returns false on errors. */
bool parse_document(df_doc *doc, df_diags *d);
/* Parses one logical line into node fields (splitCommand and the per-kind rule). The logical
 * line and segs must be set. Returns false and reports on error. */
bool parse_instruction(df_doc *doc, df_node *n, df_diags *d);
/* Source offset of a logical-line offset of node n (for positions); SIZE_MAX when synthesized. */
size_t node_src_offset(const df_node *n, size_t loff);
/* Finds the heredoc openers in a logical line (BuildKit heredocsFromLine). */
size_t lex_heredoc_openers(df_doc *doc, df_slice logical, df_heredoc **out);
/* Lexes text holding exactly one instruction (optionally preceded by comment lines). */
df_node *lex_one(df_doc *doc, df_slice text, df_diags *d);

bool lex_is_space_rune(const char *p, size_t n, size_t *width);
size_t lex_trim_left_space(const char *p, size_t n);

/* ---- JSON (json.c) ---- */

typedef enum { JSON_OK, JSON_NOT_ARRAY, JSON_NOT_STRINGS } json_result;
/* Go encoding/json semantics for a JSON array of strings: an element written as plain ASCII
 * is a slice of s, any other is decoded into the arena. */
json_result json_string_array(df_arena *a, df_slice s, df_slice **elems, size_t **offs, size_t *n);
void json_quote(df_buf *b, df_slice s);     /* a JSON string literal */
void go_quote(df_buf *b, df_slice s);       /* Go strconv.Quote */

/* ---- IR (ir.c) ---- */

df_doc *ir_doc_new(const char *name, const char *src, size_t len);
df_node *ir_node_new(df_doc *doc);
void ir_append(df_doc *doc, df_node *n);
void ir_insert_before(df_doc *doc, df_node *at, df_node *n);
void ir_insert_after(df_doc *doc, df_node *at, df_node *n);
void ir_unlink(df_doc *doc, df_node *n);
void ir_replace(df_doc *doc, df_node *old, df_node *n);
/* Gives n new instruction text (one instruction, ending in a newline) and re-parses its fields.
 * Returns false (and reports) when the text does not parse as exactly one instruction. */
bool ir_node_set_text(df_doc *doc, df_node *n, df_slice text, df_diags *d);
/* ir_node_set_text with the text already read by ir_node_from_text (fresh, which is not in
 * the list): n takes fresh's text and fields, keeping its place, stage, lead and DF_N_MERGED.
 * fresh is used up: its memory may go to the next node made. */
void ir_node_adopt(df_doc *doc, df_node *n, const df_node *fresh);
/* Builds a new unlinked node from instruction text. NULL (and a report) when it does not parse.
 * The node reads a copy of text, unless doc's arena holds text already: then text itself, which
 * must stay as it is. */
df_node *ir_node_from_text(df_doc *doc, df_slice text, df_diags *d);
/* The checker: links, spans, stage structure. Dies on an inconsistency (an internal bug). */
void ir_check(const df_doc *doc, const char *after);
/* Whether the environment asks for the IR check after every pass (DFOPT_CHECK_IR set and not
 * "0"; the test scripts set it). Without it the commands check the IR once, after the passes. */
bool ir_check_each_pass(void);
/* The check policy of a run of passes, in one place for the optimizer and lint: after a pass
 * that changed doc, ir_check_pass checks when each (every pass: the tests, the fuzzers); once
 * they are done, ir_check_passes checks when something changed and each did not. Both do
 * nothing in a build with NDEBUG. */
void ir_check_pass(const df_doc *doc, const char *pass, bool each);
void ir_check_passes(const df_doc *doc, bool changed, bool each);
/* Like sh_note_node (shell.h), a second slot beside the node's script reading, kept for
 * rw_run_footprint; NULL when the script has not been read or n has new text since. */
void **sh_footprint_note(const df_node *n);
/* Appends v as one shell word for ENV/LABEL values: bare when safe, else double-quoted with the
 * document's escape character before " $ and itself (so BuildKit reads back exactly v). */
void ir_quote_value(const df_doc *doc, df_buf *b, df_slice v);
/* Appends the keyword (given in upper case) in the letter case of like's keyword. */
void ir_keyword(const df_node *like, df_buf *b, const char *upper);
/* Appends the document's newline unless like is the last node and had none. */
void ir_end_line(const df_doc *doc, const df_node *like, df_buf *b);
/* Edits of a node's text addressed by logical-line offsets (args[i].off etc.): collect them,
 * then apply all at once; the node is re-parsed. A range that spans a line continuation or edits
 * that overlap are refused (false, node unchanged). */
typedef struct ir_edit {
    size_t loff, llen;
    df_slice ins;
} ir_edit;
typedef struct ir_edits {
    ir_edit *v;
    size_t n, cap;
} ir_edits;
void ir_edit_add(ir_edits *e, size_t loff, size_t llen, df_slice ins);
bool ir_edit_apply(df_doc *doc, df_node *n, ir_edits *e, df_diags *d);
/* The offset in n's text of logical offset loff (through its pieces, n->segs); at_end picks
 * the end of the previous piece when loff falls on a piece boundary (for the end of a deleted
 * range). */
size_t ir_text_offset(const df_node *n, size_t loff, bool at_end);
/* The newline the document uses ("\n" or "\r\n"). */
df_slice ir_newline(const df_doc *doc);
/* Line and column (1-based, byte columns) of a source offset. */
void ir_line_col(const df_doc *doc, size_t off, size_t *line, size_t *col);
/* The source offset where 1-based line `line` starts; SIZE_MAX past the end. */
size_t ir_line_start(const df_doc *doc, size_t line);

/* ---- semantics (sema.c) ---- */

/* Recomputes stages and each node's stage index. */
void sema_stages(df_doc *doc, df_diags *d);
/* The value of builder flag --name (without "--name="); false when absent. */
bool node_flag(const df_node *n, const char *name, df_slice *value);
/* The stage a `--from=` value or FROM base names, -1 when it is an image. */
int sema_stage_ref(const df_doc *doc, df_slice ref, size_t before_stage);
/* The global ARGs of doc (the ARGs before its first FROM, with their defaults), to expand a
 * FROM's base as sema_stages does (into arena; g NULL: none); doc must outlive them. */
typedef struct sema_globals sema_globals;
sema_globals *sema_globals_read(df_doc *doc);
df_slice sema_expand_base(sema_globals *g, char escape, df_arena *arena, df_slice base);
void sema_globals_free(sema_globals *g); /* NULL is allowed */

/* ---- printing (printer.c) ---- */

void print_doc(const df_doc *doc, df_buf *out);
/* The same from node n on (n in doc's list): its lead, text, and what follows. */
void print_doc_from(const df_doc *doc, const df_node *n, df_buf *out);
/* print_doc written to f piece by piece (the output is never held whole); false on a write
 * error. */
bool print_doc_file(const df_doc *doc, FILE *f);
void print_dump(const df_doc *doc, df_buf *out);
void print_json(const df_doc *doc, df_buf *out);

/* ---- the stage graph (graph.c) ---- */

typedef enum { GE_FROM, GE_COPY, GE_MOUNT } graph_edge_kind;
typedef struct graph_edge {
    int from_stage;        /* the stage that needs ... */
    int to_stage;          /* ... this stage, or -1 for an image */
    df_slice image;        /* the image when to_stage < 0 */
    graph_edge_kind kind;  /* FROM, COPY/ADD --from, RUN --mount from= */
    const df_node *node;   /* the instruction that makes the edge */
} graph_edge;
typedef struct graph {
    graph_edge *edges;     /* in document order, so grouped by from_stage (arena) */
    size_t nedges;
    bool uncertain;        /* a reference cannot be resolved from the text: all stages live */
    const char *why;       /* when uncertain */
    const df_node *why_node;
} graph;
typedef enum { GRAPH_DOT, GRAPH_MERMAID } graph_format;

/* Computes the edges of doc's stage graph (stages must be current). */
void graph_build(df_doc *doc, graph *g);
/* The stage references of node n other than a FROM's base (COPY/ADD --from, RUN --mount
 * from=), in order: each one that names a stage or an image as written goes to ref(); returns
 * the first reason n makes the graph uncertain (a variable, a quoted --mount value, ONBUILD with
 * --from), else NULL. */
typedef void (*graph_ref_fn)(void *ctx, const df_node *n, df_slice ref, graph_edge_kind kind);
const char *graph_node_refs(const df_node *n, graph_ref_fn ref, void *ctx);
/* Does a FROM image as written hold a variable and, outside it, only characters a stage name
 * may have (so a build argument could make it name a stage)? */
bool graph_base_may_name_stage(df_slice base);
/* The index of the stage named name (case-insensitive), the last stage when name is NULL; -1
 * when there is no such stage. */
int graph_target(const df_doc *doc, const char *name);
/* Sets live[i] for every stage target needs (live has doc->nstages entries); all of them when
 * the graph is uncertain. Linear in stages and edges. */
void graph_live(const df_doc *doc, const graph *g, int target, bool *live);
/* The graph as Graphviz DOT or Mermaid: target bold, stages it does not need dashed. */
void graph_print(df_doc *doc, const graph *g, int target, graph_format format, df_buf *out);
/* `dfopt graph [--format=dot|mermaid] [--target NAME] [FILE]` (argv[0] is "graph"); returns the
 * exit status. */
int graph_main(int argc, char **argv);

/* ---- passes (pipeline.c, passes/) ---- */

typedef bool (*pass_fn)(df_doc *doc, df_diags *d);
typedef struct df_pass {
    const char *name;
    int level;            /* the lowest -O level that runs it */
    pass_fn run;
    const char *summary;  /* one line */
    const char *explain;  /* what it does, when it refuses, an example */
    /* PASS_BY_STAGE: whether and what the pass changes in a stage depends only on that
     * stage, the stages tied to it by FROM, --from or a mount's from=, and what no pass
     * changes (the escape, the build context; the file's continuation style may shape the
     * text it writes, not whether it writes), or it sets doc->walk_all_next; and it walks the
     * document with ir_walk_first/ir_walk_next (ir_walk_last/ir_walk_prev backwards). Run
     * again, it looks only at the stages changed since its last run and the stages tied to
     * them (api.c). */
    unsigned flags;
    /* A PASS_BY_STAGE pass whose outcome at an instruction depends on that instruction alone
     * (and what no pass changes) acts only on the instructions of these kinds (bit 1 << kind;
     * an ONBUILD's instruction counts as ONBUILD): run again when none of them changed since
     * its last run, it would change nothing (api.c). 0: any. */
    uint64_t kinds;
} df_pass;
enum { PASS_BY_STAGE = 1u << 0 };
#define KIND_BIT(k) ((uint64_t)1 << (k))
_Static_assert(DF_NKINDS <= 64, "df_pass.kinds holds a bit per kind");

/* The walk of a PASS_BY_STAGE pass: the nodes before the first FROM, then the stages
 * doc->walk marks (every stage when it is NULL), in document order. */
df_node *ir_walk_stage(const df_doc *doc, size_t s); /* the FROM of the first marked stage >= s */
/* Backwards (stage s unmarked): the last node of the last marked stage before s, else
 * the last node before the first FROM (NULL when there is none). */
df_node *ir_walk_back_stage(const df_doc *doc, size_t s);
static inline df_node *ir_walk_first(const df_doc *doc)
{
    df_node *n = doc->head;
    if (n && doc->walk && n->kind == DF_FROM && n->stage >= 0 && !doc->walk[n->stage])
        return ir_walk_stage(doc, (size_t)n->stage + 1);
    return n;
}
static inline df_node *ir_walk_next(const df_doc *doc, const df_node *n)
{
    df_node *m = n->next;
    if (m && m->kind == DF_FROM && doc->walk && m->stage >= 0 && !doc->walk[m->stage])
        return ir_walk_stage(doc, (size_t)m->stage + 1);
    return m;
}
static inline df_node *ir_walk_prev(const df_doc *doc, const df_node *n)
{
    df_node *m = n->prev;
    if (m && doc->walk && m->stage >= 0 && !doc->walk[m->stage])
        return ir_walk_back_stage(doc, (size_t)m->stage);
    return m;
}
static inline df_node *ir_walk_last(const df_doc *doc)
{
    df_node *n = doc->tail;
    if (n && doc->walk && n->stage >= 0 && !doc->walk[n->stage])
        return ir_walk_back_stage(doc, (size_t)n->stage);
    return n;
}

/* How PASS_BY_STAGE passes walk when run again (the tests and the pipeline fuzzer compare the
 * ways): only the changed stages in a document of TRACK_STAGES (api.c) stages or more (the
 * default), in any document of two stages or more (DFOPT_WALK=changed), or every stage
 * (DFOPT_WALK=all). */
typedef enum { WALK_DEFAULT, WALK_CHANGED_STAGES, WALK_EVERY_STAGE } optimize_walk_mode;
void optimize_walk(optimize_walk_mode mode);

/* Parses doc (made by ir_doc_new, and set up as a part when it is one) and reads its stages,
 * as df_doc_parse does; false on a parse error (reported in d). */
bool doc_read(df_doc *doc, df_diags *d);
/* Does opt select pass p (--passes, else the level; minus --skip)? Are the pass names opt
 * gives all known (df_doc_optimize reports those that are not)? */
bool optimize_selects(const df_options *opt, const df_pass *p);
bool optimize_names_ok(const df_options *opt);

extern const df_pass pipeline[];
extern const size_t pipeline_len;
const df_pass *pipeline_find(const char *name);

#define PASS(name) bool pass_##name##_run(df_doc *doc, df_diags *d)
#include "passes.h"

/* The facts (df_facts) of the file as read, gathered one instruction at a time, in order, and
 * finished with the parser's counts (api.c); from the passes that use them: */
void facts_step(df_facts *f, const df_doc *doc, const df_node *n);
void facts_end(df_facts *f, const df_doc *doc);
/* rewrite.c: does n (or its ONBUILD instruction) use BuildKit-only syntax; is it a SHELL? */
bool rw_node_buildkit(const df_node *n);
bool rw_node_shell(const df_node *n);
/* runscript.c: n's command-continuation style into f, when it shows one */
bool rs_note_style(const df_doc *doc, const df_node *n, df_facts *f);
/* pkg_hygiene.c: does n (COPY/ADD, RUN, ONBUILD) copy package metadata out of a stage its
 * --from or mount from= names with a variable (so out of any stage)? */
bool pkg_reads_every_stage(const df_node *n);

#endif
