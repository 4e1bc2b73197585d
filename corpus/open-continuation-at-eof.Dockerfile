# The last RUN continues into the end of the file: BuildKit ends it there, but anything
# placed after it would join it, so dfopt leaves such a file as it is (the two RUNs are
# not merged).
FROM alpine:3.20
RUN apk add curl
RUN echo hi \
