FROM php:7.4-apache

MAINTAINER webmaster@oldschool-cms.org

ENV APACHE_DOCUMENT_ROOT /var/www/html/public
ENV PHP_MEMORY_LIMIT 256M

RUN apt-get update && apt-get install -y libfreetype6-dev libjpeg62-turbo-dev libpng-dev libicu-dev
RUN docker-php-ext-configure gd --with-freetype --with-jpeg
RUN docker-php-ext-install -j$(nproc) gd intl mysqli opcache

RUN a2enmod rewrite headers expires
RUN sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf
RUN sed -ri -e 's!/var/www/!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/apache2.conf /etc/apache2/conf-available/*.conf

ADD docker/php.ini /usr/local/etc/php/conf.d/app.ini
ADD . /var/www/html/
RUN chown -R www-data:www-data /var/www/html

EXPOSE 80
