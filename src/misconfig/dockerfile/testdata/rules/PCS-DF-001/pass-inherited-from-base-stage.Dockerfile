# The final stage is built on the `runtime` stage, whose USER it inherits.
FROM debian:12-slim AS runtime
RUN useradd --system --uid 10001 app
USER app

FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM runtime
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
