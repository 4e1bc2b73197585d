# A stage whose USER is not root: the appended cleanup runs through the same sudo words as the
# install (a plain rm would be denied and fail the build), and where there is no sudo nothing is
# appended. A USER root later makes plain cleanups safe again.
FROM debian:bookworm-slim
RUN useradd -m dev
USER dev
RUN sudo apt-get update && sudo apt-get install -y curl
WORKDIR /home/dev
RUN sudo -E apt-get update && sudo -E apt-get install -y git && sudo -E apt-get purge -y sudo
WORKDIR /home/dev/src
RUN apt-get update && apt-get install -y make
USER root
RUN apt-get update && sudo apt-get install -y jq
CMD ["bash"]
