# A secret-named ARG without a value in a builder stage: its history is not shipped.
FROM golang:1.22 AS build
ARG GITHUB_TOKEN
RUN --mount=type=secret,id=netrc,target=/root/.netrc go build -o /out/app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
