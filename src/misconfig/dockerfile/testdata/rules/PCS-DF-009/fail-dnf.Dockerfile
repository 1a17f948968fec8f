FROM rockylinux:9
RUN dnf install -y python3.12 && dnf update -y
# expect: PCS-DF-009 line 2
RUN yum -y install nginx && yum clean all
