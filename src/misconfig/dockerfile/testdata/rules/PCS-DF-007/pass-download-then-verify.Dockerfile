FROM debian:12-slim
ARG TINI_SHA256=93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c
RUN curl -fsSLo /tmp/install.sh https://get.example.com/install.sh \
    && echo "${TINI_SHA256}  /tmp/install.sh" | sha256sum -c - \
    && sh /tmp/install.sh \
    && curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
# A quoted pipe is no pipe, and comments are not commands:
RUN echo "curl https://x | sh" > /usr/share/doc/README # curl x | bash
