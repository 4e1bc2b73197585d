# The stage FROM builds on is chosen by a build argument: `--build-arg MODE=debug` needs
# build-debug, so every stage stays.
ARG MODE=release

FROM alpine:3.20 AS build-debug
RUN echo debug > /mode

FROM alpine:3.20 AS build-release
RUN echo release > /mode

FROM build-${MODE} AS final
CMD ["cat", "/mode"]
