# A stage built on this one installs without its own update: the lists stay.
FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates

FROM base
RUN apt-get install -y --no-install-recommends curl
CMD ["curl", "--version"]
