# An update does not move across what may change apt's sources: dpkg -i of a release package,
# an unknown program, an ENV naming a proxy. It still moves across inert commands, metadata and
# a COPY into an application directory.
FROM debian:bookworm-slim
RUN apt-get update
COPY zabbix-release.deb /tmp/
RUN dpkg -i /tmp/zabbix-release.deb
RUN apt-get install -y zabbix-agent

FROM debian:bookworm-slim AS proxy
RUN apt-get update
ENV https_proxy=http://proxy.internal:3128
RUN apt-get install -y curl

FROM debian:bookworm-slim AS script
RUN apt-get update && ./add-repo
WORKDIR /srv
RUN apt-get install -y curl

FROM debian:bookworm-slim AS inert
RUN apt-get update
LABEL org.opencontainers.image.title=demo
COPY app.conf /app/
RUN mkdir -p /app/data
RUN apt-get install -y curl
COPY --from=proxy /etc/hostname /proxy
COPY --from=script /etc/hostname /script
COPY --from=0 /etc/hostname /zabbix
