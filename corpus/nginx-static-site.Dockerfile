# syntax=docker/dockerfile:1
FROM nginx:1.25-alpine

# Drop the default welcome page and config
RUN rm -rf /usr/share/nginx/html/* /etc/nginx/conf.d/default.conf

COPY <<EOF /etc/nginx/conf.d/site.conf
server {
    listen       8080;
    server_name  _;
    root         /usr/share/nginx/html;

    gzip on;
    gzip_types text/css application/javascript image/svg+xml;

    location / {
        try_files \$uri \$uri/ /index.html;
    }

    location ~* \.(css|js|woff2|png|svg)$ {
        expires 30d;
        add_header Cache-Control "public, immutable";
    }
}
EOF

COPY --chown=nginx:nginx --chmod=644 public/ /usr/share/nginx/html/

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://127.0.0.1:8080/ || exit 1
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
