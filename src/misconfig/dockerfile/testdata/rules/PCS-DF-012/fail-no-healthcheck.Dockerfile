FROM golang:1.22 AS build
HEALTHCHECK CMD ["true"]
FROM gcr.io/distroless/static-debian12:nonroot
# expect: PCS-DF-012 line 3
COPY --from=build /out/app /app
