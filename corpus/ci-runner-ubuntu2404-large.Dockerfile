# syntax=docker/dockerfile:1
#
# Self-hosted CI runner image used by the platform team.
# Contains the toolchains needed by most repos in the org: Node, Python,
# Go, Java, Docker CLI, cloud CLIs and assorted linters.
#
# Rebuild with:  docker buildx bake ci-runner
#
ARG UBUNTU_VERSION=24.04
ARG GO_VERSION=1.22.2

FROM golang:${GO_VERSION}-bookworm AS gotools
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.57.2 \
 && go install mvdan.cc/sh/v3/cmd/shfmt@v3.8.0 \
 && go install github.com/rhysd/actionlint/cmd/actionlint@v1.6.27

FROM ubuntu:${UBUNTU_VERSION} AS runner

ARG DEBIAN_FRONTEND=noninteractive
ARG RUNNER_VERSION=2.315.0
ARG NODE_MAJOR=20
ARG TARGETARCH

LABEL org.opencontainers.image.title="ci-runner" \
      org.opencontainers.image.description="Self-hosted GitHub Actions runner" \
      org.opencontainers.image.licenses="MIT"
LABEL com.example.team platform

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ENV LANG=C.UTF-8 \
    LC_ALL=C.UTF-8 \
    TZ=UTC
ENV RUNNER_HOME /home/runner
ENV RUNNER_WORKDIR /home/runner/_work

# --------------------------------------------------------------------------
# Base OS packages
# --------------------------------------------------------------------------
RUN apt-get update

RUN apt-get install -y --no-install-recommends \
        apt-transport-https \
        build-essential \
        ca-certificates \
        curl \
        dnsutils \
        file \
        git \
        git-lfs \
        gnupg \
        iputils-ping \
        jq \
        libicu74 \
        lsb-release \
        make \
        openssh-client \
        rsync \
        shellcheck \
        sudo \
        tar \
        unzip \
        wget \
        xz-utils \
        zip \
        zstd

RUN apt-get install -y --no-install-recommends \
        python3 \
        python3-pip \
        python3-venv \
        pipx

RUN apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven

# --------------------------------------------------------------------------
# Node.js from NodeSource
# --------------------------------------------------------------------------
RUN mkdir -p /etc/apt/keyrings
RUN curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key \
    | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg
RUN echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_${NODE_MAJOR}.x nodistro main" \
    > /etc/apt/sources.list.d/nodesource.list
RUN apt-get update && apt-get install -y nodejs
RUN npm install -g pnpm@9 yarn@1.22.22

# --------------------------------------------------------------------------
# Docker CLI + buildx (no daemon: the runner talks to a DinD sidecar)
# --------------------------------------------------------------------------
RUN install -m 0755 -d /etc/apt/keyrings \
 && curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc \
 && chmod a+r /etc/apt/keyrings/docker.asc \
 && echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu $(lsb_release -cs) stable" \
    > /etc/apt/sources.list.d/docker.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends docker-ce-cli docker-buildx-plugin docker-compose-plugin \
 && rm -rf /var/lib/apt/lists/*

# --------------------------------------------------------------------------
# Cloud CLIs
# --------------------------------------------------------------------------
RUN cd /tmp && \
    curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip" -o awscliv2.zip && \
    unzip -q awscliv2.zip && \
    ./aws/install && \
    rm -rf aws awscliv2.zip

RUN pipx install --global poetry==1.8.2 \
 && pipx install --global pre-commit==3.7.0 \
 && pipx install --global checkov==3.2.60

# --------------------------------------------------------------------------
# Go-based linters from the first stage
# --------------------------------------------------------------------------
COPY --from=gotools /go/bin/golangci-lint /go/bin/shfmt /go/bin/actionlint /usr/local/bin/

# --------------------------------------------------------------------------
# Runner user and agent
# --------------------------------------------------------------------------
RUN useradd --create-home --shell /bin/bash --uid 1001 runner \
 && usermod -aG sudo runner \
 && echo "runner ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/runner

WORKDIR /home/runner

RUN curl -fsSL -o actions-runner.tar.gz \
        "https://github.com/actions/runner/releases/download/v${RUNNER_VERSION}/actions-runner-linux-x64-${RUNNER_VERSION}.tar.gz" \
 && tar xzf actions-runner.tar.gz \
 && rm actions-runner.tar.gz \
 && ./bin/installdependencies.sh

COPY --link --chown=1001:1001 --chmod=0755 scripts/entrypoint.sh /home/runner/entrypoint.sh
COPY --link --chown=1001:1001 --chmod=0644 config/known_hosts /home/runner/.ssh/known_hosts

RUN mkdir -p $RUNNER_WORKDIR
RUN chown -R runner:runner /home/runner

# Keep the apt cache out of the image
RUN apt-get clean && rm -rf /var/lib/apt/lists/* /tmp/*

USER runner

VOLUME ["/home/runner/_work"]

HEALTHCHECK --interval=1m --timeout=10s --start-period=2m --retries=3 \
    CMD pgrep -f Runner.Listener > /dev/null || exit 1

STOPSIGNAL SIGINT
ENTRYPOINT ["/home/runner/entrypoint.sh"]
