/*
 * shell.c: reading a RUN script as POSIX sh does, far enough to know its simple commands.
 *
 * The lexer follows the sh token rules (XCU 2.3): quotes ('...', "...", \x), expansions ($name,
 * ${...}, $(...), $((...)), `...`) kept inside words, operators && || ; & | ;; ( ), newlines,
 * redirections with optional IO numbers, comments from a # at the start of a word. Reserved words
 * are recognized only where a command starts. Compound commands are not modeled beyond their
 * nesting: the simple commands inside them are listed with depth > 0 and the script is marked
 * compound, so passes that need certainty can refuse.
 */
#include "shell.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* Room for the usual script on the stack: its commands and the words of the command being
 * built move to the heap only past these counts. */
enum { LOCAL_CMDS = 16, LOCAL_WORDS = 32 };

typedef struct sh {
    const char *s;
    size_t n, i;
    df_arena *a;
    sh_script *out;
    sh_cmd *cmds;      /* the commands read so far (out->ncmds of them) */
    size_t cap;
    int depth;
    bool at_start;     /* the next word is in command position */
    df_buf val;
    sh_word *w;        /* words of the command being built */
    size_t nw, capw;
    sh_cmd cur;
    bool have;         /* cur has something */
    bool stable;       /* s outlives the reading: values may be slices of it */
    sh_cmd *local_cmds;   /* parse's room for LOCAL_CMDS commands */
    sh_word *local_words; /* and for LOCAL_WORDS words */
} sh;

/* Character classes, one table lookup per byte: META ends a word (blanks, newline and the
 * operator characters), QUOTING starts the slow path of word(), GLOB is an unquoted pattern
 * character, RW begins a reserved word. */
enum { C_BLANK = 1, C_META = 2, C_QUOTING = 4, C_GLOB = 8, C_RW = 16 };
static const unsigned char cls[256] = {
    [' '] = C_BLANK | C_META, ['\t'] = C_BLANK | C_META, ['\n'] = C_META, [';'] = C_META,
    ['&'] = C_META, ['|'] = C_META, ['('] = C_META, [')'] = C_META, ['<'] = C_META,
    ['>'] = C_META, ['\\'] = C_QUOTING, ['\''] = C_QUOTING, ['"'] = C_QUOTING,
    ['$'] = C_QUOTING, ['`'] = C_QUOTING, ['*'] = C_GLOB, ['?'] = C_GLOB, ['['] = C_GLOB,
    ['!'] = C_RW, ['{'] = C_RW, ['}'] = C_RW, ['c'] = C_RW, ['d'] = C_RW, ['e'] = C_RW,
    ['f'] = C_RW, ['i'] = C_RW, ['s'] = C_RW, ['t'] = C_RW, ['u'] = C_RW, ['w'] = C_RW,
};

static bool is_blank(char c)
{
    return cls[(unsigned char)c] & C_BLANK;
}

static bool is_meta(char c)
{
    return cls[(unsigned char)c] & C_META;
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool fail(sh *p, const char *why)
{
    if (p->out->ok) {
        p->out->ok = false;
        p->out->why = why;
    }
    return false;
}

/* Skips a balanced (...) starting after the opener; quotes inside respected. */
static bool skip_parens(sh *p)
{
    int depth = 1;
    while (p->i < p->n) {
        char c = p->s[p->i++];
        if (c == '\\')
            p->i++;
        else if (c == '\'') {
            const char *q = memchr(p->s + p->i, '\'', p->n - p->i);
            if (!q)
                return fail(p, "unbalanced single quote");
            p->i = (size_t)(q - p->s) + 1;
        } else if (c == '"') {
            while (p->i < p->n && p->s[p->i] != '"')
                p->i += p->s[p->i] == '\\' ? 2 : 1;
            if (p->i >= p->n)
                return fail(p, "unbalanced double quote");
            p->i++;
        } else if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            return true;
    }
    return fail(p, "unbalanced parenthesis in $(...)");
}

/* After a '$' (p->i at the character following it); returns false on a lexer error. */
static bool dollar(sh *p, bool *literal)
{
    if (p->i >= p->n) {
        buf_putc(&p->val, '$');
        return true;
    }
    char c = p->s[p->i];
    if (c == '(') {
        p->i++;
        *literal = false;
        return skip_parens(p);
    }
    if (c == '{') {
        int depth = 1;
        for (p->i++; p->i < p->n; p->i++) {
            if (p->s[p->i] == '\\')
                p->i++;
            else if (p->s[p->i] == '{')
                depth++;
            else if (p->s[p->i] == '}' && --depth == 0) {
                p->i++;
                *literal = false;
                return true;
            }
        }
        return fail(p, "unbalanced ${");
    }
    if (is_name_start(c)) {
        while (p->i < p->n && is_name_char(p->s[p->i]))
            p->i++;
        *literal = false;
        return true;
    }
    if ((c >= '0' && c <= '9') || strchr("@*#?-$!", c)) {
        p->i++;
        *literal = false;
        return true;
    }
    buf_putc(&p->val, '$');
    return true;
}

static bool backquote(sh *p)
{
    while (p->i < p->n && p->s[p->i] != '`')
        p->i += p->s[p->i] == '\\' ? 2 : 1;
    if (p->i >= p->n)
        return fail(p, "unbalanced backquote");
    p->i++;
    return true;
}

/* word with quotes, escapes or expansions: its value is built in p->val */
static bool quoted_word(sh *p, sh_word *w)
{
    size_t start = p->i;
    bool literal = true, glob = false;
    p->val.len = 0;
    while (p->i < p->n && !is_meta(p->s[p->i])) {
        char c = p->s[p->i++];
        if (c == '\\') {
            if (p->i < p->n && p->s[p->i] != '\n')
                buf_putc(&p->val, p->s[p->i]);
            p->i++;
        } else if (c == '\'') {
            const char *q = memchr(p->s + p->i, '\'', p->n - p->i);
            if (!q)
                return fail(p, "unbalanced single quote");
            buf_put(&p->val, p->s + p->i, (size_t)(q - p->s) - p->i);
            p->i = (size_t)(q - p->s) + 1;
        } else if (c == '"') {
            for (;;) {
                if (p->i >= p->n)
                    return fail(p, "unbalanced double quote");
                char d = p->s[p->i++];
                if (d == '"')
                    break;
                if (d == '\\' && p->i < p->n && strchr("$`\"\\\n", p->s[p->i])) {
                    if (p->s[p->i] != '\n')
                        buf_putc(&p->val, p->s[p->i]);
                    p->i++;
                } else if (d == '$') {
                    if (!dollar(p, &literal))
                        return false;
                } else if (d == '`') {
                    literal = false;
                    if (!backquote(p))
                        return false;
                } else {
                    buf_putc(&p->val, d);
                }
            }
        } else if (c == '$') {
            if (!dollar(p, &literal))
                return false;
        } else if (c == '`') {
            literal = false;
            if (!backquote(p))
                return false;
        } else {
            glob |= c == '*' || c == '?' || c == '[';
            buf_putc(&p->val, c);
        }
    }
    *w = (sh_word){start, p->i - start, arena_slice(p->a, p->val.p ? p->val.p : "", p->val.len),
                   literal, glob};
    return true;
}

/* word := (unquoted-char | '\' char | '...' | "..." | expansion)+ */
static inline bool word(sh *p, sh_word *w)
{
    /* most words have no quote, escape or expansion: their value is their text */
    const unsigned char *u = (const unsigned char *)p->s;
    size_t start = p->i, e = start;
    bool glob = false;
    for (;;) {
        while (e < p->n && !(cls[u[e]] & (C_META | C_QUOTING | C_GLOB)))
            e++;
        if (e == p->n || !(cls[u[e]] & C_GLOB))
            break;
        glob = true;
        e++;
    }
    if (e < p->n && (cls[u[e]] & C_QUOTING))
        return quoted_word(p, w);
    p->i = e;
    df_slice v = p->stable ? (df_slice){p->s + start, e - start}
                           : arena_slice(p->a, p->s + start, e - start);
    *w = (sh_word){start, e - start, v, true, glob};
    return true;
}

/* Doubles the room of an array that starts in the reader's local room (local) and moves to
 * the heap when that is full. */
static void *grow(void *v, const void *local, size_t *cap, size_t size)
{
    size_t n = *cap;
    *cap = 2 * n;
    if (v != local)
        return xrealloc(v, *cap * size);
    void *heap = xmalloc(*cap * size);
    memcpy(heap, v, n * size);
    return heap;
}

static void push_word(sh *p, sh_word w)
{
    if (p->nw == p->capw)
        p->w = grow(p->w, p->local_words, &p->capw, sizeof *p->w);
    p->w[p->nw++] = w;
}

static void end_command(sh *p, sh_op op)
{
    if (!p->have) {
        /* an operator after a compound command: give it to the last command at this depth */
        if (p->out->ncmds && op != SH_OTHER)
            p->cmds[p->out->ncmds - 1].op = op;
        p->at_start = true;
        return;
    }
    sh_script *o = p->out;
    if (o->ncmds == p->cap) /* sh_parse moves the final array to the arena */
        p->cmds = grow(p->cmds, p->local_cmds, &p->cap, sizeof *p->cmds);
    sh_cmd c = p->cur;
    c.op = op;
    c.words = p->nw ? arena_alloc_raw(p->a, p->nw * sizeof *c.words) : NULL;
    if (p->nw)
        memcpy(c.words, p->w, p->nw * sizeof *c.words);
    c.nwords = p->nw;
    p->cmds[o->ncmds++] = c;
    p->nw = 0;
    p->have = false;
    p->at_start = true;
    memset(&p->cur, 0, sizeof p->cur);
}

/* NAME=value, and bash's NAME+=value, NAME[i]=value, NAME[i]+=value */
static bool is_assignment(const sh *p, const sh_word *w)
{
    const char *s = p->s + w->off;
    if (!is_name_start(s[0]))
        return false;
    size_t i = 1;
    while (i < w->len && is_name_char(s[i]))
        i++;
    if (i < w->len && s[i] == '[') {
        const char *close = memchr(s + i, ']', w->len - i);
        if (!close)
            return false;
        i = (size_t)(close - s) + 1;
    }
    if (i < w->len && s[i] == '+')
        i++;
    return i < w->len && s[i] == '=';
}

static bool word_eq(const sh *p, const sh_word *w, const char *s)
{
    /* the first byte first: most words are not the one asked about */
    return w->len > 0 && p->s[w->off] == s[0] && w->len == strlen(s) &&
           memcmp(p->s + w->off, s, w->len) == 0;
}

/* The reserved words, by what reserved() does with them. */
typedef enum { RW_NONE, RW_OPEN, RW_MIDDLE, RW_CLOSE, RW_BANG, RW_LOOP, RW_CASE } rw_kind;

static rw_kind reserved_kind(const char *s, size_t n)
{
    static const struct {
        char word[7];
        unsigned char len;
        unsigned char kind;
    } words[] = {
        {"if", 2, RW_OPEN},     {"while", 5, RW_OPEN},  {"until", 5, RW_OPEN},
        {"{", 1, RW_OPEN},      {"then", 4, RW_MIDDLE}, {"elif", 4, RW_MIDDLE},
        {"else", 4, RW_MIDDLE}, {"do", 2, RW_MIDDLE},   {"fi", 2, RW_CLOSE},
        {"done", 4, RW_CLOSE},  {"}", 1, RW_CLOSE},     {"esac", 4, RW_CLOSE},
        {"!", 1, RW_BANG},      {"for", 3, RW_LOOP},    {"select", 6, RW_LOOP},
        {"case", 4, RW_CASE},
    };
    if (n == 0 || n > 6 || !(cls[(unsigned char)s[0]] & C_RW))
        return RW_NONE; /* most command names */
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (words[k].len == n && words[k].word[0] == s[0] && memcmp(words[k].word, s, n) == 0)
            return (rw_kind)words[k].kind;
    return RW_NONE;
}

/* A reserved word in command position; returns true when it was consumed as one. */
static bool reserved(sh *p, const sh_word *w)
{
    rw_kind kind = reserved_kind(p->s + w->off, w->len);
    switch (kind) {
    case RW_NONE:
        return false;
    case RW_OPEN:
        p->out->compound = true;
        p->depth++;
        return true;
    case RW_MIDDLE:
        return true;
    case RW_CLOSE:
        p->depth--;
        if (p->depth < 0)
            fail(p, "unbalanced compound command");
        p->at_start = false;
        return true;
    case RW_BANG:
        p->cur.negated = true;
        return true;
    case RW_LOOP:
    case RW_CASE: {
        /* the loop header or case body is not a command: skip to `do` / `esac` */
        p->out->compound = true;
        bool is_case = kind == RW_CASE;
        p->out->loopvar |= !is_case;
        p->depth++;
        while (p->i < p->n && p->out->ok) {
            while (p->i < p->n && (is_blank(p->s[p->i]) || p->s[p->i] == '\n' ||
                                   strchr(";&|()<>", p->s[p->i])))
                p->i++;
            sh_word x;
            if (p->i >= p->n || !word(p, &x))
                break;
            if (!is_case && word_eq(p, &x, "do"))
                return true;
            if (is_case && word_eq(p, &x, "esac")) {
                p->depth--;
                p->at_start = false;
                return true;
            }
        }
        return fail(p, is_case ? "case without esac" : "for without do");
    }
    }
    unreachable();
}

static bool redirection(sh *p, size_t start)
{
    char c = p->s[p->i++];
    if (p->i < p->n && (p->s[p->i] == c || p->s[p->i] == '&' || p->s[p->i] == '|' ||
                        (c == '<' && p->s[p->i] == '>')))
        p->i++;
    if (c == '<' && p->s[p->i - 1] == '<' && p->i >= 2 && p->s[p->i - 2] == '<') {
        p->out->heredoc = true;
        if (p->i < p->n && p->s[p->i] == '-')
            p->i++;
    }
    while (p->i < p->n && is_blank(p->s[p->i]))
        p->i++;
    sh_word target;
    if (p->i >= p->n || is_meta(p->s[p->i]))
        return fail(p, "redirection without a target");
    if (!word(p, &target))
        return false;
    if (!p->have) { /* the command starts with a redirection */
        p->cur.off = start;
        p->cur.end = start;
        p->cur.depth = p->depth;
    }
    p->cur.nredirs++;
    p->have = true;
    return true;
}

static bool parse(df_arena *a, df_slice script, bool stable, sh_script *out);

bool sh_parse(df_arena *a, df_slice script, sh_script *out)
{
    return parse(a, script, false, out);
}

bool sh_parse_stable(df_arena *a, df_slice script, sh_script *out)
{
    return parse(a, script, true, out);
}

static bool parse(df_arena *a, df_slice script, bool stable, sh_script *out)
{
    memset(out, 0, sizeof *out);
    out->ok = true;
    sh_cmd local_cmds[LOCAL_CMDS];
    sh_word local_words[LOCAL_WORDS];
    sh p = {.s = script.p, .n = script.n, .a = a, .out = out, .at_start = true, .stable = stable,
            .cmds = local_cmds, .cap = LOCAL_CMDS, .w = local_words, .capw = LOCAL_WORDS,
            .local_cmds = local_cmds, .local_words = local_words};
    sh_op last = SH_END;
    while (p.i < p.n && out->ok) {
        char c = p.s[p.i];
        if (is_blank(c)) {
            p.i++;
            continue;
        }
        if (c == '\\' && p.i + 1 < p.n && p.s[p.i + 1] == '\n') {
            p.i += 2;
            continue;
        }
        if (c == '#' ) {
            out->comment = true;
            while (p.i < p.n && p.s[p.i] != '\n')
                p.i++;
            continue;
        }
        sh_op op = SH_END;
        if (c == '\n' || c == ';') {
            op = SH_SEQ;
            if (c == ';' && p.i + 1 < p.n && p.s[p.i + 1] == ';')
                op = SH_OTHER, p.i++;
            p.i++;
        } else if (c == '&') {
            op = p.i + 1 < p.n && p.s[p.i + 1] == '&' ? SH_AND : SH_BG;
            p.i += op == SH_AND ? 2 : 1;
            if (op == SH_BG && p.i < p.n && p.s[p.i] == '>') { /* bash &> */
                p.i--;
                op = SH_END;
                if (!redirection(&p, p.i))
                    break;
                continue;
            }
            if (op == SH_BG)
                out->background = true;
        } else if (c == '|') {
            op = p.i + 1 < p.n && p.s[p.i + 1] == '|' ? SH_OR : SH_PIPE;
            p.i += op == SH_OR ? 2 : 1;
            if (op == SH_PIPE && p.i < p.n && p.s[p.i] == '&')
                p.i++;
        } else if (c == '(' || c == ')') {
            p.i++;
            out->compound = true;
            if (c == '(' && p.have && p.nw == 1 && p.i < p.n && p.s[p.i] == ')') {
                p.i++; /* name() : a function definition */
                out->funcdef = true;
                p.nw = 0;
                p.have = false;
                p.at_start = true; /* the body is a command */
                continue;
            }
            end_command(&p, SH_OTHER);
            p.depth += c == '(' ? 1 : -1;
            if (p.depth < 0)
                fail(&p, "unbalanced parenthesis");
            continue;
        } else if (c == '<' || c == '>') {
            if (!redirection(&p, p.i))
                break;
            continue;
        }
        if (op != SH_END) {
            if (!p.have && (op == SH_AND || op == SH_OR || op == SH_PIPE) && last != SH_END &&
                p.out->ncmds == 0)
                fail(&p, "operator without a command before it");
            end_command(&p, op);
            last = op;
            continue;
        }
        /* IO number: digits directly followed by < or > */
        size_t d = p.i;
        while (d < p.n && p.s[d] >= '0' && p.s[d] <= '9')
            d++;
        if (d > p.i && d < p.n && (p.s[d] == '<' || p.s[d] == '>')) {
            size_t start = p.i;
            p.i = d;
            if (!redirection(&p, start))
                break;
            continue;
        }
        sh_word w;
        if (!word(&p, &w))
            break;
        if (p.at_start && p.nw == 0 && reserved(&p, &w))
            continue;
        if (!p.have) {
            p.cur.off = w.off;
            p.cur.depth = p.depth;
            p.have = true;
        }
        if (p.nw == p.cur.nassign && is_assignment(&p, &w))
            p.cur.nassign++;
        push_word(&p, w);
        p.cur.end = w.off + w.len;
        p.at_start = false;
        last = SH_END;
    }
    if (out->ok) {
        if (p.have)
            end_command(&p, SH_END);
        else if (last == SH_AND || last == SH_OR || last == SH_PIPE)
            out->trailing_op = true;
        if (p.depth != 0)
            fail(&p, "unbalanced compound command");
    }
    if (p.w != p.local_words)
        free(p.w);
    if (p.val.p)
        buf_free(&p.val);
    out->cmds = out->ncmds ? arena_alloc_raw(a, out->ncmds * sizeof *out->cmds) : NULL;
    if (out->ncmds)
        memcpy(out->cmds, p.cmds, out->ncmds * sizeof *out->cmds);
    if (p.cmds != p.local_cmds)
        free(p.cmds);
    return out->ok;
}

bool sh_word_is(const sh_cmd *c, size_t i, const char *s)
{
    if (i >= c->nwords || !c->words[i].literal)
        return false;
    df_slice v = c->words[i].value;
    /* the first byte first: most words are not the one asked about */
    return v.n == 0 ? s[0] == '\0' : v.p[0] == s[0] && slice_eq_str(v, s);
}

static bool starts_dash(const sh_cmd *c, size_t i)
{
    return i < c->nwords && c->words[i].value.n > 0 && c->words[i].value.p[0] == '-';
}

size_t sh_program(const sh_cmd *c)
{
    size_t i = c->nassign;
    for (;;) {
        if (i >= c->nwords)
            return c->nwords;
        df_slice v = c->words[i].value; /* the wrappers below: 3 to 7 letters, these first ones */
        char c0 = v.n ? v.p[0] : 0;
        if (v.n < 3 || v.n > 7 || !(c0 == 'c' || c0 == 'e' || c0 == 'n' || c0 == 's' || c0 == 't'))
            return i;
        if (sh_word_is(c, i, "sudo")) {
            i++;
            while (starts_dash(c, i)) {
                df_slice o = c->words[i].value;
                bool arg = o.n == 2 && strchr("ugCDhpRrTtU", o.p[1]);
                i += arg ? 2 : 1;
                if (slice_eq_str(o, "--"))
                    break;
            }
        } else if (sh_word_is(c, i, "env")) {
            i++;
            while (i < c->nwords && (starts_dash(c, i) ||
                                     memchr(c->words[i].value.p, '=', c->words[i].value.n)))
                i++;
        } else if (sh_word_is(c, i, "command") || sh_word_is(c, i, "nohup") ||
                   sh_word_is(c, i, "time")) {
            i++;
            while (starts_dash(c, i))
                i++;
        } else if (sh_word_is(c, i, "nice")) {
            i++;
            if (sh_word_is(c, i, "-n"))
                i += 2;
            else if (starts_dash(c, i))
                i++;
        } else {
            return i;
        }
    }
}

bool sh_changes_state(const sh_cmd *c)
{
    static const char *builtins[] = {
        "cd", "chdir", "pushd", "popd", "export", "unset", "set", "shopt", "umask", "trap", "alias",
        "unalias", "source", ".", "eval", "exec", "exit", "return", "readonly", "local",
        "declare", "typeset", "ulimit", "hash", "shift", "builtin", "enable", "wait", "read",
        "getopts", "break", "continue", "logout", "disown", "bind", "complete", "function",
        "mapfile", "readarray", "let",
    };
    if (c->nwords == c->nassign)
        return c->nassign > 0;
    size_t i = c->nassign;
    if (c->nassign > 0 && sh_word_is(c, i, ":"))
        return true; /* assignments before a special builtin stay (POSIX 2.14) */
    /* what runs the next word in this shell, or might: `command [-p] x`, `builtin x`, bash's
     * keyword `time [-p] x`; `exec`, `nohup` and `nice` are caught as they are (exec) or
     * skipped so that a builtin behind them still counts */
    for (;;) {
        if (sh_word_is(c, i, "command") || sh_word_is(c, i, "time") ||
            sh_word_is(c, i, "nohup") || sh_word_is(c, i, "nice")) {
            bool nice = sh_word_is(c, i, "nice");
            i++;
            while (starts_dash(c, i)) {
                bool stop = sh_word_is(c, i, "--");
                if (nice && sh_word_is(c, i, "-n"))
                    i++;
                i++;
                if (stop)
                    break;
            }
        } else if (sh_word_is(c, i, "builtin")) {
            i++;
            if (sh_word_is(c, i, "--"))
                i++;
        } else {
            break;
        }
    }
    if (i >= c->nwords)
        return false;
    if (!c->words[i].literal)
        return true; /* $CMD: unknown */
    for (size_t k = 0; k < sizeof builtins / sizeof *builtins; k++)
        if (sh_word_is(c, i, builtins[k]))
            return true;
    return false;
}
