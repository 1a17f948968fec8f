FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
# expect: PCS-DF-009 line 2
# A later RUN cannot take the lists out of the earlier layer.
RUN rm -rf /var/lib/apt/lists/*
RUN pip install flask==3.0.3
# expect: PCS-DF-009 line 6
