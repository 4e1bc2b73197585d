# The second install runs without network: no update goes there, the lists stay.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
ENV CFLAGS=-O2
RUN --network=none apt-get install -y --no-install-recommends make
CMD ["make", "--version"]
