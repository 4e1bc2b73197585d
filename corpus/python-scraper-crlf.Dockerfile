FROM python:3.11-slim-bullseye

# Edited on Windows - line endings are CRLF
LABEL maintainer="jsmith@contoso-retail.com"

ENV PYTHONUNBUFFERED=1
ENV SCRAPER_USER_AGENT "Mozilla/5.0 (compatible; PriceBot/2.1)"

RUN apt-get update && apt-get install -y \
    chromium \
    chromium-driver \
    fonts-liberation

WORKDIR /app
COPY . /app
RUN pip install -r requirements.txt

RUN useradd -m scraper
RUN chown -R scraper /app
USER scraper

CMD python -m pricebot.run --all-stores
