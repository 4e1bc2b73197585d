/* passes.h: the entry point of every pass (one per file in passes/); pipeline.c orders them. */
PASS(maintainer);
