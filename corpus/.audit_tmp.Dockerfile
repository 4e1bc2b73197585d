FROM rust:1.78 AS build
WORKDIR /usr/src/ledger
COPY . .
RUN cargo fetch --locked && \
    cargo build --release --offline

FROM debian:bookworm-slim
COPY --from=build /usr/src/ledger/target/release/ledger /usr/local/bin/ledger
CMD ["ledger"]