# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022

LABEL maintainer="windows-platform@contoso.com" `
      description="IIS host for the intranet status page"

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

RUN Install-WindowsFeature -Name Web-Server, Web-Asp-Net45, Web-Http-Redirect ; `
    Remove-Item -Recurse -Force C:\inetpub\wwwroot\*

RUN New-Item -Path C:\logs -ItemType Directory | Out-Null ; `
    Import-Module WebAdministration ; `
    Set-WebConfigurationProperty -PSPath 'IIS:\' -Filter system.applicationHost/sites/siteDefaults/logFile `
        -Name directory -Value 'C:\logs'

RUN Invoke-WebRequest -UseBasicParsing `
        -Uri https://dotnetbinaries.blob.core.windows.net/servicemonitor/2.0.1.10/ServiceMonitor.exe `
        -OutFile C:\ServiceMonitor.exe

ENV STATUS_PAGE_ENV=production `
    LOG_DIR=C:\logs

WORKDIR C:\inetpub\wwwroot
COPY site/ .

VOLUME C:\logs
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=10s `
    CMD powershell -Command "try { $r = Invoke-WebRequest -UseBasicParsing http://localhost/; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }"
ENTRYPOINT ["C:\\ServiceMonitor.exe", "w3svc"]
