/*
 * merge-run: consecutive RUN instructions of a stage become one RUN, one layer.
 *
 * Requires:   a parsed document with stages computed.
 * Guarantees: for RUN A directly followed by RUN B (only comment and blank lines between), the
 *             result is one RUN with A's keyword and flags and the script `A && B`, written
 *             `A && \` newline indent `B` (or `A \` newline indent `&& B`, as the file's own
 *             continuations are), A and B exactly as written, their continuation lines kept.
 *             The build runs the same commands in the same order with the same outcome:
 *             `sh -c 'A && B'` runs B only when A succeeded and fails when either fails, as two
 *             RUNs do. Files that B deletes are then deleted in the layer that created them.
 *             Comment lines between A and B move above the merged instruction, in order;
 *             blank lines between them are dropped, and so is a trailing `;` of A or B. Runs of three or more merge left to right.
 *             BuildKit must read the new text back as exactly `A && B` with A's flags, or the
 *             pair is left alone (reread, the check rs_commit makes).
 * Refuses (checked below, in this order):
 *   - an instruction of any kind between the two (ENV, ARG, WORKDIR, USER, SHELL, COPY, ...),
 *     a stage boundary, or ONBUILD RUNs;
 *   - a stage whose shell is not POSIX (a SHELL other than sh/bash/dash/ash/ksh/mksh/zsh, or
 *     a Windows stage: escape=` or a Windows base image, unless SHELL is such a shell);
 *   - different builder flags (--mount, --network, --security, in the same order), exec form
 *     or heredocs in either;
 *   - A, whose shell state B would now inherit: a script that does not parse (unbalanced quotes,
 *     parentheses), a comment (it would swallow B), a background `&`, a trailing operator, `;;`
 *     (a single trailing `;` is dropped), anything after the script in the text (a comment line
 *     in a continuation); any command, at any depth, that changes the shell for later commands
 *     (cd, export, set, unset, umask, trap, exit, exec, source, eval, alias, read, a bare
 *     assignment, ... see sh_changes_state), a function definition, a for/select loop (it
 *     assigns its variable), an assignment inside an expansion (`${v:=x}`, `((v=1))`,
 *     `printf -v`), or a command that starts a daemon, or might: it would now be running while
 *     B runs (service, systemctl, /etc/init.d/X, nohup, setsid, mongod, mysqld, redis-server,
 *     sshd, ssh-agent, apachectl, nginx unless it only tests (-t) or signals (-s), ... any
 *     word --daemon* or --fork; and an unknown program, or one named by an expansion, given a
 *     start word: start, restart, daemon, --background, --detach, -d, -D);
 *   - B, which must be one and-or list that `A &&` can prefix: a script that does not parse, a
 *     compound command, a top-level `;`, `||` or `&` (with `A && x || y`, y would run when A
 *     fails), a reference to what the previous command leaves behind ($_, PIPESTATUS, SECONDS,
 *     BASH_COMMAND), or a comment line between its keyword and its script.
 */
#include "runscript.h"

#include <string.h>

static bool same_flags(const df_node *a, const df_node *b)
{
    if (a->nbflags != b->nbflags)
        return false;
    for (size_t i = 0; i < a->nbflags; i++)
        if (!slice_eq(a->bflags[i].v, b->bflags[i].v))
            return false;
    return true;
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* An assignment hidden in an expansion: ${v=x} ${v:=x}, an arithmetic command or expansion
 * with '=' in it ((v=1)), $((v+=1)), or bash's $[...]. Errs on the side of yes. */
static bool assigns_in_expansion(df_slice s)
{
    /* each form starts with '$' or '(': jump from one to the next (memchr) */
    const char *end = s.p + s.n;
    for (const char *q = s.p; q + 1 < end && (q = memchr(q, '$', (size_t)(end - q) - 1)); q++) {
        if (q[1] == '[')
            return true;
        if (q[1] != '{')
            continue;
        const char *j = q + 2;
        while (j < end && is_name_char(*j))
            j++;
        if (j < end && (*j == '=' || (*j == ':' && j + 1 < end && j[1] == '=')))
            return true;
    }
    for (const char *q = s.p; q + 1 < end && (q = memchr(q, '(', (size_t)(end - q) - 1)); q++) {
        if (q[1] != '(')
            continue;
        size_t i = (size_t)(q - s.p);
        const char *close = memmem(q, s.n - i, "))", 2);
        size_t stop = close ? (size_t)(close - s.p) : s.n;
        if (memchr(q, '=', stop - i) || (i == 0 || s.p[i - 1] != '$'))
            return true; /* ((...)) as a command may assign (x++); $((...)) with '=' does */
    }
    return false;
}

/* Programs that start a daemon (a server that forks away, or a service manager's start);
 * sorted in strcmp's order (base_in bisects). */
static const char *const daemons[] = {
    "Xvfb", "apache2", "apache2ctl", "apachectl", "atd", "avahi-daemon", "caddy", "catalina.sh",
    "consul", "containerd", "couchdb", "cron", "crond", "daemon", "daemonize", "dbus-daemon",
    "dbus-launch", "dnsmasq", "dockerd", "dovecot", "elasticsearch", "etcd", "exim",
    "gpg-agent", "haproxy", "httpd", "influxd", "invoke-rc.d", "kafka-server-start.sh",
    "lighttpd", "mariadbd", "memcached", "minio", "mongod", "mongos", "mysqld", "mysqld_safe",
    "named", "nats-server", "nohup", "ollama", "openrc", "pg_ctl", "pg_ctlcluster", "php-fpm",
    "postfix", "postgres", "rabbitmq-server", "rc-service", "redis-server", "rsyslogd",
    "screen", "sendmail", "service", "setsid", "slapd", "squid", "ssh-agent", "sshd",
    "start-stop-daemon", "startup.sh", "supervisorctl", "supervisord", "syslog-ng", "syslogd",
    "systemctl", "tightvncserver", "tmux", "unbuffer", "varnishd", "vault", "vncserver",
    "x11vnc", "xvfb-run", "zookeeper-server-start.sh",
};

/* nginx forks to the background unless it only tests, prints or signals (-t -T -v -V -h -s,
 * or `-g 'daemon off;'`, which still blocks but starts nothing that outlives the RUN). */
static bool nginx_starts(const sh_cmd *c, size_t p)
{
    static const char *const quiet[] = {"-t", "-T", "-v", "-V", "-h", "-?", "-s", "-q", NULL};
    for (size_t i = p + 1; i < c->nwords; i++)
        for (size_t k = 0; quiet[k]; k++)
            if (sh_word_is(c, i, quiet[k]))
                return false;
    return true;
}

/* strcmp's order between a slice and a string. */
static int slice_cmp(df_slice a, const char *s)
{
    for (size_t i = 0; i < a.n; i++) {
        unsigned char x = (unsigned char)a.p[i], y = (unsigned char)s[i];
        if (y == '\0' || x != y)
            return y == '\0' ? 1 : x < y ? -1 : 1;
    }
    return s[a.n] == '\0' ? 0 : -1;
}

/* Is the basename b (of a literal word) among the n names (sorted in strcmp's order)? */
static bool base_in(df_slice b, const char *const *names, size_t n)
{
    size_t lo = 0, hi = b.n ? n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        /* most steps are decided by the first byte (names are not empty) */
        int cmp = (unsigned char)b.p[0] - (unsigned char)names[mid][0];
        if (cmp == 0)
            cmp = slice_cmp(b, names[mid]);
        if (cmp == 0)
            return true;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* Programs known not to start a daemon whatever their arguments (`-d` means something else to
 * them: a directory, decode, delete, data, a detached-free test). The start-word heuristic
 * below is for the other, unknown programs. Sorted in strcmp's order (base_in bisects). */
static const char *const no_daemon[] = {
    ":", "[", "[[", "addgroup", "adduser", "apk", "apt", "apt-get", "awk", "base64", "basename",
    "bundle", "bunzip2", "bzip2", "cargo", "cat", "cc", "chgrp", "chmod", "chown", "chpasswd",
    "clang", "cmake", "composer", "cp", "cpio", "curl", "cut", "date", "deluser", "df", "diff",
    "dirname", "dnf", "docker", "dotnet", "dpkg", "dpkg-reconfigure", "du", "echo", "egrep",
    "false", "file", "find", "g++", "gcc", "gem", "getent", "git", "go", "gpg", "gradle",
    "grep", "groupadd", "gunzip", "gzip", "head", "helm", "hexdump", "id", "install", "java",
    "javac", "jq", "kubectl", "ld", "ldconfig", "ln", "locale-gen", "ls", "make", "md5sum",
    "microdnf", "mkdir", "mktemp", "mv", "mvn", "od", "openssl", "passwd", "patch", "perl",
    "php", "pip", "pip3", "printf", "python", "python3", "readlink", "realpath", "rm", "rmdir",
    "rpm", "ruby", "rustup", "sed", "sha256sum", "sha512sum", "sleep", "sort", "ssh-keygen",
    "ssh-keyscan", "stat", "strip", "tail", "tar", "tee", "test", "touch", "tr", "true", "uniq",
    "unlink", "unxz", "unzip", "unzstd", "update-alternatives", "update-ca-certificates",
    "useradd", "userdel", "usermod", "wc", "wget", "xxd", "xz", "yq", "yum", "zcat", "zstd",
    "zypper",
};

/* Is w a start word: start, restart, daemon, --fork, --background, -d, -D, --detach,
 * --daemonize, -daemon? */
static bool start_word(const sh_word *w)
{
#define W(s) {s, sizeof s - 1}
    static const struct {
        const char *s;
        size_t n;
    } start_words[] = {W("start"),  W("restart"), W("daemon"),   W("--fork"),
                       W("--background"), W("-d"), W("-D"), W("--detach"),
                       W("--daemonize"), W("-daemon")};
#undef W
    df_slice v = w->value;
    if (!w->literal || v.n < 2 || v.n > 12)
        return false;
    if (v.p[0] != '-' && v.p[0] != 's' && v.p[0] != 'r' && v.p[0] != 'd')
        return false; /* how the words above start: most arguments are decided here */
    for (size_t k = 0; k < sizeof start_words / sizeof *start_words; k++)
        if (v.n == start_words[k].n && v.p[0] == start_words[k].s[0] &&
            memcmp(v.p, start_words[k].s, v.n) == 0)
            return true;
    return false;
}

/* Does c start a daemon, or might it: a known daemon or service command in program position,
 * an init script, nginx serving, or an unknown program given a start word (start, restart,
 * daemon, --daemon*, --fork, --background, -d, -D)? p is sh_program(c). */
static bool starts_daemon(const sh_cmd *c, size_t p)
{
    /* the program's basename, read once for the daemons and the names below */
    df_slice prog = p < c->nwords ? rs_basename(c->words[p].value) : (df_slice){NULL, 0};
    for (size_t i = c->nassign; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!w->literal)
            continue;
        char c0 = w->value.n ? w->value.p[0] : '\0'; /* most words start with neither */
        if ((c0 == '/' && (slice_has_prefix(w->value, "/etc/init.d/") ||
                           slice_has_prefix(w->value, "/etc/rc.d/"))) ||
            (c0 == '-' && (slice_has_prefix(w->value, "--daemon") ||
                           slice_eq_str(w->value, "--fork"))))
            return true;
        if (i > p)
            continue; /* program position and wrappers only */
        if (base_in(i == p ? prog : rs_basename(w->value), daemons,
                    sizeof daemons / sizeof *daemons))
            return true;
    }
    if (p >= c->nwords)
        return false;
    if (!c->words[p].literal)
        return true; /* $CMD: unknown */
    if (slice_eq_str(prog, "nginx"))
        return nginx_starts(c, p);
    /* a start word, unless the program is one known not to start a daemon */
    for (size_t i = p + 1; i < c->nwords; i++)
        if (start_word(&c->words[i]))
            return !base_in(prog, no_daemon, sizeof no_daemon / sizeof *no_daemon);
    return false;
}

/* One RUN of a chain being merged, read once. */
typedef struct part {
    df_node *n;
    rs_run r;
    size_t at;   /* where its script starts in its text */
    bool tailed; /* rs_tail_of was asked: tail_ok, t and why hold its answer */
    bool tail_ok;
    rs_tail t;
    const char *why;
} part;

/* rs_tail_of(&q->r), asked once per part. */
static bool part_tail(part *q, const char **why)
{
    if (!q->tailed) {
        q->tailed = true;
        q->why = NULL;
        q->tail_ok = rs_tail_of(&q->r, &q->t, &q->why);
    }
    if (why)
        *why = q->why;
    return q->tail_ok;
}

/* May B's commands run after A's in the same shell, A's state left as it was? Only whether
 * there is a refusal matters, not which: the checks of the reading come first, those of the
 * text (rs_tail_of) last, and a script that was not read goes straight to rs_tail_of, which
 * refuses it. */
static const char *first_refusal(part *pa)
{
    const rs_run *a = &pa->r;
    if (a->ok) {
        if (a->sh.funcdef)
            return "the first RUN defines a function";
        if (a->sh.loopvar)
            return "the first RUN has a for loop, which sets its variable";
        for (size_t i = 0; i < a->sh.ncmds; i++) {
            const sh_cmd *c = &a->sh.cmds[i];
            if (sh_changes_state(c))
                return "the first RUN changes the shell's state (cd, export, set, exit, ...)";
            size_t p = sh_program(c);
            if (p < c->nwords && c->words[p].value.n == 6 && sh_word_is(c, p, "printf"))
                for (size_t k = p + 1; k < c->nwords; k++)
                    if (sh_word_is(c, k, "-v"))
                        return "the first RUN assigns with printf -v";
            if (starts_daemon(c, p))
                return "the first RUN may start a daemon";
        }
        if (assigns_in_expansion(a->script))
            return "the first RUN may assign a variable inside an expansion";
    }
    const char *why = NULL;
    if (!part_tail(pa, &why))
        return why;
    return NULL;
}

/* The first occurrence of word (k bytes) in s, or NULL (memmem, quicker for these short
 * words). */
static const char *find(df_slice s, const char *word, size_t k)
{
    for (const char *p = s.p, *end = s.p + s.n; (size_t)(end - p) >= k; p++) {
        p = memchr(p, word[0], (size_t)(end - p) - k + 1);
        if (!p)
            return NULL;
        if (memcmp(p, word, k) == 0)
            return p;
    }
    return NULL;
}

static const char *second_refusal(const rs_run *b)
{
    if (!b->ok)
        return b->sh.why ? b->sh.why : "the second RUN is in exec form or has a heredoc";
    if (b->sh.ncmds == 0)
        return "the second RUN has no command";
    if (b->sh.compound)
        return "the second RUN has a compound command";
    if (b->sh.background)
        return "the second RUN runs a command in the background";
    for (size_t i = 0; i < b->sh.ncmds; i++) {
        sh_op op = b->sh.cmds[i].op;
        bool last = i + 1 == b->sh.ncmds;
        if (op != SH_AND && op != SH_PIPE && op != SH_END && !(last && op == SH_SEQ))
            return "the second RUN is not one and-or list (; or || at the top level)";
    }
#define W(s) {s, sizeof s - 1}
    static const struct {
        const char *s;
        size_t n;
    } inherited[] = {W("$_"), W("${_}"), W("PIPESTATUS"), W("SECONDS"), W("BASH_COMMAND")};
#undef W
    for (size_t k = 0; k < sizeof inherited / sizeof *inherited; k++) {
        const char *m = find(b->script, inherited[k].s, inherited[k].n);
        if (!m)
            continue;
        size_t after = (size_t)(m - b->script.p) + inherited[k].n;
        if (k == 0 && after < b->script.n && is_name_char(b->script.p[after]))
            continue; /* $_name is another variable */
        return "the second RUN reads what the previous command leaves ($_, PIPESTATUS, ...)";
    }
    return NULL;
}

/* The comment lines of a lead (blank lines dropped), each with its newline. */
static void comment_lines(df_buf *b, df_slice lead)
{
    for (size_t i = 0; i < lead.n;) {
        const char *nl = memchr(lead.p + i, '\n', lead.n - i);
        size_t e = nl ? (size_t)(nl - lead.p) : lead.n;
        size_t j = i;
        while (j < e && (lead.p[j] == ' ' || lead.p[j] == '\t'))
            j++;
        if (j < e && lead.p[j] == '#') {
            buf_put(b, lead.p + i, e - i);
            if (e < lead.n)
                buf_putc(b, '\n');
        }
        i = e + 1;
    }
}

/* Does a comment line lie between n's keyword and its script (it would be dropped)? */
static bool comment_before_script(const df_node *n, size_t script_at)
{
    for (size_t i = 0; i < script_at; i++) {
        if (n->text.p[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < script_at && (n->text.p[j] == ' ' || n->text.p[j] == '\t'))
            j++;
        if (j < script_at && n->text.p[j] == '#')
            return true;
    }
    return false;
}

/* What the joins of one run of the pass share: the buffers the new text and the script it must
 * read as are written into, the sink for what rereading reports (it is only counted), and the
 * joint last written (rs_put_joint, kept in the arena) with the style it is in: most joins of
 * a file are in one style, so a joint is copied rather than written anew. */
typedef struct joiner {
    df_buf text, want;
    df_diags *scratch; /* NULL until the first reread */
    df_slice joint_text, joint_want; /* empty until the first joint */
    rs_style joint_style;
} joiner;

/* Appends the joint in style st to the new text and to its script. */
static void put_joint(df_doc *doc, joiner *j, const rs_style *st)
{
    if (j->joint_text.n && j->joint_style.leading == st->leading &&
        slice_eq(j->joint_style.indent, st->indent)) {
        buf_put_slice(&j->text, j->joint_text);
        buf_put_slice(&j->want, j->joint_want);
        return;
    }
    size_t t0 = j->text.len, w0 = j->want.len;
    rs_put_joint(&j->text, &j->want, doc, st);
    j->joint_text = arena_slice(&doc->arena, j->text.p + t0, j->text.len - t0);
    j->joint_want = arena_slice(&doc->arena, j->want.p + w0, j->want.len - w0);
    j->joint_style = *st;
}

/* The RUN that text makes, when BuildKit reads it as a RUN with n's flags and exactly the
 * script want (no heredoc): what rs_commit checks before it gives n the text. NULL otherwise. */
static df_node *reread(df_doc *doc, const df_node *n, df_slice text, df_slice want,
                       joiner *j)
{
    if (!j->scratch)
        j->scratch = df_diags_new();
    size_t errors = df_diags_errors(j->scratch);
    df_node *c = ir_node_from_text(doc, text, j->scratch); /* copies text */
    bool ok = c && df_diags_errors(j->scratch) == errors && c->kind == DF_RUN &&
              !(c->flags & DF_N_JSON) && c->nargs >= 1 && c->nheredocs == 0 &&
              same_flags(c, n) && slice_eq(c->args[0].v, want);
    return ok ? c : NULL;
}

/* Writes the chain p[0..np) as one RUN into p[0]'s node: p[0]'s text up to its script's end,
 * then each next script from its start, joined in style st. Every part but the last passed
 * first_refusal, so each can be continued (rs_tail_of). False when BuildKit or the sh model
 * would read the result differently (then nothing changes). */
static bool join(df_doc *doc, part *p, size_t np, const rs_style *st, joiner *j,
                 df_diags *d)
{
    df_buf *text = &j->text, *want = &j->want;
    text->len = want->len = 0; /* emptied, their memory kept for the next join */
    if (text->p)
        text->p[0] = '\0';
    if (want->p)
        want->p[0] = '\0';
    size_t ncmds = 0;
    for (size_t i = 1; i < np; i++)
        comment_lines(text, p[i].n->lead);
    for (size_t i = 0; i < np; i++) {
        const df_node *n = p[i].n;
        bool tail = part_tail(&p[i], NULL) && p[i].t.head.n >= p[i].at;
        const rs_tail *t = &p[i].t;
        if (i + 1 < np && !tail)
            unreachable(); /* first_refusal passed */
        size_t from = i ? p[i].at : 0; /* the first keeps its keyword and flags */
        if (i > 0)
            put_joint(doc, j, st);
        if (tail) { /* a trailing `;` goes */
            buf_put(text, n->text.p + from, t->head.n - from);
            buf_put(want, p[i].r.script.p, t->end);
            if (i + 1 == np)
                buf_put_slice(text, t->newline);
        } else {
            buf_put(text, n->text.p + from, n->text.n - from);
            buf_put_slice(want, p[i].r.script);
        }
        ncmds += p[i].r.sh.ncmds;
    }
    df_node *c = reread(doc, p[0].n, (df_slice){text->p, text->len},
                        (df_slice){want->p, want->len}, j);
    /* the joined script must read as the parts' commands in order, nothing run together; its
     * reading stays with the node for the passes after this one */
    sh_script joined;
    if (!c || !sh_parse_node(doc, c, &joined) || joined.ncmds != ncmds || joined.background)
        return false;
    (void)d; /* reading an instruction reports errors only, and c had none */
    ir_node_adopt(doc, p[0].n, c);
    return true;
}

/* Is RUN n followed directly by another RUN of its stage? */
static bool run_follows(const df_node *n)
{
    return n->kind == DF_RUN && n->next && n->next->kind == DF_RUN && n->next->stage == n->stage;
}

PASS(merge_run)
{
    /* without two RUNs in a row (so in most later rounds) there is nothing to read */
    const df_node *first = ir_walk_first(doc);
    while (first && !run_follows(first))
        first = ir_walk_next(doc, first);
    if (!first)
        return false;
    bool changed = false;
    rs_shells shells;
    rs_shells_init(&shells, doc);
    /* the file's style as it was before this pass joined anything: read at the first join of
     * a RUN with no style of its own. The joins before it were of RUNs with their own style,
     * which the first of them already showed and still shows: reading it then finds what it
     * would have found before them. */
    rs_style file_style = {0};
    bool have_style = false;
    enum { LOCAL_PARTS = 8 }; /* the usual chain: no allocation */
    part local[LOCAL_PARTS];
    part *p = local;
    size_t cap = LOCAL_PARTS;
    joiner j = {{0}, {0}, NULL, {0}, {0}, {{0}, false}};
    for (df_node *n = ir_walk_first(doc); n; n = ir_walk_next(doc, n)) {
        rs_shells_step(&shells, doc, n);
        if (!run_follows(n) || !rs_shells_posix(&shells, n))
            continue;
        /* the chain of RUNs that merge into n, each read once: linear in the document. What
         * refuses a pair without b's reading is asked first, so that b is not read for it. */
        size_t np = 0;
        for (df_node *b = n; b && b->kind == DF_RUN && b->stage == n->stage; b = b->next) {
            if (np > 0 && (!same_flags(n, b) || first_refusal(&p[np - 1])))
                break;
            if (np == cap) {
                cap *= 2;
                part *grown = xmalloc(cap * sizeof *grown);
                memcpy(grown, p, np * sizeof *p);
                if (p != local)
                    free(p);
                p = grown;
            }
            part *q = &p[np];
            q->n = b;
            q->tailed = false;
            rs_open(doc, b, &q->r);
            q->at = b->nargs ? ir_text_offset(b, q->r.base, false) : 0;
            if (np > 0 && (second_refusal(&q->r) || q->at > b->text.n ||
                           comment_before_script(b, q->at)))
                break;
            np++;
        }
        if (np < 2)
            continue;
        rs_style st;
        if (!rs_own_style(doc, n, &st)) {
            if (!have_style) {
                file_style = rs_doc_style(doc);
                have_style = true;
            }
            st = file_style;
        }
        if (join(doc, p, np, &st, &j, d)) {
            for (size_t i = 1; i < np; i++)
                ir_unlink(doc, p[i].n);
            n->flags |= DF_N_MERGED; /* heredoc-form may rewrite it under --heredoc */
            changed = true;
        } else {
            n = p[np - 1].n; /* left as written; the next chain starts after it */
        }
    }
    if (p != local)
        free(p);
    buf_free(&j.text);
    buf_free(&j.want);
    df_diags_free(j.scratch);
    rs_shells_free(&shells);
    return changed;
}
