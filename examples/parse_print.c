/*
 * parse_print.c: the smallest complete program over libdfopt. It reads a Dockerfile (the file
 * named on the command line, or standard input), optimizes it at -O1 (-O2 with -O2 before the
 * file) and prints the result, with the names of the passes that changed it on stderr. Like the
 * dfopt command, it gives the passes the file's directory as the build context.
 *
 *     cc parse_print.c $(pkg-config --cflags --libs dfopt) -o parse_print
 *     ./parse_print Dockerfile
 *
 * Exit status: 0 on success, 2 on a read or parse error.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, dirname */
#include <dfopt.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    size_t got;
    while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *q = realloc(p, cap *= 2);
            if (!q)
                free(p);
            p = q;
        }
    }
    if (!p || ferror(f)) {
        free(p);
        return NULL;
    }
    *len = n;
    return p;
}

static void fired(void *arg, const char *pass)
{
    (void)arg;
    fprintf(stderr, "changed by %s\n", pass);
}

int main(int argc, char **argv)
{
    int level = 1, i = 1;
    if (i < argc && strcmp(argv[i], "-O2") == 0) {
        level = 2;
        i++;
    }
    const char *name = i < argc ? argv[i] : "<stdin>";
    FILE *f = i < argc ? fopen(name, "rb") : stdin;
    size_t len = 0;
    char *src = f ? read_all(f, &len) : NULL;
    if (f && f != stdin)
        fclose(f);
    if (!src) {
        fprintf(stderr, "parse_print: cannot read %s\n", name);
        return 2;
    }

    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse(name, src, len, d);
    int status = 0;
    if (!doc) {
        status = 2;
    } else {
        char *dir = i < argc ? strdup(name) : NULL; /* stdin has no build context */
        df_options o = {.level = level, .pass_fired = fired, .context = dir ? dirname(dir) : NULL};
        if (df_doc_optimize(doc, &o, d) < 0) {
            status = 2;
        } else {
            size_t n;
            char *out = df_doc_print(doc, &n);
            fwrite(out, 1, n, stdout);
            free(out);
        }
        free(dir);
    }
    df_diags_print(d, stderr, false);
    df_doc_free(doc);
    df_diags_free(d);
    free(src);
    fprintf(stderr, "libdfopt %s\n", df_version());
    return status;
}
