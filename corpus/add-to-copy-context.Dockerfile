FROM debian:bookworm-slim
# local file and directories: COPY
ADD app.conf /etc/app/
ADD src/ /app/src/
ADD --chown=1000:1000 static /srv/static
# a glob the context shows to match only text files: COPY
ADD conf/*.conf /etc/app/conf.d/
# named like an archive but plain text in the context: COPY
ADD notes.tar.gz /usr/share/doc/app/
# a tar without an archive name: ADD unpacks it, stays
ADD payload.bin /opt/payload/
# a gzip'd tar: stays
ADD vendor.tgz /opt/vendor/
# remote: stays; without --checksum a warning
ADD https://example.com/tool.tar.gz /opt/tool/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.bin /opt/tool.bin
# git source and variables: stay
ADD git@github.com:acme/schemas.git /opt/schemas
ARG SRC=app.conf
ADD $SRC /etc/app/extra.conf
CMD ["/app/src/main.py"]
