# Go: nothing to clean safely; the RUNs only merge.
FROM golang:1.22-alpine
WORKDIR /src
RUN go install golang.org/x/tools/cmd/goimports@v0.20.0
RUN go env GOMODCACHE > /gomodcache
CMD ["goimports", "-h"]
