/*
 * fuzz.h: what the fuzz harnesses in fuzz/ share.
 *
 * Each harness defines LLVMFuzzerTestOneInput. Built with clang's -fsanitize=fuzzer it is a
 * libFuzzer target (`make fuzz`); linked with replay.c instead it is a plain program that runs
 * the same checks once over each file named on its command line (`make test` replays the seeds
 * and tests/fuzz-regressions/ that way).
 *
 * A harness reports a broken property with fuzz_fail(), which prints the reason and aborts, so
 * libFuzzer records the input as a crash.
 */
#ifndef DF_FUZZ_H
#define DF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "../compiler/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

_Noreturn void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is s (n bytes) exactly one JSON value, strictly by RFC 8259 (strings valid UTF-8)? */
bool fuzz_json_valid(const char *s, size_t n);

/* The image configuration the document's last stage produces, as canonical text (env, labels,
 * cmd, entrypoint, user, workdir, ports, volumes, stop signal, healthcheck, shell, triggers),
 * preceded by the stage count. Two documents that build the same final image configuration give
 * the same text. Allocated with malloc. See config.c for the model. */
char *fuzz_config(const df_doc *doc);

#endif
