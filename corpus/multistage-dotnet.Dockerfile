FROM mcr.microsoft.com/dotnet/sdk:8.0

WORKDIR /src
COPY Orders.Api.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish Orders.Api.csproj -c Release -o /app/publish --no-restore

WORKDIR /app/publish
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Orders.Api.dll"]
