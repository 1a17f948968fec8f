# syntax=docker/dockerfile:1

ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.20
ARG RUNTIME=gcr.io/distroless/static-debian12:nonroot@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS build
ARG TARGETOS TARGETARCH
ARG GO_VERSION
WORKDIR /src
ENV CGO_ENABLED=0 \
    GOFLAGS=-trimpath GOCACHE=/var/cache/go-build
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/var/cache/go-build \
    go mod download
COPY . .
RUN --mount=type=cache,target=/var/cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w -X main.goVersion=${GO_VERSION}" -o /out/server ./cmd/server

FROM build AS test
RUN go test ./...

FROM ${RUNTIME}
COPY --from=build --chown=65532:65532 /out/server /server
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/server"]
