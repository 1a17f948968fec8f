FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential gdb && rm -rf /var/lib/apt/lists/*
RUN make
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/app /usr/local/bin/app
