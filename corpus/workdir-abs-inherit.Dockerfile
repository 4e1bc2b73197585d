FROM alpine:3.20 AS base
WORKDIR /opt/app

FROM base
# rewritten: the parent stage ended in /opt/app
WORKDIR bin
CMD ["./run"]
