# the final stage copies the lists out of base: they must stay in base
FROM debian:12 AS base
RUN apt-get update && apt-get install -y a
FROM debian:12
COPY --from=base /var/lib/apt/lists /var/lib/apt/lists
RUN apt-get install -y b
