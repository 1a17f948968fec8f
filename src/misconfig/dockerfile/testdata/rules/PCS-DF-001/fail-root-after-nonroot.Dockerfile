FROM node:20-bookworm-slim
RUN useradd --uid 10001 --create-home app
USER app
WORKDIR /home/app
COPY --chown=app:app . .
RUN npm ci --omit=dev
# The last USER wins: switching back to root for "one more thing" ships root.
USER root
# expect: PCS-DF-001 line 8
CMD ["node", "server.js"]
