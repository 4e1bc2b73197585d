# An inventory service, built and run in one golang stage.
FROM golang:1.22-bookworm

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

ENV CGO_ENABLED=0
RUN go vet ./... && go build -trimpath -ldflags="-s -w" -o /usr/local/bin/inventory ./cmd/inventory

ENV INVENTORY_ADDR=:8080
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["inventory"]
CMD ["--log-format=json"]
