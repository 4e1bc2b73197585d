FROM node:20-slim
WORKDIR /app
# refused: @prisma/client's install script reads prisma/schema.prisma
COPY . .
RUN npm ci
CMD ["node", "index.js"]
