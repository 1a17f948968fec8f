# ADD of a local archive extracts it: that is what ADD is for.
FROM debian:12-slim
ADD rootfs.tar.gz /
ADD vendor/app-1.4.2.tar.xz /opt/
COPY config.yaml /etc/app/config.yaml
