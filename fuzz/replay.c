/*
 * replay.c: a harness as a plain program. Runs LLVMFuzzerTestOneInput once over each file named
 * on the command line (a directory: over the files in it), printing `file ... ok`; a broken
 * property aborts (see fuzz.h), so the exit status tells whether every input passed.
 *
 *   build/fuzz-replay/fuzz_pipeline tests/fuzz-regressions/...
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    df_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    bool err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "replay: %s: read error\n", path);
        buf_free(&b);
        return 1;
    }
    /* an exact-size copy, so a sanitizer sees any read past the input's end */
    size_t len = b.len;
    uint8_t *data = xmalloc(len ? len : 1);
    if (len)
        memcpy(data, b.p, len);
    buf_free(&b);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    if (getenv("VERBOSE"))
        printf("%s ... ok\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0, count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *dir = opendir(argv[i]);
            struct dirent *e;
            while (dir && (e = readdir(dir))) {
                if (e->d_name[0] == '.')
                    continue;
                df_buf p = {0};
                buf_printf(&p, "%s/%s", argv[i], e->d_name);
                failed += replay_file(p.p);
                count++;
                buf_free(&p);
            }
            if (dir)
                closedir(dir);
        } else {
            failed += replay_file(argv[i]);
            count++;
        }
    }
    printf("%s: %d inputs, %d unreadable\n", argv[0], count, failed);
    return failed ? 1 : 0;
}
