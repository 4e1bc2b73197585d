FROM registry.fedoraproject.org/fedora:39

ENV NAME=dev-toolbox VERSION=39
LABEL com.github.containers.toolbox="true" \
      name="$NAME" \
      version="$VERSION" \
      usage="This image is meant to be used with the toolbox command" \
      summary="Base image for creating Fedora toolbox containers"

RUN dnf -y upgrade
RUN dnf -y install \
        bash-completion bc bzip2 diffutils dnf-plugins-core findutils \
        git gnupg2 hostname iproute iputils jq less lsof man-db \
        neovim openssh-clients procps-ng rsync sudo tar tmux \
        unzip wget which xz zip zsh
RUN dnf clean all

RUN sed -i -e 's/ ALL$/ NOPASSWD:ALL/' /etc/sudoers
RUN touch /etc/localtime
RUN echo VARIANT_ID=container >> /etc/os-release

CMD /bin/zsh
