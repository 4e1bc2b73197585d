FROM debian:bookworm
WORKDIR /src
# `;`: the rest runs even when cd fails
RUN cd /opt; make
WORKDIR /src
# `||`
RUN cd /opt || mkdir -p /opt
WORKDIR /src
# relative path
RUN cd build && make
WORKDIR /src
# cd - needs OLDPWD, which WORKDIR does not set
RUN cd /tmp && cd - && make
WORKDIR /src
# a COPY before the next WORKDIR would land elsewhere
RUN cd /opt && make
COPY . .
WORKDIR /src
# the end of the stage: WORKDIR would persist into the image
RUN cd /opt && make install
