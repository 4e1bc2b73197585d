# syntax=docker/dockerfile:1
# The index is a cache mount, or a later RUN still reads it: apk update stays.
FROM alpine:3.19
RUN --mount=type=cache,target=/etc/apk/cache apk update && apk add curl
ENV STEP=1
RUN apk update && apk add --no-cache jq
ENV STEP=2
RUN apk search -v 'py3-*' > /packages.txt
CMD ["jq", "--version"]
