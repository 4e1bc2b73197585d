/*
 * exec-form (-O2): a shell-form CMD or ENTRYPOINT that runs one plain command becomes JSON exec
 * form, so the program is PID 1 and receives signals (docker stop) itself.
 *
 * Requires:   a parsed document with stages.
 * Guarantees: the same program runs with the same arguments: the shell form is a single simple
 *             command (an `exec` in front dropped) whose words have no expansion, glob, tilde,
 *             redirection, assignment, operator or comment, and which is not a shell builtin,
 *             so `/bin/sh -c` would have run exactly argv. What changes, and why this is -O2:
 *             PID 1 is the program instead of sh (signals, zombie reaping), and for ENTRYPOINT,
 *             arguments given to `docker run IMAGE ARGS` now reach the program (the shell form
 *             ignored them).
 * Refuses:    CMD when the stage (or a stage it builds on) sets an ENTRYPOINT: CMD is then its
 *             argument list and `/bin/sh -c ...` would become different arguments; ENTRYPOINT
 *             when the stage sets a CMD, or when a stage built on it (through FROM, at any
 *             depth) sets one, since that CMD would start reaching the program; ENTRYPOINT
 *             anywhere when a FROM holds a variable that may make it a stage name
 *             (`FROM build-${MODE}`: which stages build on which is then not known); every stage whose base, followed through the stages it
 *             builds on, is a Windows image (a name holding windows, servercore, nanoserver,
 *             ltsc or dotnet/framework, or an unresolved variable) or whose --platform names
 *             windows: cmd.exe reads `\` and quotes differently and has builtins of its own;
 *             a SHELL instruction or the backtick escape (not /bin/sh); instructions inside
 *             ONBUILD. A base image's own ENTRYPOINT is not visible: with one, CMD's arguments
 *             change from `/bin/sh -c "cmd"` to `cmd ...`.
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

#include <ctype.h>
#include <string.h>

static const char *const builtins[] = {
    "echo", "printf", "test", "[", "true", "false", ":", "kill", "pwd", "type", "command",
    "read", "wait", "times", "trap", "umask", "ulimit", "getopts", "hash", "alias", "cd", "chdir",
    "export", "set", "unset", "shift", "exit", "return", "eval", "exec", ".", "source", "break",
    "continue", "readonly", "local", "jobs", "fg", "bg", NULL,
};

static bool builtin(df_slice w)
{
    for (size_t i = 0; builtins[i]; i++)
        if (slice_eq_str(w, builtins[i]))
            return true;
    return false;
}

enum {
    HAS_CMD = 1,
    HAS_ENTRYPOINT = 2,
    INHERITS_ENTRYPOINT = 4, /* it or a stage it builds on sets ENTRYPOINT */
    CHILD_CMD = 8,           /* a stage built on it (at any depth) sets CMD */
    WINDOWS = 16,            /* its base image, through its parents, may be Windows */
};


/* A Windows image, or one whose name is not known (a variable left unexpanded). */
static bool windows_image(df_slice base)
{
    return base.n == 0 || memchr(base.p, '$', base.n) || slice_contains_nocase(base, "windows") ||
           slice_contains_nocase(base, "servercore") || slice_contains_nocase(base, "nanoserver") ||
           slice_contains_nocase(base, "ltsc") || slice_contains_nocase(base, "dotnet/framework");
}

/* Per stage: whether it sets CMD or ENTRYPOINT, whether it or a stage it builds on sets an
 * ENTRYPOINT or runs on Windows (stages only build on earlier ones), and whether a stage
 * built on it sets CMD. */
static unsigned *stage_config(const df_doc *doc)
{
    unsigned *f = xcalloc(doc->nstages + 1, sizeof *f);
    for (const df_node *m = doc->head; m; m = m->next)
        if (m->stage >= 0 && (size_t)m->stage < doc->nstages)
            f[m->stage] |= m->kind == DF_CMD          ? HAS_CMD
                           : m->kind == DF_ENTRYPOINT ? HAS_ENTRYPOINT
                                                      : 0;
    for (size_t s = 0; s < doc->nstages; s++) {
        const df_stage *st = &doc->stages[s];
        int base = st->base_stage;
        bool parent = base >= 0 && (size_t)base < s;
        if ((f[s] & HAS_ENTRYPOINT) || (parent && (f[base] & INHERITS_ENTRYPOINT)))
            f[s] |= INHERITS_ENTRYPOINT;
        if (slice_contains_nocase(st->platform, "windows") ||
            (parent ? (f[base] & WINDOWS) != 0 : windows_image(st->base_expanded)))
            f[s] |= WINDOWS;
    }
    for (size_t s = doc->nstages; s-- > 0;) {
        int base = doc->stages[s].base_stage;
        if (base >= 0 && (size_t)base < s && (f[s] & (HAS_CMD | CHILD_CMD)))
            f[base] |= CHILD_CMD;
    }
    return f;
}

/* Does a FROM name its base with a variable that may make it a stage name (so a build argument
 * may pick another stage)? In a part of a large file, a FROM of the file (segment.c). */
static bool variable_from(const df_doc *doc)
{
    if (doc->facts && doc->facts->of_parts && doc->facts->variable_from)
        return true;
    for (size_t s = 0; s < doc->nstages; s++)
        if (graph_base_may_name_stage(doc->stages[s].base))
            return true;
    return false;
}

static bool convert(df_doc *doc, df_node *n, df_diags *d)
{
    if ((n->flags & DF_N_JSON) || n->nargs != 1 || n->nheredocs || n->nbflags ||
        rw_has_comment_lines(n->text))
        return false; /* the instruction is rewritten whole: keep comment lines inside it */
    sh_script sc;
    if (!sh_parse_node(doc, n, &sc) || sc.ncmds != 1 || sc.compound ||
        sc.heredoc || sc.background || sc.comment || sc.trailing_op)
        return false;
    const sh_cmd *c = &sc.cmds[0];
    if (c->nassign || c->nredirs || c->negated || c->nwords == 0)
        return false;
    size_t first = sh_word_is(c, 0, "exec") ? 1 : 0;
    if (first >= c->nwords || builtin(c->words[first].value))
        return false;
    df_buf b = {0};
    ir_keyword(n, &b, n->kind == DF_CMD ? "CMD" : "ENTRYPOINT");
    buf_puts(&b, " [");
    for (size_t i = first; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        /* no expansion, glob, tilde, or brace (bash, /bin/sh on some images, expands them) */
        if (!w->literal || w->glob || (w->value.n && w->value.p[0] == '~') ||
            memchr(w->value.p, '{', w->value.n) ||
            (i == first && (w->value.n == 0 || memchr(w->value.p, '=', w->value.n)))) {
            buf_free(&b);
            return false;
        }
        if (i > first)
            buf_puts(&b, ", ");
        json_quote(&b, w->value);
    }
    buf_putc(&b, ']');
    ir_end_line(doc, n, &b);
    df_slice text = buf_to_arena(&b, &doc->arena);
    buf_free(&b);
    /* the exec form must hold exactly the words */
    df_node *check = rw_new_node(doc, text);
    if (!check || !(check->flags & DF_N_JSON) || check->nargs != c->nwords - first)
        return false;
    for (size_t i = 0; i < check->nargs; i++)
        if (!slice_eq(check->args[i].v, c->words[first + i].value))
            return false;
    return rw_set_text(doc, n, text, d);
}

PASS(exec_form)
{
    if (doc->escape != '\\' || rw_has_shell(doc))
        return false;
    bool changed = false;
    unsigned *config = stage_config(doc);
    bool unknown_children = variable_from(doc);
    for (df_node *n = doc->head; n; n = n->next) {
        if (n->stage < 0 || (size_t)n->stage >= doc->nstages)
            continue;
        unsigned f = config[n->stage];
        if (f & WINDOWS)
            continue;
        if (n->kind == DF_CMD && !(f & INHERITS_ENTRYPOINT) && convert(doc, n, d))
            changed = true;
        else if (n->kind == DF_ENTRYPOINT && !(f & (HAS_CMD | CHILD_CMD)) &&
                 !unknown_children && convert(doc, n, d))
            changed = true;
    }
    free(config);
    return changed;
}
