# syntax=docker/dockerfile:1
# The apt caches are cache mounts on purpose: only -y is added.
FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install curl
CMD ["curl", "--version"]
