FROM python:3.11-slim

LABEL maintainer "ops@shopfront.io"

ENV PYTHONUNBUFFERED 1
ENV PYTHONDONTWRITEBYTECODE 1
ENV APP_HOME /app

RUN apt-get update
RUN apt-get install -y gcc libpq-dev
RUN apt-get install -y netcat-openbsd

RUN mkdir $APP_HOME
WORKDIR $APP_HOME

COPY . .

RUN pip install --upgrade pip
RUN pip install -r requirements.txt
RUN pip install gunicorn

EXPOSE 5000

CMD gunicorn --bind 0.0.0.0:5000 --workers 3 wsgi:app
