# the final stage mounts the lists from base: they must stay in base
FROM debian:12 AS base
RUN apt-get update && apt-get install -y a
FROM debian:12
RUN --mount=from=base,source=/var/lib/apt/lists,target=/var/lib/apt/lists apt-get install -y b
