# The build puts static files beside the binary, which serves them from there: copying
# /out/app alone would drop /out/static. Not split.
FROM golang:1.22
WORKDIR /src
COPY go.mod main.go ./
COPY static ./static
ENV CGO_ENABLED=0
RUN go build -o /out/app . && cp -r static /out/static
CMD ["/out/app"]
