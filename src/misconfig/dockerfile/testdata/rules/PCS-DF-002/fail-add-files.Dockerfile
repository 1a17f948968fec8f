FROM nginx:1.27-alpine
ADD nginx.conf /etc/nginx/nginx.conf
# expect: PCS-DF-002 line 2
ADD --chown=nginx:nginx site/ /usr/share/nginx/html/
# expect: PCS-DF-002 line 4
