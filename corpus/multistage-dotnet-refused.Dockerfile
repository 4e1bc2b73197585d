# dotnet publish without -o: the output directory is not named.
FROM mcr.microsoft.com/dotnet/sdk:8.0

WORKDIR /src
COPY . .
RUN dotnet publish -c Release

EXPOSE 8080
ENTRYPOINT ["dotnet", "bin/Release/net8.0/publish/Orders.Api.dll"]
