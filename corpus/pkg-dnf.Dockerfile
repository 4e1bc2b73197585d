# dnf: -y, then clean all and the cache directory in the same RUN.
FROM fedora:40
RUN dnf install gcc make
CMD ["make", "--version"]
