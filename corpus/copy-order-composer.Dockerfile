FROM composer:2 AS deps
WORKDIR /app
COPY . .
# --no-scripts: the post-install script, which needs the sources, does not run here
RUN composer install --no-dev --no-scripts --no-autoloader --no-interaction
RUN composer dump-autoload --optimize --no-dev

FROM php:8.3-fpm
COPY --from=deps /app /var/www/app
