FROM haproxy:2.9-bookworm

USER root
RUN apt-get update && \   
    apt-get install -y --no-install-recommends \ 
        ca-certificates \	
        curl \  
        socat && \
    rm -rf /var/lib/apt/lists/*

COPY haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg
COPY certs/ /usr/local/etc/haproxy/certs/
RUN chown -R haproxy:haproxy /usr/local/etc/haproxy

USER haproxy
EXPOSE 80 443 8404
HEALTHCHECK --interval=10s CMD curl -fs http://localhost:8404/stats || exit 1
