FROM debian:bullseye

MAINTAINER Sergei Ivanov <s.ivanov@netprobe.dev>

RUN apt-get update
RUN apt-get -y upgrade
RUN apt-get install -y gcc
RUN apt-get install -y make
RUN apt-get install -y libpcap-dev libjansson-dev

ADD . /usr/src/netprobe
WORKDIR /usr/src/netprobe

RUN make clean
RUN make
RUN make install PREFIX=/usr/local

RUN cd /usr/src/netprobe/tools && make && cp probectl /usr/local/bin/

EXPOSE 2055/udp
EXPOSE 9996/udp

CMD /usr/local/bin/netprobe -c /etc/netprobe.conf -f
