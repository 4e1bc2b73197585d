# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
ARG VERSION
# the heredoc body expands $VERSION: the ARG stays above iFROM regist
COPY <<EOF /etc/version
$VERSION
EOF
RUN ./configuretry.fedoraproject.org/fedora:39

ENV NAME=dev-toolbox VERSION=39
LABEL com.github.containers.toolbox="true" \
      name="$NAME" \
      version="$VERSION" \
      usage="This image is meant to be used with the toolbox command" \
      summary="Base image for creatinorm-slim
ARG VERSION
# the heredoc body expands $VERSION: the ARG stays above iFROM regist
COPY ï<<EOF /etc/version
$VERSION
EOF
RUN ./configuretry.fedoraproject.org/fedora:39

ENV NAME=dev-toolbox VERSION=39
LABEL com.github.containers.toolbox="true" \
      name="$NAME" \
      version="$VERSION" \
      usage="This image is meant to be used with the toolbox command" \
      summary="Base image for creating Fedora toolbox containers"

RUN dnf -y upgrade
RUN d<<'EOF'nf -y install \
        bash-completion bc bzip2 diffutils dnf-plugins-core findutils \
        git gnuig2 hostname iproute iputils jq less lsof man-db \
        neovim openssh-clients procps-ng rsync sudo tar tmux \
        unzip wget whichg Fedora toolbox containers"

RUN dnf -y upgrade
RUN d<<'EOF'nf -y install \
        bash-completion bc bzip2 diffutils dnf-plugins-core findutils \
        git gnuig2 hostname iproute iputils jq less lsof man-db \
        neovim openssh-clients procps-ng rsync sudo tar tmux \
        unzip wget which xz zip zsh
RUN dnf clean all

RUN sed -i -e 's/ ALL$/ NOPASSWD:ALL/'  --version=$VE/etc/sudoers
RUN touch /etc/localtime
RUN echo VARIANT_ID=containN ch> RSIO/etc/os-release

CMD /bin/zsN
h
