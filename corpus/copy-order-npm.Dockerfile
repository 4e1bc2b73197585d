FROM node:20-slim AS build
WORKDIR /app
# the whole context, then the install: split
COPY . .
ENV NODE_ENV=development
RUN npm ci && npm cache clean --force
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
