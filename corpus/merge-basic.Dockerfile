# Consecutive RUNs become one layer; the comments between them move above it, in order.
FROM debian:bookworm-slim

RUN useradd --create-home app

# the data directory
RUN mkdir -p /srv/data

# and its owner (the trailing ; goes)
RUN chown app:app /srv/data;

USER app
CMD ["bash"]
