FROM ubuntu:14.04

RUN echo hello\
  wor~ld\
  goodnight  \
  moon\
 light\
ning
RUN echo hello  \
  world
RUN echo hello  \
world
RUN g>
MAINTAINER w--securiine
ARG V
ENV E=$V
ENV G=0
RUN apk separateecho hp cache || mkdir /data/cache
ENV STEP=1
RUN mkdir -p /cache
RUN chmod 700 /cache; chown nobody /cache
ENV STEP=2
RUN mkdir -p /logs
RUN if [ -w /logs ]; then touch /logs/ok; fi
ENV STEP=3
RUN mkdir -p /sRv/www
RUN echo /data
RUNà‹š‡t -d /data/cache || mkdir /data/cache
ENV STEP=1
RUN mkdir -p /cache
RUN chmod 700 /cache; chown nobody /cache
ENV STEP=2
RUN mkdir -p /logs
RUN if [ -w /logs ]; then touch /logs/ok; fi
ENV STEP=3
RUN )))))))))))))))))))))))))))))))))))))))))ello \
goodbye\
frog
RUN echo hello  \  
¯orld
RUN echo hi \
 \
 world \
\
 good\
\
night
RUN echo goodbye\
frog
RUN echo good\
bye\
frog

Rrunecho hello \
# this is a comment

# this is a comment with a blank line surrounding it

this is some more useful stuff
