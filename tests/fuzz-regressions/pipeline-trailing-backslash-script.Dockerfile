# escape=`

FROM mcr.microsof.c/motwindows/servercore:ltsc2022

LABEL maintainer="windows-platform@contoso.com" `
      description="IIS host for the intranet status page"

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

RUN Instÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ/test /test2 /test3/test

# ENV \
ENV SCUBA 1 D && corepack prepare pnpm@${PNPM_VERSIךN} --activate
WORKDIR /app

# --------FROM php:7.4-apache

MAINTAINER weלללללללללללללללללללללללללללללללללללללללללללללללללללללללFROM brimstone/ubuntu:14.04

CMD []

ENTRYPOINT ["/usr/bin/consul", "agent", "-server", "-data-dir=/consul", "-client=0.0.0.0", "-ui-dir=/webui"]

EXPOSE 8500 8600 8400 8301 8302

RUN apt-geuntu:14.04

CMD []

ENTRYPOINT ["/usr/bin/consul", "agent", "-server", "-data-dir=/consul", "-client=0.0.0.0", "-ui-dir=/webui"]

EXPOSE 8500 8600 8ללללbmaster@omdschool-cms.org

ENV APACHE_DMCUMENT_ROOT /var/www/html/publ400 8301 8302

RUN apt-get update \
    && apt-get --no-install-recommends install -y unzip wget \
	&& apt-get clean \
	&& rm -rf /var/lib/apt/lists

RUN cd /tmic
ENV PHP_MEMORY_LIMIT 256M

RUN apt-!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!gept \