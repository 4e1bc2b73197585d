# A RUN that starts a daemon, or may, is not merged with the next: the daemon would be running
# while that RUN runs.
FROM debian:bookworm-slim
RUN mongod --fork --logpath /var/log/mongod.log
RUN echo one
ENV STEP=1
RUN nginx
RUN echo two
ENV STEP=2
RUN apachectl start
RUN echo three
ENV STEP=3
RUN /etc/init.d/postgresql start
RUN echo four
ENV STEP=4
RUN eval "$(ssh-agent -s)" || ssh-agent
RUN echo five
ENV STEP=5
RUN my-server --background
RUN echo six
ENV STEP=6
RUN my-queue start
RUN echo seven
ENV STEP=7
# nginx -t only tests the configuration: these merge
RUN nginx -t
RUN echo eight
