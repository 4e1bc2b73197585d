ARG VARIANT=plain
FROM alpine:3.20 AS server
# refused: FROM server-${VARIANT} may build on this stage and set CMD
ENTRYPOINT /usr/local/bin/server

FROM server AS server-plain

FROM server AS server-debug
CMD ["--debug"]

FROM server-${VARIANT}
