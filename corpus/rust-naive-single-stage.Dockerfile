FROM rust:1.75

WORKDIR /usr/src/myapp
COPY . .

RUN apt-get update
RUN apt-get install -y libpq-dev pkg-config

RUN cargo install --path .
RUN cargo install diesel_cli --no-default-features --features postgres

ENV ROCKET_ADDRESS 0.0.0.0
ENV ROCKET_PORT 8000
EXPOSE 8000

CMD diesel migration run && myapp
