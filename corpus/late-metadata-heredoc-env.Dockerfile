# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
ARG V
ENV E=$V
# the heredoc body expands $E: the ENV stays above it
COPY <<EOF /v.txt
$E
EOF
RUN mkdir -p /data
