FROM debian:12-slim
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
# expect: PCS-DF-003 line 2
RUN chmod +x /tini
