/*
 * parallel.c: the driver's files spread over the cores (see parallel.h).
 *
 * Workers are processes, not threads: the passes, the lint rules and the libraries they use need
 * no locking, and a worker's crash cannot take the others' output with it. A worker writes to
 * two in-memory files (memfd) that stand for its stdout and stderr; nothing is written to the
 * real streams out of order. Anything that fails on the way here (fork, memfd) only means that
 * run is done in this process instead.
 */
#include "io.h"
#include "parallel.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_JOBS = 64, MIN_ITEMS_PER_JOB = 4 };

typedef struct worker {
    size_t from, to; /* its run of items */
    pid_t pid;       /* -1: not forked (the run is done here) */
    int out, err;    /* memfds standing for its stdout and stderr */
} worker;

static size_t cores(void)
{
    cpu_set_t set;
    size_t n = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = (size_t)CPU_COUNT(&set);
    if (n == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (size_t)c : 1;
    }
    const char *env = getenv("DFOPT_JOBS");
    if (env && *env) {
        long j = strtol(env, NULL, 10);
        if (j >= 1 && (size_t)j < n)
            n = (size_t)j;
    }
    return n < MAX_JOBS ? n : MAX_JOBS;
}

static int run(size_t from, size_t to, par_fn fn, void *ctx)
{
    int status = 0;
    for (size_t i = from; i < to; i++) {
        int s = fn(ctx, i);
        if (s > status)
            status = s;
    }
    return status;
}

/* Copies what fd holds (from its start) to the file descriptor to, or appends it to b when
 * b is not NULL. */
static void copy_out(int fd, int to, df_buf *b)
{
    char buf[1 << 16];
    if (lseek(fd, 0, SEEK_SET) != 0)
        return;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        if (b)
            buf_put(b, buf, (size_t)n);
        else if (!io_write_all(to, buf, (size_t)n))
            return;
    }
}

/* Waits for forked worker w, passes on what it wrote (to the real streams, or to out and err
 * when they are not NULL) and returns its exit status. */
static int finish(worker *w, df_buf *out, df_buf *err, const char *items)
{
    int ws;
    while (waitpid(w->pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (!out) {
        fflush(stdout);
        fflush(stderr);
    }
    copy_out(w->out, STDOUT_FILENO, out);
    copy_out(w->err, STDERR_FILENO, err);
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    df_buf msg = {0};
    buf_printf(&msg, "dfopt: a worker died (signal %d) doing %s %zu to %zu\n",
               WIFSIGNALED(ws) ? WTERMSIG(ws) : 0, items, w->from + 1, w->to);
    if (err)
        buf_put(err, msg.p, msg.len);
    else
        fputs(msg.p, stderr);
    buf_free(&msg);
    return 2;
}

static bool start(worker *w, par_fn fn, void *ctx)
{
    w->out = memfd_create("dfopt-out", MFD_CLOEXEC);
    w->err = w->out >= 0 ? memfd_create("dfopt-err", MFD_CLOEXEC) : -1;
    if (w->err < 0)
        return false;
    w->pid = fork();
    if (w->pid != 0)
        return w->pid > 0;
    /* the worker */
    if (dup2(w->out, STDOUT_FILENO) < 0 || dup2(w->err, STDERR_FILENO) < 0)
        _exit(2);
    int status = run(w->from, w->to, fn, ctx);
    if (fflush(stdout) != 0 || fflush(stderr) != 0)
        status = 2;
    arena_spares_free();
    _exit(status);
}

/* Waits for the jobs in order (see finish), doing here the runs of those not forked (the
 * first, or a worker that failed to start) with fn; returns the highest status. */
static int gather(worker *w, size_t jobs, par_fn fn, void *ctx, df_buf *out, df_buf *err,
                  const char *items)
{
    int status = 0;
    for (size_t k = 0; k < jobs; k++) {
        int s = w[k].pid > 0 ? finish(&w[k], out, err, items) : run(w[k].from, w[k].to, fn, ctx);
        if (w[k].out >= 0)
            close(w[k].out);
        if (w[k].err >= 0)
            close(w[k].err);
        if (s > status)
            status = s;
    }
    return status;
}

int par_each(size_t n, bool may_fork, par_fn fn, void *ctx)
{
    size_t jobs = may_fork ? cores() : 1;
    if (jobs > n / MIN_ITEMS_PER_JOB)
        jobs = n / MIN_ITEMS_PER_JOB;
    if (jobs <= 1)
        return run(0, n, fn, ctx);
    worker w[MAX_JOBS];
    fflush(stdout); /* a worker must not inherit pending output */
    fflush(stderr);
    for (size_t k = 0; k < jobs; k++) {
        w[k] = (worker){n * k / jobs, n * (k + 1) / jobs, -1, -1, -1};
        if (k > 0 && !start(&w[k], fn, ctx))
            w[k].pid = -1;
    }
    return gather(w, jobs, fn, ctx, NULL, NULL, "files");
}

/* ---- par_collect ---- */

typedef struct collector {
    par_buf_fn fn;
    void *ctx;
    df_buf *out, *err; /* in this process: the caller's; NULL in a worker */
} collector;

/* One item. In a worker its output and diagnostics go to the worker's stdout and stderr (the
 * memfds) as soon as it is done, so a worker holds one item's at a time. */
static int collect_item(void *ctx, size_t i)
{
    const collector *c = ctx;
    if (c->out)
        return c->fn(c->ctx, i, c->out, c->err);
    df_buf out = {0}, err = {0};
    int status = c->fn(c->ctx, i, &out, &err);
    if ((out.len && !io_write_all(STDOUT_FILENO, out.p, out.len)) ||
        (err.len && !io_write_all(STDERR_FILENO, err.p, err.len)))
        status = 2;
    buf_free(&out);
    buf_free(&err);
    return status;
}

int par_collect(size_t n, const size_t *weight, par_buf_fn fn, void *ctx, df_buf *out,
                df_buf *err)
{
    size_t jobs = cores(), total = 0;
    if (jobs > n)
        jobs = n;
    for (size_t i = 0; i < n; i++)
        total += weight[i];
    worker w[MAX_JOBS];
    collector c = {fn, ctx, NULL, NULL}, here = {fn, ctx, out, err};
    fflush(stdout); /* a worker must not inherit pending output */
    fflush(stderr);
    /* runs of about total / jobs each */
    size_t i = 0, sum = 0;
    for (size_t k = 0; k < jobs; k++) {
        size_t from = i, goal = total / jobs * (k + 1);
        while (i < n && (k + 1 == jobs || sum + weight[i] / 2 < goal))
            sum += weight[i++];
        w[k] = (worker){from, i, -1, -1, -1};
        if (k > 0 && w[k].from < w[k].to && !start(&w[k], collect_item, &c))
            w[k].pid = -1;
    }
    return gather(w, jobs, collect_item, &here, out, err, "parts");
}
