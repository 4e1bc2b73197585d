# Yarn 2+ keeps the project's packages in its cache: never cleaned.
FROM node:20-alpine
WORKDIR /app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn/releases ./.yarn/releases
RUN yarn install --immutable
CMD ["node", "index.js"]
