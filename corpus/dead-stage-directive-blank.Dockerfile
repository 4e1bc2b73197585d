# escape=`
# The directive line above starts with a vertical tab, which the parser skips: it is
# still the escape directive, and stays when the unused first stage goes.
FROM alpine:3.20 AS unused
RUN echo unused

FROM alpine:3.20
RUN echo one `
    two
