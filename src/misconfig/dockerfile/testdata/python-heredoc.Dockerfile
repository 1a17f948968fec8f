# syntax=docker/dockerfile:1.7
FROM python:3.12-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    APP_ENV=production
WORKDIR /app
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN python3 <<'PY' > /app/version.txt
import sys
print(sys.version, "$HOME")
PY
COPY <<-EOF /app/settings.ini
	[app]
	env = ${APP_ENV}
	home = ${HOME:-/home/app}
	EOF
RUN cat <<FIRST > /etc/first.conf && cat <<-"SECOND" > /etc/second.conf
first=$APP_ENV
FIRST
	second=$APP_ENV
	SECOND
RUN useradd --uid 10001 --create-home app
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=1m30s --retries=3 \
  CMD curl -fsS http://localhost:8000/health || exit 1
CMD ["python", "-m", "app"]
