# once the unused stage goes, the comment below must not become an escape directive
FROM alpine AS unused
RUN echo unused
# escape=`
FROM debian:bookworm
CMD echo hi
