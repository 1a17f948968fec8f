FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev && chmod -R 777 /app
# expect: PCS-DF-013 line 4
COPY --chmod=0666 config.json /app/config.json
# expect: PCS-DF-013 line 6
RUN chmod a+rwx /app/uploads
# expect: PCS-DF-013 line 8
