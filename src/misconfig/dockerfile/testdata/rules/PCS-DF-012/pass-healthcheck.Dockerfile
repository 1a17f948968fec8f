FROM nginx:1.27-alpine AS web
HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://localhost/ || exit 1
FROM web
COPY site/ /usr/share/nginx/html/
