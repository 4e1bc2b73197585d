# syntax=docker/dockerfile:1
# check=error=true

# Storybook for designers; the release image below does not use it.
FROM node:20 AS storybook
WORKDIR /app
COPY . .
RUN npm ci && npm run build-storybook

FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

FROM nginx:1.25-alpine
COPY --from=build /app/dist /usr/share/nginx/html
