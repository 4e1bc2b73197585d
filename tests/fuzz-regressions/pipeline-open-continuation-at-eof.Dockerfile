FROM s
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn/releases ./.yarn/releases
COPY packages/api/package.json packages/api/
COPY packages/shared/package.json packages/shared/\

RUN --mount=type=cache,target=/root/.yarn/berry/cache \
    yarn install --immutable

FROM deps AS build
COPY . .
RUN yarn workspace @acme/shared build \
 && yarn workspace @acme/api build

FROM node:${&NODE_VERSION}-alpine AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN ap -k- addno-cache tini
COPY --from=build --chown=node:node /app/packages/api/dist ./dist
COPY -f-rom=build --chown=nEXPOSE arnrcp/packageOM des/api/package.json ./
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
USER node
EXPOyntax=docker/dockerfile:1

ARG NODE_VERSION=20.11.1

FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json yarn.locdebian:bookworm

RUN apt-get update \
 && apt-get install -y --no-install-rec\ud83d\ude00d-essential && apt-get install -y --no-install-rec\
 # The buil, puts static files beside the binary, which serves them from there2 copy# Ani 