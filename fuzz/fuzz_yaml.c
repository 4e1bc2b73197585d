/*
 * fuzz_yaml: the YAML spec front end (`dfopt gen`) on arbitrary bytes.
 *
 * gen_spec loads the YAML, checks it against the spec, renders a Dockerfile, parses it and runs
 * -O1. Whatever the input, it must either succeed or report an error (never an internal one:
 * "the Dockerfile generated ... does not parse"). When it succeeds, the Dockerfile parses, is a
 * fixed point of -O1, and the way back (gen --from-dockerfile), when it succeeds, writes a spec
 * that gen_spec reads without error.
 */
#include "fuzz.h"
#include "../compiler/gen.h"

#include <string.h>

static bool internal_error(const df_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (strncmp(d->v[i].message, "internal error", 14) == 0)
            return true;
    return false;
}

/* Runs gen_spec; false with errors in d when the spec is refused. */
static bool spec_to_dockerfile(const char *what, const char *src, size_t len, df_buf *out)
{
    df_diags *d = df_diags_new();
    df_buf ignore = {0};
    bool has_ignore = false;
    bool ok = gen_spec("spec.yaml", src, len, d, out, &ignore, &has_ignore);
    if (internal_error(d)) {
        df_buf b = {0};
        diag_render(d, &b, false);
        fuzz_fail("%s: internal error:\n%s", what, b.p);
    }
    if (!ok && df_diags_errors(d) == 0)
        fuzz_fail("%s: refused without reporting an error", what);
    df_buf b = {0};
    diag_render(d, &b, false);
    buf_free(&b);
    buf_free(&ignore);
    df_diags_free(d);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    df_buf dockerfile = {0};
    if (!spec_to_dockerfile("gen", (const char *)data, size, &dockerfile)) {
        buf_free(&dockerfile);
        return 0;
    }
    const char *text = dockerfile.p ? dockerfile.p : "";
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", text, dockerfile.len, d);
    if (!doc) {
        fuzz_fail("gen: the Dockerfile it printed does not parse:\n%s", text);
        return 0; /* not reached; for analyzers that do not follow _Noreturn */
    }
    df_options o = {.level = 1, .check = true};
    if (df_doc_optimize(doc, &o, d) < 0 || df_diags_errors(d))
        fuzz_fail("gen: optimizing its Dockerfile reported an error:\n%s", text);
    size_t n;
    char *again = df_doc_print(doc, &n);
    if (n != dockerfile.len || memcmp(again, text, n) != 0)
        fuzz_fail("gen: its Dockerfile is not a fixed point of -O1:\n--- gen\n%s--- -O1\n%s",
                  text, again);
    free(again);
    df_doc_free(doc);

    /* the way back: a spec written by gen --from-dockerfile loads */
    doc = df_doc_parse("Dockerfile", text, dockerfile.len, d);
    df_buf spec = {0};
    if (doc && gen_from_dockerfile(doc, d, &spec)) {
        df_buf round = {0};
        if (!spec_to_dockerfile("gen of gen --from-dockerfile", spec.p ? spec.p : "", spec.len,
                                &round))
            fuzz_fail("gen --from-dockerfile wrote a spec gen refuses:\n%s", spec.p);
        buf_free(&round);
    }
    buf_free(&spec);
    df_doc_free(doc);
    df_diags_free(d);
    buf_free(&dockerfile);
    return 0;
}
