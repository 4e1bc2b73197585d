# syntax=docker/dockerfile:1
ARG UBUNTU_VERSION=24.04

FROM ubuntu:${UBUNTU_VERSION} AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
        g++ cmake ninja-build pkg-config \
        libboost-program-options-dev libssl-dev zlib1g-dev

WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY include/ include/
COPY src/ src/
COPY tests/ tests/

RUN cmake -S . -B build -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX=/opt/tilecache \
        -DBUILD_TESTING=ON \
 && cmake --build build --parallel \
 && ctest --test-dir build --output-on-failure \
 && cmake --install build --strip

FROM ubuntu:${UBUNTU_VERSION}
RUN apt-get update \
 && apt-get install -y --no-install-recommends libboost-program-options1.83.0 libssl3t64 zlib1g \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/tilecache /opt/tilecache
ENV PATH=/opt/tilecache/bin:$PATH
USER ubuntu
VOLUME ["/var/cache/tiles"]
EXPOSE 7070
ENTRYPOINT ["tilecached"]
CMD ["--cache-dir", "/var/cache/tiles", "--listen", "0.0.0.0:7070"]
