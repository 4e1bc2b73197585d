FROM rockylinux:8

LABEL vendor="Northwind Logistics" \
      com.northwind.component="route-optimizer"
LABEL description "Route optimizer service (RHEL-compatible build)"

RUN yum -y update
RUN yum -y install epel-release
RUN yum -y install python39 python39-devel gcc gcc-c++ make
RUN yum -y install glpk-devel

ENV APP_DIR /opt/route-optimizer
WORKDIR $APP_DIR

COPY . $APP_DIR
RUN python3.9 -m pip install --upgrade pip
RUN python3.9 -m pip install -r requirements.txt

RUN useradd -r -u 1001 -g 0 optimizer
RUN chown -R 1001:0 $APP_DIR && chmod -R g=u $APP_DIR
USER 1001

EXPOSE 8443
CMD python3.9 -m route_optimizer.server --port 8443 --tls
