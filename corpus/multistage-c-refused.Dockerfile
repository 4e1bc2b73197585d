# make install into /usr/local: the base image has files there too, so what the install
# added (and whether the program needs /etc/netprobe.conf from it) is not known.
FROM debian:bookworm

RUN apt-get update && apt-get install -y gcc make libpcap-dev

WORKDIR /usr/src/netprobe
COPY . .
RUN make && make install PREFIX=/usr/local

EXPOSE 2055/udp
CMD /usr/local/bin/netprobe -c /etc/netprobe.conf -f
