FROM fedora:40 AS builder

RUN dnf -y install gcc-c++ cmake make git \
        fmt-devel spdlog-devel catch2-devel \
    && dnf clean all

WORKDIR /build
COPY . .
RUN cmake -B out -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build out -j"$(nproc)"

FROM fedora:40
RUN dnf -y install fmt spdlog && dnf clean all
COPY --from=builder /build/out/orderbook /usr/local/bin/orderbook
USER 1001
CMD ["/usr/local/bin/orderbook"]
