FROM ubuntu:24.04
RUN useradd -m dev && apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
USER dev
RUN sudo mkdir -p /opt/app && sudo chown dev /opt/app
# expect: PCS-DF-010 line 4
