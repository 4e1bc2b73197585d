/*
 * stats.h: `dfopt --stats`, a short report on a Dockerfile before and after optimization.
 *
 * The figures, all read from the IR (no build runs):
 *   stages             FROM instructions
 *   instructions       instructions in the file (ONBUILD and its trigger count as one)
 *   layers             RUN, COPY and ADD instructions: each makes a filesystem layer
 *   after_context_copy instructions that follow the first COPY/ADD of the whole build context
 *                      (source `.` or `*`, no --from) in their stage, summed over stages: they
 *                      rerun whenever any file of the context changes (the cache-busting distance)
 *   installs           package installs (apt-get/apt, apk, dnf/yum/microdnf, zypper, pip, npm,
 *                      yarn) in a RUN that does not also clean that manager's cache after them
 *   copies             with a build context: the files and bytes each COPY/ADD brings in from it
 *                      (.dockerignore and --exclude applied)
 *
 * Everything a stats_collect allocates lives in the document's arena.
 */
#ifndef DF_STATS_H
#define DF_STATS_H

#include "internal.h"

typedef struct stats_install {
    size_t line;           /* of the RUN, in the document as it prints */
    const char *manager;   /* "apt-get", "apk", "pip", ... */
    df_slice *packages;    /* the names given on the command line (none for `npm ci`, -r ...) */
    size_t npackages;
} stats_install;

typedef struct stats_copy {
    size_t line;
    df_slice text;         /* the instruction's logical line */
    size_t files;
    unsigned long long bytes;
    bool complete;         /* false when a source could not be read (variables, a URL, more than
                            * the walk limit): the figures are a lower bound */
} stats_copy;

typedef struct df_stats {
    size_t stages, instructions, layers;
    size_t context_copy_line; /* line of the first whole-context COPY, 0 when there is none */
    size_t after_context_copy;
    stats_install *installs;
    size_t ninstalls;
    stats_copy *copies;       /* NULL when there is no context */
    size_t ncopies;
} df_stats;

/* Computes the figures of doc as it is now. context_dir, when not NULL, is the build context
 * whose files COPY sources are measured against. */
void stats_collect(df_doc *doc, const char *context_dir, df_stats *out);

/* The report for one file: a small before/after table, the passes that fired, then the installs
 * still without cleanup and (with a context) the copies, at their lines in the optimized file. */
void stats_print_text(df_buf *out, const char *file, const df_stats *before,
                      const df_stats *after, const char *const *fired, size_t nfired);

/* The same as one JSON object (one line):
 *   {"file", "passes_fired": [names], "before": S, "after": S} where S is
 *   {"stages", "instructions", "layers", "context_copy_line" (null when none),
 *    "after_context_copy", "installs_without_cleanup": [{"line", "manager", "packages"}],
 *    "copies": [{"line", "instruction", "files", "bytes", "complete"}] (only with a context)} */
void stats_print_json(df_buf *out, const char *file, const df_stats *before,
                      const df_stats *after, const char *const *fired, size_t nfired);

#endif
