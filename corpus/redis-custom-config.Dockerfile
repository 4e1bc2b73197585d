FROM redis:7.2-bookworm
# tuned for the session cache cluster
COPY redis.conf /usr/local/etc/redis/redis.conf
COPY --chmod=755 healthcheck.sh /usr/local/bin/redis-healthcheck
VOLUME /data /var/log/redis
EXPOSE 6379 16379
HEALTHCHECK --interval=5s --timeout=3s --retries=5 --start-interval=1s --start-period=10s \
    CMD ["redis-healthcheck"]
STOPSIGNAL SIGTERM
USER redis
CMD [ "redis-server", "/usr/local/etc/redis/redis.conf" ]
