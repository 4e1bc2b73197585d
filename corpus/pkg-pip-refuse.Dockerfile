# syntax=docker/dockerfile:1
# pip's cache is set on purpose (ENV, a cache mount, --cache-dir): left alone.
FROM python:3.12-slim AS env
ENV PIP_CACHE_DIR=/var/cache/pip
RUN pip install requests

FROM python:3.12-slim
COPY --from=env /var/cache/pip /var/cache/pip
RUN --mount=type=cache,target=/root/.cache/pip pip install httpx
ENV STEP=1
RUN pip install --cache-dir /tmp/pip flask
CMD ["python3"]
