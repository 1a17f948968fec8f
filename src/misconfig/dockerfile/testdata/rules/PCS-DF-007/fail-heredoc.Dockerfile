# syntax=docker/dockerfile:1
FROM debian:12-slim
RUN <<EOF
set -eux
apt-get update
curl -sSL https://install.python-poetry.org \
  | python3 -
EOF
# expect: PCS-DF-007 line 7
