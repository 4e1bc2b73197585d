# A Go web app that reads templates/ and static/ from its working directory at run time: the
# runtime stage would hold only the binary. Not split.
FROM golang:1.22
WORKDIR /src
COPY . .
ENV CGO_ENABLED=0
RUN go build -o /usr/local/bin/web .
CMD ["web"]
