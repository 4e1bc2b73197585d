# The first RUN ends in a comment or a background job: merging would change the script.
FROM alpine:3.19
RUN echo start # everything after the # is a comment
RUN echo next
ENV STEP=1
RUN sleep 5 &
RUN echo next
