# A PowerShell SHELL: nothing is edited.
FROM mcr.microsoft.com/powershell:lts-debian-12
SHELL ["pwsh", "-Command"]
RUN apt-get update; apt-get install curl
CMD ["pwsh"]
