# ENV E may not pass ENV G: the image Env list keeps first-set order
FROM alpine
ARG V
ENV E=$V
ENV G=1
RUN apk add x
