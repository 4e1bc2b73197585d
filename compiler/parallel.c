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

/* Copies what fd holds (from its start) to the file descriptor to. */
static void copy_out(int fd, int to)
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
        if (!io_write_all(to, buf, (size_t)n))
            return;
    }
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
    int status = 0;
    for (size_t k = 0; k < jobs; k++) {
        int s;
        if (w[k].pid > 0) {
            int ws;
            while (waitpid(w[k].pid, &ws, 0) < 0 && errno == EINTR)
                ;
            fflush(stdout);
            fflush(stderr);
            copy_out(w[k].out, STDOUT_FILENO);
            copy_out(w[k].err, STDERR_FILENO);
            s = WIFEXITED(ws) ? WEXITSTATUS(ws) : 2;
            if (!WIFEXITED(ws))
                fprintf(stderr, "dfopt: a worker died (signal %d) doing files %zu to %zu\n",
                        WIFSIGNALED(ws) ? WTERMSIG(ws) : 0, w[k].from + 1, w[k].to);
        } else {
            s = run(w[k].from, w[k].to, fn, ctx); /* the first run, or a worker that failed */
        }
        if (w[k].out >= 0)
            close(w[k].out);
        if (w[k].err >= 0)
            close(w[k].err);
        if (s > status)
            status = s;
    }
    return status;
}
