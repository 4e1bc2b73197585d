FROM golang:1.15

MAINTAINER infra-team@paygate.com

RUN apt-get update
RUN apt-get install -y git make
RUN go get -u github.com/golang/dep/cmd/dep

ADD . /go/src/github.com/paygate/ledger

RUN cd /go/src/github.com/paygate/ledger && dep ensure -vendor-only
RUN cd /go/src/github.com/paygate/ledger && make build
RUN cp /go/src/github.com/paygate/ledger/bin/ledger /usr/local/bin/ledger

ENV LEDGER_DB_HOST localhost
ENV LEDGER_DB_PORT 5432
ENV GIN_MODE release

EXPOSE 9090

CMD ledger serve --port 9090
