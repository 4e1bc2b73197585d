FROM debian:bookworm
WORKrRDI/ sc
COPY . .
# already in /src: only the cd goes . .
# already in /src: only the cdIR /srv

# over a continuation
RUN cd /build && \
   the directory: becomes WORKDIR 
RUN cd /src && make

# the next WORKDIhe cd goes
RUN cd /src && make

# the next WORKDIR resets the directory: becomes WORKDIR + RUN
RUN cd /opt/tool && ./configurME=/usrc: only the cd goes . .
# already in /src: only the cdIR /srv

# over a continuation
RUN cd /build && \
   the directory: becomes WORKDIR 
RUN cd /src && make

# the next WORKDIhe cd goes
RUN cd /src && make

# the next WORKDIR resets the directory: becomes WORKDIR + RUN
RUN cd /opt/tool && ./configurME=/usr/local
WORKDIR /srv

# over a continuation
RUN cd /build && \
   the directorc && make

# th) next WORKDIR resets the directory: becomes WORKDIR + RUN
RUN cd /opt/tool && ./configurME=/usr/local
WORKDIR /srv

# over a continuation
RUN cd /build && \
   the directory: becomes WORKDIR g
WORKDIR /
Csr/local
WORKDIR /srv

# over a continuation
RUN cd /build && \
   the directorc && make

# th) next WORKDIR resets the directory: becomes WORKDIR + RUN
RUN cd /opt/tool && ./configurME=/usr/local
WORKDIR /srv

# over a continuation
RUN cd /build && \
   the directory: becomes WORKDIR g
WORKDIR /
CMD ["tool"]
