/*
 * parallel.h: the driver's per-file work spread over the machine's cores, with exactly the
 * output of doing the files one after another (parallel.c).
 */
#ifndef DF_PARALLEL_H
#define DF_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

/* Does one item (a file), writing to stdout and stderr; returns its exit status. */
typedef int (*par_fn)(void *ctx, size_t i);

/*
 * Runs fn for i = 0..n-1 and returns the highest status. With several cores and enough items the
 * items are cut into one contiguous run per core: this process does the first run, forked
 * workers the others, and their output is copied out afterwards in item order, so stdout reads
 * byte for byte as if the items had been done in turn (and so does stderr, on its own: a
 * worker's diagnostics come after its whole output when both streams go to one place).
 * DFOPT_JOBS=N caps the number of workers (1: everything in this process). With may_fork false
 * (an item reads standard input, say) everything is done in this process.
 */
int par_each(size_t n, bool may_fork, par_fn fn, void *ctx);

struct df_buf;
/* Does one item, appending its output to out and its diagnostics (rendered) to err; returns
 * its exit status. */
typedef int (*par_buf_fn)(void *ctx, size_t i, struct df_buf *out, struct df_buf *err);

/*
 * Runs fn for i = 0..n-1 and returns the highest status, with out and err holding what the
 * items gave, in item order, as if they had been done in turn. The items are cut into one
 * contiguous run per core of about the same total weight (weight[i], the item's size): this
 * process does the first run, forked workers the others, each item's output passed back
 * through an in-memory file as soon as it is done. DFOPT_JOBS caps the workers as for par_each.
 */
int par_collect(size_t n, const size_t *weight, par_buf_fn fn, void *ctx, struct df_buf *out,
                struct df_buf *err);

#endif
