FROM node:20-slim
WORKDIR /app
# refused: node_modules is in the context (no .dockerignore), so the second copy would
# overwrite what yarn installed
COPY . .
RUN yarn install --frozen-lockfile
CMD ["node", "index.js"]
