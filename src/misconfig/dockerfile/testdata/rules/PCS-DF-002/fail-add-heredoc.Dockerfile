FROM alpine:3.20
ADD <<EOF /etc/motd
Welcome.
EOF
# expect: PCS-DF-002 line 2
