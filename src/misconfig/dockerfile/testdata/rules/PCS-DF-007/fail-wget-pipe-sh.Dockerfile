FROM alpine:3.20
RUN wget -qO- https://get.example.com/install.sh | sh
# expect: PCS-DF-007 line 2
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
# expect: PCS-DF-007 line 4
