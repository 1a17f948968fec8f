FROM alpine:3.20 AS base
RUN apk add --no-cache build-base
# expect: PCS-DF-014 line 2
FROM base
RUN microdnf install -y nmap-7.92-1.el9 || true
# expect: PCS-DF-014 line 5
