FROM ubuntu:22.04

ENV DEBIAN_FRONTEND=noninteractive
ENV STEAMAPPID 896660
ENV STEAMAPPDIR /home/steam/valheim-dedicated

RUN dpkg --add-architecture i386
RUN apt-get update
RUN apt-get install -y --no-install-recommends lib32gcc-s1 lib32stdc++6 ca-certificates curl locales
RUN sed -i -e 's/# en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen && locale-gen

RUN useradd -m steam
USER steam
WORKDIR /home/steam

RUN mkdir -p steamcmd && cd steamcmd && curl -sqL "https://steamcdn-a.akamaihd.net/client/installer/steamcmd_linux.tar.gz" | tar zxvf -
RUN ./steamcmd/steamcmd.sh +force_install_dir $STEAMAPPDIR +login anonymous +app_update $STEAMAPPID validate +quit

COPY --chown=steam:steam start-server.sh $STEAMAPPDIR/

VOLUME $STEAMAPPDIR/worlds
EXPOSE 2456-2458/udp
EXPOSE 2456/tcp
STOPSIGNAL SIGINT

WORKDIR $STEAMAPPDIR
CMD ["bash", "start-server.sh"]
