FROM nginx:1.27 AS web
# refused: the image's own WorkingDir is not visible here
WORKDIR html
WORKDIR /srv
# rewritten: relative to /srv
WORKDIR web
WORKDIR ../logs/./nginx
# refused: a variable
ARG SUB=cache
WORKDIR $SUB

FROM scratch AS data
# rewritten: a stage from scratch starts at /
WORKDIR data
COPY --from=web /srv/logs/nginx ./nginx

FROM web
# a stage that builds on another starts in its directory, unknown after `WORKDIR $SUB`
WORKDIR tmp
COPY --from=data /data /data
