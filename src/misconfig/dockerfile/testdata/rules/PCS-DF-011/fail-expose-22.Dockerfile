FROM debian:12-slim
EXPOSE 8080 22/tcp
# expect: PCS-DF-011 line 2
