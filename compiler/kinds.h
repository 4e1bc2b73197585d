/*
 * kinds.h: the one table of instruction kinds.
 *
 *   X(ID, keyword, argument rule, properties)
 *
 * The argument rule names the BuildKit line parser that splits the rest of the logical line
 * (see parser.c); the properties say what an instruction may carry. Every per-kind array or
 * switch in dfopt is generated from this table.
 */
#ifndef DF_KINDS_H
#define DF_KINDS_H

/* properties */
#define KP_HEREDOC 1u   /* may open heredocs (shell or list form, not JSON form) */
#define KP_STAGE 2u     /* changes the build environment of later RUNs (ENV, ARG, ...) */
#define KP_RUNTIME 4u   /* sets image configuration only */

#define DF_KINDS(X)                                                    \
    X(ADD, "add", RULE_JSON_OR_LIST, KP_HEREDOC)                       \
    X(ARG, "arg", RULE_NAME_OR_NAMEVAL, KP_STAGE)                      \
    X(CMD, "cmd", RULE_JSON_OR_STRING, KP_RUNTIME)                     \
    X(COPY, "copy", RULE_JSON_OR_LIST, KP_HEREDOC)                     \
    X(ENTRYPOINT, "entrypoint", RULE_JSON_OR_STRING, KP_RUNTIME)       \
    X(ENV, "env", RULE_ENV, KP_STAGE)                                  \
    X(EXPOSE, "expose", RULE_FIELDS, KP_RUNTIME)                       \
    X(FROM, "from", RULE_FIELDS, KP_STAGE)                             \
    X(HEALTHCHECK, "healthcheck", RULE_HEALTHCHECK, KP_RUNTIME)        \
    X(LABEL, "label", RULE_LABEL, KP_RUNTIME)                          \
    X(MAINTAINER, "maintainer", RULE_STRING, KP_RUNTIME)               \
    X(ONBUILD, "onbuild", RULE_SUBCOMMAND, KP_RUNTIME)                 \
    X(RUN, "run", RULE_JSON_OR_STRING, KP_HEREDOC)                     \
    X(SHELL, "shell", RULE_JSON_OR_STRING, KP_STAGE)                   \
    X(STOPSIGNAL, "stopsignal", RULE_STRING, KP_RUNTIME)               \
    X(USER, "user", RULE_STRING, KP_STAGE)                             \
    X(VOLUME, "volume", RULE_JSON_OR_LIST, KP_STAGE)                   \
    X(WORKDIR, "workdir", RULE_STRING, KP_STAGE)

#endif
