/*
 * fuzz_pipeline: parse, optimize, print, re-parse, on arbitrary bytes.
 *
 * For an input that parses, every property below must hold (a violation aborts):
 *   -O0      printing without passes gives the input back byte for byte;
 *   -O1      the output parses and gives the last stage the same image configuration
 *            (config.c); without dead-stage (the one -O1 pass meant to remove stages: unused
 *            ones) it also has as many stages; optimizing the output again changes nothing;
 *   -O2      the output parses; optimizing it again at -O2 changes nothing; running every
 *            pass on every stage in each round gives the same output as running the passes
 *            that work stage by stage only on the stages changed since their last run;
 *   passes   report no error on a document that parsed, and the IR checker (run after every
 *            pass) finds nothing;
 *   parts    cut wherever segment.c may cut it, optimized part by part (in this process), the
 *            document gives the same output as whole (-O1 without dead-stage, -O2).
 */
#include "fuzz.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

typedef struct result {
    char *text;
    size_t len;
    char *config;
} result;

/* Parses src, optimizes at level (without the passes in skip), prints. Returns false when src
 * does not parse. */
static bool run(const char *what, const char *src, size_t len, int level, const char *skip,
                result *r)
{
    df_diags *d = df_diags_new();
    df_doc *doc = df_doc_parse("Dockerfile", src, len, d);
    if (!doc) {
        df_diags_free(d);
        return false;
    }
    r->config = fuzz_config(doc);
    df_options o = {.level = level, .skip = skip, .check = true};
    size_t errors = df_diags_errors(d);
    if (df_doc_optimize(doc, &o, d) < 0)
        fuzz_fail("%s: df_doc_optimize failed at -O%d", what, level);
    if (df_diags_errors(d) != errors) {
        df_buf b = {0};
        diag_render(d, &b, false);
        fuzz_fail("%s: a pass reported an error at -O%d:\n%s", what, level, b.p);
    }
    r->text = df_doc_print(doc, &r->len);
    df_doc_free(doc);
    df_diags_free(d);
    return true;
}

static void result_free(result *r)
{
    free(r->text);
    free(r->config);
}

static bool same(const result *a, const result *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* The output of `level` re-parses and is a fixed point of `level`; returns its config. */
static char *settled(const result *out, int level, const char *skip)
{
    result again = {0};
    if (!run("re-parse", out->text, out->len, level, skip, &again))
        fuzz_fail("-O%d: the output does not parse:\n%s", level, out->text);
    if (!same(out, &again))
        fuzz_fail("-O%d: optimizing the output again changed it:\n--- once\n%s--- twice\n%s",
                  level, out->text, again.text);
    char *config = again.config;
    again.config = NULL;
    result_free(&again);
    return config;
}

/* Optimized in parts of one byte (every cut segment.c may make), src gives what it gives
 * whole. */
static void parts_same(const char *src, size_t size, int level, const char *skip,
                       const result *whole)
{
    df_options o = {.level = level, .skip = skip, .check = true};
    seg_plan plan;
    if (!segment_plan("Dockerfile", src, size, &o, 1, &plan))
        return;
    char *out;
    size_t len;
    df_buf diags = {0};
    int status = segment_run("Dockerfile", src, NULL, &plan, &o, false, &out, &len, &diags);
    size_t parts = plan.n;
    segment_plan_free(&plan);
    if (status != 0 || len != whole->len || memcmp(out, whole->text, len) != 0)
        fuzz_fail("-O%d%s%s: %zu parts give another output (status %d):\n--- whole\n%s--- parts\n"
                  "%s", level, skip ? " --skip=" : "", skip ? skip : "", parts, status,
                  whole->text, out);
    free(out);
    buf_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    setenv("DFOPT_JOBS", "1", 0); /* the parts in this process: no fork under the fuzzer */
    result o0 = {0}, o1 = {0}, o1s = {0}, o2 = {0};
    if (!run("input", src, size, 0, NULL, &o0))
        return 0;
    if (o0.len != size || memcmp(o0.text, src, size) != 0)
        fuzz_fail("-O0: the output is not the input");

    /* the config text starts with the stage count line */
    const char *config0 = strchr(o0.config, '\n') + 1;
    run("input", src, size, 1, NULL, &o1);
    char *config1 = settled(&o1, 1, NULL);
    if (strcmp(config0, strchr(config1, '\n') + 1) != 0)
        fuzz_fail("-O1 changed the final image configuration:\n--- input\n%s--- -O1\n%s",
                  o0.config, config1);
    free(config1);

    run("input", src, size, 1, "dead-stage", &o1s);
    config1 = settled(&o1s, 1, "dead-stage");
    parts_same(src, size, 1, "dead-stage", &o1s);
    if (strcmp(o0.config, config1) != 0)
        fuzz_fail("-O1 --skip=dead-stage changed the stage count or the final image "
                  "configuration:\n--- input\n%s--- -O1\n%s", o0.config, config1);
    free(config1);

    /* the changed stages only in any document of two stages or more, so that small inputs
     * try it; then every stage */
    optimize_walk(WALK_CHANGED_STAGES);
    run("input", src, size, 2, NULL, &o2);
    free(settled(&o2, 2, NULL));
    result all = {0};
    optimize_walk(WALK_EVERY_STAGE);
    run("input", src, size, 2, NULL, &all);
    optimize_walk(WALK_DEFAULT);
    parts_same(src, size, 2, NULL, &all);
    if (!same(&o2, &all))
        fuzz_fail("-O2: passes on the changed stages only differ from passes on every "
                  "stage:\n--- changed stages\n%s--- every stage\n%s", o2.text, all.text);
    result_free(&all);

    result_free(&o0);
    result_free(&o1);
    result_free(&o1s);
    result_free(&o2);
    return 0;
}
