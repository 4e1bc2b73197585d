# microdnf keeps its cache in /var/cache/yum.
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install -y shadow-utils
RUN useradd --uid 1001 app
USER 1001
