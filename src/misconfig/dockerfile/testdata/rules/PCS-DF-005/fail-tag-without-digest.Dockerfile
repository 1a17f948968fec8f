FROM python:3.12-slim AS build
# expect: PCS-DF-005 line 1
RUN pip wheel --no-cache-dir -w /wheels .
FROM python:3.12-slim
# expect: PCS-DF-005 line 4
COPY --from=build /wheels /wheels
