FROM debian:bookworm-slim
RUN useradd --create-home app
WORKDIR /app
# refused: BuildKit cannot resolve owner names in a --link layer (and a numeric owner would
# also own the parent directories the link layer creates)
COPY --link run.sh /app/
RUN chown app:app /app/run.sh
# refused too: the same with a numeric owner
COPY --link run.sh /app/run2.sh
RUN chown 1000:1000 /app/run2.sh
ENTRYPOINT ["/app/run.sh"]
