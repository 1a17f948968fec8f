FROM alpine:3.20
RUN adduser -D -u 10001 app
USER 0:0
# expect: PCS-DF-001 line 3
ENTRYPOINT ["/bin/sh"]
