FROM node:20-slim
RUN corepack enable
WORKDIR /app
COPY --link . .
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile
RUN pnpm run build
CMD ["pnpm", "start"]
