# Each RUN cd waits for the next instruction that depends on the directory to reset it:
# the WORKDIR that the rewrite of the RUN after it brings. The whole chain is rewritten at
# once, so optimizing the output again changes nothing.
FROM debian:bookworm
RUN cd /a && make
RUN cd /b && make
RUN cd /c && make
RUN cd /d && make
RUN cd /e && make
RUN cd /f && make
WORKDIR /srv
CMD ["./serve"]
