# cargo install without --root puts the binary in CARGO_HOME/bin, which the file never sets.
FROM rust:1.77

WORKDIR /usr/src/ledger
COPY . .
RUN cargo install --path . --locked

EXPOSE 7000
CMD ["ledger"]
