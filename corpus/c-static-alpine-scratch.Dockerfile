FROM alpine:3.19 AS build
RUN apk add --no-cache build-base linux-headers
WORKDIR /src
COPY Makefile ./
COPY src ./src
RUN make CFLAGS="-O2 -static" LDFLAGS="-static" \
 && strip tinyhttpd

FROM scratch
COPY --from=build /src/tinyhttpd /tinyhttpd
COPY www /www
EXPOSE 8080
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/tinyhttpd", "-p", "8080", "-d", "/www"]
