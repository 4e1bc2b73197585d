# apk add gets --no-cache; the apk update before it is then useless and goes.
FROM alpine:3.19
RUN apk update
RUN apk add curl
RUN apk add --virtual .build-deps gcc musl-dev \
 && apk del .build-deps
CMD ["curl", "--version"]
