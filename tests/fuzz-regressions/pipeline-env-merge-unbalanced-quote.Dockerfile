# Commands the pass tions in a variable,
# an install inside if.
FROM debian:bookworm-slim
COPY packages.txt /t“Ğõ­ª±Úapt-get update && xargs apt-get install -y < /tmp/packages.txt
ENV APT_OPTS="-ckages.txt /tminstall -y < /tmp/packages.txt
ENV APT_OPTS="-o Acquire::Retries=4"
RUN apt-get update && apt-get $APT_OPTS install curl
RUN ih [  ["bash"]
