/*
 * gen.h: dfopt's second front end, `dfopt gen`: a YAML spec in, a Dockerfile out.
 *
 *   spec.yaml --yaml_load--> ynode tree --spec_check--> checked tree --gen_emit--> Dockerfile
 *   text --df_doc_parse--> IR --default passes (-O1)--> printer
 *
 * and back: a parsed Dockerfile --gen_from_dockerfile--> spec YAML (libyaml's emitter).
 *
 * The loader (yaml.c) reads the file with libyaml's event API into a small tree where an alias is
 * a second pointer to its anchor's node (never a copy), YAML 1.1 merge keys (`<<: *base`) are
 * resolved, and every node keeps its byte span in the file so every later error can say
 * `file:line:col`. A document whose alias expansion would pass YAML_NODE_LIMIT nodes is refused
 * while loading ("billion laughs"), as is nesting deeper than YAML_DEPTH_LIMIT.
 *
 * spec.c holds the spec's shape as tables (objects, their keys and value types): the checker walks
 * the tree against them and `dfopt gen --schema` prints them as the JSON Schema in
 * docs/spec.schema.json, so the loader and the schema cannot disagree. gen_quote.c writes values
 * into the places of a Dockerfile (and reads them back); gen_emit.c renders the instructions and
 * the `build` shorthands; gen_from.c writes a spec from a Dockerfile; gen.c is the subcommand.
 */
#ifndef DF_GEN_H
#define DF_GEN_H

#include "internal.h"

enum {
    YAML_NODE_LIMIT = 100000,   /* nodes in the document with every alias expanded */
    YAML_DEPTH_LIMIT = 64,      /* nested collections */
    YAML_INPUT_LIMIT = 16u << 20, /* bytes of spec */
};

/* ---- the loaded tree (yaml.c) ---- */

typedef enum { YN_SCALAR, YN_SEQ, YN_MAP } yn_kind;
/* What a scalar resolves to under YAML 1.1 rules (plain scalars only; quoted ones are strings). */
typedef enum { YS_STR, YS_NULL, YS_BOOL, YS_INT, YS_FLOAT } ys_type;

typedef struct ynode ynode;
struct ynode {
    yn_kind kind;
    ys_type type;        /* scalars */
    bool truth;          /* YS_BOOL's value */
    bool plain;          /* a plain scalar without a tag (quoted ones are always strings) */
    df_slice text;       /* scalars: the value, as libyaml decoded it (may hold any byte) */
    size_t off, end;     /* byte span in the source (start and end marks) */
    ynode **v;           /* sequences: n items; mappings: n (key, value) pairs in 2n slots */
    size_t n;
    size_t cap;          /* loader bookkeeping */
    size_t weight;       /* nodes in the subtree with aliases expanded (saturates) */
    bool open;           /* still being read (an alias to it would be recursive) */
};

/* Loads the single YAML document in src (its name, bytes and arena; the tree lives in that arena).
 * Returns the root, or NULL with errors in d (syntax errors at libyaml's marks, limits, tags). */
ynode *yaml_load(df_doc *src, df_diags *d);
/* Reports an error at node at (its first line, underlined), or at the document start. */
void yaml_error(df_diags *d, const df_doc *src, const ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The value node of key in mapping m, or NULL. */
ynode *yaml_get(const ynode *m, const char *key);
/* The key node of key in mapping m, or NULL. */
ynode *yaml_key(const ynode *m, const char *key);
/* A short noun for a node's type in messages: "a string", "a list", "a mapping", "null", ... */
const char *yaml_what(const ynode *n);

/* ---- the spec's shape (spec.c) ---- */

typedef enum {
    F_WORD,     /* a scalar (not null); strings, numbers and booleans are taken as written */
    F_WORDS,    /* a scalar or a list of scalars */
    F_LIST,     /* a list of scalars */
    F_MAP,      /* a mapping of names to scalars */
    F_ARGMAP,   /* a mapping of names to scalars or null (no default) */
    F_BOOL,
    F_INT,      /* a non-negative integer */
    F_OBJ,      /* an object (obj); a scalar or list fills obj->shorthand */
    F_OBJS,     /* a list of objects, or one object */
    F_STEPS,    /* a list of one-key step objects (obj) */
    F_COMMAND,  /* a string (shell form) or a list of strings (exec form) */
} spec_type;

enum { SF_REQUIRED = 1u << 0, SF_STEP = 1u << 1 };

typedef struct spec_obj spec_obj;
typedef struct spec_field {
    const char *key;
    spec_type type;
    const spec_obj *obj;       /* F_OBJ, F_OBJS, F_STEPS */
    unsigned flags;
    const char *choices;       /* F_WORD: the allowed values, '|'-separated, or NULL */
    const char *doc;           /* one line, also the schema's description */
} spec_field;

struct spec_obj {
    const char *name;          /* schema definition name */
    const char *noun;          /* in messages: "a stage", "a copy entry" */
    const spec_field *fields;
    size_t nfields;
    const char *shorthand;     /* the key a non-mapping value stands for, or NULL */
    bool one_key;              /* exactly one key (steps, build) */
    const char *scalar;        /* a scalar also allowed as the whole value ("none"), or NULL */
    const spec_obj *also;      /* another object whose keys are also allowed here, or NULL */
    const char *doc;
    bool extensions;           /* keys starting with "x-" are allowed and ignored (for anchors) */
};

extern const spec_obj spec_document;
extern const spec_obj spec_stage_obj;

/* Checks the tree against the spec's shape: unknown and duplicate keys, wrong types, missing
 * required keys, values outside their choices. Every problem is reported; returns true when
 * there were none. */
bool spec_check(const df_doc *src, const ynode *root, df_diags *d);
/* The JSON Schema (draft 2020-12) of the spec, generated from the tables. */
void spec_schema(df_buf *out);
/* Is n a plain or quoted scalar standing for true? (only meaningful after spec_check) */
bool spec_true(const ynode *n);

/* ---- quoting (gen_quote.c) ---- */

/* Why spec word s cannot be written, or NULL: a NUL byte, control characters, a line break
 * (unless newline_ok), a malformed reference, or (refs_simple_only) a ${...} other than ${NAME}. */
const char *quote_problem(df_slice s, bool newline_ok, bool refs_simple_only);
/* Every literal character of s is a letter, digit, '_' or in allowed (references not counted). */
bool quote_chars_ok(df_slice s, const char *allowed);
/* A Dockerfile word, bare or "double quoted", with escape character esc. */
void quote_dq(df_buf *b, df_slice s, char esc);
/* A Dockerfile word with its special characters escaped; blanks too unless json (a JSON element). */
void quote_esc(df_buf *b, df_slice s, char esc, bool json);
/* A POSIX shell word (s: only simple references). */
void quote_sh(df_buf *b, df_slice s);
/* A Dockerfile word (as written, with escape character esc) as spec text in *out (in a). Returns
 * NULL, or why the spec cannot write it: quotes inside ${...}, special parameters ($@, $#, ...). */
const char *quote_unword(df_arena *a, df_slice w, char esc, df_slice *out);
/* Literal text as spec text: every '$' doubled. */
void quote_literal(df_buf *b, df_slice s);

/* ---- rendering (gen_emit.c) ---- */

typedef struct gen_output {
    df_buf dockerfile;         /* the Dockerfile text as generated (before the passes) */
    df_buf ignore;             /* .dockerignore text */
    bool has_ignore;
} gen_output;

/* Renders a checked spec as Dockerfile text (and .dockerignore). Values that cannot be written
 * safely are errors at their position. Returns false when there were errors. */
bool gen_emit(const df_doc *src, const ynode *root, df_diags *d, gen_output *out);

/* ---- Dockerfile to spec (gen_from.c) ---- */

/* Writes the spec equivalent of a parsed Dockerfile as YAML. An instruction the spec cannot
 * express is an error at that instruction; returns false then. */
bool gen_from_dockerfile(const df_doc *doc, df_diags *d, df_buf *out);

/* ---- the subcommand (gen.c) ---- */

/* `dfopt gen ...`; argv[0] is "gen". Returns the exit status. */
int gen_main(int argc, char **argv);
/* Spec text to optimized Dockerfile text: load, check, render, parse, -O1, print. On success
 * returns true with the Dockerfile in *dockerfile and the .dockerignore (if any) in *ignore. */
bool gen_spec(const char *name, const char *src, size_t len, df_diags *d, df_buf *dockerfile,
              df_buf *ignore, bool *has_ignore);

#endif
