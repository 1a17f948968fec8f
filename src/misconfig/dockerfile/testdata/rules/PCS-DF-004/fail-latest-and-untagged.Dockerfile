FROM golang AS build
# expect: PCS-DF-004 line 1
RUN go build -o /app .

FROM alpine:latest
# expect: PCS-DF-004 line 5
COPY --from=build /app /app
