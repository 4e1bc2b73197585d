# An instruction between two RUNs changes their environment: nothing merges.
FROM debian:bookworm-slim
ARG VERSION=1.0
RUN mkdir -p /app && echo "$VERSION" > /app/VERSION
WORKDIR /app
RUN touch created-in-app
USER nobody
RUN id -u > /tmp/uid
ENV MODE=production
RUN echo "$MODE" > /tmp/mode
