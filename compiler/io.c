/*
 * io.c: reading inputs whole and writing results without ever losing a file.
 *
 * io_read reads a file (or standard input for "-") in one buffer, refusing directories and
 * anything over the caller's limit. io_write_atomic replaces a file through a temporary file in
 * the same directory, fsync and rename, keeping its mode and owner; FIFOs and devices are
 * written through instead of replaced; with the stat of the file as it was read, a file changed
 * or removed meanwhile is not written.
 */
#include "internal.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void too_large(const char *path, size_t limit)
{
    if (limit >= (1u << 30) && limit % (1u << 30) == 0)
        fprintf(stderr, "dfopt: %s: larger than the %zu GiB input limit\n", path, limit >> 30);
    else
        fprintf(stderr, "dfopt: %s: larger than the %zu MiB input limit\n", path, limit >> 20);
}


/* The first read of a named file; see io_read. */
enum { FIRST_READ = 16 * 1024 };

char *io_read(const char *path, size_t limit, size_t *len)
{
    bool std_in = strcmp(path, "-") == 0;
    int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    df_buf b = {0};
    if (!std_in) {
        /* Most inputs are small regular files. One pread from offset 0 reads such a file whole,
         * and a read that returns less than it asked for has met the end of the file (a
         * regular file returns less only at its end), so it needs no fstat: three system
         * calls a file. pread fails on what cannot seek (a pipe, a FIFO, a socket: ESPIPE)
         * and on a directory (EISDIR); those, and files that fill the buffer, go the general
         * way below, which then goes on from where the pread stopped. */
        b.cap = FIRST_READ + 1;
        b.p = xmalloc(b.cap);
        ssize_t n;
        do
            n = pread(fd, b.p, FIRST_READ, 0);
        while (n < 0 && errno == EINTR);
        if (n >= 0 && (size_t)n < FIRST_READ && (size_t)n <= limit) {
            close(fd);
            b.p[n] = '\0';
            *len = (size_t)n;
            return b.p;
        }
        if (n > 0 && lseek(fd, n, SEEK_SET) == n)
            b.len = (size_t)n;
    }
    struct stat st;
    bool have_st = fstat(fd, &st) == 0; /* one fstat serves the three checks below */
    if (have_st && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "dfopt: %s: is a directory\n", path);
        close(fd);
        buf_free(&b);
        return NULL;
    }
    /* Read straight into one buffer: a regular file's size is known, so it is one allocation
     * and (usually) one read; a pipe grows the buffer by doubling. */
    bool ok = true;
    size_t want = 65536;
    if (have_st && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > limit) {
        /* refused before reading: no gigabyte is allocated only to be thrown away */
        too_large(path, limit);
        if (fd != STDIN_FILENO)
            close(fd);
        buf_free(&b);
        return NULL;
    }
    size_t known = 0; /* a regular file's size when it reports one: read that much, no more */
    if (have_st && S_ISREG(st.st_mode) && st.st_size > 0)
        want = known = (size_t)st.st_size;
    if (want + 1 > b.cap) {
        b.cap = want + 1;
        b.p = xrealloc(b.p, b.cap);
    }
    for (;;) {
        if (b.len == known && known)
            break; /* the whole file, without the read that would see its end */
        if (b.len > limit) {
            too_large(path, limit);
            ok = false;
            break;
        }
        if (b.cap - b.len < 2) {
            b.cap *= 2;
            b.p = xrealloc(b.p, b.cap);
        }
        ssize_t n = read(fd, b.p + b.len, b.cap - b.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
            ok = false;
            break;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    if (ok)
        b.p[b.len] = '\0';
    if (fd != STDIN_FILENO)
        close(fd);
    if (!ok) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

bool io_write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Is target still the file that was read (orig)? Reports and returns false when it has gone or
 * was replaced or modified meanwhile: replacing it then would resurrect a deleted file or
 * overwrite someone else's edit. */
static bool unchanged_since_read(const char *target, const struct stat *orig)
{
    struct stat now;
    if (stat(target, &now) != 0) {
        fprintf(stderr, "dfopt: %s: %s while it was being optimized; not written\n", target,
                errno == ENOENT ? "disappeared" : strerror(errno));
        return false;
    }
    if (now.st_dev != orig->st_dev || now.st_ino != orig->st_ino ||
        now.st_size != orig->st_size || now.st_mtim.tv_sec != orig->st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != orig->st_mtim.tv_nsec) {
        fprintf(stderr, "dfopt: %s: changed while it was being optimized; not written\n",
                target);
        return false;
    }
    return true;
}

/* Writes data into an existing file that is not a regular one (-o /dev/stdout, a FIFO): such a
 * file cannot be replaced by renaming. */
static bool write_into(const char *target, const char *data, size_t len)
{
    int fd = open(target, O_WRONLY | O_TRUNC);
    bool ok = fd >= 0 && io_write_all(fd, data, len);
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        err = errno;
        ok = false;
    }
    if (!ok)
        fprintf(stderr, "dfopt: %s: not written: %s\n", target, strerror(err));
    return ok;
}

/* Replaces path with data: temporary file in the same directory, fsync, rename, fsync of the
 * directory. The original keeps its mode (and owner, as far as permissions allow); on any
 * failure it is left as it was. With orig (-i: the file as it was read), only a regular file
 * is replaced, and only if it is still the file that was read. */
bool io_write_atomic(const char *path, const char *data, size_t len, bool follow,
                     const struct stat *orig)
{
    struct stat st;
    char resolved[PATH_MAX];
    const char *target = path;
    mode_t mode = 0644;
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            if (!follow) {
                fprintf(stderr, "dfopt: %s: is a symbolic link; not replacing it (use "
                                "--follow-symlinks to rewrite its target)\n", path);
                return false;
            }
            struct stat to;
            if (!orig && stat(path, &to) == 0 && !S_ISREG(to.st_mode))
                return write_into(path, data, len); /* -o /dev/stdout */
            if (!realpath(path, resolved)) {
                fprintf(stderr, "dfopt: %s: %s\n", path, strerror(errno));
                return false;
            }
            target = resolved;
            if (stat(target, &st) != 0) {
                fprintf(stderr, "dfopt: %s: %s\n", target, strerror(errno));
                return false;
            }
        }
        if (!S_ISREG(st.st_mode)) {
            if (!orig)
                return write_into(target, data, len);
            fprintf(stderr, "dfopt: %s: not a regular file; not replacing it\n", target);
            return false;
        }
        mode = st.st_mode & 07777;
    } else if (orig) {
        fprintf(stderr, "dfopt: %s: %s while it was being optimized; not written\n", path,
                errno == ENOENT ? "disappeared" : strerror(errno));
        return false;
    }
    if (orig && !unchanged_since_read(target, orig))
        return false;
    char *dup = strdup(target);
    if (!dup)
        die("out of memory");
    df_buf tmp = {0};
    buf_printf(&tmp, "%s/.dfopt-XXXXXX", dirname(dup));
    free(dup);
    int fd = mkstemp(tmp.p);
    if (fd < 0) {
        fprintf(stderr, "dfopt: %s: cannot create a temporary file beside it: %s\n", target,
                strerror(errno));
        buf_free(&tmp);
        return false;
    }
    if (orig && fchown(fd, st.st_uid, st.st_gid) != 0) {
        /* not permitted: the new file belongs to whoever runs dfopt, as with any editor */
    }
    bool ok = io_write_all(fd, data, len) && fchmod(fd, mode) == 0 && fsync(fd) == 0;
    int err = errno;
    ok = close(fd) == 0 && ok;
    if (ok && orig && !unchanged_since_read(target, orig)) {
        unlink(tmp.p);
        buf_free(&tmp);
        return false;
    }
    if (ok && rename(tmp.p, target) != 0) {
        err = errno;
        ok = false;
    }
    if (!ok) {
        fprintf(stderr, "dfopt: %s: not written: %s\n", target, strerror(err ? err : EIO));
        unlink(tmp.p);
    } else {
        /* make the rename itself durable */
        char *dir = strdup(tmp.p);
        int dfd = dir ? open(dirname(dir), O_RDONLY | O_DIRECTORY) : -1;
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    buf_free(&tmp);
    return ok;
}

bool io_write_stdout(const char *p, size_t n)
{
    if (fwrite(p, 1, n, stdout) != n) {
        fprintf(stderr, "dfopt: write error: %s\n", strerror(errno));
        return false;
    }
    return true;
}

