# dnf under a non-root USER: both appended commands get the install's sudo; without sudo
# nothing is appended.
FROM fedora:40
USER 1001
RUN sudo dnf install -y curl
WORKDIR /srv
RUN dnf install -y git
CMD ["bash"]
