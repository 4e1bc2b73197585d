FROM node:18

MAINTAINER Dave Kowalski <dave@kowalski.dev>

# Create app directory
WORKDIR /usr/src/app

RUN apt-get update
RUN apt-get install -y curl
RUN apt-get install -y python3 build-essential

# Bundle app source
COPY . .

# Install app dependencies
RUN npm install
RUN npm run build

ENV NODE_ENV production
ENV PORT 3000

EXPOSE 3000

RUN chown -R node:node /usr/src/app
USER node

CMD npm start
