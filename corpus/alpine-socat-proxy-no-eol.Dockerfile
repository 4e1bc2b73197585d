# TCP forwarder so legacy jobs can reach the managed Postgres instance
FROM alpine:3.18

RUN apk add --no-cache socat tini

ENV TARGET_HOST=db.internal
ENV TARGET_PORT=5432

USER nobody
EXPOSE 5432
ENTRYPOINT ["/sbin/tini", "--", "socat"]
CMD ["TCP-LISTEN:5432,fork,reuseaddr", "TCP:db.internal:5432"]