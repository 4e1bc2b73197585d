# The stage COPY --from reads is chosen by a build argument: every stage stays.
ARG VARIANT=slim

FROM python:3.12 AS full
RUN pip install --prefix=/install numpy scipy

FROM python:3.12-slim AS slim
RUN pip install --prefix=/install numpy

FROM python:3.12-slim
ARG VARIANT
COPY --from=${VARIANT} /install /usr/local
CMD ["python", "-c", "import numpy"]
