FROM debian:bookworm-slim
WORKDIR /app
COPY . .
# moves above the copy: apt touches only the system tree
RUN apt-get update && apt-get install -y curl

COPY requirements.txt /app/
COPY config/ /app/config/
RUN useradd --create-home --uid 10001 app && mkdir -p /var/cache/app
# refused: the copy writes into the system tree apt reads
COPY apt/sources.list /etc/apt/sources.list.d/extra.list
RUN apt-get update && apt-get install -y jq
# refused: mkdir writes inside the copied directory
COPY data/ /srv/data/
RUN mkdir -p /srv/data/cache
# refused: a program whose effects are not known
COPY tools/ /opt/tools/
RUN ./build.sh
# refused: a redirection
COPY motd /app/motd
RUN echo ready > /tmp/ready
CMD ["/app/run"]
