FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl gdb strace netcat-openbsd \
    && rm -rf /var/lib/apt/lists/*
# expect: PCS-DF-014 line 2
