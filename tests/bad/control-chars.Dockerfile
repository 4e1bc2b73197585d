FROM alpine
ENV [31mRED]0;title
