FROM debian:bookworm-slim
# refused: the COPY creates /app, which mkdir needs
COPY app.jar /app/app.jar
RUN mkdir /app/logs
# refused: the COPY creates /data, which cp writes into
COPY x /data/x
RUN cp /etc/hosts /data/hosts
# refused: the COPY creates /srv/app, where the link goes
COPY app /srv/app/bin/
RUN ln -s /usr/bin/python3 /srv/app/python
# refused: the COPY creates /home/svc owned by 1000:1000; mkdir -p first would make it root's
COPY --chown=1000:1000 app.jar /home/svc/app.jar
RUN mkdir -p /home/svc/logs
WORKDIR /work
# moves: WORKDIR made /work, the COPY creates nothing mkdir touches
COPY app.jar /work/app.jar
RUN mkdir /work/logs
