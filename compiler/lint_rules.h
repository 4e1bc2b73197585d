/*
 * lint_rules.h: the one table of `dfopt lint` rules (see lint.h for the columns).
 *
 * IDs are stable: a rule keeps its number forever, a retired number is not reused. DF0xx are
 * checks without an automatic fix (lint_checks.c); DF1xx report what a pass would change and
 * carry the pass's exact edit as their fix. Every pass in pipeline.c should have a DF1xx row
 * named after it (tests/lint.sh checks), after DF100 (lint_rule_for_pass looks only there); a
 * pass without one reports under DF100. A check whose
 * rule shares a hadolint code or BuildKit name with a pass's rule is dropped where that pass's
 * fix covers it (the pass said it better, with a fix); where the pass refuses, the check
 * still reports.
 */
#ifndef DF_LINT_RULES_H
#define DF_LINT_RULES_H

/* clang-format off */
#define LINT_RULES(X) \
X(PARSE_ERROR, "DF000", "parse-error", SEV_ERROR, 0, "", "", \
  "the file does not parse", \
  "The Dockerfile does not parse as BuildKit's parser reads it; the message says where and\n" \
  "why. No other rule runs on a file that does not parse.\n") \
X(BASE_UNTAGGED, "DF001", "base-image-untagged", SEV_WARNING, 0, "DL3006", "", \
  "base image without a tag or digest", \
  "FROM names an image without a tag or digest, so it means `latest` today and something else\n" \
  "tomorrow. Pin a version tag, or better a digest.\n" \
  "  FROM ubuntu            ->  FROM ubuntu:24.04\n" \
  "Not reported for `scratch`, for earlier stages, or when the name comes from an ARG.\n") \
X(BASE_LATEST, "DF002", "base-image-latest", SEV_WARNING, 0, "DL3007", "", \
  "base image with the 'latest' tag", \
  "`:latest` moves whenever the image is republished; builds stop being reproducible.\n" \
  "  FROM node:latest       ->  FROM node:22.11-bookworm\n" \
  "A digest after the tag (`node:latest@sha256:...`) pins it and is not reported.\n") \
X(SECRET_ARG_ENV, "DF003", "secret-in-arg-env", SEV_WARNING, 0, "", "SecretsUsedInArgOrEnv", \
  "ARG or ENV name looks like a secret", \
  "ARG and ENV values are stored in the image's history and configuration: anyone who can\n" \
  "pull the image can read them. A name with a word such as key, token, secret, password,\n" \
  "passwd, pword, auth, apikey or credential(s) between underscores is reported (BuildKit's\n" \
  "rule; a `public` word exempts it). Pass secrets with a secret mount instead:\n" \
  "  RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n") \
X(COPY_FROM_UNKNOWN, "DF004", "copy-from-unknown-stage", SEV_WARNING, 0, "DL3022", "", \
  "COPY --from names no earlier stage", \
  "`COPY --from=NAME` where NAME is no earlier stage (nor a stage index) is read by BuildKit as\n" \
  "an image name and pulled from a registry; usually it is a typo for a stage name. Names that\n" \
  "look like image references (with '/', ':', '@' or '.') and variables are not reported.\n") \
X(COPY_FROM_SELF, "DF005", "copy-from-own-stage", SEV_ERROR, 0, "DL3023", "", \
  "COPY --from names its own stage", \
  "A stage cannot copy from itself: the build fails with a dependency cycle.\n") \
X(USER_MISSING, "DF006", "final-user-missing", SEV_INFO, 0, "", "", \
  "the final stage sets no USER", \
  "The image's default user is whatever the base image set, often root. Add a USER with an\n" \
  "unprivileged account to the final stage. Not reported when the base image or an earlier\n" \
  "stage it builds on sets a USER, or the base image's name says `nonroot`.\n") \
X(USER_ROOT, "DF007", "final-user-root", SEV_WARNING, 0, "DL3002", "", \
  "the final stage's last USER is root", \
  "Containers from this image run as root by default. Switch to an unprivileged user after the\n" \
  "steps that need root:\n" \
  "  USER root ... RUN apt-get install ... USER app\n") \
X(ADD_NO_CHECKSUM, "DF008", "add-remote-without-checksum", SEV_WARNING, 0, "", "", \
  "ADD of a remote file without --checksum", \
  "`ADD https://...` downloads whatever the server returns at build time. Pin the content:\n" \
  "  ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /opt/\n" \
  "Git sources (`.git` URLs) are not reported.\n") \
X(ADD_LOCAL, "DF009", "add-instead-of-copy", SEV_INFO, 0, "DL3020", "", \
  "ADD of local files; use COPY", \
  "ADD also extracts local archives and fetches URLs; for plain files and directories COPY\n" \
  "says exactly what happens. Not reported when a source looks like an archive (.tar, .tgz,\n" \
  ".tar.gz, .xz, .bz2, .zst ...), is a URL, or uses a variable.\n") \
X(CURL_PIPE_SH, "DF010", "curl-pipe-shell", SEV_WARNING, 0, "", "", \
  "a download piped into a shell", \
  "`curl ... | sh` runs whatever the server sends, unverified, and a truncated download runs\n" \
  "half a script. Download to a file, check its checksum, then run it.\n") \
X(PKG_UPGRADE, "DF011", "package-upgrade", SEV_WARNING, 0, "DL3005,DL3035", "", \
  "a distribution upgrade inside the image", \
  "`apt-get upgrade`, `dist-upgrade`, `apk upgrade`, `dnf/yum upgrade` and `zypper dist-upgrade`\n" \
  "make the image depend on the day it was built. Use a newer base image tag instead.\n") \
X(SUDO, "DF012", "sudo-in-run", SEV_WARNING, 0, "DL3004", "", \
  "sudo in RUN", \
  "RUN already runs as the current USER; sudo adds a setuid binary and unpredictable TTY and\n" \
  "environment behaviour. Switch with USER root ... USER app instead.\n") \
X(CD_IN_RUN, "DF013", "cd-in-run", SEV_STYLE, 0, "DL3003", "", \
  "cd in RUN; use WORKDIR", \
  "A `cd` lasts for one RUN only. WORKDIR sets the directory for every later instruction and\n" \
  "documents it. A `cd` in a subshell or in a compound command is not reported.\n") \
X(WORKDIR_RELATIVE, "DF014", "workdir-relative", SEV_WARNING, 0, "DL3000", "WorkdirRelativePath", \
  "relative WORKDIR before any absolute one", \
  "A relative WORKDIR is resolved against the base image's working directory, which can change\n" \
  "when the base image does. Use an absolute path (or set one earlier in the stage).\n") \
X(MULTIPLE_CMD, "DF015", "multiple-cmd", SEV_WARNING, 0, "DL4003", "MultipleInstructionsDisallowed", \
  "more than one CMD in a stage", \
  "Only the last CMD of a stage takes effect; the earlier ones are dead code.\n") \
X(MULTIPLE_ENTRYPOINT, "DF016", "multiple-entrypoint", SEV_WARNING, 0, "DL4004", \
  "MultipleInstructionsDisallowed", \
  "more than one ENTRYPOINT in a stage", \
  "Only the last ENTRYPOINT of a stage takes effect; the earlier ones are dead code.\n") \
X(MULTIPLE_HEALTHCHECK, "DF017", "multiple-healthcheck", SEV_WARNING, 0, "DL3012", \
  "MultipleInstructionsDisallowed", \
  "more than one HEALTHCHECK in a stage", \
  "Only the last HEALTHCHECK of a stage takes effect; the earlier ones are dead code.\n") \
X(JSON_ARGS, "DF018", "json-args-recommended", SEV_WARNING, 0, "DL3025", "JSONArgsRecommended", \
  "CMD or ENTRYPOINT in shell form", \
  "In shell form the program runs under /bin/sh -c, so it is not PID 1 and does not receive\n" \
  "SIGTERM on `docker stop`. Use the exec (JSON) form:\n" \
  "  CMD node server.js     ->  CMD [\"node\", \"server.js\"]\n" \
  "Not reported in a stage that sets SHELL (as BuildKit).\n") \
X(STAGE_NAME_CASING, "DF019", "stage-name-casing", SEV_WARNING, 0, "", "StageNameCasing", \
  "stage name is not lower case", \
  "Stage names are compared without case, and image references are lower case; BuildKit\n" \
  "recommends lower-case stage names.\n") \
X(FROM_AS_CASING, "DF020", "from-as-casing", SEV_WARNING, 0, "", "FromAsCasing", \
  "the case of AS does not match FROM", \
  "`FROM image as name` (or `from image AS name`): write the keywords in the same case.\n") \
X(INSTRUCTION_CASING, "DF021", "consistent-instruction-casing", SEV_WARNING, 0, "", \
  "ConsistentInstructionCasing", \
  "instruction keyword in a different case than the others", \
  "Keywords work in any case, but mixing cases is hard to read. The case used by most\n" \
  "instructions of the file is taken as the convention.\n") \
X(FROM_PLATFORM_CONST, "DF022", "from-platform-constant", SEV_WARNING, 0, "DL3029", \
  "FromPlatformFlagConstDisallowed", \
  "FROM --platform with a constant value", \
  "A constant --platform pins one architecture and makes multi-platform builds produce the\n" \
  "same image for every target. Use $BUILDPLATFORM or $TARGETPLATFORM, or drop the flag.\n") \
X(REDUNDANT_TARGET_PLATFORM, "DF023", "redundant-target-platform", SEV_INFO, 0, "", \
  "RedundantTargetPlatform", \
  "FROM --platform=$TARGETPLATFORM is the default", \
  "A stage is built for the target platform unless told otherwise; the flag changes nothing.\n") \
X(APT_NO_YES, "DF024", "apt-get-missing-yes", SEV_WARNING, 0, "DL3014", "", \
  "apt-get install without -y", \
  "Without -y (or --yes, --assume-yes, -qq) apt-get asks for confirmation and the build stops\n" \
  "when it needs to install more than asked.\n") \
X(PIP_NO_CACHE, "DF025", "pip-no-cache-dir", SEV_INFO, 0, "DL3042", "", \
  "pip install without --no-cache-dir", \
  "pip keeps downloaded wheels in ~/.cache/pip, which ends up in the layer. Add\n" \
  "--no-cache-dir, set PIP_NO_CACHE_DIR, or use a cache mount (RUN --mount=type=cache).\n") \
X(APT_NO_RECOMMENDS, "DF026", "apt-get-install-recommends", SEV_INFO, 0, "DL3015", "", \
  "apt-get install without --no-install-recommends", \
  "Recommended packages are installed by default and often double the image. Add\n" \
  "--no-install-recommends and list what you need.\n") \
X(APT_LISTS, "DF027", "apt-lists-not-removed", SEV_INFO, 0, "DL3009", "", \
  "apt-get lists left in the layer", \
  "`apt-get update` downloads package lists (tens of MB) into /var/lib/apt/lists; remove them\n" \
  "in the same RUN (`rm -rf /var/lib/apt/lists/*`) or use a cache mount on /var/lib/apt.\n") \
X(APK_NO_CACHE, "DF028", "apk-add-no-cache", SEV_INFO, 0, "DL3019", "", \
  "apk add without --no-cache", \
  "apk keeps its index in /var/cache/apk; `apk add --no-cache` leaves nothing behind.\n") \
X(APT_VS_APT_GET, "DF029", "apt-instead-of-apt-get", SEV_WARNING, 0, "DL3027", "", \
  "apt in RUN; use apt-get", \
  "`apt` is meant for people at a terminal; its command-line interface is not stable. Use\n" \
  "apt-get or apt-cache in scripts.\n") \
X(RPM_NO_YES, "DF030", "rpm-install-missing-yes", SEV_WARNING, 0, "DL3030,DL3038,DL3034", "", \
  "yum/dnf/zypper install without a non-interactive flag", \
  "yum, dnf and microdnf need -y, zypper needs -n (or -y on install); otherwise they ask for\n" \
  "confirmation and the build fails.\n") \
X(RPM_NO_CLEAN, "DF031", "rpm-cache-not-cleaned", SEV_INFO, 0, "DL3032,DL3040,DL3036", "", \
  "yum/dnf/zypper install without cleaning the cache", \
  "Add `yum clean all`, `dnf clean all` or `zypper clean` to the same RUN, or use a cache\n" \
  "mount, so package metadata does not stay in the layer.\n") \
X(APT_PIN, "DF032", "apt-get-unpinned", SEV_INFO, LR_OFF, "DL3008", "", \
  "apt-get install of a package without a version", \
  "Off by default. Pinning (`curl=7.88.1-10+deb12u5`) makes builds reproducible, at the price\n" \
  "of breaking when the archive drops the version.\n") \
X(APK_PIN, "DF033", "apk-add-unpinned", SEV_INFO, LR_OFF, "DL3018", "", \
  "apk add of a package without a version", \
  "Off by default. Pin with `pkg=1.2.3-r0` or `pkg~1.2`.\n") \
X(PIP_PIN, "DF034", "pip-unpinned", SEV_INFO, LR_OFF, "DL3013", "", \
  "pip install of a package without a version", \
  "Off by default. Pin with `pkg==1.2.3` or install from a requirements/lock file.\n") \
X(NPM_PIN, "DF035", "npm-unpinned", SEV_INFO, LR_OFF, "DL3016", "", \
  "npm install of a package without a version", \
  "Off by default. Pin with `pkg@1.2.3`; `npm ci` installs the lock file.\n") \
X(GEM_PIN, "DF036", "gem-unpinned", SEV_INFO, LR_OFF, "DL3028", "", \
  "gem install without a version", \
  "Off by default. Pin with `gem install pkg:1.2.3` or `-v 1.2.3`.\n") \
X(EXPOSE_PORT, "DF037", "expose-invalid-port", SEV_ERROR, 0, "DL3011", "", \
  "EXPOSE of a port outside 0-65535", \
  "Ports are 16-bit numbers; the build fails on anything else.\n") \
X(EXPOSE_FORMAT, "DF038", "expose-invalid-format", SEV_WARNING, 0, "", "ExposeInvalidFormat", \
  "EXPOSE with an IP address or host port", \
  "EXPOSE documents container ports only; `EXPOSE 127.0.0.1:80:80` or `8080:80` mixes in\n" \
  "publishing, which belongs to `docker run -p`.\n") \
X(EXPOSE_PROTO_CASING, "DF039", "expose-proto-casing", SEV_WARNING, 0, "", "ExposeProtoCasing", \
  "EXPOSE protocol not in lower case", \
  "Write `80/tcp`, `53/udp`: the protocol is lower case.\n") \
X(DUPLICATE_STAGE, "DF040", "duplicate-stage-name", SEV_ERROR, 0, "DL3024", "DuplicateStageName", \
  "two stages with the same name", \
  "Stage names (compared without case) must be unique; BuildKit rejects the file.\n") \
X(RESERVED_STAGE, "DF041", "reserved-stage-name", SEV_ERROR, 0, "", "ReservedStageName", \
  "reserved stage name", \
  "`scratch` and `context` are reserved words and cannot name a stage.\n") \
X(LEGACY_KV, "DF042", "legacy-key-value-format", SEV_WARNING, 0, "", "LegacyKeyValueFormat", \
  "ENV or LABEL in the legacy `key value` form", \
  "`ENV key value` sets one variable to the rest of the line; it is deprecated and easy to\n" \
  "misread. Write `ENV key=value`.\n") \
X(UNDEFINED_ARG_IN_FROM, "DF043", "undefined-arg-in-from", SEV_WARNING, 0, "", "UndefinedArgInFrom", \
  "FROM uses a variable no global ARG declares", \
  "Only ARGs declared before the first FROM (and the predefined platform ARGs) can be used in\n" \
  "FROM; anything else expands to nothing.\n") \
X(INVALID_DEFAULT_ARG, "DF044", "invalid-default-arg-in-from", SEV_WARNING, 0, "", \
  "InvalidDefaultArgInFrom", \
  "FROM is not a valid image reference with the ARG defaults", \
  "With the default values of the global ARGs the base image reference is empty or malformed\n" \
  "(`image:` or `image@`), so a build without --build-arg fails. Give the ARG a default.\n") \
X(EMPTY_CONTINUATION, "DF045", "empty-continuation", SEV_WARNING, 0, "", "NoEmptyContinuation", \
  "empty line inside a continuation", \
  "An empty line after a line ending in the escape character does not end the instruction;\n" \
  "this is deprecated and will become an error. Remove the empty line.\n") \
X(PIPEFAIL, "DF046", "pipe-without-pipefail", SEV_WARNING, 0, "DL4006", "", \
  "RUN with a pipe but without pipefail", \
  "A pipeline's status is its last command's: `wget ... | tar x` succeeds when wget fails. Set\n" \
  "`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or start the script with\n" \
  "`set -o pipefail &&`.\n") \
X(WGET_AND_CURL, "DF047", "wget-and-curl", SEV_INFO, 0, "DL4001", "", \
  "both wget and curl are used", \
  "Two download tools where one does; pick one and install only that.\n") \
X(WGET_PROGRESS, "DF048", "wget-without-progress", SEV_INFO, 0, "DL3047", "", \
  "wget without --progress or -q", \
  "wget's default progress bar floods build logs; use `--progress=dot:giga` or -q/-nv.\n") \
X(COPY_DEST_SLASH, "DF049", "copy-dest-not-directory", SEV_ERROR, 0, "DL3021", "", \
  "COPY of several sources to a destination without a trailing /", \
  "With more than one source the destination must be a directory ending in '/'; the build\n" \
  "fails otherwise.\n") \
X(SHELL_SYMLINK, "DF050", "sh-replaced-by-symlink", SEV_WARNING, 0, "DL4005", "", \
  "/bin/sh replaced in RUN; use SHELL", \
  "Linking /bin/sh to another shell changes it for every program in the image. Use the\n" \
  "SHELL instruction to change the shell RUN uses.\n") \
X(INSTRUCTION_ORDER, "DF051", "instruction-before-from", SEV_ERROR, 0, "DL3061", "", \
  "instruction before the first FROM", \
  "Only ARG (and comments and parser directives) may come before the first FROM.\n") \
X(ONBUILD_FORBIDDEN, "DF052", "onbuild-forbidden", SEV_ERROR, 0, "DL3043", "", \
  "ONBUILD with FROM, ONBUILD or MAINTAINER", \
  "BuildKit rejects these as ONBUILD triggers.\n") \
X(ENV_SELF_REF, "DF053", "env-self-reference", SEV_ERROR, 0, "DL3044", "", \
  "ENV refers to a variable set in the same ENV", \
  "All values of one ENV are expanded before any is set, so `ENV A=1 B=$A` gives B the old\n" \
  "value of A (usually empty). Use two ENV instructions.\n") \
X(COPY_RELATIVE_DEST, "DF054", "copy-relative-dest", SEV_WARNING, 0, "DL3045", "", \
  "COPY to a relative destination without a WORKDIR", \
  "A relative destination is resolved against the base image's working directory. Set WORKDIR\n" \
  "first or use an absolute path.\n") \
X(LABEL_KEY, "DF055", "label-invalid-key", SEV_STYLE, 0, "DL3048", "", \
  "label key is not a valid lower-case reverse-DNS key", \
  "Label keys should be lower-case letters, digits, '.' and '-', starting and ending with a\n" \
  "letter or digit, and should not use the reserved com.docker., io.docker. and\n" \
  "org.dockerproject. namespaces.\n") \
X(UNTRUSTED_REGISTRY, "DF056", "untrusted-registry", SEV_WARNING, 0, "DL3026", "", \
  "base image from a registry that is not trusted", \
  "Reported only when `trusted-registries` is set in .dfopt.yaml: the base image's registry\n" \
  "(docker.io when none is written) must be one of them. Stages and scratch are exempt.\n") \
X(POINTLESS_CMD, "DF057", "pointless-command", SEV_INFO, 0, "DL3001", "", \
  "interactive or system command in RUN", \
  "ssh, vim, shutdown, service, ps, free, top, kill, mount and ifconfig make no sense while\n" \
  "building an image.\n") \
X(PASS_GENERIC, "DF100", "pass", SEV_STYLE, LR_PASS, "", "", \
  "an optimization pass rewrites this", \
  "A pass of the optimizer that has no rule of its own would rewrite these lines; the fix is\n" \
  "its exact edit. `dfopt --explain PASS` describes the pass named in the message.\n") \
X(MAINTAINER, "DF101", "maintainer", SEV_WARNING, LR_PASS, "DL4000", "MaintainerDeprecated", \
  "MAINTAINER is deprecated; use LABEL maintainer=...", NULL) \
X(ADD_TO_COPY, "DF102", "add-to-copy", SEV_INFO, LR_PASS, "DL3020", "", \
  "ADD of local files; COPY does exactly that", NULL) \
X(CD_WORKDIR, "DF103", "cd-workdir", SEV_STYLE, LR_PASS, "DL3003", "", \
  "cd at the start of RUN; WORKDIR says it once", NULL) \
X(DEAD_STAGE, "DF104", "dead-stage", SEV_INFO, LR_PASS, "", "", \
  "stage that the build target does not need", NULL) \
X(ENV_FORM, "DF105", "env-form", SEV_WARNING, LR_PASS, "", "LegacyKeyValueFormat", \
  "legacy `key value` form; write key=value", NULL) \
X(WORKDIR_ABS, "DF106", "workdir-abs", SEV_STYLE, LR_PASS, "", "", \
  "relative WORKDIR whose absolute path is known", NULL) \
X(MULTISTAGE, "DF107", "multistage", SEV_INFO, LR_PASS, "", "", \
  "one stage builds and runs; a build stage keeps the tools out of the image", NULL) \
X(COPY_CHOWN, "DF108", "copy-chown", SEV_INFO, LR_PASS, "", "", \
  "RUN chown/chmod of copied files; COPY --chown/--chmod saves the layer", NULL) \
X(HOIST, "DF109", "hoist", SEV_STYLE, LR_PASS, "", "", \
  "RUN after a COPY it does not read; above it, it stays cached", NULL) \
X(COPY_ORDER, "DF110", "copy-order", SEV_INFO, LR_PASS, "", "", \
  "whole source copied before the dependency install; copy the manifests first", NULL) \
X(MERGE_RUN, "DF111", "merge-run", SEV_STYLE, LR_PASS, "DL3059", "", \
  "consecutive RUNs; one RUN makes one layer", NULL) \
X(PKG_HYGIENE, "DF112", "pkg-hygiene", SEV_INFO, LR_PASS, \
  "DL3009,DL3014,DL3015,DL3019,DL3027,DL3030,DL3032,DL3034,DL3036,DL3038,DL3040,DL3042", "", \
  "package install without its cleanup or non-interactive flag in the same RUN", NULL) \
X(LATE_METADATA, "DF113", "late-metadata", SEV_STYLE, LR_PASS, "", "", \
  "build-varying metadata before expensive steps invalidates their cache", NULL) \
X(ENV_MERGE, "DF114", "env-merge", SEV_STYLE, LR_PASS, "", "", \
  "adjacent ENV instructions; one is enough", NULL) \
X(LABEL_MERGE, "DF115", "label-merge", SEV_STYLE, LR_PASS, "", "", \
  "adjacent LABEL instructions; one is enough", NULL) \
X(DUP_CONFIG, "DF116", "dup-config", SEV_WARNING, LR_PASS, "DL4003,DL4004,DL3012", \
  "MultipleInstructionsDisallowed", \
  "CMD/ENTRYPOINT/HEALTHCHECK that a later one in the stage overrides", NULL) \
X(EXEC_FORM, "DF117", "exec-form", SEV_WARNING, LR_PASS, "DL3025", "JSONArgsRecommended", \
  "shell-form CMD/ENTRYPOINT; the JSON form makes the program PID 1", NULL) \
X(KEYWORD_CASE, "DF118", "keyword-case", SEV_WARNING, LR_PASS, "", \
  "ConsistentInstructionCasing,FromAsCasing", \
  "keyword case differs from the file's majority", NULL) \
X(HEREDOC_FORM, "DF119", "heredoc-form", SEV_STYLE, LR_PASS, "", "", \
  "a merged RUN that --heredoc writes as a heredoc", NULL)
/* clang-format on */

#endif
