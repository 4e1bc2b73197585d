# syntax=docker/dockerfile:1
FROM golang:1.22-bookworm AS deps
WORKDIR /src
RUN --mount=type=bind,source=go.mod,target=go.mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download -x

FROM deps AS test
# Tests must not reach the network; modules come from the cache only.
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    --network=none \
    GOFLAGS=-mod=mod GOPROXY=off go test ./...

FROM deps AS build
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /bin/worker ./cmd/worker

FROM gcr.io/distroless/static-debian12:nonroot AS final
COPY --from=build /bin/worker /bin/worker
ENTRYPOINT ["/bin/worker"]
