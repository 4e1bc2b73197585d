# Company-wide Node base. Children only need:  FROM acme/node-onbuild:20
FROM node:20-bookworm-slim

RUN mkdir -p /usr/src/app
WORKDIR /usr/src/app

ARG NODE_ENV
ENV NODE_ENV $NODE_ENV

ONBUILD COPY package.json package-lock.json* /usr/src/app/
ONBUILD RUN npm ci && npm cache clean --force
ONBUILD COPY . /usr/src/app
ONBUILD RUN npm run build --if-present

EXPOSE 3000
CMD [ "npm", "start" ]
