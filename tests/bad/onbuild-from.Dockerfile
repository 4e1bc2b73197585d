FROM alpine
ONBUILD FROM debian
