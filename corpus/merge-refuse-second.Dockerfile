# The second RUN is not one &&-chain, or reads what the first would leave: no merge.
FROM alpine:3.19
RUN mkdir -p /data
RUN test -d /data/cache || mkdir /data/cache
ENV STEP=1
RUN mkdir -p /cache
RUN chmod 700 /cache; chown nobody /cache
ENV STEP=2
RUN mkdir -p /logs
RUN if [ -w /logs ]; then touch /logs/ok; fi
ENV STEP=3
RUN mkdir -p /srv/www
RUN echo "$_" > /srv/last-arg
