# chdir is cd in dash and busybox: the second RUN would run in /tmp
FROM debian:12
RUN chdir /tmp
RUN touch here
