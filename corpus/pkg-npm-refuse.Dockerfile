# syntax=docker/dockerfile:1
# npm's cache is a mount, has its own location, or a later RUN installs --offline from it:
# those RUNs are left alone (the --offline RUN, last in the stage, is cleaned).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
ENV STEP=1
RUN npm install --cache /tmp/npm-cache left-pad
ENV STEP=2
RUN npm install is-odd
ENV STEP=3
RUN npm install --offline is-odd
CMD ["node"]
