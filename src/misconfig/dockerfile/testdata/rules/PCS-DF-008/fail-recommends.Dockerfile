FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y python3 python3-pip \
    && rm -rf /var/lib/apt/lists/*
# expect: PCS-DF-008 line 2
