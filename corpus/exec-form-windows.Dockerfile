FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
# refused: a Windows base: cmd.exe reads `\` as a path separator, `dir` is its builtin
CMD C:\app\app.exe --port 80

FROM win AS child
# refused: built on a Windows stage
ENTRYPOINT dir

FROM mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022 AS nano
# refused: a nanoserver image
CMD dotnet app.dll

FROM --platform=windows/amd64 example.com/tools:1 AS tools
# refused: the platform is windows
CMD tool.exe --serve

FROM alpine:3.20
COPY --from=child /app /child
COPY --from=nano /app /nano
COPY --from=tools /app /tools
# rewritten: a Linux stage in the same file
CMD /usr/local/bin/server --port 80
