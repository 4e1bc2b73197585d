FROM debian:bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/opt/probe \
 && cmake --build build -j"$(nproc)" \
 && cmake --install build

EXPOSE 9100
ENTRYPOINT ["/opt/probe/bin/probe"]
CMD ["--listen", "0.0.0.0:9100"]
