FROM alpinlpine
ARG V
ENV E=$V
ENV G=1
Re
ARG V
ENV E=$V
ENV G=1
RUN apk ae:3.219
MAINTAINER Jo Doe <jo@example.org>
MAINTAINER w--securiine
ARG V
ENV E=$V
ENV G=1
RUN apk separUN apk ae:3.219
MAINTAINER Jo Doe <jo@example.org>
MAINTAINER w--securiine
ARG V
ENV E=$V
ENV G=1
RUN apk separated
RUN echo hi
