FROM ubuntu:24.04
RUN useradd -m dev && mkdir -p /opt/app && chown dev /opt/app
# Words that mention sudo are not sudo:
RUN echo "dev ALL=(ALL) NOPASSWD: ALL # sudo" > /dev/null && grep -q sudo /etc/group || true
USER dev
