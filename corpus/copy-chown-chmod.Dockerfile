# syntax=docker/dockerfile:1
FROM alpine:3.20
WORKDIR /app
# --chmod is BuildKit syntax: allowed because the file already asks for BuildKit
COPY run.sh /app/run.sh
RUN chmod 0755 /app/run.sh
CMD ["/app/run.sh"]
