# SHELL is bash (POSIX-like): RUNs merge as under /bin/sh.
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN mkdir -p /opt/tools
RUN curl -fsSL https://example.com/tools.tgz | tar -xz -C /opt/tools
ENV PATH=/opt/tools/bin:$PATH
