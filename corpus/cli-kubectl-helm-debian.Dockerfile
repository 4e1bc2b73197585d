FROM debian:bookworm-slim

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ARG KUBECTL_VERSION=v1.29.3
ARG HELM_VERSION=v3.14.3
ARG TARGETARCH=amd64

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl git gettext-base \
 && rm -rf /var/lib/apt/lists/*

RUN curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl" -o /usr/local/bin/kubectl \
 && chmod +x /usr/local/bin/kubectl

RUN curl -fsSL "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz" \
    | tar -xz --strip-components=1 -C /usr/local/bin "linux-${TARGETARCH}/helm"

RUN helm plugin install https://github.com/databus23/helm-diff --version v3.9.5

# Private chart repo credentials are only available during the build
RUN --mount=type=secret,id=helm_repo_pass,required=true \
    helm repo add internal https://charts.internal.example.com \
      --username ci-bot \
      --password-stdin < /run/secrets/helm_repo_pass \
 && helm repo update

RUN useradd --create-home deployer
USER deployer
WORKDIR /home/deployer

HEALTHCHECK NONE
ENTRYPOINT ["/bin/bash", "-c"]
CMD ["kubectl version --client && helm version"]
