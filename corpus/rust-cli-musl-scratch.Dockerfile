FROM rust:1.76-alpine as builder

RUN apk add --no-cache musl-dev openssl-dev openssl-libs-static pkgconfig

WORKDIR /usr/src/rg-lite

# cache deps with a dummy main
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo "fn main() {}" > src/main.rs && cargo build --release && rm -rf src

COPY src ./src
RUN touch src/main.rs && cargo build --release
RUN strip target/release/rg-lite

FROM scratch
COPY --from=builder /usr/src/rg-lite/target/release/rg-lite /rg-lite
WORKDIR /data
ENTRYPOINT ["/rg-lite"]
