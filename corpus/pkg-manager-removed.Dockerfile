# No cache cleanup is appended after the manager has been removed (it would fail with 127), nor
# after a command that may remove it; a harmless build step after the install keeps it.
FROM node:20-alpine
RUN npm install -g pm2 && npm uninstall -g npm
WORKDIR /app
RUN npm ci && rm -rf /usr/local/lib/node_modules/npm
WORKDIR /srv
RUN npm ci && ./scripts/strip-tooling
WORKDIR /opt
RUN npm ci && npm run build && rm -rf /tmp/build-cache
CMD ["pm2-runtime", "index.js"]
