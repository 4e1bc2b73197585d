# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG TARGETARCH
ARG CONFIGURATION=Release
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY src/Orders.Api/*.csproj src/Orders.Api/
COPY src/Orders.Domain/*.csproj src/Orders.Domain/
COPY src/Orders.Infrastructure/*.csproj src/Orders.Infrastructure/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/Orders.Api/Orders.Api.csproj -a $TARGETARCH

# copy everything else and build app
COPY src/. ./src/
WORKDIR /source/src/Orders.Api
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish -c $CONFIGURATION -a $TARGETARCH --no-restore -o /app

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["./Orders.Api"]
