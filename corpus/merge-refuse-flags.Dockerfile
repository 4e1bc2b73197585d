# syntax=docker/dockerfile:1
# Different RUN flags stay apart; identical flags merge.
FROM golang:1.22-bookworm
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod go mod download
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .
RUN --network=none go test ./...
RUN --mount=type=cache,target=/go/pkg/mod go vet ./...
RUN --mount=type=cache,target=/go/pkg/mod go list -m all
