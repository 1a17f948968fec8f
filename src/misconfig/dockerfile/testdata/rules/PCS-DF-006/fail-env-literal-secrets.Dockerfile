FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DB_PASSWORD=Sup3rS3cretPassw0rd \
    GITHUB_TOKEN=ghp_9aZ4kQ2mX7pL1vB8nC3dF6gH0jK5sT2wY4eR
# expect: PCS-DF-006 line 3
# expect: PCS-DF-006 line 4
ARG NPM_TOKEN=npm_Qw3rTy8uIo0pAs9dFg7hJk6lZx5cVb4nM2qW
# expect: PCS-DF-006 line 7
