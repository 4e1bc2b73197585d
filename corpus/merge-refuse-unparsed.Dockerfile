# The sh model cannot read this script for sure (a case inside $(...)): nothing merges.
FROM alpine:3.19
RUN echo $(case "$(uname -m)" in x86_64) echo amd64;; *) echo other;; esac) > /arch
RUN cat /arch
