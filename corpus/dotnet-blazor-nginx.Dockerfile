FROM mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim AS build
WORKDIR /src
COPY ["Dashboard.Client/Dashboard.Client.csproj", "Dashboard.Client/"]
COPY ["Dashboard.Shared/Dashboard.Shared.csproj", "Dashboard.Shared/"]
RUN dotnet workload install wasm-tools
RUN dotnet restore "Dashboard.Client/Dashboard.Client.csproj"
COPY . .
WORKDIR "/src/Dashboard.Client"
RUN dotnet publish "Dashboard.Client.csproj" -c Release -o /app/publish /p:UseAppHost=false

FROM nginx:1.25-alpine AS final
WORKDIR /usr/share/nginx/html
COPY --from=build /app/publish/wwwroot .
COPY nginx.conf /etc/nginx/nginx.conf
EXPOSE 80
