FROM node:20-bookworm-slim AS build
RUN chmod -R 777 /tmp/build-cache
FROM node:20-bookworm-slim
COPY --chmod=755 entrypoint.sh /entrypoint.sh
RUN chmod 1777 /var/tmp/app && chmod u+w,go-w /app && chmod +x /entrypoint.sh
