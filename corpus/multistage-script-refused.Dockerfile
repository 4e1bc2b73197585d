# The program is run.sh from the build context, which runs the binary make builds: copying
# run.sh alone would leave /src/app behind. Not split.
FROM debian:12
RUN apt-get update && apt-get install -y gcc make
WORKDIR /src
COPY . .
RUN make
CMD ["/src/run.sh"]
