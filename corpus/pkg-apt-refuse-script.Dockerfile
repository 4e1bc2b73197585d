# A later RUN runs a script that may install packages from the lists: they stay.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
COPY install-extras.sh /usr/local/bin/
RUN install-extras.sh
