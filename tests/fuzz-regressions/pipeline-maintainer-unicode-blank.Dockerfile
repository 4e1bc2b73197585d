FROM alpine:3.19
MAINTAINER Jo Doe <jo@example.org>
MAINTAINER webmaster@example cms.org
ENV NOTE tab　separated
RUN echo hi
