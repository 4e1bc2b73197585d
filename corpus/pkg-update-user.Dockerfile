# The install after a USER change relies on an update done as root: the update does not move
# into it (it would then run as dev, and fail).
FROM debian:bookworm-slim
RUN apt-get update
USER dev
RUN sudo apt-get install -y curl
CMD ["bash"]
