# Base image for internal Python services. Downstream Dockerfiles are just
#   FROM registry.internal/python-service-base:3.11
# and the ONBUILD triggers below do the rest.
FROM python:3.11-slim-bookworm

RUN apt-get update && apt-get install -y --no-install-recommends \
        tini \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --shell /usr/sbin/nologin app
WORKDIR /home/app/src

ONBUILD ARG PIP_INDEX_URL=https://pypi.internal/simple
ONBUILD COPY requirements.txt ./
ONBUILD RUN pip install --no-cache-dir -r requirements.txt
ONBUILD COPY --chown=app:app . .
ONBUILD USER app

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python", "-m", "service"]
