/*
 * clock.c: times one command over a list of files, the way a user runs it: `CMD ARGS... FILE...`
 * in one process, with no shell in between.
 *
 *   clock RUNS LIMIT LIST CMD [ARG...]
 *
 * LIST holds one file name per line; the names are appended to CMD's arguments. CMD runs once
 * to warm the page cache, then RUNS times, with stdout and stderr sent to /dev/null. Prints
 * "WALL CPU": the median wall time and the mean CPU time (user + system, from wait4) in seconds.
 * A run that is still going after LIMIT seconds is killed, and the figure printed is LIMIT.
 * Exit status 1 counts as a run (a linter's "findings"); a run that fails otherwise (status 2 or
 * more, a signal, a command that cannot start) prints "nan nan" and exits 1.
 *
 * The shell would cost more than the program on a list of 10,000 files: bash's glob reads every
 * directory, and hyperfine can subtract the shell's start but not its expansion.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double seconds(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reads LIST into a NULL-terminated vector after the first `skip` slots; NULL on error. */
static char **read_list(const char *path, size_t skip, size_t *count)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 1024, n = skip;
    char **v = malloc(cap * sizeof *v);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t len;
    while (v && (len = getline(&line, &line_cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (n + 2 > cap) {
            char **grown = realloc(v, (cap *= 2) * sizeof *v);
            if (!grown) {
                free(v);
                v = NULL;
                break;
            }
            v = grown;
        }
        v[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    if (v) {
        v[n] = NULL;
        *count = n;
    }
    return v;
}

/* One run: its wall and CPU seconds; returns 0, or -1 when the command failed (a run killed at
 * the limit counts as run, with the limit as its time). */
static int run_once(char **argv, double limit, double *wall, double *cpu)
{
    double start = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    struct itimerval timer = {{0, 0}, {(time_t)limit, (suseconds_t)((limit - (double)(time_t)limit) * 1e6)}};
    timed_out = 0;
    setitimer(ITIMER_REAL, &timer, NULL);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR)
            return -1;
        if (timed_out) {
            kill(pid, SIGKILL);
        }
    }
    setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 0}}, NULL);
    if (timed_out) {
        *wall = *cpu = limit;
        return 0;
    }
    *wall = now() - start;
    *cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
    return WIFEXITED(status) && WEXITSTATUS(status) <= 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: clock RUNS LIMIT LIST CMD [ARG...]\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    double limit = atof(argv[2]);
    if (runs < 1 || limit <= 0) {
        fprintf(stderr, "clock: RUNS and LIMIT must be positive\n");
        return 2;
    }
    /* no SA_RESTART: the alarm interrupts wait4, which then kills the command */
    sigaction(SIGALRM, &(struct sigaction){.sa_handler = on_alarm}, NULL);
    size_t fixed = (size_t)argc - 4, n;
    char **cmd = read_list(argv[3], fixed, &n);
    if (!cmd) {
        fprintf(stderr, "clock: %s: %s\n", argv[3], strerror(errno));
        return 2;
    }
    memcpy(cmd, argv + 4, fixed * sizeof *cmd);

    double *walls = malloc((size_t)runs * sizeof *walls), cpu_sum = 0, wall, cpu;
    if (!walls || run_once(cmd, limit, &wall, &cpu) < 0) { /* the warm-up run */
        puts("nan nan");
        return 1;
    }
    for (int i = 0; i < runs; i++) {
        if (run_once(cmd, limit, &walls[i], &cpu) < 0) {
            puts("nan nan");
            return 1;
        }
        cpu_sum += cpu;
        if (walls[i] >= limit) { /* cut off: one run is the figure */
            runs = i + 1;
            break;
        }
    }
    qsort(walls, (size_t)runs, sizeof *walls, by_value);
    double median = runs % 2 ? walls[runs / 2] : (walls[runs / 2 - 1] + walls[runs / 2]) / 2;
    printf("%.6f %.6f\n", median, cpu_sum / runs);
    return 0;
}
