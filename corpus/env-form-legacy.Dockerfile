FROM debian:bookworm-slim

# rewritten: a plain value
ENV APP_HOME /srv/app
# rewritten: no blanks, kept as written; $PATH still expands
ENV PATH /srv/app/bin:$PATH
# rewritten: blanks inside the value
ENV JAVA_OPTS -Xms256m -Xmx512m
# rewritten: quotes decoded and quoted again
LABEL description "Billing \"core\" service"
# rewritten: single quotes
ENV GREETING 'hello   world'
# refused: quotes and a variable together
ENV MOTD "welcome to $HOSTNAME"
# refused: inside ONBUILD
ONBUILD ENV MODE production
# already key=value
ENV TZ=UTC
CMD ["/srv/app/bin/billing"]
