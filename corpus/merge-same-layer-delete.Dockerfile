# A later RUN deletes what an earlier one fetched: merged, the bytes never reach a layer.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl xz-utils && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /tmp/node.tar.xz https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz
RUN tar -xJf /tmp/node.tar.xz -C /usr/local --strip-components=1
RUN rm /tmp/node.tar.xz
RUN apt-get purge -y --auto-remove curl xz-utils
CMD ["node"]
