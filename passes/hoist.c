/*
 * hoist: a RUN that cannot read what the COPY/ADD instructions just before it bring in moves
 * above them, so editing those files no longer invalidates the RUN's cache.
 *
 * Requires:   a parsed document with stages.
 * Guarantees: the image is the same. The RUN is understood completely (rw_run_footprint: package
 *             managers, account tools, mkdir/rm/chmod/chown/ln/cp/mv/touch on literal paths, a
 *             few system commands; no redirections, no cd, no unknown program; paths in option
 *             values such as --reference=/x count), and every COPY/ADD it moves above writes
 *             only to a destination that nothing the RUN touches contains or lies inside:
 *             outside the system tree when the RUN runs package or account tools (which read
 *             and write anywhere in /etc, /usr, /var, /home, /opt, ...), and disjoint from every
 *             path the RUN names, including the parent directories the COPY may create: a RUN
 *             path and the destination may share no ancestor but / or a directory known to
 *             exist (on the path of an earlier WORKDIR of the stage), so `COPY f /app/f` +
 *             `RUN mkdir /app/logs` stays (the COPY creates /app, with its --chown owner).
 *             A package manager or ldconfig-like tool (rw_footprint.config) also reads
 *             wherever the system configuration points (a local repository, a library
 *             directory); it moves only when nothing earlier in the stage (or the stages it
 *             builds on) may have changed that configuration: no COPY/ADD into the system tree
 *             or to an unknown place, no RUN that is not understood, names a system path, or
 *             runs a package manager for more than `update`/`clean` (an installed package may
 *             add a repository). COPY/ADD change no environment, user or working directory,
 *             so the RUN runs as before.
 * Refuses:    any RUN not understood as above; a destination that is relative with an unknown
 *             working directory, is /, overlaps what the RUN touches or shares a directory it
 *             may create with it; a configuration-reading tool after a possible configuration
 *             change; moving past anything but COPY and ADD of the same stage. When unsure,
 *             nothing moves.
 * Assumes:    a destination outside the system tree is not a symbolic link into it in the base
 *             image, and a base image's own configuration points package managers and the
 *             dynamic linker only into the system tree (the image's file system is not visible
 *             here).
 */
#include "../compiler/internal.h"
#include "../compiler/rewrite.h"

#include <string.h>

/* The deepest directory containing both clean absolute paths (their common leading
 * components; "/" when they share none). */
static df_slice common_dir(df_slice a, df_slice b)
{
    size_t i = 0, last = 0;
    while (i < a.n && i < b.n && a.p[i] == b.p[i]) {
        i++;
        if ((i == a.n || a.p[i] == '/') && (i == b.n || b.p[i] == '/'))
            last = i;
    }
    if (last <= 1)
        return SLICE("/");
    return (df_slice){a.p, last};
}

/* Where COPY/ADD c writes, in working directory cur; {NULL, 0} when unknown. */
static df_slice dest_of(df_doc *doc, const df_node *c, df_slice cur)
{
    if (c->nargs < 2)
        return (df_slice){NULL, 0};
    return rw_wd_resolve(doc, cur, c->args[c->nargs - 1].v);
}

/* Can anything cross a COPY/ADD writing to dest at all: is it known and not /? */
static bool crossable(df_slice dest)
{
    return dest.n && !slice_eq_str(dest, "/");
}

/* Can RUN (footprint fp) and a COPY/ADD writing to dest run in either order with the same
 * result? */
static bool independent(df_slice dest, const rw_footprint *fp, const rw_dirs *dirs)
{
    if (!crossable(dest))
        return false;
    if (fp->system && rw_path_system(dest))
        return false;
    for (size_t i = 0; i < fp->npaths; i++) {
        if (rw_path_overlap(fp->paths[i], dest))
            return false;
        /* the COPY may create every missing directory above dest */
        if (!rw_dirs_has(dirs, common_dir(fp->paths[i], dest)))
            return false;
    }
    return true;
}

/* Does an understood script run a package manager for anything but refreshing or cleaning
 * its caches (an installed package may add a repository or a library directory)? */
static bool installs(df_doc *doc, const rw_footprint *fp)
{
    static const char *const pkg[] = {"apt-get", "apt", "apk", "dnf", "yum", "microdnf",
                                      "zypper", "tdnf", NULL};
    static const char *const harmless[] = {"update", "clean", "autoclean", "makecache",
                                           "check-update", "refresh", NULL};
    sh_script sc;
    if (!sh_parse_node(doc, fp->run, &sc))
        return true;
    for (size_t i = 0; i < sc.ncmds; i++) {
        const sh_cmd *c = &sc.cmds[i];
        size_t p = sh_program(c);
        if (p >= c->nwords)
            continue;
        df_slice prog = rw_path_base(c->words[p].value);
        bool is_pkg = false;
        for (size_t k = 0; pkg[k] && !is_pkg; k++)
            is_pkg = slice_eq_str(prog, pkg[k]);
        if (!is_pkg)
            continue;
        size_t w = p + 1;
        while (w < c->nwords && c->words[w].value.n && c->words[w].value.p[0] == '-')
            w++;
        bool ok = false;
        for (size_t k = 0; harmless[k] && w < c->nwords && !ok; k++)
            ok = sh_word_is(c, w, harmless[k]);
        if (!ok)
            return true;
    }
    return false;
}

/* May node n (before a RUN in its stage) have changed where package managers or ldconfig
 * look (sources lists, ld.so.conf.d, repository files)? known is n's footprint in cur when it is
 * a RUN whose footprint is already known, else NULL. */
static bool may_configure(df_doc *doc, const df_node *n, df_slice cur, const rw_footprint *known)
{
    if (n->kind == DF_COPY || n->kind == DF_ADD) {
        if (n->nargs < 2)
            return true;
        df_slice dest = rw_wd_resolve(doc, cur, n->args[n->nargs - 1].v);
        return !dest.n || rw_path_system(dest);
    }
    if (n->kind != DF_RUN)
        return false;
    rw_footprint fp;
    if (known)
        fp = *known;
    else
        rw_run_footprint(doc, n, cur, &fp);
    if (!fp.ok)
        return true;
    for (size_t i = 0; i < fp.npaths; i++)
        if (rw_path_system(fp.paths[i]))
            return true;
    return fp.config && installs(doc, &fp);
}

/* How many COPY/ADD one RUN may cross; a longer run of them is left alone (keeps the pass
 * linear, and a second run would otherwise move the RUN further). */
enum { CROSS_LIMIT = 64 };

/* Is n a RUN right after a COPY or ADD (what may move)? */
static bool is_candidate(const df_node *n)
{
    return n->kind == DF_RUN && n->prev && (n->prev->kind == DF_COPY || n->prev->kind == DF_ADD);
}

/* NULL when no RUN comes right after a COPY or ADD (nothing can move); else, per stage, whether
 * the pass must look at it: it holds such a RUN, or a stage that does builds on it (and asks
 * for its final working directory and configuration). The other stages are skipped whole:
 * nothing in them can move, and nothing walked depends on them. */
static bool *any_candidate(df_doc *doc)
{
    const df_node *first = ir_walk_first(doc);
    while (first && !is_candidate(first))
        first = ir_walk_next(doc, first);
    if (!first)
        return NULL;
    return rw_stages_for(doc, first, is_candidate);
}

/* Whether a stage may have changed package or linker configuration is asked only for a RUN
 * with fp.config, so it is worked out when asked: the COPY/ADD and RUN nodes of each stage wait
 * with the working directory they run in (and a RUN's footprint when already known) until then.
 * Judging is an "or" over the stage's nodes and the stage it builds on, so judging late, in
 * any order, gives what judging every node as it comes would. Once a stage has ended, only a
 * later stage building on it can ask about it: the nodes of the other stages stop waiting
 * then, so what waits is the current stage and the stages others build on, not the
 * document. */
typedef struct waiting {
    const df_node *n;
    df_slice cur;
    bool have_fp;
    rw_footprint fp; /* n's footprint in cur when have_fp */
} waiting;

typedef struct stage_conf {
    bool configured;  /* known: something may have changed the configuration */
    bool base_judged; /* the stage it builds on was asked (or there is none) */
    bool is_base;     /* a later stage builds on it: its nodes wait after it ends */
    size_t next, end; /* its nodes not judged yet: those of the stage in waiting[next..end) */
} stage_conf;

enum { LOCAL_WAITING = 32, LOCAL_STAGES = 32 }; /* the usual document: no allocation */

typedef struct conf {
    waiting *w; /* local, or on the heap when more wait */
    size_t nw, cap;
    size_t stage_first; /* w[stage_first..nw) are the current stage's */
    stage_conf *st; /* per stage, indexed by df_node.stage: local_st or on the heap */
    waiting local[LOCAL_WAITING];
    stage_conf local_st[LOCAL_STAGES];
} conf;

static void conf_init(conf *k, const df_doc *doc)
{
    k->w = k->local;
    k->nw = 0;
    k->cap = LOCAL_WAITING;
    k->stage_first = 0;
    k->st = doc->nstages <= LOCAL_STAGES ? k->local_st : xmalloc(doc->nstages * sizeof *k->st);
    memset(k->st, 0, doc->nstages * sizeof *k->st);
    for (size_t i = 0; i < doc->nstages; i++) {
        int b = doc->stages[i].base_stage;
        if (b >= 0 && (size_t)b < i) /* the bases stage_configured asks about */
            k->st[b].is_base = true;
    }
}

static void conf_free(conf *k)
{
    if (k->st != k->local_st)
        free(k->st);
    if (k->w != k->local)
        free(k->w);
}

static void conf_wait(conf *k, const df_node *n, df_slice cur, const rw_footprint *fp)
{
    if (k->nw == k->cap) /* the first few wait on the stack (k->local) */
        k->w = grow_from_local(k->w, k->local, &k->cap, k->nw, sizeof *k->w);
    waiting *x = &k->w[k->nw];
    *x = (waiting){n, cur, fp != NULL, {0}};
    if (fp)
        x->fp = *fp;
    stage_conf *s = &k->st[n->stage];
    if (s->next == s->end)
        s->next = k->nw; /* nothing of the stage waits: its range starts here */
    s->end = ++k->nw;
}

/* Stage s, the current one, has ended. Unless a later stage builds on it, nothing asks about
 * it again: its nodes stop waiting. */
static void conf_end(conf *k, int s)
{
    stage_conf *c = &k->st[s];
    if (!c->is_base) {
        k->nw = k->stage_first;
        c->next = c->end = k->nw;
    }
    k->stage_first = k->nw;
}

/* May something in stage s (up to the node being looked at), or in the stages it builds on,
 * have changed package or linker configuration? */
static bool stage_configured(df_doc *doc, conf *k, int s)
{
    if (s < 0 || (size_t)s >= doc->nstages)
        return false;
    stage_conf *c = &k->st[s];
    if (!c->base_judged) {
        c->base_judged = true;
        int b = doc->stages[s].base_stage;
        if (b >= 0 && b < s && stage_configured(doc, k, b))
            c->configured = true;
    }
    while (!c->configured && c->next < c->end) {
        const waiting *x = &k->w[c->next++];
        if (x->n->stage == s && may_configure(doc, x->n, x->cur, x->have_fp ? &x->fp : NULL))
            c->configured = true;
    }
    return c->configured;
}

PASS(hoist)
{
    bool *walk = any_candidate(doc);
    if (!walk)
        return false;
    bool changed = false;
    rw_wd wd;
    rw_wd_init(&wd, doc);
    rw_dirs dirs = {0};
    conf k;
    conf_init(&k, doc);
    int walked = -1; /* the stage being walked */
    for (df_node *n = doc->head, *next; n; n = next) {
        if (n->kind == DF_FROM && n->stage >= 0 && !walk[n->stage] &&
            !(n = rw_wd_skip_to(&wd, doc, walk, n)))
            break;
        next = n->next;
        rw_footprint fp;
        bool have_fp = false; /* fp is n's footprint in wd.cur */
        /* a RUN right after a COPY/ADD of its stage: where that writes */
        df_slice prev_dest = n->kind == DF_RUN && n->prev &&
                                     (n->prev->kind == DF_COPY || n->prev->kind == DF_ADD) &&
                                     n->prev->stage == n->stage
                                 ? dest_of(doc, n->prev, wd.cur)
                                 : (df_slice){NULL, 0};
        if (crossable(prev_dest)) {
            rw_run_footprint(doc, n, wd.cur, &fp);
            have_fp = true;
            if (fp.config && stage_configured(doc, &k, n->stage))
                fp.ok = false;
            df_node *target = n;
            size_t crossed = 0;
            for (df_node *c = n->prev; fp.ok && c && c->stage == n->stage &&
                                       (c->kind == DF_COPY || c->kind == DF_ADD);
                 c = c->prev) {
                df_slice dest = c == n->prev ? prev_dest : dest_of(doc, c, wd.cur);
                if (!independent(dest, &fp, &dirs))
                    break;
                if (++crossed > CROSS_LIMIT) {
                    target = n;
                    break;
                }
                target = c;
            }
            if (target != n) {
                if (rw_lead_blank(n->lead) && rw_lead_blank(target->lead)) {
                    df_slice lead = n->lead; /* blank lines stay where they were */
                    n->lead = target->lead;
                    target->lead = lead;
                }
                rw_move_before(doc, n, target, d);
                changed = true;
            }
        }
        if (n->stage >= 0 && (size_t)n->stage < doc->nstages &&
            (n->kind == DF_COPY || n->kind == DF_ADD || n->kind == DF_RUN) &&
            !k.st[n->stage].configured)
            conf_wait(&k, n, wd.cur, have_fp ? &fp : NULL);
        rw_wd_step(&wd, doc, n);
        if (n->kind == DF_FROM) {
            if (walked >= 0)
                conf_end(&k, walked);
            walked = n->stage;
            dirs.n = 0;
            rw_dirs_add(&dirs, wd.cur);
        } else if (n->kind == DF_WORKDIR) {
            rw_dirs_add(&dirs, wd.cur);
        }
    }
    conf_free(&k);
    free(dirs.v);
    rw_wd_free(&wd);
    return changed;
}
