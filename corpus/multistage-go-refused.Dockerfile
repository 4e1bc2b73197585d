# `go build` without -o names the binary after the module, which the file does not show.
FROM golang:1.22-bookworm

WORKDIR /src
COPY . .
RUN go build ./cmd/inventory

EXPOSE 8080
CMD ["./inventory"]
