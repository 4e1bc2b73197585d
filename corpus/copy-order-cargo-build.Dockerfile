FROM rust:1.78
WORKDIR /usr/src/ledger
# refused: cargo build needs the sources (no dummy-main trick)
COPY . .
RUN cargo build --release
CMD ["./target/release/ledger"]
