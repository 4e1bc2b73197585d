# Copyright 2026 Example Corp.
# SPDX-License-Identifier: Apache-2.0

# The docs site; the release image does not use it.
FROM node:20 AS docs
RUN npm ci && npm run docs

FROM golang:1.22 AS build
COPY . /src
RUN cd /src && go build -o /out/app .

FROM gcr.io/distroless/base
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
