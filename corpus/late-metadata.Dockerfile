FROM debian:bookworm-slim AS base
ARG BUILD_DATE
ARG VCS_REF
LABEL org.opencontainers.image.created=$BUILD_DATE \
      org.opencontainers.image.revision=$VCS_REF
LABEL org.opencontainers.image.title=billing

# DEBIAN_FRONTEND is read by apt: the ARG stops right above the RUN
ARG DEBIAN_FRONTEND=noninteractive
ENV TZ=UTC
RUN apt-get update && apt-get install -y curl ca-certificates
COPY billing /usr/local/bin/billing
RUN useradd --system billing
# used nowhere: stays
ARG UNUSED=1

FROM base
ARG APP_VERSION=1.0.0
ENV APP_VERSION=$APP_VERSION
COPY config/ /etc/billing/
# a program that may read any variable: the ENV stops above it
RUN /usr/local/bin/billing --self-test
COPY migrations/ /usr/share/billing/migrations/
CMD ["billing"]
