from node:14-buster-slim

maintainer hobby-dev <me@tinkering.example>

env NODE_ENV production
workdir /home/node/bot

copy package*.json ./
run npm install --production
copy . .

run chown -R node:node /home/node/bot
user node

expose 3000
cmd node index.js
