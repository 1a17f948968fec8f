# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
ENV APP_HOME=C:\app `
    LOG_DIR=C:\logs
WORKDIR ${APP_HOME}
COPY app\ ${APP_HOME}\
RUN New-Item -ItemType Directory -Path $env:LOG_DIR ; `
    Write-Host 'ready'
HEALTHCHECK --interval=1m --timeout=10s CMD powershell -Command "try { exit 0 } catch { exit 1 }"
USER ContainerUser
CMD ["C:\\app\\server.exe", "--log-dir", "C:\\logs"]
