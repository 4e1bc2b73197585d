# A CRLF file: the merged RUN keeps CRLF line endings.
FROM alpine:3.19
RUN mkdir -p /data
RUN chown nobody /data
USER nobody
