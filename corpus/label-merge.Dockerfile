FROM alpine:3.20
LABEL org.opencontainers.image.title="api"
LABEL org.opencontainers.image.vendor="Acme" \
      org.opencontainers.image.licenses="MIT"
LABEL team platform
# a key set twice keeps its last value
LABEL stage=dev
LABEL stage=prod
RUN apk add --no-cache curl
LABEL a=1
# comment between: kept apart
LABEL b=2
