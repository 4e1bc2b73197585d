# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /srv/app

COPY package.json package-lock.json ./
# The token never ends up in a layer: .npmrc is mounted as a build secret
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /srv/app
COPY --from=build /srv/app/node_modules ./node_modules
COPY --from=build /srv/app/dist ./dist
COPY --from=build /srv/app/package.json ./
ENV NODE_ENV=production
EXPOSE 4000
CMD ["dist/index.js"]
