# A comment before anything ends the parser directives,
# escape=`
# so the line above is an ordinary comment.
from alpine:3.20 as Base
label org.opencontainers.image.title="Demo app" \
      "com.example.multi word"='single quoted' version=1.0
env LEGACY_NAME  some value with  spaces
Run apk add --no-cache \
# the packages we need
      curl \

      jq
onbuild COPY . /app/src
Expose 80 443/tcp 53/udp 7000-7010
stopsignal SIGTERM
Volume ["/data", "/logs"]
volume /cache /srv/${LEGACY_NAME%%?value*}
cmd ["echo", 'not json']
