FROM debian:bookworm-slim
# an installed package may add a repository or a library directory
RUN apt-get update && apt-get install -y zabbix-release
# refused: apt may now read /srv2/debs
COPY debs/ /srv2/debs/
RUN apt-get update && apt-get install -y zabbix-agent
