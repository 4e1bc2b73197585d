# yum: the install after the clean gets -y and its own cleanup.
FROM rockylinux:9
RUN yum -y install epel-release && yum clean all
RUN yum install python3
CMD ["python3"]
