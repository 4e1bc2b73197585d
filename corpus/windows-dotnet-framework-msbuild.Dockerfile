# escape=`

# ---- build ----------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1-windowsservercore-ltsc2022 AS build
WORKDIR C:\src

# restore NuGet packages first so they are cached
COPY LegacyPortal.sln .
COPY LegacyPortal/LegacyPortal.csproj LegacyPortal/
COPY LegacyPortal/packages.config LegacyPortal/
RUN nuget restore LegacyPortal.sln -PackagesDirectory C:\src\packages

COPY . .
RUN msbuild LegacyPortal\LegacyPortal.csproj `
        /p:Configuration=Release `
        /p:DeployOnBuild=true `
        /p:WebPublishMethod=FileSystem `
        /p:DeleteExistingFiles=true `
        /p:publishUrl=C:\publish `
        /verbosity:minimal

# ---- runtime --------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022 AS runtime
SHELL ["powershell", "-NoProfile", "-Command", "$ErrorActionPreference = 'Stop';"]

RUN Remove-Website -Name 'Default Web Site' ; `
    New-Item -Path C:\inetpub\portal -ItemType Directory | Out-Null ; `
    New-Website -Name 'portal' -Port 80 -PhysicalPath C:\inetpub\portal -ApplicationPool '.NET v4.5'

WORKDIR C:\inetpub\portal
COPY --from=build C:\publish .

RUN icacls C:\inetpub\portal\App_Data /grant 'IIS AppPool\.NET v4.5:(OI)(CI)M'

EXPOSE 80
