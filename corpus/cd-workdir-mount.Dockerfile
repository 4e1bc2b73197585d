# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
# refused: /src exists only while the RUN runs (a mount point); WORKDIR would create it
RUN --mount=type=bind,target=/src cd /src && make install
WORKDIR /app
# refused: the mount point inside /build may be what created /build
RUN --mount=type=cache,target=/build/cache cd /build && make
WORKDIR /app
# rewritten: the mount is elsewhere
RUN --mount=type=cache,target=/root/.cache cd /usr/src/app && make
WORKDIR /app
