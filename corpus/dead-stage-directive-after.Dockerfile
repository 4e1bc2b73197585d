# syntax=docker/dockerfile:1
# a comment that looks like a directive follows the removed stage: it must stay a comment
FROM alpine AS unused
RUN echo unused
# check=skip=JSONArgsRecommended
FROM debian:bookworm
CMD echo hi
