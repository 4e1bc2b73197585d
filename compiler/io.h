/* io.h: whole-file input and atomic output (io.c). */
#ifndef DF_IO_H
#define DF_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The whole of path ("-": standard input), NUL-terminated, malloc'd; NULL (reported on stderr)
 * on an error, a directory, or more than limit bytes. */
char *io_read(const char *path, size_t limit, size_t *len);
/* Replaces path with data atomically (see io.c); false (reported) when nothing was written.
 * follow: rewrite a symlink's target instead of refusing; orig: the file as it was read. */
bool io_write_atomic(const char *path, const char *data, size_t len, bool follow,
                     const struct stat *orig);
/* Writes all n bytes to fd, again after a short write or EINTR; false on an error. */
bool io_write_all(int fd, const char *p, size_t n);
/* Writes to standard output; false (reported) on an error. */
bool io_write_stdout(const char *p, size_t n);

#endif
