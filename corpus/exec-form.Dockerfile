FROM node:20-slim AS api
WORKDIR /app
# rewritten: one plain command, `exec` dropped
CMD exec node server.js

FROM alpine:3.20 AS tini
# rewritten: ENTRYPOINT without CMD in the stage
ENTRYPOINT /sbin/tini -- /usr/local/bin/worker --queue 'jobs high'

FROM alpine:3.20 AS entry
ENTRYPOINT ["/docker-entrypoint.sh"]
# refused: CMD is the ENTRYPOINT's arguments
CMD serve --port 80

FROM entry AS child
# refused: the ENTRYPOINT comes from the stage it builds on
CMD serve --port 81

FROM alpine:3.20 AS var
# refused: a variable
CMD echo $HOME

FROM alpine:3.20 AS redirect
# refused: a redirection, an operator
CMD ./run.sh > /var/log/run.log
ENTRYPOINT npm start && tail -f /dev/null

FROM alpine:3.20
COPY --from=api /app /api
COPY --from=tini /sbin /tini
COPY --from=child /etc /child
COPY --from=var /etc /var
COPY --from=redirect /etc /redirect
# refused: a shell builtin
CMD echo ready
