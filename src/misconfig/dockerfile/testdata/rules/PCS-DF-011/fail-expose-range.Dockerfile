FROM debian:12-slim
EXPOSE 20-25
# expect: PCS-DF-011 line 2
