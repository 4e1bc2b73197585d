FROM debian:bookworm
WORKDIR /src
COPY . .
# already in /src: only the cd goes
RUN cd /src && make

# the next WORKDIR resets the directory: becomes WORKDIR + RUN
RUN cd /opt/tool && ./configure --prefix=/usr/local && make install
ENV TOOL_HOME=/usr/local
WORKDIR /srv

# over a continuation
RUN cd /build && \
    cmake --build . | tee build.log
WORKDIR /
CMD ["tool"]
