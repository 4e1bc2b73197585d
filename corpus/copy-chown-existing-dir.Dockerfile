# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN useradd --create-home app
WORKDIR /app
# refused: `.` is the existing directory /app, the jar goes into it; chown -R . changes /app
COPY app.jar .
RUN chown -R app:app .
# refused: /opt is a directory in the image, the jar goes into it; chown -R /opt changes /opt
COPY app.jar /opt
RUN chown -R app:app /opt
# refused: chmod of the directory the script went into, not of the script
COPY run.sh .
RUN chmod 700 /app
# folds: the RUN names exactly the file the COPY wrote
COPY run.sh /app/
RUN chmod 755 /app/run.sh
USER app
ENTRYPOINT ["/app/run.sh"]
