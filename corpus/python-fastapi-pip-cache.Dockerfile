# syntax=docker/dockerfile:1
FROM python:3.12-slim-bookworm

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1

WORKDIR /code

COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt

# Pre-compile the tokenizer tables so the first request is not slow
RUN python3 <<PY
import json, pathlib
table = {chr(c): c for c in range(32, 127)}
pathlib.Path("/code/ascii.json").write_text(json.dumps(table))
print("wrote", len(table), "entries")
PY

COPY ./app ./app

EXPOSE 80
HEALTHCHECK --interval=15s --timeout=2s CMD python3 -c "import urllib.request,sys; urllib.request.urlopen('http://localhost/healthz'); sys.exit(0)"
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "80", "--proxy-headers"]
