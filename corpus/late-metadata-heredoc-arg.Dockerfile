# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
ARG VERSION
# the heredoc body expands $VERSION: the ARG stays above it
COPY <<EOF /etc/version
$VERSION
EOF
RUN ./configure --version=$VERSION
