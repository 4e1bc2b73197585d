/*
 * runscript.h: what the RUN passes (merge-run, pkg-hygiene) share. Not a pass.
 *
 * A RUN in shell form holds a POSIX sh script: n->args[0].v, a slice of the logical line at
 * n->args[0].off (the logical line is the instruction with its line continuations removed and
 * the comment lines inside them dropped). These helpers
 *   - read that script with the sh model (shell.h),
 *   - map script offsets back to the instruction's text (ir_text_offset, internal.h),
 *   - learn how the file continues commands (`A && \` + indent + `B`, or `A \` + indent +
 *     `&& B`) so new lines look like the user's own,
 *   - write new text and check, before committing it, that BuildKit reads back exactly the
 *     script that was meant (rs_commit): a rewrite whose text would parse differently is
 *     refused rather than applied.
 * Everything outside an edit is copied byte for byte.
 */
#ifndef DF_RUNSCRIPT_H
#define DF_RUNSCRIPT_H

#include "../compiler/internal.h"
#include "../compiler/shell.h"

/* A shell-form RUN's script, read with the sh model. Stale once the node's text changes:
 * open it again. */
typedef struct rs_run {
    df_node *n;
    df_slice script; /* n->args[0].v */
    size_t base;     /* where the script starts in n->logical */
    sh_script sh;
    bool ok;         /* a RUN in shell form, no heredoc, and the script parses (sh.ok) */
} rs_run;

/* Reads n (a RUN, or ONBUILD's RUN when given n->sub) into out. Returns out->ok. */
bool rs_open(df_doc *doc, df_node *n, rs_run *out);

/* How commands continue on the next line. */
typedef struct rs_style {
    df_slice indent; /* leading blanks of the continuation line */
    bool leading;    /* `A \` / indent `&& B` (else `A && \` / indent `B`) */
} rs_style;

/* The style of the first command continuation in the file (a continuation line starting with
 * `&&`, or one after a line ending in `&& \`), else 4 spaces, trailing `&&`. */
rs_style rs_doc_style(const df_doc *doc);
/* Fills st with n's own command-continuation style; false (st as it was) when n shows none. */
bool rs_own_style(const df_doc *doc, const df_node *n, rs_style *st);
/* Appends the joint between two commands in style st: ` && \` newline indent, or ` \` newline
 * indent `&& ` (the document's escape character and newline). want, when not NULL, receives
 * what the joint is in the logical line. */
void rs_put_joint(df_buf *text, df_buf *want, const df_doc *doc, const rs_style *st);

/* Where a script can be continued by another command. */
typedef struct rs_tail {
    size_t end;       /* script offset after its last command (a trailing `;` dropped) */
    df_slice head;    /* n->text up to there */
    df_slice newline; /* the end of n->text: "\n", "\r\n" or empty */
} rs_tail;

/* Fills t when `&& more` may follow r's script with the same meaning for what was there: false
 * (and *why) when the script is unread, ends in a comment, a background `&`, an operator that
 * needs more (`&&` `||` `|`), `;;` or an escape, or when anything but blanks, one `;` and the
 * newline follows the last command in the text (a comment line inside a continuation). */
bool rs_tail_of(const rs_run *r, rs_tail *t, const char **why);

/* Gives n the new text when BuildKit reads it as a RUN with n's flags and exactly the script
 * want (no heredoc); otherwise leaves n alone and returns false. Comment lines at the start of
 * text join n's lead. */
bool rs_commit(df_doc *doc, df_node *n, df_slice text, df_slice want, df_diags *d);

/* Appends `&& cmd` after r's last command: on the same line when the instruction is one line and
 * stays within 80 columns, else on a continuation line in style st. False when refused
 * (rs_tail_of) or when the result would not read back as intended. */
bool rs_append(df_doc *doc, const rs_run *r, df_slice cmd, const rs_style *st, df_diags *d);

/* Replaces script bytes [from, to) with ins (one line, no newline). The range may span line
 * continuations, but the text it covers must hold no comment line. False when refused. */
bool rs_splice(df_doc *doc, const rs_run *r, size_t from, size_t to, df_slice ins,
               df_diags *d);

/* The last path component of p (after '/' or '\\'). */
df_slice rs_basename(df_slice p);
/* Is word i of c literal with a last path component equal to name? */
bool rs_word_base_is(const sh_cmd *c, size_t i, const char *name);
/* The text of c from its start up to (not including) word i, e.g. `sudo -u app ` before the
 * program. */
df_slice rs_cmd_prefix(const rs_run *r, const sh_cmd *c, size_t i);

/* Does n have a --mount other than type=secret or type=ssh (a cache, tmpfs or bind mount that
 * may hold what a cleanup would remove)? */
bool rs_has_mount(const df_node *n);

/* Which stages run RUN with a POSIX shell. Feed every node in document order, once, to
 * rs_shells_step; rs_shells_posix then answers for the node just fed. A stage is POSIX unless
 * it is a Windows stage (escape=` or a Windows base image, inherited through FROM <stage>); a
 * SHELL whose program is sh, bash, dash, ash, ksh, mksh or zsh makes it POSIX, any other SHELL
 * not. Until a SHELL of its own, a stage holds what its FROM leaves: the answer its base stage
 * ends with (whose nodes were all fed before), or its base image's. That is worked out only
 * when rs_shells_posix asks about the stage, and kept: a walk over the whole document then
 * costs nothing per FROM, a store per SHELL, and one look per base image asked about. */
typedef struct rs_shells {
    const df_doc *doc;
    /* per stage: RS_FROM (what its FROM leaves, not worked out yet), RS_NOT_POSIX or
     * RS_POSIX; few, or on the heap when there are more stages */
    unsigned char *posix;
    size_t n;
    unsigned char few[64];
} rs_shells;
enum { RS_FROM, RS_NOT_POSIX, RS_POSIX };
void rs_shells_init(rs_shells *s, const df_doc *doc);
/* rs_shells_step for a SHELL, the node that decides a stage's shell after its FROM (a FROM
 * given here starts its stage over from what the FROM leaves). */
void rs_shells_set(rs_shells *s, const df_doc *doc, const df_node *n);
static inline void rs_shells_step(rs_shells *s, const df_doc *doc, const df_node *n)
{
    if (n->kind == DF_SHELL) /* every other node leaves the shells; a FROM is read when asked */
        rs_shells_set(s, doc, n);
}
/* Not const: a stage's answer from its FROM is kept for its next RUN. */
bool rs_shells_posix(rs_shells *s, const df_node *n);
void rs_shells_free(rs_shells *s);

#endif
