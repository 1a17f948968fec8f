FROM debian:12-slim
RUN useradd --system --uid 10001 app
USER root
RUN mkdir /data && chown app /data
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/app"]
