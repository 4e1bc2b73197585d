# An apt-get update alone in its layer moves into the install that needs it.
FROM ubuntu:24.04
RUN apt-get update
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get install -y --no-install-recommends tzdata
CMD ["date"]
