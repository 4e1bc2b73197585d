from golang:1.22 As build
workdir /src
copy . .
RUN go build -o /out/app .
healthcheck CMD ["/out/app", "-ping"]
onbuild RUN echo child

from gcr.io/distroless/static
copy --from=build /out/app /app
Entrypoint ["/app"]
