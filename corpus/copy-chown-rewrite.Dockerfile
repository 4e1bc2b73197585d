FROM debian:bookworm-slim
RUN useradd --create-home app
WORKDIR /app
# one file into an existing directory
COPY entrypoint.sh /app/
RUN chown app:app /app/entrypoint.sh
# two files, relative paths
COPY app.conf settings.ini ./
RUN chown -R app:app app.conf /app/settings.ini
USER app
ENTRYPOINT ["/app/entrypoint.sh"]
