# A later RUN installs from the cache only (-C): the earlier RUN keeps its cache.
FROM fedora:40
RUN dnf install -y gcc
ENV CC=gcc
RUN dnf -C install -y make
CMD ["make", "--version"]
