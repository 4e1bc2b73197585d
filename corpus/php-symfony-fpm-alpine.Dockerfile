# syntax=docker/dockerfile:1

FROM composer:2.7 AS vendor
WORKDIR /app
COPY composer.json composer.lock symfony.lock ./
RUN --mount=type=cache,target=/tmp/cache \
    COMPOSER_CACHE_DIR=/tmp/cache composer install \
        --no-dev --no-scripts --no-autoloader --prefer-dist --no-progress --ignore-platform-reqs
COPY . .
RUN composer dump-autoload --classmap-authoritative --no-dev

FROM php:8.3-fpm-alpine AS app

RUN apk add --no-cache icu-libs libzip fcgi \
 && apk add --no-cache --virtual .build-deps $PHPIZE_DEPS icu-dev libzip-dev \
 && docker-php-ext-install -j"$(nproc)" intl opcache pdo_mysql zip \
 && apk del .build-deps

COPY --link docker/php/prod.ini $PHP_INI_DIR/conf.d/zz-app.ini
COPY --link docker/php/www.conf /usr/local/etc/php-fpm.d/zz-www.conf

WORKDIR /srv/app
COPY --from=vendor --chown=www-data:www-data /app /srv/app

ENV APP_ENV=prod \
    APP_DEBUG=0

RUN php bin/console cache:warmup

USER www-data
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD SCRIPT_NAME=/ping SCRIPT_FILENAME=/ping REQUEST_METHOD=GET cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1
EXPOSE 9000
CMD ["php-fpm", "-F"]
