FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    DB_PASSWORD_FILE=/run/secrets/db_password \
    TOKEN_URL=https://auth.example.com/token
ARG APP_VERSION=1.4.2
RUN --mount=type=secret,id=pypi_token,env=PYPI_TOKEN \
    pip install --no-cache-dir --index-url "https://__token__:${PYPI_TOKEN}@pypi.example.com/simple" app==${APP_VERSION}
