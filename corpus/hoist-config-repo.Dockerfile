FROM debian:bookworm-slim
# refused: the sources list points apt at the local repository copied after it
COPY local.list /etc/apt/sources.list.d/local.list
COPY debs/ /srv2/debs/
RUN apt-get update && apt-get install -y mytool
