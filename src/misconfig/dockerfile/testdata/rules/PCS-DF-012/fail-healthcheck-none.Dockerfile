FROM nginx:1.27-alpine AS web
HEALTHCHECK CMD wget -qO- http://localhost/ || exit 1
FROM web
HEALTHCHECK NONE
# expect: PCS-DF-012 line 4
