# syntax=docker/dockerfile:1
# A service image with a few things a reviewer would point out.
ARG BASE_TAG
FROM node:latest AS assets
RUN dnf install nodejs-devel

FROM golang:1.22 as Builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM ubuntu
MAINTAINER Jane Doe <jane@example.com>
ENV API_TOKEN=changeme
ARG GITHUB_TOKEN
RUN apt-get update && apt-get install curl ca-certificates
RUN curl -fsSL https://example.com/install.sh | sh
RUN cd /opt && sudo ./setup --mode=fast,quiet
ADD https://example.com/tool.tar.gz /opt/
COPY --from=Builder /out/app /usr/local/bin/app
COPY --from=asets /dist /srv/www/
# dfopt ignore=DF014
WORKDIR relative/dir
# hadolint ignore=DL3000
WORKDIR data%20dir
EXPOSE 8080/TCP 70000
LABEL description="café & <bar>: 100% \"quoted\""
CMD echo "starting…"
CMD ["/usr/local/bin/app", "--listen=:8080"]
USER root
