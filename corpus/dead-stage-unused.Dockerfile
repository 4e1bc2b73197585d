# syntax=docker/dockerfile:1
# A release image and two stages it does not need.
ARG GO_VERSION=1.22

FROM golang:${GO_VERSION} AS lint
RUN go install honnef.co/go/tools/cmd/staticcheck@2023.1.7

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates

# A debugging image: docker build --target debug
FROM golang:${GO_VERSION} AS debug
COPY --from=1 /out/api /out/api
RUN go install github.com/go-delve/delve/cmd/dlv@v1.22.1

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=1 /out/api /api
ENTRYPOINT ["/api"]
