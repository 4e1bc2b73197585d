# apt becomes apt-get, -y is added, the lists go at the end of the RUN that installs;
# -O2 also adds --no-install-recommends.
FROM debian:bookworm-slim
RUN apt update && apt install curl ca-certificates
CMD ["curl", "--version"]
