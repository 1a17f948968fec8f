FROM alpine:3.20 AS base
RUN apk add --update curl
# expect: PCS-DF-009 line 2
FROM base
RUN apk add --no-cache tini
