# syntax=docker/dockerfile:1
ARG ALPINE_VERSION=3.19
FROM alpine:${ALPINE_VERSION}

ARG TERRAFORM_VERSION=1.7.5
ARG TFLINT_VERSION=0.50.3

RUN apk add --no-cache bash git openssh-client jq unzip

# Pinned, checksum-verified downloads
ADD --checksum=sha256:3ff056b5e8259003f67fd0f0ed7229499cfb0b41f3ff55cc184088589994f7a5 \
    https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_amd64.zip /tmp/terraform.zip
ADD --checksum=sha256:471ecf8b3f997415d7bfbd037774c14cc4fb65c4b377b344d9bdc447861daf44 \
    https://github.com/terraform-linters/tflint/releases/download/v${TFLINT_VERSION}/tflint_linux_amd64.zip /tmp/tflint.zip

RUN unzip /tmp/terraform.zip -d /usr/local/bin \
 && unzip /tmp/tflint.zip -d /usr/local/bin \
 && rm /tmp/*.zip \
 && terraform version && tflint --version

RUN adduser -D -u 1000 tf
USER tf
WORKDIR /workspace
VOLUME ["/workspace"]
ENTRYPOINT ["terraform"]
CMD ["--help"]
