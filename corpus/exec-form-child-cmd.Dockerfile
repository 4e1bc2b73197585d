FROM alpine:3.20 AS other
# rewritten: no stage built on this one sets CMD
ENTRYPOINT /usr/local/bin/worker --queue jobs

FROM other AS other-child
RUN echo child > /etc/child

FROM nginx:1.27 AS base
# refused: a stage built on this one sets CMD, which the exec form would pass to nginx
ENTRYPOINT nginx

FROM base AS mid
COPY --from=other-child /etc/child /etc/child

FROM mid
CMD ["-g", "daemon off;"]
