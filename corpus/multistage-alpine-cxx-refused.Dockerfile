# A C++ program built on Alpine. The compiler packages bring libstdc++ and libgcc_s, which the
# program links; a runtime stage without g++ would lack them. Not split.
FROM alpine:3.19
RUN apk add --no-cache g++ make
WORKDIR /src
COPY . .
RUN make
CMD ["/src/app"]
