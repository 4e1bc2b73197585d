# escape=`
# Windows: cmd and PowerShell RUNs are never merged.
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN mkdir C:\app
RUN echo ready > C:\app\ready.txt
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN New-Item -ItemType Directory C:\logs
RUN Set-Content C:\logs\start.txt ok
