# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
ARG TARGETARCH
ARG COREDNS_VERSION=v1.11.1
RUN apk add --no-cache git make
WORKDIR /go/src/coredns
RUN git clone --depth 1 --branch ${COREDNS_VERSION} https://github.com/coredns/coredns.git .
# register our plugin before the "cache" plugin
RUN sed -i '/^cache:cache/i blocklist:github.com/netguard/coredns-blocklist' plugin.cfg
COPY plugin/ /go/src/blocklist/
RUN go mod edit -replace github.com/netguard/coredns-blocklist=/go/src/blocklist \
 && go generate \
 && CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /coredns

FROM gcr.io/distroless/static-debian12
COPY --from=build /coredns /coredns
COPY Corefile /etc/coredns/Corefile
EXPOSE 53 53/udp
EXPOSE 9153/tcp
ENTRYPOINT ["/coredns"]
CMD ["-conf", "/etc/coredns/Corefile"]
