FROM golang:1.22
WORKDIR /src
# refused: go.mod replaces a module with a directory of the context
COPY . .
RUN go mod download
RUN go build -o /usr/local/bin/api .
CMD ["api"]
