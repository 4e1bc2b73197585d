# A new apt source comes between the update and the install: no update is moved, the lists
# stay (the install relies on the old ones).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
COPY nodesource.list /etc/apt/sources.list.d/
RUN apt-get install -y --no-install-recommends nodejs
CMD ["node"]
