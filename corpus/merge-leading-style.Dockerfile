# The file puts && at the start of continuation lines: merged RUNs do the same.
FROM alpine:3.19
RUN apk add --no-cache curl \
 && curl --version
RUN mkdir -p /opt/tool
RUN curl -fsSL -o /opt/tool/tool.tgz https://example.com/tool.tgz \
 && tar -xzf /opt/tool/tool.tgz -C /opt/tool
ENTRYPOINT ["/opt/tool/bin/tool"]
