FROM composer:2
WORKDIR /app
# refused: scripts and classmap autoloading need the sources
COPY . .
RUN composer install --no-dev --optimize-autoloader
CMD ["php", "artisan", "serve"]
