FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        curl \
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
ENV PIP_NO_CACHE_DIR=1
RUN pip install gunicorn==22.0.0
