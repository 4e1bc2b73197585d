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
 *             pair is left alone (rs_commit).
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
    for (size_t i = 0; i + 1 < s.n; i++) {
        if (s.p[i] == '$' && s.p[i + 1] == '{') {
            size_t j = i + 2;
            while (j < s.n && is_name_char(s.p[j]))
                j++;
            if (j < s.n && (s.p[j] == '=' || (s.p[j] == ':' && j + 1 < s.n && s.p[j + 1] == '=')))
                return true;
        } else if (s.p[i] == '(' && s.p[i + 1] == '(') {
            const char *close = memmem(s.p + i, s.n - i, "))", 2);
            size_t end = close ? (size_t)(close - s.p) : s.n;
            if (memchr(s.p + i, '=', end - i) || (i == 0 || s.p[i - 1] != '$'))
                return true; /* ((...)) as a command may assign (x++); $((...)) with '=' does */
        } else if (s.p[i] == '$' && s.p[i + 1] == '[') {
            return true;
        }
    }
    return false;
}

/* Programs that start a daemon (a server that forks away, or a service manager's start). */
static const char *const daemons[] = {
    "service", "systemctl", "start-stop-daemon", "nohup", "setsid", "daemonize", "daemon",
    "rc-service", "invoke-rc.d", "openrc", "supervisord", "supervisorctl", "dockerd",
    "containerd", "pg_ctl", "pg_ctlcluster", "mysqld_safe", "mysqld", "mariadbd", "mongod",
    "mongos", "redis-server", "memcached", "postgres", "apachectl", "apache2ctl", "httpd",
    "apache2", "sshd", "ssh-agent", "gpg-agent", "dbus-daemon", "dbus-launch", "cron", "crond",
    "atd", "rsyslogd", "syslogd", "syslog-ng", "php-fpm", "named", "dnsmasq", "avahi-daemon",
    "Xvfb", "xvfb-run", "screen", "tmux", "rabbitmq-server", "elasticsearch", "slapd",
    "vncserver", "tightvncserver", "x11vnc", "unbuffer", "haproxy", "squid", "varnishd",
    "dovecot", "postfix", "exim", "sendmail", "lighttpd", "caddy", "consul", "vault",
    "etcd", "zookeeper-server-start.sh", "kafka-server-start.sh", "catalina.sh",
    "startup.sh", "couchdb", "influxd", "minio", "nats-server", "ollama",
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

/* Is word i of c literal, with a basename among the n names? */
static bool base_in(const sh_cmd *c, size_t i, const char *const *names, size_t n)
{
    if (i >= c->nwords || !c->words[i].literal)
        return false;
    df_slice b = rs_basename(c->words[i].value);
    for (size_t k = 0; k < n && b.n; k++)
        if (names[k][0] == b.p[0] && slice_eq_str(b, names[k]))
            return true;
    return false;
}

/* Programs known not to start a daemon whatever their arguments (`-d` means something else to
 * them: a directory, decode, delete, data, a detached-free test). The start-word heuristic
 * below is for the other, unknown programs. */
static const char *const no_daemon[] = {
    "test", "[", "[[", "echo", "printf", "base64", "gzip", "gunzip", "zcat", "xz", "unxz",
    "bzip2", "bunzip2", "zstd", "unzstd", "unzip", "tar", "cpio", "useradd", "usermod",
    "userdel", "adduser", "addgroup", "groupadd", "deluser", "cut", "date", "sort", "uniq",
    "diff", "ls", "cp", "mv", "rm", "mkdir", "rmdir", "install", "mktemp", "openssl", "curl",
    "wget", "git", "sed", "grep", "egrep", "awk", "find", "chmod", "chown", "chgrp",
    "ln", "touch", "cat", "head", "tail", "tr", "wc", "dpkg", "dpkg-reconfigure", "apt-get",
    "apt", "apk", "yum", "dnf", "microdnf", "zypper", "rpm", "pip", "pip3", "gem", "bundle",
    "make", "cmake", "go", "cargo", "rustup", "gcc", "cc", "g++", "clang", "ld", "strip",
    "ldconfig", "patch", "xxd", "od", "hexdump", "file", "stat", "du", "df", "id", "getent",
    "passwd", "chpasswd", "locale-gen", "update-alternatives", "update-ca-certificates",
    "true", "false", ":", "sleep", "python", "python3", "perl",
    "ruby", "java", "javac", "mvn", "gradle", "dotnet", "composer", "php", "helm", "kubectl",
    "docker", "gpg", "ssh-keygen", "ssh-keyscan", "unlink", "realpath", "dirname", "basename",
    "readlink", "tee", "jq", "yq", "sha256sum", "sha512sum", "md5sum",
};

/* Does c start a daemon, or might it: a known daemon or service command in program position,
 * an init script, nginx serving, or an unknown program given a start word (start, restart,
 * daemon, --daemon*, --fork, --background, -d, -D)? */
static bool starts_daemon(const sh_cmd *c)
{
    static const char *const start_words[] = {
        "start", "restart", "daemon", "--fork", "--background", "-d", "-D", "--detach",
        "--daemonize", "-daemon", NULL};
    size_t p = sh_program(c);
    for (size_t i = c->nassign; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!w->literal)
            continue;
        if (slice_has_prefix(w->value, "/etc/init.d/") || slice_has_prefix(w->value, "/etc/rc.d/") ||
            slice_has_prefix(w->value, "--daemon") || slice_eq_str(w->value, "--fork"))
            return true;
        if (i > p)
            continue; /* program position and wrappers only */
        if (base_in(c, i, daemons, sizeof daemons / sizeof *daemons))
            return true;
    }
    if (p >= c->nwords)
        return false;
    if (!c->words[p].literal)
        return true; /* $CMD: unknown */
    if (rs_word_base_is(c, p, "nginx"))
        return nginx_starts(c, p);
    if (base_in(c, p, no_daemon, sizeof no_daemon / sizeof *no_daemon))
        return false;
    for (size_t i = p + 1; i < c->nwords; i++)
        for (size_t k = 0; start_words[k]; k++)
            if (sh_word_is(c, i, start_words[k]))
                return true;
    return false;
}

/* May B's commands run after A's in the same shell, A's state left as it was? */
static const char *first_refusal(const rs_run *a)
{
    const char *why = NULL;
    rs_tail t;
    if (!rs_tail_of(a, &t, &why))
        return why;
    if (a->sh.funcdef)
        return "the first RUN defines a function";
    if (a->sh.loopvar)
        return "the first RUN has a for loop, which sets its variable";
    if (assigns_in_expansion(a->script))
        return "the first RUN may assign a variable inside an expansion";
    for (size_t i = 0; i < a->sh.ncmds; i++) {
        const sh_cmd *c = &a->sh.cmds[i];
        if (sh_changes_state(c))
            return "the first RUN changes the shell's state (cd, export, set, exit, ...)";
        size_t p = sh_program(c);
        if (sh_word_is(c, p, "printf"))
            for (size_t k = p + 1; k < c->nwords; k++)
                if (sh_word_is(c, k, "-v"))
                    return "the first RUN assigns with printf -v";
        if (starts_daemon(c))
            return "the first RUN may start a daemon";
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
    static const char *inherited[] = {"$_", "${_}", "PIPESTATUS", "SECONDS", "BASH_COMMAND"};
    for (size_t k = 0; k < sizeof inherited / sizeof *inherited; k++) {
        const char *m = memmem(b->script.p, b->script.n, inherited[k], strlen(inherited[k]));
        if (!m)
            continue;
        size_t after = (size_t)(m - b->script.p) + strlen(inherited[k]);
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
        size_t e = i;
        while (e < lead.n && lead.p[e] != '\n')
            e++;
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

/* One RUN of a chain being merged, read once. */
typedef struct part {
    df_node *n;
    rs_run r;
    size_t at; /* where its script starts in its text */
} part;

/* Writes the chain p[0..np) as one RUN into p[0]'s node: p[0]'s text up to its script's end,
 * then each next script from its start, joined in style st. Every part but the last passed
 * first_refusal, so each can be continued (rs_tail_of). False when BuildKit or the sh model
 * would read the result differently (then nothing changes). */
static bool join(df_doc *doc, part *p, size_t np, const rs_style *st, df_diags *d)
{

    df_buf text = {0}, want = {0};
    size_t ncmds = 0;
    for (size_t i = 1; i < np; i++)
        comment_lines(&text, p[i].n->lead);
    for (size_t i = 0; i < np; i++) {
        const df_node *n = p[i].n;
        rs_tail t;
        bool tail = rs_tail_of(&p[i].r, &t, NULL) && t.head.n >= p[i].at;
        if (i + 1 < np && !tail)
            unreachable(); /* first_refusal passed */
        size_t from = i ? p[i].at : 0; /* the first keeps its keyword and flags */
        if (i > 0)
            rs_put_joint(&text, &want, doc, st);
        if (tail) { /* a trailing `;` goes */
            buf_put(&text, n->text.p + from, t.head.n - from);
            buf_put(&want, p[i].r.script.p, t.end);
            if (i + 1 == np)
                buf_put_slice(&text, t.newline);
        } else {
            buf_put(&text, n->text.p + from, n->text.n - from);
            buf_put_slice(&want, p[i].r.script);
        }
        ncmds += p[i].r.sh.ncmds;
    }
    df_slice w = buf_to_arena(&want, &doc->arena);
    /* the joined script must read as the parts' commands in order, nothing run together */
    sh_script joined;
    bool ok = sh_parse(&doc->arena, w, &joined) && joined.ncmds == ncmds &&
              !joined.background && rs_commit(doc, p[0].n, buf_to_arena(&text, &doc->arena), w, d);
    buf_free(&text);
    buf_free(&want);
    return ok;
}

PASS(merge_run)
{
    bool changed = false;
    rs_shells shells;
    rs_shells_init(&shells, doc);
    rs_style file_style = rs_doc_style(doc);
    part *p = NULL;
    size_t cap = 0;
    for (df_node *n = doc->head; n; n = n->next) {
        rs_shells_step(&shells, doc, n);
        if (n->kind != DF_RUN || !rs_shells_posix(&shells, n))
            continue;
        /* the chain of RUNs that merge into n, each read once: linear in the document */
        size_t np = 0;
        for (df_node *b = n; b && b->kind == DF_RUN && b->stage == n->stage; b = b->next) {
            if (np == cap) {
                cap = cap ? cap * 2 : 8;
                p = xrealloc(p, cap * sizeof *p);
            }
            part *q = &p[np];
            q->n = b;
            rs_open(doc, b, &q->r);
            q->at = b->nargs ? rs_text_offset(b, q->r.base, false) : 0;
            if (np > 0 && (!same_flags(n, b) || first_refusal(&p[np - 1].r) ||
                           second_refusal(&q->r) || q->at > b->text.n ||
                           comment_before_script(b, q->at)))
                break;
            np++;
        }
        if (np < 2)
            continue;
        rs_style st = rs_node_style(doc, n, file_style);
        if (join(doc, p, np, &st, d)) {
            for (size_t i = 1; i < np; i++)
                ir_unlink(doc, p[i].n);
            n->flags |= DF_N_MERGED; /* heredoc-form may rewrite it under --heredoc */
            changed = true;
        } else {
            n = p[np - 1].n; /* left as written; the next chain starts after it */
        }
    }
    free(p);
    rs_shells_free(&shells);
    return changed;
}
