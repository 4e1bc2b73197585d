# The second install relied on the first RUN's lists: it gets its own update, and both
# RUNs can then drop the lists.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get install -y --no-install-recommends python3-pip
CMD ["python3"]
