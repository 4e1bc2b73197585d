FROM node:20-slim
WORKDIR /app
# refused: the postinstall script reads scripts/patch.js
COPY . .
RUN npm install
CMD ["node", "index.js"]
