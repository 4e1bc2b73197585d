# A later RUN installs from zypper's metadata: the first RUN keeps it; the last one cleans.
FROM opensuse/leap:15.6
RUN zypper -n refresh && zypper -n install gcc
ENV CC=gcc
RUN zypper -n install make
CMD ["make", "--version"]
