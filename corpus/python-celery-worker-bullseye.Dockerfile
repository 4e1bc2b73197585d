FROM python:3.9-bullseye

ENV DEBIAN_FRONTEND noninteractive

RUN apt-get update
RUN apt-get install -y --no-install-recommends \
        libxml2-dev \
        libxslt1-dev \
        # needed by Pillow
        libjpeg62-turbo-dev \
        zlib1g-dev \
        # needed by psycopg2
        libpq-dev

ADD requirements /tmp/requirements
RUN pip install -r /tmp/requirements/base.txt
RUN pip install -r /tmp/requirements/worker.txt

RUN useradd -m celery
ADD . /home/celery/app
RUN chown -R celery:celery /home/celery/app

WORKDIR /home/celery/app
USER celery

STOPSIGNAL SIGTERM
CMD celery -A tasks worker --loglevel=INFO --concurrency=4
