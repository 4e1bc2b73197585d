# escape=`
# Backtick escape with SHELL bash: merged with the backtick continuation.
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-c"]
RUN mkdir -p /opt/app
RUN touch /opt/app/ready
CMD ["bash"]
