FROM debian:bookworm-slim
# refused: a gzip-compressed tarball without an extension, which ADD unpacks
ADD rootfs /
# rewritten: a plain file and a directory
ADD app.conf /etc/app.conf
ADD conf/ /etc/app/
