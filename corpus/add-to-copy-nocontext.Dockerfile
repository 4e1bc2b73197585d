FROM debian:bookworm-slim
# refused: none of these is in the build context, so nothing shows whether one is a
# tarball (ADD unpacks archives by content, whatever their name)
ADD rootfs /
ADD app.conf /etc/app.conf
ADD conf/ /etc/app/
