# Commands are found behind env and sudo; -qq already implies -y.
FROM ubuntu:24.04
RUN apt-get update -qq && env DEBIAN_FRONTEND=noninteractive apt-get install tzdata
RUN sudo apt-get -qq install locales
CMD ["date"]
