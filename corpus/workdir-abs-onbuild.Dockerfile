FROM debian:bookworm-slim AS base
WORKDIR /srv
ONBUILD WORKDIR /x
# the trigger runs first in a child stage: it starts in /x, not /srv
FROM base
# refused: really /x/app
WORKDIR app
# refused: the working directory is unknown, so `cd /srv` cannot be shown to be a no-op
RUN cd /srv && make
COPY a b
