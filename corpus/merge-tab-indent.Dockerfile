# Continuation lines indented with tabs: the merged RUN keeps that indent.
FROM postgres:16-bookworm
RUN apt-get update && \
		apt-get install -y --no-install-recommends postgresql-contrib && \
		rm -rf /var/lib/apt/lists/*
RUN mkdir -p /docker-entrypoint-initdb.d
COPY init.sql /docker-entrypoint-initdb.d/
