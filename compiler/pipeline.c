/*
 * pipeline.c: the pass table, walked top to bottom by df_doc_optimize.
 *
 * level 1 passes keep the image's contents and behaviour; level 2 passes may change layer
 * contents or the package set and say how in their explanation.
 */
#include "internal.h"

#include <string.h>

const df_pass pipeline[] = {
    {"maintainer", 1, pass_maintainer_run,
     "MAINTAINER becomes LABEL maintainer=...",
     "maintainer (-O1)\n"
     "  Rewrites the deprecated MAINTAINER instruction as LABEL maintainer=\"...\", the form\n"
     "  BuildKit recommends. The image gets the same `maintainer` label either way... except\n"
     "  that MAINTAINER also sets the image's Author field, which LABEL does not; the pass\n"
     "  refuses when the value is empty or the instruction is inside ONBUILD.\n"
     "  Example:\n"
     "    MAINTAINER Jane Doe <jane@example.com>\n"
     "  becomes\n"
     "    LABEL maintainer=\"Jane Doe <jane@example.com>\"\n"},
};
const size_t pipeline_len = sizeof pipeline / sizeof pipeline[0];

const df_pass *pipeline_find(const char *name)
{
    for (size_t i = 0; i < pipeline_len; i++)
        if (strcmp(pipeline[i].name, name) == 0)
            return &pipeline[i];
    return NULL;
}

void df_passes_list(FILE *out)
{
    fprintf(out, "%-20s %-5s %s\n", "PASS", "LEVEL", "SUMMARY");
    for (size_t i = 0; i < pipeline_len; i++)
        fprintf(out, "%-20s -O%-3d %s\n", pipeline[i].name, pipeline[i].level,
                pipeline[i].summary);
}

const char *df_pass_explain(const char *name)
{
    const df_pass *p = pipeline_find(name);
    return p ? p->explain : NULL;
}
