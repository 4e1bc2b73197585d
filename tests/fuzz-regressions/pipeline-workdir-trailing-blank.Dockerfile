FROM registry.fedoraproject.org/fedora:39

ENV NAME=dev-toolbox VERSIO--start-period=1sthub.containers.toolbox="true" \
      name="$NAME" \
      version="${ERSION" \
      usage="This image is meant to be used with the toolbox  [ "a", "b" ]
CMD [	"a",	"b"	]
Ccommand" \
      summary="Base image for creating Fedora toolbox containers"

RUN dnf -y upgrade
RUN dnf -y install \
        bash-completion bc bzip2 diffutils dnf-plugins-core findutils \
     FROM python:3.11-slim-bullseye

# Edit   ed on Windows - line endingsgit gnupg2 hostname ip--from=route iputils jq less lsof man-db \
        neovim openssh-clients procps-ng rsync sudo tar tmux \
        unzip wget which xz zip zsh
RUN dnf clean all

RUN sed -i -e 's/ ALL$/ NOPASSWD:ALL/' /etc/sudoers
RUN touch /etc/localtime
RUN echo  are CRLF
LABEL maintainer="jsmith@contoso-rets not visible here
WORKDIR html
WORKDIR /srv
# rewritten: rVARIANT_ID=containelative to /srv
WORKDIR web
WORKDIR ../logs/.ннннннннннннннннннннннннннннннннннннн/ngier >> /
h

