FROM debian:bookworm-slim
RUN useradd --create-home app
WORKDIR /app
# a directory merges with what the image has there
COPY config/ /app/config/
RUN chown -R app:app /app/config
# the RUN changes more than the COPY brought
COPY a.txt /app/
RUN chown -R app:app /app
# no group: COPY --chown=app would mean gid app
COPY b.txt /app/
RUN chown app /app/b.txt
# symbolic mode
COPY run.sh /app/
RUN chmod +x /app/run.sh
# --chmod would need BuildKit, which this file does not ask for
COPY run.sh /app/run2.sh
RUN chmod 755 /app/run2.sh
# the directory does not exist yet: COPY --chown would create it owned by app
COPY a.txt /opt/new/a.txt
RUN chown app:app /opt/new/a.txt
# more than one command
COPY b.txt /app/b2.txt
RUN chown app:app /app/b2.txt && chmod 600 /app/b2.txt
# missing from the context
COPY missing.txt /app/
RUN chown app:app /app/missing.txt
CMD ["/app/run.sh"]
