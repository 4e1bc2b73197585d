# Many stages (38): hoist drops finished stages from its waiting list unless a later stage
# builds on them, and dead-stage sees the variable FROM before it builds the stage graph.
ARG MODE=app-1
FROM debian:bookworm-slim AS cfg
# installs a package that may add an apt repository: stages built on cfg keep their order
RUN apt-get update && apt-get install -y zabbix-release
FROM debian:bookworm-slim AS app-1
COPY app1/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-2
COPY app2/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-3
COPY app3/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-4
COPY app4/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-5
COPY app5/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-6
COPY app6/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-7
COPY app7/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-8
COPY app8/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-9
COPY app9/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-10
COPY app10/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-11
COPY app11/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-12
COPY app12/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-13
COPY app13/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-14
COPY app14/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-15
COPY app15/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-16
COPY app16/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-17
COPY app17/ /app/
# hoisted above the COPY: it reads nothing the COPY writes
RUN apt-get update && apt-get install -y curl
FROM cfg AS mid
RUN echo mid > /mid.txt
FROM debian:bookworm-slim AS app-18
COPY app18/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-19
COPY app19/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-20
COPY app20/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-21
COPY app21/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-22
COPY app22/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-23
COPY app23/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-24
COPY app24/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-25
COPY app25/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-26
COPY app26/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-27
COPY app27/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-28
COPY app28/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-29
COPY app29/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-30
COPY app30/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-31
COPY app31/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-32
COPY app32/ /app/
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS app-33
COPY app33/ /app/
RUN apt-get update && apt-get install -y curl
FROM mid AS child
# refused: cfg, two stages up, may have pointed apt at /srv2/debs
COPY debs/ /srv2/debs/
RUN apt-get update && apt-get install -y zabbix-agent
FROM debian:bookworm-slim AS plain
COPY debs/ /srv2/debs/
RUN apt-get update && apt-get install -y zabbix-agent
# the final stage may be any of them (--build-arg MODE=...): dead-stage removes none
FROM ${MODE} AS final
CMD ["/app/run"]
