# syntax=docker/dockerfile:1
# Exec-form and heredoc RUNs are kept as they are.
FROM debian:bookworm-slim
RUN ["mkdir", "-p", "/opt/app"]
RUN touch /opt/app/ready
RUN <<EOF
set -e
echo one > /one
EOF
RUN echo two > /two
