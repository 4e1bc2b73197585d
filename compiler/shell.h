/*
 * shell.h: a model of a POSIX sh script (a RUN instruction in shell form), enough for passes to
 * reason about which commands it runs and to edit it precisely.
 *
 *   script   := list
 *   list     := pipeline ((';' | '&' | '&&' | '||' | newline) pipeline)*
 *   pipeline := '!'? command ('|' command)*
 *   command  := simple | compound          compound: if/while/until/for/case, { }, ( ), f() {...}
 *   simple   := (assignment | word | redirection)+
 *
 * sh_parse flattens the script into its simple commands in order, each with the operator that
 * follows it and its nesting depth (0 = top-level list). A script that cannot be read with
 * certainty (unbalanced quotes, parentheses or braces) is reported with ok == false and why.
 * Offsets are byte offsets into the script text.
 */
#ifndef DF_SHELL_H
#define DF_SHELL_H

#include "util.h"

#include <stdint.h>

typedef enum sh_op {
    SH_END,   /* end of script */
    SH_SEQ,   /* ; or newline */
    SH_AND,   /* && */
    SH_OR,    /* || */
    SH_PIPE,  /* | */
    SH_BG,    /* & */
    SH_OTHER, /* a compound keyword or ;; follows */
} sh_op;

/* Offsets and counts are 32-bit: a script comes from an input of at most 1 GiB. */
typedef struct sh_word {
    uint32_t off, len; /* the word as written */
    df_slice value;    /* quotes and escapes removed (meaningful when literal) */
    bool literal;      /* no expansion: no $, no backquote */
    bool glob;         /* unquoted * ? [ */
} sh_word;

typedef struct sh_cmd {
    uint32_t off, end; /* from the first word to the end of the last (no operator) */
    sh_word *words;    /* assignments first, then the command name and arguments */
    uint32_t nwords;
    uint32_t nassign;  /* leading NAME=value words */
    uint32_t nredirs;  /* redirections (not among words) */
    sh_op op;          /* what follows the command */
    int depth;         /* 0 for the top-level list */
    bool negated;      /* preceded by ! */
} sh_cmd;

typedef struct sh_script {
    sh_cmd *cmds;
    size_t ncmds;
    bool ok;
    const char *why;   /* when !ok */
    bool comment;      /* a # comment */
    bool heredoc;      /* a << redirection */
    bool background;   /* an & operator */
    bool compound;     /* a compound command or function definition */
    bool funcdef;      /* a function definition: name() ... */
    bool loopvar;      /* a for/select loop, which assigns its variable in the shell */
    bool trailing_op;  /* ends in an operator that needs more (&&, ||, |) */
} sh_script;

/* Reads script into out (arrays in the arena). Always fills out; returns out->ok. */
bool sh_parse(df_arena *a, df_slice script, sh_script *out);

/* sh_parse for a script that outlives the reading (a node's argument): word values may be
 * slices of it. */
bool sh_parse_stable(df_arena *a, df_slice script, sh_script *out);

/* The script of RUN n (n->args[0].v, nargs >= 1) read once and kept on the node (ir.c): the
 * reading is shared, so callers only read it. A node given new text has new fields and is
 * read afresh. */
struct df_doc;
struct df_node;
bool sh_parse_node(struct df_doc *doc, const struct df_node *n, sh_script *out);
/* The slot kept beside that reading for one client's notes about the script (NULL until set;
 * arena memory the client owns); NULL when the script has not been read. */
void **sh_note_node(const struct df_node *n);

/* The command name of c with `sudo`, `env VAR=x`, `command`, `nice`, `time`, `xargs`-free
 * wrappers skipped: the index of the word that names the program, or c->nwords when none. */
size_t sh_program(const sh_cmd *c);

/* Does word i of c equal s (literally)? */
bool sh_word_is(const sh_cmd *c, size_t i, const char *s);

/* Is c a builtin or construct that changes the shell's state for the commands after it
 * (cd, export, set, umask, exec, exit, source, bash's `function`, a bare assignment, an
 * assignment before the special builtin `:`, ...)? Looks through what may run a builtin in the
 * same shell: `command [-p|--]`, `builtin`, bash's keyword `time [-p]`, and (erring on the
 * side of yes) `nohup` and `nice [-n N]`. A program named by an expansion counts as yes. */
bool sh_changes_state(const sh_cmd *c);

#endif
