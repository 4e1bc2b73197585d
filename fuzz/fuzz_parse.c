/*
 * fuzz_parse: the parser on arbitrary bytes.
 *
 * Parses the input; when it parses, renders the BuildKit dump, the JSON IR and the Dockerfile
 * text, and requires the text to be the input byte for byte (the lossless round trip); when it
 * does not, requires at least one error and renders the diagnostics. Sanitizers catch the rest
 * (out-of-bounds reads on the unterminated input, leaks, undefined behaviour); the IR checker
 * checks what the parser built.
 */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", src, size, d);
    if (doc) {
        ir_check(doc, "parse"); /* dies on an inconsistency */
        size_t n;
        char *out = df_doc_dump(doc, &n);
        free(out);
        out = df_doc_json(doc, &n);
        free(out);
        out = df_doc_print(doc, &n);
        if (n != size || memcmp(out, src, size) != 0)
            fuzz_fail("parse: printing the parsed document does not give the input back");
        free(out);
    } else if (df_diags_errors(d) == 0) {
        fuzz_fail("parse: failed without reporting an error");
    }
    df_buf b = {0};
    diag_render(d, &b, false);
    diag_render(d, &b, true);
    buf_free(&b);
    df_doc_free(doc);
    df_diags_free(d);
    return 0;
}
