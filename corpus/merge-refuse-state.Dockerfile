# The first RUN changes the shell's state for what follows: each pair stays apart.
FROM debian:bookworm-slim
# cd
RUN mkdir -p /opt/app && cd /opt/app
RUN pwd > /where
ENV STEP=1
# export
RUN export LANG=C.UTF-8
RUN locale > /locale
ENV STEP=2
# set -e
RUN set -e && mkdir -p /opt/cache
RUN touch /opt/cache/ready
ENV STEP=3
# a function definition
RUN log() { echo "$@"; }
RUN echo log
ENV STEP=4
# a for loop sets its variable
RUN for d in a b; do mkdir -p "/data/$d"; done
RUN echo "$d" > /last
ENV STEP=5
# an assignment inside an expansion
RUN echo "${PREFIX:=/usr/local}"
RUN echo "$PREFIX" > /prefix
ENV STEP=6
# a daemon would still be running
RUN service cron start
RUN pgrep cron > /cron.pid
ENV STEP=7
# exit
RUN test -f /etc/debian_version || exit 0
RUN echo debian > /os
ENV STEP=8
# a bare assignment
RUN VERSION=1.2.3
RUN echo "$VERSION" > /version
ENV STEP=9
# trap
RUN trap 'rm -f /tmp/lock' EXIT; touch /tmp/lock
RUN ls /tmp > /tmp-list
