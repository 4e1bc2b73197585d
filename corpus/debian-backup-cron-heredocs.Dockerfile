# syntax=docker/dockerfile:1
# Nightly backup runner: dumps Postgres and ships it to object storage.
FROM debian:bookworm-slim

ARG RESTIC_VERSION=0.16.4

# Heredoc RUN keeps the apt dance readable without a wall of backslashes
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends \
    ca-certificates \
    cron \
    postgresql-client-15 \
    restic
rm -rf /var/lib/apt/lists/*
EOF

# Tab-indented body; <<- strips the leading tabs
RUN <<-EOF
	set -e
	groupadd --system backup
	useradd --system --gid backup --home-dir /var/lib/backup --create-home backup
	mkdir -p /var/log/backup
	chown backup:backup /var/log/backup
	EOF

# Quoted delimiter: $PGHOST etc. must stay literal in the script
COPY --chmod=0755 <<'EOF' /usr/local/bin/run-backup
#!/bin/sh
set -eu
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
pg_dump --format=custom --host="$PGHOST" --username="$PGUSER" "$PGDATABASE" \
  > "/tmp/$PGDATABASE-$stamp.dump"
restic backup --host "$PGHOST" "/tmp/$PGDATABASE-$stamp.dump"
rm -f "/tmp/$PGDATABASE-$stamp.dump"
restic forget --keep-daily 7 --keep-weekly 4 --prune
EOF

COPY <<EOF /etc/cron.d/backup
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
15 2 * * * backup /usr/local/bin/run-backup >> /var/log/backup/backup.log 2>&1
EOF

RUN chmod 0644 /etc/cron.d/backup && crontab -u backup /etc/cron.d/backup

ENV PGHOST=db PGUSER=postgres PGDATABASE=app
VOLUME ["/var/log/backup"]
CMD ["cron", "-f"]
