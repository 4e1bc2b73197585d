FROM debian:bookworm-slim
# moves: `apt-get update` changes no configuration, so apt still reads only the system tree
RUN apt-get update
COPY . /app
RUN apt-get install -y curl
