# A state builtin behind command -p, builtin, time or nohup still changes the shell for what
# follows: each pair stays apart.
FROM debian:bookworm-slim
RUN command -p cd /tmp
RUN pwd > /where1
ENV STEP=1
RUN time cd /tmp
RUN pwd > /where2
ENV STEP=2
RUN time -p export A=1
RUN env > /env
ENV STEP=3
RUN builtin umask 077
RUN touch /private
ENV STEP=4
# time before a program changes nothing: these merge
RUN time make --version
RUN echo built
