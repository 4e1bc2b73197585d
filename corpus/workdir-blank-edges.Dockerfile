FROM debian:bookworm
WORKDIR /srv
# the cleaned path would end in a blank, which WORKDIR trims: kept relative
WORKDIR logs /
WORKDIR web
# quoted blank at the end, and a dollar sign: the cd stays
RUN cd "/opt/x " && make
RUN cd '/opt/$x' && make
# a blank inside is fine
RUN cd "/opt/a b" && make
WORKDIR /app
