# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
ARG BUILD_DATE
# a quoted delimiter: the body is literal, so the ARG moves down to its use
COPY <<"EOF" /notes.txt
$BUILD_DATE
EOF
RUN mkdir -p /data
LABEL org.opencontainers.image.created=$BUILD_DATE
