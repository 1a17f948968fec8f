ARG NODE_VERSION=20.11
FROM node:${NODE_VERSION}-bookworm-slim AS deps
RUN npm ci

FROM deps AS build
RUN npm run build

FROM scratch
COPY --from=build /app/dist /dist
