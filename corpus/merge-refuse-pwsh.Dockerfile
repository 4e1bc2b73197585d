# A Linux stage whose SHELL is PowerShell: not merged.
FROM mcr.microsoft.com/powershell:lts-debian-12
SHELL ["pwsh", "-Command"]
RUN New-Item -ItemType Directory -Path /opt/app
RUN Set-Content -Path /opt/app/ready -Value ok
