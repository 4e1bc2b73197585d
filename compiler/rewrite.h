/*
 * rewrite.h: what the rewriting and reordering passes share.
 *
 *   paths       POSIX path arithmetic as BuildKit does it for Linux images (path.Clean, Join)
 *   words       is a Dockerfile word read back literally; BuildKit-only syntax in a document
 *   text        edits of a node's text that may delete across line continuations; committing
 *               new text only when it parses; moving and removing nodes keeping comments and the
 *               file's final newline
 *   workdir     the working directory in effect before each instruction, when it is known
 *   footprint   what a RUN script may read or write, for passes that reorder instructions
 *
 * Everything allocated lives in the document's arena unless said otherwise.
 */
#ifndef DF_REWRITE_H
#define DF_REWRITE_H

#include "internal.h"
#include "shell.h"

/* ---- paths ---- */

/* Go's path.Clean: "" is ".", repeated and trailing slashes, "." and ".." resolved. */
df_slice rw_path_clean(df_arena *a, df_slice p);
/* p when absolute, else dir/p; cleaned. dir must be absolute. */
df_slice rw_path_join(df_arena *a, df_slice dir, df_slice p);
bool rw_path_abs(df_slice p);
/* Are clean absolute paths p and dir equal, or is p inside dir? */
bool rw_path_under(df_slice p, df_slice dir);
/* Does one of two clean absolute paths contain the other? */
bool rw_path_overlap(df_slice a, df_slice b);
/* The last element of a clean path ("/" for the root). */
df_slice rw_path_base(df_slice p);
/* The directory of a clean absolute path ("/" for the root and its children). */
df_slice rw_path_dir(df_slice p);
/* Is a clean absolute path in the operating system's part of the tree (/etc, /usr, /var, /home,
 * /opt, ...), where package managers and account tools read and write? */
bool rw_path_system(df_slice p);

/* ---- words ---- */

/* Does BuildKit read word w back as exactly w: no variable, quote or escape character? */
bool rw_literal(const df_doc *doc, df_slice w);
/* Can path be written as the argument of a WORKDIR (or another whole-line path) as it is: a
 * literal (rw_literal) with no blank at either end, which the parser would trim, and no line
 * break. */
bool rw_path_writable(const df_doc *doc, df_slice path);
/* Does the document already rely on BuildKit (a syntax directive, RUN --mount, heredocs,
 * COPY --link/--chmod/--parents/--exclude, ADD --checksum)? Only then may a pass emit
 * BuildKit-only syntax. */
bool rw_buildkit_syntax(const df_doc *doc);
/* Can the first command of a shell script start with a plain word whose value begins with c
 * (no assignment, redirection, `!` or compound command before it)? Every byte of a literal
 * word's value is a byte of its text, so the first character that is not a blank or a
 * backslash must be c or a quote; a comment line first also answers yes. A no lets a pass skip
 * reading the script. */
bool rw_may_start_with(df_slice script, char c);
/* Is there a SHELL instruction anywhere (RUN/CMD shell form then use another shell)? */
bool rw_has_shell(const df_doc *doc);
/* The logical-line offset of a slice that points into n's logical line. */
size_t rw_loff(const df_node *n, df_slice s);

/* ---- text ---- */

/* n's text with edits applied (logical offsets as for ir_edit_add); e is emptied. A deleted
 * range may span line continuations unless a comment line lies inside it. {NULL, 0} when edits
 * overlap or cannot be placed. */
df_slice rw_splice(df_doc *doc, const df_node *n, ir_edits *e);
/* Gives n the text when it parses as exactly one instruction; false, n untouched and nothing
 * reported otherwise. */
bool rw_set_text(df_doc *doc, df_node *n, df_slice text, df_diags *d);
/* A new unlinked node from text; NULL (nothing reported) when it does not parse. */
df_node *rw_new_node(df_doc *doc, df_slice text);
/* The source text from logical offset loff of n to the end of its text. */
df_slice rw_text_from(const df_node *n, size_t loff);
/* Does the text hold a comment line inside it (after a newline)? */
bool rw_has_comment_lines(df_slice text);
/* Does the lead hold only blank lines? */
bool rw_lead_blank(df_slice lead);
/* Moves n to just before at (n is then marked edited: it is out of source order). Keeps every
 * node ending in a newline but the last (when the file had no final newline, the node that ends
 * up last loses its newline instead). */
void rw_move_before(df_doc *doc, df_node *n, df_node *at, df_diags *d);
/* Moves n to just after at (same rules). */
void rw_move_after(df_doc *doc, df_node *n, df_node *at, df_diags *d);
/* Unlinks n; comment lines in its lead go to the next node (or the trailer). */
void rw_remove(df_doc *doc, df_node *n, df_diags *d);
/* Instruction text `KEYWORD rest` + newline, the keyword cased like `like`'s. */
df_slice rw_line(df_doc *doc, const df_node *like, const char *upper, df_slice rest);

/* ---- working directory ---- */

typedef struct rw_wd {
    df_slice cur;          /* the current directory (see rw_wd_step); n == 0: unknown */
    df_slice *final;       /* per stage: the working directory at its end */
    bool *onbuild;         /* per stage: it holds an ONBUILD (its children run triggers) */
    size_t nstages;
    int stage;
} rw_wd;

/* Tracks the working directory: call rw_wd_step(w, n) for every node in order; before the call
 * w->cur is the directory n runs in, after it the one the next node runs in. A stage starts
 * unknown (image) or with its parent stage's directory; `FROM scratch` starts at "/". A stage
 * whose parent stage holds any ONBUILD starts unknown: the triggers (ONBUILD WORKDIR, or one
 * written with variables) run right after its FROM. */
void rw_wd_init(rw_wd *w, df_doc *doc);
/* rw_wd_step for the kinds that change what it tracks (FROM, ONBUILD, WORKDIR). */
void rw_wd_change(rw_wd *w, df_doc *doc, const df_node *n);
static inline void rw_wd_step(rw_wd *w, df_doc *doc, const df_node *n)
{
    /* called for every node: the other kinds cost a compare, not a call */
    if (n->kind == DF_FROM || n->kind == DF_ONBUILD || n->kind == DF_WORKDIR)
        rw_wd_change(w, doc, n);
}
/* n, a FROM of a stage that walk (rw_stages_for) leaves out: the walk leaves the stage walked
 * at its end and continues at the FROM of the next stage walk keeps, which it returns (NULL
 * when none is left). The stages between are skipped and their directories stay unknown, so
 * a walk may skip only stages that no stage it walks builds on. The next call is rw_wd_step
 * on the FROM returned. */
df_node *rw_wd_skip_to(rw_wd *w, const df_doc *doc, const bool *walk, const df_node *n);
/* The stages a walk must visit for the nodes `wanted` picks, from first on: their stages and,
 * through FROM, the stages those build on (where their directories start). doc->nstages + 1
 * flags in the document's arena; the stages left out are the ones rw_wd_skip_to jumps. */
bool *rw_stages_for(df_doc *doc, const df_node *first, bool (*wanted)(const df_node *));
void rw_wd_free(rw_wd *w);
/* The absolute clean path a literal path means in directory wd; {NULL,0} when unknown. A path
 * that is already absolute and clean comes back as it is (a slice of the node). A relative path
 * whose absolute path would be longer than RW_PATH_MAX is unknown too: the build cannot use it
 * (Linux's PATH_MAX; the system calls fail with ENAMETOOLONG), and a chain of relative
 * WORKDIRs would otherwise make paths, and what passes write with them, grow with the square
 * of the document. */
enum { RW_PATH_MAX = 4096 };
df_slice rw_wd_resolve(df_doc *doc, df_slice wd, df_slice path);

/* ---- RUN footprint ---- */

typedef struct rw_footprint {
    bool ok;               /* the script is understood: everything it touches is listed */
    const char *why;       /* when !ok */
    bool system;           /* package managers or account tools: the system tree (rw_path_system) */
    bool config;           /* package managers, ldconfig, update-ca-certificates, locale-gen: they
                            * also read wherever the system configuration points (local package
                            * repositories, library directories), which may be anywhere */
    df_slice *paths;       /* other absolute clean paths it reads or writes (whole subtrees) */
    size_t npaths;
    const df_node *run;    /* the RUN it is from (its script: sh_parse_node) */
} rw_footprint;

/* What RUN n (shell form, in working directory wd, {NULL,0} when unknown) may touch. Only
 * scripts made of known programs are understood: package managers (apt-get, apt, apk, dnf,
 * yum, microdnf, zypper), account tools (useradd, groupadd, adduser, addgroup), file tools
 * (mkdir, rm, chmod, chown, chgrp, touch, ln, cp, mv) and a few system commands (ldconfig,
 * update-ca-certificates, locale-gen, true, echo/printf without redirections); no redirections,
 * compound commands, heredocs, `cd`, or words whose path cannot be known. */
void rw_run_footprint(df_doc *doc, const df_node *n, df_slice wd, rw_footprint *fp);
/* Could a program of an understood script (see above) read environment variable name? True for
 * the variables these tools and the shell consult (PATH, HOME, LANG, LC_*, proxies, DEBIAN_*,
 * APT_*, ...). */
bool rw_env_read(df_slice name);

/* ---- merging ENV and LABEL ---- */

/* Merges each run of adjacent same-stage `kind` (DF_ENV or DF_LABEL) instructions in key=value
 * form into the first of them, appending the later ones' pairs as continuation lines exactly
 * as written. With independent set, an instruction joins only when none of its keys or values
 * references a key set by the instructions before it in the run (BuildKit expands a whole
 * instruction against the environment before it). Stops at comment lines, keys with variables
 * or quotes, and legacy `key value` forms. Returns whether anything merged. */
bool rw_merge_kv(df_doc *doc, df_kind kind, bool independent, df_diags *d);

/* ---- misc ---- */

/* The value of a key in a --mount flag value (`type=cache,target=/x`); false when absent. */
bool rw_mount_key(df_slice mount, const char *key, df_slice *value);
/* Does s end with suffix? */
bool rw_ends_with(df_slice s, const char *suffix);

/* Directories known to exist in a stage (the WORKDIRs seen so far), at most RW_DIRS_LIMIT of
 * them so passes stay linear; free v when done. */
typedef struct rw_dirs {
    df_slice *v;
    size_t n, cap;
} rw_dirs;
enum { RW_DIRS_LIMIT = 64 };
void rw_dirs_add(rw_dirs *k, df_slice dir);
/* Does dir exist for sure: /, or on the path of a remembered directory? */
bool rw_dirs_has(const rw_dirs *k, df_slice dir);

#endif
