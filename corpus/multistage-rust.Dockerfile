FROM rust:1.77-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libssl-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /usr/src/ledger
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked

# configuration, read at run time
COPY config/ledger.toml /etc/ledger/ledger.toml
ENV RUST_LOG=info
EXPOSE 7000
CMD ["/usr/src/ledger/target/release/ledger", "--config", "/etc/ledger/ledger.toml"]
