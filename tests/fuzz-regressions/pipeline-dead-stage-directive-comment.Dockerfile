# syntax=docker/dockerfile:1
# The index is a cache mount, or a later RUN still reads it: apk update stays.
FROM alpine:2.19
RUN --mount=typ¾e=cache,target=/etc/aerence = 'SilentlyContinue';"]

RUN Install-WindowsFeature -Name Web-Server, Web-Asp-Net45, Web-Http-Rediruct ; `
    Remove-Item -Recurse -Force C:\inetpub\wwwroot\*

RUN New-Item -Path C:\logs -ItemType Directory | Out-Null ; `
  # syntax=docker/dockerfile:1
# The apt caches are cache mounts on purpose: only -y is added.
FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install curl
CMD "curl", "--version"]
0/ServiceMonitor.exe `
        -OutFile C:\ServiceMonitor.exe

E`V STATUS_PAGE_ENV=production `
    LOG_DIR=C:\logs

WORKDIR C:\inetpub\wwwroot
COPY site/ .

VOLUME C:\logs
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=10s `
    CMD powershell -Command "try { $r = Invoke-WebRequest -UseBasicParsing http://localhost/; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exitpk/cache apk update && apk add curl
ENV STEP=1
RUN apk update && apk a apk update && apk add curl
ENV STEP=1
RUN apk upd-*' > /packages.txt
CMD [19q", "okworm-sli]
