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

/* Room for the usual script on the stack: its commands and its words move to the heap only
 * past these counts. */
enum { LOCAL_CMDS = 32, LOCAL_WORDS = 128 };

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
    sh_word *w;        /* the words of the script read so far: those of the commands in cmds,
                        * then those of the command being built (from w0 on) */
    size_t nw, capw, w0;
    sh_cmd cur;
    bool have;         /* cur has something */
    bool stable;       /* s outlives the reading: values may be slices of it */
    sh_cmd *local_cmds;   /* parse's room for LOCAL_CMDS commands */
    sh_word *local_words; /* and for LOCAL_WORDS words */
} sh;

/* Character classes, one table lookup per byte: META ends a word (blanks, newline and the
 * operator characters), QUOTING starts the slow path of word(), GLOB is an unquoted pattern
 * character, RW begins a reserved word, and SPECIAL is what parse() looks at before reading a
 * word there (besides META: a comment's #, a \ that may join lines, a digit that may start an
 * IO number). */
enum { C_BLANK = 1, C_META = 2, C_QUOTING = 4, C_GLOB = 8, C_RW = 16, C_SPECIAL = 32 };
static const unsigned char cls[256] = {
    [' '] = C_BLANK | C_META, ['\t'] = C_BLANK | C_META, ['\n'] = C_META, [';'] = C_META,
    ['&'] = C_META, ['|'] = C_META, ['('] = C_META, [')'] = C_META, ['<'] = C_META,
    ['>'] = C_META, ['\\'] = C_QUOTING | C_SPECIAL, ['\''] = C_QUOTING, ['"'] = C_QUOTING,
    ['$'] = C_QUOTING, ['`'] = C_QUOTING, ['*'] = C_GLOB, ['?'] = C_GLOB, ['['] = C_GLOB,
    ['!'] = C_RW, ['{'] = C_RW, ['}'] = C_RW, ['c'] = C_RW, ['d'] = C_RW, ['e'] = C_RW,
    ['f'] = C_RW, ['i'] = C_RW, ['s'] = C_RW, ['t'] = C_RW, ['u'] = C_RW, ['w'] = C_RW,
    ['#'] = C_SPECIAL, ['0'] = C_SPECIAL, ['1'] = C_SPECIAL, ['2'] = C_SPECIAL,
    ['3'] = C_SPECIAL, ['4'] = C_SPECIAL, ['5'] = C_SPECIAL, ['6'] = C_SPECIAL,
    ['7'] = C_SPECIAL, ['8'] = C_SPECIAL, ['9'] = C_SPECIAL,
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

/* word with quotes, escapes or expansions: its value is built in p->val, runs of plain bytes
 * at a time */
static bool quoted_word(sh *p, sh_word *w)
{
    const unsigned char *u = (const unsigned char *)p->s;
    size_t start = p->i;
    bool literal = true, glob = false;
    p->val.len = 0;
    while (p->i < p->n && !is_meta(p->s[p->i])) {
        size_t e = p->i;
        while (e < p->n && !(cls[u[e]] & (C_META | C_QUOTING))) {
            glob |= (cls[u[e]] & C_GLOB) != 0;
            e++;
        }
        if (e > p->i) {
            buf_put(&p->val, p->s + p->i, e - p->i);
            p->i = e;
            continue;
        }
        char c = p->s[p->i++];
        if (c == '\\') {
            if (p->i == p->n) {
                literal = false; /* a backslash that ends the script escapes nothing known */
                break;
            }
            if (p->s[p->i] != '\n')
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
                /* bytes other than " \ $ ` stand for themselves */
                size_t r = p->i;
                while (r < p->n && (!(cls[u[r]] & C_QUOTING) || u[r] == '\''))
                    r++;
                if (r > p->i)
                    buf_put(&p->val, p->s + p->i, r - p->i);
                p->i = r;
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
                    buf_putc(&p->val, d); /* a \ that escapes nothing */
                }
            }
        } else if (c == '$') {
            if (!dollar(p, &literal))
                return false;
        } else { /* ` */
            literal = false;
            if (!backquote(p))
                return false;
        }
    }
    *w = (sh_word){start, p->i - start, arena_slice(p->a, p->val.p ? p->val.p : "", p->val.len),
                   literal, glob};
    return true;
}

/* The first byte from e on (n when none) that ends a plain run of a word: META, QUOTING or
 * GLOB. Four bytes per bound check: this loop reads most of a script's bytes. */
static inline size_t plain_end(const unsigned char *u, size_t e, size_t n)
{
    enum { STOP = C_META | C_QUOTING | C_GLOB };
    for (; e + 4 <= n; e += 4) {
        if (cls[u[e]] & STOP)
            return e;
        if (cls[u[e + 1]] & STOP)
            return e + 1;
        if (cls[u[e + 2]] & STOP)
            return e + 2;
        if (cls[u[e + 3]] & STOP)
            return e + 3;
    }
    while (e < n && !(cls[u[e]] & STOP))
        e++;
    return e;
}

/* word := (unquoted-char | '\' char | '...' | "..." | expansion)+ */
static inline __attribute__((always_inline)) bool word(sh *p, sh_word *w)
{
    /* most words have no quote, escape or expansion: their value is their text */
    const unsigned char *u = (const unsigned char *)p->s;
    size_t start = p->i, e = start;
    bool glob = false;
    for (;;) {
        e = plain_end(u, e, p->n);
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

/* The command's words stay in p->w, after those of the commands before it: parse moves them
 * to the arena in one piece at the end and points each command at its own. */
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
    sh_cmd *c = &p->cmds[o->ncmds++];
    *c = p->cur;
    c->op = op;
    c->words = NULL; /* set by parse once the script is read */
    c->nwords = (uint32_t)(p->nw - p->w0);
    p->w0 = p->nw;
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
    /* by length: those of length n are words[by_len[n]] up to words[by_len[n + 1]] */
    static const struct {
        char word[7];
        unsigned char kind;
    } words[] = {
        {"{", RW_OPEN},      {"}", RW_CLOSE},     {"!", RW_BANG},
        {"if", RW_OPEN},     {"do", RW_MIDDLE},   {"fi", RW_CLOSE},
        {"for", RW_LOOP},
        {"then", RW_MIDDLE}, {"elif", RW_MIDDLE}, {"else", RW_MIDDLE},
        {"done", RW_CLOSE},  {"esac", RW_CLOSE},  {"case", RW_CASE},
        {"while", RW_OPEN},  {"until", RW_OPEN},
        {"select", RW_LOOP},
    };
    static const unsigned char by_len[8] = {0, 0, 3, 6, 7, 13, 15, 16};
    if (n == 0 || n > 6 || !(cls[(unsigned char)s[0]] & C_RW))
        return RW_NONE; /* most command names */
    for (size_t k = by_len[n]; k < by_len[n + 1]; k++)
        if (words[k].word[0] == s[0] && memcmp(words[k].word, s, n) == 0)
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
            sh_word x = {0};
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

/* A word where a command's words go: in command position perhaps a reserved word, which
 * reserved() consumes; else the command's next word, and no operator is *last any more.
 * Returns false on a lexer error. */
static inline bool command_word(sh *p, sh_op *last)
{
    if (p->nw == p->capw)
        p->w = grow(p->w, p->local_words, &p->capw, sizeof *p->w);
    sh_word *w = &p->w[p->nw]; /* read in place: kept unless a reserved word */
    if (!word(p, w))
        return false;
    if (p->at_start && p->nw == p->w0 && reserved(p, w))
        return true;
    if (!p->have) {
        p->cur.off = w->off;
        p->cur.depth = p->depth;
        p->have = true;
    }
    if (p->nw - p->w0 == p->cur.nassign && is_assignment(p, w))
        p->cur.nassign++;
    p->nw++;
    p->cur.end = w->off + w->len;
    p->at_start = false;
    *last = SH_END;
    size_t i = p->i; /* what usually follows a word: blanks, skipped here */
    while (i < p->n && is_blank(p->s[i]))
        i++;
    p->i = i;
    return true;
}

/* What parse does after special(): go on to the next token, stop reading, or read a word. */
typedef enum { STEP_NEXT, STEP_STOP, STEP_WORD } step;

/* At a byte that is META (not a blank) or SPECIAL: an operator, a redirection, a comment, a
 * line joined by \ newline, or a word (an IO number not followed by < or >, a \ escape). */
static step special(sh *p, sh_op *last)
{
    sh_script *out = p->out;
    char c = p->s[p->i];
    if (c == '\\' && p->i + 1 < p->n && p->s[p->i + 1] == '\n') {
        p->i += 2;
        return STEP_NEXT;
    }
    if (c == '#' ) {
        out->comment = true;
        while (p->i < p->n && p->s[p->i] != '\n')
            p->i++;
        return STEP_NEXT;
    }
    sh_op op = SH_END;
    if (c == '\n' || c == ';') {
        op = SH_SEQ;
        if (c == ';' && p->i + 1 < p->n && p->s[p->i + 1] == ';')
            op = SH_OTHER, p->i++;
        p->i++;
    } else if (c == '&') {
        op = p->i + 1 < p->n && p->s[p->i + 1] == '&' ? SH_AND : SH_BG;
        p->i += op == SH_AND ? 2 : 1;
        if (op == SH_BG && p->i < p->n && p->s[p->i] == '>') { /* bash &> */
            p->i--;
            return redirection(p, p->i) ? STEP_NEXT : STEP_STOP;
        }
        if (op == SH_BG)
            out->background = true;
    } else if (c == '|') {
        op = p->i + 1 < p->n && p->s[p->i + 1] == '|' ? SH_OR : SH_PIPE;
        p->i += op == SH_OR ? 2 : 1;
        if (op == SH_PIPE && p->i < p->n && p->s[p->i] == '&')
            p->i++;
    } else if (c == '(' || c == ')') {
        p->i++;
        out->compound = true;
        if (c == '(' && p->have && p->nw - p->w0 == 1 && p->i < p->n && p->s[p->i] == ')') {
            p->i++; /* name() : a function definition */
            out->funcdef = true;
            p->nw = p->w0;
            p->have = false;
            p->at_start = true; /* the body is a command */
            return STEP_NEXT;
        }
        end_command(p, SH_OTHER);
        p->depth += c == '(' ? 1 : -1;
        if (p->depth < 0)
            fail(p, "unbalanced parenthesis");
        return STEP_NEXT;
    } else if (c == '<' || c == '>') {
        return redirection(p, p->i) ? STEP_NEXT : STEP_STOP;
    }
    if (op != SH_END) {
        if (!p->have && (op == SH_AND || op == SH_OR || op == SH_PIPE) && *last != SH_END &&
            out->ncmds == 0)
            fail(p, "operator without a command before it");
        end_command(p, op);
        *last = op;
        return STEP_NEXT;
    }
    /* IO number: digits directly followed by < or > */
    size_t d = p->i;
    while (d < p->n && p->s[d] >= '0' && p->s[d] <= '9')
        d++;
    if (d > p->i && d < p->n && (p->s[d] == '<' || p->s[d] == '>')) {
        size_t start = p->i;
        p->i = d;
        return redirection(p, start) ? STEP_NEXT : STEP_STOP;
    }
    return STEP_WORD;
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
        unsigned k = cls[(unsigned char)p.s[p.i]];
        if (k & C_BLANK) {
            size_t i = p.i + 1;
            while (i < p.n && is_blank(p.s[i]))
                i++;
            p.i = i;
            continue;
        }
        if (k & (C_META | C_SPECIAL)) { /* else a word starts here: the usual case */
            step st = special(&p, &last);
            if (st == STEP_STOP)
                break;
            if (st == STEP_NEXT)
                continue;
        }
        if (!command_word(&p, &last))
            break;
    }
    if (out->ok) {
        if (p.have)
            end_command(&p, SH_END);
        else if (last == SH_AND || last == SH_OR || last == SH_PIPE)
            out->trailing_op = true;
        if (p.depth != 0)
            fail(&p, "unbalanced compound command");
    }
    if (p.val.p)
        buf_free(&p.val);
    /* the words of the commands read, in order: each command's are the next nwords */
    sh_word *words = p.w0 ? arena_alloc_raw(a, p.w0 * sizeof *words) : NULL;
    if (p.w0)
        memcpy(words, p.w, p.w0 * sizeof *words);
    if (p.w != p.local_words)
        free(p.w);
    /* only the out->ncmds commands end_command wrote are read (the analyzer cannot see it) */
    for (size_t i = 0, at = 0; i < out->ncmds; at += p.cmds[i].nwords, i++)
        /* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch) */
        p.cmds[i].words = p.cmds[i].nwords ? words + at : NULL;
    out->cmds = out->ncmds ? arena_alloc_raw(a, out->ncmds * sizeof *out->cmds) : NULL;
    if (out->ncmds)
        memcpy(out->cmds, p.cmds, out->ncmds * sizeof *out->cmds);
    if (p.cmds != p.local_cmds)
        free(p.cmds);
    return out->ok;
}

/* sh_word_is, inline here: with s a literal its length and bytes are constants */
static inline bool word_is(const sh_cmd *c, size_t i, const char *s)
{
    if (i >= c->nwords || !c->words[i].literal)
        return false;
    df_slice v = c->words[i].value;
    size_t n = strlen(s);
    /* the first byte first: most words are not the one asked about */
    return v.n == n && (n == 0 || (v.p[0] == s[0] && memcmp(v.p, s, n) == 0));
}

bool sh_word_is(const sh_cmd *c, size_t i, const char *s)
{
    return word_is(c, i, s);
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
        if (word_is(c, i, "sudo")) {
            i++;
            while (starts_dash(c, i)) {
                df_slice o = c->words[i].value;
                bool arg = o.n == 2 && strchr("ugCDhpRrTtU", o.p[1]);
                i += arg ? 2 : 1;
                if (slice_eq_str(o, "--"))
                    break;
            }
        } else if (word_is(c, i, "env")) {
            i++;
            while (i < c->nwords && (starts_dash(c, i) ||
                                     memchr(c->words[i].value.p, '=', c->words[i].value.n)))
                i++;
        } else if (word_is(c, i, "command") || word_is(c, i, "nohup") ||
                   word_is(c, i, "time")) {
            i++;
            while (starts_dash(c, i))
                i++;
        } else if (word_is(c, i, "nice")) {
            i++;
            if (word_is(c, i, "-n"))
                i += 2;
            else if (starts_dash(c, i))
                i++;
        } else {
            return i;
        }
    }
}

/* Is v the name of a builtin (or bash's keyword `function`) that changes the shell's state:
 * cd, export, set, umask, exec, exit, source, ...? */
static bool state_builtin(df_slice v)
{
    /* by length: those of length n are names[by_len[n]] up to names[by_len[n + 1]] */
    static const char names[][10] = {
        ".",
        "cd",
        "set", "let",
        "popd", "trap", "eval", "exec", "exit", "hash", "wait", "read", "bind",
        "chdir", "pushd", "unset", "shopt", "umask", "alias", "local", "shift", "break",
        "export", "source", "return", "ulimit", "enable", "logout", "disown",
        "unalias", "declare", "typeset", "builtin", "getopts", "mapfile",
        "readonly", "continue", "complete", "function",
        "readarray",
    };
    static const unsigned char by_len[11] = {0, 0, 1, 2, 4, 13, 22, 29, 35, 39, 40};
    if (v.n == 0 || v.n > 9)
        return false;
    for (size_t k = by_len[v.n]; k < by_len[v.n + 1]; k++)
        if (names[k][0] == v.p[0] && memcmp(names[k], v.p, v.n) == 0)
            return true;
    return false;
}

bool sh_changes_state(const sh_cmd *c)
{
    if (c->nwords == c->nassign)
        return c->nassign > 0;
    size_t i = c->nassign;
    if (c->nassign > 0 && word_is(c, i, ":"))
        return true; /* assignments before a special builtin stay (POSIX 2.14) */
    /* what runs the next word in this shell, or might: `command [-p] x`, `builtin x`, bash's
     * keyword `time [-p] x`; `exec`, `nohup` and `nice` are caught as they are (exec) or
     * skipped so that a builtin behind them still counts */
    for (;;) {
        char f = i < c->nwords && c->words[i].value.n ? c->words[i].value.p[0] : '\0';
        if (f != 'c' && f != 't' && f != 'n' && f != 'b')
            break; /* none of the words below */
        if (word_is(c, i, "command") || word_is(c, i, "time") ||
            word_is(c, i, "nohup") || word_is(c, i, "nice")) {
            bool nice = word_is(c, i, "nice");
            i++;
            while (starts_dash(c, i)) {
                bool stop = word_is(c, i, "--");
                if (nice && word_is(c, i, "-n"))
                    i++;
                i++;
                if (stop)
                    break;
            }
        } else if (word_is(c, i, "builtin")) {
            i++;
            if (word_is(c, i, "--"))
                i++;
        } else {
            break;
        }
    }
    if (i >= c->nwords)
        return false;
    if (!c->words[i].literal)
        return true; /* $CMD: unknown */
    return state_builtin(c->words[i].value);
}
