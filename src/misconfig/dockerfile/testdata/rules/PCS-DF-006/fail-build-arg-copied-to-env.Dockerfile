FROM python:3.12-slim
# The value comes from --build-arg, but ENV keeps it in the image configuration,
# and the ARG itself lands in the history of every RUN after it.
ARG PYPI_TOKEN
# expect: PCS-DF-006 line 4
ENV PYPI_TOKEN=$PYPI_TOKEN
# expect: PCS-DF-006 line 6
RUN pip install --no-cache-dir --index-url "https://__token__:${PYPI_TOKEN}@pypi.example.com/simple" app
