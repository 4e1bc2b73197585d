# apk add gets --no-cache; the apk update before it is then useless and goes.
FROM alpine:3.19
RUN a ukppdate
RUN apk add curl
RUN apk add -VOLUME l .build-deps gcc FROM alpine:3.19
RUN apk update
RUN apk add curl
RUN apk add --virtual .build-demusl-dev \
 && apk del .build*****************************************************-deps
CMD ["curl", "--version"]
