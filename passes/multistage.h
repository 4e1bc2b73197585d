/*
 * multistage.h: what the two files of the multistage pass share (passes/multistage.c: the
 * stage scan, the program's needs, the runtime base and the rewrite; passes/multistage_steps.c:
 * what each command of a RUN does). See multistage.c for the pass's contract.
 */
#ifndef DF_MULTISTAGE_H
#define DF_MULTISTAGE_H

#include "../compiler/internal.h"
#include "../compiler/expand.h"
#include "../compiler/shell.h"

typedef enum { ECO_NONE, ECO_GO, ECO_RUST, ECO_NODE, ECO_JAVA, ECO_C, ECO_PYTHON, ECO_DOTNET } eco;

/* what a node is for the split */
typedef enum {
    K_CONFIG,  /* image configuration or build environment: replayed */
    K_PKG,     /* installs packages: replayed when any package RUN installs a runtime package */
    K_USERS,   /* creates users or groups: replayed */
    K_COPY,    /* COPY/ADD from the context: replayed when outside the project (or Python) */
    K_COPYIMG, /* COPY --from=image: replayed */
    K_PREP,    /* fetches dependencies, configures, checks: builder only */
    K_BUILD,   /* builds or moves build outputs: builder only; the last one is the split */
} kind;

typedef struct item {
    df_node *n;
    kind k;
    const char *dest;     /* K_COPY: the absolute destination */
    bool pkg_runtime;     /* K_PKG: installs a package that is not a build tool, or upgrades */
    size_t *drop;         /* RUN: logical offsets and lengths of build-tool package words, */
    size_t ndrop;         /*      left out when the RUN is repeated in the runtime stage */
    struct piece {        /* RUN: its commands that the runtime stage repeats: */
        size_t off, end;  /* script offsets */
        char cls;         /* 'p' package manager, 'r' its cleanup, 'u' user creation */
    } *pieces;
    size_t npieces, ncmds;
    bool other_ops;       /* RUN: commands joined by || or | (pieces cannot be taken apart) */
} item;

/* A place the build writes: `whole` outputs (go -o, dotnet publish -o, a venv, a prefix) are
 * copied entire when anything in them is used; a project directory only path by path. */
typedef struct region {
    const char *path;
    bool whole;
    bool program;         /* a program may run from here (outputs, cargo's target, make's dir) */
} region;

typedef struct var {
    df_slice name;
    df_slice value;
    bool known;
} var;

typedef struct ms {
    df_doc *doc;
    df_arena *a;
    var *vars;
    size_t nvars, capvars;
    const char *workdir;  /* absolute; NULL until set */
    df_slice user;        /* last USER; empty when never set */
    item *items;
    size_t nitems;
    region *regions;
    size_t nregions, capregions;
    name_index region_index; /* where the region of each path is (ms_add_region) */
    struct check {
        const char *path; /* a path mkdir/chmod/touch changed: it must be in a region */
        const df_node *n;
    } *checks;
    size_t nchecks, capchecks;
    eco eco;
    char node_pm;         /* 'n' npm, 'y' yarn, 'p' pnpm: the Node install tool */
    const char *node_project;
    const char *prefix;   /* configured install prefix (cmake, ./configure) */
    bool cgo_off, race;
    bool tools_in_path;   /* a prep step installed programs into PATH */
    bool pkg_replay;
    bool build_nonroot;
    size_t split;         /* index in items of the last K_BUILD */
    bool have_build;
    /* the program */
    const df_node *entry, *cmd, *health;
    const char **copies;  /* paths to COPY --from=build */
    size_t ncopies, capcopies;
    bool needs_shell, needs_same_base, runs_in_runtime;
    bool uses_other_program; /* a program provided by the base image other than eco's runtime */
    bool apk;             /* a RUN uses apk (Alpine: musl, no libstdc++/libgcc_s in the base) */
    bool libstdcxx, libgcc; /* a package install names libstdc++ / libgcc (kept at run time) */
    const char *why;
    const df_node *why_node;
} ms;

/* ---- helpers (multistage.c) ---- */

/* Records the first reason not to split (at node n, for the note); returns false. */
bool ms_refuse(ms *m, const df_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void *ms_grow(void *v, size_t n, size_t *cap, size_t size);
bool ms_is_str(df_slice s, const char *t);
bool ms_has_prefix_str(const char *s, const char *p);
/* dir joined with p, "." and ".." resolved (arena); NULL when p is relative and dir NULL. */
const char *ms_path_join(df_arena *a, const char *dir, df_slice p);
/* Is p dir itself or inside it? */
bool ms_under(const char *p, const char *dir);
const char *ms_base_name(const char *p);
/* Variables known from ARG defaults and ENV values (an expand_lookup_fn over ms). */
bool ms_lookup(void *ctx, df_slice name, df_slice *value);
void ms_set_var(ms *m, df_slice name, df_slice value, bool known);
const char *ms_var_value(ms *m, const char *name);
/* A Dockerfile word with variables expanded; NULL when one is unknown. */
const char *ms_expand(ms *m, df_slice w);
void ms_add_region(ms *m, const char *path, bool whole, bool program);
/* The innermost region holding p, or NULL. */
const region *ms_region_of(const ms *m, const char *p);
void ms_add_check(ms *m, const char *path, const df_node *n);
/* Does the last ENV PATH so far name dir (before any variable)? */
bool ms_on_env_path(ms *m, const char *dir);

/* ---- RUN steps (multistage_steps.c) ---- */

/* Reads RUN n: classifies it (it->k) and records the regions, outputs and ecosystem its
 * commands show; false (with the reason in m) when a command's effect is not known. */
bool ms_scan_run(ms *m, df_node *n, item *it);

#endif
