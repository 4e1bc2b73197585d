# Commands the pass cannot read for sure are left alone: xargs, options in a variable,
# an install inside if.
FROM debian:bookworm-slim
COPY packages.txt /tmp/
RUN apt-get update && xargs apt-get install -y < /tmp/packages.txt
ENV APT_OPTS="-o Acquire::Retries=3"
RUN apt-get update && apt-get $APT_OPTS install curl
RUN if [ "$(dpkg --print-architecture)" = amd64 ]; then apt-get update && apt-get install libc6-i386; fi
CMD ["bash"]
