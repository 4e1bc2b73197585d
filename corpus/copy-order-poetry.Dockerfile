FROM python:3.12-slim
ENV POETRY_VIRTUALENVS_CREATE=false
RUN pip install --no-cache-dir poetry==1.8.3
WORKDIR /opt/etl
COPY . .
RUN poetry install --no-root --only main --no-interaction
# installs the project itself: needs the sources, the copy goes above it
RUN poetry install --only-root
CMD ["python", "-m", "etl"]
